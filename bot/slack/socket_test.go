package slack_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
)

// trAck is one acknowledgement sent over the socket.
type trAck struct {
	envelope string
	payload  []any
}

// trAcker records what the Socket Mode client would send back to Slack.
type trAcker struct {
	mu   sync.Mutex
	acks []trAck
}

func (a *trAcker) Ack(req socketmode.Request, payload ...any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.acks = append(a.acks, trAck{req.EnvelopeID, payload})
	return nil
}

func (a *trAcker) all() []trAck {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]trAck(nil), a.acks...)
}

func TestTransportSocketSlashCommandIsAckedWithTheAnswer(t *testing.T) {
	e := trNewEnv(t)
	s, fake := e.srv, e.fake
	acker := &trAcker{}
	s.SocketEvent(context.Background(), acker, socketmode.Event{
		Type: socketmode.EventTypeSlashCommand,
		Data: slackapi.SlashCommand{Command: "/dsr", Text: "today dy-fashion", UserID: "U1", ChannelID: "C1", TeamID: "T1",
			ResponseURL: fake.ResponseURL("socket")},
		Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: "e1"},
	})
	acks := acker.all()
	if len(acks) != 1 || acks[0].envelope != "e1" || len(acks[0].payload) != 1 {
		t.Fatalf("acks = %+v, want one for e1 with a payload", acks)
	}
	raw, err := json.Marshal(acks[0].payload[0])
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		ResponseType string            `json:"response_type"`
		Text         string            `json:"text"`
		Blocks       []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(raw, &msg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg.Text, "潮衣馆 Trend Closet · dy-fashion · Douyin · 2026-11-24") || len(msg.Blocks) == 0 || msg.ResponseType != "ephemeral" {
		t.Errorf("ack payload = %s", raw)
	}
	s.Wait()
	if n := len(fake.Responses()); n != 0 {
		t.Errorf("answered in the ack, yet %d response_url posts", n)
	}
}

func TestTransportSocketSlowSlashCommandIsAckedThenAnswered(t *testing.T) {
	e, store := trSlowEnv(t, 20*time.Millisecond)
	s, fake := e.srv, e.fake
	acker := &trAcker{}
	s.SocketEvent(context.Background(), acker, socketmode.Event{
		Type:    socketmode.EventTypeSlashCommand,
		Data:    slackapi.SlashCommand{Command: "/dsr", Text: "today dy-fashion", UserID: "U1", ChannelID: "C1", TeamID: "T1", ResponseURL: fake.ResponseURL("slow")},
		Request: &socketmode.Request{EnvelopeID: "e2"},
	})
	acks := acker.all()
	if len(acks) != 1 || len(acks[0].payload) != 1 {
		t.Fatalf("acks = %+v", acks)
	}
	if m, ok := acks[0].payload[0].(*slackapi.Msg); !ok || !strings.Contains(m.Text, "Working on it") {
		t.Errorf("ack payload = %#v, want the acknowledgement", acks[0].payload[0])
	}
	store.release()
	s.Wait()
	got := fake.Responses()
	if len(got) != 1 || got[0].Name != "slow" || !strings.Contains(got[0].Text, "dy-fashion · Douyin") {
		t.Errorf("response_url posts = %+v", got)
	}
}

