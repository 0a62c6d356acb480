package jobs_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/jobs"
	"github.com/dsrbot/dsrbot/storage/storagetest"
)

// BenchmarkPostgresDigestSweep300Shops is the 09:00 tick on PostgreSQL at
// the size: the digests of 300 bound shops over 2,000,000 orders
// built, rendered and enqueued (target: under 1 s). The outbox and the
// reviews' reported marks that earlier runs left are cleared first; each
// iteration is a new day, so every digest is new.
func BenchmarkPostgresDigestSweep300Shops(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)
	db, url := storagetest.BenchPostgres(b, now)
	raw, err := sql.Open("pgx", url)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DELETE FROM outbox; UPDATE reviews SET reported_at = NULL WHERE reported_at IS NOT NULL`); err != nil {
		b.Fatal(err)
	}
	start := now
	d := &jobs.Digests{Store: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Render: botRender{}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := d.Sweep(ctx, start.Add(time.Duration(i)*24*time.Hour))
		if err != nil || n != storagetest.BenchPGShops {
			b.Fatalf("sweep enqueued %d of %d: %v", n, storagetest.BenchPGShops, err)
		}
	}
}
