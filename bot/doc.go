// Package bot is what dsrbot says: the command grammar (slash commands and
// mentions, English and Chinese), the handlers that answer them from the
// store, the message catalogue in both languages, the rendering of answers
// to Block Kit with a plain-text fallback, the renderers of the scheduled
// messages (digest, shipment warnings, reminders) and the local shell that
// runs the same grammar and renderer without Slack.
//
// Where to look: `/dsr today` is parsed in command.go, dispatched by
// Bot.Handle (bot.go) and built in card.go (one shop) and shops.go (all of
// them); the morning digest is rendered by RenderDigest in digest.go.
//
// bot depends on storage for domain values only, through the Store
// interface it declares; it never sees the database. It knows nothing of
// how a message reaches Slack: the transport (bot/slack) imports bot, never
// the reverse, and bot never imports jobs, ingest or cmd.
package bot
