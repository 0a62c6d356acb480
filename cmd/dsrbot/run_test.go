package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
	"github.com/dsrbot/dsrbot/storage"
)

// fakeClock is a clock that moves only when slept on: `dsrbot run` waits
// out Retry-After and backoff on it in no time.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

func (c *fakeClock) total() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var sum time.Duration
	for _, d := range c.slept {
		sum += d
	}
	return sum
}

// runSlack runs dsrbot with a bot token against the fake Slack, on the
// clock, and returns what it printed and its exit code.
func runSlack(t *testing.T, db string, slack *slacktest.Slack, clock *fakeClock, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := map[string]string{"DSRBOT_DB": db, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.URL()}
	m := &Main{
		Getenv: func(k string) string { return env[k] },
		Stdin:  strings.NewReader(""),
		Stdout: &out,
		Stderr: &errOut,
		Now:    clock.Now,
		Sleep:  clock.Sleep,
	}
	err := m.Run(context.Background(), args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	code = exitCode(m, err)
	return out.String(), errOut.String(), code
}

// jobWorld makes a database where each job has one message to post: a
// digest for s1 (bound to C1), a warning for order A (due in 3 h) and a
// reminder to U0ALICE1, whose follow-up of R1 is overdue.
func jobWorld(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "dsrbot.db")
	mustRun(t, db, "shop", "add", "s1", "--name", "One", "--platform", "douyin", "--channel", "C1")
	mustRun(t, db, "import", "orders", writeFile(t, "orders.csv", "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no\n"+
		"s1,A,连衣裙,159.00,2026-11-22 10:00:00,custom,2026-11-24 13:00:00,,\n"))
	mustRun(t, db, "import", "reviews", writeFile(t, "reviews.csv", "shop,review_id,order_id,product_id,product,rating,created_at,content\n"+
		"s1,R1,O1,P1,连衣裙,1,2026-11-23 09:00:00,尺码偏小\n"))
	store, err := storage.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	r, err := store.FindReview(context.Background(), "s1", "R1")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.AssignReview(context.Background(), r.ID, "U0ALICE1", storage.Change{Actor: "U0BOSS", At: now}); err != nil {
		t.Fatal(err)
	}
	return db
}

