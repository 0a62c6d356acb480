// Package bot is dsrbot's chat surface: the command grammar (slash commands
// and mentions, English and Chinese), the handlers that answer them from the
// store, the rendering of answers to Block Kit with a plain-text fallback, and
// the local shell that runs the same grammar and renderer without Slack.
//
// bot depends on storage for domain values only, through the Store interface
// it declares; it never sees the database.
package bot
