package bot_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/storage"
)

var (
	benchOnce sync.Once
	benchDB   *storage.DB
	benchErr  error
	benchNow  = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
)

// benchStore is the demo scaled to 30 shops and 200,000 orders, built once
// per test binary (it takes several seconds).
func benchStore(b *testing.B) *storage.DB {
	benchOnce.Do(func() {
		// Shared by the benchmarks of this binary; the OS cleans temp.
		dir, err := os.MkdirTemp("", "dsrbot-bench")
		if err != nil {
			benchErr = err
			return
		}
		if benchDB, benchErr = storage.Open(filepath.Join(dir, "bench.db")); benchErr != nil {
			return
		}
		if _, benchErr = benchDB.Demo(context.Background(), storage.DemoOptions{Seed: 1, Shops: 30, Orders: 200000, TZ: "Asia/Shanghai"}, benchNow); benchErr != nil {
			return
		}
		// The signed requests come from workspace T1 (slashBody), which
		// must own the shops to see them.
		shops, err := benchDB.ListShops(context.Background())
		if err != nil {
			benchErr = err
			return
		}
		for _, s := range shops {
			if _, benchErr = benchDB.UpdateShop(context.Background(), s.ID, func(s *storage.Shop) { s.TeamID = "T1" }); benchErr != nil {
				return
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

func benchBot(db *storage.DB) *bot.Bot {
	return &bot.Bot{Store: db, Now: func() time.Time { return benchNow }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// BenchmarkCardToday builds and renders one shop's score card: every query
// of the day report and both renderings.
func BenchmarkCardToday(b *testing.B) {
	bt := benchBot(benchStore(b))
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
	bt := benchBot(benchStore(b))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m := bt.Handle(ctx, bot.Request{Text: "today", Local: true}); !strings.Contains(m.Text, "dy-fashion-05") {
			b.Fatal(m.Text)
		}
	}
}

// benchTrigger numbers the requests: Slack gives each its own trigger_id,
// so no two bodies, and no two signatures, are alike (a repeated signature
// is a replay, refused).
var benchTrigger atomic.Int64

// signedToday is a signed POST /slack/commands for `/dsr today dy-fashion`.
func signedToday(url string, at time.Time) *http.Request {
	body := slashBody("today dy-fashion", "C1", "http://127.0.0.1:1/respond") + "&trigger_id=" + strconv.FormatInt(benchTrigger.Add(1), 10)
	ts := strconv.FormatInt(at.Unix(), 10)
	req, _ := http.NewRequest("POST", url+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(secret, ts, body))
	return req
}

func benchServer(b *testing.B) *httptest.Server {
	db := benchStore(b)
	srv := &bot.Server{Bot: benchBot(db), Events: db, SigningSecret: secret, Now: func() time.Time { return benchNow },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	hs := httptest.NewServer(srv.Handler())
	b.Cleanup(hs.Close)
	return hs
}

// BenchmarkHTTPToday is the signed `/dsr today` round trip through the real
// HTTP handler on loopback: verify, parse, query, render, encode.
func BenchmarkHTTPToday(b *testing.B) {
	hs := benchServer(b)
	client := hs.Client()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := client.Do(signedToday(hs.URL, benchNow))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// BenchmarkHTTPTodayParallel is sustained load from one client with
// parallel connections: any error or non-200 fails it.
func BenchmarkHTTPTodayParallel(b *testing.B) {
	hs := benchServer(b)
	client := hs.Client()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Do(signedToday(hs.URL, benchNow))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}
