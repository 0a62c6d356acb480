package bot

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/dsrbot/dsrbot/storage"
)

// leadingMention is a mention at the start of a message, which is taken for
// the bot's when the bot does not know its own user ID.
var leadingMention = regexp.MustCompile(`^\s*<@` + storage.SlackUserID + `(?:\|[^>]*)?>[\s:：,，]*`)

// stripMention removes a leading mention: "<@UBOT> assign R1 to <@U2>"
// becomes "assign R1 to <@U2>". It is how a mention is read when the bot's
// user ID is unknown.
func stripMention(text string) string {
	return strings.TrimSpace(leadingMention.ReplaceAllString(text, ""))
}

// MentionCommand is the command in an app_mention's text. People do not
// always put the bot's name first ("hey @dsrbot today", "@alice look
// @dsrbot reviews"), and Slack sends the text as typed, so the bot's own
// mention is found wherever it is, as <@BOT> or <@BOT|name>. The command
// is what follows the first one; when nothing does ("today @dsrbot"), what
// comes before it. Any other mention of the bot is dropped, and other
// people's mentions stay: they are arguments ("assign R1 to <@U2>"). With
// no botID, or when the text does not name it (app_mention always does, so
// the ID is stale), a leading mention is taken for the bot's, as
// stripMention does.
func MentionCommand(text, botID string) string {
	if botID == "" {
		return stripMention(text)
	}
	own := regexp.MustCompile(`<@` + regexp.QuoteMeta(botID) + `(?:\|[^>]*)?>[\s:：,，]*`)
	first := own.FindStringIndex(text)
	if first == nil {
		return stripMention(text)
	}
	return aroundMention(text[:first[0]], own.ReplaceAllString(text[first[1]:], " "))
}

// aroundMention picks the command out of a message that names the bot
// between before and after: what follows the name ("hey @dsrbot today"),
// else what precedes it ("today, @dsrbot", the separator trimmed). Slack's
// mentions (MentionCommand) and the shell's (commandText) are read with
// this one rule.
func aroundMention(before, after string) string {
	if after := strings.TrimSpace(after); after != "" {
		return after
	}
	return strings.TrimFunc(before, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(":：,，", r) })
}
