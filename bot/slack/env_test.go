package slack_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
	"github.com/dsrbot/dsrbot/storage"
	"github.com/dsrbot/dsrbot/storage/storagetest"
)

// The one end-to-end environment of the Slack transport's tests: the whole
// Slack side on a real HTTP server on loopback, against the fake Slack
// (slacktest), with requests shaped and signed exactly as Slack sends them.
// Every test of the package that needs a server, a database or the fake
// builds it here (trNewEnv) and its requests with the builders below, so a
// change of the Server's fields or of Slack's payloads is one edit.

const (
	trSecret   = "s3cret"
	trToken    = "xoxb-test"
	trCardHead = "潮衣馆 Trend Closet · dy-fashion · Douyin · 2026-11-24"
	trFormType = "application/x-www-form-urlencoded"
	trJSONType = "application/json"
	trWait     = 5 * time.Second // bound on waiting for background work; assertions are on counts

	// People, with user IDs shaped like Slack's.
	trAlice = "U01ALICE1"
	trChen  = "U02CHEN22"
	trBo    = "U07BOBO77"
	trMei   = "U08MEI888"
)

var trNow = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)

// trLog is a log sink the test can read: the transport must never log a
// token or the signing secret.
type trLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *trLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *trLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// trSleeps replaces Client.Sleep: it returns at once and records the
// waits asked for.
type trSleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *trSleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return nil
}

func (s *trSleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// trEnv is the bot's Slack side on the demo data.
type trEnv struct {
	t      *testing.T
	path   string // the database file, for a second handle (a replica)
	db     *storage.DB
	fake   *slacktest.Slack
	client *slack.Client
	sleeps *trSleeps
	srv    *slack.Server
	http   *httptest.Server
	log    *trLog
}

// trNewEnv builds the environment; setup, if given, changes the server
// before it starts serving.
func trNewEnv(t *testing.T, setup ...func(*trEnv)) *trEnv {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dsrbot.db")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Demo(context.Background(), storage.DemoOptions{Seed: 1, Shops: 4, Orders: 3000, TZ: "Asia/Shanghai"}, trNow); err != nil {
		t.Fatal(err)
	}
	storagetest.Own(t, db, "T1")
	e := &trEnv{t: t, path: path, db: db, fake: slacktest.New(), sleeps: &trSleeps{}, log: &trLog{}}
	t.Cleanup(e.fake.Close)
	logger := slog.New(slog.NewTextHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.client = slack.NewClient(trToken, e.fake.URL(), nil, logger)
	e.client.Sleep = e.sleeps.sleep
	clock := func() time.Time { return trNow }
	e.srv = &slack.Server{
		Bot:           &bot.Bot{Store: db, Now: clock, Log: logger},
		Poster:        e.client,
		Events:        db,
		Replays:       db,
		SigningSecret: trSecret,
		BotUserID:     "UBOT",
		Now:           clock,
		Log:           logger,
	}
	for _, f := range setup {
		f(e)
	}
	e.http = httptest.NewServer(e.srv.Handler())
	t.Cleanup(e.http.Close)
	// Runs first: background work ends before the servers and the database
	// close, and then the log is checked for secrets.
	t.Cleanup(func() {
		e.srv.Wait()
		if l := e.log.String(); strings.Contains(l, trToken) || strings.Contains(l, trSecret) {
			t.Errorf("the log carries a secret:\n%s", l)
		}
	})
	return e
}

// trSign is Slack's v0 signature, written here from Slack's documentation
// rather than taken from the code under test.
func trSign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// request is a POST to path signed with the server's secret at the clock's
// time, as Slack sends it.
func (e *trEnv) request(path, contentType, body string) *http.Request {
	e.t.Helper()
	return e.requestAt(path, contentType, body, trNow)
}

// requestAt is request signed at another time: Slack signs each delivery
// when it sends it, so a retry of an event, or the same text sent again,
// carries its own timestamp and signature.
func (e *trEnv) requestAt(path, contentType, body string, at time.Time) *http.Request {
	e.t.Helper()
	req, err := trSignedRequest(e.http.URL+path, contentType, body, at)
	if err != nil {
		e.t.Fatal(err)
	}
	return req
}

// trSignedRequest is a POST of body to url signed with trSecret at at, with
// the headers Slack sends. It needs no trEnv, for the benchmarks, which
// serve a larger database of their own.
func trSignedRequest(url, contentType, body string, at time.Time) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
	trResign(req, body, trSecret, at)
	return req, nil
}

