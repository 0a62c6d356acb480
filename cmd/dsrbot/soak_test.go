//go:build soak

package main

// The soak: the whole bot (Main, `dsrbot serve`) on one SQLite database for
// minutes, against the fake Slack, on loopback only. Several clients send
// signed slash commands, mention events (some retried, as Slack retries)
// and button actions; others push 10,000-row order files to the ingest
// endpoint; the scheduler sweeps on its own timers, a second Main runs
// `dsrbot run shipments` and `run reminders` on the same database as a host
// cron would, and `dsrbot backup` copies it once a minute. It then counts
// what the fake Slack received against the outbox. It is bounded in time
// and requests, not part of CI, and run by .ci/soak:
//
//	go test -tags soak -run '^TestSoak$' -v -timeout 15m ./cmd/dsrbot -soak.duration 3m

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
	"github.com/dsrbot/dsrbot/storage"
)

var (
	soakDuration = flag.Duration("soak.duration", 3*time.Minute, "how long the load runs")
	soakClients  = flag.Int("soak.clients", 6, "Slack clients sending requests at once")
	soakIngests  = flag.Int("soak.ingesters", 2, "clients pushing 10,000-row files at once")
	soakRate     = flag.Int("soak.rate", 60, "Slack requests per second, over all clients")
	soakMax      = flag.Int("soak.requests", 100000, "stop after this many Slack requests")
	soakRows     = flag.Int("soak.rows", 10000, "rows in each ingested file")
)

const (
	soakSecret = "soak-signing-secret"
	soakIngest = "soak-ingest-token"
	soakTeam   = "T1"
)

// syncBuffer is a log sink the soak reads at the end.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// soakStats collects every answer.
type soakStats struct {
	mu       sync.Mutex
	latency  map[string][]time.Duration
	statuses map[string]map[int]int
	locked   int
	failures []string
}

func (s *soakStats) record(kind string, d time.Duration, status int, body string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.latency == nil {
		s.latency, s.statuses = map[string][]time.Duration{}, map[string]map[int]int{}
	}
	if s.statuses[kind] == nil {
		s.statuses[kind] = map[int]int{}
	}
	s.statuses[kind][status]++
	if err == nil {
		s.latency[kind] = append(s.latency[kind], d)
	}
	if strings.Contains(body, "database is locked") {
		s.locked++
	}
	if (err != nil || status >= 500) && len(s.failures) < 10 {
		s.failures = append(s.failures, fmt.Sprintf("%s: %d %v %.200s", kind, status, err, body))
	}
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[int(p*float64(len(d)-1))]
}

