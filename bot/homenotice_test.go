package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

// TestHomeNoticeInTheHomesLanguage: a press from the App Home refused as
// stale is said in the Home's language (the workspace's, Chinese here)
// though the shop is English, and the same press beside a message is said
// in the shop's; the Home drawn with the notice opens with it, and without
// it, does not.
func TestHomeNoticeInTheHomesLanguage(t *testing.T) {
	d := newDemoBot(t)
	d.Lang = "zh"
	ctx := context.Background()
	rv := d.openBadReview(t)
	if _, err := d.db.UpdateShop(ctx, rv.ShopID, func(s *storage.Shop) { s.Lang = storage.LangEnglish }); err != nil {
		t.Fatal(err)
	}
	drawn := reviewVersion(&rv)
	if _, err := d.db.Reassign(ctx, rv.ID, "U0BO00001", storage.Change{Actor: "U0BO00001", At: demoNow}, nil); err != nil {
		t.Fatal(err)
	}
	a := Action{Verb: verbAssign, Shop: rv.ShopID, Review: rv.ReviewID, Filter: "mine", Scope: "home", Version: drawn, User: "U0ALICE01", Team: demoTeam}
	r := d.Perform(ctx, a)
	if want := zh.t("action.stale", rv.ReviewID); !r.Stale || r.Notice != want {
		t.Errorf("from the Home: notice %q, want %q", r.Notice, want)
	}
	a.Scope = "msg"
	if r := d.Perform(ctx, a); r.Notice != "" || !strings.Contains(r.Message.Plain, en.t("action.stale", rv.ReviewID)) {
		t.Errorf("beside a message: notice %q, answer %q", r.Notice, r.Message.Plain)
	}
	// Already closed, from the Home's form: the same, in Chinese.
	if err := d.db.CloseReview(ctx, rv.ID, "refund", storage.Change{Actor: "U0BO00001", At: demoNow}); err != nil {
		t.Fatal(err)
	}
	a = Action{Verb: verbDone, Shop: rv.ShopID, Review: rv.ReviewID, Filter: "mine", Scope: "home", User: "U0ALICE01", Team: demoTeam}
	if form, refusal := d.ResolveForm(ctx, a, Back{}); form != nil || refusal == nil || refusal.Notice != zh.t("done.already", rv.ReviewID, zh.t("outcome.refund")) {
		t.Errorf("the form from the Home on a closed review: %v %+v", form, refusal)
	}

	home, err := d.HomeWithNotice(ctx, "U0ALICE01", demoTeam, r.Notice)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(home.Blocks.BlockSet[1])
	if !strings.Contains(string(raw), "在此消息显示后已有变动") {
		t.Errorf("the Home's first block after its title is %s", raw)
	}
	plain, err := d.Home(ctx, "U0ALICE01", demoTeam)
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Blocks.BlockSet) != len(home.Blocks.BlockSet)-1 {
		t.Errorf("the Home without a notice has %d blocks, with one %d", len(plain.Blocks.BlockSet), len(home.Blocks.BlockSet))
	}
}

// TestResolveFormDropsATooLargeCopy: the DM copy a form carries is
// dropped when it would take the form's private_metadata past Slack's
// 3,000 characters, and kept when it fits.
func TestResolveFormDropsATooLargeCopy(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	rv := d.openBadReview(t)
	a := Action{Verb: verbDone, Shop: rv.ShopID, Review: rv.ReviewID, Filter: "open", Scope: "msg", User: "U0ALICE01", Team: demoTeam}
	for _, tt := range []struct {
		size int
		kept bool
	}{{1000, true}, {3000, false}} {
		form, refusal := d.ResolveForm(ctx, a, Back{Channel: "D1", TS: "1.000100", Drawn: strings.Repeat("x", tt.size)})
		if refusal != nil {
			t.Fatal(refusal.Message.Plain)
		}
		var st formState
		if err := json.Unmarshal([]byte(form.PrivateMetadata), &st); err != nil {
			t.Fatal(err)
		}
		if len(form.PrivateMetadata) > maxPrivateMetadata || (st.Back.Drawn != "") != tt.kept || st.Back.Channel != "D1" {
			t.Errorf("a copy of %d: %d characters, kept %v", tt.size, len(form.PrivateMetadata), st.Back.Drawn != "")
		}
	}
}
