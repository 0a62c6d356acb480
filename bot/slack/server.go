package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/dsrbot/dsrbot/bot"
)

// Poster is what the Slack side needs to talk back: post to a channel, and
// answer through a response_url. Client implements it; tests hand the
// server a Client pointed at a fake Slack.
type Poster interface {
	Post(ctx context.Context, channel, threadTS string, m bot.Message) (string, error)
	Respond(ctx context.Context, responseURL string, m bot.Message, replace bool) error
}

// EventLog remembers which Slack events were acted on, across restarts.
type EventLog interface {
	FirstDelivery(ctx context.Context, eventID string, now time.Time) (bool, error)
}

// ReplayGuard remembers the signatures of the Slack requests accepted
// within the signature window, so a request replayed byte for byte (same
// timestamp, same body, so the same signature) is refused. FirstSignature
// records the signature and reports whether it is new, in one step, so two
// replicas cannot both accept one request. *storage.DB implements it.
type ReplayGuard interface {
	FirstSignature(ctx context.Context, signature string, signedAt time.Time, window time.Duration, now time.Time) (bool, error)
}

// Server is the Slack side of the bot: signed HTTP endpoints for slash
// commands, events and interactivity, and the same handlers for Socket
// Mode. Slow work runs after Slack has its acknowledgement.
type Server struct {
	Bot    *bot.Bot
	Poster Poster
	Events EventLog
	// Replays refuses a signed request seen before. Replicas must share
	// one (the database); nil remembers in this process only, which still
	// refuses a replay to a single server.
	Replays ReplayGuard
	// SigningSecret verifies every HTTP request; without it all are refused.
	SigningSecret string
	// BotUserID is the bot's own user, whose messages are never answered
	// and whose mention, wherever it sits in a message, is not part of the
	// command. Empty (no bot token, so no auth.test) falls back to taking a
	// mention at the start of a message for the bot's.
	BotUserID string
	Now       func() time.Time
	Log       *slog.Logger
	// AckAfter is how long a slash command may work before it is
	// acknowledged and answered later through its response_url. Slack
	// gives 3 s; the default leaves a margin for the network.
	AckAfter time.Duration
	// MaxBody limits a request body; Slack's are a few KB.
	MaxBody int64
	// WorkTimeout bounds work done after the acknowledgement.
	WorkTimeout time.Duration

	wg       sync.WaitGroup
	seenOnce sync.Once
	seen     ReplayGuard
}

// Defaults of the Server's limits.
const (
	DefaultAckAfter    = 2 * time.Second
	DefaultMaxBody     = 1 << 20
	DefaultWorkTimeout = 2 * time.Minute
)

// Handler returns the HTTP endpoints under /slack/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /slack/commands", s.verified(s.serveCommand, answerSSLCheck))
	mux.Handle("POST /slack/events", s.verified(s.serveEvent, signedOnly))
	mux.Handle("POST /slack/interactions", s.verified(s.serveInteraction, signedOnly))
	return mux
}

// unsigned names the unsigned requests an endpoint answers before it
// checks the signature.
type unsigned int

const (
	// signedOnly refuses every unsigned request.
	signedOnly unsigned = iota
	// answerSSLCheck answers Slack's certificate check: Slack posts
	// "ssl_check=1&token=..." to a slash command's URL to test its TLS
	// certificate, and those posts may be unsigned. Refused with a 401
	// they would look like an attack in the log and, to Slack, like a
	// broken URL; so, as Slack's Bolt SDKs do, they get a 200 with an
	// empty body before verification, and act on nothing.
	answerSSLCheck
)

// Wait blocks until work started after an acknowledgement is done.
func (s *Server) Wait() { s.wg.Wait() }

// verified reads the body (bounded) and checks Slack's signature before the
// handler sees anything. A refused request changes nothing. The only
// request answered unsigned is the certificate check, where allowed, and
// its answer is an empty 200 whatever else the body holds.
//
// A good signature is then spent: a second request with the same one is a
// replay (an attacker, or a proxy, resending what it saw) and is refused
// like any unverified request, with a 401 that explains nothing to the
// sender. Slack's own retries are signed anew and pass; the event ID
// check behind this one still keeps a retried event from acting twice.
func (s *Server) verified(next func(http.ResponseWriter, *http.Request, []byte), allow unsigned) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.MaxBody
		if limit == 0 {
			limit = DefaultMaxBody
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read request body", http.StatusBadRequest)
			return
		}
		if allow == answerSSLCheck && isSSLCheck(body) {
			s.log().DebugContext(r.Context(), "answered Slack's certificate check", "path", r.URL.Path)
			w.WriteHeader(http.StatusOK)
			return
		}
		now := s.now()
		if why, err := verifySignature(s.SigningSecret, r.Header, body, now); err != nil {
			s.log().WarnContext(r.Context(), "refused an unverified request", "path", r.URL.Path, "why", why, "remote", r.RemoteAddr)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		first, err := s.replays().FirstSignature(r.Context(), r.Header.Get("X-Slack-Signature"), signedAt(r.Header), SignatureWindow, now)
		if err != nil {
			// Nothing was done: Slack retries events, and a person
			// retries a command.
			s.log().ErrorContext(r.Context(), "cannot record a request's signature", "path", r.URL.Path, "err", err)
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		if !first {
			s.log().WarnContext(r.Context(), "refused an unverified request", "path", r.URL.Path, "why", "replayed signature", "remote", r.RemoteAddr)
			http.Error(w, errUnverified.Error(), http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	})
}

// isSSLCheck reports whether a form body is Slack's certificate check.
func isSSLCheck(body []byte) bool {
	form, err := url.ParseQuery(string(body))
	return err == nil && form.Get("ssl_check") == "1"
}

// serveCommand answers a slash command: in the HTTP response when the
// answer is ready in time, else with an acknowledgement and then through
// the response_url.
func (s *Server) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("command") == "" {
		http.Error(w, "not a slash command", http.StatusBadRequest)
		return
	}
	req := bot.Request{Text: form.Get("text"), User: form.Get("user_id"), Channel: form.Get("channel_id"), Team: form.Get("team_id")}
	m := s.Slash(r.Context(), req, form.Get("response_url"))
	writeJSON(w, slashResponse(m))
}

