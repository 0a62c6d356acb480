package bot

import "context"

// What the transports (bot/slack) need of the bot besides Handle and Act:
// the two answers a transport gives on its own account, in the bot's
// words and languages.

// Working is the acknowledgement of a slash command whose answer follows
// later through its response_url. It is in the request's own language
// (replyLang) because that needs no query: the store is what is slow.
func (b *Bot) Working(req Request) Message {
	l := b.replyLang(req)
	return reply(l, line{txt(l.t("ack"))}).message()
}

// Failed is the answer to a request whose handling the transport had to
// stop (a panic it recovered): the cause is logged, and the asker reads
// the generic sentence in the request's language.
func (b *Bot) Failed(ctx context.Context, req Request, err error) Message {
	return b.failure(ctx, req, nil, err)
}
