package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestEchoOfTypedTextIsCut: whatever a person typed and the bot quotes
// back (an unknown command, a shop or review that does not exist, an
// outcome, a name, a note, a schedule) is cut to maxEcho characters with
// an ellipsis, the same in the text and in the blocks: a 100 KB command
// gets a short answer, not a 100 KB text beside a block that says "and 1
// more".
func TestEchoOfTypedTextIsCut(t *testing.T) {
	d := newHostileBot(t)
	ctx := context.Background()
	big := strings.Repeat("长x", 50_000) // 100,000 characters
	start := string([]rune(big)[:maxEcho/2])
	tests := []struct {
		name, channel, text string
		// oneLine: the answer is a single line, so its block is the text.
		oneLine bool
		// quoted: the answer quotes the start of big.
		quoted bool
		// then, when set, is the command whose answer shows what was typed.
		then string
	}{
		{"unknown command", "", big, true, true, ""},
		{"unknown command with more", "", big + " today", true, true, ""},
		{"unknown shop", "", "today " + big, true, true, ""},
		{"unknown shop of a list", "", "reviews all " + big, true, true, ""},
		{"unknown review", "", "status " + big, true, true, ""},
		{"unknown review to assign", "", "assign " + big + " to <@" + escBo + ">", true, true, ""},
		{"unknown review to claim", "", "claim " + big, true, true, ""},
		{"unknown review to reopen", "", "reopen " + big, true, true, ""},
		{"unknown outcome", "", "done R4 " + big, true, true, ""},
		{"a name typed as text", "", "assign R4 to @" + big, true, true, ""},
		{"a user ID typed as text, too long to be one", "", "assign R4 to @U" + strings.Repeat("X", 100_000), true, false, ""},
		{"a schedule", "C0EVIL", "schedule " + strings.Repeat("0,", 40_000) + "0 9 * * *", true, false, ""},
		{"a note, in the history", "", "done R5 no_action " + big, false, true, "status R5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := d.Handle(ctx, Request{Text: tt.text, User: escAlice, Channel: tt.channel, Team: "T1"})
			if tt.then != "" {
				m = d.Handle(ctx, Request{Text: tt.then, User: escAlice, Team: "T1"})
			}
			if n := utf8.RuneCountInString(m.Text); n > 3000 {
				t.Fatalf("a %d-character command got a %d-character answer:\n%.300s…", utf8.RuneCountInString(tt.text), n, m.Text)
			}
			if !strings.Contains(m.Plain, "…") {
				t.Errorf("the answer does not show that it cut what was typed:\n%.600s", m.Plain)
			}
			// The echo is the same in the text and in the blocks.
			var blocks []string
			for _, b := range m.Blocks {
				blocks = append(blocks, blockText(t, b))
			}
			all := strings.Join(blocks, "\n")
			for _, s := range []string{m.Text, all} {
				if moreCount(strings.TrimSpace(s)) == 1 || strings.Contains(s, "and 1 more") {
					t.Errorf("the answer hides the line that quoted the input:\n%.600s", s)
				}
			}
			// Bar the emphasis of the blocks, which the text has not.
			if tt.oneLine && (len(m.Blocks) != 1 || strings.ReplaceAll(blocks[0], "*", "") != strings.TrimSuffix(m.Text, "\n")) {
				t.Errorf("the block says other than the text:\n--- block\n%.600s\n--- text\n%.600s", all, m.Text)
			}
			if tt.quoted && !strings.Contains(m.Plain, start) {
				t.Errorf("the answer does not quote the start of what was typed:\n%.600s", m.Plain)
			}
		})
	}
}

// TestSaidFormats: a quote of typed text is cut in every verb, with the
// verb's own quoting, and short text is left whole.
func TestSaidFormats(t *testing.T) {
	long := strings.Repeat("长", maxEcho+1)
	tests := []struct {
		format string
		arg    said
		want   string
	}{
		{"%q", "bogus", `"bogus"`},
		{"%s", "bogus", "bogus"},
		{"%q", said(long), `"` + strings.Repeat("长", maxEcho-1) + `…"`},
		{"%s", said(long), strings.Repeat("长", maxEcho-1) + "…"},
		{"%q", "<!channel>", `"<!channel>"`}, // escaping is the renderer's, not the quote's
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, tt.arg); got != tt.want {
			t.Errorf("%s of %.20q: %q, want %q", tt.format, string(tt.arg), got, tt.want)
		}
	}
}
