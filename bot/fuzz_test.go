package bot

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dsrbot/dsrbot/storage"
)

// FuzzParse feeds the command grammar arbitrary text. It must never panic,
// every success must be a whole command, and every failure must be a
// sentence from the catalogue (never a Go error string). Seeds are below
// and in testdata/fuzz/FuzzParse; run `go test -fuzz FuzzParse ./bot` for
// a few minutes after changing the grammar.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"today", "today dy-fashion", "今天", "reviews mine", "差评 全部 shop1", "late", "help",
		"assign R123 to <@U012ABC|alice>", "R123 @alice", "分配　R123　给　＠alice", "done R1 refund called back",
		"完成 R1 退款", "reopen R1 again", "status R1", "claim R1", "owner logistics @bo shop", "owner default @a @b",
		"schedule 0 9 * * *", "bind x", "", "<@U1>", "done", "owner @x", "分配 R1 给", "\x00", "R1 <@", "done R1 赠品/优惠券",
		"分配R1980给@bo", "把 R1980 分配给 <@U1|阿博>", "关闭R1980已退款，买家：好", "dy-kids/R100 @a x", "status R1 潮衣馆 Trend",
		"完成 6921345678901234571-3581004 送了优惠券", "认领　Ｒ１", "<<<>", "今天 潮衣馆/", "＠张三分配R1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text)
		if err != nil {
			pe, ok := err.(*parseError)
			if !ok {
				t.Fatalf("Parse(%q) error %T, want *parseError", text, err)
			}
			if _, known := catalog[pe.key]; !known {
				t.Fatalf("Parse(%q) error key %q is not in the catalogue", text, pe.key)
			}
			return
		}
		switch c.Verb {
		case verbAssign:
			if c.Review == "" || c.User == "" {
				t.Fatalf("Parse(%q) = assign without a review or user: %+v", text, c)
			}
		case verbDone:
			if c.Review == "" || !isOutcome(c.Outcome) {
				t.Fatalf("Parse(%q) = done without a review or a known outcome: %+v", text, c)
			}
		case verbClaim, verbStatus, verbReopen:
			if c.Review == "" {
				t.Fatalf("Parse(%q) = %s without a review", text, c.Verb)
			}
		case verbSchedule:
			if len(strings.Fields(c.Spec)) != 5 {
				t.Fatalf("Parse(%q) = schedule %q, not 5 fields", text, c.Spec)
			}
		case "":
			t.Fatalf("Parse(%q) succeeded with no verb", text)
		}
		if utf8.ValidString(text) && !utf8.ValidString(c.Note) {
			t.Fatalf("Parse(%q) made an invalid note %q", text, c.Note)
		}
	})
}

// FuzzRenderUntrusted renders the messages that carry text from outside
// the bot (the score card, the digest, a reminder, the follow-up summary, a
// cluster alert, shipment warnings, a follow-up's history, and the hint
// for a command it does not know) with a fuzzed shop name, product, review
// content and note (also stored as an owner and typed as a command). In
// what Slack receives the only markup may be a mention of a Slack user ID
// the bot resolved, and the plain form must be the text unescaped. Run
// `go test -fuzz FuzzRenderUntrusted ./bot` for a few minutes after
// changing the renderer.
func FuzzRenderUntrusted(f *testing.F) {
	f.Add("潮衣馆 Trend Closet", "连衣裙 L 黑色", "尺码偏小，退了", "called back")
	for _, h := range hostile {
		f.Add(h+" 潮衣馆", "连衣裙 "+h, h+" 太差了", h)
	}
	f.Add("<!channel>", "<!here> 连衣裙", "<!channel> 太差了 <https://evil.example|点我退款>", "U999HACK")
	f.Add("&amp;&lt;", "&", "<<<>>>&&&", "@<!everyone>")
	f.Fuzz(func(t *testing.T, shopName, product, content, note string) {
		r := fellBelow70("en")
		r.Shop.Name = shopName
		r.NewBad[1].Product, r.NewBad[1].Content = product, content
		r.Late[0].Product = product
		zhCard := fellBelow70("zh")
		zhCard.Shop.Name, zhCard.NewBad[0].Product, zhCard.NewBad[0].Content = shopName, product, content
		digest := &storage.DigestReport{DayReport: *r, Unreported: r.NewBad, UnreportedCount: 3, Overdue: r.NewBad[1:], OverdueCount: 1}
		history := &doc{lang: en, title: "R2039 · " + shopName, sections: []section{{heading: "History", lines: []line{
			historyLine(en, cardZone, storage.ReviewEvent{At: cardClock, Actor: escAlice, Action: "closed", Detail: "refund: " + note}),
			historyLine(en, cardZone, storage.ReviewEvent{At: cardClock, Actor: note, Action: "assigned", Detail: note}),
		}}}}
		msgs := map[string]Message{
			"card":       cardDoc(r).message(),
			"card zh":    cardDoc(zhCard).message(),
			"digest":     RenderDigest(digest, cardClock, true),
			"reminder":   RenderReminder(&r.Shop, &r.NewBad[1], cardClock),
			"follow-ups": RenderFollowUps(&storage.ReminderReport{Shop: r.Shop, Now: cardClock, Escalate: r.NewBad, Unassigned: r.NewBad[1:]}),
			"cluster":    RenderCluster(&r.Shop, &storage.Cluster{Product: product, Aspect: storage.AspectSize, Reviews: r.NewBad}, cardClock),
			"shipments":  RenderShipments(&storage.ShipmentReport{Shop: r.Shop, Now: cardClock, Owner: note, Late: r.Late, AtRisk: r.Late}),
			"history":    history.message(),
		}
		if _, err := Parse(note); err != nil {
			msgs["hint"] = (&Bot{}).failure(context.Background(), Request{Text: note}, nil, err)
		}
		allowed := map[string]bool{escAlice: true}
		if storage.IsSlackUserID(note) {
			// An owner stored as a Slack user ID is a person the bot
			// resolved (Slack sends a mention as <@U…>): it is mentioned
			// by design.
			allowed[note] = true
		}
		for name, m := range msgs {
			checkSlackSafe(t, name, m, allowed)
		}
	})
}
