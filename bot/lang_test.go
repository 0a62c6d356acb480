package bot

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/dsrbot/dsrbot/storage"
)

// TestReplyLang: the language of an answer that is no one shop's is the
// workspace's (DSRBOT_LANG), or Chinese when the command's first word is.
func TestReplyLang(t *testing.T) {
	for _, tt := range []struct {
		workspace, text string
		want            lang
	}{
		{"", "today", en},
		{"en", "today", en},
		{"zh", "today", zh},
		{"zh", "mine", zh},
		{"en", "我的", zh},
		{"en", "帮助", zh},
		{"en", "今天 nope", zh},
		{"en", "分配R1980给@bo", zh}, // typed without spaces
		{"en", "　差评　全部", zh},      // a full-width space first
		{"en", "R123 @alice", en},
		{"en", "dy-fashion 今天", en}, // the first word decides
		{"en", "", en},
		{"zh", "", zh},
	} {
		b := &Bot{Lang: tt.workspace}
		if got := b.replyLang(Request{Text: tt.text}); got != tt.want {
			t.Errorf("DSRBOT_LANG=%q, %q: %v, want %v", tt.workspace, tt.text, got, tt.want)
		}
	}
	// A shop's own answers are in the shop's language, whoever asks.
	b := &Bot{Lang: "zh"}
	if got := b.langFor(&storage.Shop{Lang: storage.LangEnglish}, Request{Text: "今天"}); got != en {
		t.Errorf("an English shop's answer to 今天 is in %v", got)
	}
}

// TestUsageInCatalog: every verb's right form is in the catalogue, and its
// English side is the grammar's own usage line, so a form changed in
// command.go fails here until its Chinese is changed too.
func TestUsageInCatalog(t *testing.T) {
	for v, line := range usage {
		e, ok := catalog["usage."+string(v)]
		if !ok {
			t.Errorf("verb %s: no usage.%s in the catalogue", v, v)
			continue
		}
		if e[en] != line {
			t.Errorf("usage.%s: English %q, grammar %q", v, e[en], line)
		}
	}
	for key := range catalog {
		if v, ok := strings.CutPrefix(key, "usage."); ok {
			if _, ok := usage[verb(v)]; !ok {
				t.Errorf("%s: no such verb", key)
			}
		}
	}
}

// TestChinesePunctuation: Chinese sentences take full-width punctuation
// (，：；（）！？); the ASCII forms are left to commands, IDs and numbers,
// which no Chinese catalogue entry writes with them.
func TestChinesePunctuation(t *testing.T) {
	for key, e := range catalog {
		if i := strings.IndexAny(e[zh], ",:;()!?"); i >= 0 {
			t.Errorf("%s: %q has half-width %q", key, e[zh], e[zh][i:i+1])
		}
	}
}

// verbPattern matches a formatting verb of a catalogue sentence.
var verbPattern = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// englishOnly are the pieces of English sentences in the catalogue
// (between their formatting verbs) that a Chinese reader must never see:
// those with a word of three letters or more, and found in no Chinese
// sentence (which keep commands such as /dsr today and outcome keys).
func englishOnly() []string {
	var zhAll strings.Builder
	for _, e := range catalog {
		zhAll.WriteString(e[zh] + "\n")
	}
	word := regexp.MustCompile(`[A-Za-z]{3,}`)
	seen := map[string]bool{}
	var out []string
	for _, e := range catalog {
		if e[en] == e[zh] {
			continue
		}
		for _, piece := range verbPattern.Split(e[en], -1) {
			piece = strings.TrimSpace(piece)
			if !word.MatchString(piece) || strings.Contains(zhAll.String(), piece) || seen[piece] {
				continue
			}
			seen[piece] = true
			out = append(out, piece)
		}
	}
	sort.Strings(out)
	return out
}

// halfWidthByHan is ASCII punctuation written against a Chinese character:
// a sentence the bot built in Chinese with English punctuation.
var halfWidthByHan = regexp.MustCompile(`\p{Han}[,;:()]|[,;:()]\p{Han}`)

