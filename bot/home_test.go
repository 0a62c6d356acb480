package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/storage"
)

// The -update flag rewrites these golden files too:
// go test ./bot -run 'TestHomeGolden|TestResolveFormGolden' -update

// jsonIndent is v as indented JSON, for a golden file.
func jsonIndent(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	// Mentions as Slack reads them, not as Go escapes them for HTML.
	b = []byte(strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(b)))
	return append(b, '\n')
}

// TestHomeGolden draws alice's App Home on the demo in the workspace's
// two languages: a follow-up of hers (oldest first, with when it is due
// and its actions), every shop's line, and the shop where she owns an
// aspect.
func TestHomeGolden(t *testing.T) {
	for _, lg := range []string{storage.LangEnglish, storage.LangChinese} {
		t.Run(lg, func(t *testing.T) {
			d := newDemoBot(t)
			d.Lang = lg
			ctx := context.Background()
			rv := d.openBadReview(t)
			if _, err := d.db.Reassign(ctx, rv.ID, "U0ALICE01", storage.Change{Actor: "U0ALICE01", At: demoNow}, nil); err != nil {
				t.Fatal(err)
			}
			if err := d.db.SetOwner(ctx, "dy-fashion", "size", []string{"U0ALICE01"}); err != nil {
				t.Fatal(err)
			}
			home, err := d.Home(ctx, "U0ALICE01", demoTeam)
			if err != nil {
				t.Fatal(err)
			}
			if home.Type != slack.VTHomeTab {
				t.Errorf("view type %q, want home", home.Type)
			}
			raw := jsonIndent(t, home)
			golden(t, "home_"+lg+".json", raw)
			for _, w := range []string{rv.ReviewID, `review|` + rv.ShopID + `|` + rv.ReviewID + `|mine|home|`, `"resolve_form"`, "dy-fashion", "tb-tea"} {
				if !strings.Contains(string(raw), w) {
					t.Errorf("home lacks %q", w)
				}
			}
			// Someone else's Home shows none of alice's follow-ups.
			other, err := d.Home(ctx, "U0BO00001", demoTeam)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(jsonIndent(t, other)), "|"+rv.ReviewID+"|mine|home|") {
				t.Error("bo's Home lists alice's follow-up")
			}
		})
	}
}

// TestResolveFormGolden is the resolve form of a review in the shop's
// language, and its refusal for another workspace.
func TestResolveFormGolden(t *testing.T) {
	for _, lg := range []string{storage.LangEnglish, storage.LangChinese} {
		t.Run(lg, func(t *testing.T) {
			d := newDemoBot(t)
			ctx := context.Background()
			rv := d.openBadReview(t)
			if _, err := d.db.UpdateShop(ctx, rv.ShopID, func(s *storage.Shop) { s.Lang = lg }); err != nil {
				t.Fatal(err)
			}
			a := Action{Verb: verbDone, Shop: rv.ShopID, Review: rv.ReviewID, Filter: "open", Scope: "msg", Version: reviewVersion(&rv), User: "U0ALICE01", Team: demoTeam}
			form, refusal := d.ResolveForm(ctx, a, Back{Channel: "C1", TS: "1.000100"})
			if refusal != nil {
				t.Fatalf("refused: %s", refusal.Message.Plain)
			}
			golden(t, "modal_"+lg+".json", jsonIndent(t, form))
			a.Team = "T0OTHER"
			if form, refusal := d.ResolveForm(ctx, a, Back{}); form != nil || refusal == nil {
				t.Error("another workspace got the form")
			}
		})
	}
}

// TestCheckResolve is the form's checks: what each outcome needs, and the
// amount recorded at the head of the note.
func TestCheckResolve(t *testing.T) {
	meta := `{"s":"dy-fashion","r":"R1","v":"x","f":"open","sc":"msg","l":"zh","b":{"c":"C1","ts":"1.1"}}`
	values := func(outcome, amount, note string) map[string]map[string]slack.BlockAction {
		return map[string]map[string]slack.BlockAction{
			formOutcome: {formOutcome: {SelectedOption: slack.OptionBlockObject{Value: outcome}}},
			formAmount:  {formAmount: {Value: amount}},
			formNote:    {formNote: {Value: note}},
		}
	}
	tests := []struct {
		outcome, amount, note string
		errs                  []string // blocks with an error
		wantNote              string
	}{
		{"refund", "", "called back", nil, "called back"},
		{"", "", "", []string{formOutcome}, ""},
		{"bogus", "", "", []string{formOutcome}, ""},
		{"compensate", "", "sorry", []string{formAmount}, ""},
		{"compensate", "abc", "", []string{formAmount}, ""},
		{"compensate", "12.345", "", []string{formAmount}, ""},
		{"compensate", "0", "", []string{formAmount}, ""},
		{"compensate", "¥12.5", "called back", nil, "¥12.50 called back"},
		{"compensate", "２０元", "", nil, "¥20.00"},
		{"no_action", "", "", []string{formNote}, ""},
		{"no_action", "", "  ", []string{formNote}, ""},
		{"no_action", "", "buyer withdrew it", nil, "buyer withdrew it"},
		{"compensate", "", "", []string{formAmount}, ""},
	}
	for _, tt := range tests {
		s, err := CheckResolve(meta, values(tt.outcome, tt.amount, tt.note))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for k, msg := range s.Errors {
			got = append(got, k)
			if !hasHan(msg) {
				t.Errorf("%v: the error under %s is not in the shop's language: %q", tt, k, msg)
			}
		}
		if len(got) != len(tt.errs) || (len(got) == 1 && got[0] != tt.errs[0]) {
			t.Errorf("%+v: errors under %v, want %v", tt, got, tt.errs)
		}
		if len(tt.errs) == 0 && (s.Action.Note != tt.wantNote || s.Action.Outcome != tt.outcome || s.Action.Review != "R1" || s.Back.Channel != "C1") {
			t.Errorf("%+v: got %+v", tt, s)
		}
	}
	if _, err := CheckResolve("{}", nil); err == nil {
		t.Error("a form without its review was taken")
	}
}

