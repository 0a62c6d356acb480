package slack

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/dsrbot/dsrbot/bot"
)

// Viewer is what the Slack-native surfaces need besides Poster: views (the
// App Home, the resolve form, the shortcut's modal) and the update of a
// message in place. Client implements it; a Poster that does not (a test
// double) leaves those surfaces silent and the rest of the bot as it was.
type Viewer interface {
	OpenView(ctx context.Context, triggerID string, v slackapi.ModalViewRequest) error
	UpdateView(ctx context.Context, viewID string, v slackapi.ModalViewRequest) error
	PublishHome(ctx context.Context, user string, v slackapi.HomeTabViewRequest) error
	UpdateMessage(ctx context.Context, channel, ts, text string, blocks []slackapi.Block) error
	Message(ctx context.Context, channel, ts, thread string) (*slackapi.Message, error)
}

// viewer is the server's Viewer: its Poster, when it is one.
func (s *Server) viewer() Viewer {
	v, _ := s.Poster.(Viewer)
	return v
}

// homeOpened publishes the person's App Home when they open its tab (the
// Messages and About tabs send the same event, and are left alone). A
// repeated event publishes again, which is harmless, so it is not
// deduplicated.
func (s *Server) homeOpened(ctx context.Context, outer *slackevents.EventsAPICallbackEvent, ev *slackevents.AppHomeOpenedEvent) {
	if ev.Tab != "home" || ev.User == "" || ev.User == s.BotUserID {
		return
	}
	s.afterAck(ctx, "home", func(work context.Context) { s.publishHome(work, ev.User, outer.TeamID, "") })
}

// publishHome draws and publishes a person's App Home, with notice (why an
// action from it was refused or failed) at its top when there is one. An
// opening of the tab publishes it without, which clears the notice.
func (s *Server) publishHome(ctx context.Context, user, team, notice string) {
	v := s.viewer()
	if v == nil {
		return
	}
	home, err := s.Bot.HomeWithNotice(ctx, user, team, notice)
	if err != nil {
		s.log().ErrorContext(ctx, "cannot draw the App Home", "user", user, "err", err)
		return
	}
	if err := v.PublishHome(ctx, user, *home); err != nil {
		s.log().ErrorContext(ctx, "cannot publish the App Home", "user", user, "err", err)
	}
}

// fromView reports whether a block action was pressed in a view (the App
// Home or a modal) rather than on a message.
func fromView(cb slackapi.InteractionCallback) bool { return cb.Container.Type == "view" }

// act carries out a review action after the acknowledgement, and shows
// the result where the press was: a list message is redrawn through its
// response_url (as before); a posted message (a digest, an alert) gets the
// answer beside it and its review's line updated in place with
// chat.update, and a reassignment mentions the new owner in its thread;
// the App Home is published again; the shortcut's modal is updated. A
// press of Resolve opens the resolve form instead, at once, while the
// trigger is valid (3 seconds); where the server cannot open views (no bot
// token), it is answered with the outcome select (bot.ResolveSelect).
func (s *Server) act(ctx context.Context, cb slackapi.InteractionCallback, a bot.Action) {
	v := s.viewer()
	if a.OpensForm() {
		back := bot.Back{Channel: cb.Container.ChannelID, TS: cb.Container.MessageTs, Thread: cb.Container.ThreadTs, ResponseURL: cb.ResponseURL, Ephemeral: cb.Container.IsEphemeral}
		if isDM(back.Channel) && !back.Ephemeral && a.InPlace() {
			back.Drawn = packDrawn(ctx, s.log(), cb.Message.Text, cb.Message.Blocks)
		}
		if fromView(cb) {
			back = bot.Back{}
		}
		form, refusal := s.Bot.ResolveForm(ctx, a, back)
		switch {
		case refusal != nil:
			s.answer(ctx, cb, a, *refusal)
		case v == nil:
			// No views without a bot token: the press is answered
			// through its response_url with the outcome select, which
			// resolves without a form.
			s.answer(ctx, cb, a, s.Bot.ResolveSelect(ctx, a))
		default:
			if err := v.OpenView(ctx, cb.TriggerID, *form); err != nil {
				s.log().ErrorContext(ctx, "cannot open the resolve form", "review", a.Review, "err", err)
			}
		}
		return
	}
	s.answer(ctx, cb, a, s.Bot.Perform(ctx, a))
}

