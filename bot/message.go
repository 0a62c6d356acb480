package bot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/storage"
)

// Message is one answer or post, rendered from one doc in the forms its
// readers need, so they always say the same thing.
//
// Text and Blocks are what Slack receives: the top-level text (Slack's
// notification and fallback, which it formats as mrkdwn) and the Block Kit
// blocks. Every character of them is escaped for Slack (& < >), whoever
// wrote it: a buyer's review, a product name, a note, a shop name, a word a
// person typed. The only markup in them is what the renderer composes
// itself, a mention of a Slack user ID (<@U…>), so a review that says
// <!channel> cannot ping a channel or plant a disguised link.
//
// Plain is the same text unescaped, for a person reading a terminal (the
// local shell, the CLI's preview of a job): there is no Slack to read
// markup there, and "&lt;" would only be noise.
//
// Only doc.message makes a Message (TestSlackTextHasOneSource holds the
// package to it), so no answer can reach Slack without the escaping.
type Message struct {
	Text   string
	Blocks []slack.Block
	Plain  string
	// InChannel asks for the answer to be shown to the whole channel (the
	// score card in the shop's own channel); others are shown only to the
	// person who asked.
	InChannel bool
	// Image, when set, is a picture that goes with the answer (a trend
	// chart): Slack's transport uploads it beside the text, the shell
	// writes it to a file. The text says what it shows.
	Image *Image
}

// Image is a PNG an answer carries, with the text a screen reader says.
type Image struct {
	Name string
	PNG  []byte
	Alt  string
	// lang is the answer's, for the shell's line that says where the
	// image was written.
	lang lang
}

// Slack's Block Kit limits; past them Slack refuses the whole message.
const (
	maxBlocks      = 50
	maxSectionText = 3000
	maxHeaderText  = 150
	// A button's label and an option's text; a select's placeholder.
	maxLabelText       = 75
	maxPlaceholderText = 150
	maxAltText         = 2000
)

// doc is a message before rendering: a title, sections of lines, a footer.
type doc struct {
	lang     lang
	title    string
	sections []section
	footer   string
	// image is a picture the answer carries (Message.Image); slackFile
	// is an uploaded one the message shows in an image block, alt its
	// text.
	image          *Image
	slackFile, alt string
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
	// flow lets a long section run on into further blocks, each filled up
	// to Slack's limit, where a list is cut with "and N more": the
	// all-shops view names every shop, and sections of a fixed number of
	// lines would show as gaps in one list. Only a list that outruns the
	// message's blocks is cut, saying how many lines are left out.
	flow bool
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

// form is where a rendering goes, which decides what is escaped.
type form int

const (
	// forPerson is plain text for a terminal: nothing escaped, no markup.
	forPerson form = iota
	// forSlackText is the message's top-level text in Slack: the words of
	// forPerson, escaped.
	forSlackText
	// forBlocks is mrkdwn inside blocks: escaped, emphasis marked up.
	forBlocks
)

// esc escapes s for the form.
func (f form) esc(s string) string {
	if f == forPerson {
		return s
	}
	return escape(s)
}

// render writes a line in a form. Mentions of Slack user IDs become <@U…>
// in every form, since Slack resolves them in notification text too: that
// is the one piece of markup the bot composes. Names typed in the shell
// (or typed as text in Slack) stay @name, escaped, and cut like any other
// echo of what a person typed.
func (l line) render(f form) string {
	var b strings.Builder
	for _, s := range l {
		switch s.kind {
		case mention:
			if storage.IsSlackUserID(s.text) {
				b.WriteString("<@" + s.text + ">")
			} else {
				b.WriteString("@" + f.esc(truncateRunes(s.text, maxEcho)))
			}
		case strong:
			if f == forBlocks {
				b.WriteString("*" + f.esc(s.text) + "*")
			} else {
				b.WriteString(f.esc(s.text))
			}
		default:
			b.WriteString(f.esc(s.text))
		}
	}
	return b.String()
}

// mrkdwnEscapes are the three characters Slack reads as markup in every
// text it is sent (mrkdwn and plain_text objects, and a message's text),
// and the entities it shows them from.
var mrkdwnEscapes = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape makes any text safe to send to Slack: &, < and > become entities,
// which Slack shows as the characters and never reads as a mention, a
// channel ping or a link.
func escape(s string) string { return mrkdwnEscapes.Replace(s) }

// escapeCut is escape(s) cut to at most n characters as sent, ending with
// "…" when cut, and never inside an entity: Slack counts a field's limit
// on the escaped text.
func escapeCut(s string, n int) string {
	e := escape(s)
	if utf8.RuneCountInString(e) <= n {
		return e
	}
	var b strings.Builder
	count := 0
	for _, r := range s {
		piece := escape(string(r))
		w := utf8.RuneCountInString(piece)
		if count+w > n-1 {
			break
		}
		b.WriteString(piece)
		count += w
	}
	return b.String() + "…"
}

// plainTextObject is a plain_text object (a header, a button's label)
// holding s escaped and cut to n characters: Slack decodes the entities of
// plain_text too, and counts its limits on what it is sent.
func plainTextObject(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, escapeCut(s, n), false, false)
}

