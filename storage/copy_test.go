package storage

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage/dbtest"
)

// TestCopyToPostgres: migrate-to copies every row of every table of a
// SQLite database, follow-up state and history, outbox, events and
// keywords included, into an empty PostgreSQL database; the copy reads
// the same; new rows get fresh ids; a second copy into it is refused.
func TestCopyToPostgres(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("needs " + dbtest.Env + ": copies into PostgreSQL")
	}
	ctx := context.Background()
	lite, err := Open(filepath.Join(t.TempDir(), "lite.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	lite.Now = func() time.Time { return testNow }
	if _, err := lite.Demo(ctx, DemoOptions{Seed: 1, Shops: 4, Orders: 3000}, testNow); err != nil {
		t.Fatal(err)
	}
	if err := lite.SetOwner(ctx, "dy-fashion", OwnerDefault, []string{"alice", "bo"}); err != nil {
		t.Fatal(err)
	}
	if err := lite.AddKeyword(ctx, "dy-fashion", "logistics", "顺丰"); err != nil {
		t.Fatal(err)
	}
	var rv Review
	if err := lite.gdb.Where("status = ?", StatusOpen).Order("id").First(&rv).Error; err != nil {
		t.Fatal(err)
	}
	if err := lite.AssignReview(ctx, rv.ID, "mei", Change{Actor: "alice", At: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := lite.Enqueue(ctx, OutboxMessage{Key: "digest:dy-fashion:x", ShopID: "dy-fashion", Kind: "digest", Channel: "C1", Text: "hi"}, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := lite.FirstDelivery(ctx, "Ev1", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := lite.FirstSignature(ctx, "v0=abc", testNow, 5*time.Minute, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := lite.RecordDigestChart(ctx, "digest:dy-fashion:x", "F0CHART01", testNow); err != nil {
		t.Fatal(err)
	}

	pg := newTestDB(t)
	res, err := lite.CopyTo(ctx, pg.target)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range copyOrder {
		if a, b := dumpTable(t, lite, table), dumpTable(t, pg, table); a != b {
			t.Errorf("table %s differs after the copy:\nsqlite   %.300s\npostgres %.300s", table, a, b)
		}
		if res.Rows[table] == 0 {
			t.Errorf("table %s: nothing copied; the test should fill every table", table)
		}
	}
	if _, err := pg.Enqueue(ctx, OutboxMessage{Key: "digest:dy-fashion:y", ShopID: "dy-fashion", Kind: "digest", Channel: "C1", Text: "next"}, testNow); err != nil {
		t.Errorf("a new row after the copy: %v", err)
	}
	_, err = lite.CopyTo(ctx, pg.target)
	var se *Error
	if !errors.As(err, &se) || se.Code != ECONFLICT || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second copy: %v, want ECONFLICT not empty", err)
	}
}

// dumpTable prints a table's rows in key order, a flag as 0/1 and a time
// in UTC, so that the two engines' dumps of the same rows are equal.
func dumpTable(t *testing.T, db *DB, table string) string {
	t.Helper()
	cols, err := db.columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.sql.Query(`SELECT * FROM ` + table + ` ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	fmt.Fprintln(&b, cols[table])
	n := len(cols[table])
	for rows.Next() {
		vals := make([]any, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			switch v := v.(type) {
			case time.Time:
				b.WriteString(v.UTC().Format(time.RFC3339))
			case bool:
				if v {
					b.WriteString("1")
				} else {
					b.WriteString("0")
				}
			case []byte:
				b.Write(v)
			default:
				fmt.Fprint(&b, v)
			}
			b.WriteByte('|')
		}
		b.WriteByte('\n')
	}
	return b.String()
}
