package storage

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/dsrbot/dsrbot/storage/dbtest"
	"path/filepath"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestMigrateKeepsScores: a database written by the release before stages
// (every Douyin score imported with its overall and dimensions) opens with
// its scores intact, Douyin ones formal, Taobao ones without a stage, and
// the new columns in place.
func TestMigrateKeepsScores(t *testing.T) {
	dbtest.SkipOnPostgres(t, "it migrates an old SQLite file")
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	const before = 6 // the schema version of the previous release
	for i := 0; i < before; i++ {
		if _, err := raw.Exec(migrations[i]); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	for _, stmt := range []string{
		fmt.Sprintf(`PRAGMA user_version = %d`, before),
		`INSERT INTO shops (id, name, platform, tz, created_at) VALUES ('dy', 'D', 'douyin', 'Asia/Shanghai', '2026-11-01'), ('tb', 'T', 'taobao', 'Asia/Shanghai', '2026-11-01')`,
		`INSERT INTO scores VALUES ('dy', '2026-11-23', 71.2, 72, 70, 71), ('tb', '2026-11-23', NULL, 4.8, 4.7, 4.9)`,
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := func(v float64) *float64 { return &v }
	for shop, want := range map[string]Score{
		"dy": {ShopID: "dy", Date: "2026-11-23", Stage: StageFormal, Overall: f(71.2), Product: f(72), Logistics: f(70), Service: f(71)},
		"tb": {ShopID: "tb", Date: "2026-11-23", Product: f(4.8), Logistics: f(4.7), Service: f(4.9)},
	} {
		got, err := db.ScoreHistory(context.Background(), shop, "2026-11-23", "2026-11-23")
		if err != nil || len(got) != 1 || !sameScore(got[0], want) {
			t.Errorf("%s after migration: %v %v, want %s", shop, got, err, scoreString(want))
		}
	}
	// The new columns are there: a growth-stage day, a shop's gates.
	mustImport(t, db, KindScores, "shop,date,stage,overall\ndy,2026-11-24,growth,70\n", 1)
	if _, err := db.UpdateShop(context.Background(), "dy", func(s *Shop) { s.Gates = "精选联盟=75" }); err != nil {
		t.Fatal(err)
	}
	var version int
	db.sql.QueryRow(`PRAGMA user_version`).Scan(&version)
	if version != len(migrations) {
		t.Errorf("user_version = %d, want %d", version, len(migrations))
	}
}
