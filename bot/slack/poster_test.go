package slack_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/bot/slack/slacktest"
)

// Client against the fake Slack: Slack's retry rules, and never a
// message twice.

func trPoster(t *testing.T) (*slack.Client, *slacktest.Slack, *trSleeps, *trLog) {
	t.Helper()
	fake := slacktest.New()
	t.Cleanup(fake.Close)
	sleeps, log := &trSleeps{}, &trLog{}
	c := slack.NewClient(trToken, fake.URL(), nil, slog.New(slog.NewTextHandler(log, nil)))
	c.Sleep = sleeps.sleep
	t.Cleanup(func() {
		if strings.Contains(log.String(), trToken) {
			t.Errorf("the log carries the token:\n%s", log)
		}
	})
	return c, fake, sleeps, log
}

func trMessage(text string) bot.Message {
	return bot.Message{
		Text:   text,
		Blocks: []slackapi.Block{slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, "*"+text+"*", false, false), nil, nil)},
	}
}

func TestTransportPostPlain(t *testing.T) {
	c, fake, sleeps, _ := trPoster(t)
	ts, err := c.Post(context.Background(), "C1", "", trMessage("hello"))
	if err != nil {
		t.Fatal(err)
	}
	posts := fake.Posts()
	if len(posts) != 1 || posts[0].TS != ts || posts[0].Channel != "C1" || posts[0].Text != "hello" || posts[0].ThreadTS != "" {
		t.Fatalf("posts = %+v, ts %s", posts, ts)
	}
	if !strings.Contains(string(posts[0].Blocks), "*hello*") {
		t.Errorf("blocks = %s", posts[0].Blocks)
	}
	if m := posts[0].Metadata; m == nil || m.EventType == "" || m.EventPayload["key"] == nil {
		t.Errorf("metadata = %+v, want a key a retry can find", m)
	}
	if w := sleeps.all(); len(w) != 0 {
		t.Errorf("waited %v on a clean post", w)
	}
	if n := fake.Calls("conversations.history"); n != 0 {
		t.Errorf("looked in the history %d times on a clean post", n)
	}

	reply, err := c.Post(context.Background(), "C1", ts, trMessage("in thread"))
	if err != nil {
		t.Fatal(err)
	}
	if posts = fake.Posts(); len(posts) != 2 || posts[1].ThreadTS != ts || posts[1].TS != reply {
		t.Errorf("thread reply: %+v", posts)
	}
}

func TestTransportPostWaitsRetryAfter(t *testing.T) {
	c, fake, sleeps, _ := trPoster(t)
	for range 3 {
		fake.FailNext(http.StatusTooManyRequests, 1)
	}
	ts, err := c.Post(context.Background(), "C1", "", trMessage("rate limited"))
	if err != nil {
		t.Fatal(err)
	}
	posts := fake.Posts()
	if len(posts) != 1 || posts[0].TS != ts {
		t.Errorf("posts = %+v, want exactly one with ts %s", posts, ts)
	}
	if w := sleeps.all(); !slices.Equal(w, []time.Duration{time.Second, time.Second, time.Second}) {
		t.Errorf("waits = %v, want [1s 1s 1s] as Retry-After said", w)
	}
	if n := fake.Calls("chat.postMessage"); n != 4 {
		t.Errorf("chat.postMessage called %d times, want 4", n)
	}
	// A 429 means Slack did nothing: no need to look before sending again.
	if n := fake.Calls("conversations.history"); n != 0 {
		t.Errorf("history looked up %d times after 429s", n)
	}
}

func TestTransportPostRetriesServerError(t *testing.T) {
	c, fake, sleeps, _ := trPoster(t)
	fake.FailNext(http.StatusInternalServerError, 0)
	ts, err := c.Post(context.Background(), "C1", "", trMessage("after a 500"))
	if err != nil {
		t.Fatal(err)
	}
	if posts := fake.Posts(); len(posts) != 1 || posts[0].TS != ts {
		t.Errorf("posts = %+v", posts)
	}
	// A 500 is ambiguous: the channel is checked before posting again.
	if n := fake.Calls("conversations.history"); n != 1 {
		t.Errorf("history looked up %d times, want 1", n)
	}
	w := sleeps.all()
	if len(w) != 1 || w[0] < 0 || w[0] > 500*time.Millisecond {
		t.Errorf("waits = %v, want one backoff within the first step (≤ 500ms)", w)
	}
}

