package bot_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/storage"
	"github.com/dsrbot/dsrbot/storage/storagetest"
)

// benchNow is the clock of the benchmarks: the day of the README's
// performance figures. The database is storagetest.Bench: 30 shops and
// 200,000 orders.
var benchNow = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)

func benchBot(db *storage.DB) *bot.Bot {
	return &bot.Bot{Store: db, Now: func() time.Time { return benchNow }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// BenchmarkCardToday builds and renders one shop's score card: every query
// of the day report and both renderings.
func BenchmarkCardToday(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "today dy-fashion", Local: true}); !strings.Contains(m.Text, "dy-fashion") {
			b.Fatal(m.Text)
		}
	}
}

// BenchmarkCardAllShops is `/dsr today` outside a shop's channel: 30
// day reports, one line each.
func BenchmarkCardAllShops(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "today", Local: true}); !strings.Contains(m.Text, "dy-fashion-05") {
			b.Fatal(m.Text)
		}
	}
}

// BenchmarkRecoverOne is `/dsr recover` of one Douyin shop: its window's
// bad reviews and late orders, by day and product, and both renderings.
func BenchmarkRecoverOne(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "recover dy-fashion", Local: true}); !strings.Contains(m.Text, "dy-fashion") {
			b.Fatal(m.Text)
		}
	}
}

// BenchmarkRecoverAllShops is `/dsr recover` across the 30 shops.
func BenchmarkRecoverAllShops(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "recover", Local: true}); !strings.Contains(m.Text, "all shops") {
			b.Fatal(m.Text)
		}
	}
}

// BenchmarkProductsOne is `/dsr products` of one shop: its orders and
// reviews of the window aggregated by product, ranked and rendered.
func BenchmarkProductsOne(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "products dy-fashion", Local: true}); !strings.Contains(m.Text, "连衣裙 L 黑色") {
			b.Fatal(m.Text)
		}
	}
}

// BenchmarkProductsAllShops is `/dsr products` outside a shop's channel:
// 30 shops' reports, the worst products of all of them.
func BenchmarkProductsAllShops(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "products", Local: true}); !strings.Contains(m.Text, "dy-fashion") {
			b.Fatal(m.Text)
		}
	}
}

// BenchmarkWhy is `/dsr why` of one shop: the scores compared, the
// window's bad reviews, the orders' aggregate and the rows listed, and
// both renderings.
func BenchmarkWhy(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "why dy-fashion", Local: true}); !strings.Contains(m.Text, "dy-fashion") {
			b.Fatal(m.Text)
		}
	}
}

// BenchmarkWhyAllShops is `/dsr why` outside a shop's channel: the why
// report of each of the 30 shops, one line per shop that fell.
func BenchmarkWhyAllShops(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "why", Local: true}); !strings.Contains(m.Text, "all shops") {
			b.Fatal(m.Text)
		}
	}
}
