package slack_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
	"github.com/dsrbot/dsrbot/storage"
)

// e2e is the whole Slack side on a real HTTP server against the fake.
type e2e struct {
	t      *testing.T
	db     *storage.DB
	slack  *slacktest.Slack
	server *slack.Server
	http   *httptest.Server
	waits  []time.Duration
	now    time.Time
}

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

func newE2E(t *testing.T) *e2e {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "dsrbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	if _, err := db.Demo(context.Background(), storage.DemoOptions{Seed: 1, Shops: 4, Orders: 3000, TZ: "Asia/Shanghai"}, now); err != nil {
		t.Fatal(err)
	}
	trOwn(t, db, "T1")
	e := &e2e{t: t, db: db, slack: slacktest.New(), now: now}
	t.Cleanup(e.slack.Close)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	client := slack.NewClient("xoxb-test", e.slack.URL(), nil, quiet)
	var mu sync.Mutex
	client.Sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		e.waits = append(e.waits, d)
		mu.Unlock()
		return nil
	}
	e.server = &slack.Server{
		Bot:           &bot.Bot{Store: db, Now: func() time.Time { return now }, Log: quiet},
		Poster:        client,
		Events:        db,
		SigningSecret: secret,
		BotUserID:     "UBOT",
		Now:           func() time.Time { return now },
		Log:           quiet,
	}
	e.http = httptest.NewServer(e.server.Handler())
	t.Cleanup(e.http.Close)
	return e
}

// send posts a body signed at the clock's time (minus age) to path.
func (e *e2e) send(path, contentType, body string, age time.Duration, header ...string) (int, string) {
	e.t.Helper()
	ts := strconv.FormatInt(e.now.Add(-age).Unix(), 10)
	req, _ := http.NewRequest("POST", e.http.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(secret, ts, body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func sign(secret, ts, body string) string {
	return slack.SignForTest(secret, ts, []byte(body))
}

func slashBody(text, channel, responseURL string) string {
	return url.Values{
		"token": {"x"}, "team_id": {"T1"}, "team_domain": {"shop"}, "channel_id": {channel}, "channel_name": {"c"},
		"user_id": {"U0ALICE"}, "user_name": {"alice"}, "command": {"/dsr"}, "text": {text},
		"response_url": {responseURL}, "trigger_id": {"1.2.3"}, "api_app_id": {"A1"},
	}.Encode()
}

func mentionEnvelope(eventID, user, botID, text string) string {
	ev := map[string]any{"type": "app_mention", "user": user, "text": text, "channel": "C1", "ts": "1700000001.000100", "event_ts": "1700000001.000100"}
	if botID != "" {
		ev["bot_id"] = botID
	}
	b, _ := json.Marshal(map[string]any{
		"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": 1700000001, "event": ev,
	})
	return string(b)
}

func TestSlashCommands(t *testing.T) {
	e := newE2E(t)
	form := "application/x-www-form-urlencoded"
	code, body := e.send("/slack/commands", form, slashBody("today dy-fashion", "C1", e.slack.ResponseURL("a")), 0)
	var msg struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
		Blocks       []json.RawMessage
	}
	json.Unmarshal([]byte(body), &msg)
	if code != 200 || msg.ResponseType != "ephemeral" || !strings.Contains(msg.Text, "潮衣馆 Trend Closet · dy-fashion · Douyin") || len(msg.Blocks) < 3 {
		t.Fatalf("today: %d %q", code, body)
	}
	// Bound, the card in the shop's own channel is for everyone there.
	e.send("/slack/commands", form, slashBody("bind dy-fashion", "C1", e.slack.ResponseURL("b")), 0)
	_, body = e.send("/slack/commands", form, slashBody("today", "C1", e.slack.ResponseURL("c")), 0)
	json.Unmarshal([]byte(body), &msg)
	if msg.ResponseType != "in_channel" || !strings.Contains(msg.Text, "dy-fashion") {
		t.Fatalf("today in the bound channel: %q", body)
	}
	// A bad command gets help, not a Go error.
	_, body = e.send("/slack/commands", form, slashBody("todya", "C1", e.slack.ResponseURL("d")), 0)
	json.Unmarshal([]byte(body), &msg)
	if !strings.Contains(msg.Text, `I don't know "todya". Try /dsr help.`) {
		t.Fatalf("bad command: %q", body)
	}
}

func TestRequestsAreVerified(t *testing.T) {
	e := newE2E(t)
	body := slashBody("bind dy-home", "C9", e.slack.ResponseURL("x"))
	form := "application/x-www-form-urlencoded"
	tests := []struct {
		name   string
		header []string
		age    time.Duration
		body   string
		want   int
	}{
		{"bad signature", []string{"X-Slack-Signature", "v0=" + strings.Repeat("0", 64)}, 0, body, 401},
		{"missing signature", []string{"X-Slack-Signature", ""}, 0, body, 401},
		{"replayed after 6 minutes", nil, 6 * time.Minute, body, 401},
		{"from the future", nil, -6 * time.Minute, body, 401},
	}
	for _, tt := range tests {
		code, _ := e.send("/slack/commands", form, tt.body, tt.age, tt.header...)
		if code != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, code, tt.want)
		}
	}
	// A tampered body: signed one way, sent another.
	ts := strconv.FormatInt(e.now.Unix(), 10)
	req, _ := http.NewRequest("POST", e.http.URL+"/slack/commands", strings.NewReader(strings.Replace(body, "dy-home", "dy-fashion", 1)))
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(secret, ts, body))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("tampered body: %v %v", resp, err)
	}
	if s, _ := e.db.ShopForChannel(context.Background(), "C9"); s != nil {
		t.Fatal("a refused request bound a channel")
	}
	// An oversized body is refused before it is read further.
	e.server.MaxBody = 1024
	if code, _ := e.send("/slack/commands", form, body+strings.Repeat("x", 2000), 0); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", code)
	}
}

