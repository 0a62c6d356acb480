package slack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
	"github.com/dsrbot/dsrbot/storage"
)

// The Slack-native surfaces end to end: payloads as Slack sends them
// (app_home_opened, block_actions from a message and from the Home,
// view_submission with state values, message_action), and assertions on
// the calls the fake Slack received and on the database.

// trHomeOpened is an Events API envelope of app_home_opened.
func trHomeOpened(eventID, user, tab string) string {
	raw, _ := json.Marshal(map[string]any{
		"token": "gIkuvaNzQIHg97ATvDxqgjtO", "team_id": "T1", "api_app_id": "A0DSRBOT", "type": "event_callback",
		"event_id": eventID, "event_time": 1764000000,
		"event": map[string]any{"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": tab, "event_ts": "1764000000.000100"},
	})
	return string(raw)
}

// trPosted is a message the bot posted in C1 (a reminder of rv), as
// Slack stores it: its ts, text and blocks.
func (e *trEnv) trPosted(rv *storage.Review) slacktestPost {
	e.t.Helper()
	return e.trPostedIn("C1", rv)
}

// trPostedIn is trPosted in channel.
func (e *trEnv) trPostedIn(channel string, rv *storage.Review) slacktestPost {
	e.t.Helper()
	shop, err := e.db.FindShop(context.Background(), rv.ShopID)
	if err != nil {
		e.t.Fatal(err)
	}
	ts, err := e.client.Post(context.Background(), channel, "", bot.RenderReminder(shop, rv, trNow))
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range e.fake.Posts() {
		if p.TS == ts {
			return slacktestPost{TS: ts, Text: p.Text, Blocks: p.Blocks}
		}
	}
	e.t.Fatal("the posted message is not in the fake")
	return slacktestPost{}
}

type slacktestPost struct {
	TS, Text string
	Blocks   json.RawMessage
}

// reviewBlockID is the block ID of the review's actions in a message.
func (p slacktestPost) reviewBlockID(t *testing.T) string {
	t.Helper()
	var blocks []map[string]any
	json.Unmarshal(p.Blocks, &blocks)
	for _, b := range blocks {
		if id, _ := b["block_id"].(string); b["type"] == "actions" && strings.HasPrefix(id, "review|") {
			return id
		}
	}
	t.Fatalf("no review actions in %s", p.Blocks)
	return ""
}

// trMessageAction is a block_actions payload from a channel message (not
// ephemeral), carrying the message as Slack does.
func trMessageAction(user string, p slacktestPost, responseURL string, action map[string]any) string {
	return trMessageActionIn("C1", user, p, responseURL, action)
}

// trMessageActionIn is trMessageAction on a message in channel (a DM's
// D… ID for a reminder sent to a person).
func trMessageActionIn(channel, user string, p slacktestPost, responseURL string, action map[string]any) string {
	payload := map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user, "username": "bo", "team_id": "T1"},
		"api_app_id": "A0DSRBOT", "token": "gIkuvaNzQIHg97ATvDxqgjtO",
		"container":  map[string]any{"type": "message", "message_ts": p.TS, "channel_id": channel, "is_ephemeral": false},
		"trigger_id": "13345224609.738474920.trigger1",
		"team":       map[string]any{"id": "T1", "domain": "trendcloset"},
		"channel":    map[string]any{"id": channel, "name": "shop-ops"},
		"message":    map[string]any{"type": "message", "user": "UBOT", "bot_id": "BBOT", "text": p.Text, "ts": p.TS, "blocks": p.Blocks},
		"state":      map[string]any{"values": map[string]any{}}, "response_url": responseURL,
		"actions": []any{action},
	}
	raw, _ := json.Marshal(payload)
	return trForm("payload", string(raw))
}