// shopSetCommand is the command line /dsr settings gives to copy.
var shopSetCommand = regexp.MustCompile(`dsrbot shop set \S+( --\S+ \S+)*`)

// TestChineseEverywhere renders every kind of message the bot makes for
// Chinese shops in a Chinese workspace (DSRBOT_LANG=zh), through the same
// handlers as Slack: the card, the lists, status and its history, help,
// settings, every error a person can cause, buttons, and what the jobs
// post. None may carry a piece of an English sentence of the catalogue,
// nor ASCII punctuation against a Chinese character.
func TestChineseEverywhere(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	for _, id := range d.shopIDs(t) {
		if _, err := d.db.UpdateShop(ctx, id, func(s *storage.Shop) { s.Lang = storage.LangChinese }); err != nil {
			t.Fatal(err)
		}
	}
	d.Lang = storage.LangChinese
	if _, err := d.db.BindChannel(ctx, "dy-fashion", "C0FASHION"); err != nil {
		t.Fatal(err)
	}
	rv := d.openBadReview(t)
	// A review ID two shops share, to be refused as ambiguous: one of
	// another shop's, imported again into a third.
	var dup storage.Review
	for _, id := range d.shopIDs(t) {
		rows, _, err := d.db.BadReviews(ctx, storage.ReviewFilter{ShopID: id, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if id != rv.ShopID && len(rows) == 1 {
			dup = rows[0]
			break
		}
	}
	third := "dy-beauty"
	for _, id := range d.shopIDs(t) {
		if id != rv.ShopID && id != dup.ShopID {
			third = id
		}
	}
	if _, err := d.db.Import(ctx, storage.KindReviews, "dup.csv", strings.NewReader(
		"shop,review_id,order_id,product_id,product,rating,created_at,content\n"+
			third+","+dup.ReviewID+",O-DUP,P-DUP,保温杯,1,2026-11-20 08:00:00,漏水\n")); err != nil {
		t.Fatal(err)
	}
	var good string
	for i := 1001; i < 1100 && good == ""; i++ {
		if r, err := d.db.FindReview(ctx, "", fmt.Sprintf("R%d", i)); err == nil && r.Rating >= 4 {
			good = r.ReviewID
		}
	}
	if good == "" {
		t.Fatal("no good review among the demo's first")
	}

	type result struct {
		name string
		m    Message
	}
	var results []result
	say := func(channel, text string) {
		m := d.Handle(ctx, Request{Text: text, User: "U0ALICE01", Channel: channel, Team: demoTeam})
		results = append(results, result{fmt.Sprintf("%q in %q", text, channel), m})
	}
	for _, text := range []string{
		"", "help", "帮助", "today", "今天", "reviews", "reviews all", "reviews mine", "mine", "我的", "late",
		"today dy-fashion", "today tb-tea", "today dy-home", "reviews dy-fashion", "late tb-tea",
		"products", "商品", "products dy-fashion", "products tb-tea", "products dy-home",
		"status " + rv.ReviewID,
		"assign " + rv.ReviewID + " to @alice",
		"assign " + rv.ReviewID + " @bo",
		"done " + rv.ReviewID + " bogus",
		"done " + rv.ReviewID + " refund called back",
		"done " + rv.ReviewID + " gift",
		"assign " + rv.ReviewID + " @alice",
		"reopen " + rv.ReviewID + " 客户又来了",
		"reopen " + rv.ReviewID,
		"claim " + rv.ReviewID,
		"done " + rv.ReviewID + " no_action",
		"status " + rv.ReviewID,
		"status " + dup.ReviewID,
		"status R999999",
		"assign " + good + " @alice",
		"owner", "schedule 0 9 * * *", "settings", "settings dy-fashion", "settings tb-tea",
		"bind dy-fashion", "today nope", "bogus", "assign R1", "done R1", "status", "reviews a b",
		"owner size @a @b", "schedule 0 9 * *", "settings a b", "claim", "reopen",
		"recover", "恢复", "recover dy-fashion", "recover tb-tea", "recover dy-home", "recover --target abc", "recover tb-tea --target 80", "recover --target 4.9",
		"chart", "chart dy-fashion", "chart tb-tea 90d", "chart dy-fashion 45d",
		"why", "原因", "why dy-fashion", "why tb-tea", "why dy-home", "why a b",
	} {
		say("", text)
	}
	for _, text := range []string{
		"today", "reviews", "late", "owner", "owner size @alice", "owner default @alice @bo", "owner",
		"schedule 0 8 * * *", "schedule 0 25 * * *", "settings", "bind dy-fashion", "help", "bogus",
		"why",
	} {
		say("C0FASHION", text)
	}
	// A request that names no workspace, a workspace with no shop, and a
	// shop of no workspace.
	results = append(results,
		result{"no workspace", d.Handle(ctx, Request{Text: "today"})},
		result{"empty workspace", d.Handle(ctx, Request{Text: "today", Team: "T0EMPTY"})},
		result{"empty workspace, a shop", d.Handle(ctx, Request{Text: "settings dy-fashion", Team: "T0EMPTY"})})
	if _, err := d.db.UpdateShop(ctx, "dy-home", func(s *storage.Shop) { s.TeamID = "" }); err != nil {
		t.Fatal(err)
	}
	say("", "today dy-home")
	say("", "settings dy-home")
	// Buttons, and one of another workspace.
	next := d.openBadReview(t)
	// Resolve where no form can open, and what a reassignment from a list
	// tells its thread.
	results = append(results, result{"resolve select", d.ResolveSelect(ctx, Action{Verb: verbDone, Shop: next.ShopID, Review: next.ReviewID, Filter: "open", Scope: "shop", User: "U0ALICE01", Team: demoTeam}).Message})
	if r := d.Perform(ctx, Action{Verb: verbAssign, Shop: next.ShopID, Review: next.ReviewID, Filter: "open", Scope: "shop", User: "U0ALICE01", Assignee: "U0BO00001", Team: demoTeam}); r.Told == nil {
		t.Errorf("a reassignment from a list tells nothing: %s", r.Message.Plain)
	} else {
		results = append(results, result{"reassignment told", *r.Told})
	}
	for _, a := range []Action{
		{Verb: verbAssign, Shop: next.ShopID, Review: next.ReviewID, Filter: "open", Scope: "all", User: "U0ALICE01", Team: demoTeam},
		{Verb: verbDone, Shop: next.ShopID, Review: next.ReviewID, Outcome: "resend", Filter: "open", Scope: "shop", User: "U0ALICE01", Team: demoTeam},
		{Verb: verbDone, Shop: next.ShopID, Review: next.ReviewID, Outcome: "gift", Scope: "msg", User: "U0ALICE01", Team: demoTeam},
		{Verb: verbAssign, Shop: next.ShopID, Review: next.ReviewID, Scope: "msg", User: "U0ALICE01", Team: "T0OTHER"},
	} {
		m, _ := d.Act(ctx, a)
		results = append(results, result{fmt.Sprintf("button %s %s", a.Verb, a.Team), m})
	}
	// What the jobs post.
	for _, id := range []string{"dy-fashion", "dy-beauty", "dy-home", "tb-tea"} {
		dr, err := d.db.DigestReport(ctx, shopOf(t, d.db, id), demoNow)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, result{"digest " + id, RenderDigest(dr, demoNow.Add(-time.Hour), true)})
		results = append(results, result{"digest with chart " + id, RenderDigestChart(dr, "F1000", demoNow.Add(-time.Hour), true)})
		sr, err := d.db.ShipmentChanges(ctx, shopOf(t, d.db, id), demoNow)
		if err != nil {
			t.Fatal(err)
		}
		if !sr.Empty() {
			results = append(results, result{"shipments " + id, RenderShipments(sr)})
		}
		rr, err := d.db.Reminders(ctx, shopOf(t, d.db, id), demoNow.Add(72*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for i := range rr.Overdue {
			results = append(results, result{"reminder " + id, RenderReminder(&rr.Shop, &rr.Overdue[i], demoNow)})
		}
		results = append(results, result{"follow-ups " + id, RenderFollowUps(rr)})
		for i := range rr.Clusters {
			results = append(results, result{"cluster " + id, RenderCluster(&rr.Shop, &rr.Clusters[i], demoNow)})
		}
	}
	// Hand-built cards of every shape, and the failure of the store.
	for name, r := range map[string]*storage.DayReport{"below 70": fellBelow70("zh"), "growth": growthStage(), "taobao": taobaoStale(), "no score": noScore(), "many": manyNewBad()} {
		r.Shop.Lang = storage.LangChinese
		results = append(results, result{"card " + name, cardDoc(r).message()})
	}
	for name, r := range map[string]*storage.RecoveryReport{"douyin": recoverDouyin("zh"), "taobao short": recoverTaobao("zh"), "taobao covered": recoverTaobao("en")} {
		r.Shop.Lang = storage.LangChinese
		results = append(results, result{"recover " + name, recoverDoc(r).message()})
	}
	for name, r := range map[string]*storage.WhyReport{"douyin": whyDouyin("zh"), "taobao": whyTaobao(), "held": whyHeld()} {
		r.Shop.Lang = storage.LangChinese
		results = append(results, result{"why " + name, whyDoc(r).message()})
	}
	results = append(results, result{"why all", whyAllDoc(zh, "2026-11-24", []*storage.WhyReport{whyDouyin("zh"), whyTaobao()}).message()})
	results = append(results, result{"internal error", d.failure(ctx, Request{Text: "today"}, nil, fmt.Errorf("boom"))})
	// The App Home, the shortcut's answer, and a stale press.
	if hd, err := d.home(ctx, Request{User: "U0ALICE01", Team: demoTeam}); err == nil {
		results = append(results, result{"home", hd.message()})
	} else {
		t.Fatal(err)
	}
	if _, m := d.FollowUp(ctx, "nothing here", Request{User: "U0ALICE01", Team: demoTeam}); m != nil {
		results = append(results, result{"shortcut", *m})
	}
	results = append(results, result{"stale", d.Perform(ctx, Action{Verb: verbAssign, Shop: next.ShopID, Review: next.ReviewID, Scope: "msg", Version: "old", User: "U0ALICE01", Team: demoTeam}).Message})

	english := englishOnly()
	if len(english) < 100 {
		t.Fatalf("only %d English pieces in the catalogue: the split is broken", len(english))
	}
	for _, r := range results {
		text := r.m.Plain
		for _, piece := range english {
			if strings.Contains(text, piece) {
				t.Errorf("%s has the English %q:\n%s", r.name, piece, text)
			}
		}
		// A command to copy is typed as it is, ASCII commas and all.
		if loc := halfWidthByHan.FindStringIndex(shopSetCommand.ReplaceAllString(text, "")); loc != nil {
			t.Errorf("%s has ASCII punctuation in Chinese, %q:\n%s", r.name, text[max(0, loc[0]-12):min(len(text), loc[1]+12)], text)
		}
		if !hasHan(text) {
			t.Errorf("%s is not Chinese:\n%s", r.name, text)
		}
	}
	// What the history says, in Chinese: each action, and the outcome of
	// a closing rather than its key.
	var status string
	for _, r := range results {
		if r.name == fmt.Sprintf("%q in %q", "status "+rv.ReviewID, "") {
			status = r.m.Plain
		}
	}
	for _, w := range []string{" · 分配 → ", " · 关闭：退款，备注：called back", " · 重开：客户又来了", " · 关闭：无需处理"} {
		if !strings.Contains(status, w) {
			t.Errorf("status lacks %q:\n%s", w, status)
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestWorkspaceLanguage: DSRBOT_LANG decides the answers that are no one
// shop's (here with English keywords), and leaves a shop's own answers in
// the shop's language.
func TestWorkspaceLanguage(t *testing.T) {
	d := newDemoBot(t)
	if _, err := d.db.BindChannel(context.Background(), "dy-fashion", "C0FASHION"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text, channel string
		en, zh        string // the start of the answer in each workspace
	}{
		{"today", "", "All shops · 2026-11-24\n\n1 of 4 below 精选联盟 70", "全部店铺 · 2026-11-24\n\n4 家中 1 家低于 精选联盟 70"},
		{"reviews", "", "Open bad reviews · all shops", "未处理差评 · 全部店铺"},
		{"late", "", "Late and at-risk orders · all shops", "超时与即将超时订单 · 全部店铺"},
		{"mine", "", "Your open follow-ups · all shops", "我的待处理 · 全部店铺"},
		{"help", "", "dsrbot: scores, bad reviews and late orders", "dsrbot：评分、差评与发货预警"},
		{"bogus", "", `I don't know "bogus".`, `不认识命令 "bogus"。`},
		{"owner", "", "Run /dsr owner in a shop's channel", "请在店铺频道中运行 /dsr owner"},
		{"status R999999", "", `There is no review "R999999".`, `没有评价 "R999999"。`},
		// dy-fashion is an English shop: its channel and its card stay
		// English in a Chinese workspace; dy-home is a Chinese one.
		{"today", "C0FASHION", "潮衣馆 Trend Closet · dy-fashion · Douyin", "潮衣馆 Trend Closet · dy-fashion · Douyin"},
		{"bogus", "C0FASHION", `I don't know "bogus".`, `I don't know "bogus".`},
		{"today dy-home", "", "家居小铺 Cozy Home · dy-home · 抖音", "家居小铺 Cozy Home · dy-home · 抖音"},
	}
	for _, workspace := range []string{storage.LangEnglish, storage.LangChinese} {
		d.Lang = workspace
		for _, tt := range tests {
			want := tt.en
			if workspace == storage.LangChinese {
				want = tt.zh
			}
			m := d.handle(t, Request{Text: tt.text, Channel: tt.channel, Team: demoTeam, User: "U0ALICE01"})
			if !strings.HasPrefix(m.Text, want) {
				t.Errorf("DSRBOT_LANG=%s, %q in %q:\n%s\nwant it to start %q", workspace, tt.text, tt.channel, m.Text, want)
			}
		}
	}
}

// TestMistakeInTheShopsLanguage: a command that does not parse is answered
// in the language of the shop it is about: the channel's, else that of
// the review it names, if the asker may see it.
func TestMistakeInTheShopsLanguage(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	var zhReview, enReview string
	for _, id := range d.shopIDs(t) {
		s, err := d.db.FindShop(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		rows, _, err := d.db.BadReviews(ctx, storage.ReviewFilter{ShopID: id, Limit: 1})
		if err != nil || len(rows) == 0 {
			continue
		}
		if s.Lang == storage.LangChinese && zhReview == "" {
			zhReview = rows[0].ReviewID
		}
		if s.Lang == storage.LangEnglish && enReview == "" {
			enReview = rows[0].ReviewID
		}
	}
	if zhReview == "" || enReview == "" {
		t.Fatal("the demo lacks a bad review of a Chinese or an English shop")
	}
	for _, tt := range []struct {
		name string
		req  Request
		want string
	}{
		{"a Chinese shop's review", Request{Text: "done " + zhReview + " bogus", Team: demoTeam}, zh.t("err.outcome", "bogus")},
		{"an English shop's review", Request{Text: "完成 " + enReview + " 随便", Team: demoTeam}, en.t("err.outcome", "随便")},
		{"no such review", Request{Text: "done R999999 bogus", Team: demoTeam}, en.t("err.outcome", "bogus")},
		{"in the shell", Request{Text: "done " + zhReview + " bogus", Local: true}, zh.t("err.outcome", "bogus")},
		// Another workspace does not learn the shop's language.
		{"another workspace", Request{Text: "done " + zhReview + " bogus", Team: "T0OTHER"}, en.t("err.outcome", "bogus")},
		{"no workspace", Request{Text: "done " + zhReview + " bogus"}, en.t("err.outcome", "bogus")},
	} {
		if m := d.handle(t, tt.req); m.Text != tt.want+"\n" {
			t.Errorf("%s: %q, want %q", tt.name, m.Text, tt.want)
		}
	}
}
