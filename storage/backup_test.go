package storage

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/dsrbot/dsrbot/storage/dbtest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// ordersBatch is a canonical orders file of n new orders for shop dy1,
// numbered from first.
func ordersBatch(first, n int) string {
	var b strings.Builder
	b.WriteString(ordersHeader)
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, "dy1,B%07d,商品,9.90,2026-11-20 10:00:00,48h,,,\n", i)
	}
	return b.String()
}

// TestBackupWhileWriting takes backups while another connection imports
// orders in a loop, 50 to a transaction: every copy opens, passes SQLite's
// integrity check and holds whole transactions only, and the writer is
// never refused for the backup.
func TestBackupWhileWriting(t *testing.T) {
	dbtest.SkipOnPostgres(t, "backup copies a SQLite file")
	const batch = 50
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustCreateShop(t, db, "dy1", Douyin)
	mustImport(t, db, KindOrders, ordersBatch(0, 20000), 20000) // enough for a copy to take a while

	stop := make(chan struct{})
	first := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	var written int
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 20000; ; n += batch {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := importCSV(db, KindOrders, "loop.csv", ordersBatch(n, batch)); err != nil {
				writeErr = err
				return
			}
			if written++; written == 1 {
				close(first)
			}
		}
	}()
	<-first
	counts := map[int]bool{}
	for i := 0; i < 4; i++ {
		dest := filepath.Join(dir, fmt.Sprintf("copy%d.db", i))
		res, err := Backup(ctx, path, dest, false)
		if err != nil {
			close(stop)
			wg.Wait()
			t.Fatalf("backup %d: %v", i, err)
		}
		if res.Orders%batch != 0 || res.Shops != 1 || res.SchemaVersion != len(migrations) || res.Bytes == 0 {
			t.Errorf("backup %d = %+v: not whole transactions", i, res)
		}
		counts[res.Orders] = true
		// The copy is a database dsrbot opens, and it says the same.
		cp, err := Open(dest)
		if err != nil {
			t.Fatalf("open backup %d: %v", i, err)
		}
		var n int
		var verdict string
		cp.sql.QueryRow(`SELECT count(*) FROM orders`).Scan(&n)
		cp.sql.QueryRow(`PRAGMA integrity_check`).Scan(&verdict)
		cp.Close()
		if n != res.Orders || verdict != "ok" {
			t.Errorf("backup %d holds %d orders (reported %d), integrity %q", i, n, res.Orders, verdict)
		}
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("the writer failed during the backups: %v", writeErr)
	}
	t.Logf("%d transactions written during the backups; the copies held %d distinct order counts", written, len(counts))
}

