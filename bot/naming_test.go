package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

// The people of these tests, as Slack user IDs.
const (
	nmLead  = "U0LEAD001"
	nmAlice = "U0ALICE01"
	nmBo    = "U0BO00001"
	nmMei   = "U0MEI0001"
)

// ask is what the bot answers a person of the demo's workspace, outside
// any bound channel unless channel is given.
func (d *demoBot) ask(t *testing.T, user, text string, channel ...string) Message {
	t.Helper()
	req := Request{Team: demoTeam, User: user, Text: text}
	if len(channel) > 0 {
		req.Channel = channel[0]
	}
	return d.handle(t, req)
}

// importReviews imports a canonical reviews CSV (header included).
func (d *demoBot) importReviews(t *testing.T, csv string) {
	t.Helper()
	if _, err := d.db.Import(context.Background(), storage.KindReviews, "reviews.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
}

// reviewIn is a review of one shop, as stored now.
func (d *demoBot) reviewIn(t *testing.T, shop, id string) *storage.Review {
	t.Helper()
	rv, err := d.db.FindReview(context.Background(), shop, id)
	if err != nil {
		t.Fatal(err)
	}
	return rv
}

// addShop adds a shop to the demo, owned by team.
func (d *demoBot) addShop(t *testing.T, id, name, team string) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.db.CreateShop(ctx, storage.Shop{ID: id, Name: name, Platform: storage.Douyin}, "Asia/Shanghai", demoNow); err != nil {
		t.Fatal(err)
	}
	if _, err := d.db.UpdateShop(ctx, id, func(s *storage.Shop) { s.TeamID = team }); err != nil {
		t.Fatal(err)
	}
}

// otherShop is a demo shop other than id, in English.
func otherShop(id string) string {
	if id == "tb-tea" {
		return "dy-beauty"
	}
	return "tb-tea"
}

