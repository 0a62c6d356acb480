package bot

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/width"
)

// TestParseEveryVerb covers each verb of the grammar in its English and
// Chinese forms, as typed after /dsr or after the bot's mention.
func TestParseEveryVerb(t *testing.T) {
	tests := []struct {
		text string
		want Command
	}{
		{"", Command{Verb: verbHelp}},
		{"   ", Command{Verb: verbHelp}},
		{"help", Command{Verb: verbHelp}},
		{"帮助", Command{Verb: verbHelp}},
		{"today", Command{Verb: verbToday}},
		{"TODAY", Command{Verb: verbToday}},
		{"today dy-fashion", Command{Verb: verbToday, Shop: "dy-fashion"}},
		{"今天", Command{Verb: verbToday}},
		{"今天 dy-fashion", Command{Verb: verbToday, Shop: "dy-fashion"}},
		{"reviews", Command{Verb: verbReviews, Filter: "open"}},
		{"reviews mine", Command{Verb: verbReviews, Filter: "mine"}},
		{"reviews all dy-fashion", Command{Verb: verbReviews, Filter: "all", Shop: "dy-fashion"}},
		{"reviews dy-fashion all", Command{Verb: verbReviews, Filter: "all", Shop: "dy-fashion"}},
		{"差评", Command{Verb: verbReviews, Filter: "open"}},
		{"差评 我的", Command{Verb: verbReviews, Filter: "mine"}},
		{"差评 全部 dy-fashion", Command{Verb: verbReviews, Filter: "all", Shop: "dy-fashion"}},
		{"late", Command{Verb: verbLate}},
		{"late x", Command{Verb: verbLate, Shop: "x"}},
		{"超时 x", Command{Verb: verbLate, Shop: "x"}},
		{"assign R123 to <@U012ABC>", Command{Verb: verbAssign, Review: "R123", User: "U012ABC"}},
		{"assign R123 <@U012ABC|alice>", Command{Verb: verbAssign, Review: "R123", User: "U012ABC"}},
		{"assign R123 @alice", Command{Verb: verbAssign, Review: "R123", User: "alice"}},
		// An assignment without the verb: "@dsrbot R123 @alice".
		{"R123 @alice", Command{Verb: verbAssign, Review: "R123", User: "alice"}},
		{"R123 <@U012ABC>", Command{Verb: verbAssign, Review: "R123", User: "U012ABC"}},
		{"分配 R123 给 @alice", Command{Verb: verbAssign, Review: "R123", User: "alice"}},
		// Full-width spaces and at sign, as a Chinese keyboard types them.
		{"分配\u3000R123\u3000给\u3000＠alice", Command{Verb: verbAssign, Review: "R123", User: "alice"}},
		// The note keeps every word after the outcome.
		{"done R123 refund called back", Command{Verb: verbDone, Review: "R123", Outcome: "refund", Note: "called back"}},
		{"done R123 REFUND", Command{Verb: verbDone, Review: "R123", Outcome: "refund"}},
		{"完成 R123 退款", Command{Verb: verbDone, Review: "R123", Outcome: "refund"}},
		{"完成 R123 补发 已寄出", Command{Verb: verbDone, Review: "R123", Outcome: "resend", Note: "已寄出"}},
		{"done R1 gift", Command{Verb: verbDone, Review: "R1", Outcome: "gift"}},
		{"done R1 coupon", Command{Verb: verbDone, Review: "R1", Outcome: "gift"}},
		{"done R1 no_action", Command{Verb: verbDone, Review: "R1", Outcome: "no_action"}},
		{"完成 R1 无需处理", Command{Verb: verbDone, Review: "R1", Outcome: "no_action"}},
		{"mine", Command{Verb: verbReviews, Filter: "mine"}},
		{"我的", Command{Verb: verbReviews, Filter: "mine"}},
		{"mine dy-fashion", Command{Verb: verbReviews, Filter: "mine", Shop: "dy-fashion"}},
		{"bind shop1", Command{Verb: verbBind, Shop: "shop1"}},
		{"绑定 shop1", Command{Verb: verbBind, Shop: "shop1"}},
		{"完成 R1 赠品/优惠券 送了券", Command{Verb: verbDone, Review: "R1", Outcome: "gift", Note: "送了券"}},
		{"claim R9", Command{Verb: verbClaim, Review: "R9"}},
		{"认领 R9", Command{Verb: verbClaim, Review: "R9"}},
		{"reopen R9 buyer wrote again", Command{Verb: verbReopen, Review: "R9", Note: "buyer wrote again"}},
		{"状态 R9", Command{Verb: verbStatus, Review: "R9"}},
		{"owner", Command{Verb: verbOwner}},
		{"owner logistics <@U0BO>", Command{Verb: verbOwner, Aspect: "logistics", Users: []string{"U0BO"}}},
		{"负责人 物流 @bo dy-fashion", Command{Verb: verbOwner, Aspect: "logistics", Users: []string{"bo"}, Shop: "dy-fashion"}},
		{"owner default @a @b", Command{Verb: verbOwner, Aspect: "default", Users: []string{"a", "b"}}},
		{"owner size", Command{Verb: verbOwner, Aspect: "size"}},
		// The aspect words are storage.ParseAspect's, as for `dsrbot keyword`.
		{"负责人 尺码 @a", Command{Verb: verbOwner, Aspect: "size", Users: []string{"a"}}},
		{"owner 快递 @bo", Command{Verb: verbOwner, Aspect: "logistics", Users: []string{"bo"}}},
		{"负责人 售后 @c", Command{Verb: verbOwner, Aspect: "service", Users: []string{"c"}}},
		{"负责人 默认 @a @b", Command{Verb: verbOwner, Aspect: "default", Users: []string{"a", "b"}}},
		{"schedule 30 8 * * 1-5", Command{Verb: verbSchedule, Spec: "30 8 * * 1-5"}},
		// A comma in a cron field is part of it, not a separator.
		{"schedule 0 9 * * 1,3,5", Command{Verb: verbSchedule, Spec: "0 9 * * 1,3,5"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := Parse(tt.text)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.text, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
		})
	}
}

