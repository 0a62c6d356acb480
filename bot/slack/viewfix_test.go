package slack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
	"github.com/dsrbot/dsrbot/storage"
)

// trListAction is a block_actions payload from a list the bot posted in a
// thread of C1 (the answer to a mention), carrying the message as Slack
// does.
func trListAction(user string, p slacktestPost, thread, responseURL string, action map[string]any) string {
	payload := map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user, "username": "bo", "team_id": "T1"},
		"api_app_id": "A0DSRBOT", "token": "gIkuvaNzQIHg97ATvDxqgjtO",
		"container":  map[string]any{"type": "message", "message_ts": p.TS, "thread_ts": thread, "channel_id": "C1", "is_ephemeral": false},
		"trigger_id": "13345224609.738474920.trigger9",
		"team":       map[string]any{"id": "T1", "domain": "trendcloset"},
		"channel":    map[string]any{"id": "C1", "name": "shop-ops"},
		"message":    map[string]any{"type": "message", "user": "UBOT", "bot_id": "BBOT", "text": p.Text, "ts": p.TS, "thread_ts": thread, "blocks": p.Blocks},
		"state":      map[string]any{"values": map[string]any{}}, "response_url": responseURL,
		"actions": []any{action},
	}
	raw, _ := json.Marshal(payload)
	return trForm("payload", string(raw))
}

