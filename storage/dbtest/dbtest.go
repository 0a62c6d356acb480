// Package dbtest gives each test its own database: a SQLite file in the
// test's temp dir, or, when DSRBOT_TEST_POSTGRES names a PostgreSQL
// database, a fresh schema in it, so the storage and jobs suites run on
// both engines. A schema per test (reached through search_path) keeps
// tests isolated and safe in parallel, and is much cheaper to make than
// a database per test.
package dbtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver, to make and drop schemas
)

// Env names the PostgreSQL server the suites also run on.
const Env = "DSRBOT_TEST_POSTGRES"

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(Env) != "" }

// SkipOnPostgres skips a test that is SQLite's by nature (file backups,
// PRAGMAs, an old SQLite file), saying why.
func SkipOnPostgres(tb testing.TB, why string) {
	tb.Helper()
	if Postgres() {
		tb.Skip("SQLite only: " + why)
	}
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// Target is what storage.Open must open for this test: sqlitePath, or a
// new empty schema on the PostgreSQL server of DSRBOT_TEST_POSTGRES,
// dropped at cleanup. Opening the same target twice reaches the same
// database, as two processes would.
func Target(tb testing.TB, sqlitePath string) string {
	tb.Helper()
	base := os.Getenv(Env)
	if base == "" {
		return sqlitePath
	}
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", base)
		if adminErr == nil {
			adminErr = admin.Ping()
		}
	})
	if adminErr != nil {
		tb.Fatalf("%s: %v", Env, adminErr)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}
