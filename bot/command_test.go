package bot

import (
	"errors"
	"reflect"
	"strings"
	"testing"
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
		{"bind a b", "err.usage", verbBind, usage[verbBind], ""},
		{"today a b", "err.usage", verbToday, usage[verbToday], "/dsr today [SHOP]"},
		{"late a b", "err.usage", verbLate, usage[verbLate], ""},
		{"reviews a b", "err.usage", verbReviews, usage[verbReviews], ""},
		{"mine a b", "err.usage", verbMine, usage[verbMine], ""},
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