// TestHandleSharedReviewID: a review ID two shops share gets, in every
// follow-up command, the exact form to type, and changes nothing; every
// way of naming the shop then works on that shop's review only.
func TestHandleSharedReviewID(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	rv := d.openBadReview(t)
	id, home, other := rv.ReviewID, rv.ShopID, otherShop(rv.ShopID)
	d.importReviews(t, "shop,review_id,rating,created_at,content\n"+other+","+id+",1,2026-11-23 08:00:00,包装破了\n")
	pair := []string{home, other}
	sort.Strings(pair)
	which := fmt.Sprintf("%s is in %s, %s: say %s/%s or %s/%s.\n", id, pair[0], pair[1], pair[0], id, pair[1], id)
	for _, text := range []string{
		"status " + id, "assign " + id + " <@" + nmBo + ">", id + " <@" + nmBo + ">", "分配" + id + "给<@" + nmBo + ">",
		"claim " + id, "done " + id + " refund", "关闭 " + id + " 已退款", "reopen " + id,
		"status " + strings.ToLower(id),
	} {
		if m := d.ask(t, nmAlice, text); m.Text != which {
			t.Errorf("%q answered %q, want %q", text, m.Text, which)
		}
	}
	untouched := func() {
		t.Helper()
		got := d.reviewIn(t, home, id)
		if got.Owner != rv.Owner || got.Status != rv.Status {
			t.Errorf("%s's own %s changed: owner %q, status %q", home, id, got.Owner, got.Status)
		}
		if hist, _ := d.db.ReviewHistory(ctx, got.ID); len(hist) != 0 {
			t.Errorf("%s's own %s has history %+v", home, id, hist)
		}
	}
	untouched()
	if hist, _ := d.db.ReviewHistory(ctx, d.reviewIn(t, other, id).ID); len(hist) != 0 {
		t.Fatalf("a refused command changed %s's %s: %+v", other, id, hist)
	}

	// Status, with the shop in each form.
	otherShop, err := d.db.FindShop(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	title := id + " · " + other + "\n"
	for _, text := range []string{
		"status " + other + "/" + id, "status " + id + " " + other, "状态" + other + "/" + id,
		"status " + id + " " + otherShop.Name, "status " + strings.ToLower(id) + " " + strings.ToUpper(other),
	} {
		if m := d.ask(t, nmAlice, text); !strings.HasPrefix(m.Plain, title) {
			t.Errorf("%q answered:\n%s\nwant the status of %s's %s", text, m.Plain, other, id)
		}
	}
	// Assign, claim, done and reopen, each in a form that names the shop.
	steps := []struct {
		user, text, want string
		owner, status    string
	}{
		{nmLead, "assign " + other + "/" + id + " <@" + nmBo + ">", id + " → <@" + nmBo + ">: follow-up assigned.\n", nmBo, storage.StatusOpen},
		{nmLead, "assign " + id + " <@" + nmBo + "> " + other, id + " → <@" + nmBo + ">: follow-up assigned.\n", nmBo, storage.StatusOpen},
		{nmLead, "分配 " + id + " 给 <@" + nmBo + "> " + other, id + " → <@" + nmBo + ">: follow-up assigned.\n", nmBo, storage.StatusOpen},
		{nmAlice, "claim " + id + " " + other, id + " was <@" + nmBo + ">'s; now yours.\n", nmAlice, storage.StatusOpen},
		{nmAlice, "done " + other + "/" + id + " refund called back", id + " closed: refund.\n", nmAlice, storage.StatusDone},
		{nmAlice, "reopen " + other + "/" + id + " buyer wrote again", id + " is open again.\n", nmAlice, storage.StatusOpen},
		{nmAlice, "关闭 " + other + "/" + id + " 已补发", id + " closed: resend.\n", nmAlice, storage.StatusDone},
	}
	for _, s := range steps {
		if m := d.ask(t, s.user, s.text); m.Text != s.want {
			t.Errorf("%q answered %q, want %q", s.text, m.Text, s.want)
		}
		if got := d.reviewIn(t, other, id); got.Owner != s.owner || got.Status != s.status {
			t.Errorf("after %q: %s's %s owner %q, status %q; want %q, %q", s.text, other, id, got.Owner, got.Status, s.owner, s.status)
		}
	}
	if m := d.ask(t, nmAlice, "reopen "+other+"/"+id); m.Text != id+" is open again.\n" {
		t.Fatalf("reopen: %q", m.Text)
	}
	// A button names its shop: it acts on that shop's review.
	if m, _ := d.Act(ctx, Action{Verb: verbAssign, Shop: other, Review: id, Scope: "msg", User: nmMei, Team: demoTeam}); m.Text != id+" was <@"+nmAlice+">'s; now yours.\n" {
		t.Errorf("claim button answered %q", m.Text)
	}
	if got := d.reviewIn(t, other, id); got.Owner != nmMei {
		t.Errorf("after the button, %s's %s is %q's", other, id, got.Owner)
	}
	untouched()
}

// TestHandleSharedReviewIDInChinese: the "which shop?" answer is in
// Chinese when every shop it names is, and full-width.
func TestHandleSharedReviewIDInChinese(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	const id = "R9901"
	d.importReviews(t, "shop,review_id,rating,created_at,content\ndy-home,"+id+",1,2026-11-24 08:00:00,有异味\ndy-beauty,"+id+",1,2026-11-23 08:00:00,过敏了\n")
	want := fmt.Sprintf("%s is in dy-beauty, dy-home: say dy-beauty/%s or dy-home/%s.\n", id, id, id)
	if m := d.ask(t, nmAlice, "状态 "+id); m.Text != want {
		t.Errorf("a shop in English and one in Chinese: %q, want %q", m.Text, want)
	}
	if _, err := d.db.UpdateShop(ctx, "dy-beauty", func(s *storage.Shop) { s.Lang = storage.LangChinese }); err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprintf("%s 在多个店铺中都有（dy-beauty、dy-home）：请写 dy-beauty/%s 或 dy-home/%s。\n", id, id, id)
	if m := d.ask(t, nmAlice, "认领"+id); m.Text != want {
		t.Errorf("two Chinese shops: %q, want %q", m.Text, want)
	}
	if m := d.ask(t, nmAlice, "认领"+id+" dy-home"); m.Text != id+" → <@"+nmAlice+">：已分配跟进。\n" {
		t.Errorf("认领 with the shop: %q", m.Text)
	}
}

// TestHandleReviewIDAnyCase: a review ID typed in lower case is the
// review, and answers name it as stored.
func TestHandleReviewIDAnyCase(t *testing.T) {
	d := newDemoBot(t)
	rv := d.openBadReview(t)
	lower := strings.ToLower(rv.ReviewID)
	if lower == rv.ReviewID {
		t.Fatalf("demo review ID %q has no case", rv.ReviewID)
	}
	if m := d.ask(t, nmAlice, "status "+lower); !strings.HasPrefix(m.Plain, rv.ReviewID+" · "+rv.ShopID+"\n") {
		t.Errorf("status %s:\n%s", lower, m.Plain)
	}
	if m := d.ask(t, nmLead, lower+" <@"+nmAlice+">"); m.Text != rv.ReviewID+" → <@"+nmAlice+">: follow-up assigned.\n" {
		t.Errorf("assign %s: %q", lower, m.Text)
	}
	if m := d.ask(t, nmAlice, "关闭"+lower+"已退款，已回电"); m.Text != rv.ReviewID+" closed: refund.\n" {
		t.Errorf("关闭 %s: %q", lower, m.Text)
	}
	got := d.review(t, rv.ReviewID)
	if got.Status != storage.StatusDone || got.Outcome != "refund" || got.Note != "已回电" || got.Owner != nmAlice {
		t.Errorf("after the commands: %+v", got)
	}
}

// TestHandleShopByName: a shop is named by its ID in any case, its whole
// name, or a part of it that only it has; an exact ID wins over any name,
// a name several shops fit is answered with them, and another
// workspace's shop is never found by name.
func TestHandleShopByName(t *testing.T) {
	d := newDemoBot(t)
	fashion := d.card(t, "dy-fashion").Text
	for _, text := range []string{
		"today 潮衣馆 Trend Closet", "today 潮衣馆", "today trend closet", "today Trend", "today 潮衣馆Trend Closet",
		"today DY-FASHION", "今天 潮衣馆", "今天 潮衣馆trend closet", "today　潮衣馆　Trend　Closet",
	} {
		if m := d.ask(t, nmAlice, text); m.Text != fashion {
			t.Errorf("%q answered:\n%.200s\nwant the card of dy-fashion", text, m.Text)
		}
	}
	if m := d.ask(t, nmAlice, "reviews all Cozy Home"); !strings.HasPrefix(m.Plain, "全部差评 · 家居小铺 Cozy Home（dy-home）\n") {
		t.Errorf("reviews all Cozy Home:\n%.200s", m.Plain)
	}
	if m := d.ask(t, nmAlice, "late 茶香阁"); !strings.Contains(m.Plain, "tb-tea") {
		t.Errorf("late 茶香阁:\n%.200s", m.Plain)
	}

	d.addShop(t, "dy-kids", "潮衣馆 Kids", demoTeam)
	d.addShop(t, "tb-x", "dy-home", demoTeam)
	d.addShop(t, "dy-secret", "Secret Garden", "T0OTHER")
	many := `"潮衣馆" could be dy-fashion (潮衣馆 Trend Closet), dy-kids (潮衣馆 Kids). Name it by its ID.` + "\n"
	if m := d.ask(t, nmAlice, "today 潮衣馆"); m.Text != many {
		t.Errorf("an ambiguous name answered %q, want %q", m.Text, many)
	}
	if m := d.ask(t, nmAlice, "today 潮衣馆 Trend Closet"); m.Text != fashion {
		t.Errorf("a whole name that another shop's starts like:\n%.200s", m.Text)
	}
	if m := d.ask(t, nmAlice, "today dy-home"); m.Text != d.card(t, "dy-home").Text {
		t.Errorf("an exact ID that is also another shop's name:\n%.200s", m.Text)
	}
	for _, text := range []string{"today Secret Garden", "today Secret", "today dy-secret"} {
		m := d.ask(t, nmAlice, text)
		if !strings.HasPrefix(m.Text, "There is no shop ") || strings.Contains(m.Text, "dy-secret,") || strings.Contains(m.Text, "Secret Garden (") {
			t.Errorf("%q from another workspace answered %q", text, m.Text)
		}
	}
	// In a Chinese shop's channel, the hint is in Chinese.
	if _, err := d.db.BindChannel(context.Background(), "dy-home", "C0HOME"); err != nil {
		t.Fatal(err)
	}
	manyZh := `"潮衣馆" 对应多个店铺：dy-fashion（潮衣馆 Trend Closet）、dy-kids（潮衣馆 Kids）。请用店铺ID指定。` + "\n"
	if m := d.ask(t, nmAlice, "今天 潮衣馆", "C0HOME"); m.Text != manyZh {
		t.Errorf("an ambiguous name in a Chinese channel: %q, want %q", m.Text, manyZh)
	}
}

// TestHandleDouyinIDInMention: 抖店's ORDER-PRODUCT review IDs work in a
// mention's assignment without a verb, glued to Chinese, and in done.
func TestHandleDouyinIDInMention(t *testing.T) {
	d := newDemoBot(t)
	const id = "6921345678901234571-3581004"
	d.importReviews(t, "shop,review_id,order_id,product_id,rating,created_at,content\n"+
		"dy-fashion,"+id+",6921345678901234571,3581004,1,2026-11-24 08:00:00,尺码偏小\n")
	mention := func(text string) Message {
		return d.ask(t, nmLead, MentionCommand(text, "UBOT"), "C0ANY")
	}
	if m := mention("<@UBOT> " + id + " <@" + nmAlice + ">"); m.Text != id+" → <@"+nmAlice+">: follow-up assigned.\n" {
		t.Errorf("verbless assignment: %q", m.Text)
	}
	if m := mention("<@UBOT>分配" + id + "给<@" + nmBo + ">"); m.Text != id+" → <@"+nmBo+">: follow-up assigned; it was <@"+nmAlice+">'s.\n" {
		t.Errorf("分配 without spaces: %q", m.Text)
	}
	if m := mention("<@UBOT> 完成 dy-fashion/" + id + " 已退款"); m.Text != id+" closed: refund.\n" {
		t.Errorf("done: %q", m.Text)
	}
	if got := d.reviewIn(t, "dy-fashion", id); got.Status != storage.StatusDone || got.Owner != nmBo {
		t.Errorf("after the mentions: %+v", got)
	}
}

// TestHandleClaimOverSomeone: taking a follow-up from someone says whose
// it was and tells them in a direct message, queued with the change; the
// history records it as any assignment. Nobody is told of a change that
// took nothing from them, or that they made, nor from the local shell.
func TestHandleClaimOverSomeone(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	rv := d.openBadReview(t)
	shop, err := d.db.FindShop(ctx, rv.ShopID)
	if err != nil {
		t.Fatal(err)
	}
	if shop.Lang != storage.LangEnglish {
		t.Fatalf("the newest open bad review is of %s, not in English", shop.ID)
	}
	id := rv.ReviewID
	told := func(user string) *storage.OutboxMessage {
		t.Helper()
		hist, err := d.db.ReviewHistory(ctx, rv.ID)
		if err != nil || len(hist) == 0 {
			t.Fatalf("history: %v %v", hist, err)
		}
		m, err := d.db.FindOutbox(ctx, storage.OutboxKey(handoverKind, rv.ShopID, fmt.Sprint(hist[len(hist)-1].ID)))
		if storage.ErrorCode(err) == storage.ENOTFOUND {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		if m.Channel != user || m.ShopID != rv.ShopID || m.Kind != handoverKind || !m.Pending() || m.Blocks == "" {
			t.Errorf("handover message %+v, want one for %s", m, user)
		}
		return m
	}
	steps := []struct {
		user, text, want string
		tell             string // who is told, and what
		says             string
	}{
		{nmLead, "assign " + id + " <@" + nmBo + ">", id + " → <@" + nmBo + ">: follow-up assigned.\n", "", ""},
		{nmAlice, "claim " + id, id + " was <@" + nmBo + ">'s; now yours.\n",
			nmBo, "<@" + nmAlice + "> took over " + id + " (" + shop.Name + " · " + shop.ID + ") from you; it is theirs to follow up now."},
		{nmLead, "assign " + id + " to <@" + nmMei + ">", id + " → <@" + nmMei + ">: follow-up assigned; it was <@" + nmAlice + ">'s.\n",
			nmAlice, "<@" + nmLead + "> gave " + id + " (" + shop.Name + " · " + shop.ID + "), which you followed up, to <@" + nmMei + ">."},
		{nmMei, "认领" + id, id + " → <@" + nmMei + ">: follow-up assigned.\n", "", ""},
		// Mei gives her own follow-up away: she knows.
		{nmMei, "assign " + id + " <@" + nmBo + ">", id + " → <@" + nmBo + ">: follow-up assigned; it was <@" + nmMei + ">'s.\n", "", ""},
	}
	for _, s := range steps {
		if m := d.ask(t, s.user, s.text); m.Text != s.want {
			t.Errorf("%q answered %q, want %q", s.text, m.Text, s.want)
		}
		m := told(s.tell)
		switch {
		case s.tell == "" && m != nil:
			t.Errorf("%q told %s: %q", s.text, m.Channel, m.Text)
		case s.tell != "" && m == nil:
			t.Errorf("%q told nobody, want %s", s.text, s.tell)
		case s.tell != "" && !strings.Contains(m.Text, s.says):
			t.Errorf("%q told %s:\n%s\nwant it to say %q", s.text, s.tell, m.Text, s.says)
		}
	}
	hist, _ := d.db.ReviewHistory(ctx, rv.ID)
	var got []string
	for _, ev := range hist {
		got = append(got, ev.Actor+" "+ev.Action+" "+ev.Detail)
	}
	want := []string{nmLead + " assigned " + nmBo, nmAlice + " assigned " + nmAlice, nmLead + " assigned " + nmMei, nmMei + " assigned " + nmMei, nmMei + " assigned " + nmBo}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A button's claim tells too.
	if m, _ := d.Act(ctx, Action{Verb: verbAssign, Shop: rv.ShopID, Review: id, Scope: "msg", User: nmAlice, Team: demoTeam}); m.Text != id+" was <@"+nmBo+">'s; now yours.\n" {
		t.Errorf("claim button answered %q", m.Text)
	}
	if m := told(nmBo); m == nil {
		t.Error("the claim button told nobody")
	}
	// The shell has no Slack: it says whose it was, and queues nothing.
	pending, _ := d.db.PendingOutbox(ctx)
	sh := d.handle(t, Request{Local: true, User: "mei", Text: "claim " + id})
	if sh.Plain != id+" was <@"+nmAlice+">'s; now yours.\n" {
		t.Errorf("shell claim: %q", sh.Plain)
	}
	if n, _ := d.db.PendingOutbox(ctx); n != pending {
		t.Errorf("the shell queued %d messages", n-pending)
	}
}

// TestHandleClaimOverSomeoneInChinese: in a Chinese shop, the answer and
// the message to the previous owner are in Chinese.
func TestHandleClaimOverSomeoneInChinese(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	const id = "R9902"
	d.importReviews(t, "shop,review_id,rating,created_at,content\ndy-home,"+id+",1,2026-11-24 08:00:00,盒子破了\n")
	rv := d.reviewIn(t, "dy-home", id)
	d.ask(t, nmLead, "把 "+id+" 分配给 <@"+nmBo+">")
	if m := d.ask(t, nmAlice, "认领 "+id); m.Text != id+" 原由 <@"+nmBo+"> 跟进，现在由你跟进。\n" {
		t.Errorf("认领 answered %q", m.Text)
	}
	hist, _ := d.db.ReviewHistory(ctx, rv.ID)
	m, err := d.db.FindOutbox(ctx, storage.OutboxKey(handoverKind, "dy-home", fmt.Sprint(hist[len(hist)-1].ID)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "<@" + nmAlice + "> 接手了你负责的 " + id + "（家居小铺 Cozy Home · dy-home），之后由其跟进。"; m.Channel != nmBo || !strings.Contains(m.Text, want) || !strings.Contains(m.Text, "差评跟进已转交") {
		t.Errorf("message to %s:\n%s\nwant it to say %q", m.Channel, m.Text, want)
	}
}

// TestHandoverIsSlackSafe: the message to a previous owner carries a shop
// name, a product and a review from outside the bot, escaped like any
// message; its only markup is the people it names. Claimed through the
// bot, it is queued as rendered.
func TestHandoverIsSlackSafe(t *testing.T) {
	d := newHostileBot(t)
	ctx := context.Background()
	for _, id := range []string{"R1", "<!here>R6"} {
		rv, err := d.db.FindReview(ctx, "dy-evil", id)
		if err != nil {
			t.Fatal(err)
		}
		shop, err := d.db.FindShop(ctx, "dy-evil")
		if err != nil {
			t.Fatal(err)
		}
		allowed := map[string]bool{escAlice: true, escBo: true}
		for _, by := range []string{escBo, escAlice} {
			m := handoverDoc(shop, rv, escBo, by, demoNow).message()
			checkSlackSafe(t, "handover of "+id, m, allowed)
			if !echoesHostile(m) {
				t.Errorf("handover of %s shows no hostile string, so it proves nothing:\n%s", id, m.Plain)
			}
		}
	}
	// R1 is alice's by the shop's rule; bo claims it.
	if m := d.Handle(ctx, Request{Text: "claim R1", User: escBo, Team: "T1"}); m.Text != "R1 was <@"+escAlice+">'s; now yours.\n" {
		t.Fatalf("claim answered %q", m.Text)
	}
	keys, err := d.db.PendingKeys(ctx, "dy-evil", handoverKind)
	if err != nil || len(keys) != 1 {
		t.Fatalf("queued: %v, %v", keys, err)
	}
	queued, _ := d.db.OutboxByKeys(ctx, keys)
	rv, _ := d.db.FindReview(ctx, "dy-evil", "R1")
	shop, _ := d.db.FindShop(ctx, "dy-evil")
	rv.Owner = escAlice
	want := handoverDoc(shop, rv, escBo, escBo, demoNow).message()
	if queued[0].Channel != escAlice || queued[0].Text != want.Text {
		t.Errorf("queued for %s:\n%s\nwant\n%s", queued[0].Channel, queued[0].Text, want.Text)
	}
}
