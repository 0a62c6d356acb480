package slack_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/storage/storagetest"
)

// benchNow is the clock of the benchmarks: the day of the README's
// performance figures.
var benchNow = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)

// benchTrigger numbers the requests: Slack gives each its own trigger_id,
// so no two bodies, and no two signatures, are alike (a repeated signature
// is a replay, refused).
var benchTrigger atomic.Int64

// signedToday is a signed POST /slack/commands for `/dsr today dy-fashion`.
func signedToday(url string, at time.Time) *http.Request {
	body := trSlash("today dy-fashion", trAlice, "C1", "http://127.0.0.1:1/respond") + "&trigger_id=" + strconv.FormatInt(benchTrigger.Add(1), 10)
	req, _ := trSignedRequest(url+"/slack/commands", trFormType, body, at)
	return req
}

func benchServer(b *testing.B) *httptest.Server {
	db := storagetest.Bench(b, benchNow)
	bt := &bot.Bot{Store: db, Now: func() time.Time { return benchNow }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := &slack.Server{Bot: bt, Events: db, SigningSecret: trSecret, Now: func() time.Time { return benchNow },
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