// TestParseRefusals checks that a bad command is a *parseError naming the
// right catalogue sentence, and for a known verb the usage of that verb.
func TestParseRefusals(t *testing.T) {
	tests := []struct {
		text string
		key  string
		verb verb   // the verb whose usage is shown; "" for none
		arg  any    // the first argument of the sentence (what the person typed is said)
		says string // part of the English sentence, where it matters
	}{
		{"bogus", "err.unknown", "", said("bogus"), `I don't know "bogus"`},
		{"bogus today", "err.unknown", "", said("bogus"), ""},
		{"R123", "err.unknown", "", said("R123"), ""},
		{"assign R123", "err.usage", verbAssign, usage[verbAssign], "Usage: /dsr assign REVIEW @user"},
		{"assign R123 to alice", "err.usage", verbAssign, usage[verbAssign], "@dsrbot assign R123 to @alice"}, // alice is not a mention
		{"assign R123 to @alice @bo", "err.usage", verbAssign, usage[verbAssign], ""},
		{"分配 R123 给", "err.usage", verbAssign, usage[verbAssign], ""},
		{"done R123 foo", "err.outcome", verbDone, said("foo"), `"foo" is not an outcome`},
		{"done R123", "err.usage", verbDone, usage[verbDone], "/dsr done REVIEW OUTCOME"},
		{"done", "err.usage", verbDone, usage[verbDone], ""},
		{"bind", "err.usage", verbBind, usage[verbBind], "/dsr bind SHOP"},
		{"owner size @a @b", "err.usage", verbOwner, usage[verbOwner], "/dsr owner default @a @b"},
		{"owner @a", "err.usage", verbOwner, usage[verbOwner], "/dsr owner ASPECT @user"},
		{"schedule 0 9 *", "err.usage", verbSchedule, usage[verbSchedule], "/dsr schedule CRON"},
		{"claim", "err.usage", verbClaim, usage[verbClaim], "/dsr claim REVIEW"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			_, err := Parse(tt.text)
			var pe *parseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error = %v (%T), want a *parseError", tt.text, err, err)
			}
			if pe.key != tt.key {
				t.Errorf("Parse(%q) key = %q, want %q", tt.text, pe.key, tt.key)
			}
			if pe.verb != tt.verb {
				t.Errorf("Parse(%q) verb = %q, want %q", tt.text, pe.verb, tt.verb)
			}
			if len(pe.args) == 0 || pe.args[0] != tt.arg {
				t.Errorf("Parse(%q) args = %q, want first %q", tt.text, pe.args, tt.arg)
			}
			if _, ok := catalog[pe.key]; !ok {
				t.Errorf("Parse(%q) key %q is not in the catalogue", tt.text, pe.key)
			}
			if msg := en.t(pe.key, pe.args...); !strings.Contains(msg, tt.says) {
				t.Errorf("Parse(%q) says %q, want it to contain %q", tt.text, msg, tt.says)
			}
		})
	}
}

