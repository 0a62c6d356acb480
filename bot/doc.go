// Package bot is dsrbot's chat surface: the command grammar (slash commands
// and mentions, English and Chinese), the handlers that answer them from the
// store, the rendering of answers to Block Kit with a plain-text fallback,
// the local shell that runs the same grammar and renderer without Slack, and
// the transports that carry them: Slack's signed HTTP endpoints and Socket
// Mode, the Web API client with its retry rules, and the ingest endpoint.
//
// bot depends on storage for domain values only, through the interfaces it
// declares (Store, Poster, EventLog, Importer); it never sees the database.
package bot
