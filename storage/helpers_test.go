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

// shanghai is the default shop zone of the tests.
var shanghai = mustLocation("Asia/Shanghai")

// testNow is the fixed clock of every test: 2026-11-24 10:00 in Shanghai.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// newTestDB opens a fresh database, closed at cleanup: SQLite in a temp
// dir, or a schema of its own on DSRBOT_TEST_POSTGRES (dbtest.Target).
func newTestDB(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(dbtest.Target(tb, filepath.Join(tb.TempDir(), "t.db")))
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// mustCreateShop adds a shop in the default zone Asia/Shanghai.
func mustCreateShop(tb testing.TB, db *DB, id string, p Platform) *Shop {
	tb.Helper()
	s, err := db.CreateShop(context.Background(), Shop{ID: id, Name: "Shop " + id, Platform: p}, "Asia/Shanghai", testNow)
	if err != nil {
		tb.Fatalf("CreateShop(%s): %v", id, err)
	}
	return s
}

// shopOf reads a shop as a report's caller does, afresh each time, so a
// test that changes a shop's settings reports with the new ones.
func shopOf(tb testing.TB, db *DB, id string) *Shop {
	tb.Helper()
	s, err := db.FindShop(context.Background(), id)
	if err != nil {
		tb.Fatalf("FindShop(%s): %v", id, err)
	}
	return s
}

// importCSV imports an in-memory file.
func importCSV(db *DB, kind Kind, name, content string) (*ImportResult, error) {
	return db.Import(context.Background(), kind, name, strings.NewReader(content))
}

// mustImport imports an in-memory file that must be good, and checks the row count.
func mustImport(tb testing.TB, db *DB, kind Kind, content string, wantRows int) {
	tb.Helper()
	res, err := importCSV(db, kind, string(kind)+".csv", content)
	if err != nil {
		tb.Fatalf("Import %s: %v", kind, err)
	}
	if res.Rows != wantRows {
		tb.Fatalf("Import %s: Rows = %d, want %d", kind, res.Rows, wantRows)
	}
}

// dataTables are every table of the schema, with an order that makes a dump
// deterministic.
var dataTables = []struct{ name, order string }{
	{"shops", "id"},
	{"scores", "shop_id, date"},
	{"reviews", "id"},
	{"orders", "id"},
}

// tableCounts counts the rows of every table.
func tableCounts(tb testing.TB, db *DB) map[string]int {
	tb.Helper()
	m := make(map[string]int)
	for _, t := range dataTables {
		var n int
		if err := db.sql.QueryRow("SELECT count(*) FROM " + t.name).Scan(&n); err != nil {
			tb.Fatalf("count %s: %v", t.name, err)
		}
		m[t.name] = n
	}
	return m
}

// snapshot dumps every row of every table as text, so that two snapshots
// are equal exactly when the database content is.
func snapshot(tb testing.TB, db *DB) string {
	tb.Helper()
	var b strings.Builder
	for _, t := range dataTables {
		rows, err := db.sql.Query("SELECT * FROM " + t.name + " ORDER BY " + t.order)
		if err != nil {
			tb.Fatalf("dump %s: %v", t.name, err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&b, "== %s %v\n", t.name, cols)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatalf("dump %s: %v", t.name, err)
			}
			for i, v := range vals {
				if i > 0 {
					b.WriteByte('|')
				}
				switch v := v.(type) {
				case []byte:
					b.Write(v)
				case time.Time:
					b.WriteString(v.UTC().Format(time.RFC3339Nano))
				default:
					fmt.Fprint(&b, v)
				}
			}
			b.WriteByte('\n')
		}
		if err := rows.Err(); err != nil {
			tb.Fatalf("dump %s: %v", t.name, err)
		}
		rows.Close()
	}
	return b.String()
}

// asImportError returns err as an *ImportError or fails the test.
func asImportError(tb testing.TB, err error) *ImportError {
	tb.Helper()
	if err == nil {
		tb.Fatalf("Import succeeded, want an *ImportError")
	}
	var ie *ImportError
	if !errors.As(err, &ie) {
		tb.Fatalf("Import error %T %q, want an *ImportError", err, err)
	}
	return ie
}

// rfc formats a time for a CSV cell.
func rfc(t time.Time) string { return t.Format(time.RFC3339) }

// sameScore compares two scores value by value, absent values included.
func sameScore(a, b Score) bool { return scoreString(a) == scoreString(b) }

// scoreString shows a score with its absent values as "-".
func scoreString(s Score) string {
	v := func(f *float64) string {
		if f == nil {
			return "-"
		}
		return fmt.Sprint(*f)
	}
	return fmt.Sprintf("%s %s %s overall=%s product=%s logistics=%s service=%s", s.ShopID, s.Date, s.Stage, v(s.Overall), v(s.Product), v(s.Logistics), v(s.Service))
}