// mrkdwnObject is a mrkdwn object of text already rendered for blocks.
func mrkdwnObject(rendered string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, rendered, false, false)
}

// maxEcho is how much of what a person typed a reply quotes back.
const maxEcho = 200

// said is text a person typed (a word of a command, a shop or review ID
// that does not exist, a cron spec), quoted back in a reply. It formats cut
// to maxEcho characters with an ellipsis, in any verb (%q, %s), so a 100 KB
// command costs a short answer, and the text and the blocks quote the same.
type said string

// Format writes the cut text with the verb and flags it was asked for.
func (s said) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), truncateRunes(string(s), maxEcho))
}

// message renders the doc into every form. It is the only maker of a
// Message: every string Slack receives goes through the escaping here.
func (d *doc) message() Message {
	return Message{Text: d.text(forSlackText), Blocks: d.blocks(), Plain: d.text(forPerson), Image: d.imageIn()}
}

// imageIn is the doc's image in the doc's language, or nil.
func (d *doc) imageIn() *Image {
	if d.image == nil {
		return nil
	}
	img := *d.image
	img.lang = d.lang
	return &img
}

// text is the text form: title, sections and footer separated by blank
// lines; escaped for Slack's top-level text, raw for a person.
func (d *doc) text(f form) string {
	var parts []string
	if d.title != "" {
		parts = append(parts, f.esc(d.title))
	}
	for _, s := range d.sections {
		var b strings.Builder
		if s.heading != "" {
			b.WriteString(f.esc(s.heading) + "\n")
		}
		for _, l := range s.lines {
			if s.heading != "" {
				b.WriteString("  • ")
			}
			b.WriteString(l.render(f) + "\n")
		}
		if s.more != "" {
			b.WriteString("  … " + f.esc(s.more) + "\n")
		}
		parts = append(parts, strings.TrimSuffix(b.String(), "\n"))
	}
	if d.footer != "" {
		parts = append(parts, f.esc(d.footer))
	}
	return strings.Join(parts, "\n\n") + "\n"
}