// trEventsAPI is trMention (app_mention of the card in C1) parsed the
// way the socketmode client parses an envelope before handing it over.
func trEventsAPI(t *testing.T, eventID, user, botID string) slackevents.EventsAPIEvent {
	t.Helper()
	raw := trMention(eventID, user, botID, "<@UBOT> today dy-fashion", "1764000000.000100", "")
	ev, err := slackevents.ParseEvent(json.RawMessage(raw), slackevents.OptionNoVerifyToken())
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestTransportSocketMentionIsAckedAndPostedOnce(t *testing.T) {
	e := trNewEnv(t)
	s, fake := e.srv, e.fake
	acker := &trAcker{}
	ctx := context.Background()
	deliver := func(envelope, eventID, user, botID string, retry int) {
		s.SocketEvent(ctx, acker, socketmode.Event{
			Type:    socketmode.EventTypeEventsAPI,
			Data:    trEventsAPI(t, eventID, user, botID),
			Request: &socketmode.Request{Type: "events_api", EnvelopeID: envelope, RetryAttempt: retry},
		})
	}
	deliver("e1", "Ev1", "U1", "", 0)
	deliver("e2", "Ev1", "U1", "", 1) // Slack's retry of the same event
	deliver("e3", "Ev2", "U2", "B9", 0)
	deliver("e4", "Ev3", "UBOT", "", 0)
	s.Wait()

	acks := acker.all()
	if len(acks) != 4 {
		t.Fatalf("acks = %+v, want every envelope acknowledged", acks)
	}
	for i, a := range acks {
		if len(a.payload) != 0 {
			t.Errorf("ack %d of an event carries a payload: %v", i, a.payload)
		}
	}
	posts := fake.Posts()
	if len(posts) != 1 {
		t.Fatalf("posted %d messages, want 1: %+v", len(posts), posts)
	}
	if p := posts[0]; p.Channel != "C1" || p.ThreadTS != "1764000000.000100" || !strings.Contains(p.Text, "dy-fashion · Douyin") {
		t.Errorf("post = %+v", p)
	}
}

func TestTransportSocketButtonAndLifecycle(t *testing.T) {
	e := trNewEnv(t)
	s, fake, db := e.srv, e.fake, e.db
	ctx := context.Background()
	rv := e.openReview("dy-fashion")
	var cb slackapi.InteractionCallback
	payload := trActionPayload("T1", "U7", fake.ResponseURL("btn"), trClaim("dy-fashion", rv.ReviewID, "msg"))
	if err := json.Unmarshal([]byte(payload), &cb); err != nil {
		t.Fatal(err)
	}
	acker := &trAcker{}
	s.SocketEvent(ctx, acker, socketmode.Event{Type: socketmode.EventTypeInteractive, Data: cb, Request: &socketmode.Request{EnvelopeID: "e5"}})
	// Lifecycle events carry no envelope: nothing to acknowledge.
	s.SocketEvent(ctx, acker, socketmode.Event{Type: socketmode.EventTypeConnected})
	s.SocketEvent(ctx, acker, socketmode.Event{Type: socketmode.EventTypeHello, Request: &socketmode.Request{Type: "hello"}})
	s.Wait()
	if acks := acker.all(); len(acks) != 1 || acks[0].envelope != "e5" {
		t.Errorf("acks = %+v", acks)
	}
	got, err := db.FindReview(ctx, "dy-fashion", rv.ReviewID)
	if err != nil || got.Owner != "U7" {
		t.Errorf("after Claim over the socket: %+v, %v", got, err)
	}
	if r := fake.Responses(); len(r) != 1 || r[0].ReplaceOriginal {
		t.Errorf("responses = %+v, want one line beside the message", r)
	}
}

// trSocketRequest is a Socket Mode message decoded as slack-go decodes it
// before handing it over as an Event's Request.
func trSocketRequest(t *testing.T, raw string) *socketmode.Request {
	t.Helper()
	var req socketmode.Request
	if err := json.Unmarshal([]byte(raw), &req); err != nil {
		t.Fatal(err)
	}
	return &req
}

// Only envelopes are acknowledged. slack-go hands over, besides them, its
// own lifecycle events with no Request, and Slack's "hello" and
// "disconnect" with a Request that has no envelope ID: acknowledging those
// would send Slack {"envelope_id":""}.
func TestTransportSocketAcksOnlyEnvelopes(t *testing.T) {
	e := trNewEnv(t)
	s, fake := e.srv, e.fake
	hello := trSocketRequest(t, `{"type":"hello","num_connections":1,"debug_info":{"host":"applink-1","build_number":10,"approximate_connection_time":18060},"connection_info":{"app_id":"A0DSRBOT"}}`)
	disconnect := trSocketRequest(t, `{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"applink-1"}}`)
	rawSlash, _ := json.Marshal(map[string]any{"envelope_id": "e-slash", "type": "slash_commands",
		"payload": trSlashPayload("help", fake.ResponseURL("help")), "accepts_response_payload": true})
	slash := trSocketRequest(t, string(rawSlash))
	var cmd slackapi.SlashCommand
	if err := json.Unmarshal(slash.Payload, &cmd); err != nil || cmd.Command != "/dsr" {
		t.Fatalf("slash command %+v: %v", cmd, err)
	}
	mention := trEventsAPI(t, "EvNoEnv", "U1", "")
	tests := []struct {
		name     string
		evt      socketmode.Event
		wantAcks []string
	}{
		{"connecting", socketmode.Event{Type: socketmode.EventTypeConnecting, Data: &slackapi.ConnectingEvent{Attempt: 1}}, nil},
		{"connected", socketmode.Event{Type: socketmode.EventTypeConnected, Data: &socketmode.ConnectedEvent{}}, nil},
		{"hello", socketmode.Event{Type: socketmode.EventTypeHello, Request: hello}, nil},
		{"disconnect", socketmode.Event{Type: socketmode.EventTypeDisconnect, Request: disconnect}, nil},
		{"an event without an envelope ID", socketmode.Event{Type: socketmode.EventTypeEventsAPI, Data: mention, Request: &socketmode.Request{Type: "events_api"}}, nil},
		{"a slash command", socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: cmd, Request: slash}, []string{"e-slash"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acker := &trAcker{}
			s.SocketEvent(context.Background(), acker, tt.evt)
			s.Wait()
			var got []string
			for _, a := range acker.all() {
				got = append(got, a.envelope)
			}
			if !slices.Equal(got, tt.wantAcks) {
				t.Errorf("acks = %q, want %q", got, tt.wantAcks)
			}
		})
	}
	if p := fake.Posts(); len(p) != 0 {
		t.Errorf("acted on a request it could not acknowledge: %+v", p)
	}
}