func TestURLVerification(t *testing.T) {
	e := newE2E(t)
	code, body := e.send("/slack/events", "application/json", `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`, 0)
	if code != 200 || body != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("challenge: %d %q", code, body)
	}
}

func TestMentionIsAnsweredOnceAcrossRetries(t *testing.T) {
	e := newE2E(t)
	env := mentionEnvelope("Ev1", "U0ALICE", "", "<@UBOT> today dy-fashion")
	if code, _ := e.send("/slack/events", "application/json", env, 0); code != 200 {
		t.Fatalf("event: %d", code)
	}
	// Slack retries the same event (it thinks the first was not
	// acknowledged), signed anew a few seconds later.
	if code, _ := e.send("/slack/events", "application/json", env, -3*time.Second, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"); code != 200 {
		t.Fatalf("retry: %d, want 200 so Slack stops retrying", code)
	}
	// Messages from bots, and from the bot itself, are not answered.
	e.send("/slack/events", "application/json", mentionEnvelope("Ev2", "U0OTHER", "B123", "<@UBOT> today"), 0)
	e.send("/slack/events", "application/json", mentionEnvelope("Ev3", "UBOT", "", "<@UBOT> today"), 0)
	e.server.Wait()
	posts := e.slack.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1: %+v", len(posts), posts)
	}
	if p := posts[0]; p.Channel != "C1" || p.ThreadTS != "1700000001.000100" || !strings.Contains(p.Text, "dy-fashion") || p.Metadata == nil || p.Metadata.EventPayload["key"] == "" {
		t.Fatalf("post = %+v", p)
	}
}

