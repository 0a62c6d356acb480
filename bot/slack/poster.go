package slack

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/storage"

	"github.com/dsrbot/dsrbot/bot"
)

// Client posts to Slack's Web API and to response URLs. Every call's error
// is classified once (classify: a 429 with its Retry-After, a 5xx or a
// network error as temporary), and whether and when to try again is
// storage.RetryPolicy's: the outbox's pace for Deliver, whose retries the
// sender schedules, and storage.AnswerRetry for Post and Respond, which
// answer a person now. A retry never posts a message twice: after an error
// that leaves it unknown whether Slack took the message, the channel is
// searched for the message's key (carried in its metadata) before sending
// again.
type Client struct {
	api  *slackapi.Client
	http *http.Client
	log  *slog.Logger
	// Retry paces Post and Respond (storage.AnswerRetry).
	Retry storage.RetryPolicy
	// Sleep waits between tries; tests replace it to run without waiting.
	Sleep func(ctx context.Context, d time.Duration) error

	dms sync.Map // user ID -> direct-message channel ID
}

// metadataType marks dsrbot's messages so a retry can find them.
const metadataType = "dsrbot_message"

// NewClient returns a client for the bot token, on apiURL
// (SLACK_API_URL; it must end in "/").
func NewClient(token, apiURL string, httpClient *http.Client, log *slog.Logger) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 15 * time.Second}
	}
	return &Client{
		api:   slackapi.New(token, slackapi.OptionAPIURL(apiURL), slackapi.OptionHTTPClient(httpClient)),
		http:  httpClient,
		log:   log,
		Retry: storage.AnswerRetry,
		Sleep: storage.Sleep,
	}
}

// AuthTest returns the bot's own user ID, so the server can ignore its own
// messages.
func (c *Client) AuthTest(ctx context.Context) (string, error) {
	resp, err := c.api.AuthTestContext(ctx)
	if err != nil {
		return "", err
	}
	return resp.UserID, nil
}

// Post posts m to a channel (in a thread when threadTS is set) and returns
// the message's ts.
func (c *Client) Post(ctx context.Context, channel, threadTS string, m bot.Message) (string, error) {
	key := newKey()
	opts := []slackapi.MsgOption{
		slackapi.MsgOptionText(m.Text, false),
		slackapi.MsgOptionBlocks(m.Blocks...),
		slackapi.MsgOptionMetadata(slackapi.SlackMetadata{EventType: metadataType, EventPayload: map[string]any{"key": key}}),
	}
	if threadTS != "" {
		opts = append(opts, slackapi.MsgOptionTS(threadTS))
	}
	started := time.Now().Add(-time.Minute)
	var ts string
	var lastErr error
	err := c.Retry.Do(ctx, c.Sleep, func(attempt int) error {
		if attempt > 1 && ambiguous(lastErr) {
			// The last try may have reached Slack: look before posting again.
			// If the lookup fails (no history scope), post again: a rare
			// duplicate is better than a lost message.
			found, ok, err := c.findPosted(ctx, channel, threadTS, key, started)
			if err != nil {
				c.log.WarnContext(ctx, "cannot check whether a message was posted", "channel", channel, "err", err)
			} else if ok {
				ts = found
				return nil
			}
		}
		_, posted, err := c.api.PostMessageContext(ctx, channel, opts...)
		if err != nil {
			lastErr = err
			return classify(err)
		}
		ts = posted
		return nil
	}, func(attempt int, wait time.Duration, err error) {
		c.log.WarnContext(ctx, "slack post failed; retrying", "channel", channel, "attempt", attempt, "wait", wait, "err", err)
	})
	if err != nil {
		return "", err
	}
	return ts, nil
}

// Respond sends m to a slash command's or an action's response_url,
// replacing the original message when replace is set.
func (c *Client) Respond(ctx context.Context, responseURL string, m bot.Message, replace bool) error {
	msg := &slackapi.WebhookMessage{Text: m.Text, Blocks: &slackapi.Blocks{BlockSet: m.Blocks}, ReplaceOriginal: replace}
	if m.InChannel {
		msg.ResponseType = slackapi.ResponseTypeInChannel
	} else {
		msg.ResponseType = slackapi.ResponseTypeEphemeral
	}
	return c.Retry.Do(ctx, c.Sleep, func(int) error {
		return classifyOrNil(slackapi.PostWebhookCustomHTTPContext(ctx, responseURL, c.http, msg))
	}, nil)
}

// ambiguous reports an error after which Slack may or may not have acted: a
// server error or a broken connection. A 429 is not ambiguous: Slack
// refused the call before doing anything.
func ambiguous(err error) bool {
	var sc slackapi.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Code >= 500
	}
	// Transport failures (*url.Error, *net.OpError) are net.Errors.
	var ne net.Error
	return errors.As(err, &ne)
}

// historyPages bounds the look-back of findPosted: 10 pages of 200
// messages since the first attempt, far more than a channel gets in the
// retry window of a message.
const historyPages = 10

