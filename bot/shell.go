package bot

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Shell is the local chat: it reads lines as a person would type them in
// Slack ("/dsr today", "@dsrbot assign R123 to @alice"), runs them through
// the same grammar and handlers, and prints each answer's Plain form: the
// words Slack would show, unescaped, since a person reads them here and no
// Slack reads markup. It lets a team try dsrbot, and an admin check the
// data, with no Slack app at all.
type Shell struct {
	Bot *Bot
	In  io.Reader
	Out io.Writer
	// User is who is typing; "@dsrbot mine" lists this person's follow-ups.
	User string
	// Prompt is printed before each line; empty when input is not a terminal.
	Prompt string
	// ImageDir is where an answer's image (a chart) is written, so it can
	// be opened; empty is the system's temporary directory.
	ImageDir string
}

// Run reads commands until end of input (Ctrl-D), "exit" or ctx is done.
func (s *Shell) Run(ctx context.Context) error {
	sc := bufio.NewScanner(s.In)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		if ctx.Err() != nil {
			return nil
		}
		fmt.Fprint(s.Out, s.Prompt)
		if !sc.Scan() {
			if s.Prompt != "" {
				fmt.Fprintln(s.Out)
			}
			return sc.Err()
		}
		input := strings.TrimSpace(sc.Text())
		switch strings.ToLower(input) {
		case "":
			continue
		case "exit", "quit", `\q`:
			return nil
		}
		text, ok := commandText(input)
		if !ok {
			fmt.Fprintln(s.Out, s.Bot.replyLang(Request{Text: input}).t("shell.hint"))
			continue
		}
		// The shell is the operator's, on the database's own machine:
		// Local, so it sees and changes every shop, owned or not.
		m := s.Bot.Handle(ctx, Request{Text: text, User: s.User, Local: true})
		fmt.Fprintln(s.Out, strings.TrimRight(m.Plain, "\n"))
		if m.Image != nil {
			s.saveImage(m.Image)
		}
		fmt.Fprintln(s.Out)
	}
}

// saveImage writes an answer's image to a file and says where, or why not.
func (s *Shell) saveImage(img *Image) {
	dir := s.ImageDir
	if dir == "" {
		dir = os.TempDir()
	}
	// A new file of its own, never one that is there already: the
	// temporary directory is shared, and a name known in advance could be
	// a link another user planted.
	base := filepath.Base(img.Name)
	f, err := os.CreateTemp(dir, strings.TrimSuffix(base, filepath.Ext(base))+"-*"+filepath.Ext(base))
	if err != nil {
		fmt.Fprintln(s.Out, err)
		return
	}
	_, err = f.Write(img.PNG)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(s.Out, err)
		return
	}
	fmt.Fprintln(s.Out, img.lang.t("chart.saved", f.Name()))
}

// shellMention is the bot named in the shell, as a word, with the
// separators people type after a name.
var shellMention = regexp.MustCompile(`(?i)(?:^|\s)[@＠]dsrbot(?:$|[\s:：,，]+)`)

// commandText strips what Slack strips before the bot sees a command: the
// "/dsr" of a slash command or the bot's own mention.
func commandText(input string) (string, bool) {
	lower := strings.ToLower(input)
	for _, prefix := range []string{"/dsr", "@dsrbot", "＠dsrbot"} {
		if strings.HasPrefix(lower, prefix) {
			// Chinese follows the name with no space ("@dsrbot分配R1给@bo"),
			// but "/dsrx" is not "/dsr".
			rest := input[len(prefix):]
			if rest == "" || rest[0] == ' ' || strings.HasPrefix(rest, "\u3000") || isHan(firstRune(rest)) {
				return strings.TrimSpace(rest), true
			}
		}
	}
	// As in Slack, the bot may be named anywhere: "hey @dsrbot today".
	if at := shellMention.FindStringIndex(input); at != nil {
		return aroundMention(input[:at[0]], input[at[1]:]), true
	}
	return "", false
}