// answer shows the result of an action where it was pressed (act says
// how).
func (s *Server) answer(ctx context.Context, cb slackapi.InteractionCallback, a bot.Action, r bot.Result) {
	v := s.viewer()
	switch {
	case fromView(cb) && cb.View.Type == slackapi.VTHomeTab:
		if !r.Changed {
			s.log().InfoContext(ctx, "an action from the App Home changed nothing", "review", a.Review, "answer", r.Message.Plain)
		}
		s.publishHome(ctx, cb.User.ID, cb.Team.ID, r.Notice)
	case fromView(cb):
		if v == nil {
			return
		}
		// A refusal is said at the modal's top: there is nothing else to
		// answer beside.
		view, err := s.Bot.ReviewViewWithNotice(ctx, a, r.Notice)
		if err == nil {
			err = v.UpdateView(ctx, cb.View.ID, *view)
		}
		if err != nil {
			s.log().ErrorContext(ctx, "cannot update the review's modal", "review", a.Review, "err", err)
		}
	default:
		if cb.ResponseURL != "" {
			if err := s.Poster.Respond(ctx, cb.ResponseURL, r.Message, r.Replace); err != nil {
				s.log().ErrorContext(ctx, "cannot update a message after an action", "review", a.Review, "err", err)
			}
		}
		if cb.Container.IsEphemeral || cb.Container.ChannelID == "" || (!r.Changed && !r.Stale) {
			return
		}
		if a.InPlace() {
			s.redraw(ctx, a, cb.Container.ChannelID, cb.Container.MessageTs, cb.Message.Text, cb.Message.Blocks.BlockSet)
		}
		// Only the sentence of the reassignment goes in the thread, never
		// the answer itself: a list's answer is the whole list.
		if r.Changed && a.Assignee != "" && r.Told != nil {
			thread := cb.Container.ThreadTs
			if thread == "" {
				thread = cb.Container.MessageTs
			}
			if _, err := s.Poster.Post(ctx, cb.Container.ChannelID, thread, *r.Told); err != nil {
				s.log().ErrorContext(ctx, "cannot tell the thread of a reassignment", "review", a.Review, "err", err)
			}
		}
	}
}

// redraw updates a posted message's review in place (bot.Redraw).
func (s *Server) redraw(ctx context.Context, a bot.Action, channel, ts, text string, blocks []slackapi.Block) {
	v := s.viewer()
	if v == nil || ts == "" {
		return
	}
	out, ok := s.Bot.Redraw(ctx, a, blocks)
	if !ok {
		return
	}
	if err := v.UpdateMessage(ctx, channel, ts, text, out); err != nil {
		s.log().ErrorContext(ctx, "cannot update a message in place", "channel", channel, "review", a.Review, "err", err)
	}
}

