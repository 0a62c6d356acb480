package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/slack-go/slack"
)

// SlackClient posts to Slack's Web API and to response URLs, with the retry
// rules Slack asks of an app: on HTTP 429 wait Retry-After; on a 5xx or a
// network error back off with jitter. A retry never posts a message twice:
// after an error that leaves it unknown whether Slack took the message, the
// channel is searched for the message's key (carried in its metadata) before
// sending again.
type SlackClient struct {
	api  *slack.Client
	http *http.Client
	log  *slog.Logger
	// MaxAttempts bounds the tries of one call.
	MaxAttempts int
	// Sleep waits between tries; tests replace it to run without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

// metadataType marks dsrbot's messages so a retry can find them.
const metadataType = "dsrbot_message"

// NewSlackClient returns a client for the bot token, on apiURL
// (SLACK_API_URL; it must end in "/").
func NewSlackClient(token, apiURL string, httpClient *http.Client, log *slog.Logger) *SlackClient {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 15 * time.Second}
	}
	return &SlackClient{
		api:         slack.New(token, slack.OptionAPIURL(apiURL), slack.OptionHTTPClient(httpClient)),
		http:        httpClient,
		log:         log,
		MaxAttempts: 6,
		Sleep:       sleepContext,
	}
}

// AuthTest returns the bot's own user ID, so the server can ignore its own
// messages.
func (c *SlackClient) AuthTest(ctx context.Context) (string, error) {
	resp, err := c.api.AuthTestContext(ctx)
	if err != nil {
		return "", err
	}
	return resp.UserID, nil
}

// Post posts m to a channel (in a thread when threadTS is set) and returns
// the message's ts.
func (c *SlackClient) Post(ctx context.Context, channel, threadTS string, m Message) (string, error) {
	key := newKey()
	opts := []slack.MsgOption{
		slack.MsgOptionText(m.Text, false),
		slack.MsgOptionBlocks(m.Blocks...),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metadataType, EventPayload: map[string]any{"key": key}}),
	}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	started := time.Now().Add(-time.Minute)
	var lastErr error
	for attempt := 1; attempt <= c.MaxAttempts; attempt++ {
		if attempt > 1 && ambiguous(lastErr) {
			// The last try may have reached Slack: look before posting again.
			if ts, found := c.findPosted(ctx, channel, threadTS, key, started); found {
				return ts, nil
			}
		}
		_, ts, err := c.api.PostMessageContext(ctx, channel, opts...)
		if err == nil {
			return ts, nil
		}
		lastErr = err
		wait, retry := c.retryAfter(err, attempt)
		if !retry || attempt == c.MaxAttempts {
			break
		}
		c.log.WarnContext(ctx, "slack post failed; retrying", "channel", channel, "attempt", attempt, "wait", wait, "err", err)
		if err := c.Sleep(ctx, wait); err != nil {
			return "", err
		}
	}
	return "", lastErr
}

// Respond sends m to a slash command's or an action's response_url,
// replacing the original message when replace is set.
func (c *SlackClient) Respond(ctx context.Context, responseURL string, m Message, replace bool) error {
	msg := &slack.WebhookMessage{Text: m.Text, Blocks: &slack.Blocks{BlockSet: m.Blocks}, ReplaceOriginal: replace}
	if m.InChannel {
		msg.ResponseType = slack.ResponseTypeInChannel
	} else {
		msg.ResponseType = slack.ResponseTypeEphemeral
	}
	var err error
	for attempt := 1; attempt <= c.MaxAttempts; attempt++ {
		if err = slack.PostWebhookCustomHTTPContext(ctx, responseURL, c.http, msg); err == nil {
			return nil
		}
		wait, retry := c.retryAfter(err, attempt)
		if !retry || attempt == c.MaxAttempts {
			break
		}
		if err := c.Sleep(ctx, wait); err != nil {
			return err
		}
	}
	return err
}

// retryAfter says whether an error is worth another try and after how long.
func (c *SlackClient) retryAfter(err error, attempt int) (time.Duration, bool) {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return rl.RetryAfter, true
	}
	if ambiguous(err) {
		return backoff(attempt), true
	}
	return 0, false
}

// ambiguous reports an error after which Slack may or may not have acted: a
// server error or a broken connection. A 429 is not ambiguous: Slack
// refused the call before doing anything.
func ambiguous(err error) bool {
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Code >= 500
	}
	// Transport failures (*url.Error, *net.OpError) are net.Errors.
	var ne net.Error
	return errors.As(err, &ne)
}

// backoff is exponential with full jitter, from 500 ms up to 30 s.
func backoff(attempt int) time.Duration {
	ceiling := math.Min(30, 0.5*math.Pow(2, float64(attempt-1)))
	return time.Duration(mrand.Float64() * ceiling * float64(time.Second))
}

// findPosted looks for a message carrying key, posted since the first try.
// If the lookup itself fails (for example without the history scope), it
// reports not found and the caller posts again: a rare duplicate is better
// than a lost message.
func (c *SlackClient) findPosted(ctx context.Context, channel, threadTS, key string, since time.Time) (string, bool) {
	oldest := strconv.FormatInt(since.Unix(), 10) + ".000000"
	var msgs []slack.Message
	var err error
	if threadTS != "" {
		msgs, _, _, err = c.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: channel, Timestamp: threadTS, Oldest: oldest, Limit: 100, IncludeAllMetadata: true,
		})
	} else {
		var resp *slack.GetConversationHistoryResponse
		resp, err = c.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: channel, Oldest: oldest, Limit: 100, IncludeAllMetadata: true,
		})
		if resp != nil {
			msgs = resp.Messages
		}
	}
	if err != nil {
		c.log.WarnContext(ctx, "cannot check whether a message was posted", "channel", channel, "err", err)
		return "", false
	}
	for _, m := range msgs {
		if m.Metadata.EventType == metadataType && m.Metadata.EventPayload["key"] == key {
			return m.Timestamp, true
		}
	}
	return "", false
}

// newKey returns a random message key.
func newKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