// trHomeAction is a block_actions payload from the App Home: a view
// container, no response_url.
func trHomeAction(user string, action map[string]any) string {
	payload := map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user, "team_id": "T1"}, "api_app_id": "A0DSRBOT",
		"container":  map[string]any{"type": "view", "view_id": "V0HOME"},
		"trigger_id": "13345224609.738474920.trigger2", "team": map[string]any{"id": "T1"},
		"view":    map[string]any{"id": "V0HOME", "type": "home", "callback_id": "dsr_home", "team_id": "T1"},
		"actions": []any{action},
	}
	raw, _ := json.Marshal(payload)
	return trForm("payload", string(raw))
}

// trSubmission is a view_submission of the resolve form with the
// outcome, amount and note typed.
func trSubmission(user, meta, outcome, amount, note string) string {
	values := map[string]any{
		"outcome": map[string]any{"outcome": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": outcome, "text": map[string]any{"type": "plain_text", "text": outcome}}}},
		"amount":  map[string]any{"amount": map[string]any{"type": "plain_text_input", "value": amount}},
		"note":    map[string]any{"note": map[string]any{"type": "plain_text_input", "value": note}},
	}
	if outcome == "" {
		values["outcome"] = map[string]any{"outcome": map[string]any{"type": "static_select", "selected_option": nil}}
	}
	payload := map[string]any{
		"type": "view_submission", "team": map[string]any{"id": "T1", "domain": "trendcloset"},
		"user": map[string]any{"id": user, "team_id": "T1"}, "api_app_id": "A0DSRBOT", "trigger_id": "1.2.trigger3",
		"view": map[string]any{
			"id": "V00000001", "type": "modal", "callback_id": "dsr_resolve", "private_metadata": meta, "team_id": "T1",
			"state": map[string]any{"values": values}, "hash": "1764000000.abc",
		},
	}
	raw, _ := json.Marshal(payload)
	return trForm("payload", string(raw))
}

func trButton(actionID, blockID, value string) map[string]any {
	return map[string]any{"action_id": actionID, "block_id": blockID, "type": "button", "value": value, "action_ts": "1764000012.1"}
}

// trInteract posts a payload to /slack/interactions and returns the body.
func (e *trEnv) trInteract(body string) string {
	e.t.Helper()
	code, _, resp := e.do(e.request("/slack/interactions", trFormType, body))
	if code != http.StatusOK {
		e.t.Fatalf("interaction: %d %s", code, resp)
	}
	return resp
}

func TestViewsHomeIsPublishedWhenOpened(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	if _, err := e.db.Reassign(context.Background(), rv.ID, trAlice, storage.Change{Actor: trAlice, At: trNow}, nil); err != nil {
		t.Fatal(err)
	}
	// The Messages tab is left alone; the Home tab is published.
	for _, ev := range []string{trHomeOpened("EvH0", trAlice, "messages"), trHomeOpened("EvH1", trAlice, "home")} {
		if code, _, body := e.do(e.request("/slack/events", trJSONType, ev)); code != http.StatusOK {
			t.Fatalf("app_home_opened: %d %s", code, body)
		}
	}
	e.srv.Wait()
	views := e.fake.Views()
	if len(views) != 1 || views[0].Method != "views.publish" || views[0].UserID != trAlice || views[0].View.Type != "home" {
		t.Fatalf("views = %+v", views)
	}
	if !strings.Contains(string(views[0].View.Blocks), "review|dy-fashion|"+rv.ReviewID+"|mine|home|") {
		t.Errorf("alice's Home lacks her follow-up:\n%s", views[0].View.Blocks)
	}
}

func TestViewsClaimFromHomeRepublishesIt(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	e.trInteract(trHomeAction(trChen, trButton("claim", "review|dy-fashion|"+rv.ReviewID+"|mine|home", rv.ReviewID)))
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Owner != trChen {
		t.Errorf("owner after a claim from the Home = %q", got.Owner)
	}
	views := e.fake.Views()
	if len(views) != 1 || views[0].Method != "views.publish" || views[0].UserID != trChen {
		t.Fatalf("views = %+v, want the Home published again", views)
	}
	if !strings.Contains(string(views[0].View.Blocks), rv.ReviewID) {
		t.Errorf("the republished Home lacks the claimed review")
	}
	if e.fake.Calls("response_url") != 0 {
		t.Error("a Home action answered a response_url it does not have")
	}
}

// The resolve form: Resolve on a posted message opens it with the press's
// trigger; a submission without what its outcome needs is answered with
// field errors in the response and changes nothing; a valid one is
// acknowledged with an empty 200 (the form closes), and then the review is
// closed with the amount in its note and the message's line redrawn in
// place with chat.update, saying who closed it and how.
func TestViewsResolveFormOverHTTP(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	msg := e.trPosted(&rv)
	block := msg.reviewBlockID(t)
	e.trInteract(trMessageAction(trBo, msg, e.fake.ResponseURL("r1"), trButton("resolve_form", block, rv.ReviewID)))
	e.srv.Wait()
	views := e.fake.Views()
	if len(views) != 1 || views[0].Method != "views.open" || views[0].TriggerID != "13345224609.738474920.trigger1" || views[0].View.CallbackID != bot.ResolveCallback {
		t.Fatalf("views = %+v", views)
	}
	meta := views[0].View.PrivateMetadata
	before := e.state()

	for _, tt := range []struct{ outcome, amount, note, block string }{
		{"compensate", "", "sorry", "amount"},
		{"no_action", "", "", "note"},
		{"", "", "", "outcome"},
	} {
		body := e.trInteract(trSubmission(trBo, meta, tt.outcome, tt.amount, tt.note))
		var resp struct {
			Action string            `json:"response_action"`
			Errors map[string]string `json:"errors"`
		}
		if err := json.Unmarshal([]byte(body), &resp); err != nil || resp.Action != "errors" || resp.Errors[tt.block] == "" || len(resp.Errors) != 1 {
			t.Errorf("%+v: answer %s", tt, body)
		}
	}
	e.srv.Wait()
	if after := e.state(); after != before {
		t.Errorf("a refused form changed the database:\n%s", after)
	}

	if body := e.trInteract(trSubmission(trBo, meta, "compensate", "20", "called back")); strings.TrimSpace(body) != "" {
		t.Errorf("a valid form is answered %q, want an empty 200", body)
	}
	e.srv.Wait()
	got := e.review("dy-fashion", rv.ReviewID)
	if got.Status != storage.StatusDone || got.Outcome != "compensate" || got.Note != "¥20.00 called back" {
		t.Errorf("after the form: %+v", got)
	}
	ups := e.fake.Updates()
	if len(ups) != 1 || ups[0].Channel != "C1" || ups[0].TS != msg.TS {
		t.Fatalf("chat.update calls = %+v", ups)
	}
	if s := trStrings(ups[0].Blocks); !strings.Contains(s, "Closed by <@"+trBo+">: compensate · “¥20.00 called back”") || strings.Contains(string(ups[0].Blocks), `"claim"`) {
		t.Errorf("the updated message:\n%s", s)
	}
	// The person who resolved it reads the answer beside the message.
	if r := e.fake.Responses(); len(r) != 1 || r[0].Name != "r1" || !strings.Contains(r[0].Text, rv.ReviewID) {
		t.Errorf("responses = %+v", r)
	}
}

// Reassign with the user picker on a posted message: the owner changes,
// the new owner is mentioned in the message's thread, the message's line
// is redrawn; a second press drawn before that change is refused as stale.
func TestViewsReassignAndStalePress(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	msg := e.trPosted(&rv)
	block := msg.reviewBlockID(t)
	pick := map[string]any{"type": "users_select", "action_id": "reassign", "block_id": block, "selected_user": trChen, "action_ts": "1764000013.1"}
	e.trInteract(trMessageAction(trBo, msg, e.fake.ResponseURL("r1"), pick))
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Owner != trChen {
		t.Fatalf("owner after the picker = %q", got.Owner)
	}
	var thread []string
	for _, p := range e.fake.Posts() {
		if p.ThreadTS == msg.TS {
			thread = append(thread, p.Text)
		}
	}
	if len(thread) != 1 || !strings.Contains(thread[0], "<@"+trChen+">") {
		t.Errorf("thread posts = %q, want one mentioning the new owner", thread)
	}
	ups := e.fake.Updates()
	if len(ups) != 1 || !strings.Contains(trStrings(ups[0].Blocks), "<@"+trChen+">") {
		t.Fatalf("chat.update calls = %+v", ups)
	}
	// The same message as drawn before, pressed again: Claim by mei.
	before := e.state()
	e.trInteract(trMessageAction(trMei, msg, e.fake.ResponseURL("r2"), trButton("claim", block, rv.ReviewID)))
	e.srv.Wait()
	if after := e.state(); after != before {
		t.Errorf("a stale press changed the database")
	}
	var said string
	for _, r := range e.fake.Responses() {
		if r.Name == "r2" {
			said = r.Text
		}
	}
	if !strings.Contains(said, "changed since this message was drawn") {
		t.Errorf("the stale press was answered %q", said)
	}
	// ...and the message is redrawn as it is now.
	if ups := e.fake.Updates(); len(ups) != 2 {
		t.Errorf("chat.update calls after the stale press = %d, want 2", len(ups))
	}
	// Old messages (a five-part block ID, the outcome select) still resolve.
	e.trInteract(trAction(trBo, e.fake.ResponseURL("r3"), trResolve("dy-fashion", rv.ReviewID, "refund")))
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Status != storage.StatusDone || got.Outcome != "refund" {
		t.Errorf("an old message's Resolve: %+v", got)
	}
}

// The message shortcut "Follow up this review": a message naming a
// review opens a modal with it and its actions; one naming none is
// answered that it names none.
func TestViewsFollowUpShortcut(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	shortcut := func(text, name string) {
		raw, _ := json.Marshal(map[string]any{
			"type": "message_action", "callback_id": "dsr_follow_up", "trigger_id": "1.2.trigger4",
			"team": map[string]any{"id": "T1"}, "user": map[string]any{"id": trAlice, "team_id": "T1"},
			"channel": map[string]any{"id": "C1"}, "response_url": e.fake.ResponseURL(name), "message_ts": "1764000000.000300",
			"message": map[string]any{"type": "message", "user": trBo, "ts": "1764000000.000300", "text": text},
		})
		e.trInteract(trForm("payload", string(raw)))
		e.srv.Wait()
	}
	shortcut("buyer called about "+rv.ReviewID+" again, 2 times", "s1")
	views := e.fake.Views()
	if len(views) != 1 || views[0].Method != "views.open" || views[0].View.CallbackID != bot.ReviewCallback {
		t.Fatalf("views = %+v", views)
	}
	if b := string(views[0].View.Blocks); !strings.Contains(b, "review|dy-fashion|"+rv.ReviewID+"|open|view|") || !strings.Contains(b, `"claim"`) {
		t.Errorf("the modal lacks the review's actions:\n%s", b)
	}
	shortcut("lunch at 12?", "s2")
	if r := e.fake.Responses(); len(r) != 1 || r[0].Name != "s2" || !strings.Contains(r[0].Text, "names no bad review") {
		t.Errorf("responses = %+v", r)
	}
	// Claim in the modal updates the modal.
	payload := map[string]any{
		"type": "block_actions", "user": map[string]any{"id": trAlice, "team_id": "T1"}, "team": map[string]any{"id": "T1"},
		"container": map[string]any{"type": "view", "view_id": "V00000001"}, "trigger_id": "1.2.trigger5",
		"view":    map[string]any{"id": "V00000001", "type": "modal", "callback_id": bot.ReviewCallback},
		"actions": []any{trButton("claim", "review|dy-fashion|"+rv.ReviewID+"|open|view", rv.ReviewID)},
	}
	raw, _ := json.Marshal(payload)
	e.trInteract(trForm("payload", string(raw)))
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Owner != trAlice {
		t.Errorf("owner after Claim in the modal = %q", got.Owner)
	}
	if views := e.fake.Views(); len(views) != 2 || views[1].Method != "views.update" || views[1].ViewID != "V00000001" {
		t.Errorf("views = %+v", views)
	}
}

// trHeldClose is the database with CloseReview held until release: the
// slow work of a form, to show it runs after the acknowledgement.
type trHeldClose struct {
	*storage.DB
	entered  chan struct{}
	once     sync.Once
	released chan struct{}
}

func (h *trHeldClose) CloseReview(ctx context.Context, id int64, outcome string, by storage.Change) error {
	h.once.Do(func() { close(h.entered) })
	<-h.released
	return h.DB.CloseReview(ctx, id, outcome, by)
}

// A valid form is acknowledged before the review is closed: the response
// comes back while the closing is still held, over HTTP and on the socket
// (where the acknowledgement carries field errors the same way).
func TestViewsFormIsAcknowledgedBeforeTheWork(t *testing.T) {
	var held *trHeldClose
	e := trNewEnv(t, func(e *trEnv) {
		held = &trHeldClose{DB: e.db, entered: make(chan struct{}), released: make(chan struct{})}
		e.srv.Bot.Store = held
	})
	released := false
	release := func() {
		if !released {
			released = true
			close(held.released)
		}
	}
	t.Cleanup(release)
	rv := e.openReview("dy-fashion")
	form, refusal := e.srv.Bot.ResolveForm(context.Background(), bot.Action{Shop: "dy-fashion", Review: rv.ReviewID, Filter: "open", Scope: "msg", User: trBo, Team: "T1"}, bot.Back{})
	if refusal != nil {
		t.Fatal(refusal.Message.Plain)
	}
	if body := e.trInteract(trSubmission(trBo, form.PrivateMetadata, "refund", "", "")); strings.TrimSpace(body) != "" {
		t.Errorf("answer %q", body)
	}
	<-held.entered // the work started after the answer came back
	if got := e.review("dy-fashion", rv.ReviewID); got.Status != storage.StatusOpen {
		t.Errorf("closed before the acknowledgement: %+v", got)
	}
	release()
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Status != storage.StatusDone {
		t.Errorf("not closed after: %+v", got)
	}

	// The socket: a form with errors is acknowledged with them.
	var cb slackapi.InteractionCallback
	raw := trSubmission(trBo, form.PrivateMetadata, "compensate", "", "")
	payload := strings.TrimPrefix(raw, "payload=")
	payload = trUnescape(t, payload)
	if err := json.Unmarshal([]byte(payload), &cb); err != nil {
		t.Fatal(err)
	}
	acker := &trAcker{}
	e.srv.SocketEvent(context.Background(), acker, socketmode.Event{Type: socketmode.EventTypeInteractive, Data: cb, Request: &socketmode.Request{EnvelopeID: "f1"}})
	acks := acker.all()
	if len(acks) != 1 || len(acks[0].payload) != 1 {
		t.Fatalf("acks = %+v", acks)
	}
	resp, ok := acks[0].payload[0].(*slackapi.ViewSubmissionResponse)
	if !ok || resp.ResponseAction != slackapi.RAErrors || resp.Errors["amount"] == "" {
		t.Errorf("socket ack payload = %#v", acks[0].payload[0])
	}
}

// trUnescape decodes a form field's value.
func trUnescape(t *testing.T, s string) string {
	t.Helper()
	v, err := url.QueryUnescape(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A refused action from the App Home is said on the Home: a Claim drawn
// before someone else took the review is refused, changes nothing, and
// the Home is published again with the sentence a message would have
// carried at its top; the next opening of the tab publishes it without.
func TestViewsStaleClaimFromHomeIsSaidOnIt(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	if _, err := e.db.Reassign(context.Background(), rv.ID, trAlice, storage.Change{Actor: trAlice, At: trNow}, nil); err != nil {
		t.Fatal(err)
	}
	if code, _, body := e.do(e.request("/slack/events", trJSONType, trHomeOpened("EvS1", trAlice, "home"))); code != http.StatusOK {
		t.Fatalf("app_home_opened: %d %s", code, body)
	}
	e.srv.Wait()
	views := e.fake.Views()
	if len(views) != 1 {
		t.Fatalf("views = %+v", views)
	}
	var block string
	var blocks []map[string]any
	json.Unmarshal(views[0].View.Blocks, &blocks)
	for _, b := range blocks {
		if id, _ := b["block_id"].(string); strings.HasPrefix(id, "review|dy-fashion|"+rv.ReviewID+"|mine|home|") {
			block = id
		}
	}
	if block == "" {
		t.Fatalf("alice's Home lacks her follow-up:\n%s", views[0].View.Blocks)
	}
	// Bo takes it while alice's Home still shows it as hers.
	if _, err := e.db.Reassign(context.Background(), rv.ID, trBo, storage.Change{Actor: trBo, At: trNow}, nil); err != nil {
		t.Fatal(err)
	}
	before := e.state()
	e.trInteract(trHomeAction(trAlice, trButton("claim", block, rv.ReviewID)))
	e.srv.Wait()
	if after := e.state(); after != before {
		t.Errorf("a stale press from the Home changed the database")
	}
	const stale = "changed since this message was drawn; nothing was changed"
	views = e.fake.Views()
	if len(views) != 2 || views[1].Method != "views.publish" || views[1].UserID != trAlice {
		t.Fatalf("views = %+v, want the Home published again", views)
	}
	if got := trViewTexts(t, views[1]); len(got) < 2 || !strings.Contains(got[1], rv.ReviewID+" "+stale) {
		t.Errorf("the republished Home does not open with the refusal: %q", got)
	}
	if e.fake.Calls("response_url") != 0 || e.fake.Calls("chat.postMessage") != 0 {
		t.Error("a Home action was answered somewhere else than the Home")
	}
	// The next opening clears it.
	if code, _, body := e.do(e.request("/slack/events", trJSONType, trHomeOpened("EvS2", trAlice, "home"))); code != http.StatusOK {
		t.Fatalf("app_home_opened: %d %s", code, body)
	}
	e.srv.Wait()
	views = e.fake.Views()
	if len(views) != 3 || views[2].Method != "views.publish" {
		t.Fatalf("views = %+v", views)
	}
	if strings.Contains(string(views[2].View.Blocks), stale) {
		t.Errorf("the next opening still shows the notice:\n%s", views[2].View.Blocks)
	}
}

// A Resolve from the Home on a review closed since, and a press on
// another workspace's shop, are said on the Home as well, each with its
// own sentence, and neither opens a form.
func TestViewsRefusedResolveFromHomeIsSaidOnIt(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	if err := e.db.CloseReview(context.Background(), rv.ID, "refund", storage.Change{Actor: trBo, At: trNow}); err != nil {
		t.Fatal(err)
	}
	e.trInteract(trHomeAction(trAlice, trButton("resolve_form", "review|dy-fashion|"+rv.ReviewID+"|mine|home", rv.ReviewID)))
	e.srv.Wait()
	views := e.fake.Views()
	if len(views) != 1 || views[0].Method != "views.publish" {
		t.Fatalf("views = %+v, want the Home published, no form", views)
	}
	if got := trViewTexts(t, views[0]); len(got) < 2 || !strings.Contains(got[1], rv.ReviewID) || !strings.Contains(got[1], "already closed") {
		t.Errorf("the Home does not say the review is closed: %q", got)
	}

	other := e.openReview("dy-home")
	e.setTeam("dy-home", "T2")
	e.trInteract(trHomeAction(trAlice, trButton("claim", "review|dy-home|"+other.ReviewID+"|mine|home", other.ReviewID)))
	e.srv.Wait()
	views = e.fake.Views()
	if len(views) != 2 {
		t.Fatalf("views = %+v", views)
	}
	if got := trViewTexts(t, views[1]); len(got) < 2 || !strings.Contains(got[1], "belongs to another Slack workspace") {
		t.Errorf("the Home does not say the shop is another workspace's: %q", got)
	}
	if got := e.review("dy-home", other.ReviewID); got.Owner == trAlice {
		t.Error("a claim on another workspace's shop took it")
	}
}

// trViewTexts is the text of each block of a view, in order (a header's,
// a section's, a context's first element's).
func trViewTexts(t *testing.T, v slacktest.ViewCall) []string {
	t.Helper()
	var blocks []struct {
		Text     *struct{ Text string }  `json:"text"`
		Elements []struct{ Text string } `json:"elements"`
	}
	if err := json.Unmarshal(v.View.Blocks, &blocks); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range blocks {
		switch {
		case b.Text != nil:
			out = append(out, b.Text.Text)
		case len(b.Elements) > 0:
			out = append(out, b.Elements[0].Text)
		default:
			out = append(out, "")
		}
	}
	return out
}

// A form opened from a reminder in a direct message redraws that message
// when submitted without reading it back (conversations.history of a DM
// needs im:history, which the app does not ask for): the press carried
// the message, and the form keeps it in its private_metadata.
func TestViewsFormFromDMRedrawsWithoutHistory(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	const dm = "D0BO00001"
	msg := e.trPostedIn(dm, &rv)
	e.trInteract(trMessageActionIn(dm, trBo, msg, e.fake.ResponseURL("r1"), trButton("resolve_form", msg.reviewBlockID(t), rv.ReviewID)))
	e.srv.Wait()
	views := e.fake.Views()
	if len(views) != 1 || views[0].Method != "views.open" {
		t.Fatalf("views = %+v", views)
	}
	meta := views[0].View.PrivateMetadata
	t.Logf("the form's private_metadata: %d characters", len(meta))
	if !strings.Contains(meta, `"d":"`) || len(meta) > 3000 {
		t.Errorf("the form does not carry the DM within 3,000 characters (%d): %s", len(meta), meta)
	}
	if body := e.trInteract(trSubmission(trBo, meta, "refund", "", "called back")); strings.TrimSpace(body) != "" {
		t.Errorf("a valid form is answered %q", body)
	}
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Status != storage.StatusDone || got.Outcome != "refund" {
		t.Errorf("after the form: %+v", got)
	}
	if n := e.fake.Calls("conversations.history") + e.fake.Calls("conversations.replies"); n != 0 {
		t.Errorf("the DM was read back (%d calls)", n)
	}
	ups := e.fake.Updates()
	if len(ups) != 1 || ups[0].Channel != dm || ups[0].TS != msg.TS {
		t.Fatalf("chat.update calls = %+v", ups)
	}
	if s := trStrings(ups[0].Blocks); !strings.Contains(s, "Closed by <@"+trBo+">: refund · “called back”") || strings.Contains(string(ups[0].Blocks), `"resolve_form"`) {
		t.Errorf("the updated DM:\n%s", s)
	}
	// The rest of the reminder is kept as it was drawn.
	var was, now []json.RawMessage
	json.Unmarshal(msg.Blocks, &was)
	json.Unmarshal(ups[0].Blocks, &now)
	if len(now) != len(was) || string(now[0]) != string(was[0]) {
		t.Errorf("the DM's other blocks changed:\nwas %s\nnow %s", msg.Blocks, ups[0].Blocks)
	}
}
