package slack

import (
	"context"

	"github.com/slack-go/slack/socketmode"
)

// SocketEvent is socketEvent for the tests of package slack_test, which
// hand it envelopes and record the acknowledgements.
func (s *Server) SocketEvent(ctx context.Context, client interface {
	Ack(req socketmode.Request, payload ...any) error
}, evt socketmode.Event) {
	s.socketEvent(ctx, client, evt)
}