// soakSign is Slack's v0 signature.
func soakSign(ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(soakSecret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

func TestSoak(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "dsrbot.db")
	fake := slacktest.New()
	defer fake.Close()
	env := map[string]string{
		"DSRBOT_DB": db, "DSRBOT_ADDR": "127.0.0.1:0", "SLACK_BOT_TOKEN": "xoxb-soak", "SLACK_SIGNING_SECRET": soakSecret,
		"SLACK_API_URL": fake.URL(), "DSRBOT_INGEST_TOKEN": soakIngest, "USER": "soak",
	}
	var logs syncBuffer
	cli := func(args ...string) error {
		m := &Main{Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &logs, Now: time.Now}
		err := m.Run(context.Background(), args)
		if cerr := m.Close(); err == nil {
			err = cerr
		}
		return err
	}
	if err := cli("demo", "--orders", "20000"); err != nil {
		t.Fatal(err)
	}
	store, err := storage.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	shops, _ := store.ListShops(ctx)
	var shopIDs, reviewIDs []string
	for i, s := range shops {
		shopIDs = append(shopIDs, s.ID)
		// The shops are the soak workspace's, whose members send below.
		if err := cli("shop", "set", s.ID, "--channel", fmt.Sprintf("C%02d", i), "--team", soakTeam); err != nil {
			t.Fatal(err)
		}
		open, _, _ := store.BadReviews(ctx, storage.ReviewFilter{ShopID: s.ID, OpenOnly: true, Limit: 40})
		for _, r := range open {
			reviewIDs = append(reviewIDs, r.ReviewID)
		}
	}
	if len(reviewIDs) == 0 {
		t.Fatal("the demo has no open bad reviews to press buttons on")
	}

	// dsrbot serve.
	ready := make(chan string, 1)
	serve := &Main{Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &logs,
		Now: time.Now, Ready: func(addr string) { ready <- addr }}
	serveCtx, stopServe := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- serve.Run(serveCtx, []string{"serve"}) }()
	var base string
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-served:
		t.Fatalf("serve ended early: %v\n%s", err, logs.String())
	}
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	stats := &soakStats{}
	send := func(kind, path, ctype string, body []byte, header ...string) (int, string) {
		req, _ := http.NewRequest("POST", base+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		if strings.HasPrefix(path, "/slack/") {
			// Slack retries an event seconds after the first delivery,
			// signed anew: a retry sent in the same second would carry
			// the same signature, which the bot refuses as a replay.
			sec := time.Now().Unix()
			for i := 0; i+1 < len(header); i += 2 {
				if header[i] == "X-Slack-Retry-Num" {
					sec++
				}
			}
			ts := strconv.FormatInt(sec, 10)
			req.Header.Set("X-Slack-Request-Timestamp", ts)
			req.Header.Set("X-Slack-Signature", soakSign(ts, body))
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			stats.record(kind, time.Since(start), 0, "", err)
			return 0, ""
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		stats.record(kind, time.Since(start), resp.StatusCode, string(raw), nil)
		return resp.StatusCode, string(raw)
	}
	// Every request Slack sends is unique (a trigger_id of its own), so
	// none is refused as a replay of another.
	var triggers atomic.Int64
	trigger := func() string { return fmt.Sprintf("%d.soak.%d", time.Now().Unix(), triggers.Add(1)) }
	slash := func(channel, text string) {
		body := url.Values{"team_id": {soakTeam}, "channel_id": {channel}, "user_id": {"U0SOAK1"}, "command": {"/dsr"},
			"text": {text}, "response_url": {fake.ResponseURL("slash")}, "trigger_id": {trigger()}}.Encode()
		send("slash", "/slack/commands", "application/x-www-form-urlencoded", []byte(body))
	}
	// Each shop's channel is bound from its workspace first, as a team would.
	for i, id := range shopIDs {
		slash(fmt.Sprintf("C%02d", i), "bind "+id)
	}

	deadline := time.Now().Add(*soakDuration)
	load, endLoad := context.WithDeadline(ctx, deadline)
	defer endLoad()
	// pause paces a client (not a timing assertion) and ends with the load.
	pause := func(d time.Duration) {
		select {
		case <-time.After(d):
		case <-load.Done():
		}
	}
	loadStarted := time.Now()
	var requests atomic.Int64
	var mentionsMu sync.Mutex
	mentions := map[string]int{} // the ts of each mention sent, and how often it was sent
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) * float64(*soakClients) / float64(*soakRate))
	for c := 0; c < *soakClients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			user := fmt.Sprintf("U0SOAK%d", c)
			next := time.Now()
			for n := 0; time.Now().Before(deadline) && requests.Add(1) <= int64(*soakMax); n++ {
				shopIdx := rng.IntN(len(shopIDs))
				shop, channel := shopIDs[shopIdx], fmt.Sprintf("C%02d", shopIdx)
				review := reviewIDs[rng.IntN(len(reviewIDs))]
				switch r := rng.IntN(100); {
				case r < 40:
					texts := []string{"today", "today " + shop, "reviews open " + shop, "late " + shop, "status " + review, "reviews mine", "reopen " + review + " soak"}
					slash(channel, texts[rng.IntN(len(texts))])
				case r < 70:
					texts := []string{"today", "mine", "assign " + review + " to <@" + user + ">", "done " + review + " refund soak", "late " + shop}
					ts := fmt.Sprintf("%d.%06d", time.Now().Unix(), c*100000+n%100000)
					body, _ := json.Marshal(map[string]any{
						"token": "x", "team_id": soakTeam, "api_app_id": "A1", "type": "event_callback",
						"event_id": fmt.Sprintf("Ev%d-%d", c, n), "event_time": time.Now().Unix(),
						"event": map[string]any{"type": "app_mention", "user": user, "text": "<@" + slacktest.BotUserID + "> " + texts[rng.IntN(len(texts))],
							"channel": channel, "ts": ts, "event_ts": ts},
					})
					mentionsMu.Lock()
					mentions[ts]++
					mentionsMu.Unlock()
					send("event", "/slack/events", "application/json", body)
					if rng.IntN(5) == 0 { // Slack retries an event it thinks was missed
						mentionsMu.Lock()
						mentions[ts]++
						mentionsMu.Unlock()
						send("event", "/slack/events", "application/json", body, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")
					}
				default:
					action := map[string]any{"action_id": "claim", "block_id": "review|" + shop + "|" + review + "|open|shop", "type": "button", "value": review, "action_ts": "1"}
					if rng.IntN(2) == 0 {
						action["action_id"], action["type"] = "resolve", "static_select"
						action["selected_option"] = map[string]any{"value": "refund", "text": map[string]any{"type": "plain_text", "text": "refund"}}
					}
					payload, _ := json.Marshal(map[string]any{"type": "block_actions", "trigger_id": trigger(), "team": map[string]any{"id": soakTeam}, "user": map[string]any{"id": user},
						"channel": map[string]any{"id": channel}, "response_url": fake.ResponseURL("button"), "actions": []any{action}})
					send("button", "/slack/interactions", "application/x-www-form-urlencoded", []byte(url.Values{"payload": {string(payload)}}.Encode()))
				}
				next = next.Add(interval)
				if d := time.Until(next); d > 0 {
					pause(d)
				}
			}
		}()
	}
	for c := 0; c < *soakIngests; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(100+c), 9))
			for n := 0; time.Now().Before(deadline); n++ {
				var b bytes.Buffer
				b.WriteString("shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no\n")
				now := time.Now()
				slot := n % 3 // each client cycles over three files, so re-imports update rather than grow
				for i := 0; i < *soakRows; i++ {
					paid := now.Add(-time.Duration(i%96) * time.Hour)
					shipped := ""
					if rng.IntN(3) > 0 {
						shipped = paid.Add(5 * time.Hour).Format("2006-01-02 15:04:05")
					}
					fmt.Fprintf(&b, "%s,SOAK-%d-%d-%05d,连衣裙 L 黑色,159.00,%s,48h,,%s,\n", shopIDs[i%len(shopIDs)], c, slot, i, paid.Format("2006-01-02 15:04:05"), shipped)
				}
				send("ingest", "/ingest/orders", "text/csv", b.Bytes(), "Authorization", "Bearer "+soakIngest)
				pause(time.Second) // a pushing ERP's pace
			}
		}()
	}
	// The host's cron: hourly jobs from a second process-like Main, and a
	// backup each minute, while the bot's own scheduler runs.
	var cronRuns, cronFailures, backups atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 0; time.Now().Before(deadline); n++ {
			job := []string{"shipments", "reminders"}[n%2]
			if err := cli("run", job); err != nil {
				cronFailures.Add(1)
				t.Logf("dsrbot run %s: %v", job, err)
			}
			cronRuns.Add(1)
			if n%6 == 5 {
				if err := cli("backup", filepath.Join(dir, fmt.Sprintf("backup-%d.db", n))); err != nil {
					cronFailures.Add(1)
					t.Logf("dsrbot backup: %v", err)
				}
				backups.Add(1)
			}
			pause(10 * time.Second)
		}
	}()
	wg.Wait()
	loadEnded := time.Now()

	// Let the outbox empty: one more run delivers, then the scheduler's
	// 15-second drains; bounded.
	cli("run", "reminders")
	for i := 0; i < 120; i++ {
		pending, err := store.PendingOutbox(ctx)
		if err == nil && pending == 0 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	stopServe()
	if err := <-served; err != nil {
		t.Errorf("serve: %v", err)
	}
	serve.Close()

	// Count the fake Slack's posts against the outbox.
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT key, sent_at IS NOT NULL, failed_at IS NOT NULL FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	outboxSent, undelivered := map[string]bool{}, 0
	for rows.Next() {
		var key string
		var sent, failed bool
		rows.Scan(&key, &sent, &failed)
		if sent {
			outboxSent[key] = true
		} else {
			undelivered++
		}
	}
	rows.Close()
	posted := map[string]int{}
	threadAnswers := map[string]int{}
	for _, p := range fake.Posts() {
		if p.ThreadTS != "" {
			threadAnswers[p.ThreadTS]++
			continue
		}
		if p.Metadata != nil {
			if key, _ := p.Metadata.EventPayload["key"].(string); key != "" {
				posted[key]++
			}
		}
	}
	lost, doubled, unknown := undelivered, 0, 0
	for key := range outboxSent {
		switch posted[key] {
		case 0:
			lost++
		case 1:
		default:
			doubled += posted[key] - 1
		}
	}
	for key := range posted {
		if !outboxSent[key] {
			unknown++
		}
	}
	mentionLost, mentionDoubled, retried := 0, 0, 0
	for ts, sent := range mentions {
		if sent > 1 {
			retried++
		}
		switch threadAnswers[ts] {
		case 0:
			mentionLost++
		case 1:
		default:
			mentionDoubled += threadAnswers[ts] - 1
		}
	}

	// The report.
	var all []time.Duration
	// refused counts 4xx answers: every request the soak sends is well
	// formed and signed, so one is a bug in the bot or in the soak.
	total, fiveXX, refused := 0, 0, 0
	var report strings.Builder
	fmt.Fprintf(&report, "soak: %s of load (%d Slack clients at %d req/s, %d ingesters of %d-row files), on %s\n",
		loadEnded.Sub(loadStarted).Round(time.Second), *soakClients, *soakRate, *soakIngests, *soakRows, db)
	kinds := make([]string, 0, len(stats.latency))
	for k := range stats.statuses {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		d := stats.latency[k]
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		all = append(all, d...)
		n := 0
		var codes []string
		for code, c := range stats.statuses[k] {
			n += c
			total += c
			if code >= 500 || code == 0 {
				fiveXX += c
			}
			if code >= 400 && code < 500 {
				refused += c
			}
			codes = append(codes, fmt.Sprintf("%d×%d", c, code))
		}
		sort.Strings(codes)
		fmt.Fprintf(&report, "  %-7s %6d requests  p50 %7s  p99 %7s  max %7s  statuses %s\n", k, n,
			percentile(d, 0.50).Round(100*time.Microsecond), percentile(d, 0.99).Round(100*time.Microsecond), percentile(d, 1).Round(time.Millisecond), strings.Join(codes, " "))
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	logText := logs.String()
	locked := stats.locked + strings.Count(logText, "database is locked")
	fmt.Fprintf(&report, "  all     %6d requests  p50 %7s  p99 %7s\n", total, percentile(all, 0.5).Round(100*time.Microsecond), percentile(all, 0.99).Round(100*time.Microsecond))
	fmt.Fprintf(&report, "  5xx or no answer: %d; 4xx: %d; \"database is locked\": %d (answers and log)\n", fiveXX, refused, locked)
	fmt.Fprintf(&report, "  outbox: %d messages delivered, %d undelivered; fake Slack: %d lost, %d doubled, %d posted without an outbox row\n",
		len(outboxSent), undelivered, lost, doubled, unknown)
	fmt.Fprintf(&report, "  mentions: %d sent (%d of them retried by \"Slack\"), %d unanswered, %d answered twice\n", len(mentions), retried, mentionLost, mentionDoubled)
	fmt.Fprintf(&report, "  host cron: %d job runs and %d backups, %d failed; log: %d warnings, %d errors\n",
		cronRuns.Load(), backups.Load(), cronFailures.Load(), strings.Count(logText, "level=WARN"), strings.Count(logText, "level=ERROR"))
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(line, "VmHWM") {
				fmt.Fprintf(&report, "  peak RSS of the whole soak process (bot, fake Slack and clients): %s\n", strings.Join(strings.Fields(line)[1:], " "))
			}
		}
	}
	t.Log("\n" + report.String())
	for _, f := range stats.failures {
		t.Logf("failure: %s", f)
	}
	if fiveXX > 0 || refused > 0 || locked > 0 || lost > 0 || doubled > 0 || unknown > 0 || mentionLost > 0 || mentionDoubled > 0 || cronFailures.Load() > 0 {
		for _, line := range strings.Split(logText, "\n") {
			if strings.Contains(line, "level=ERROR") {
				t.Log(line)
			}
		}
		t.Fatal("the soak found problems (above)")
	}
}
