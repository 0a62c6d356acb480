package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/jobs"
	"github.com/dsrbot/dsrbot/storage"
)

// BenchmarkDigestSweep30Shops builds, renders (with the real Block Kit
// renderer) and enqueues the digests of 30 bound shops on the demo scaled
// to 200,000 orders: the work of the 09:00 tick. Each iteration is a new
// day, so every digest is new.
func BenchmarkDigestSweep30Shops(b *testing.B) {
	ctx := context.Background()
	db, err := storage.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)
	if _, err := db.Demo(ctx, storage.DemoOptions{Seed: 1, Shops: 30, Orders: 200000, TZ: "Asia/Shanghai"}, now); err != nil {
		b.Fatal(err)
	}
	shops, _ := db.ListShops(ctx)
	for i, s := range shops {
		if _, err := db.BindChannel(ctx, s.ID, fmt.Sprintf("C%03d", i)); err != nil {
			b.Fatal(err)
		}
	}
	d := &jobs.Digests{Store: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Render: func(r *storage.DigestReport, scheduled time.Time, late bool) (jobs.Rendered, error) {
		text, blocks, err := bot.RenderDigestJSON(r, scheduled, late)
		return jobs.Rendered{Text: text, Blocks: blocks}, err
	}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := d.Sweep(ctx, now.Add(time.Duration(i)*24*time.Hour))
		if err != nil || n != len(shops) {
			b.Fatalf("sweep enqueued %d of %d: %v", n, len(shops), err)
		}
	}
}
