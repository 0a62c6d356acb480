package bot

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/dsrbot/dsrbot/storage"
)

// ackRecorder is the socket client's side that acknowledges envelopes.
type ackRecorder struct {
	mu   sync.Mutex
	acks map[string][]any
}

func (a *ackRecorder) Ack(req socketmode.Request, payload ...any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.acks[req.EnvelopeID] = payload
	return nil
}

// postRecorder is a Poster that keeps what it was asked to post.
type postRecorder struct {
	mu    sync.Mutex
	posts []string
}

func (p *postRecorder) Post(_ context.Context, channel, thread string, m Message) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.posts = append(p.posts, channel+"|"+thread+"|"+m.Text)
	return "1.0", nil
}

func (p *postRecorder) Respond(context.Context, string, Message, bool) error { return nil }

func TestSocketModeEnvelopes(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "dsrbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	if _, err := db.Demo(context.Background(), storage.DemoOptions{Seed: 1, Shops: 4, Orders: 2000, TZ: "Asia/Shanghai"}, now); err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	posts := &postRecorder{}
	s := &Server{Bot: &Bot{Store: db, Now: func() time.Time { return now }, Log: quiet}, Poster: posts, Events: db, BotUserID: "UBOT", Now: func() time.Time { return now }, Log: quiet}
	acks := &ackRecorder{acks: map[string][]any{}}
	ctx := context.Background()

	s.socketEvent(ctx, acks, socketmode.Event{
		Type:    socketmode.EventTypeSlashCommand,
		Data:    slack.SlashCommand{Command: "/dsr", Text: "today dy-fashion", UserID: "U0ALICE", ChannelID: "C1", TeamID: "T1"},
		Request: &socketmode.Request{EnvelopeID: "e1"},
	})
	payload, _ := json.Marshal(acks.acks["e1"])
	if !strings.Contains(string(payload), "dy-fashion · Douyin") || !strings.Contains(string(payload), `"response_type":"ephemeral"`) {
		t.Fatalf("slash command acknowledged with %s", payload)
	}

	mention := slackevents.EventsAPIEvent{
		Type: slackevents.CallbackEvent,
		Data: &slackevents.EventsAPICallbackEvent{EventID: "Ev9", TeamID: "T1"},
		InnerEvent: slackevents.EventsAPIInnerEvent{Type: "app_mention", Data: &slackevents.AppMentionEvent{
			User: "U0ALICE", Text: "<@UBOT> 今天 dy-home", Channel: "C2", TimeStamp: "1700000000.1"}},
	}
	for _, env := range []string{"e2", "e3"} { // the same event delivered twice
		s.socketEvent(ctx, acks, socketmode.Event{Type: socketmode.EventTypeEventsAPI, Data: mention, Request: &socketmode.Request{EnvelopeID: env}})
	}
	s.Wait()
	if _, ok := acks.acks["e2"]; !ok {
		t.Fatal("events envelope not acknowledged")
	}
	if len(posts.posts) != 1 || !strings.HasPrefix(posts.posts[0], "C2|1700000000.1|家居小铺 Cozy Home · dy-home · 抖音") {
		t.Fatalf("mention answers = %q", posts.posts)
	}

	s.socketEvent(ctx, acks, socketmode.Event{Type: socketmode.EventTypeInteractive, Data: slack.InteractionCallback{Type: slack.InteractionTypeBlockActions}, Request: &socketmode.Request{EnvelopeID: "e4"}})
	if _, ok := acks.acks["e4"]; !ok {
		t.Fatal("interactive envelope not acknowledged")
	}
}