// trResign signs req, whose body is body, at another time or with another
// secret.
func trResign(req *http.Request, body, secret string, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", trSign(secret, ts, []byte(body)))
}

// do sends a request and returns the status, the content type and the body.
func (e *trEnv) do(req *http.Request) (int, string, string) {
	e.t.Helper()
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(raw)
}

// trForm encodes pairs in the order given, as Slack orders its fields.
func trForm(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(pairs[i]) + "=" + url.QueryEscape(pairs[i+1]))
	}
	return b.String()
}

// trSlash is the body of a /dsr slash command as Slack posts it.
func trSlash(text, user, channel, responseURL string) string {
	return trSlashFrom("T1", text, user, channel, responseURL)
}

// trSlashFrom is trSlash typed in workspace team; an empty team leaves
// team_id out, as a broken or forged payload would.
func trSlashFrom(team, text, user, channel, responseURL string) string {
	var teamFields []string
	if team != "" {
		teamFields = []string{"team_id", team}
	}
	return trForm(append(append([]string{"token", "gIkuvaNzQIHg97ATvDxqgjtO"}, teamFields...),
		"team_domain", "trendcloset",
		"channel_id", channel, "channel_name", "shop-ops",
		"user_id", user, "user_name", "alice",
		"command", "/dsr", "text", text,
		"api_app_id", "A0DSRBOT", "is_enterprise_install", "false",
		"response_url", responseURL,
		"trigger_id", "13345224609.738474920.8088930838d88f008e0",
	)...)
}

// trSlashReply is the JSON answer to a slash command.
type trSlashReply struct {
	ResponseType string            `json:"response_type"`
	Text         string            `json:"text"`
	Blocks       []json.RawMessage `json:"blocks"`
}

func (e *trEnv) slash(text, user, channel, responseURL string) trSlashReply {
	e.t.Helper()
	code, ctype, body := e.do(e.request("/slack/commands", trFormType, trSlash(text, user, channel, responseURL)))
	if code != http.StatusOK || !strings.HasPrefix(ctype, "application/json") {
		e.t.Fatalf("/dsr %s: %d %s %s", text, code, ctype, body)
	}
	var r trSlashReply
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		e.t.Fatalf("/dsr %s: %v in %s", text, err, body)
	}
	return r
}

// trMention is an Events API envelope of an app_mention as Slack posts it.
func trMention(eventID, user, botID, text, ts, threadTS string) string {
	return trMentionFrom("T1", eventID, user, botID, text, ts, threadTS)
}

// trMentionFrom is trMention said in workspace team; an empty team leaves
// every team field out.
func trMentionFrom(team, eventID, user, botID, text, ts, threadTS string) string {
	ev := map[string]any{
		"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": "C1", "event_ts": ts,
		"team": team, "client_msg_id": "5c4fa7a3-bd2b-4f7a-9a36-2a4b3c1f8f0e",
		"blocks": []any{map[string]any{"type": "rich_text", "block_id": "abc", "elements": []any{}}},
	}
	if botID != "" {
		ev["bot_id"] = botID
		delete(ev, "client_msg_id")
	}
	if threadTS != "" {
		ev["thread_ts"] = threadTS
	}
	outer := map[string]any{
		"token": "gIkuvaNzQIHg97ATvDxqgjtO", "team_id": team, "api_app_id": "A0DSRBOT", "event": ev,
		"type": "event_callback", "event_id": eventID, "event_time": 1764000000,
		"authorizations":        []any{map[string]any{"team_id": team, "user_id": "UBOT", "is_bot": true, "is_enterprise_install": false}},
		"is_ext_shared_channel": false, "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
	}
	if team == "" {
		delete(ev, "team")
		delete(outer, "team_id")
		delete(outer, "authorizations")
	}
	raw, _ := json.Marshal(outer)
	return string(raw)
}

// trAction is the payload= form of a block_actions interaction.
func trAction(user, responseURL string, action map[string]any) string {
	return trActionFrom("T1", user, responseURL, action)
}

// trActionFrom is trAction pressed by a person of workspace team; an empty
// team leaves the payload's team (and the user's) out.
func trActionFrom(team, user, responseURL string, action map[string]any) string {
	return trForm("payload", trActionPayload(team, user, responseURL, action))
}

