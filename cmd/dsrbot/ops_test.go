package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// childEnv makes the test binary run the real main instead of the tests,
// with its real signal handling and exit status: the SIGTERM test and the
// replicas test start it as a child process.
const childEnv = "DSRBOT_TEST_MAIN"

// TestMain runs main in a child process the tests started (childEnv=1),
// else the tests. main exits by itself; the return is for a main that
// returns.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// waitFor polls cond until it holds, failing after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// After a slash command, an ingest and the catch-up digest, /metrics has
// each series with its count, and never the command's text.
func TestMetricsAfterCommandAndIngest(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "Shop One", "--platform", "douyin", "--channel", "C1", "--team", "T1")
	slack := &fakeSlack{seen: make(chan struct{}, 100)}
	api := httptest.NewServer(slack)
	defer api.Close()
	body := "team_id=T1&channel_id=C9&user_id=U1&command=%2Fdsr&text=" + url.QueryEscape("今天 Shop One") + "&response_url=" + url.QueryEscape(api.URL+"/respond")
	ts := strconv.FormatInt(now.Unix(), 10)
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write([]byte("v0:" + ts + ":" + body))

	serveOnce(t, db, api.URL+"/api/", func(base string) {
		req, _ := http.NewRequest("POST", base+"/slack/commands", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(raw), "s1") {
			t.Fatalf("slash command: %d %s", resp.StatusCode, raw)
		}
		req, _ = http.NewRequest("POST", base+"/ingest/orders", strings.NewReader("shop,order_id,amount,paid_at\ns1,O1,10,2026-11-24 08:00:00\ns1,O2,12,2026-11-24 08:10:00\n"))
		req.Header.Set("Authorization", "Bearer ingest-token")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
			t.Fatalf("ingest: %v %v", resp, err)
		}
		get(t, base+"/healthz")

		var metrics string
		waitFor(t, "the digest's delivery in /metrics", func() bool {
			_, metrics = get(t, base+"/metrics")
			return strings.Contains(metrics, `dsrbot_outbox_deliveries_total{kind="digest"} 1`)
		})
		for _, want := range []string{
			`dsrbot_http_requests_total{code="200",command="today",endpoint="commands"} 1`,
			`dsrbot_http_request_duration_seconds_count{command="today",endpoint="commands"} 1`,
			`dsrbot_http_requests_total{code="200",command="",endpoint="ingest"} 1`,
			`dsrbot_http_requests_total{code="200",command="",endpoint="healthz"} 1`,
			`dsrbot_imports_total{kind="orders",result="ok",source="ingest"} 1`,
			`dsrbot_import_rows_total{kind="orders",outcome="inserted",source="ingest"} 2`,
			`dsrbot_import_rows_total{kind="orders",outcome="updated",source="ingest"} 0`,
			`dsrbot_outbox_pending 0`,
			`dsrbot_outbox_oldest_pending_age_seconds 0`,
			`dsrbot_job_runs_total{job="digest",result="ok"}`,
			`dsrbot_job_duration_seconds_count{job="outbox"}`,
			`go_goroutines`,
		} {
			if !strings.Contains(metrics, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		for _, never := range []string{"Shop One", "今天", "dsrbot_slack_throttled_total 1"} {
			if strings.Contains(metrics, never) {
				t.Errorf("/metrics shows %q", never)
			}
		}
	})
}

// The outbox gauges read the database at each scrape: depth, and the age
// of the oldest waiting message on the injected clock.
func TestMetricsOutboxGauges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dsrbot.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.CreateShop(context.Background(), storage.Shop{ID: "s1", Name: "S", Platform: storage.Douyin}, "Asia/Shanghai", now); err != nil {
		t.Fatal(err)
	}
	for i, at := range []time.Time{now.Add(-90 * time.Second), now.Add(-30 * time.Second)} {
		m := storage.OutboxMessage{Key: fmt.Sprint("k", i), ShopID: "s1", Kind: "digest", Channel: fmt.Sprint("C", i), Text: "x", Blocks: "[]"}
		if _, err := db.Enqueue(context.Background(), m, at); err != nil {
			t.Fatal(err)
		}
	}
	met := newMetrics(db, func() time.Time { return now }, quietLog())
	rec := httptest.NewRecorder()
	met.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{"dsrbot_outbox_pending 2\n", "dsrbot_outbox_oldest_pending_age_seconds 90\n"} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// /readyz fails while migrations run (and the Slack endpoints answer 503