// TestStripMention: the bot's own mention at the start of a message is not
// part of the command.
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

// TestParseChineseAsTyped: Chinese commands as people type them, with no
// spaces, full-width spaces and punctuation, the 把 order and everyday
// outcome words, read as the spaced form is.
func TestParseChineseAsTyped(t *testing.T) {
	assign := func(review, user string) Command { return Command{Verb: verbAssign, Review: review, User: user} }
	done := func(review, outcome, note string) Command {
		return Command{Verb: verbDone, Review: review, Outcome: outcome, Note: note}
	}
	const dyID = "6921345678901234571-3581004"
	tests := []struct {
		text string
		want Command
	}{
		// No spaces: a switch of script ends a word.
		{"分配R1980给@bo", assign("R1980", "bo")},
		{"分配R1980给<@U0BO12345>", assign("R1980", "U0BO12345")},
		{"分配R1980给<@U0BO12345|阿博>", assign("R1980", "U0BO12345")},
		{"分配 R1980给@bo", assign("R1980", "bo")},
		{"R1980给@bo", assign("R1980", "bo")},
		{"分配R1980给@张三", assign("R1980", "张三")}, // a name in the shell stays whole
		{"分配" + dyID + "给@bo", assign(dyID, "bo")},
		// The 把 order.
		{"把 R1980 分配给 @bo", assign("R1980", "bo")},
		{"把R1980分配给@bo", assign("R1980", "bo")},
		{"把 R1980 分配 给 @bo", assign("R1980", "bo")},
		{"把 R1980 给 @bo", assign("R1980", "bo")},
		{"把R1980交给<@U0BO12345>", assign("R1980", "U0BO12345")},
		{"把 R1980 转给 @bo", assign("R1980", "bo")},
		{"把 R1980 关闭 已退款", done("R1980", "refund", "")},
		{"把 R1980 认领", Command{Verb: verbClaim, Review: "R1980"}},
		{"分配给 @bo R1980", assign("R1980", "bo")},
		// Full-width spaces, letters, digits and punctuation.
		{"分配，R1980，给，@bo", assign("R1980", "bo")},
		{"分配：R1980 给 ＠bo", assign("R1980", "bo")},
		{"分配　Ｒ１９８０　给　＠bo", assign("R1980", "bo")},
		{"分配、R1980、给、@bo。", assign("R1980", "bo")},
		// 关闭 closes, like 完成; the outcome in everyday words.
		{"关闭 R1980 已退款", done("R1980", "refund", "")},
		{"关闭R1980已退款", done("R1980", "refund", "")},
		{"关闭 R1980 退款了", done("R1980", "refund", "")},
		{"完成 R1980 补发了", done("R1980", "resend", "")},
		{"完成 R1980 已补发", done("R1980", "resend", "")},
		{"完成 R1980 已重发", done("R1980", "resend", "")},
		{"完成 R1980 已补偿", done("R1980", "compensate", "")},
		{"完成 R1980 已赔付", done("R1980", "compensate", "")},
		{"完成 R1980 送了优惠券", done("R1980", "gift", "")},
		{"完成 R1980 送了赠品", done("R1980", "gift", "")},
		{"完成 R1980 已解释", done("R1980", "explained", "")},
		{"完成 R1980 已沟通", done("R1980", "explained", "")},
		{"完成 R1980 不用处理", done("R1980", "no_action", "")},
		{"完成 R1980 无需处理", done("R1980", "no_action", "")},
		// The note keeps its own punctuation, even glued to the outcome.
		{"完成R1980退款已回电", done("R1980", "refund", "已回电")},
		{"关闭 R1980 已退款，买家满意。", done("R1980", "refund", "买家满意。")},
		{"关闭R1980，已退款，买家说：谢谢", done("R1980", "refund", "买家说：谢谢")},
		{"完成 R1980：补发了　已寄出 顺丰", done("R1980", "resend", "已寄出 顺丰")},
		{"完成 R1980 补发 已寄出，单号 SF123", done("R1980", "resend", "已寄出，单号 SF123")},
		{"done R1980 refund: called back, all good", done("R1980", "refund", "called back, all good")},
		{"完成 " + dyID + " 退款", done(dyID, "refund", "")},
		// Claim, reopen, status without a space.
		{"认领R1980", Command{Verb: verbClaim, Review: "R1980"}},
		{"认领　R1980", Command{Verb: verbClaim, Review: "R1980"}},
		{"重开 R1980", Command{Verb: verbReopen, Review: "R1980"}},
		{"重开R1980买家又来了", Command{Verb: verbReopen, Review: "R1980", Note: "买家又来了"}},
		{"状态R1980", Command{Verb: verbStatus, Review: "R1980"}},
		{"查看r1980", Command{Verb: verbStatus, Review: "r1980"}},
		{"？", Command{Verb: verbHelp}},
		// A shop by its name, of one word or several.
		{"今天 潮衣馆 Trend Closet", Command{Verb: verbToday, Shop: "潮衣馆 Trend Closet"}},
		{"差评 全部 潮衣馆", Command{Verb: verbReviews, Filter: "all", Shop: "潮衣馆"}},
		{"超时 家居小铺", Command{Verb: verbLate, Shop: "家居小铺"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := Parse(tt.text)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.text, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
		})
	}
}