// trActionPayload is the JSON of a block_actions interaction, as the
// payload= field carries it over HTTP and an envelope over the socket.
func trActionPayload(team, user, responseURL string, action map[string]any) string {
	payload := map[string]any{
		"type":       "block_actions",
		"user":       map[string]any{"id": user, "username": "bo", "name": "bo", "team_id": team},
		"api_app_id": "A0DSRBOT", "token": "gIkuvaNzQIHg97ATvDxqgjtO",
		"container":  map[string]any{"type": "message", "message_ts": "1764000000.000200", "channel_id": "C1", "is_ephemeral": true},
		"trigger_id": "13345224609.738474920.8088930838d88f008e0",
		"team":       map[string]any{"id": team, "domain": "trendcloset"},
		"enterprise": nil, "is_enterprise_install": false,
		"channel":      map[string]any{"id": "C1", "name": "shop-ops"},
		"state":        map[string]any{"values": map[string]any{}},
		"response_url": responseURL,
		"actions":      []any{action},
	}
	if team == "" {
		delete(payload, "team")
		delete(payload["user"].(map[string]any), "team_id")
	}
	raw, _ := json.Marshal(payload)
	return string(raw)
}

func trClaim(shop, review, scope string) map[string]any {
	return map[string]any{
		"action_id": "claim", "block_id": "review|" + shop + "|" + review + "|open|" + scope,
		"text":  map[string]any{"type": "plain_text", "text": "Claim", "emoji": true},
		"value": review, "type": "button", "action_ts": "1764000010.123456",
	}
}

func trResolve(shop, review, outcome string) map[string]any {
	return map[string]any{
		"type": "static_select", "action_id": "resolve", "block_id": "review|" + shop + "|" + review + "|open|shop",
		"selected_option": map[string]any{"text": map[string]any{"type": "plain_text", "text": outcome, "emoji": true}, "value": outcome},
		"placeholder":     map[string]any{"type": "plain_text", "text": "Resolve…", "emoji": true},
		"action_ts":       "1764000011.123456",
	}
}

// openReview returns an open bad review of a shop. The small demo has
// closed every one of dy-fashion's (reviews older than three days are
// closed but one in ten), so the newest is reopened, as a team would.
func (e *trEnv) openReview(shop string) storage.Review {
	e.t.Helper()
	ctx := context.Background()
	open, _, err := e.db.BadReviews(ctx, storage.ReviewFilter{ShopID: shop, OpenOnly: true, Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(open) == 1 {
		return open[0]
	}
	all, _, err := e.db.BadReviews(ctx, storage.ReviewFilter{ShopID: shop, Limit: 1})
	if err != nil || len(all) != 1 {
		e.t.Fatalf("%s has no bad review: %v", shop, err)
	}
	if err := e.db.ReopenReview(ctx, all[0].ID, storage.Change{Actor: "U0", At: trNow}); err != nil {
		e.t.Fatal(err)
	}
	open, _, err = e.db.BadReviews(ctx, storage.ReviewFilter{ShopID: shop, OpenOnly: true, Limit: 1})
	if err != nil || len(open) != 1 {
		e.t.Fatalf("no open review of %s after reopening: %v", shop, err)
	}
	return open[0]
}

// trStrings is every string in a JSON value (block text, IDs), decoded and
// joined by newlines, for assertions on what a person would see.
func trStrings(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return ""
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return strings.Join(out, "\n")
}

// importReview adds a new open 1★ bad review of shop, written an hour
// before the clock, as an import of the shop's export would: for tests
// that assert on how a review of known text is shown.
func (e *trEnv) importReview(shop, id, product, content string) *storage.Review {
	e.t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"shop", "review_id", "order_id", "product_id", "product", "rating", "created_at", "content"})
	created := trNow.Add(-time.Hour).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05")
	w.Write([]string{shop, id, "O" + id, "P" + id, product, "1", created, content})
	w.Flush()
	if _, err := e.db.Import(context.Background(), storage.KindReviews, "reviews.csv", &buf); err != nil {
		e.t.Fatal(err)
	}
	return e.review(shop, id)
}

