package bot_test

import (
	"context"
	"testing"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/storage/storagetest"
)

// BenchmarkChartShop90d is `/dsr chart dy-fashion 90d`: the history query,
// the chart's data and its PNG.
func BenchmarkChartShop90d(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "chart dy-fashion 90d", Local: true}); m.Image == nil {
			b.Fatal(m.Plain)
		}
	}
}

// BenchmarkChartAllShops is `/dsr chart` outside a shop's channel: the
// heat map of 30 shops over 30 days.
func BenchmarkChartAllShops(b *testing.B) {
	bt := benchBot(storagetest.Bench(b, benchNow))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "chart", Local: true}); m.Image == nil {
			b.Fatal(m.Plain)
		}
	}
}