// Slash runs a slash command and returns what to answer now. If the
// command takes longer than AckAfter, the answer now is an
// acknowledgement, and the real one follows through responseURL.
func (s *Server) Slash(ctx context.Context, req bot.Request, responseURL string) bot.Message {
	work, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.workTimeout())
	result := make(chan bot.Message, 1)
	go func() {
		defer s.recoverTo(work, "slash command", func() { result <- s.Bot.Failed(work, req, errors.New("panic")) })
		result <- s.Bot.Handle(work, req)
	}()
	timer := time.NewTimer(s.ackAfter())
	defer timer.Stop()
	select {
	case m := <-result:
		cancel()
		s.shareImage(ctx, req, m, "")
		return m
	case <-timer.C:
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.recoverTo(work, "slow answer", nil)
		defer cancel()
		m := <-result
		if responseURL == "" {
			return
		}
		if err := s.Poster.Respond(work, responseURL, m, false); err != nil {
			s.log().ErrorContext(work, "cannot deliver a slow answer", "user", req.User, "channel", req.Channel, "err", err)
		}
		s.shareImage(work, req, m, "")
	}()
	return s.Bot.Working(req)
}

// slashResponse is the JSON body Slack reads a slash command's answer from.
func slashResponse(m bot.Message) *slackapi.Msg {
	typ := slackapi.ResponseTypeEphemeral
	if m.InChannel {
		typ = slackapi.ResponseTypeInChannel
	}
	return &slackapi.Msg{ResponseType: typ, Text: m.Text, Blocks: slackapi.Blocks{BlockSet: m.Blocks}}
}