// TestStaleAction: a press on a message drawn before someone else claimed
// the review is refused and changes nothing; the same press drawn after
// is carried out.
func TestStaleAction(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	rv := d.openBadReview(t)
	drawn := reviewVersion(&rv)
	if _, err := d.db.Reassign(ctx, rv.ID, "U0BO00001", storage.Change{Actor: "U0BO00001", At: demoNow}, nil); err != nil {
		t.Fatal(err)
	}
	a := Action{Verb: verbDone, Outcome: "refund", Shop: rv.ShopID, Review: rv.ReviewID, Scope: "msg", Version: drawn, User: "U0ALICE01", Team: demoTeam}
	r := d.Perform(ctx, a)
	if !r.Stale || r.Changed || !strings.Contains(r.Message.Plain, rv.ReviewID) {
		t.Errorf("stale press: %+v", r)
	}
	if now, _ := d.db.FindReview(ctx, rv.ShopID, rv.ReviewID); now.Status != storage.StatusOpen || now.Owner != "U0BO00001" {
		t.Errorf("a stale press changed the review: %+v", now)
	}
	now, _ := d.db.FindReview(ctx, rv.ShopID, rv.ReviewID)
	a.Version = reviewVersion(now)
	if r := d.Perform(ctx, a); !r.Changed || r.Stale {
		t.Errorf("fresh press: %+v", r)
	}
	if now, _ := d.db.FindReview(ctx, rv.ShopID, rv.ReviewID); now.Status != storage.StatusDone || now.Outcome != "refund" {
		t.Errorf("the fresh press did not close it: %+v", now)
	}
}

// TestRedraw: a posted message's review line and actions are redrawn as
// the review is now, and the rest of the message is kept.
func TestRedraw(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	rv := d.openBadReview(t)
	shop := shopOf(t, d.db, rv.ShopID)
	m := RenderReminder(shop, &rv, demoNow)
	a := Action{Shop: rv.ShopID, Review: rv.ReviewID, Filter: "open", Scope: "msg", User: "U0ALICE01", Team: demoTeam}
	if _, err := d.db.Reassign(ctx, rv.ID, "U0ALICE01", storage.Change{Actor: "U0ALICE01", At: demoNow}, nil); err != nil {
		t.Fatal(err)
	}
	claimed, ok := d.Redraw(ctx, a, m.Blocks)
	if !ok || len(claimed) != len(m.Blocks) {
		t.Fatalf("redraw of a claim: %v, %d blocks of %d", ok, len(claimed), len(m.Blocks))
	}
	raw := string(jsonIndent(t, claimed))
	now, _ := d.db.FindReview(ctx, rv.ShopID, rv.ReviewID)
	if !strings.Contains(raw, "<@U0ALICE01>") || !strings.Contains(raw, "|msg|"+reviewVersion(now)) {
		t.Errorf("the claimed line lacks its owner or new version:\n%s", raw)
	}
	if err := d.db.CloseReview(ctx, rv.ID, "compensate", storage.Change{Actor: "U0ALICE01", At: demoNow, Note: "¥20.00 sorry"}); err != nil {
		t.Fatal(err)
	}
	closed, ok := d.Redraw(ctx, a, claimed)
	if !ok {
		t.Fatal("no redraw of a closing")
	}
	raw = string(jsonIndent(t, closed))
	if !strings.Contains(raw, "Closed by <@U0ALICE01>: compensate · “¥20.00 sorry”") || strings.Contains(raw, `"claim"`) {
		t.Errorf("the closed review does not say who closed it and how, or keeps its buttons:\n%s", raw)
	}
	// Drawn again, it stays one line.
	again, _ := d.Redraw(ctx, a, closed)
	if len(again) != len(closed) {
		t.Errorf("a second redraw has %d blocks, the first %d", len(again), len(closed))
	}
	if _, ok := d.Redraw(ctx, Action{Shop: "dy-none", Review: "R0", Team: demoTeam}, m.Blocks); ok {
		t.Error("redrew a message without the review")
	}
}