// Submission answers a view_submission of the resolve form, within
// Slack's 3 seconds and without a query: errors under the form's fields
// (an outcome, an amount for compensation, a note for "no action"), or
// nil, which closes the form. The review is closed after the
// acknowledgement, and the message the form came from (or the App Home)
// shows the result. Other views' submissions close them.
func (s *Server) Submission(ctx context.Context, cb slackapi.InteractionCallback) *slackapi.ViewSubmissionResponse {
	if cb.View.CallbackID != bot.ResolveCallback {
		return nil
	}
	var values map[string]map[string]slackapi.BlockAction
	if cb.View.State != nil {
		values = cb.View.State.Values
	}
	sub, err := bot.CheckResolve(cb.View.PrivateMetadata, values)
	if err != nil {
		s.log().WarnContext(ctx, "ignored a resolve form without its review", "user", cb.User.ID, "err", err)
		return nil
	}
	if len(sub.Errors) > 0 {
		return slackapi.NewErrorsViewSubmissionResponse(sub.Errors)
	}
	a := sub.Action
	// The workspace is the payload's, as for buttons; the form's own
	// metadata names only the review.
	a.User, a.Team, a.Channel = cb.User.ID, cb.Team.ID, sub.Back.Channel
	s.afterAck(ctx, "resolve form", func(work context.Context) {
		r := s.Bot.Perform(work, a)
		back := sub.Back
		if a.FromHome() {
			s.publishHome(work, a.User, a.Team, r.Notice)
			return
		}
		if back.ResponseURL != "" {
			if err := s.Poster.Respond(work, back.ResponseURL, r.Message, r.Replace); err != nil {
				s.log().ErrorContext(work, "cannot answer a resolve form", "review", a.Review, "err", err)
			}
		}
		if !a.InPlace() || back.Ephemeral || back.Channel == "" || (!r.Changed && !r.Stale) {
			return
		}
		v := s.viewer()
		if v == nil {
			return
		}
		// The submission does not carry the message. A DM's came with
		// the form (Back.Drawn: the app may not read DMs back); a
		// channel's is read back, as it is now, to update the review's
		// line and keep the rest.
		if back.Drawn != "" {
			text, blocks, err := unpackDrawn(back.Drawn)
			if err != nil {
				s.log().ErrorContext(work, "cannot read the message a resolve form carried", "channel", back.Channel, "err", err)
				return
			}
			s.redraw(work, a, back.Channel, back.TS, text, blocks.BlockSet)
			return
		}
		if isDM(back.Channel) {
			s.log().WarnContext(work, "cannot redraw a direct message without its copy", "channel", back.Channel, "review", a.Review)
			return
		}
		m, err := v.Message(work, back.Channel, back.TS, back.Thread)
		if err != nil {
			s.log().ErrorContext(work, "cannot read the message a resolve form came from", "channel", back.Channel, "err", err)
			return
		}
		s.redraw(work, a, back.Channel, back.TS, m.Text, m.Blocks.BlockSet)
	})
	return nil
}

// shortcut answers the message shortcut "Follow up this review": a modal
// with the review the message names, or a line that it names none.
func (s *Server) shortcut(ctx context.Context, cb slackapi.InteractionCallback) {
	if cb.CallbackID != bot.FollowUpShortcut {
		return
	}
	s.afterAck(ctx, "shortcut", func(work context.Context) {
		req := bot.Request{User: cb.User.ID, Channel: cb.Channel.ID, Team: cb.Team.ID}
		view, m := s.Bot.FollowUp(work, cb.Message.Text, req)
		var err error
		switch {
		case view != nil && s.viewer() != nil:
			err = s.viewer().OpenView(work, cb.TriggerID, *view)
		case m != nil && cb.ResponseURL != "":
			err = s.Poster.Respond(work, cb.ResponseURL, *m, false)
		default:
			err = errors.New("nowhere to answer")
		}
		if err != nil {
			s.log().ErrorContext(work, "cannot answer the follow-up shortcut", "user", cb.User.ID, "err", err)
		}
	})
}

// OpenView opens a modal with a trigger_id. It is tried once: a trigger
// lasts 3 seconds, past a retry's wait.
func (c *Client) OpenView(ctx context.Context, triggerID string, v slackapi.ModalViewRequest) error {
	_, err := c.api.OpenViewContext(ctx, triggerID, v)
	return err
}

// UpdateView replaces an open modal.
func (c *Client) UpdateView(ctx context.Context, viewID string, v slackapi.ModalViewRequest) error {
	return c.retry(ctx, func() error {
		_, err := c.api.UpdateViewContext(ctx, v, "", "", viewID)
		return err
	})
}

