package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/storage/storagetest"
)

// The score card on PostgreSQL at the size: 300 shops, 2,000,000
// orders (storagetest.BenchPostgres; skipped unless DSRBOT_BENCH_POSTGRES
// names a database). Targets: 5 ms for one shop, 150 ms for all of them.

func BenchmarkPostgresCardToday(b *testing.B) {
	db, _ := storagetest.BenchPostgres(b, benchNow)
	bt := benchBot(db)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "today dy-fashion", Local: true}); !strings.Contains(m.Text, "dy-fashion") {
			b.Fatal(m.Text)
		}
	}
}

func BenchmarkPostgresCardAllShops(b *testing.B) {
	db, _ := storagetest.BenchPostgres(b, benchNow)
	bt := benchBot(db)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "today", Local: true}); !strings.Contains(m.Text, "dy-fashion-05") {
			b.Fatal(m.Text)
		}
	}
}
