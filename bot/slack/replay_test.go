package slack_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/storage"
)

// A signed request replayed byte for byte inside the 5-minute window is
// refused (401) and changes nothing: the case is a "done" replayed
// after a "reopen". The same text signed afresh is a new request and is
// accepted; a fresh delivery of an event already acted on is Slack's retry,
// acknowledged and not acted on twice (event_id).
func TestTransportReplayIsRefused(t *testing.T) {
	tests := []struct {
		name        string
		path, ctype string
		body        func(e *trEnv, rv storage.Review) string
		// freshActs: the same body signed afresh acts again (false for an
		// event, whose event_id was spent).
		freshActs bool
	}{
		{"slash command", "/slack/commands", trFormType, func(e *trEnv, rv storage.Review) string {
			return trSlash("done "+rv.ReviewID+" refund", trAlice, "C1", e.fake.ResponseURL("done"))
		}, true},
		{"button", "/slack/interactions", trFormType, func(e *trEnv, rv storage.Review) string {
			return trAction(trBo, e.fake.ResponseURL("resolve"), trResolve("dy-fashion", rv.ReviewID, "refund"))
		}, true},
		{"event", "/slack/events", trJSONType, func(e *trEnv, rv storage.Review) string {
			return trMention("EvDONE", trAlice, "", "<@UBOT> done "+rv.ReviewID+" refund", "1764000000.000100", "")
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := trNewEnv(t)
			rv := e.openReview("dy-fashion")
			body := tt.body(e, rv)
			first := trNow.Add(-time.Minute)
			status := func() string {
				e.srv.Wait()
				return e.review("dy-fashion", rv.ReviewID).Status
			}
			if code, _, got := e.do(e.requestAt(tt.path, tt.ctype, body, first)); code != http.StatusOK {
				t.Fatalf("first delivery: %d %s", code, got)
			}
			if s := status(); s != storage.StatusDone {
				t.Fatalf("after done: %q", s)
			}
			if got, _ := e.slashFrom("T1", "reopen "+rv.ReviewID, trAlice, "C1"); !strings.Contains(got, "is open again") {
				t.Fatalf("reopen: %q", got)
			}
			before := e.state()
			// The same bytes, the same headers: a replay.
			code, _, got := e.do(e.requestAt(tt.path, tt.ctype, body, first))
			if code != http.StatusUnauthorized {
				t.Errorf("replay: %d %q, want 401", code, got)
			}
			if strings.Contains(got, "replay") || strings.Contains(got, "signature") {
				t.Errorf("the refusal explains itself to a prober: %q", got)
			}
			if s := status(); s != storage.StatusOpen {
				t.Errorf("the replayed done closed the reopened review: %q", s)
			}
			if after := e.state(); after != before {
				t.Errorf("a replay changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			if !strings.Contains(e.log.String(), "why=\"replayed signature\"") {
				t.Errorf("the replay is not in the log:\n%s", e.log.String())
			}
			// The same text, signed afresh.
			if code, _, got := e.do(e.requestAt(tt.path, tt.ctype, body, trNow)); code != http.StatusOK {
				t.Fatalf("fresh delivery: %d %s", code, got)
			}
			want := storage.StatusOpen
			if tt.freshActs {
				want = storage.StatusDone
			}
			if s := status(); s != want {
				t.Errorf("after the fresh delivery: %q, want %q", s, want)
			}
		})
	}
}

// Replicas share one database: the same signed request sent to two servers
// at once, each on its own connection pool to the file, is accepted once.
func TestTransportReplayAcrossReplicas(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	replica, err := storage.Open(e.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Close() })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := func() time.Time { return trNow }
	srv2 := &slack.Server{
		Bot: &bot.Bot{Store: replica, Now: clock, Log: quiet}, Poster: e.client, Events: replica, Replays: replica,
		SigningSecret: trSecret, BotUserID: "UBOT", Now: clock, Log: quiet,
	}
	hs2 := httptest.NewServer(srv2.Handler())
	t.Cleanup(hs2.Close)
	t.Cleanup(srv2.Wait)

	body := trSlash("done "+rv.ReviewID+" refund", trAlice, "C1", e.fake.ResponseURL("done"))
	const copies = 8
	reqs := make([]*http.Request, copies)
	for i := range reqs {
		reqs[i] = e.request("/slack/commands", trFormType, body)
		if i%2 == 1 {
			u := *reqs[i].URL
			u.Host = strings.TrimPrefix(hs2.URL, "http://")
			reqs[i].URL, reqs[i].Host = &u, u.Host
		}
	}
	start := make(chan struct{})
	codes := make([]int, copies)
	var wg sync.WaitGroup
	for i := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := http.DefaultClient.Do(reqs[i])
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	accepted, refused := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			accepted++
		case http.StatusUnauthorized:
			refused++
		}
	}
	if accepted != 1 || refused != copies-1 {
		t.Errorf("codes %v: %d accepted, %d refused; want 1 and %d", codes, accepted, refused, copies-1)
	}
	hist, err := e.db.ReviewHistory(context.Background(), rv.ID)
	if err != nil {
		t.Fatal(err)
	}
	closes := 0
	for _, h := range hist {
		if h.Action == "closed" {
			closes++
		}
	}
	if closes != 1 {
		t.Errorf("the review was closed %d times: %+v", closes, hist)
	}
}