func TestTransportPostStoredThenFailedIsNotPostedTwice(t *testing.T) {
	for _, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable} {
		c, fake, _, _ := trPoster(t)
		fake.FailAfterStore(status)
		ts, err := c.Post(context.Background(), "C1", "", trMessage("stored"))
		if err != nil {
			t.Fatalf("%d: %v", status, err)
		}
		posts := fake.Posts()
		if len(posts) != 1 {
			t.Fatalf("%d: %d messages in the channel, want 1: %+v", status, len(posts), posts)
		}
		if posts[0].TS != ts {
			t.Errorf("%d: Post returned ts %q, the stored message is %q", status, ts, posts[0].TS)
		}
		if n := fake.Calls("chat.postMessage"); n != 1 {
			t.Errorf("%d: chat.postMessage called %d times, want 1", status, n)
		}
	}
}

// Another message of the same bot in the channel (another key) is not
// mistaken for ours.
func TestTransportPostFindsOnlyItsOwnMessage(t *testing.T) {
	c, fake, _, _ := trPoster(t)
	if _, err := c.Post(context.Background(), "C1", "", trMessage("earlier")); err != nil {
		t.Fatal(err)
	}
	fake.FailNext(http.StatusServiceUnavailable, 0)
	ts, err := c.Post(context.Background(), "C1", "", trMessage("now"))
	if err != nil {
		t.Fatal(err)
	}
	posts := fake.Posts()
	if len(posts) != 2 || posts[1].Text != "now" || posts[1].TS != ts {
		t.Errorf("posts = %+v", posts)
	}
}

func TestTransportPostInThreadStoredThenFailed(t *testing.T) {
	c, fake, _, _ := trPoster(t)
	parent, err := c.Post(context.Background(), "C1", "", trMessage("parent"))
	if err != nil {
		t.Fatal(err)
	}
	fake.FailAfterStore(http.StatusInternalServerError)
	ts, err := c.Post(context.Background(), "C1", parent, trMessage("reply"))
	if err != nil {
		t.Fatal(err)
	}
	posts := fake.Posts()
	if len(posts) != 2 || posts[1].ThreadTS != parent || posts[1].TS != ts {
		t.Errorf("posts = %+v, want the parent and one reply %s", posts, ts)
	}
	if n := fake.Calls("conversations.replies"); n != 1 {
		t.Errorf("conversations.replies called %d times, want 1", n)
	}
}

func TestTransportPostAPIErrorIsNotRetried(t *testing.T) {
	c, fake, sleeps, _ := trPoster(t)
	fake.ErrorNext("channel_not_found")
	_, err := c.Post(context.Background(), "C404", "", trMessage("nowhere"))
	var se slackapi.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "channel_not_found" {
		t.Fatalf("err = %#v, want channel_not_found", err)
	}
	if n := fake.Calls("chat.postMessage"); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
	if w := sleeps.all(); len(w) != 0 {
		t.Errorf("waited %v before giving up", w)
	}
	if n := len(fake.Posts()); n != 0 {
		t.Errorf("%d posts", n)
	}
}

// A message past Block Kit's limits is refused by Slack; the bot's own
// messages must never be.
func TestTransportPostRefusedBlocksAreNotRetried(t *testing.T) {
	c, fake, _, _ := trPoster(t)
	long := bot.Message{Text: "x", Blocks: []slackapi.Block{slackapi.NewSectionBlock(slackapi.NewTextBlockObject(slackapi.MarkdownType, strings.Repeat("長", 3001), false, false), nil, nil)}}
	if _, err := c.Post(context.Background(), "C1", "", long); err == nil || !strings.Contains(err.Error(), "invalid_blocks") {
		t.Errorf("err = %v, want invalid_blocks", err)
	}
	if n := fake.Calls("chat.postMessage"); n != 1 {
		t.Errorf("%d attempts", n)
	}
}

func TestTransportPostGivesUpAfterMaxAttempts(t *testing.T) {
	c, fake, sleeps, _ := trPoster(t)
	c.Retry.MaxAttempts = 3
	for range 5 {
		fake.FailNext(http.StatusServiceUnavailable, 0)
	}
	_, err := c.Post(context.Background(), "C1", "", trMessage("down"))
	var sc slackapi.StatusCodeError
	if !errors.As(err, &sc) || sc.Code != http.StatusServiceUnavailable {
		t.Errorf("err = %#v", err)
	}
	if n := fake.Calls("chat.postMessage"); n != 3 {
		t.Errorf("%d attempts, want MaxAttempts = 3", n)
	}
	if w := sleeps.all(); len(w) != 2 {
		t.Errorf("waits = %v, want 2 between 3 attempts", w)
	}
	if n := len(fake.Posts()); n != 0 {
		t.Errorf("%d posts", n)
	}
}

