// Package jobs is dsrbot's scheduled work: the morning digest of each shop
// on its own schedule, and the sender that delivers every scheduled message
// from the outbox exactly once.
//
// Scheduling is state-driven rather than timer-driven: once a minute the
// digest job asks, for each shop, whether today's scheduled time has passed
// and today's digest is not in the outbox yet. One question covers the
// normal case, a bot that was down at 09:00 (it posts on return, marked
// late, the same local day only), a schedule changed a minute ago, and a
// second process on the same database (the outbox key is unique).
// robfig/cron runs the ticks (with panic recovery and no overlap) and
// parses each shop's schedule; its clock cannot be injected, so the
// callbacks only pass time.Now() into jobs whose logic takes now.
//
// Besides the digest: the hourly shipment warnings and follow-up reminders,
// each job building its messages one way for a run and for a preview
// (Messages), and the outbox sender, whose retries follow
// storage.OutboxRetry.
//
// jobs uses storage for domain values and declares the small interfaces it
// needs for rendering and delivery; cmd hands it bot's renderers and
// bot/slack's client. It never imports bot, bot/slack or ingest.
package jobs
