package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

// One workspace's shops stay its own: requests signed as Slack sends them,
// each checked against the database.

const (
	trNoTeam = "This request did not say which Slack workspace it came from"
	// trUnclaimedEN and trUnclaimedZH open the sentence that says how to
	// claim a shop of no workspace.
	trUnclaimedEN = "belongs to no Slack workspace yet"
	trUnclaimedZH = "尚未归属任何 Slack 工作区"
)

// A signed request whose payload names no workspace (a slash command
// without team_id, an event without team_id, an interaction without team)
// changes nothing and reads nothing, whatever it asks, and says why.
func TestTransportWithoutTeamChangesNothing(t *testing.T) {
	e := trNewEnv(t)
	ctx := context.Background()
	open := e.openReview("dy-fashion")
	closed := e.closedReview("dy-fashion")
	// The operator binds C1 from the CLI, so commands there have a shop.
	if _, err := e.db.BindChannel(ctx, "dy-fashion", "C1"); err != nil {
		t.Fatal(err)
	}
	before := e.state()
	texts := []string{
		"assign " + open.ReviewID + " <@" + trMei + ">",
		"claim " + open.ReviewID,
		"done " + open.ReviewID + " refund",
		"reopen " + closed.ReviewID,
		"bind dy-beauty",
		"owner size <@" + trMei + ">",
		"owner default <@" + trMei + "> <@" + trBo + "> dy-beauty",
		"schedule 0 7 * * *",
		"today", "today dy-fashion", "reviews all", "late", "mine", "status " + open.ReviewID, "owner",
	}
	for i, text := range texts {
		got, blocks := e.slashFrom("", text, trAlice, "C1")
		if !strings.Contains(got, trNoTeam) {
			t.Errorf("slash %q without team_id answered %q", text, got)
		}
		if strings.Contains(got+blocks, "dy-fashion") || strings.Contains(got+blocks, open.ReviewID) {
			t.Errorf("slash %q without team_id showed shop data: %q", text, got)
		}
		ts := fmt.Sprintf("1764000%03d.000100", i)
		if code, _, _ := e.do(e.request("/slack/events", trJSONType, trMentionFrom("", "EvNT"+strconv.Itoa(i), trAlice, "", "<@UBOT> "+text, ts, ""))); code != http.StatusOK {
			t.Errorf("mention %q without team_id: %d, want 200 (acknowledged, not acted on)", text, code)
		}
	}
	for _, a := range []map[string]any{trClaim("dy-fashion", open.ReviewID, "shop"), trResolve("dy-fashion", open.ReviewID, "refund")} {
		if code, _, _ := e.do(e.request("/slack/interactions", trFormType, trActionFrom("", trBo, e.fake.ResponseURL("nt-"+a["action_id"].(string)), a))); code != http.StatusOK {
			t.Errorf("button without team: %d", code)
		}
	}
	e.srv.Wait()
	posts := e.fake.Posts()
	if len(posts) != len(texts) {
		t.Errorf("%d mentions answered, want %d", len(posts), len(texts))
	}
	for _, p := range posts {
		if !strings.Contains(p.Text, trNoTeam) {
			t.Errorf("a mention without team_id was answered %q", p.Text)
		}
	}
	resp := e.fake.Responses()
	if len(resp) != 2 {
		t.Errorf("%d button answers, want 2: %+v", len(resp), resp)
	}
	for _, r := range resp {
		if r.ReplaceOriginal || !strings.Contains(r.Text, trNoTeam) {
			t.Errorf("a button without team was answered %+v", r)
		}
	}
	if after := e.state(); after != before {
		t.Errorf("requests without a team changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// Help needs no shop: it is answered.
	if got, _ := e.slashFrom("", "help", trAlice, "C1"); !strings.Contains(got, "/dsr today") {
		t.Errorf("help without team_id answered %q", got)
	}
}

// A shop of no workspace (made by `dsrbot shop add` or the demo) is not
// claimed by the first workspace to bind it: every change and read from
// Slack is refused with how an admin claims it, in the shop's language,
// with the asking workspace's ID to copy. Once claimed from the CLI, it
// works.
func TestTransportUnownedShopIsClaimedFromTheCLI(t *testing.T) {
	e := trNewEnv(t)
	ctx := context.Background()
	e.setTeam("dy-fashion", "") // English
	e.setTeam("dy-home", "")    // Chinese
	rv := e.openReview("dy-fashion")
	before := e.state()
	tests := []struct {
		name, text string
		want       []string
	}{
		{"first bind", "bind dy-fashion", []string{"Shop dy-fashion " + trUnclaimedEN, "dsrbot shop set dy-fashion --team T1"}},
		{"first bind, Chinese shop", "bind dy-home", []string{"店铺 dy-home " + trUnclaimedZH, "dsrbot shop set dy-home --team T1"}},
		{"its card", "today dy-home", []string{trUnclaimedZH, "dsrbot shop set dy-home --team T1"}},
		{"its late orders", "late dy-fashion", []string{trUnclaimedEN, "dsrbot shop set dy-fashion --team T1"}},
		{"its owner rules", "owner size <@" + trMei + "> dy-fashion", []string{trUnclaimedEN, "--team T1"}},
		{"one of its reviews", "done " + rv.ReviewID + " refund", []string{trUnclaimedEN, "dsrbot shop set dy-fashion --team T1"}},
		{"one of its reviews, read", "status " + rv.ReviewID, []string{trUnclaimedEN}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := e.slashFrom("T1", tt.text, trAlice, "C5")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q answered %q, want it to say %q", tt.text, got, w)
				}
			}
		})
	}
	// A button on one of its messages is refused the same way.
	e.do(e.request("/slack/interactions", trFormType, trAction(trBo, e.fake.ResponseURL("claim"), trClaim("dy-fashion", rv.ReviewID, "shop"))))
	e.srv.Wait()
	if resp := e.fake.Responses(); len(resp) != 1 || resp[0].ReplaceOriginal || !strings.Contains(resp[0].Text, "dsrbot shop set dy-fashion --team T1") {
		t.Errorf("Claim on an unowned shop: %+v", resp)
	}
	// The workspace's own view lists only its own shops.
	all, _ := e.slashFrom("T1", "today", trAlice, "C5")
	if !strings.Contains(all, "dy-beauty") || !strings.Contains(all, "tb-tea") || strings.Contains(all, "dy-fashion") || strings.Contains(all, "dy-home") {
		t.Errorf("all shops of T1:\n%s", all)
	}
	if after := e.state(); after != before {
		t.Errorf("requests about unowned shops changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// A workspace that owns nothing is told how to get a shop.
	if got, _ := e.slashFrom("T9NEW", "today", trAlice, "C9"); !strings.Contains(got, "No shop belongs to this Slack workspace (T9NEW) yet") || !strings.Contains(got, "--team T9NEW") {
		t.Errorf("today from a workspace with no shop: %q", got)
	}

	// The admin claims it: dsrbot shop set dy-fashion --team T1.
	e.setTeam("dy-fashion", "T1")
	if got, _ := e.slashFrom("T1", "bind dy-fashion", trAlice, "C5"); !strings.Contains(got, "This channel now gets the digests") {
		t.Fatalf("bind after the claim: %q", got)
	}
	if s, err := e.db.ShopForChannel(ctx, "C5"); err != nil || s.ID != "dy-fashion" || s.TeamID != "T1" {
		t.Errorf("C5 after the bind: %+v, %v", s, err)
	}
}

// Reads of a shop of another workspace show nothing of it: the shop and its
// reviews answer as if they did not exist, lists across shops leave them
// out, and a channel shared with the other workspace is not the shop's
// channel to this one (nor can it be taken from it).
func TestTransportReadsStayInTheirWorkspace(t *testing.T) {
	e := trNewEnv(t)
	ctx := context.Background()
	e.setTeam("dy-home", "T2")
	e.setTeam("tb-tea", "T2")
	home, fashion := e.openReview("dy-home"), e.openReview("dy-fashion")
	// A closed review of T2's, for a reopen from T1.
	homeClosed := e.importReview("dy-home", "R900002", "抱枕", "破了")
	if err := e.db.CloseReview(ctx, homeClosed.ID, "refund", storage.Change{Actor: "U0", At: trNow}); err != nil {
		t.Fatal(err)
	}
	for _, rv := range []storage.Review{home, fashion} {
		// Alice follows up a review in each workspace (a shared channel).
		if err := e.db.AssignReview(ctx, rv.ID, trAlice, storage.Change{Actor: "U0", At: trNow}); err != nil {
			t.Fatal(err)
		}
	}
	hidden := []string{"dy-home", "tb-tea", "家居小铺", "茶香阁"}
	noShop := func(id string) string {
		return fmt.Sprintf("There is no shop %q. Shops: dy-beauty, dy-fashion.", id)
	}
	tests := []struct {
		text string
		want string
	}{
		{"today", "All shops"},
		{"reviews all", "Bad reviews · all shops"},
		{"reviews", "Open bad reviews · all shops"},
		{"mine", fashion.ReviewID},
		{"late", "Late and at-risk orders · all shops"},
		{"today dy-home", noShop("dy-home")},
		{"late tb-tea", noShop("tb-tea")},
		{"reviews all dy-home", noShop("dy-home")},
		{"owner dy-home", noShop("dy-home")},
		{"bind dy-home", noShop("dy-home")},
		{"status " + home.ReviewID, fmt.Sprintf("There is no review %q.", home.ReviewID)},
		{"done " + home.ReviewID + " refund", fmt.Sprintf("There is no review %q.", home.ReviewID)},
		{"reopen " + homeClosed.ReviewID, fmt.Sprintf("There is no review %q.", homeClosed.ReviewID)},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			text, blocks := e.slashFrom("T1", tt.text, trAlice, "C2")
			if !strings.Contains(text, tt.want) {
				t.Errorf("answered %q, want it to say %q", text, tt.want)
			}
			for _, h := range hidden {
				if strings.Contains(text, h) && !strings.Contains(tt.want, h) || strings.Contains(blocks, h) && !strings.Contains(tt.want, h) {
					t.Errorf("shows %q of another workspace:\n%s\n%s", h, text, blocks)
				}
			}
		})
	}
	if got := e.review("dy-home", home.ReviewID); got.Status != storage.StatusOpen {
		t.Errorf("T1 closed T2's review: %+v", got)
	}
	if got := e.review("dy-home", homeClosed.ReviewID); got.Status != storage.StatusDone {
		t.Errorf("T1 reopened T2's review: %+v", got)
	}

	// T2 binds its shop to C7, a channel shared with T1.
	if got, _ := e.slashFrom("T2", "bind dy-home", trChen, "C7"); !strings.Contains(got, "本频道将接收") {
		t.Fatalf("T2's bind: %q", got)
	}
	if card, _ := e.slashFrom("T2", "today", trChen, "C7"); !strings.Contains(card, "家居小铺 Cozy Home · dy-home") {
		t.Errorf("T2's card in its channel: %q", card)
	}
	before := e.state()
	// To T1 the channel is unbound: today is T1's shops, schedule has no shop.
	if all, _ := e.slashFrom("T1", "today", trAlice, "C7"); !strings.HasPrefix(all, "All shops") || strings.Contains(all, "dy-home") {
		t.Errorf("today from T1 in T2's channel:\n%s", all)
	}
	if got, _ := e.slashFrom("T1", "schedule 0 7 * * *", trAlice, "C7"); !strings.Contains(got, "Run /dsr schedule in a shop's channel") {
		t.Errorf("schedule from T1 in T2's channel: %q", got)
	}
	// And T1 cannot take the channel for a shop of its own.
	if got, _ := e.slashFrom("T1", "bind dy-fashion", trAlice, "C7"); !strings.Contains(got, "does not own, so it cannot be bound here") {
		t.Errorf("T1 binding T2's channel: %q", got)
	}
	if after := e.state(); after != before {
		t.Errorf("T1 changed the database from T2's channel:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// In a channel shared between workspaces, a mention is the typist's: the
// event's own team_id is the workspace the bot is installed in, and its
// user_team the one of the person who typed. A member of T2 cannot close
// T1's follow-up by naming the bot, as a button press of theirs cannot.
func TestTransportMentionIsTheTypistsWorkspace(t *testing.T) {
	e := trNewEnv(t)
	open := e.openReview("dy-fashion")
	before := e.state()
	var ev map[string]any
	if err := json.Unmarshal([]byte(trMentionFrom("T1", "EvSHARED1", trChen, "", "<@UBOT> done "+open.ReviewID+" refund", "1764000001.000100", "")), &ev); err != nil {
		t.Fatal(err)
	}
	ev["event"].(map[string]any)["user_team"] = "T2"
	body, _ := json.Marshal(ev)
	if code, _, _ := e.do(e.request("/slack/events", trJSONType, string(body))); code != http.StatusOK {
		t.Fatalf("mention: %d", code)
	}
	e.srv.Wait()
	if got := e.review("dy-fashion", open.ReviewID); got.Status != storage.StatusOpen {
		t.Errorf("a member of T2 closed T1's follow-up by a mention: %+v", got)
	}
	if after := e.state(); after != before {
		t.Errorf("the mention changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	// The same words from T1's own member close it.
	if err := json.Unmarshal([]byte(trMentionFrom("T1", "EvSHARED2", trAlice, "", "<@UBOT> done "+open.ReviewID+" refund", "1764000002.000100", "")), &ev); err != nil {
		t.Fatal(err)
	}
	ev["event"].(map[string]any)["user_team"] = "T1"
	body, _ = json.Marshal(ev)
	e.do(e.request("/slack/events", trJSONType, string(body)))
	e.srv.Wait()
	if got := e.review("dy-fashion", open.ReviewID); got.Status != storage.StatusDone {
		t.Errorf("T1's own member could not close its follow-up: %+v", got)
	}
}