// findPosted looks for a message carrying key, posted since the given time.
func (c *Client) findPosted(ctx context.Context, channel, threadTS, key string, since time.Time) (string, bool, error) {
	channel, err := c.channelFor(ctx, channel)
	if err != nil {
		return "", false, err
	}
	oldest := strconv.FormatInt(since.Unix(), 10) + ".000000"
	cursor := ""
	for page := 0; page < historyPages; page++ {
		var msgs []slackapi.Message
		if threadTS != "" {
			msgs, _, cursor, err = c.api.GetConversationRepliesContext(ctx, &slackapi.GetConversationRepliesParameters{
				ChannelID: channel, Timestamp: threadTS, Oldest: oldest, Limit: 200, IncludeAllMetadata: true, Cursor: cursor,
			})
		} else {
			var resp *slackapi.GetConversationHistoryResponse
			resp, err = c.api.GetConversationHistoryContext(ctx, &slackapi.GetConversationHistoryParameters{
				ChannelID: channel, Oldest: oldest, Limit: 200, IncludeAllMetadata: true, Cursor: cursor,
			})
			if resp != nil {
				msgs, cursor = resp.Messages, resp.ResponseMetaData.NextCursor
			}
		}
		if err != nil {
			return "", false, err
		}
		for _, m := range msgs {
			if m.Metadata.EventType == metadataType && m.Metadata.EventPayload["key"] == key {
				return m.Timestamp, true, nil
			}
		}
		if cursor == "" {
			break
		}
	}
	return "", false, nil
}

// channelFor turns a user ID into the ID of the bot's direct-message
// channel with that user (conversations.open), so that a reminder's post
// and the lookup of it address the same channel; other IDs pass through.
func (c *Client) channelFor(ctx context.Context, channel string) (string, error) {
	if !storage.IsSlackUserID(channel) {
		return channel, nil
	}
	if dm, ok := c.dms.Load(channel); ok {
		return dm.(string), nil
	}
	ch, _, _, err := c.api.OpenConversationContext(ctx, &slackapi.OpenConversationParameters{Users: []string{channel}, ReturnIM: true})
	if err != nil {
		return "", err
	}
	c.dms.Store(channel, ch.ID)
	return ch.ID, nil
}

// Deliver makes one attempt to post a rendered message (blocks as JSON)
// carrying key, for a sender that keeps its own retry schedule. Its errors
// say whether and when to retry: RetryAfter() after a 429, Temporary()
// after a server or network error.
func (c *Client) Deliver(ctx context.Context, channel, key, text string, blocks []byte) (string, error) {
	var bs slackapi.Blocks
	if len(blocks) > 0 {
		if err := json.Unmarshal(blocks, &bs); err != nil {
			return "", fmt.Errorf("stored blocks: %w", err)
		}
	}
	channel, err := c.channelFor(ctx, channel)
	if err != nil {
		return "", classify(err)
	}
	_, ts, err := c.api.PostMessageContext(ctx, channel,
		slackapi.MsgOptionText(text, false),
		slackapi.MsgOptionBlocks(bs.BlockSet...),
		slackapi.MsgOptionMetadata(slackapi.SlackMetadata{EventType: metadataType, EventPayload: map[string]any{"key": key}}),
	)
	if err != nil {
		return "", classify(err)
	}
	return ts, nil
}

// Delivered reports whether a message carrying key is in the channel,
// posted since the given time, and its ts.
func (c *Client) Delivered(ctx context.Context, channel, key string, since time.Time) (string, bool, error) {
	ts, found, err := c.findPosted(ctx, channel, "", key, since)
	if err != nil {
		return "", false, classify(err)
	}
	return ts, found, nil
}

// DeliveryError is a failed delivery and what to do about it.
type DeliveryError struct {
	Err   error
	After time.Duration // Slack asked us to wait this long (429)
	Temp  bool          // a server or network error: try again later
}

func (e *DeliveryError) Error() string             { return e.Err.Error() }
func (e *DeliveryError) Unwrap() error             { return e.Err }
func (e *DeliveryError) RetryAfter() time.Duration { return e.After }
func (e *DeliveryError) Temporary() bool           { return e.Temp || e.After > 0 }

// classify wraps a Slack error with its retry advice.
func classify(err error) error {
	var rl *slackapi.RateLimitedError
	if errors.As(err, &rl) {
		after := rl.RetryAfter
		if after <= 0 {
			after = time.Second
		}
		return &DeliveryError{Err: err, After: after}
	}
	return &DeliveryError{Err: err, Temp: ambiguous(err)}
}

// classifyOrNil is classify for a call that may have succeeded.
func classifyOrNil(err error) error {
	if err == nil {
		return nil
	}
	return classify(err)
}

// newKey returns a random message key.
func newKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Upload puts a PNG in Slack by its current upload flow
// (files.getUploadURLExternal, the upload, files.completeUploadExternal)
// and returns the file's ID. With a channel (a channel ID, or a user ID
// for the bot's direct message) the file is shared there, in the thread
// when threadTS is set; without one it stays unshared, for a message to
// show in an image block. One attempt: a caller that needs the file
// again (the digest) records its ID rather than upload twice.
func (c *Client) Upload(ctx context.Context, channel, threadTS string, img bot.Image) (string, error) {
	if channel != "" {
		var err error
		if channel, err = c.channelFor(ctx, channel); err != nil {
			return "", classify(err)
		}
	}
	u, err := c.api.GetUploadURLExternalContext(ctx, slackapi.GetUploadURLExternalParameters{FileName: img.Name, FileSize: len(img.PNG), AltTxt: img.Alt})
	if err != nil {
		return "", classify(err)
	}
	if err := c.api.UploadToURL(ctx, slackapi.UploadToURLParameters{UploadURL: u.UploadURL, Reader: bytes.NewReader(img.PNG), Filename: img.Name}); err != nil {
		return "", classify(err)
	}
	_, err = c.api.CompleteUploadExternalContext(ctx, slackapi.CompleteUploadExternalParameters{
		Files: []slackapi.FileSummary{{ID: u.FileID, Title: img.Name}}, Channel: channel, ThreadTimestamp: threadTS,
	})
	if err != nil {
		return "", classify(err)
	}
	return u.FileID, nil
}
