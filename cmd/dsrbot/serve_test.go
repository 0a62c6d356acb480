package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSlack answers auth.test and records chat.postMessage calls.
type fakeSlack struct {
	mu    sync.Mutex
	posts []string // channel: text
	seen  chan struct{}
}

func (f *fakeSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	switch {
	case strings.HasSuffix(r.URL.Path, "/auth.test"):
		fmt.Fprint(w, `{"ok":true,"user_id":"UBOT"}`)
	case strings.HasSuffix(r.URL.Path, "/chat.postMessage"):
		f.mu.Lock()
		f.posts = append(f.posts, r.Form.Get("channel")+": "+r.Form.Get("text"))
		n := len(f.posts)
		f.mu.Unlock()
		f.seen <- struct{}{}
		fmt.Fprintf(w, `{"ok":true,"ts":"1700000000.%06d"}`, n)
	case strings.HasSuffix(r.URL.Path, "/conversations.history"):
		fmt.Fprint(w, `{"ok":true,"messages":[]}`)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeSlack) all() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.posts...)
}

// serveOnce runs `dsrbot serve` until check returns, then stops it.
func serveOnce(t *testing.T, db, apiURL string, check func(base string)) {
	t.Helper()
	env := map[string]string{
		"DSRBOT_DB": db, "DSRBOT_ADDR": "127.0.0.1:0", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s3cret",
		"SLACK_API_URL": apiURL, "DSRBOT_INGEST_TOKEN": "ingest-token",
	}
	ready := make(chan string, 1)
	var logs bytes.Buffer
	m := &Main{
		Getenv: func(k string) string { return env[k] },
		Stdin:  strings.NewReader(""), Stdout: io.Discard, Stderr: &logs,
		Now:   func() time.Time { return now }, // 10:00 in Shanghai: today's 09:00 digest is due
		Ready: func(addr string) { ready <- addr },
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	select {
	case addr := <-ready:
		check("http://" + addr)
	case err := <-done:
		t.Fatalf("serve ended early: %v\n%s", err, logs.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	m.Close()
	if strings.Contains(logs.String(), "xoxb-test") || strings.Contains(logs.String(), "s3cret") || strings.Contains(logs.String(), "ingest-token") {
		t.Fatal("a secret reached the log")
	}
}

func TestServeEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "Shop One", "--platform", "douyin", "--channel", "C1")
	slack := &fakeSlack{seen: make(chan struct{}, 100)}
	api := httptest.NewServer(slack)
	defer api.Close()

	serveOnce(t, db, api.URL+"/api/", func(base string) {
		resp, err := http.Get(base + "/healthz")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("healthz: %v %v", resp, err)
		}
		resp, _ = http.Post(base+"/slack/commands", "application/x-www-form-urlencoded", strings.NewReader("command=%2Fdsr&text=today"))
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("unsigned slash command: %d", resp.StatusCode)
		}
		req, _ := http.NewRequest("POST", base+"/ingest/orders", strings.NewReader("shop,order_id,amount,paid_at\ns1,O1,10,2026-11-24 08:00:00\n"))
		req.Header.Set("Authorization", "Bearer ingest-token")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
			t.Fatalf("ingest: %v %v", resp, err)
		}
		// The 09:00 digest was due before the bot started: it is caught up.
		select {
		case <-slack.seen:
		case <-time.After(20 * time.Second):
			t.Fatal("no digest was posted after start")
		}
	})
	posts := slack.all()
	if len(posts) != 1 || !strings.HasPrefix(posts[0], "C1: Morning digest · Shop One (s1) · 2026-11-24") || !strings.Contains(posts[0], "Late: this digest was due at 09:00") {
		t.Fatalf("posts after the first start: %q", posts)
	}

	// A restart the same morning does not post it again.
	serveOnce(t, db, api.URL+"/api/", func(base string) {
		if resp, err := http.Get(base + "/healthz"); err != nil || resp.StatusCode != 200 {
			t.Fatalf("healthz after restart: %v", err)
		}
	})
	if n := len(slack.all()); n != 1 {
		t.Fatalf("%d posts after a restart, want still 1", n)
	}
}
