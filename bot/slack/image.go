package slack

import (
	"context"

	"github.com/dsrbot/dsrbot/bot"
)

// Uploader puts a file in Slack (Client.Upload). A Poster that is one
// also delivers the images answers carry; the server asks for it rather
// than widening Poster, so a poster that only posts still serves text.
type Uploader interface {
	Upload(ctx context.Context, channel, threadTS string, img bot.Image) (string, error)
}

// shareImage uploads the image an answer carries, after its text, where
// the text went: the channel for an answer shown to everyone (the chart
// in a shop's own channel, a mention's thread), else the asker's direct
// message with the bot, since Slack has no file only one person sees and
// an answer meant for the asker (every shop of an agency) must not reach
// a channel. A failed upload is logged; the text has been answered.
func (s *Server) shareImage(ctx context.Context, req bot.Request, m bot.Message, threadTS string) {
	up, ok := s.Poster.(Uploader)
	if m.Image == nil || !ok {
		return
	}
	where := req.User
	if m.InChannel && req.Channel != "" {
		where = req.Channel
	} else {
		threadTS = ""
	}
	if where == "" {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		work, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.workTimeout())
		defer cancel()
		defer s.recoverTo(work, "image upload", nil)
		if _, err := up.Upload(work, where, threadTS, *m.Image); err != nil {
			s.log().ErrorContext(work, "cannot upload an answer's image", "channel", where, "err", err)
		}
	}()
}
