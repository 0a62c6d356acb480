// Package slack is dsrbot's Slack transport: the signed HTTP endpoints
// (slash commands, events, interactivity) with their verification and
// replay guard, Socket Mode, and the Web API client that posts, answers
// response URLs and delivers the outbox's messages.
//
// It owns how a request arrives and how an answer leaves, and nothing of
// what is said: it hands a bot.Request to the bot and sends back the
// bot.Message it gets. It imports bot and storage's values; bot, jobs and
// storage never import it (jobs reaches it through the Delivery interface
// that cmd fills with a Client). slack-go is imported as slackapi here, so
// that "slack" in this package's code is always this package.
//
// Its fake counterpart for tests is bot/slack/slacktest.
package slack
