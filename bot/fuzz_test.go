package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
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