// PublishHome publishes a person's App Home.
func (c *Client) PublishHome(ctx context.Context, user string, v slackapi.HomeTabViewRequest) error {
	return c.retry(ctx, func() error {
		_, err := c.api.PublishViewContext(ctx, slackapi.PublishViewContextRequest{UserID: user, View: v})
		return err
	})
}

// UpdateMessage replaces a message's text and blocks (chat.update). The
// text is the message's as Slack gave it, already escaped.
func (c *Client) UpdateMessage(ctx context.Context, channel, ts, text string, blocks []slackapi.Block) error {
	return c.retry(ctx, func() error {
		_, _, _, err := c.api.UpdateMessageContext(ctx, channel, ts, slackapi.MsgOptionText(text, false), slackapi.MsgOptionBlocks(blocks...))
		return err
	})
}

// Message reads one message back: from the channel's history, or from its
// thread when it is a reply.
func (c *Client) Message(ctx context.Context, channel, ts, thread string) (*slackapi.Message, error) {
	var msgs []slackapi.Message
	var err error
	if thread != "" && thread != ts {
		msgs, _, _, err = c.api.GetConversationRepliesContext(ctx, &slackapi.GetConversationRepliesParameters{ChannelID: channel, Timestamp: thread, Oldest: ts, Latest: ts, Inclusive: true, Limit: 2})
	} else {
		var resp *slackapi.GetConversationHistoryResponse
		resp, err = c.api.GetConversationHistoryContext(ctx, &slackapi.GetConversationHistoryParameters{ChannelID: channel, Oldest: ts, Latest: ts, Inclusive: true, Limit: 1})
		if resp != nil {
			msgs = resp.Messages
		}
	}
	if err != nil {
		return nil, err
	}
	for i := range msgs {
		if msgs[i].Timestamp == ts {
			return &msgs[i], nil
		}
	}
	return nil, errors.New("message not found")
}

// retry calls Slack with the answer's retry policy (storage.AnswerRetry).
func (c *Client) retry(ctx context.Context, call func() error) error {
	for attempt := 1; ; attempt++ {
		err := call()
		if err == nil {
			return nil
		}
		wait, _, again := c.Retry.Next(classify(err), attempt)
		if !again {
			return err
		}
		if err := c.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// isDM reports whether a conversation is a direct message (its ID starts
// with D): the bot cannot read one back without im:history.
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// drawn is a message as a press carried it, packed into the resolve form.
type drawn struct {
	Text   string          `json:"t"`
	Blocks slackapi.Blocks `json:"b"`
}

// maxDrawn bounds an unpacked copy: a message is at most 50 blocks of a
// few KB.
const maxDrawn = 1 << 20

// packDrawn packs a message's text and blocks for Back.Drawn: JSON,
// deflated and base64, so a reminder fits in a form's private_metadata
// (3,000 characters) beside the rest of the form's state. An empty result
// (nothing to pack, or an error) leaves the form without a copy.
func packDrawn(ctx context.Context, log *slog.Logger, text string, blocks slackapi.Blocks) string {
	if len(blocks.BlockSet) == 0 {
		return ""
	}
	raw, err := json.Marshal(drawn{Text: text, Blocks: blocks})
	if err != nil {
		log.WarnContext(ctx, "cannot pack a message for its resolve form", "err", err)
		return ""
	}
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(raw)
	w.Close()
	return base64.RawStdEncoding.EncodeToString(buf.Bytes())
}

// unpackDrawn reads what packDrawn packed.
func unpackDrawn(s string) (string, slackapi.Blocks, error) {
	packed, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return "", slackapi.Blocks{}, err
	}
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(packed)), maxDrawn))
	if err != nil {
		return "", slackapi.Blocks{}, err
	}
	var d drawn
	if err := json.Unmarshal(raw, &d); err != nil {
		return "", slackapi.Blocks{}, err
	}
	return d.Text, d.Blocks, nil
}