// blocks is the Block Kit form, kept inside Slack's limits: a section whose
// text would pass maxSectionText ends with "and N more", and the message
// never has more than maxBlocks blocks.
func (d *doc) blocks() []slack.Block {
	var out []slack.Block
	if d.title != "" {
		out = append(out, slack.NewHeaderBlock(plainTextObject(d.title, maxHeaderText)))
	}
	if d.slackFile != "" {
		out = append(out, slack.NewImageBlockSlackFile(&slack.SlackFileObject{ID: d.slackFile}, escapeCut(d.alt, maxAltText), "chart", nil))
	}
	room := maxBlocks - len(out)
	if d.footer != "" {
		room--
	}
	for i, s := range d.sections {
		var blocks []slack.Block
		if s.flow {
			// A flowing section fits itself into the room, keeping a
			// block for the "more" of the sections after it.
			fit := room
			if i < len(d.sections)-1 {
				fit--
			}
			blocks = s.flowBlocks(d.lang, fit)
		} else {
			blocks = s.render(d.lang)
		}
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

// contextBlock is a line of small print: text escaped and cut to fit.
func contextBlock(text string) slack.Block {
	return slack.NewContextBlock("", mrkdwnObject(escapeCut(text, maxSectionText)))
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

// flowBlocks renders a flowing section as mrkdwn section blocks, each
// holding as many whole lines as fit in Slack's limit, at most room of
// them. When the lines need more, the last block is a context block that
// counts those left out, with any the section had left out already.
func (s section) flowBlocks(lg lang, room int) []slack.Block {
	if room <= 0 {
		return nil
	}
	var texts []string
	var counts []int
	var b strings.Builder
	size, n := 0, 0
	write := func(text string) {
		b.WriteString(text + "\n")
		size += utf8.RuneCountInString(text) + 1
	}
	flush := func() {
		texts = append(texts, strings.TrimSuffix(b.String(), "\n"))
		counts = append(counts, n)
		b.Reset()
		size, n = 0, 0
	}
	if s.heading != "" {
		write("*" + escape(s.heading) + "*")
	}
	for _, l := range s.lines {
		item := l.render(forBlocks)
		if s.heading != "" {
			item = "• " + item
		}
		// One line longer than a block (a shop named with a page of
		// text) is cut rather than refused by Slack.
		item = truncateRunes(item, maxSectionText-1)
		if n > 0 && size+utf8.RuneCountInString(item)+1 > maxSectionText {
			flush()
		}
		write(item)
		n++
	}
	if n > 0 || b.Len() > 0 {
		flush()
	}
	hidden := s.hidden
	if len(texts)+min(hidden, 1) > room {
		keep := room - 1
		for _, c := range counts[keep:] {
			hidden += c
		}
		texts = texts[:keep]
	}
	out := make([]slack.Block, 0, len(texts)+1)
	for _, t := range texts {
		out = append(out, slack.NewSectionBlock(mrkdwnObject(t), nil, nil))
	}
	if hidden > 0 {
		out = append(out, contextBlock(lg.t("more", hidden)))
	}
	return out
}

// sectionBlock renders a section as one mrkdwn text, cut to fit.
func sectionBlock(s section, lg lang) slack.Block {
	var b strings.Builder
	if s.heading != "" {
		b.WriteString("*" + escape(s.heading) + "*\n")
	}
	more := s.more
	for i, l := range s.lines {
		item := l.render(forBlocks)
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
		b.WriteString("… " + escape(more) + "\n")
	}
	return slack.NewSectionBlock(mrkdwnObject(strings.TrimSuffix(b.String(), "\n")), nil, nil)
}

// truncateRunes cuts s to at most n runes, ending with "…" when cut.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// sentence is a catalogue sentence as a line in which arguments that are
// spans stay spans: a mention remains a mention (rendered <@U…> for Slack)
// and emphasis remains emphasis, wherever each language puts them ("R1980
// was @bo's" and "R1980 原由 @bo 跟进"). Other arguments format as l.t
// formats them and are escaped like any text.
func sentence(l lang, key string, args ...any) line {
	// Spans are formatted as numbered markers, then the formatted sentence
	// is cut at the markers. NUL never occurs in a catalogue sentence, and
	// is taken out of string arguments, so a marker is always one of ours.
	const mark = "\x00"
	var spans []span
	fmtArgs := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case span:
			fmtArgs[i] = mark + strconv.Itoa(len(spans)) + mark
			spans = append(spans, a)
		case string:
			fmtArgs[i] = strings.ReplaceAll(a, mark, "")
		default:
			fmtArgs[i] = a
		}
	}
	var ln line
	for i, part := range strings.Split(l.t(key, fmtArgs...), mark) {
		if i%2 == 1 {
			if n, err := strconv.Atoi(part); err == nil && n < len(spans) {
				ln = append(ln, spans[n])
				continue
			}
		}
		if part != "" {
			ln = append(ln, txt(part))
		}
	}
	return ln
}
