// Package storagetest builds the databases that tests and benchmarks of
// the other packages start from: a real SQLite file in a temporary
// directory, the demo, and shops owned by a Slack workspace. It is for
// tests only; nothing outside _test.go files imports it.
package storagetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// Own gives every shop to Slack workspace team, as an admin does with
// `dsrbot shop set ID --team T…`: the demo's shops belong to none, and
// Slack may neither see nor change such a shop.
func Own(tb testing.TB, db *storage.DB, team string) {
	tb.Helper()
	if err := own(db, team); err != nil {
		tb.Fatal(err)
	}
}

func own(db *storage.DB, team string) error {
	ctx := context.Background()
	shops, err := db.ListShops(ctx)
	if err != nil {
		return err
	}
	for _, s := range shops {
		if _, err := db.UpdateShop(ctx, s.ID, func(s *storage.Shop) { s.TeamID = team }); err != nil {
			return err
		}
	}
	return nil
}

// BenchTeam is the workspace that owns the shops of Bench.
const BenchTeam = "T1"

var (
	benchOnce sync.Once
	benchDB   *storage.DB
	benchErr  error
)

// Bench is the demo scaled to 30 shops and 200,000 orders at now, its
// shops owned by BenchTeam: the database of the README's performance
// figures. It takes several seconds to build, so it is built once per
// test binary and shared by its benchmarks (the first caller's now
// decides); the OS cleans its temporary directory.
func Bench(tb testing.TB, now time.Time) *storage.DB {
	tb.Helper()
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "dsrbot-bench")
		if err != nil {
			benchErr = err
			return
		}
		if benchDB, benchErr = storage.Open(filepath.Join(dir, "bench.db")); benchErr != nil {
			return
		}
		if _, benchErr = benchDB.Demo(context.Background(), storage.DemoOptions{Seed: 1, Shops: 30, Orders: 200000, TZ: "Asia/Shanghai"}, now); benchErr != nil {
			return
		}
		benchErr = own(benchDB, BenchTeam)
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchDB
}
