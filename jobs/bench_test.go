package jobs_test

import (
	"bufio"
	"context"
	"encoding/json"
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
func BenchmarkDigestSweep30Shops(b *testing.B) { benchSweep(b, false) }

// BenchmarkDigestSweep30ShopsCharts is the same with each digest's 30-day
// chart drawn (the upload is a no-op: its time is Slack's).
func BenchmarkDigestSweep30ShopsCharts(b *testing.B) { benchSweep(b, true) }

// benchCharts draws a digest's chart as the command's adapter does.
type benchCharts struct{ db *storage.DB }

func (c benchCharts) DigestChart(ctx context.Context, s *storage.Shop, now time.Time) (*jobs.Chart, error) {
	h, err := c.db.ChartHistory(ctx, s, now, bot.DigestChartDays)
	if err != nil {
		return nil, err
	}
	img, err := bot.ChartImage(h, bot.DigestChartDays)
	if err != nil || img == nil {
		return nil, err
	}
	return &jobs.Chart{Name: img.Name, PNG: img.PNG, Alt: img.Alt}, nil
}

// noUpload stands for Slack's upload.
type noUpload struct{ n *int }

func (u noUpload) UploadChart(context.Context, jobs.Chart) (string, error) {
	*u.n++
	return fmt.Sprintf("F%08d", *u.n), nil
}

func benchSweep(b *testing.B, charts bool) {
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
	d := &jobs.Digests{Store: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Render: botRender{}}
	uploaded := 0
	if charts {
		d.Charts, d.Upload = benchCharts{db}, noUpload{&uploaded}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := d.Sweep(ctx, now.Add(time.Duration(i)*24*time.Hour))
		if err != nil || n != len(shops) {
			b.Fatalf("sweep enqueued %d of %d: %v", n, len(shops), err)
		}
	}
	if charts && uploaded != b.N*len(shops) {
		b.Fatalf("%d charts uploaded, want %d", uploaded, b.N*len(shops))
	}
}

// botRender renders with the real Block Kit renderer and keeps the blocks
// as JSON, as the command's renderer does.
type botRender struct{}

func (botRender) Digest(r *storage.DigestReport, chartFile string, scheduled time.Time, late bool) (jobs.Rendered, error) {
	return botRendered(bot.RenderDigestChart(r, chartFile, scheduled, late))
}

func (botRender) Shipments(r *storage.ShipmentReport) (jobs.Rendered, error) {
	return botRendered(bot.RenderShipments(r))
}

func botRendered(m bot.Message) (jobs.Rendered, error) {
	blocks, err := json.Marshal(m.Blocks)
	return jobs.Rendered{Text: m.Text, Blocks: blocks, Plain: m.Plain}, err
}

// noEnqueue leaves the warned states alone, so that every iteration of the
// shipments benchmark does the full read and render.
type noEnqueue struct{ *storage.DB }

func (noEnqueue) EnqueueShipments(context.Context, *storage.ShipmentReport, storage.OutboxMessage, time.Time) (bool, error) {
	return true, nil
}

// BenchmarkShipments30Shops1MOrders runs the shipments job over 30 bound
// shops holding 1,000,000 orders, 2,000 of them unshipped: it must read
// the open orders through their partial index, not scan.
func BenchmarkShipments30Shops1MOrders(b *testing.B) {
	const (
		shops  = 30
		orders = 1000000
		open   = 2000
	)
	ctx := context.Background()
	db, err := storage.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	for s := 0; s < shops; s++ {
		id := fmt.Sprintf("s%02d", s)
		if _, err := db.CreateShop(ctx, storage.Shop{ID: id, Name: id, Platform: storage.Douyin}, "Asia/Shanghai", now); err != nil {
			b.Fatal(err)
		}
		if _, err := db.BindChannel(ctx, id, "C"+id); err != nil {
			b.Fatal(err)
		}
	}
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 1<<16)
		fmt.Fprintln(w, "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at")
		for i := 0; i < orders; i++ {
			paid := now.Add(-time.Duration(i%(90*24*60)) * time.Minute)
			shipped := paid.Add(5 * time.Hour).Format(time.RFC3339)
			if i < open {
				// Unshipped, due from 10 h ago to 10 h ahead.
				paid = now.Add(-48*time.Hour + time.Duration(i%1200-600)*time.Minute)
				shipped = ""
			}
			fmt.Fprintf(w, "s%02d,%d,商品 %d,%d.00,%s,48h,,%s\n", i%shops, 7000000000+i, i%40, 50+i%200, paid.Format(time.RFC3339), shipped)
		}
		w.Flush()
		pw.Close()
	}()
	if _, err := db.Import(ctx, storage.KindOrders, "orders.csv", pr); err != nil {
		b.Fatal(err)
	}
	j := &jobs.Shipments{Store: noEnqueue{db}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Render: botRender{}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := j.Run(ctx, "", now)
		if err != nil || n != shops {
			b.Fatalf("warned %d shops of %d: %v", n, shops, err)
		}
	}
}
