package bot

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Message is one answer or post: Block Kit blocks for Slack, and the plain
// text that Slack shows in notifications and that the local shell prints.
// Both are rendered from one doc, so they always say the same thing.
type Message struct {
	Text   string
	Blocks []slack.Block
	// InChannel asks for the answer to be shown to the whole channel (the
	// score card in the shop's own channel); others are shown only to the
	// person who asked.
	InChannel bool
}

// Slack's Block Kit limits; past them Slack refuses the whole message.
const (
	maxBlocks      = 50
	maxSectionText = 3000
	maxHeaderText  = 150
)

// doc is a message before rendering: a title, sections of lines, a footer.
type doc struct {
	lang     lang
	title    string
	sections []section
	footer   string
}

// section is a heading and its lines; a section with no heading is a
// paragraph.
type section struct {
	heading string
	lines   []line
	// more is appended as a last line when the list was cut, and hidden
	// counts the items it stands for, so that a further cut to fit Slack's
	// limit says how many are left out in all.
	more   string
	hidden int
	// actions, when set, holds one entry per line (nil for none): in Block
	// Kit each line then becomes its own block followed by its buttons.
	// Plain text has no buttons and shows the lines as a list.
	actions []*actions
}

// actions is an actions block: interactive elements under a line.
type actions struct {
	blockID  string
	elements []slack.BlockElement
}

// line is a run of spans.
type line []span

type spanKind int

const (
	plain spanKind = iota
	strong
	mention
)

// span is a piece of a line: text, emphasised text, or a user mention.
type span struct {
	kind spanKind
	text string
}

func txt(s string) span       { return span{plain, s} }
func bold(s string) span      { return span{strong, s} }
func mentionOf(u string) span { return span{mention, u} }

var slackUserID = regexp.MustCompile(`^[UW][A-Z0-9]{5,}$`)

// render writes a line as Slack mrkdwn or as plain text. Mentions of Slack
// user IDs become <@U…> in both, since Slack resolves them in notification
// text too; names typed in the shell stay @name.
func (l line) render(mrkdwn bool) string {
	var b strings.Builder
	for _, s := range l {
		switch s.kind {
		case mention:
			if slackUserID.MatchString(s.text) {
				b.WriteString("<@" + s.text + ">")
			} else {
				b.WriteString("@" + escape(s.text, mrkdwn))
			}
		case strong:
			if mrkdwn {
				b.WriteString("*" + escape(s.text, true) + "*")
			} else {
				b.WriteString(s.text)
			}
		default:
			b.WriteString(escape(s.text, mrkdwn))
		}
	}
	return b.String()
}

// escape makes user text (product names, review content) safe in mrkdwn:
// Slack reads &, < and > as markup.
func escape(s string, mrkdwn bool) string {
	if !mrkdwn {
		return s
	}
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// message renders the doc into both forms.
func (d *doc) message() Message {
	return Message{Text: d.text(), Blocks: d.blocks()}
}

// text is the plain-text form: title, sections and footer separated by
// blank lines.
func (d *doc) text() string {
	var parts []string
	if d.title != "" {
		parts = append(parts, d.title)
	}
	for _, s := range d.sections {
		var b strings.Builder
		if s.heading != "" {
			b.WriteString(s.heading + "\n")
		}
		for _, l := range s.lines {
			if s.heading != "" {
				b.WriteString("  • ")
			}
			b.WriteString(l.render(false) + "\n")
		}
		if s.more != "" {
			b.WriteString("  … " + s.more + "\n")
		}
		parts = append(parts, strings.TrimSuffix(b.String(), "\n"))
	}
	if d.footer != "" {
		parts = append(parts, d.footer)
	}
	return strings.Join(parts, "\n\n") + "\n"
}

// blocks is the Block Kit form, kept inside Slack's limits: a section whose
// text would pass maxSectionText ends with "and N more", and the message
// never has more than maxBlocks blocks.
func (d *doc) blocks() []slack.Block {
	var out []slack.Block
	if d.title != "" {
		out = append(out, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, truncateRunes(d.title, maxHeaderText), false, false)))
	}
	room := maxBlocks - len(out)
	if d.footer != "" {
		room--
	}
	for i, s := range d.sections {
		blocks := s.render(d.lang)
		if len(blocks) > room || (len(blocks) == room && i < len(d.sections)-1) {
			// Keep the last free block to say how much was left out.
			if room > 0 {
				out = append(out, contextBlock(d.lang.t("more", len(d.sections)-i)))
				room--
			}
			break
		}
		out = append(out, blocks...)
		room -= len(blocks)
	}
	if d.footer != "" {
		out = append(out, contextBlock(d.footer))
	}
	return out
}

func contextBlock(text string) slack.Block {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, escape(truncateRunes(text, maxSectionText), true), false, false))
}

// render is a section's blocks: one mrkdwn section, or with actions a
// section and an actions block per line (the heading in a block of its own).
func (s section) render(lg lang) []slack.Block {
	if s.actions == nil {
		return []slack.Block{sectionBlock(s, lg)}
	}
	var out []slack.Block
	if s.heading != "" {
		out = append(out, sectionBlock(section{heading: s.heading}, lg))
	}
	for i, l := range s.lines {
		out = append(out, sectionBlock(section{lines: []line{l}}, lg))
		if a := s.actions[i]; a != nil {
			out = append(out, slack.NewActionBlock(a.blockID, a.elements...))
		}
	}
	if s.more != "" {
		out = append(out, contextBlock(s.more))
	}
	return out
}

// sectionBlock renders a section as one mrkdwn text, cut to fit.
func sectionBlock(s section, lg lang) slack.Block {
	var b strings.Builder
	if s.heading != "" {
		b.WriteString("*" + escape(s.heading, true) + "*\n")
	}
	more := s.more
	for i, l := range s.lines {
		item := l.render(true)
		if s.heading != "" {
			item = "• " + item
		}
		// Leave room for a closing "… and N more" line.
		if b.Len()+len(item)+1 > maxSectionText-100 {
			more = lg.t("more", len(s.lines)-i+s.hidden)
			break
		}
		b.WriteString(item + "\n")
	}
	if more != "" {
		b.WriteString("… " + escape(more, true) + "\n")
	}
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, strings.TrimSuffix(b.String(), "\n"), false, false), nil, nil)
}

// truncateRunes cuts s to at most n runes, ending with "…" when cut.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
