package slacktest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
)

// The fake is checked through slack-go itself, the client the bot uses, so
// that what it answers is what that client understands from Slack.
func newClient(t *testing.T) (*slacktest.Slack, *slack.Client) {
	t.Helper()
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	return fake, slack.New("xoxb-fake", slack.OptionAPIURL(fake.URL()))
}

func TestAuthTest(t *testing.T) {
	fake, api := newClient(t)
	resp, err := api.AuthTestContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp.UserID != "UBOT" {
		t.Errorf("user_id = %q, want UBOT", resp.UserID)
	}
	_, err = slack.New("", slack.OptionAPIURL(fake.URL())).AuthTestContext(context.Background())
	if err == nil || err.Error() != "not_authed" {
		t.Errorf("no token: err = %v, want not_authed", err)
	}
}

func TestPostAndFindByMetadata(t *testing.T) {
	fake, api := newClient(t)
	ctx := context.Background()
	meta := slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "dsrbot_message", EventPayload: map[string]any{"key": "k1"}})
	_, ts1, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("first", false), meta)
	if err != nil {
		t.Fatal(err)
	}
	_, ts2, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("second", false),
		slack.MsgOptionBlocks(slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*hi*", false, false), nil, nil)))
	if err != nil {
		t.Fatal(err)
	}
	_, reply, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("in thread", false), slack.MsgOptionTS(ts1), meta)
	if err != nil {
		t.Fatal(err)
	}
	if !(ts1 < ts2 && ts2 < reply) {
		t.Errorf("ts not increasing: %s %s %s", ts1, ts2, reply)
	}
	posts := fake.Posts()
	if len(posts) != 3 || posts[2].ThreadTS != ts1 || posts[0].Metadata == nil || posts[0].Metadata.EventPayload["key"] != "k1" || posts[1].Blocks == nil {
		t.Fatalf("posts = %+v", posts)
	}

	hist, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", IncludeAllMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Messages) != 2 || hist.Messages[0].Timestamp != ts2 || hist.Messages[1].Metadata.EventPayload["key"] != "k1" {
		t.Errorf("history (newest first, top level only) = %+v", hist.Messages)
	}
	bare, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	if bare.Messages[1].Metadata.EventType != "" {
		t.Errorf("metadata returned without include_all_metadata")
	}
	later, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: "C1", Oldest: ts1})
	if err != nil {
		t.Fatal(err)
	}
	if len(later.Messages) != 1 || later.Messages[0].Timestamp != ts2 {
		t.Errorf("oldest is exclusive: %+v", later.Messages)
	}

	msgs, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: ts1, IncludeAllMetadata: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Timestamp != ts1 || msgs[1].Timestamp != reply || msgs[1].Metadata.EventPayload["key"] != "k1" {
		t.Errorf("replies = %+v", msgs)
	}
	if _, _, _, err := api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: "C1", Timestamp: "1.000000"}); err == nil || err.Error() != "thread_not_found" {
		t.Errorf("unknown thread: err = %v", err)
	}

	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", ts2, slack.MsgOptionText("edited", false)); err != nil {
		t.Fatal(err)
	}
	if h := fake.History("C1"); h[1].Text != "edited" || len(fake.Updates()) != 1 {
		t.Errorf("after chat.update: %+v", h)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", "1.000000", slack.MsgOptionText("x", false)); err == nil || err.Error() != "message_not_found" {
		t.Errorf("update of a missing message: err = %v", err)
	}
}

func TestRefusesWhatSlackRefuses(t *testing.T) {
	fake, api := newClient(t)
	ctx := context.Background()
	section := func(n int) slack.Block {
		return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, strings.Repeat("x", n), false, false), nil, nil)
	}
	tooMany := make([]slack.Block, 51)
	for i := range tooMany {
		tooMany[i] = section(1)
	}
	for name, opts := range map[string][]slack.MsgOption{
		"no_text":        {slack.MsgOptionText("", false)},
		"invalid_blocks": {slack.MsgOptionText("x", false), slack.MsgOptionBlocks(section(3001))},
		"51 blocks":      {slack.MsgOptionText("x", false), slack.MsgOptionBlocks(tooMany...)},
	} {
		if _, _, err := api.PostMessageContext(ctx, "C1", opts...); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false), slack.MsgOptionBlocks(section(3000))); err != nil {
		t.Errorf("3000 characters: %v", err)
	}
	if n := len(fake.Posts()); n != 1 {
		t.Errorf("stored %d messages, want 1", n)
	}
}

