package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Slack's limits, stated here rather than taken from the code under test.
const (
	slackMaxBlocks      = 50
	slackMaxSectionText = 3000
	slackMaxHeaderText  = 150
)

// blockText is the text of a header, section or context block.
func blockText(t *testing.T, b slack.Block) string {
	t.Helper()
	switch b := b.(type) {
	case *slack.HeaderBlock:
		return b.Text.Text
	case *slack.SectionBlock:
		return b.Text.Text
	case *slack.ContextBlock:
		var parts []string
		for _, e := range b.ContextElements.Elements {
			if tb, ok := e.(*slack.TextBlockObject); ok {
				parts = append(parts, tb.Text)
			}
		}
		return strings.Join(parts, " ")
	}
	t.Fatalf("unexpected block %T", b)
	return ""
}

var andMore = regexp.MustCompile(`and (\d+) more$`)

// moreCount is N of a text ending "and N more", or -1.
func moreCount(s string) int {
	m := andMore.FindStringSubmatch(s)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestMessageBlockCount: Slack refuses a message of more than 50 blocks;
// sections past the limit are cut and counted in a context block.
func TestMessageBlockCount(t *testing.T) {
	tests := []struct {
		name          string
		title, footer string
		sections      int
	}{
		{"title and footer", "All shops · 2026-11-24", "Details: /dsr today SHOP", 80},
		{"bare", "", "", 80},
		{"exactly fits", "t", "f", 48},
		{"one over", "t", "f", 49},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &doc{lang: en, title: tt.title, footer: tt.footer}
			for i := 0; i < tt.sections; i++ {
				d.sections = append(d.sections, section{lines: []line{{txt(fmt.Sprintf("shop %02d", i))}}})
			}
			blocks := d.message().Blocks
			if len(blocks) > slackMaxBlocks {
				t.Fatalf("%d blocks, the limit is %d", len(blocks), slackMaxBlocks)
			}
			shown := 0
			for _, b := range blocks {
				if _, ok := b.(*slack.SectionBlock); ok {
					shown++
				}
			}
			if tt.footer != "" {
				if got := blockText(t, blocks[len(blocks)-1]); got != tt.footer {
					t.Errorf("last block %q, want the footer", got)
				}
				blocks = blocks[:len(blocks)-1]
			}
			last := blockText(t, blocks[len(blocks)-1])
			if shown == tt.sections {
				if moreCount(last) != -1 {
					t.Errorf("every section shown, yet %q", last)
				}
				return
			}
			if _, ok := blocks[len(blocks)-1].(*slack.ContextBlock); !ok {
				t.Fatalf("cut message does not end in a context block: %T", blocks[len(blocks)-1])
			}
			if n := moreCount(last); n != tt.sections-shown {
				t.Errorf("%d of %d sections shown, and the context says %q", shown, tt.sections, last)
			}
			if len(blocks)+boolInt(tt.footer != "") != slackMaxBlocks {
				t.Errorf("%d blocks: a cut message should use all %d", len(blocks)+boolInt(tt.footer != ""), slackMaxBlocks)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestMessageSectionText: a section's text stays within Slack's 3000
// characters and ends by counting the lines it could not show.
func TestMessageSectionText(t *testing.T) {
	var lines []line
	for i := 0; i < 500; i++ {
		lines = append(lines, line{bold(fmt.Sprintf("R%04d", i)), txt(" · " + strings.Repeat("很长的差评内容 long review text ", 3))})
	}
	m := (&doc{lang: en, sections: []section{{heading: "Bad reviews", lines: lines}}}).message()
	if len(m.Blocks) != 1 {
		t.Fatalf("%d blocks, want 1", len(m.Blocks))
	}
	text := blockText(t, m.Blocks[0])
	if n := utf8.RuneCountInString(text); n > slackMaxSectionText {
		t.Errorf("section text of %d characters, the limit is %d", n, slackMaxSectionText)
	}
	if len(text) > slackMaxSectionText {
		t.Errorf("section text of %d bytes: over %d even counted in bytes", len(text), slackMaxSectionText)
	}
	listed := strings.Count(text, "\n• ")
	if listed < 5 {
		t.Errorf("only %d lines listed of 500", listed)
	}
	lastLine := text[strings.LastIndex(text, "\n")+1:]
	if !strings.HasPrefix(lastLine, "… and ") || moreCount(lastLine) != 500-listed {
		t.Errorf("%d lines listed; last line %q, want \"… and %d more\"", listed, lastLine, 500-listed)
	}
	// The plain text has no limit: every line is there.
	if got := strings.Count(m.Text, "\n  • "); got != 500 {
		t.Errorf("plain text lists %d lines, want 500", got)
	}
}

// TestMessageHeader: a header is plain text of at most 150 characters.
func TestMessageHeader(t *testing.T) {
	tests := []struct {
		title string
		want  string
	}{
		{"Open bad reviews · all shops", "Open bad reviews · all shops"},
		{strings.Repeat("长", 150), strings.Repeat("长", 150)},
		{strings.Repeat("长", 151), strings.Repeat("长", 149) + "…"},
		{strings.Repeat("店铺名称", 100), strings.Repeat("店铺名称", 37) + "店…"},
		// Slack reads markup in plain_text too, and shows the entities as
		// the characters; the limit counts the escaped text.
		{"a < b & c", "a &lt; b &amp; c"},
		{"<!channel> " + strings.Repeat("长", 150), "&lt;!channel&gt; " + strings.Repeat("长", 132) + "…"},
		{strings.Repeat("长", 147) + "&", strings.Repeat("长", 147) + "…"}, // never half an entity
	}
	for _, tt := range tests {
		m := (&doc{lang: en, title: tt.title}).message()
		h, ok := m.Blocks[0].(*slack.HeaderBlock)
		if !ok {
			t.Fatalf("first block is %T", m.Blocks[0])
		}
		if h.Text.Type != slack.PlainTextType {
			t.Errorf("header of type %s", h.Text.Type)
		}
		if n := utf8.RuneCountInString(h.Text.Text); n > slackMaxHeaderText {
			t.Errorf("header of %d characters", n)
		}
		if h.Text.Text != tt.want {
			t.Errorf("header %q, want %q", h.Text.Text, tt.want)
		}
	}
}

// TestMessageSpans: user text is escaped wherever Slack reads &, < and >
// as markup (the blocks' mrkdwn and the message's top-level text) and left
// alone in the plain form a person reads; Slack user IDs become mentions in
// every form, names typed as text stay @name.
func TestMessageSpans(t *testing.T) {
	tests := []struct {
		name                string
		ln                  line
		mrkdwn, slack, text string
	}{
		{"plain", line{txt("针织开衫 <米色> & 围巾 <!channel>")}, "针织开衫 &lt;米色&gt; &amp; 围巾 &lt;!channel&gt;", "针织开衫 &lt;米色&gt; &amp; 围巾 &lt;!channel&gt;", "针织开衫 <米色> & 围巾 <!channel>"},
		{"bold", line{bold("R1 <b>")}, "*R1 &lt;b&gt;*", "R1 &lt;b&gt;", "R1 <b>"},
		{"slack user", line{mentionOf("U012ABCDEF")}, "<@U012ABCDEF>", "<@U012ABCDEF>", "<@U012ABCDEF>"},
		{"enterprise user", line{mentionOf("W012ABCDEF")}, "<@W012ABCDEF>", "<@W012ABCDEF>", "<@W012ABCDEF>"},
		{"shell name", line{mentionOf("alice")}, "@alice", "@alice", "@alice"},
		{"shell name with markup", line{mentionOf("a<b>")}, "@a&lt;b&gt;", "@a&lt;b&gt;", "@a<b>"},
		{"name that is a ping", line{mentionOf("<!channel>")}, "@&lt;!channel&gt;", "@&lt;!channel&gt;", "@<!channel>"},
		{"mention markup as text", line{txt("<@U999HACK> <#C123> <https://evil.example|点我退款>")},
			"&lt;@U999HACK&gt; &lt;#C123&gt; &lt;https://evil.example|点我退款&gt;", "&lt;@U999HACK&gt; &lt;#C123&gt; &lt;https://evil.example|点我退款&gt;", "<@U999HACK> <#C123> <https://evil.example|点我退款>"},
		{"entities as text", line{txt("&lt;!channel&gt;")}, "&amp;lt;!channel&amp;gt;", "&amp;lt;!channel&amp;gt;", "&lt;!channel&gt;"},
		{"mixed", line{bold("R9"), txt(" → "), mentionOf("U0ALICE01"), txt(": ok & done")}, "*R9* → <@U0ALICE01>: ok &amp; done", "R9 → <@U0ALICE01>: ok &amp; done", "R9 → <@U0ALICE01>: ok & done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []struct {
				form form
				want string
			}{{forBlocks, tt.mrkdwn}, {forSlackText, tt.slack}, {forPerson, tt.text}} {
				if got := tt.ln.render(f.form); got != f.want {
					t.Errorf("form %d: %q, want %q", f.form, got, f.want)
				}
			}
			// Through a whole message too.
			m := (&doc{lang: en, sections: []section{{heading: "H & <h>", lines: []line{tt.ln}}}}).message()
			if want := "*H &amp; &lt;h&gt;*\n• " + tt.mrkdwn; blockText(t, m.Blocks[0]) != want {
				t.Errorf("block %q, want %q", blockText(t, m.Blocks[0]), want)
			}
			if want := "H &amp; &lt;h&gt;\n  • " + tt.slack + "\n"; m.Text != want {
				t.Errorf("text %q, want %q", m.Text, want)
			}
			if want := "H & <h>\n  • " + tt.text + "\n"; m.Plain != want {
				t.Errorf("plain %q, want %q", m.Plain, want)
			}
		})
	}
}

// slackUnescape is what Slack shows for escaped text.
func slackUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}
