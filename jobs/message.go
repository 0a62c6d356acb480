package jobs

import "github.com/dsrbot/dsrbot/storage"

// Rendered is a message ready to send: the text and the Block Kit blocks
// as JSON, both already escaped for Slack by the renderer, which is what
// the outbox stores and delivers as is. Plain is the same message unescaped
// for a person to read (the preview of `dsrbot run` without a Slack
// token); it is never stored or sent.
//
// Each job declares the renderer it needs (DigestRenderer,
// ShipmentRenderer, ReminderRenderer) as an interface of its own, every
// method returning a Rendered: jobs never import the package that words
// the messages, and one adapter in the command satisfies all three.
type Rendered struct {
	Text   string
	Blocks []byte
	Plain  string
}

// Outgoing is a message a job enqueues for a shop: the outbox row, as it is
// stored and sent, and its plain form. A job's Run enqueues the rows and
// its Messages returns them, built by the same code, so the preview of
// `dsrbot run` without a Slack token prints exactly what a run enqueues.
type Outgoing struct {
	storage.OutboxMessage
	Plain string
}

// outgoing is a rendered message as the outbox row of a shop's key, kind
// and channel (a channel ID, or a user ID for a direct message).
func outgoing(key, shopID, kind, channel string, m Rendered) Outgoing {
	return Outgoing{
		OutboxMessage: storage.OutboxMessage{Key: key, ShopID: shopID, Kind: kind, Channel: channel, Text: m.Text, Blocks: string(m.Blocks)},
		Plain:         m.Plain,
	}
}

// rows are the outbox rows of messages.
func rows(msgs []Outgoing) []storage.OutboxMessage {
	out := make([]storage.OutboxMessage, len(msgs))
	for i := range msgs {
		out[i] = msgs[i].OutboxMessage
	}
	return out
}
