package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// countOrders opens a database as dsrbot does and counts its orders.
func countOrders(t *testing.T, path string) int {
	t.Helper()
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, n, err := db.OpenOrders(context.Background(), "s1", time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func ordersFile(t *testing.T, first, n int) string {
	var b strings.Builder
	b.WriteString("shop,order_id,amount,paid_at\n")
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, "s1,O%d,10,2026-11-24 08:00:00\n", i)
	}
	return writeFile(t, "orders.csv", b.String())
}

// TestBackupAndRestore runs backup against a serving bot, restore against
// it (refused: the bot holds the database) and after it (the backup is
// back, the replaced database kept), as an operator would.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "Shop One", "--platform", "douyin", "--channel", "C1")
	mustRun(t, db, "import", "orders", ordersFile(t, 0, 30))
	backup := filepath.Join(dir, "backup.db")
	api := httptest.NewServer(&fakeSlack{seen: make(chan struct{}, 100)})
	defer api.Close()

	serveOnce(t, db, api.URL+"/api/", func(base string) {
		out := mustRun(t, db, "backup", backup)
		if !strings.HasPrefix(out, "backed up "+db+" to "+backup+": 1 shops, 0 reviews, 30 orders (schema ") {
			t.Errorf("backup printed %q", out)
		}
		req, _ := http.NewRequest("POST", base+"/ingest/orders", strings.NewReader("shop,order_id,amount,paid_at\ns1,LATE,10,2026-11-24 08:00:00\n"))
		req.Header.Set("Authorization", "Bearer ingest-token")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
			t.Fatalf("ingest: %v %v", resp, err)
		}
		_, errOut, code := run(t, db, "", "restore", backup)
		if code != 1 || !strings.Contains(errOut, "is in use by another process (dsrbot serve, an import, a run or the sqlite3 shell): stop it, then restore") {
			t.Errorf("restore while serving: exit %d, %q", code, errOut)
		}
	})
	if n := countOrders(t, db); n != 31 {
		t.Fatalf("%d orders after a refused restore, want 31", n)
	}

	out := mustRun(t, db, "restore", backup)
	kept := db + ".before-restore-20261124T020000Z"
	if want := "restored " + backup + " into " + db + ": 1 shops, 0 reviews, 30 orders (schema "; !strings.HasPrefix(out, want) ||
		!strings.Contains(out, "the database it replaced is kept as "+kept) {
		t.Fatalf("restore printed %q", out)
	}
	if n := countOrders(t, db); n != 30 {
		t.Fatalf("%d orders after the restore, want the backup's 30", n)
	}
	if n := countOrders(t, kept); n != 31 {
		t.Fatalf("the kept database has %d orders, want 31", n)
	}
	// The restored database serves as before.
	mustRun(t, db, "import", "orders", ordersFile(t, 100, 5))
}

func TestBackupCommandLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "Shop One", "--platform", "douyin")
	existing := filepath.Join(dir, "existing.db")
	mustRun(t, db, "backup", existing)
	tests := []struct {
		db   string
		args []string
		code int
		want string
	}{
		{db, []string{"backup"}, 2, "backup needs one file to write"},
		{db, []string{"backup", "a.db", "b.db"}, 2, "backup needs one file to write"},
		{db, []string{"restore"}, 2, "restore needs the backup file"},
		{db, []string{"backup", existing}, 1, "dsrbot: " + existing + " already exists: name a new file, or add --force to replace it"},
		{filepath.Join(dir, "none.db"), []string{"backup", filepath.Join(dir, "x.db")}, 1, "dsrbot: there is no database at"},
		{db, []string{"restore", filepath.Join(dir, "missing.db")}, 1, "dsrbot: cannot read"},
		{db, []string{"restore", db}, 1, "is the database itself"},
		{"postgres://dsrbot@db/dsrbot", []string{"backup", filepath.Join(dir, "pg.db")}, 1, "back it up with pg_dump"},
		{"postgres://dsrbot@db/dsrbot", []string{"restore", existing}, 1, "back it up with pg_dump"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, errOut, code := run(t, tt.db, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d with %q", code, errOut, tt.code, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("a backup of a missing database created it")
	}
	if out := mustRun(t, db, "backup", "--force", existing); !strings.HasPrefix(out, "backed up ") {
		t.Fatalf("backup --force printed %q", out)
	}
}