// trRunSocket connects s over Socket Mode to the fake and stops it at the
// end of the test.
func trRunSocket(t *testing.T, s *slack.Server, fake *slacktest.Slack) {
	t.Helper()
	api := slackapi.New("xoxb-test", slackapi.OptionAppLevelToken("xapp-1-A0DSRBOT-1-test"), slackapi.OptionAPIURL(fake.URL()))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.RunSocketMode(ctx, api) }()
	t.Cleanup(func() {
		cancel()
		<-done
		s.Wait()
	})
	if !fake.WaitSocket(5 * time.Second) {
		t.Fatal("the bot did not connect over Socket Mode")
	}
}

// trSlashPayload is trSlash (Alice in C1) as the JSON object a Socket
// Mode envelope carries: the same fields as the HTTP form.
func trSlashPayload(text, responseURL string) map[string]any {
	form, err := url.ParseQuery(trSlash(text, trAlice, "C1", responseURL))
	if err != nil {
		panic(err)
	}
	m := map[string]any{}
	for k := range form {
		m[k] = form.Get(k)
	}
	return m
}

// trMentionPayload is trMention (Alice in C1) as the JSON object a Socket
// Mode envelope carries.
func trMentionPayload(eventID, text string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(trMention(eventID, trAlice, "", text, "1764000000.000100", "")), &m); err != nil {
		panic(err)
	}
	return m
}

// The same handlers over a real Socket Mode connection: each envelope is
// acknowledged, a slash command's with its answer.
func TestTransportSocketModeOverWebSocket(t *testing.T) {
	e := trNewEnv(t)
	s, fake, db := e.srv, e.fake, e.db
	trRunSocket(t, s, fake)

	id, err := fake.SendEnvelope("slash_commands", trSlashPayload("today dy-fashion", fake.ResponseURL("sock")), 0)
	if err != nil {
		t.Fatal(err)
	}
	ack, ok := fake.WaitAck(id, 5*time.Second)
	if !ok {
		t.Fatal("slash command not acknowledged")
	}
	var msg struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal(ack.Payload, &msg); err != nil || msg.ResponseType != "ephemeral" || !strings.Contains(msg.Text, "潮衣馆 Trend Closet · dy-fashion · Douyin") {
		t.Errorf("ack payload = %s (%v)", ack.Payload, err)
	}

	first, _ := fake.SendEnvelope("events_api", trMentionPayload("EvS1", "<@UBOT> today dy-fashion"), 0)
	retry, _ := fake.SendEnvelope("events_api", trMentionPayload("EvS1", "<@UBOT> today dy-fashion"), 1)
	for _, env := range []string{first, retry} {
		if a, ok := fake.WaitAck(env, 5*time.Second); !ok || len(a.Payload) != 0 {
			t.Errorf("event envelope %s: acked %v, payload %s", env, ok, a.Payload)
		}
	}

	rv := e.openReview("dy-fashion")
	var cb map[string]any
	if err := json.Unmarshal([]byte(trActionPayload("T1", trBo, fake.ResponseURL("btn"), trClaim("dy-fashion", rv.ReviewID, "shop"))), &cb); err != nil {
		t.Fatal(err)
	}
	btn, _ := fake.SendEnvelope("interactive", cb, 0)
	if _, ok := fake.WaitAck(btn, 5*time.Second); !ok {
		t.Error("button not acknowledged")
	}

	fake.WaitPosts(1, 5*time.Second)
	fake.WaitResponses(1, 5*time.Second)
	s.Wait()
	if posts := fake.Posts(); len(posts) != 1 || posts[0].ThreadTS != "1764000000.000100" {
		t.Errorf("posts = %+v, want one answer to the event delivered twice", posts)
	}
	if r := fake.Responses(); len(r) != 1 || r[0].Name != "btn" || !r[0].ReplaceOriginal {
		t.Errorf("responses = %+v", r)
	}
	if got, _ := db.FindReview(context.Background(), "dy-fashion", rv.ReviewID); got == nil || got.Owner != trBo {
		t.Errorf("after Claim over the socket: %+v", got)
	}
}