func TestPlannedFaults(t *testing.T) {
	fake, api := newClient(t)
	ctx := context.Background()
	fake.FailNext(http.StatusTooManyRequests, 7)
	fake.FailNext(http.StatusServiceUnavailable, 0)
	fake.FailAfterStore(http.StatusInternalServerError)
	fake.ErrorNext("channel_not_found")

	_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("a", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 7*time.Second {
		t.Errorf("429: err = %#v", err)
	}
	_, _, err = api.PostMessageContext(ctx, "C1", slack.MsgOptionText("b", false))
	var sc slack.StatusCodeError
	if !errors.As(err, &sc) || sc.Code != 503 || len(fake.Posts()) != 0 {
		t.Errorf("503: err = %#v, posts %d", err, len(fake.Posts()))
	}
	_, _, err = api.PostMessageContext(ctx, "C1", slack.MsgOptionText("c", false))
	if !errors.As(err, &sc) || sc.Code != 500 || len(fake.Posts()) != 1 {
		t.Errorf("stored then 500: err = %#v, posts %d", err, len(fake.Posts()))
	}
	_, _, err = api.PostMessageContext(ctx, "C1", slack.MsgOptionText("d", false))
	if err == nil || err.Error() != "channel_not_found" {
		t.Errorf("api error: err = %v", err)
	}
	if _, _, err = api.PostMessageContext(ctx, "C1", slack.MsgOptionText("e", false)); err != nil {
		t.Errorf("after the plan: %v", err)
	}
	if n := fake.Calls("chat.postMessage"); n != 5 {
		t.Errorf("calls = %d, want 5", n)
	}

	fake.FailNextResponse(http.StatusTooManyRequests, 2)
	msg := &slack.WebhookMessage{Text: "hi", ResponseType: "ephemeral"}
	err = slack.PostWebhookContext(ctx, fake.ResponseURL("r1"), msg)
	if !errors.As(err, &rl) || rl.RetryAfter != 2*time.Second {
		t.Errorf("response 429: err = %#v", err)
	}
	if err := slack.PostWebhookContext(ctx, fake.ResponseURL("r1"), msg); err != nil {
		t.Fatal(err)
	}
	got := fake.WaitResponses(1, time.Second)
	if len(got) != 1 || got[0].Name != "r1" || got[0].Path != "/respond/r1" || got[0].Text != "hi" || got[0].ResponseType != "ephemeral" {
		t.Errorf("responses = %+v", got)
	}
}

func TestWaitPostsWakesOnPost(t *testing.T) {
	fake, api := newClient(t)
	done := make(chan []slacktest.Post)
	go func() { done <- fake.WaitPosts(2, time.Minute) }()
	for _, text := range []string{"a", "b"} {
		if _, _, err := api.PostMessage("C1", slack.MsgOptionText(text, false)); err != nil {
			t.Fatal(err)
		}
	}
	if got := <-done; len(got) != 2 {
		t.Errorf("WaitPosts returned %d posts", len(got))
	}
	if got := fake.WaitPosts(3, time.Millisecond); len(got) != 2 {
		t.Errorf("WaitPosts past its timeout returned %d posts, want the 2 there are", len(got))
	}
}

// slack-go's Socket Mode client reads the fake as it reads Slack: "hello"
// comes first on each connection, and on "disconnect" the client opens a
// new connection, where envelopes reach it again.
func TestSocketHelloAndDisconnect(t *testing.T) {
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	client := socketmode.New(slack.New("xoxb-fake", slack.OptionAppLevelToken("xapp-1-A0DSRBOT-1-fake"), slack.OptionAPIURL(fake.URL())))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- client.RunContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	// next is the next message from Slack, skipping the client's own
	// lifecycle events.
	next := func() socketmode.Event {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case evt := <-client.Events:
				if evt.Request != nil {
					return evt
				}
			case <-timeout:
				t.Fatal("no message from the fake")
			}
		}
	}
	if evt := next(); evt.Type != socketmode.EventTypeHello || evt.Request.EnvelopeID != "" {
		t.Fatalf("first message: %s %+v, want hello without an envelope ID", evt.Type, evt.Request)
	}
	// The fake writes hello before it takes the connection as current:
	// wait for that, as SendEnvelope's callers wait with WaitSocket.
	if !fake.WaitConnections(1, 5*time.Second) {
		t.Fatal("the fake did not take the first connection")
	}
	if err := fake.SendDisconnect("refresh_requested"); err != nil {
		t.Fatal(err)
	}
	if !fake.WaitConnections(2, 5*time.Second) {
		t.Fatal("the client did not reconnect after disconnect")
	}
	if evt := next(); evt.Type != socketmode.EventTypeHello {
		t.Fatalf("first message on the new connection: %s, want hello", evt.Type)
	}
	id, err := fake.SendEnvelope("slash_commands", map[string]any{"command": "/dsr", "text": "help"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if evt := next(); evt.Type != socketmode.EventTypeSlashCommand || evt.Request.EnvelopeID != id {
		t.Fatalf("envelope: %s %+v, want the slash command %s", evt.Type, evt.Request, id)
	}
}
