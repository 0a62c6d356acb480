package slack_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
)

// The Web API client of the environment (the one the server posts with)
// against the fake Slack, end to end: Slack's failures in a row, and never
// a message twice. poster_test.go has the client's rules one by one.

// TestPostRetriesWithoutDuplicates runs the three failures Slack answers a
// post with, one after another on one client: a rate limit, a message
// stored then a 500, a 502 with nothing stored.
func TestPostRetriesWithoutDuplicates(t *testing.T) {
	e := trNewEnv(t)
	ctx := context.Background()
	msg := bot.Message{Text: "hello"}
	inChannel := func(ch string) []string {
		var ts []string
		for _, p := range e.fake.Posts() {
			if p.Channel == ch {
				ts = append(ts, p.TS)
			}
		}
		return ts
	}

	// 429 three times, then success: posted once, each wait Retry-After.
	for range 3 {
		e.fake.FailNext(http.StatusTooManyRequests, 1)
	}
	if _, err := e.client.Post(ctx, "C1", "", msg); err != nil {
		t.Fatal(err)
	}
	if n, w := len(e.fake.Posts()), e.sleeps.all(); n != 1 || !slices.Equal(w, []time.Duration{time.Second, time.Second, time.Second}) {
		t.Fatalf("after 3 × 429: %d posts, waits %v", n, w)
	}
	// Slack takes the message but answers 500: the retry finds it by its
	// key instead of posting again.
	e.fake.FailAfterStore(http.StatusInternalServerError)
	ts, err := e.client.Post(ctx, "C2", "", msg)
	if err != nil {
		t.Fatal(err)
	}
	if got := inChannel("C2"); len(got) != 1 || got[0] != ts {
		t.Fatalf("after a stored-then-500: posts in C2 %v, want [%s]", got, ts)
	}
	// A 502 with nothing stored: posted again, once.
	e.fake.FailNext(http.StatusBadGateway, 0)
	if _, err := e.client.Post(ctx, "C3", "", msg); err != nil {
		t.Fatal(err)
	}
	if got := inChannel("C3"); len(got) != 1 {
		t.Fatalf("after a 502: %d posts in C3", len(got))
	}
}

// A reminder goes to a person: the client posts to their direct-message
// channel and finds it there again, so a retry does not post twice.
func TestDirectMessageDeliveredOnce(t *testing.T) {
	e := trNewEnv(t)
	ctx := context.Background()
	e.fake.FailAfterStore(http.StatusServiceUnavailable)
	const key = "remind:s:R1:" + trAlice + ":1"
	if _, err := e.client.Deliver(ctx, trAlice, key, "R1 is overdue", []byte("[]")); err == nil {
		t.Fatal("a 503 was reported as delivered")
	}
	ts, found, err := e.client.Delivered(ctx, trAlice, key, trNow.Add(-time.Hour))
	if err != nil || !found || ts == "" {
		t.Fatalf("Delivered = %q, %v, %v; want the stored DM found", ts, found, err)
	}
	if posts := e.fake.Posts(); len(posts) != 1 || posts[0].Channel != "D"+trAlice {
		t.Fatalf("posts = %+v, want one in the DM channel", posts)
	}
}