// Over a real connection: Slack's "hello", sent first on every connection,
// and its "disconnect", which asks for a new connection, are not envelopes
// and get no acknowledgement. The bot reconnects, and a slash command on
// either connection is acknowledged once. TestTransportSocketAcksOnlyEnvelopes
// is the exact check; this one is the wire, where an acknowledgement of
// hello would go out at once, well before that of the slash command that
// follows it, which waits on the database.
func TestTransportSocketModeHelloAndDisconnectAreNotAcked(t *testing.T) {
	e := trNewEnv(t)
	s, fake := e.srv, e.fake
	trRunSocket(t, s, fake)

	before, err := fake.SendEnvelope("slash_commands", trSlashPayload("help", fake.ResponseURL("before")), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fake.WaitAck(before, 5*time.Second); !ok {
		t.Fatal("slash command before the disconnect not acknowledged")
	}
	if err := fake.SendDisconnect("refresh_requested"); err != nil {
		t.Fatal(err)
	}
	if !fake.WaitConnections(2, 5*time.Second) {
		t.Fatal("the bot did not reconnect after disconnect")
	}
	after, err := fake.SendEnvelope("slash_commands", trSlashPayload("today dy-fashion", fake.ResponseURL("after")), 0)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := fake.WaitAck(after, 5*time.Second); !ok || !strings.Contains(string(a.Payload), "dy-fashion") {
		t.Fatalf("slash command after the reconnection: acked %v with %s", ok, a.Payload)
	}

	count := map[string]int{}
	for _, a := range fake.Acks() {
		count[a.EnvelopeID]++
	}
	if n := count[""]; n != 0 {
		t.Errorf("%d acknowledgements without an envelope ID (of hello or disconnect)", n)
	}
	if count[before] != 1 || count[after] != 1 || len(count) != 2 {
		t.Errorf("acks by envelope = %v, want one each for %s and %s", count, before, after)
	}
}

// Slack wants every envelope acknowledged within 3 seconds. A slash
// command may hold its own acknowledgement for up to AckAfter while it
// works, but the envelopes behind it must not wait for it: with the
// default AckAfter (2 s), two slow commands in a row would have the second
// acknowledged after about 4 s, and Slack shows the user a timeout.
func TestTransportSocketModeSlowCommandDoesNotHoldOtherEnvelopes(t *testing.T) {
	e, store := trSlowEnv(t, time.Minute) // the slash command is still inside its window
	s, fake := e.srv, e.fake
	trRunSocket(t, s, fake)

	slow, err := fake.SendEnvelope("slash_commands", trSlashPayload("today dy-fashion", fake.ResponseURL("slow")), 0)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := fake.SendEnvelope("events_api", trMentionPayload("EvS2", "<@UBOT> help"), 0)
	help, _ := fake.SendEnvelope("slash_commands", trSlashPayload("help", fake.ResponseURL("help")), 0)
	_, evAcked := fake.WaitAck(ev, 3*time.Second)
	_, helpAcked := fake.WaitAck(help, 3*time.Second)
	if _, ok := fake.WaitAck(slow, 0); ok {
		t.Fatal("the slow command was acknowledged before its work was released")
	}
	if !evAcked || !helpAcked {
		t.Errorf("while one slash command works, the envelopes behind it wait: event acked %v, /dsr help acked %v (Slack allows 3 s)", evAcked, helpAcked)
	}
	store.release()
	if a, ok := fake.WaitAck(slow, 5*time.Second); !ok || !strings.Contains(string(a.Payload), "dy-fashion") {
		t.Errorf("slow command: acked %v with %s", ok, a.Payload)
	}
	// Let everything queued finish before the test stops the socket.
	for _, env := range []string{ev, help} {
		if _, ok := fake.WaitAck(env, 5*time.Second); !ok {
			t.Errorf("envelope %s never acknowledged", env)
		}
	}
	if n := len(fake.WaitPosts(1, 5*time.Second)); n != 1 {
		t.Errorf("%d answers to the mention, want 1", n)
	}
}
