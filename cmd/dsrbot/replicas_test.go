package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
	"github.com/dsrbot/dsrbot/storage"
	"github.com/dsrbot/dsrbot/storage/dbtest"
)

// replicaEnv makes the test binary run the real main instead of the tests
// (TestMain): TestReplicas starts it twice as two `dsrbot serve` replicas.
const replicaEnv = childEnv

// TestReplicas: two `dsrbot serve` processes on one PostgreSQL database,
// against the fake Slack. A retried event that reaches the other replica
// is acted on once; twenty shops' due digests are each posted exactly
// once, although one replica is killed (SIGKILL) right after Slack took
// one of its messages and before it could record it: the other replica
// takes over its claims when their lease ends, finds that message in the
// channel and posts only the rest.
func TestReplicas(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("needs " + dbtest.Env + ": replicas share a PostgreSQL database")
	}
	ctx := context.Background()
	target := dbtest.Target(t, "")
	db, err := storage.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	const shops = 20
	for i := 1; i <= shops; i++ {
		// Zone UTC, digest at midnight: due by now, whenever the test runs.
		s := storage.Shop{ID: fmt.Sprintf("s%02d", i), Name: fmt.Sprintf("Shop %d", i), Platform: storage.Douyin,
			Channel: fmt.Sprintf("C%02d", i), DigestCron: "0 0 * * *"}
		if _, err := db.CreateShop(ctx, s, "UTC", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	fake := slacktest.New()
	defer fake.Close()
	upstream, _ := url.Parse(fake.URL())
	upstream.Path = ""
	rp := httputil.NewSingleHostReverseProxy(upstream)

	// The proxy in front of the fake Slack tells the replicas apart (each
	// has its own SLACK_API_URL), holds the digests until the event part
	// is done, and kills the first replica to post a digest once Slack
	// has stored it, before the replica hears back.
	var (
		mu       sync.Mutex
		procs    = map[string]*exec.Cmd{}
		victim   string
		release  = make(chan struct{})
		digestBy = map[string]int{}
	)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		replica, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		r.URL.Path = "/" + rest
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !strings.HasSuffix(rest, "chat.postMessage") || strings.Contains(string(body), "C99") {
			rp.ServeHTTP(w, r)
			return
		}
		<-release
		mu.Lock()
		kill := victim == ""
		if kill {
			victim = replica
		}
		digestBy[replica]++
		mu.Unlock()
		if !kill {
			time.Sleep(100 * time.Millisecond) // deliveries take a while, so both replicas claim
			rp.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		rp.ServeHTTP(rec, r.WithContext(context.Background()))
		mu.Lock()
		procs[replica].Process.Signal(syscall.SIGKILL)
		mu.Unlock()
		panic(http.ErrAbortHandler)
	}))
	defer proxy.Close()

	addrs := map[string]string{}
	logs := map[string]*bytes.Buffer{}
	for _, name := range []string{"a", "b"} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addrs[name] = ln.Addr().String()
		ln.Close()
		cmd := exec.Command(os.Args[0], "serve")
		cmd.Env = append(os.Environ(), replicaEnv+"=1", "DSRBOT_DB="+target, "DSRBOT_ADDR="+addrs[name],
			"SLACK_BOT_TOKEN=xoxb-replica", "SLACK_SIGNING_SECRET=s3cret", "SLACK_API_URL="+proxy.URL+"/"+name+"/api/",
			"DSRBOT_LEASE=3s")
		logs[name] = &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = logs[name], logs[name]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		procs[name] = cmd
		mu.Unlock()
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	for name, addr := range addrs {
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := http.Get("http://" + addr + "/readyz")
			if err == nil && resp.StatusCode == 200 {
				resp.Body.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("replica %s did not come up: %v\n%s", name, err, logs[name])
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// A mention delivered to a, then retried by Slack (signed anew) to b.
	event := mentionEvent("EvREPLICA", "<@UBOT> today s01")
	for i, name := range []string{"a", "b"} {
		// Slack signs the retry when it sends it, seconds later.
		req := signedRequest(t, "http://"+addrs[name]+"/slack/events", event, time.Now().Add(time.Duration(i-1)*3*time.Second))
		if i > 0 {
			req.Header.Set("X-Slack-Retry-Num", "1")
			req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("event to %s: %v %v", name, resp, err)
		}
		resp.Body.Close()
	}
	time.Sleep(time.Second) // let either reply go out
	if got := postsTo(fake, "C99"); len(got) != 1 {
		t.Errorf("%d replies to one event delivered to both replicas, want 1", len(got))
	}

	close(release)
	deadline := time.Now().Add(60 * time.Second)
	for len(postsTo(fake, "")) < shops && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // anything posted twice would show by now
	count := map[string]int{}
	for _, p := range fake.Posts() {
		if p.Channel != "C99" {
			count[p.Channel]++
		}
	}
	for i := 1; i <= shops; i++ {
		if c := fmt.Sprintf("C%02d", i); count[c] != 1 {
			t.Errorf("channel %s got %d digests, want 1", c, count[c])
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if victim == "" {
		t.Fatal("no replica was killed")
	}
	if err := procs[victim].Wait(); err == nil {
		t.Errorf("replica %s was not killed", victim)
	}
	t.Logf("killed %s after its first digest; digests posted through a=%d b=%d", victim, digestBy["a"], digestBy["b"])
	if t.Failed() {
		t.Logf("replica a:\n%s\nreplica b:\n%s", logs["a"], logs["b"])
	}
}

// postsTo are the fake Slack's posts to channel, or all but C99's.
func postsTo(fake *slacktest.Slack, channel string) []slacktest.Post {
	var out []slacktest.Post
	for _, p := range fake.Posts() {
		if p.Channel == channel || (channel == "" && p.Channel != "C99") {
			out = append(out, p)
		}
	}
	return out
}

// mentionEvent is Slack's event for a mention of the bot in C99.
func mentionEvent(eventID, text string) string {
	ts := fmt.Sprintf("%d.000100", time.Now().Unix())
	raw, _ := json.Marshal(map[string]any{
		"token": "x", "team_id": "T1", "api_app_id": "A0DSRBOT", "type": "event_callback",
		"event_id": eventID, "event_time": time.Now().Unix(),
		"event":          map[string]any{"type": "app_mention", "user": "U0ALICE", "text": text, "ts": ts, "channel": "C99", "event_ts": ts, "team": "T1"},
		"authorizations": []any{map[string]any{"team_id": "T1", "user_id": "UBOT", "is_bot": true}},
	})
	return string(raw)
}

// signedRequest is a POST of body signed with the replicas' secret at at.
func signedRequest(t *testing.T, u, body string, at time.Time) *http.Request {
	t.Helper()
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write([]byte("v0:" + ts + ":" + body))
	req, err := http.NewRequest("POST", u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return req
}
