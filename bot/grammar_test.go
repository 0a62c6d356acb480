package bot

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		text string
		want Command
	}{
		{"", Command{Verb: verbHelp}},
		{"today", Command{Verb: verbToday}},
		{"today dy-fashion", Command{Verb: verbToday, Shop: "dy-fashion"}},
		{"今天", Command{Verb: verbToday}},
		{"reviews", Command{Verb: verbReviews, Filter: "open"}},
		{"reviews mine", Command{Verb: verbReviews, Filter: "mine"}},
		{"reviews all dy-fashion", Command{Verb: verbReviews, Filter: "all", Shop: "dy-fashion"}},
		{"差评 我的", Command{Verb: verbReviews, Filter: "mine"}},
		{"late s1", Command{Verb: verbLate, Shop: "s1"}},
		{"超时", Command{Verb: verbLate}},
		{"help", Command{Verb: verbHelp}},
		{"帮助", Command{Verb: verbHelp}},
		{"assign R123 to <@U012ABC>", Command{Verb: verbAssign, Review: "R123", User: "U012ABC"}},
		{"assign R123 <@U012ABC|alice>", Command{Verb: verbAssign, Review: "R123", User: "U012ABC"}},
		{"R123 @alice", Command{Verb: verbAssign, Review: "R123", User: "alice"}},
		{"R123 <@U012ABC>", Command{Verb: verbAssign, Review: "R123", User: "U012ABC"}},
		{"分配 R123 给 @alice", Command{Verb: verbAssign, Review: "R123", User: "alice"}},
		{"分配　R123　给　＠alice", Command{Verb: verbAssign, Review: "R123", User: "alice"}},
		{"done R123 refund called back", Command{Verb: verbDone, Review: "R123", Outcome: "refund", Note: "called back"}},
		{"完成 R123 退款", Command{Verb: verbDone, Review: "R123", Outcome: "refund"}},
		{"完成 R1 赠品/优惠券 送了券", Command{Verb: verbDone, Review: "R1", Outcome: "gift", Note: "送了券"}},
		{"done R1 no_action", Command{Verb: verbDone, Review: "R1", Outcome: "no_action"}},
		{"mine", Command{Verb: verbReviews, Filter: "mine"}},
		{"我的", Command{Verb: verbReviews, Filter: "mine"}},
		{"bind shop1", Command{Verb: verbBind, Shop: "shop1"}},
		{"claim R9", Command{Verb: verbClaim, Review: "R9"}},
		{"认领 R9", Command{Verb: verbClaim, Review: "R9"}},
		{"reopen R9 buyer wrote again", Command{Verb: verbReopen, Review: "R9", Note: "buyer wrote again"}},
		{"状态 R9", Command{Verb: verbStatus, Review: "R9"}},
		{"owner", Command{Verb: verbOwner}},
		{"owner logistics <@U0BO>", Command{Verb: verbOwner, Aspect: "logistics", Users: []string{"U0BO"}}},
		{"负责人 物流 @bo dy-fashion", Command{Verb: verbOwner, Aspect: "logistics", Users: []string{"bo"}, Shop: "dy-fashion"}},
		{"owner default @a @b", Command{Verb: verbOwner, Aspect: "default", Users: []string{"a", "b"}}},
		{"owner size", Command{Verb: verbOwner, Aspect: "size"}},
		{"schedule 30 8 * * 1-5", Command{Verb: verbSchedule, Spec: "30 8 * * 1-5"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.text)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.text, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ text, key, says string }{
		{"bogus", "err.unknown", `I don't know "bogus"`},
		{"assign R123", "err.usage", "Usage: /dsr assign REVIEW @user"},
		{"assign R123 to alice", "err.usage", "@dsrbot assign R123 to @alice"},
		{"done R123 foo", "err.outcome", `"foo" is not an outcome`},
		{"done R123", "err.usage", "/dsr done REVIEW OUTCOME"},
		{"bind", "err.usage", "/dsr bind SHOP"},
		{"today a b", "err.usage", "/dsr today [SHOP]"},
		{"owner size @a @b", "err.usage", "/dsr owner default @a @b"},
		{"owner @a", "err.usage", "/dsr owner ASPECT @user"},
		{"schedule 0 9 *", "err.usage", "/dsr schedule CRON"},
		{"claim", "err.usage", "/dsr claim REVIEW"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.text)
		pe, ok := err.(*parseError)
		if !ok || pe.key != tt.key {
			t.Errorf("Parse(%q) error = %v, want key %s", tt.text, err, tt.key)
			continue
		}
		if msg := en.t(pe.key, pe.args...); !strings.Contains(msg, tt.says) {
			t.Errorf("Parse(%q) says %q, want it to contain %q", tt.text, msg, tt.says)
		}
	}
}

func TestBlockKitLimits(t *testing.T) {
	var sections []section
	for i := 0; i < 80; i++ {
		sections = append(sections, section{lines: []line{{txt("shop line")}}})
	}
	d := &doc{title: strings.Repeat("标题", 100), sections: sections, footer: "footer"}
	m := d.message()
	if len(m.Blocks) > maxBlocks {
		t.Fatalf("%d blocks", len(m.Blocks))
	}
	raw, _ := jsonOf(m.Blocks)
	if !strings.Contains(raw, "and 33 more") {
		t.Fatalf("cut sections are not counted: %s", raw[len(raw)-300:])
	}
	header, _ := jsonOf(m.Blocks[0])
	if !strings.Contains(header, "标…\"") || len([]rune(header)) > maxHeaderText+80 {
		t.Fatalf("long header not cut to %d runes with an ellipsis: %s", maxHeaderText, header)
	}

	var long []line
	for i := 0; i < 500; i++ {
		long = append(long, line{txt(strings.Repeat("很长的差评内容", 5) + " <&> "), mentionOf("U012ABCDEF"), txt(" "), mentionOf("alice")})
	}
	m = (&doc{sections: []section{{heading: "Reviews", lines: long}}}).message()
	raw, _ = jsonOf(m.Blocks)
	if !strings.Contains(raw, "… and ") || strings.Contains(raw, "<&>") || !strings.Contains(raw, "\\u0026lt;\\u0026amp;\\u0026gt;") {
		t.Fatalf("long section not cut or not escaped")
	}
	if !strings.Contains(raw, `\u003c@U012ABCDEF\u003e`) || !strings.Contains(raw, "@alice") {
		t.Fatal("mentions not rendered")
	}
	if !strings.Contains(m.Text, "<&>") {
		t.Fatal("plain text was escaped")
	}
	for _, b := range m.Blocks {
		bs, _ := jsonOf(b)
		if n := len([]rune(bs)); n > maxSectionText+200 {
			t.Fatalf("a block of %d characters", n)
		}
	}
}

func TestStripMention(t *testing.T) {
	for in, want := range map[string]string{
		"<@UBOT> today":                 "today",
		"<@UBOT|dsrbot>: 分配 R1 给 <@U2>": "分配 R1 给 <@U2>",
		"  <@UBOT>，我的":                  "我的",
		"today <@UBOT>":                 "today <@UBOT>",
	} {
		if got := stripMention(in); got != want {
			t.Errorf("stripMention(%q) = %q, want %q", in, got, want)
		}
	}
}
