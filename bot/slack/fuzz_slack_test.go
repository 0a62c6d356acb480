package slack_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/storage"
)

// The three Slack request decoders, fuzzed behind signature verification:
// each fuzzed body is signed, so it gets past the check and reaches the
// decoder (form slash commands, JSON events, payload= interactions) and
// whatever handles what it decodes. Whatever the body, the server must not
// panic, must answer 2xx or 4xx, and a body it refuses (4xx) must have
// written nothing to the database. Run each for minutes after changing a
// handler:
//
//	go test ./bot/slack -run '^$' -fuzz FuzzSlashCommand -fuzztime 2m
//	go test ./bot/slack -run '^$' -fuzz FuzzEvent -fuzztime 2m
//	go test ./bot/slack -run '^$' -fuzz FuzzInteraction -fuzztime 2m

func FuzzSlashCommand(f *testing.F) {
	for _, text := range []string{"today", "today dy-fashion", "reviews all dy-fashion", "late", "bind dy-fashion", "owner logistics <@U1>",
		"done R1 refund note", "分配 R3538 给 <@U2>", "schedule 0 9 * * *", "help", ""} {
		f.Add(trSlash(text, trAlice, "C1", "http://fake/respond"))
	}
	f.Add("ssl_check=1&token=x")
	f.Add("command=%2Fdsr&text=%ZZ")
	f.Add("command=&text=today")
	f.Add("team_id=T1&command=/dsr&text=assign+R1+<@U1>&user_id=U0")
	fuzzSlack(f, "/slack/commands", "application/x-www-form-urlencoded")
}

func FuzzEvent(f *testing.F) {
	f.Add(trMention("Ev1", trAlice, "", "<@UBOT> today dy-fashion", "1764000000.000100", ""))
	f.Add(trMention("Ev2", trAlice, "", "<@UBOT> assign R3538 to <@U2>", "1764000000.000200", ""))
	f.Add(trMention("Ev3", trAlice, "B1", "<@UBOT> mine", "1764000000.000300", ""))
	f.Add(`{"type":"url_verification","challenge":"abc","token":"x"}`)
	f.Add(`{"type":"event_callback","event_id":"Ev4","team_id":"T1","event":{"type":"reaction_added"}}`)
	f.Add(`{"type":"event_callback","event_id":"Ev5","event":{"type":"app_mention","user":"U1","text":7}}`)
	f.Add(`{"type":"event_callback","event":null}`)
	f.Add(`{"type":"app_rate_limited"}`)
	f.Add(`[]`)
	fuzzSlack(f, "/slack/events", "application/json")
}

func FuzzInteraction(f *testing.F) {
	press := func(action, typ string, extra map[string]any) string {
		a := map[string]any{"action_id": action, "block_id": "review|dy-fashion|R3538|open|shop", "type": typ, "value": "R3538", "action_ts": "1"}
		for k, v := range extra {
			a[k] = v
		}
		return trAction(trAlice, "http://fake/respond", a)
	}
	f.Add(press("claim", "button", nil))
	f.Add(press("resolve", "static_select", map[string]any{"selected_option": map[string]any{"value": "refund"}}))
	f.Add(press("resolve", "static_select", map[string]any{"selected_option": nil}))
	f.Add(press("unknown", "overflow", nil))
	f.Add(trForm("payload", `{"type":"view_submission","view":{}}`))
	f.Add(trForm("payload", `{"type":"block_actions","actions":[{"block_id":"review|||"}]}`))
	f.Add("payload=%7B")
	f.Add("payload=")
	fuzzSlack(f, "/slack/interactions", "application/x-www-form-urlencoded")
}

// fuzzPoster stands in for Slack: it counts what would be posted, so a
// fuzzed response_url never reaches the network.
type fuzzPoster struct{ posts, responses atomic.Int64 }

func (p *fuzzPoster) Post(context.Context, string, string, bot.Message) (string, error) {
	p.posts.Add(1)
	return "1700000000.000100", nil
}

func (p *fuzzPoster) Respond(context.Context, string, bot.Message, bool) error {
	p.responses.Add(1)
	return nil
}

// fuzzSlack runs the fuzz target: each body signed, served, its work after
// the acknowledgement waited for, and the database's data_version (which
// moves with every commit by another connection) compared when the body
// was refused.
func fuzzSlack(f *testing.F, path, contentType string) {
	now := trNow
	dbPath := filepath.Join(f.TempDir(), "dsrbot.db")
	db, err := storage.Open(dbPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	if _, err := db.Demo(context.Background(), storage.DemoOptions{Seed: 1, Shops: 4, Orders: 300, TZ: "Asia/Shanghai"}, now); err != nil {
		f.Fatal(err)
	}
	observer, err := sql.Open("sqlite3", dbPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { observer.Close() })
	conn, err := observer.Conn(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { conn.Close() })
	version := func(t *testing.T) int64 {
		var v int64
		if err := conn.QueryRowContext(context.Background(), `PRAGMA data_version`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := &slack.Server{
		Bot:           &bot.Bot{Store: db, Now: func() time.Time { return now }, Log: quiet},
		Poster:        &fuzzPoster{},
		Events:        db,
		SigningSecret: trSecret,
		BotUserID:     "UBOT",
		Now:           func() time.Time { return now },
		Log:           quiet,
	}
	h := srv.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		before := version(t)
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		trResign(req, body, trSecret, now)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		srv.Wait()
		if rec.Code < 200 || rec.Code >= 500 || rec.Code >= 300 && rec.Code < 400 {
			t.Fatalf("%s answered %d %q to %q", path, rec.Code, rec.Body.String(), body)
		}
		if rec.Code >= 400 && version(t) != before {
			t.Fatalf("%s refused %q with %d but wrote to the database", path, body, rec.Code)
		}
	})
}
