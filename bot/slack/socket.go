package slack

import (
	"context"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/dsrbot/dsrbot/bot"
)

// RunSocketMode serves the same slash commands, mentions and buttons over
// Slack's Socket Mode, for workspaces where the bot has no public URL. The
// client must carry the app-level token (slackapi.OptionAppLevelToken). Slack
// has already authenticated the socket, so there is no signature to check;
// each envelope is acknowledged as Slack requires, the slash command's with
// its answer.
func (s *Server) RunSocketMode(ctx context.Context, api *slackapi.Client) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := socketmode.New(api)
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		for {
			select {
			case <-ctx.Done():
				return
			case evt, ok := <-client.Events:
				if !ok {
					return
				}
				// Each envelope on its own goroutine: a slash command may
				// work for up to AckAfter before its acknowledgement, and
				// the envelopes behind it must not wait for that.
				s.afterAck(ctx, "socket envelope", func(work context.Context) {
					s.socketEvent(work, client, evt)
				})
			}
		}
	}()
	err := client.RunContext(ctx)
	// Stop dispatching before returning, so that Wait, which follows, sees
	// every envelope's work and none starts after it.
	cancel()
	<-loopDone
	return err
}

// acker is the part of the socket client that acknowledges envelopes.
type acker interface {
	Ack(req socketmode.Request, payload ...any) error
}

// socketEvent handles one Socket Mode envelope. Only an envelope is
// acknowledged: Slack matches an acknowledgement to what it sent by the
// envelope ID. slack-go hands over more than envelopes: its own lifecycle
// events (connecting, connected) with no Request, and Slack's "hello" (and,
// in some versions, "disconnect") with the raw message as Request but no
// envelope ID. An acknowledgement of those would be {"envelope_id":""},
// which Slack does not expect.
func (s *Server) socketEvent(ctx context.Context, client acker, evt socketmode.Event) {
	switch {
	case evt.Request == nil, evt.Type == socketmode.EventTypeHello, evt.Type == socketmode.EventTypeDisconnect:
		s.log().DebugContext(ctx, "socket mode", "type", evt.Type)
		return
	case evt.Request.EnvelopeID == "":
		// Slack puts one on every request; without it the request cannot
		// be acknowledged, and the bot does not act on what it cannot
		// answer.
		s.log().WarnContext(ctx, "ignored a Socket Mode request without an envelope ID", "type", evt.Type)
		return
	}
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slackapi.SlashCommand)
		if !ok {
			client.Ack(*evt.Request)
			return
		}
		m := s.Slash(ctx, bot.Request{Text: cmd.Text, User: cmd.UserID, Channel: cmd.ChannelID, Team: cmd.TeamID}, cmd.ResponseURL)
		if err := client.Ack(*evt.Request, slashResponse(m)); err != nil {
			s.log().ErrorContext(ctx, "cannot acknowledge a slash command", "err", err)
		}
	case socketmode.EventTypeEventsAPI:
		client.Ack(*evt.Request)
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			if err := s.Event(ctx, ev); err != nil {
				s.log().ErrorContext(ctx, "cannot record an event", "err", err)
			}
		}
	case socketmode.EventTypeInteractive:
		if cb, ok := evt.Data.(slackapi.InteractionCallback); ok && cb.Type == slackapi.InteractionTypeViewSubmission {
			// A form's answer rides on the acknowledgement (views.go).
			var err error
			if resp := s.Submission(ctx, cb); resp != nil {
				err = client.Ack(*evt.Request, resp)
			} else {
				err = client.Ack(*evt.Request)
			}
			if err != nil {
				s.log().ErrorContext(ctx, "cannot acknowledge a form", "err", err)
			}
			return
		}
		client.Ack(*evt.Request)
		if cb, ok := evt.Data.(slackapi.InteractionCallback); ok {
			s.Interaction(ctx, cb)
		}
	default:
		client.Ack(*evt.Request)
	}
}