func TestPostRetriesWithoutDuplicates(t *testing.T) {
	e := newE2E(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	client := slack.NewClient("xoxb-test", e.slack.URL(), nil, quiet)
	var waits []time.Duration
	client.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	ctx := context.Background()
	msg := bot.Message{Text: "hello"}

	// 429 three times, then success: posted once, each wait Retry-After.
	for i := 0; i < 3; i++ {
		e.slack.FailNext(429, 1)
	}
	if _, err := client.Post(ctx, "C1", "", msg); err != nil {
		t.Fatal(err)
	}
	if n := len(e.slack.Posts()); n != 1 || len(waits) != 3 || waits[0] != time.Second || waits[2] != time.Second {
		t.Fatalf("after 3 × 429: %d posts, waits %v", n, waits)
	}
	// Slack takes the message but answers 500: the retry finds it by its
	// key instead of posting again.
	e.slack.FailAfterStore(500)
	ts, err := client.Post(ctx, "C2", "", msg)
	if err != nil {
		t.Fatal(err)
	}
	var inC2 []slacktest.Post
	for _, p := range e.slack.Posts() {
		if p.Channel == "C2" {
			inC2 = append(inC2, p)
		}
	}
	if len(inC2) != 1 || inC2[0].TS != ts {
		t.Fatalf("after a stored-then-500: %d posts in C2 (ts %s)", len(inC2), ts)
	}
	// A 502 with nothing stored: posted again, once.
	e.slack.FailNext(502, 0)
	if _, err := client.Post(ctx, "C3", "", msg); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range e.slack.Posts() {
		if p.Channel == "C3" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("after a 502: %d posts in C3", n)
	}
}

// slowStore holds DayReport until released: a slash command whose work
// takes longer than Slack's 3 seconds.
type slowStore struct {
	*storage.DB
	release chan struct{}
}

func (s slowStore) DayReport(ctx context.Context, shopID *storage.Shop, now time.Time) (*storage.DayReport, error) {
	<-s.release
	return s.DB.DayReport(ctx, shopID, now)
}

func TestSlowSlashCommandIsAcknowledgedThenAnswered(t *testing.T) {
	e := newE2E(t)
	release := make(chan struct{})
	e.server.Bot.Store = slowStore{DB: e.db, release: release}
	e.server.AckAfter = 20 * time.Millisecond
	code, body := e.send("/slack/commands", "application/x-www-form-urlencoded", slashBody("today dy-fashion", "C1", e.slack.ResponseURL("slow")), 0)
	if code != 200 || !strings.Contains(body, "Working on it") {
		t.Fatalf("acknowledgement: %d %q", code, body)
	}
	if len(e.slack.Responses()) != 0 {
		t.Fatal("answered through response_url before the work was done")
	}
	close(release)
	e.server.Wait()
	rs := e.slack.Responses()
	if len(rs) != 1 || rs[0].Path != "/respond/slow" || !strings.Contains(rs[0].Text, "潮衣馆 Trend Closet · dy-fashion") || rs[0].ResponseType != "ephemeral" {
		t.Fatalf("follow-up = %+v", rs)
	}
}

func TestReviewButtons(t *testing.T) {
	e := newE2E(t)
	ctx := context.Background()
	id := "R900001"
	csv := "shop,review_id,product,rating,created_at,content\ndy-fashion," + id + ",连衣裙 L 黑色,1,2026-11-24 08:00:00,尺码偏小\n"
	if _, err := e.db.Import(ctx, storage.KindReviews, "r.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	press := func(action string, extra map[string]any) {
		a := map[string]any{"action_id": action, "block_id": "review|dy-fashion|" + id + "|open|shop", "type": "button", "value": id, "action_ts": "1"}
		for k, v := range extra {
			a[k] = v
		}
		payload, _ := json.Marshal(map[string]any{
			"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U0ALICE"},
			"channel": map[string]any{"id": "C1"}, "response_url": e.slack.ResponseURL(action), "actions": []any{a},
		})
		code, _ := e.send("/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {string(payload)}}.Encode(), 0)
		if code != 200 {
			t.Fatalf("%s: %d", action, code)
		}
		e.server.Wait()
	}
	press("claim", nil)
	r, _ := e.db.FindReview(ctx, "dy-fashion", id)
	if r.Owner != "U0ALICE" {
		t.Fatalf("after Claim the owner is %q", r.Owner)
	}
	press("resolve", map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "refund", "text": map[string]any{"type": "plain_text", "text": "refund"}}})
	r, _ = e.db.FindReview(ctx, "dy-fashion", id)
	if r.Status != storage.StatusDone || r.Outcome != "refund" {
		t.Fatalf("after Resolve the review is %+v", r)
	}
	rs := e.slack.Responses()
	// Each press redraws the open list it was on: claimed, the review shows
	// its owner; resolved, it has left the open list.
	if len(rs) != 2 || !rs[0].ReplaceOriginal || !rs[1].ReplaceOriginal ||
		!strings.Contains(rs[0].Text, id+" · 1★ · 连衣裙 L 黑色 · size · <@U0ALICE>") || strings.Contains(rs[1].Text, id) {
		t.Fatalf("message updates = %+v", rs)
	}
	// Pressing Resolve again says so and changes nothing.
	press("resolve", map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "gift"}})
	rs = e.slack.Responses()
	if last := rs[len(rs)-1]; last.ReplaceOriginal || !strings.Contains(last.Text, "already closed") {
		t.Fatalf("second Resolve answered %+v", last)
	}
	// Another workspace cannot change the shop's follow-ups: to it, the
	// review does not exist.
	e.send("/slack/commands", "application/x-www-form-urlencoded", slashBody("bind dy-fashion", "C1", e.slack.ResponseURL("bind")), 0)
	other := url.Values{"team_id": {"T2"}, "channel_id": {"C7"}, "user_id": {"U0MALLORY"}, "command": {"/dsr"},
		"text": {"reopen " + id}, "response_url": {e.slack.ResponseURL("m")}}.Encode()
	_, body := e.send("/slack/commands", "application/x-www-form-urlencoded", other, 0)
	if !strings.Contains(body, `There is no review \"`+id+`\"`) {
		t.Fatalf("another workspace: %q", body)
	}
	if r, _ = e.db.FindReview(ctx, "dy-fashion", id); r.Status != storage.StatusDone {
		t.Fatalf("another workspace reopened the review: %+v", r)
	}
}

// A reminder goes to a person: the client posts to their direct-message
// channel and finds it there again, so a retry does not post twice.
func TestDirectMessageDeliveredOnce(t *testing.T) {
	e := newE2E(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	client := slack.NewClient("xoxb-test", e.slack.URL(), nil, quiet)
	ctx := context.Background()
	e.slack.FailAfterStore(503)
	_, err := client.Deliver(ctx, "U0ALICE1", "remind:s:R1:U0ALICE1:1", "R1 is overdue", []byte("[]"))
	if err == nil {
		t.Fatal("a 503 was reported as delivered")
	}
	ts, found, err := client.Delivered(ctx, "U0ALICE1", "remind:s:R1:U0ALICE1:1", e.now.Add(-time.Hour))
	if err != nil || !found || ts == "" {
		t.Fatalf("Delivered = %q, %v, %v; want the stored DM found", ts, found, err)
	}
	posts := e.slack.Posts()
	if len(posts) != 1 || posts[0].Channel != "DU0ALICE1" {
		t.Fatalf("posts = %+v, want one in the DM channel", posts)
	}
}
