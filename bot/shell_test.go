package bot

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestShellRun: the shell answers each command line in order with the
// plain form of what Bot.Handle gives Slack, hints on a line that is not a
// command, skips blank lines and stops at "exit".
func TestShellRun(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	rv := d.openBadReview(t)
	in := strings.Join([]string{
		"/dsr today dy-fashion",
		"hello",
		"",
		"   ",
		"@dsrbot assign " + rv.ReviewID + " to @alice",
		"＠dsrbot 我的",
		"/dsr    late   ",
		"/dsrtoday",
		"@dsrbot",
		"exit",
		"/dsr help",
		"/dsr today",
	}, "\n") + "\n"
	var out bytes.Buffer
	sh := &Shell{Bot: d.Bot, In: strings.NewReader(in), Out: &out, User: "alice"}
	if err := sh.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	handle := func(text string) string {
		return d.Handle(ctx, Request{Text: text, User: "alice", Local: true}).Plain + "\n"
	}
	hint := en.t("shell.hint") + "\n"
	today := handle("today dy-fashion")
	// The assignment was made by the shell: its answer is known, and what
	// "我的" answered then is what it answers now.
	want := today +
		hint +
		rv.ReviewID + " → @alice: follow-up assigned.\n\n" +
		handle("我的") +
		handle("late") +
		hint +
		handle("")
	if got := out.String(); got != want {
		t.Errorf("shell printed:\n%s\nwant:\n%s", got, want)
	}
	// The card printed is Bot.Handle's text for the same request, byte
	// for byte: the shell renders through the bot, not a copy of it.
	if !strings.HasPrefix(out.String(), d.Handle(ctx, Request{Text: "today dy-fashion", User: "alice", Local: true}).Plain+"\n") {
		t.Errorf("shell's card is not Bot.Handle's:\n%s", out.String())
	}
	if !strings.Contains(handle("我的"), rv.ReviewID) {
		t.Errorf("alice's list lacks the review the shell assigned her:\n%s", handle("我的"))
	}
	if got := d.review(t, rv.ReviewID); got.Owner != "alice" {
		t.Errorf("owner after the shell's assign: %q", got.Owner)
	}
	if strings.Contains(out.String(), "All shops") {
		t.Error("the shell ran a command after exit")
	}
}

// TestShellEndOfInput: at end of input (Ctrl-D) the shell stops after the
// last command; with a prompt it prints the prompt before each line and a
// newline at the end, so the terminal's prompt starts on its own line.
func TestShellEndOfInput(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	tests := []struct {
		name, in, prompt string
		want             func(card string) string
	}{
		{"no newline at the end", "/dsr today dy-fashion", "", func(c string) string { return c + "\n" }},
		{"newline at the end", "/dsr today dy-fashion\n", "", func(c string) string { return c + "\n" }},
		{"prompt", "/dsr today dy-fashion\n", "dsr> ", func(c string) string { return "dsr> " + c + "\n" + "dsr> " + "\n" }},
		{"empty input", "", "dsr> ", func(string) string { return "dsr> \n" }},
		{"quit", "quit\n/dsr today dy-fashion\n", "", func(string) string { return "" }},
		{"EXIT in capitals", "EXIT\n/dsr today dy-fashion\n", "", func(string) string { return "" }},
	}
	card := d.Handle(ctx, Request{Text: "today dy-fashion", User: "alice", Local: true}).Plain
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			sh := &Shell{Bot: d.Bot, In: strings.NewReader(tt.in), Out: &out, User: "alice", Prompt: tt.prompt}
			if err := sh.Run(ctx); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got, want := out.String(), tt.want(card); got != want {
				t.Errorf("printed:\n%q\nwant:\n%q", got, want)
			}
		})
	}
}

// TestShellPrintsUntrustedTextAsIs: the shell is read by a person, not by
// Slack, so a product name or a review with markup in it is printed as
// typed, never as entities; the same answer to Slack is escaped.
func TestShellPrintsUntrustedTextAsIs(t *testing.T) {
	d := newHostileBot(t)
	ctx := context.Background()
	var out bytes.Buffer
	sh := &Shell{Bot: d.Bot, In: strings.NewReader("/dsr reviews all dy-evil\n/dsr status <!here>R6\n"), Out: &out, User: "alice"}
	if err := sh.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, want := range []string{"<!here> 连衣裙 差评 <!channel>", "<!here>R6", "<https://evil.example|点我退款>", "&lt;!channel&gt;", "a & b"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the shell does not print %q as typed:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "&lt;!here&gt;") || strings.Contains(out.String(), "&amp;") {
		t.Errorf("the shell prints entities:\n%s", out.String())
	}
	if m := d.Handle(ctx, Request{Text: "reviews all dy-evil", User: "alice", Team: "T1"}); !strings.Contains(m.Text, "&lt;!here&gt; 连衣裙") {
		t.Errorf("the same answer for Slack is not escaped:\n%s", m.Text)
	}
}

// TestShellStopsWithContext: a cancelled context ends the shell before it
// reads another line.
func TestShellStopsWithContext(t *testing.T) {
	d := newDemoBot(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	sh := &Shell{Bot: d.Bot, In: strings.NewReader("/dsr today\n"), Out: &out, Prompt: "dsr> "}
	if err := sh.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("printed %q after cancel", out.String())
	}
}

// TestShellCommandText: the shell reads a command as Slack would hand it
// to the bot: after /dsr, or around the bot's name wherever it stands.
func TestShellCommandText(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"/dsr today", "today", true},
		{"@dsrbot mine", "mine", true},
		{"＠dsrbot 我的", "我的", true},
		{"hey @dsrbot today", "today", true},
		{"@alice look @DSRBOT: reviews", "reviews", true},
		{"today, @dsrbot", "today", true},
		{"@dsrbot分配R1980给@bo", "分配R1980给@bo", true},
		{"/dsr今天", "今天", true},
		{"@dsrbotx today", "", false},
		{"/dsrx today", "", false},
		{"mail me@dsrbot.example today", "", false},
		{"hello", "", false},
	} {
		got, ok := commandText(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("commandText(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