// serveEvent answers the Events API: the URL check, and callbacks, which
// are acknowledged at once and acted on once per event ID.
func (s *Server) serveEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		// A well-formed callback of an event type slack-go does not know is
		// acknowledged: a 400 would make Slack retry it and, repeated,
		// disable the app's subscription.
		var outer struct {
			Type    string `json:"type"`
			EventID string `json:"event_id"`
		}
		if json.Unmarshal(body, &outer) == nil && outer.Type == slackevents.CallbackEvent {
			s.log().WarnContext(r.Context(), "ignored an event of an unknown type", "event_id", outer.EventID, "err", err)
			w.WriteHeader(http.StatusOK)
			return
		}
		http.Error(w, "not an Events API payload", http.StatusBadRequest)
		return
	}
	if ev.Type == slackevents.URLVerification {
		var c slackevents.ChallengeResponse
		if err := json.Unmarshal(body, &c); err != nil {
			http.Error(w, "bad url_verification", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, c.Challenge)
		return
	}
	if err := s.Event(r.Context(), ev); err != nil {
		// Slack will retry; the event has not been recorded as seen.
		s.log().ErrorContext(r.Context(), "cannot record an event", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// Event acts on an Events API callback once: a retry of an event already
// seen, a bot's message and the bot's own messages are ignored. The work
// itself runs after return, so Slack gets its acknowledgement at once.
func (s *Server) Event(ctx context.Context, ev slackevents.EventsAPIEvent) error {
	outer, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || ev.Type != slackevents.CallbackEvent {
		return nil
	}
	if home, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok {
		s.homeOpened(ctx, outer, home)
		return nil
	}
	mention, ok := ev.InnerEvent.Data.(*slackevents.AppMentionEvent)
	if !ok || mention.BotID != "" || mention.User == "" || mention.User == s.BotUserID {
		return nil
	}
	first, err := s.Events.FirstDelivery(ctx, outer.EventID, s.now())
	if err != nil {
		return err
	}
	if !first {
		s.log().InfoContext(ctx, "ignored a repeated event", "event_id", outer.EventID)
		return nil
	}
	s.afterAck(ctx, "mention", func(work context.Context) {
		// The workspace is the typist's, as for slash commands and
		// buttons: in a channel shared between workspaces the event's
		// own team is the one the bot is installed in.
		team := mention.UserTeam
		if team == "" {
			team = outer.TeamID
		}
		m := s.Bot.Handle(work, bot.Request{Text: bot.MentionCommand(mention.Text, s.BotUserID), User: mention.User, Channel: mention.Channel, Team: team})
		thread := mention.ThreadTimeStamp
		if thread == "" {
			thread = mention.TimeStamp
		}
		if _, err := s.Poster.Post(work, mention.Channel, thread, m); err != nil {
			s.log().ErrorContext(work, "cannot answer a mention", "channel", mention.Channel, "event_id", outer.EventID, "err", err)
		}
		m.InChannel = true // a mention's answer is in the thread for all
		s.shareImage(work, bot.Request{Channel: mention.Channel, User: mention.User}, m, thread)
	})
	return nil
}

// serveInteraction answers a button press or a select: acknowledged at
// once, acted on after, and the message updated through its response_url.
func (s *Server) serveInteraction(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("payload") == "" {
		http.Error(w, "no payload", http.StatusBadRequest)
		return
	}
	var cb slackapi.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if cb.Type == slackapi.InteractionTypeViewSubmission {
		// A form's answer is the response itself (views.go).
		if resp := s.Submission(r.Context(), cb); resp != nil {
			writeJSON(w, resp)
			return
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	s.Interaction(r.Context(), cb)
	w.WriteHeader(http.StatusOK)
}

// Interaction acts on a press of a review button, after return. Slack
// sends one action per press, so only the first action of a payload is
// acted on and the rest are logged and ignored: one request must not cost
// more than one press, and a payload carrying 2,000 actions otherwise
// started 2,000 goroutines and wrote as many history rows.
func (s *Server) Interaction(ctx context.Context, cb slackapi.InteractionCallback) {
	if cb.Type == slackapi.InteractionTypeMessageAction {
		s.shortcut(ctx, cb)
		return
	}
	if cb.Type != slackapi.InteractionTypeBlockActions {
		return
	}
	acts := cb.ActionCallback.BlockActions
	if len(acts) == 0 {
		return
	}
	if len(acts) > 1 {
		s.log().WarnContext(ctx, "acted on the first action of a payload and ignored the rest", "actions", len(acts), "user", cb.User.ID, "team", cb.Team.ID)
	}
	a, ok := bot.ParseAction(acts[0])
	if !ok {
		return
	}
	// The workspace is the payload's team and only that: a payload
	// without one is refused any change (Act), rather than guessed from
	// the user's home team.
	a.User, a.Channel, a.Team = cb.User.ID, cb.Channel.ID, cb.Team.ID
	s.afterAck(ctx, "button", func(work context.Context) { s.act(work, cb, a) })
}

// afterAck runs work after Slack has its acknowledgement: on its own
// goroutine, counted for Wait, with a context that outlives the request
// but not WorkTimeout, and with a panic logged rather than fatal.
func (s *Server) afterAck(ctx context.Context, what string, work func(context.Context)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer s.recoverTo(ctx, what, nil)
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.workTimeout())
		defer cancel()
		work(wctx)
	}()
}

// recoverTo stops a panic in work done after the acknowledgement from
// taking the process down: net/http recovers only its own goroutines. The
// cause is logged; then, if set, fallback answers the user.
func (s *Server) recoverTo(ctx context.Context, what string, fallback func()) {
	if p := recover(); p != nil {
		s.log().ErrorContext(ctx, "panic while handling a "+what, "panic", p, "stack", string(debug.Stack()))
		if fallback != nil {
			fallback()
		}
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// replays is the server's ReplayGuard: the one it was given, else one in
// this process's memory.
func (s *Server) replays() ReplayGuard {
	if s.Replays != nil {
		return s.Replays
	}
	s.seenOnce.Do(func() { s.seen = &memoryReplays{seen: map[string]time.Time{}} })
	return s.seen
}

// memoryReplays is a ReplayGuard for one process. It forgets expired
// signatures once a window, not on every request, so a busy server does
// not walk the whole map each time.
type memoryReplays struct {
	mu        sync.Mutex
	seen      map[string]time.Time
	nextSweep time.Time
}

func (m *memoryReplays) FirstSignature(_ context.Context, signature string, signedAt time.Time, window time.Duration, now time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.seen[signature]; ok {
		return false, nil
	}
	if now.After(m.nextSweep) {
		for sig, at := range m.seen {
			if at.Before(now.Add(-window)) {
				delete(m.seen, sig)
			}
		}
		m.nextSweep = now.Add(window)
	}
	m.seen[signature] = signedAt
	return true, nil
}

func (s *Server) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Server) ackAfter() time.Duration {
	if s.AckAfter == 0 {
		return DefaultAckAfter
	}
	return s.AckAfter
}

func (s *Server) workTimeout() time.Duration {
	if s.WorkTimeout == 0 {
		return DefaultWorkTimeout
	}
	return s.WorkTimeout
}