// TestParseNamesTheShop: a review named with its shop, as one word
// (shop/review) in every follow-up command, or with the shop after it
// where nothing else can follow; a shop's name of several words.
func TestParseNamesTheShop(t *testing.T) {
	tests := []struct {
		text string
		want Command
	}{
		{"assign dy-kids/R100 @alice", Command{Verb: verbAssign, Shop: "dy-kids", Review: "R100", User: "alice"}},
		{"assign R100 @alice dy-kids", Command{Verb: verbAssign, Shop: "dy-kids", Review: "R100", User: "alice"}},
		{"assign R100 to <@U0ALICE01> dy-kids", Command{Verb: verbAssign, Shop: "dy-kids", Review: "R100", User: "U0ALICE01"}},
		{"分配 R100 给 @alice dy-kids", Command{Verb: verbAssign, Shop: "dy-kids", Review: "R100", User: "alice"}},
		{"分配 潮衣馆/R100 给 @alice", Command{Verb: verbAssign, Shop: "潮衣馆", Review: "R100", User: "alice"}},
		{"分配R100给@alice 潮衣馆 Trend Closet", Command{Verb: verbAssign, Shop: "潮衣馆 Trend Closet", Review: "R100", User: "alice"}},
		{"dy-kids/R100 @alice", Command{Verb: verbAssign, Shop: "dy-kids", Review: "R100", User: "alice"}},
		{"R100 @alice dy-kids", Command{Verb: verbAssign, Shop: "dy-kids", Review: "R100", User: "alice"}},
		{"claim dy-kids/R100", Command{Verb: verbClaim, Shop: "dy-kids", Review: "R100"}},
		{"claim R100 dy-kids", Command{Verb: verbClaim, Shop: "dy-kids", Review: "R100"}},
		{"认领 R100 dy-kids", Command{Verb: verbClaim, Shop: "dy-kids", Review: "R100"}},
		{"status R100 dy-kids", Command{Verb: verbStatus, Shop: "dy-kids", Review: "R100"}},
		{"status R100 潮衣馆 Trend Closet", Command{Verb: verbStatus, Shop: "潮衣馆 Trend Closet", Review: "R100"}},
		{"状态 dy-kids/R100", Command{Verb: verbStatus, Shop: "dy-kids", Review: "R100"}},
		{"done dy-kids/R100 refund called back", Command{Verb: verbDone, Shop: "dy-kids", Review: "R100", Outcome: "refund", Note: "called back"}},
		{"完成 dy-kids/R100 已退款", Command{Verb: verbDone, Shop: "dy-kids", Review: "R100", Outcome: "refund"}},
		{"关闭 dy-kids／R100 已退款", Command{Verb: verbDone, Shop: "dy-kids", Review: "R100", Outcome: "refund"}},
		{"reopen dy-kids/R100 buyer wrote again", Command{Verb: verbReopen, Shop: "dy-kids", Review: "R100", Note: "buyer wrote again"}},
		{"done 6921345678901234571-3581004 refund", Command{Verb: verbDone, Review: "6921345678901234571-3581004", Outcome: "refund"}},
		{"6921345678901234571-3581004 @alice", Command{Verb: verbAssign, Review: "6921345678901234571-3581004", User: "alice"}},
		{"today 潮衣馆 Trend Closet", Command{Verb: verbToday, Shop: "潮衣馆 Trend Closet"}},
		{"today a b", Command{Verb: verbToday, Shop: "a b"}},
		{"late Trend Closet", Command{Verb: verbLate, Shop: "Trend Closet"}},
		{"bind 潮衣馆 Trend Closet", Command{Verb: verbBind, Shop: "潮衣馆 Trend Closet"}},
		{"reviews all Trend Closet", Command{Verb: verbReviews, Filter: "all", Shop: "Trend Closet"}},
		{"mine Trend Closet", Command{Verb: verbReviews, Filter: "mine", Shop: "Trend Closet"}},
		{"owner logistics @bo 潮衣馆 Trend Closet", Command{Verb: verbOwner, Aspect: "logistics", Users: []string{"bo"}, Shop: "潮衣馆 Trend Closet"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := Parse(tt.text)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.text, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
		})
	}
}