// outbox returns the database's outbox messages of a kind.
func outbox(t *testing.T, db, kind string) []storage.OutboxMessage {
	t.Helper()
	store, err := storage.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	keys, err := store.PendingKeys(context.Background(), "", kind)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := store.OutboxByKeys(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// Slack answers 429 with Retry-After: 1 three times: each job's run waits
// the second three times on its clock, posts once and succeeds.
func TestRunWaitsOutRetryAfter(t *testing.T) {
	tests := []struct {
		job, key, channel string
	}{
		{"digest", "digest:s1:2026-11-24", "C1"},
		{"shipments", "shipments:s1:", "C1"},
		{"reminders", "remind:s1:R1:U0ALICE1:", "DU0ALICE1"},
	}
	for _, tt := range tests {
		t.Run(tt.job, func(t *testing.T) {
			db := jobWorld(t)
			slack := slacktest.New()
			defer slack.Close()
			for i := 0; i < 3; i++ {
				slack.FailNext(429, 1)
			}
			clock := &fakeClock{t: now}
			out, errOut, code := runSlack(t, db, slack, clock, "run", tt.job, "--shop", "s1")
			if code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			posts := slack.Posts()
			if len(posts) != 1 || posts[0].Channel != tt.channel {
				t.Fatalf("posts = %+v, want one to %s", posts, tt.channel)
			}
			if n := slack.Calls("chat.postMessage"); n != 4 {
				t.Fatalf("%d calls of chat.postMessage, want 4", n)
			}
			var waits []string
			for _, line := range strings.Split(errOut, "\n") {
				if strings.HasSuffix(line, ": Slack asked to wait 1s (429); retrying") && strings.HasPrefix(line, tt.key) {
					waits = append(waits, line)
				}
			}
			if len(waits) != 3 {
				t.Fatalf("stderr says %d waits, want 3:\n%s", len(waits), errOut)
			}
			if want := []time.Duration{time.Second, time.Second, time.Second}; !equalDurations(clock.slept, want) {
				t.Fatalf("slept %v, want %v", clock.slept, want)
			}
			if want := tt.job + ": 1 messages enqueued, 1 delivered"; !strings.Contains(out, want) {
				t.Fatalf("stdout %q lacks %q", out, want)
			}
		})
	}
}

// What stays undelivered when the time is up is named, the exit status
// says so, and the message waits in the outbox for `dsrbot serve`.
func TestRunStopsWaitingInTime(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		faults    func(*slacktest.Slack)
		maxSlept  time.Duration
		wantCalls int // calls of chat.postMessage; 0: at least 2
		stderr    []string
	}{
		{
			name:      "--wait 0 makes one attempt",
			args:      []string{"--wait", "0"},
			faults:    func(s *slacktest.Slack) { s.FailNext(429, 1) },
			wantCalls: 1,
			stderr:    []string{"digest:s1:2026-11-24 (to C1): still undelivered, next try in 1s"},
		},
		{
			name: "Slack keeps failing past --wait",
			args: []string{"--wait", "1m"},
			faults: func(s *slacktest.Slack) {
				for i := 0; i < 50; i++ {
					s.FailNext(503, 0)
				}
			},
			maxSlept: time.Minute,
			stderr: []string{
				"digest:s1:2026-11-24: Slack could not take it (slack server error: 503 Service Unavailable); backing off",
				"digest:s1:2026-11-24 (to C1): still undelivered",
			},
		},
		{
			name:      "Slack asks for longer than --wait",
			args:      []string{"--wait", "30s"},
			faults:    func(s *slacktest.Slack) { s.FailNext(429, 120) },
			wantCalls: 1,
			stderr:    []string{"digest:s1:2026-11-24 (to C1): still undelivered, next try in 2m0s"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := jobWorld(t)
			slack := slacktest.New()
			defer slack.Close()
			tt.faults(slack)
			clock := &fakeClock{t: now}
			out, errOut, code := runSlack(t, db, slack, clock, append([]string{"run", "digest", "--shop", "s1"}, tt.args...)...)
			if code != 1 {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			for _, want := range append(tt.stderr, "dsrbot: 1 message still waits for a retry; `dsrbot serve` delivers it") {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if n := len(slack.Posts()); n != 0 {
				t.Fatalf("%d posts", n)
			}
			calls := slack.Calls("chat.postMessage")
			if (tt.wantCalls > 0 && calls != tt.wantCalls) || (tt.wantCalls == 0 && calls < 2) {
				t.Fatalf("%d calls of chat.postMessage, want %d", calls, tt.wantCalls)
			}
			if tt.maxSlept == 0 && len(clock.slept) > 0 || clock.total() > tt.maxSlept {
				t.Fatalf("slept %v, at most %v in all", clock.slept, tt.maxSlept)
			}
			pending := outbox(t, db, "digest")
			if len(pending) != 1 || pending[0].Key != "digest:s1:2026-11-24" || !pending[0].Pending() {
				t.Fatalf("outbox = %+v, want the digest pending", pending)
			}
		})
	}
}

// A run whose enqueue committed but whose delivery did not (Slack refused,
// the process died) is finished by the next run, in the same second: the
// news is not enqueued again and is posted once.
func TestRunAgainFinishesWhatTheLastRunEnqueued(t *testing.T) {
	db := jobWorld(t)
	slack := slacktest.New()
	defer slack.Close()
	slack.FailNext(503, 0)
	clock := &fakeClock{t: now}
	if out, errOut, code := runSlack(t, db, slack, clock, "run", "shipments", "--wait", "0"); code != 1 || !strings.Contains(out, "shipments: 1 messages enqueued, 0 delivered") {
		t.Fatalf("first run: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code := runSlack(t, db, slack, clock, "run", "shipments")
	if code != 0 || !strings.Contains(out, "shipments: 0 messages enqueued, 1 delivered") {
		t.Fatalf("second run: exit %d\n%s\n%s", code, out, errOut)
	}
	if posts := slack.Posts(); len(posts) != 1 || !strings.Contains(posts[0].Text, "A") {
		t.Fatalf("posts = %+v, want the warning once", posts)
	}
}

// The preview of `dsrbot run JOB` without a token prints exactly the
// messages the job enqueues, built by the same code: the plain form of
// each, for every job. A reminder is a direct message, so a follow-up owned
// by a name typed in the shell ("alice") gets none from the job and none in
// the preview, though the report counts it overdue.
func TestRunPreviewPrintsWhatTheJobEnqueues(t *testing.T) {
	tests := []struct {
		job    string
		keys   []string // prefixes of the keys the job enqueues, in order
		absent []string // in neither the preview nor the outbox
	}{
		{job: "digest", keys: []string{"digest:s1:2026-11-24"}},
		{job: "shipments", keys: []string{"shipments:s1:"}},
		{job: "reminders", keys: []string{"remind:s1:R1:U0ALICE1:"}, absent: []string{"R2", "alice"}},
	}
	for _, tt := range tests {
		t.Run(tt.job, func(t *testing.T) {
			db := jobWorld(t)
			mustRun(t, db, "import", "reviews", writeFile(t, "more.csv", "shop,review_id,order_id,product_id,product,rating,created_at,content\n"+
				"s1,R2,O2,P2,外套,1,2026-11-23 09:00:00,物流太慢\n"))
			ctx := context.Background()
			store, err := storage.Open(db)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			r2, err := store.FindReview(ctx, "s1", "R2")
			if err != nil {
				t.Fatal(err)
			}
			if err := store.AssignReview(ctx, r2.ID, "alice", storage.Change{Actor: "alice", At: now}); err != nil {
				t.Fatal(err)
			}
			shop, err := store.FindShop(ctx, "s1")
			if err != nil {
				t.Fatal(err)
			}
			if rr, err := store.Reminders(ctx, shop, now); err != nil || len(rr.Overdue) != 2 {
				t.Fatalf("the report's overdue follow-ups: %v, want R1 and R2", err)
			}

			preview := mustRun(t, db, "run", tt.job, "--shop", "s1")
			if again := mustRun(t, db, "run", tt.job, "--shop", "s1"); again != preview {
				t.Fatalf("a second preview differs: the first changed something\n%s\n%s", preview, again)
			}
			if keys, err := store.PendingKeys(ctx, "", jobKinds[tt.job]...); err != nil || len(keys) != 0 {
				t.Fatalf("the preview enqueued %v (%v)", keys, err)
			}

			m := &Main{db: store, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			msgs, err := m.jobMessages(tt.job)(ctx, shop, now)
			if err != nil {
				t.Fatal(err)
			}
			var plain []string
			for _, msg := range msgs {
				plain = append(plain, msg.Plain)
			}
			if want := strings.TrimRight(strings.Join(plain, "\n"), "\n") + "\n\n"; preview != want {
				t.Fatalf("preview:\n%s\nwant the job's messages:\n%s", preview, want)
			}

			var n int
			switch tt.job {
			case "digest":
				var added []string
				added, _, err = m.digests(nil).RunNow(ctx, "s1", now)
				n = len(added)
			case "shipments":
				n, err = m.shipments().Run(ctx, "s1", now)
			case "reminders":
				n, err = m.reminders().Run(ctx, "s1", now)
			}
			if err != nil || n != len(msgs) || n != len(tt.keys) {
				t.Fatalf("the job enqueued %d (%v); its Messages gave %d, want %d", n, err, len(msgs), len(tt.keys))
			}
			keys, err := store.PendingKeys(ctx, "s1", jobKinds[tt.job]...)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := store.OutboxByKeys(ctx, keys)
			if err != nil || len(rows) != len(msgs) {
				t.Fatalf("outbox = %+v (%v), want %d messages", rows, err, len(msgs))
			}
			for i, msg := range msgs {
				got, want := rows[i], msg.OutboxMessage
				if !strings.HasPrefix(want.Key, tt.keys[i]) || got.Key != want.Key || got.ShopID != want.ShopID || got.Kind != want.Kind ||
					got.Channel != want.Channel || got.Text != want.Text || got.Blocks != want.Blocks {
					t.Errorf("enqueued %s to %s, previewed %s to %s (want key %s…)", got.Key, got.Channel, want.Key, want.Channel, tt.keys[i])
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(preview, s) {
					t.Errorf("the preview shows %q:\n%s", s, preview)
				}
				for _, row := range rows {
					if strings.Contains(row.Key, s) || strings.Contains(row.Channel, s) {
						t.Errorf("the job enqueued %s to %s", row.Key, row.Channel)
					}
				}
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
