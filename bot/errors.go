package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/dsrbot/dsrbot/storage"
)

// An error reaches a person through explain, and only there: the kinds of
// error below are what it knows how to say. Anything else is a failure of
// the bot's own, whose cause belongs in the log, never in a channel.

// parseError is a command that does not parse; its text is a catalogue key
// and arguments, so the reply is a sentence in the shop's language, plus the
// right form of the command when the verb is known.
type parseError struct {
	key  string
	args []any
	verb verb
}

func (e *parseError) Error() string { return en.t(e.key, e.args...) }

// userError is an answer that explains what was wrong, already in the
// reader's language; it is shown as is.
type userError struct{ text string }

func (e *userError) Error() string { return e.text }

// sentenceError is a refusal that a catalogue sentence says, in any
// language: explain says it in the language of the shop it is about
// (lang), as a userError of that language would read; the App Home, which
// is in the workspace's language, says it in its own (explainIn), so that a
// refused press on the Home reads the same sentence as beside a message.
type sentenceError struct {
	lang lang
	say  func(lang) string
}

func (e *sentenceError) Error() string { return e.say(en) }

// sayIn is a sentenceError of the catalogue's key, in the shop's
// language l wherever explain says it.
func sayIn(l lang, key string, args ...any) *sentenceError {
	return &sentenceError{lang: l, say: func(l lang) string { return l.t(key, args...) }}
}

// codeKeys are the sentences of storage's codes (storage.ErrorCode): what a
// person reads when a store call refuses and the handler has no sentence of
// its own for it (onCode). storage's own message is English and written
// for the operator's command line, so it goes to the log, never to the
// reader. EINTERNAL is not here: it is a failure of ours (err.internal).
var codeKeys = map[string]string{
	storage.ENOTFOUND:     "err.notfound",
	storage.EINVALID:      "err.invalid",
	storage.ECONFLICT:     "err.conflict",
	storage.EUNAUTHORIZED: "err.unauthorized",
}

// explain is the one sentence a reader of l reads for err: a parse error's
// catalogue sentence (with the verb's right form, in l, for a usage
// error); a user error as it is; a storage refusal of a known code, the
// catalogue's sentence for the code. Anything else, and EINTERNAL, is
// logged with its cause and answered with the generic err.internal.
func (b *Bot) explain(ctx context.Context, l lang, req Request, err error) string {
	var pe *parseError
	var ue *userError
	var sen *sentenceError
	var se *storage.Error
	switch {
	case errors.As(err, &pe) && pe.key == "err.usage" && pe.verb != "":
		return l.t("err.usage", usageIn(l, pe.verb))
	case errors.As(err, &pe):
		args := make([]any, len(pe.args))
		for i, a := range pe.args {
			// A list of shops is joined the reader's way: "a, b" or "a、b".
			if ids, ok := a.([]string); ok {
				a = strings.Join(ids, l.t("list.sep"))
			}
			args[i] = a
		}
		return l.t(pe.key, args...)
	case errors.As(err, &ue):
		return ue.text
	case errors.As(err, &sen):
		return sen.say(sen.lang)
	case errors.As(err, &se) && codeKeys[se.Code] != "":
		// Not a failure: the store said no. The log keeps its words.
		b.log().InfoContext(ctx, "command refused", "text", req.Text, "user", req.User, "channel", req.Channel, "team", req.Team, "code", se.Code, "err", err)
		return l.t(codeKeys[se.Code])
	}
	b.log().ErrorContext(ctx, "command failed", "text", req.Text, "user", req.User, "channel", req.Channel, "team", req.Team, "err", err)
	return l.t("err.internal")
}

// explainIn is explain for a reader of l whatever the error's own
// language: a sentenceError is said in l rather than its shop's.
func (b *Bot) explainIn(ctx context.Context, l lang, req Request, err error) string {
	var sen *sentenceError
	if errors.As(err, &sen) {
		return sen.say(l)
	}
	return b.explain(ctx, l, req, err)
}

// isCode reports whether err is a storage error of code: how a handler
// asks what kind of refusal it got (a shop not found is a reason to look
// further, not a failure), reading storage's codes in this one place.
func isCode(err error, code string) bool {
	return err != nil && storage.ErrorCode(err) == code
}

// onCode gives a storage refusal of code a sentence of the handler's own,
// in place of explain's sentence for the code: the handler knows more
// ("R1 is closed; reopen it first" for a conflict of assign). Any other
// error is returned as it is, for explain.
func onCode(err error, code, text string) error {
	if isCode(err, code) {
		return &userError{text}
	}
	return err
}

// onCodeSay is onCode with a sentenceError, for a refusal the App Home
// says in its own language.
func onCodeSay(err error, code string, say *sentenceError) error {
	if isCode(err, code) {
		return say
	}
	return err
}

// usageIn is the right form of a verb's command in the reader's language:
// the catalogue's, else the grammar's own line.
func usageIn(l lang, v verb) string {
	if _, ok := catalog["usage."+string(v)]; ok {
		return l.t("usage." + string(v))
	}
	return usage[v]
}