// TestParseDoesNotGuess: forms close to the new ones that must be refused,
// rather than read as something the person did not say.
func TestParseDoesNotGuess(t *testing.T) {
	tests := []struct {
		text string
		key  string
		verb verb
	}{
		{"R100", "err.unknown", ""},
		{"R100 dy-kids", "err.unknown", ""}, // no person: not an assignment
		{"dy-kids/R100", "err.unknown", ""},
		{"把 R1980", "err.unknown", ""},
		{"把 R1980 看看 @bo", "err.unknown", ""},
		{"分配R1980给bo", "err.usage", verbAssign}, // bo is not a mention
		{"分配 R1980 给 @bo @mei", "err.usage", verbAssign},
		{"assign dy-kids/R100 @alice dy-home", "err.usage", verbAssign}, // the shop named twice
		{"claim /R100", "err.usage", verbClaim},
		{"claim dy-kids/", "err.usage", verbClaim},
		{"status dy-kids/R100 dy-home", "err.usage", verbStatus},
		{"done dy-kids/ refund", "err.usage", verbDone},
		{"关闭", "err.usage", verbDone},
		{"关闭 R1980", "err.usage", verbDone},
		{"完成 R1980 退货", "err.outcome", verbDone}, // a return is not an outcome
		{"完成 R1980 已经处理", "err.outcome", verbDone},
		{"done R1980 refunded", "err.outcome", verbDone}, // English as it was
		{"认领", "err.usage", verbClaim},
		{"重开", "err.usage", verbReopen},
		{"状态", "err.usage", verbStatus},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			c, err := Parse(tt.text)
			var pe *parseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) = %+v, %v; want a refusal", tt.text, c, err)
			}
			if pe.key != tt.key || pe.verb != tt.verb {
				t.Errorf("Parse(%q) = %s (verb %q), want %s (verb %q)", tt.text, pe.key, pe.verb, tt.key, tt.verb)
			}
		})
	}
}

// TestTokenize: words split at spaces, separators and script changes, and
// where each starts in the text as typed.
func TestTokenize(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"分配R1980给@bo", []string{"分配", "R1980", "给", "@bo"}},
		{"分配R1980给<@U1|阿博>已退款", []string{"分配", "R1980", "给", "<@U1|阿博>", "已退款"}},
		{"<@U1>", []string{"<@U1>"}},
		{"R1 <@", []string{"R1", "<@"}},
		{"a < b > c", []string{"a", "<", "b", ">", "c"}},
		{"潮衣馆/R100 赠品/优惠券", []string{"潮衣馆/R100", "赠品/优惠券"}},
		{"＠张三，Ｒ１", []string{"@张三", "R1"}},
		{"  ", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, w := range tokenize(tt.text) {
			got = append(got, w.text)
			if !strings.HasPrefix(width.Fold.String(tt.text[w.at:]), w.text) {
				t.Errorf("tokenize(%q): %q at %d", tt.text, w.text, w.at)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