func TestBackupRefusals(t *testing.T) {
	dbtest.SkipOnPostgres(t, "backup copies a SQLite file")
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreateShop(t, db, "dy1", Douyin)
	db.Close()
	existing := filepath.Join(dir, "existing.db")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	notDsrbot := filepath.Join(dir, "other.db")
	raw, _ := sql.Open("sqlite3", notDsrbot)
	raw.Exec(`CREATE TABLE t (x)`)
	raw.Close()

	tests := []struct {
		name, src, dest string
		force           bool
		code, want      string
	}{
		{"existing file", path, existing, false, ECONFLICT, "already exists: name a new file, or add --force"},
		{"the database itself", path, path, true, EINVALID, "is the database itself"},
		{"no database", filepath.Join(dir, "missing.db"), filepath.Join(dir, "b1.db"), false, ENOTFOUND, "there is no database at"},
		{"not dsrbot", notDsrbot, filepath.Join(dir, "b2.db"), false, EINVALID, "is not a dsrbot database"},
		{"no such directory", path, filepath.Join(dir, "nowhere", "b.db"), false, EINVALID, "cannot write beside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Backup(ctx, tt.src, tt.dest, tt.force)
			if ErrorCode(err) != tt.code || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Fatalf("Backup = %v (%s), want %s with %q", err, ErrorCode(err), tt.code, tt.want)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Fatal("a refused backup changed the existing file")
	}
	if res, err := Backup(ctx, path, existing, true); err != nil || res.Shops != 1 {
		t.Fatalf("--force: %+v, %v", res, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

// TestRestore: a backup goes back in place of the database, the replaced
// one is kept, and a database in use is refused and left as it was.
func TestRestore(t *testing.T) {
	dbtest.SkipOnPostgres(t, "restore replaces a SQLite file")
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreateShop(t, db, "dy1", Douyin)
	mustImport(t, db, KindOrders, ordersBatch(0, 300), 300)
	want := snapshot(t, db)
	backup := filepath.Join(dir, "backup.db")
	if _, err := Backup(ctx, path, backup, false); err != nil {
		t.Fatal(err)
	}
	mustImport(t, db, KindOrders, ordersBatch(300, 200), 200)
	changed := snapshot(t, db)

	// In use: db holds it open (idle, as a serving bot's pool does).
	_, err = Restore(ctx, backup, path, testNow)
	if ErrorCode(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), "is in use by another process") {
		t.Fatalf("Restore while in use = %v", err)
	}
	if snapshot(t, db) != changed {
		t.Fatal("a refused restore changed the database")
	}
	db.Close()

	res, err := Restore(ctx, backup, path, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Orders != 300 || res.Shops != 1 || res.MigratedFrom != 0 || !strings.HasSuffix(res.Kept, "live.db.before-restore-20261124T020000Z") {
		t.Fatalf("Restore = %+v", res)
	}
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, db); got != want {
		t.Fatal("the restored database differs from the backup")
	}
	// Restored, it is an ordinary database: writable, and held again.
	mustImport(t, db, KindOrders, ordersBatch(300, 1), 1)
	if _, err := Restore(ctx, backup, path, testNow.Add(time.Hour)); ErrorCode(err) != ECONFLICT {
		t.Fatalf("Restore while the restored database is in use = %v", err)
	}
	db.Close()
	kept, err := Open(res.Kept)
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	if snapshot(t, kept) != changed {
		t.Fatal("the kept database is not the one the restore replaced")
	}

	// Into a path with no database yet: nothing to keep.
	fresh := filepath.Join(dir, "fresh.db")
	if res, err := Restore(ctx, backup, fresh, testNow); err != nil || res.Kept != "" || res.Orders != 300 {
		t.Fatalf("Restore into a new path = %+v, %v", res, err)
	}
}

// TestRestoreRefusesWhatItCannotRun: only an intact dsrbot database of a
// schema this binary knows is restored; an older one is migrated.
func TestRestoreRefusesWhatItCannotRun(t *testing.T) {
	dbtest.SkipOnPostgres(t, "restore replaces a SQLite file")
	ctx := context.Background()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	db, err := Open(good)
	if err != nil {
		t.Fatal(err)
	}
	mustCreateShop(t, db, "dy1", Douyin)
	mustImport(t, db, KindOrders, ordersBatch(0, 2000), 2000)
	db.Close()
	raw := func(name string, stmts ...string) string {
		p := filepath.Join(dir, name)
		r, err := sql.Open("sqlite3", p)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for _, s := range stmts {
			if _, err := r.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		return p
	}
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte(strings.Repeat("not a database\n", 500)), 0o644)
	newer := filepath.Join(dir, "newer.db")
	if _, err := Backup(ctx, good, newer, false); err != nil {
		t.Fatal(err)
	}
	raw("newer.db", fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations)+1))
	damaged := filepath.Join(dir, "damaged.db")
	if _, err := Backup(ctx, good, damaged, false); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(damaged, os.O_RDWR, 0)
	f.WriteAt([]byte(strings.Repeat("\xff", 8192)), 3*4096)
	f.Close()
	old := raw("old.db", append(append([]string{}, migrations[:6]...), `PRAGMA user_version = 6`,
		`INSERT INTO shops (id, name, platform, tz, created_at) VALUES ('dy', 'D', 'douyin', 'Asia/Shanghai', '2026-11-01')`)...)

	tests := []struct{ name, src, want string }{
		{"missing", filepath.Join(dir, "missing.db"), "cannot read"},
		{"text file", text, "is not a SQLite database"},
		{"other SQLite database", raw("other.db", `CREATE TABLE t (x)`), "is not a dsrbot database"},
		{"newer schema", newer, fmt.Sprintf("has schema version %d, newer than this dsrbot (%d)", len(migrations)+1, len(migrations))},
		{"damaged", damaged, "is damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "dst.db")
			_, err := Restore(ctx, tt.src, dst, testNow)
			if err == nil || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Fatalf("Restore(%s) = %v, want %q", tt.name, err, tt.want)
			}
			if _, err := os.Stat(dst); err == nil {
				t.Fatal("a refused restore created the database")
			}
		})
	}
	res, err := Restore(ctx, old, filepath.Join(dir, "dst.db"), testNow)
	if err != nil || res.MigratedFrom != 6 || res.SchemaVersion != len(migrations) || res.Shops != 1 {
		t.Fatalf("Restore of an older schema = %+v, %v", res, err)
	}
	if _, err := Restore(ctx, good, good, testNow); ErrorCode(err) != EINVALID {
		t.Fatalf("Restore of the database onto itself = %v", err)
	}
}

// TestRestoreOverADamagedDatabase: restoring is how one recovers from a
// damaged database; dsrbot says to move it aside first rather than write
// into a file SQLite cannot read.
func TestRestoreOverADamagedDatabase(t *testing.T) {
	dbtest.SkipOnPostgres(t, "restore replaces a SQLite file")
	ctx := context.Background()
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	db, err := Open(backup)
	if err != nil {
		t.Fatal(err)
	}
	mustCreateShop(t, db, "dy1", Douyin)
	db.Close()
	path := filepath.Join(dir, "live.db")
	os.WriteFile(path, []byte(strings.Repeat("garbage ", 1000)), 0o644)
	_, err = Restore(ctx, backup, path, testNow)
	if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "is damaged") || !strings.Contains(ErrorMessage(err), "move it aside, then restore again") {
		t.Fatalf("Restore over garbage = %v", err)
	}
	os.Rename(path, path+".broken")
	if res, err := Restore(ctx, backup, path, testNow); err != nil || res.Shops != 1 {
		t.Fatalf("Restore after moving it aside = %+v, %v", res, err)
	}
}
