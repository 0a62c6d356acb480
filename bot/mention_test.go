package bot

import "testing"

// TestMentionCommand: the command in an app_mention's text as Slack sends
// it, the bot's mention wherever the person put it. Slack writes a mention
// as <@ID>, or <@ID|name> in some clients and older messages.
func TestMentionCommand(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		botID string
		want  string
	}{
		{"first", "<@UBOT> today", "UBOT", "today"},
		{"first, with a name", "<@UBOT|dsrbot> today dy-fashion", "UBOT", "today dy-fashion"},
		{"after a greeting", "hey <@UBOT> today", "UBOT", "today"},
		{"after someone else's mention", "<@UALICE> look <@UBOT> reviews", "UBOT", "reviews"},
		{"last", "today <@UBOT>", "UBOT", "today"},
		{"last, after a comma", "today, <@UBOT>", "UBOT", "today"},
		{"last, with a name", "我的 <@UBOT|dsrbot>", "UBOT", "我的"},
		{"colon", "<@UBOT>: today", "UBOT", "today"},
		{"full-width colon", "<@UBOT>：我的", "UBOT", "我的"},
		{"comma", "<@UBOT>, mine", "UBOT", "mine"},
		{"full-width comma", "  <@UBOT>，我的", "UBOT", "我的"},
		{"other people stay", "<@UBOT> assign R1 to <@U2>", "UBOT", "assign R1 to <@U2>"},
		{"other people stay, with names", "<@UBOT|dsrbot>: 分配 R1 给 <@U2|chen>", "UBOT", "分配 R1 给 <@U2|chen>"},
		{"mid-sentence, someone after", "ok <@UBOT> assign R1 to <@U2>", "UBOT", "assign R1 to <@U2>"},
		{"named twice", "<@UBOT> today <@UBOT>", "UBOT", "today"},
		{"named twice, nothing after", "today <@UBOT> <@UBOT>:", "UBOT", "today"},
		{"only the mention", "<@UBOT>", "UBOT", ""},
		{"an ID that only starts like the bot's", "<@UBOT2> today <@UBOT>", "UBOT", "<@UBOT2> today"},
		{"enterprise user ID", "hi <@W0BOT> late", "W0BOT", "late"},
		{"multi-line note", "<@UBOT> done R1 refund\ncalled back", "UBOT", "done R1 refund\ncalled back"},

		// The bot's ID unknown (no bot token): a leading mention is the
		// bot's, as before.
		{"unknown ID, first", "<@UBOT> today", "", "today"},
		{"unknown ID, with a name", "<@UBOT|dsrbot>: 分配 R1 给 <@U2>", "", "分配 R1 给 <@U2>"},
		{"unknown ID, not first", "today <@UBOT>", "", "today <@UBOT>"},
		// The ID held is not in the text: read it as if it were unknown.
		{"stale ID", "<@UNEW> today", "UOLD", "today"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MentionCommand(tt.text, tt.botID); got != tt.want {
				t.Errorf("MentionCommand(%q, %q) = %q, want %q", tt.text, tt.botID, got, tt.want)
			}
		})
	}
}

// The mentions that failed to parse before the bot looked past the start of
// the message parse to the command they say.
func TestMentionAnywhereParses(t *testing.T) {
	for text, want := range map[string]string{
		"hey <@UBOT> today":               "today",
		"<@UALICE> look <@UBOT> reviews":  "reviews",
		"today <@UBOT>":                   "today",
		"麻烦 <@UBOT|dsrbot>：分配 R1 给 <@U2>": "assign",
	} {
		c, err := Parse(MentionCommand(text, "UBOT"))
		if err != nil || string(c.Verb) != want {
			t.Errorf("%q: %+v, %v; want verb %v", text, c, err, want)
		}
	}
}