// Reassign on a list posted in a channel (`@dsrbot reviews`): the list is
// redrawn in place through the response_url, and the thread is told once,
// with the one sentence naming the new owner, not the whole list again
// (which would repeat its buttons and ping every listed owner).
func TestViewsReassignOnAListTellsTheThreadOneSentence(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	// The owner of another review of the list, who must not be pinged by
	// this one's reassignment.
	open, _, err := e.db.BadReviews(context.Background(), storage.ReviewFilter{ShopID: "dy-fashion", OpenOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	other := -1
	for i := range open {
		if open[i].ID != rv.ID {
			other = i
		}
	}
	if other < 0 {
		t.Fatal("dy-fashion has one open review; the list needs two")
	}
	if _, err := e.db.Reassign(context.Background(), open[other].ID, trMei, storage.Change{Actor: trMei, At: trNow}, nil); err != nil {
		t.Fatal(err)
	}
	const mentionTS = "1764000000.000100"
	if code, _, _ := e.do(e.request("/slack/events", trJSONType, trMention("EvList", trAlice, "", "<@UBOT> reviews dy-fashion", mentionTS, ""))); code != http.StatusOK {
		t.Fatalf("event: %d", code)
	}
	posts := e.fake.WaitPosts(1, trWait)
	e.srv.Wait()
	if len(posts) != 1 || !strings.Contains(posts[0].Text, "<@"+trMei+">") {
		t.Fatalf("the list was not posted with its owner: %+v", posts)
	}
	list := slacktestPost{TS: posts[0].TS, Text: posts[0].Text, Blocks: posts[0].Blocks}
	block := list.reviewBlockID(t)
	if !strings.Contains(block, "|shop|") {
		t.Fatalf("the list's actions are not a shop list's: %s", block)
	}
	pick := map[string]any{"type": "users_select", "action_id": "reassign", "block_id": block, "selected_user": trChen, "action_ts": "1764000013.1"}
	e.trInteract(trListAction(trBo, list, mentionTS, e.fake.ResponseURL("l1"), pick))
	e.srv.Wait()

	var redrawn bool
	for _, r := range e.fake.Responses() {
		redrawn = redrawn || (r.Name == "l1" && r.ReplaceOriginal)
	}
	if !redrawn {
		t.Errorf("the list was not redrawn in place: %+v", e.fake.Responses())
	}
	told := e.fake.Posts()[1:]
	if len(told) != 1 {
		t.Fatalf("%d posts after the pick, want 1: %+v", len(told), told)
	}
	p := told[0]
	if p.ThreadTS != mentionTS || !strings.Contains(p.Text, "<@"+trChen+">") {
		t.Errorf("the thread was told %+v, want the new owner in thread %s", p, mentionTS)
	}
	if strings.Contains(p.Text, "<@"+trMei+">") || strings.Contains(string(p.Blocks), `"actions"`) || strings.Contains(string(p.Blocks), "reassign") {
		t.Errorf("the thread was told the whole list again:\n%s\n%s", p.Text, p.Blocks)
	}
}

// A press in the shortcut's modal that is refused (drawn before someone
// else changed the review) is said at the top of the updated modal, as the
// App Home says its own; the database is untouched.
func TestViewsRefusedPressInTheModalIsSaidOnIt(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	raw, _ := json.Marshal(map[string]any{
		"type": "message_action", "callback_id": "dsr_follow_up", "trigger_id": "1.2.trigger4",
		"team": map[string]any{"id": "T1"}, "user": map[string]any{"id": trAlice, "team_id": "T1"},
		"channel": map[string]any{"id": "C1"}, "response_url": e.fake.ResponseURL("s1"), "message_ts": "1764000000.000300",
		"message": map[string]any{"type": "message", "user": trBo, "ts": "1764000000.000300", "text": "about " + rv.ReviewID},
	})
	e.trInteract(trForm("payload", string(raw)))
	e.srv.Wait()
	views := e.fake.Views()
	if len(views) != 1 {
		t.Fatalf("views = %+v", views)
	}
	var blocks []map[string]any
	json.Unmarshal(views[0].View.Blocks, &blocks)
	block := ""
	for _, b := range blocks {
		if id, _ := b["block_id"].(string); b["type"] == "actions" && strings.HasPrefix(id, "review|") {
			block = id
		}
	}
	if block == "" {
		t.Fatalf("no actions in the modal: %s", views[0].View.Blocks)
	}
	// Someone else takes it while the modal is open.
	if _, err := e.db.Reassign(context.Background(), rv.ID, trMei, storage.Change{Actor: trMei, At: trNow}, nil); err != nil {
		t.Fatal(err)
	}
	before := e.state()
	payload := map[string]any{
		"type": "block_actions", "user": map[string]any{"id": trAlice, "team_id": "T1"}, "team": map[string]any{"id": "T1"},
		"container": map[string]any{"type": "view", "view_id": views[0].ViewID}, "trigger_id": "1.2.trigger5",
		"view":    map[string]any{"id": views[0].ViewID, "type": "modal", "callback_id": "dsr_review"},
		"actions": []any{trButton("claim", block, rv.ReviewID)},
	}
	raw, _ = json.Marshal(payload)
	e.trInteract(trForm("payload", string(raw)))
	e.srv.Wait()
	if e.state() != before {
		t.Errorf("a refused press in the modal changed the database")
	}
	views = e.fake.Views()
	if len(views) != 2 || views[1].Method != "views.update" {
		t.Fatalf("views = %+v", views)
	}
	var updated []json.RawMessage
	json.Unmarshal(views[1].View.Blocks, &updated)
	if len(updated) < 3 || !strings.Contains(trStrings(updated[1]), "changed since this message was drawn") {
		t.Errorf("the updated modal does not open with the refusal:\n%s", views[1].View.Blocks)
	}
	if !strings.Contains(trStrings(views[1].View.Blocks), "<@"+trMei+">") {
		t.Errorf("the updated modal does not show the review as it is now:\n%s", views[1].View.Blocks)
	}
}

// A message whose blocks include the digest's chart is updated in place:
// Slack gives the image back with image_url beside slack_file and refuses
// that block in chat.update, so the redraw sends it naming the file only.
func TestViewsInPlaceUpdateKeepsAChartSlackAccepts(t *testing.T) {
	e := trNewEnv(t)
	rv := e.openReview("dy-fashion")
	msg := e.trPosted(&rv)
	block := msg.reviewBlockID(t)
	// The message as Slack gives it back in a press: the chart first.
	var blocks []any
	if err := json.Unmarshal(msg.Blocks, &blocks); err != nil {
		t.Fatal(err)
	}
	chart := map[string]any{
		"type": "image", "block_id": "chart", "alt_text": "score trend",
		"slack_file":  map[string]any{"id": "F0CHART01"},
		"image_url":   "https://files.slack.com/files-pri/T1-F0CHART01/chart.png",
		"image_width": 800, "image_height": 400, "image_bytes": 40000, "is_animated": false, "fallback": "800x400px image",
	}
	blocks = append([]any{chart}, blocks...)
	msg.Blocks, _ = json.Marshal(blocks)

	e.trInteract(trMessageAction(trBo, msg, e.fake.ResponseURL("c1"), trButton("claim", block, rv.ReviewID)))
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Owner != trBo {
		t.Fatalf("owner after Claim = %q", got.Owner)
	}
	ups := e.fake.Updates()
	if len(ups) != 1 {
		t.Fatalf("chat.update calls = %d, want 1 (Slack refused the chart?)", len(ups))
	}
	var sent []map[string]json.RawMessage
	if err := json.Unmarshal(ups[0].Blocks, &sent); err != nil || len(sent) == 0 {
		t.Fatalf("updated blocks: %v %s", err, ups[0].Blocks)
	}
	img := sent[0]
	if string(img["type"]) != `"image"` || img["image_url"] != nil || !strings.Contains(string(img["slack_file"]), `"F0CHART01"`) {
		t.Errorf("the chart was sent back as %v", img)
	}
	if !strings.Contains(trStrings(ups[0].Blocks), "<@"+trBo+">") {
		t.Errorf("the review's line does not name its new owner:\n%s", ups[0].Blocks)
	}
}

// trPostOnly is a Poster and nothing else, as the server's is without a
// bot token: no views, no chat.update, no uploads.
type trPostOnly struct{ c *slack.Client }

func (p trPostOnly) Post(ctx context.Context, channel, thread string, m bot.Message) (string, error) {
	return p.c.Post(ctx, channel, thread, m)
}

func (p trPostOnly) Respond(ctx context.Context, responseURL string, m bot.Message, replace bool) error {
	return p.c.Respond(ctx, responseURL, m, replace)
}

// Without views (no bot token), Resolve still resolves: the press is
// answered through its response_url with the outcome select, carrying the
// pressed actions' block ID, and a pick in it closes the review.
func TestViewsResolveWithoutViewsAnswersWithTheSelect(t *testing.T) {
	e := trNewEnv(t, func(e *trEnv) { e.srv.Poster = trPostOnly{e.client} })
	rv := e.openReview("dy-fashion")
	msg := e.trPosted(&rv)
	block := msg.reviewBlockID(t)
	e.trInteract(trMessageAction(trBo, msg, e.fake.ResponseURL("p1"), trButton("resolve_form", block, rv.ReviewID)))
	e.srv.Wait()
	if n := e.fake.Calls("views.open"); n != 0 {
		t.Errorf("views.open called %d times without views", n)
	}
	var picker *slacktest.Response
	for _, r := range e.fake.Responses() {
		if r.Name == "p1" {
			picker = &r
		}
	}
	if picker == nil || picker.ReplaceOriginal || !strings.Contains(string(picker.Blocks), `"action_id":"resolve"`) || !strings.Contains(string(picker.Blocks), block) || !strings.Contains(picker.Text, rv.ReviewID) {
		t.Fatalf("the press of Resolve was answered %+v", picker)
	}
	pick := map[string]any{
		"type": "static_select", "action_id": "resolve", "block_id": block,
		"selected_option": map[string]any{"text": map[string]any{"type": "plain_text", "text": "refund"}, "value": "refund"},
		"action_ts":       "1764000014.1",
	}
	e.trInteract(trAction(trBo, e.fake.ResponseURL("p2"), pick))
	e.srv.Wait()
	if got := e.review("dy-fashion", rv.ReviewID); got.Status != storage.StatusDone || got.Outcome != "refund" {
		t.Errorf("after the pick: %s %s", got.Status, got.Outcome)
	}
}