func TestTransportPostStopsWhenCancelled(t *testing.T) {
	c, fake, _, _ := trPoster(t)
	ctx, cancel := context.WithCancel(context.Background())
	c.Sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}
	fake.FailNext(http.StatusTooManyRequests, 30)
	if _, err := c.Post(ctx, "C1", "", trMessage("cancelled")); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := fake.Calls("chat.postMessage"); n != 1 {
		t.Errorf("%d attempts after cancel", n)
	}
}

func TestTransportRespondRetriesRateLimit(t *testing.T) {
	c, fake, sleeps, _ := trPoster(t)
	fake.FailNextResponse(http.StatusTooManyRequests, 1)
	m := trMessage("answer")
	m.InChannel = true
	if err := c.Respond(context.Background(), fake.ResponseURL("r"), m, true); err != nil {
		t.Fatal(err)
	}
	resp := fake.Responses()
	if len(resp) != 1 {
		t.Fatalf("%d responses, want 1", len(resp))
	}
	if r := resp[0]; r.Text != "answer" || r.ResponseType != "in_channel" || !r.ReplaceOriginal || !strings.Contains(string(r.Blocks), "*answer*") {
		t.Errorf("response = %+v", r)
	}
	if w := sleeps.all(); !slices.Equal(w, []time.Duration{time.Second}) {
		t.Errorf("waits = %v, want [1s]", w)
	}
	if n := fake.Calls("response_url"); n != 2 {
		t.Errorf("response_url called %d times, want 2", n)
	}
}

func TestTransportRespondEphemeralAndServerError(t *testing.T) {
	c, fake, _, _ := trPoster(t)
	fake.FailNextResponse(http.StatusBadGateway, 0)
	if err := c.Respond(context.Background(), fake.ResponseURL("e"), trMessage("just you"), false); err != nil {
		t.Fatal(err)
	}
	resp := fake.Responses()
	if len(resp) != 1 || resp[0].ResponseType != "ephemeral" || resp[0].ReplaceOriginal {
		t.Errorf("responses = %+v", resp)
	}
}

func TestTransportAuthTest(t *testing.T) {
	c, _, _, _ := trPoster(t)
	id, err := c.AuthTest(context.Background())
	if err != nil || id != "UBOT" {
		t.Errorf("AuthTest = %q, %v", id, err)
	}
}

// Deliver is the one-attempt path of the outbox: its errors carry the
// retry advice instead of retrying.
func TestTransportDeliverClassifiesErrors(t *testing.T) {
	c, fake, _, _ := trPoster(t)
	ctx := context.Background()
	type advice interface {
		RetryAfter() time.Duration
		Temporary() bool
	}
	fake.FailNext(http.StatusTooManyRequests, 4)
	_, err := c.Deliver(ctx, "C1", "k1", "digest", nil)
	var a advice
	if !errors.As(err, &a) || a.RetryAfter() != 4*time.Second || !a.Temporary() {
		t.Errorf("429: err = %#v", err)
	}
	fake.FailAfterStore(http.StatusInternalServerError)
	_, err = c.Deliver(ctx, "C1", "k1", "digest", nil)
	if !errors.As(err, &a) || !a.Temporary() {
		t.Errorf("500: err = %#v", err)
	}
	ts, found, err := c.Delivered(ctx, "C1", "k1", time.Now().Add(-time.Hour))
	if err != nil || !found || ts != fake.Posts()[0].TS {
		t.Errorf("Delivered = %q %v %v", ts, found, err)
	}
	fake.ErrorNext("not_in_channel")
	_, err = c.Deliver(ctx, "C1", "k2", "digest", nil)
	if !errors.As(err, &a) || a.Temporary() {
		t.Errorf("not_in_channel: err = %#v, want permanent", err)
	}
	if _, found, _ := c.Delivered(ctx, "C1", "k2", time.Now().Add(-time.Hour)); found {
		t.Errorf("a refused message was found")
	}
}