// meanwhile, while /healthz says the process lives), passes once the
// database is open, and fails again when the database stops answering.
func TestReadyz(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	env := map[string]string{"DSRBOT_DB": db, "DSRBOT_ADDR": "127.0.0.1:0", "SLACK_SIGNING_SECRET": "s3cret"}
	listening, ready := make(chan string, 1), make(chan string, 1)
	migrate := make(chan struct{})
	var logs bytes.Buffer
	m := &Main{
		Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &syncWriter{w: &logs},
		Now: func() time.Time { return now }, Listening: func(a string) { listening <- a }, Ready: func(a string) { ready <- a },
		open: func(path string) (*storage.DB, error) {
			<-migrate // migrations take as long as the test says
			return storage.Open(path)
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	base := "http://" + <-listening

	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "migrations") {
		t.Errorf("readyz while migrating: %d %q", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("healthz while migrating: %d, want 200 (alive)", code)
	}
	resp, err := http.Post(base+"/slack/commands", "application/x-www-form-urlencoded", strings.NewReader("command=%2Fdsr"))
	if err != nil || resp.StatusCode != 503 {
		t.Errorf("slash command while migrating: %v %v", resp, err)
	}
	close(migrate)
	<-ready
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Errorf("readyz when serving: %d %q", code, body)
	}
	m.db.Close() // the database goes away
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "unreachable") {
		t.Errorf("readyz without a database: %d %q", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// syncWriter is a writer safe for the log's concurrent writes.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// slowSlack is a fake Slack whose chat.postMessage waits for the test.
type slowSlack struct {
	mu      sync.Mutex
	posts   []string
	posting chan string
	release chan struct{}
}

func (f *slowSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	switch {
	case strings.HasSuffix(r.URL.Path, "/auth.test"):
		fmt.Fprint(w, `{"ok":true,"user_id":"UBOT"}`)
	case strings.HasSuffix(r.URL.Path, "/chat.postMessage"):
		f.posting <- r.Form.Get("channel")
		<-f.release
		f.mu.Lock()
		f.posts = append(f.posts, r.Form.Get("channel"))
		n := len(f.posts)
		f.mu.Unlock()
		fmt.Fprintf(w, `{"ok":true,"ts":"1700000000.%06d"}`, n)
	case strings.HasSuffix(r.URL.Path, "/conversations.history"):
		fmt.Fprint(w, `{"ok":true,"messages":[]}`)
	default:
		http.NotFound(w, r)
	}
}

// SIGTERM to a real `dsrbot serve` process: new connections are refused
// at once, the request in flight (an ingest whose body is still arriving)
// and the delivery in flight finish, the messages it had claimed and not
// tried are released for another replica, and it exits 0.
func TestSIGTERMStopsGracefully(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dsrbot.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	// A shop without a channel: no digest of its own gets in the way.
	if _, err := db.CreateShop(ctx, storage.Shop{ID: "s1", Name: "S", Platform: storage.Douyin}, "Asia/Shanghai", start); err != nil {
		t.Fatal(err)
	}
	for _, ch := range []string{"C1", "C2", "C3"} {
		m := storage.OutboxMessage{Key: "k:" + ch, ShopID: "s1", Kind: "digest", Channel: ch, Text: "x", Blocks: "[]"}
		if _, err := db.Enqueue(ctx, m, start.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	slack := &slowSlack{posting: make(chan string, 10), release: make(chan struct{})}
	api := httptest.NewServer(slack)
	defer api.Close()
	var released sync.Once
	defer released.Do(func() { close(slack.release) })

	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), childEnv+"=1", "DSRBOT_DB="+path, "DSRBOT_ADDR=127.0.0.1:0",
		"SLACK_BOT_TOKEN=xoxb-test", "SLACK_SIGNING_SECRET=s3cret", "SLACK_API_URL="+api.URL+"/api/", "DSRBOT_INGEST_TOKEN=tok")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var logs syncWriter
	var logBuf bytes.Buffer
	logs.w = &logBuf
	addrc := make(chan string, 1)
	addrRe := regexp.MustCompile(`msg=serving addr=(\S+)`)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			fmt.Fprintln(&logs, sc.Text())
			if m := addrRe.FindStringSubmatch(sc.Text()); m != nil {
				addrc <- m[1]
			}
		}
	}()
	var addr string
	select {
	case addr = <-addrc:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	// The sender has claimed the three channels' messages and is posting
	// the first, which Slack holds.
	first := <-slack.posting

	// An ingest in flight: its body arrives in two parts, SIGTERM between.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", "http://"+addr+"/ingest/orders", pr)
	req.Header.Set("Authorization", "Bearer tok")
	type answer struct {
		code int
		body string
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- answer{code: resp.StatusCode, body: string(raw)}
	}()
	fmt.Fprint(pw, "shop,order_id,amount,paid_at\ns1,O1,10,2026-11-24 08:00:00\n")
	time.Sleep(200 * time.Millisecond)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "new connections to be refused", func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	// Still in flight: the rest of the body arrives, and the answer is a
	// whole import; Slack answers the post in hand.
	fmt.Fprint(pw, "s1,O2,12,2026-11-24 08:10:00\n")
	pw.Close()
	released.Do(func() { close(slack.release) })
	a := <-answered
	if a.err != nil || a.code != 200 || !strings.Contains(a.body, `"rows":2`) {
		t.Errorf("ingest in flight: %d %q %v", a.code, a.body, a.err)
	}
	werr := make(chan error, 1)
	go func() { werr <- cmd.Wait() }()
	select {
	case err := <-werr:
		if err != nil {
			t.Fatalf("serve exited with %v, want 0\n%s", err, logBuf.String())
		}
	case <-time.After(25 * time.Second):
		t.Fatalf("serve did not exit within the grace\n%s", logBuf.String())
	}

	if n := len(slack.posts); n != 1 {
		t.Errorf("%d posts, want only the one in flight", n)
	}
	for _, ch := range []string{"C1", "C2", "C3"} {
		m, err := db.FindOutbox(ctx, "k:"+ch)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case ch == first:
			if m.SentAt == nil {
				t.Errorf("%s, the delivery in flight, is not marked sent", ch)
			}
		case m.SentAt != nil || m.ClaimedUntil != nil || m.ClaimedBy != "":
			t.Errorf("%s: still claimed (%q until %v) or sent after the stop", ch, m.ClaimedBy, m.ClaimedUntil)
		case m.Attempts != 1:
			t.Errorf("%s: %d attempts, want the 1 claim", ch, m.Attempts)
		}
	}
	if !strings.Contains(logBuf.String(), "released outbox claims") {
		t.Errorf("no release in the log:\n%s", logBuf.String())
	}
}