func (e *trEnv) review(shop, id string) *storage.Review {
	e.t.Helper()
	rv, err := e.db.FindReview(context.Background(), shop, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return rv
}

// state is everything a change from Slack could touch, as one string: each
// shop's channel, workspace, schedule and owner rules, and each bad
// review's owner, state and the length of its history.
func (e *trEnv) state() string {
	e.t.Helper()
	ctx := context.Background()
	var b strings.Builder
	shops, err := e.db.ListShops(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, s := range shops {
		fmt.Fprintf(&b, "shop %s channel=%q team=%q cron=%q\n", s.ID, s.Channel, s.TeamID, s.DigestCron)
		owners, err := e.db.Owners(ctx, s.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, o := range owners {
			fmt.Fprintf(&b, "  owner %s=%s next=%d\n", o.Aspect, o.Users, o.Next)
		}
		rows, _, err := e.db.BadReviews(ctx, storage.ReviewFilter{ShopID: s.ID})
		if err != nil {
			e.t.Fatal(err)
		}
		for _, r := range rows {
			hist, err := e.db.ReviewHistory(ctx, r.ID)
			if err != nil {
				e.t.Fatal(err)
			}
			fmt.Fprintf(&b, "  review %s owner=%q status=%q outcome=%q history=%d\n", r.ReviewID, r.Owner, r.Status, r.Outcome, len(hist))
		}
	}
	return b.String()
}

// setTeam is what `dsrbot shop set ID --team T…` does ("" for `--team -`).
func (e *trEnv) setTeam(shop, team string) {
	e.t.Helper()
	if _, err := e.db.UpdateShop(context.Background(), shop, func(s *storage.Shop) { s.TeamID = team }); err != nil {
		e.t.Fatal(err)
	}
}

// trSeq numbers the slash commands of these tests.
var trSeq atomic.Int64

// slashFrom sends a signed slash command typed in workspace team ("" for a
// payload without team_id) and returns the answer's text and blocks.
func (e *trEnv) slashFrom(team, text, user, channel string) (string, string) {
	e.t.Helper()
	// Each command has its own response_url, as Slack gives it, so two
	// commands of the same text are two requests, not a replay.
	name := "s" + strconv.FormatInt(trSeq.Add(1), 10)
	code, _, body := e.do(e.request("/slack/commands", trFormType, trSlashFrom(team, text, user, channel, e.fake.ResponseURL(name))))
	if code != http.StatusOK {
		e.t.Fatalf("/dsr %s from %q: %d %s", text, team, code, body)
	}
	var r trSlashReply
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		e.t.Fatalf("/dsr %s: %v in %s", text, err, body)
	}
	var blocks strings.Builder
	for _, b := range r.Blocks {
		blocks.WriteString(trStrings(b))
	}
	return r.Text, blocks.String()
}

// closedReview is a closed bad review of a shop, for a reopen.
func (e *trEnv) closedReview(shop string) storage.Review {
	e.t.Helper()
	rows, _, err := e.db.BadReviews(context.Background(), storage.ReviewFilter{ShopID: shop})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range rows {
		if r.Status == storage.StatusDone {
			return r
		}
	}
	e.t.Fatalf("%s has no closed bad review", shop)
	return storage.Review{}
}

// trSlowStore is the database with DayReport held until release: the work
// of a command (a /dsr today) that outlasts the acknowledgement window,
// over HTTP or over the socket. It is the one double of bot.Store that
// changes a method, so a change of the Store interface is one edit here.
type trSlowStore struct {
	*storage.DB
	entered     chan struct{} // closed when the first DayReport starts
	enteredOnce sync.Once
	released    chan struct{}
	releaseOnce sync.Once
}

func trNewSlowStore(db *storage.DB) *trSlowStore {
	return &trSlowStore{DB: db, entered: make(chan struct{}), released: make(chan struct{})}
}

func (s *trSlowStore) DayReport(ctx context.Context, shop *storage.Shop, now time.Time) (*storage.DayReport, error) {
	s.enteredOnce.Do(func() { close(s.entered) })
	<-s.released
	return s.DB.DayReport(ctx, shop, now)
}

// release lets every held DayReport, and every later one, go on; it may be
// called more than once.
func (s *trSlowStore) release() { s.releaseOnce.Do(func() { close(s.released) }) }

// trSlowEnv is trNewEnv with the bot's store a trSlowStore and the server
// acknowledging after ackAfter. The store is released when the test ends,
// before the environment waits for background work, so a test that fails
// before releasing it does not hang.
func trSlowEnv(t *testing.T, ackAfter time.Duration) (*trEnv, *trSlowStore) {
	t.Helper()
	var slow *trSlowStore
	e := trNewEnv(t, func(e *trEnv) {
		slow = trNewSlowStore(e.db)
		e.srv.Bot.Store = slow
		e.srv.AckAfter = ackAfter
	})
	t.Cleanup(slow.release)
	return e, slow
}
