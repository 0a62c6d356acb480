package jobs

import (
	"context"
	"errors"
	"fmt"
	"github.com/dsrbot/dsrbot/storage/dbtest"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// chat is a fake chat service that behaves like Slack for the sender: it
// keeps each channel's messages with their keys (Slack keeps them in the
// message metadata), answers Delivered from them, and fails on request.
type chat struct {
	mu       sync.Mutex
	channels map[string][]posted
	// faults are returned by the next Deliver calls, in order. A fault
	// with stored set keeps the message and still fails: Slack took it but
	// the answer was lost.
	faults []fault
	// down fails every call with a 503 while set.
	down bool
	// noHistory makes Delivered fail, as without the history scope.
	noHistory bool
	calls     int
	ts        int
}

type posted struct {
	key, text, ts string
}

type fault struct {
	err    error
	stored bool
}

// slackErr is a delivery error with the retry advice bot's client gives.
type slackErr struct {
	msg   string
	after time.Duration
	temp  bool
}

func (e *slackErr) Error() string             { return e.msg }
func (e *slackErr) RetryAfter() time.Duration { return e.after }
func (e *slackErr) Temporary() bool           { return e.temp }

var (
	rateLimited = func(after time.Duration) error { return &slackErr{msg: "429", after: after} }
	serverError = &slackErr{msg: "503 service unavailable", temp: true}
	notInChan   = &slackErr{msg: "channel_not_found"}
)

func newChat() *chat { return &chat{channels: map[string][]posted{}} }

func (c *chat) Deliver(_ context.Context, channel, key string, m Rendered) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.down {
		return "", serverError
	}
	if len(c.faults) > 0 {
		f := c.faults[0]
		c.faults = c.faults[1:]
		if !f.stored {
			return "", f.err
		}
		c.store(channel, key, m.Text)
		return "", f.err
	}
	return c.store(channel, key, m.Text), nil
}

func (c *chat) store(channel, key, text string) string {
	c.ts++
	ts := fmt.Sprintf("1700000000.%06d", c.ts)
	c.channels[channel] = append(c.channels[channel], posted{key, text, ts})
	return ts
}

func (c *chat) Delivered(_ context.Context, channel, key string, _ time.Time) (string, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.noHistory {
		return "", false, errors.New("missing_scope")
	}
	for _, p := range c.channels[channel] {
		if p.key == key {
			return p.ts, true, nil
		}
	}
	return "", false, nil
}

// keys returns the keys posted to a channel, in order.
func (c *chat) keys(channel string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, p := range c.channels[channel] {
		out = append(out, p.key)
	}
	return out
}

func (c *chat) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, ps := range c.channels {
		n += len(ps)
	}
	return n
}

var shanghai = mustLoad("Asia/Shanghai")

// quiet is the logger of tests: what they check is in the chat and the
// database, not in log lines.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// openDB opens a fresh database file in a temp dir.
func openDB(t testing.TB) (*storage.DB, string) {
	t.Helper()
	path := dbtest.Target(t, filepath.Join(t.TempDir(), "dsrbot.db"))
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// addShop creates a shop bound to a channel.
func addShop(t testing.TB, db *storage.DB, id, tz, channel string) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.CreateShop(ctx, storage.Shop{ID: id, Name: "Shop " + id, Platform: storage.Douyin, TZ: tz}, "Asia/Shanghai", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.BindChannel(ctx, id, channel); err != nil {
		t.Fatal(err)
	}
}

// plainRender renders a digest as one line that tests can read.
type plainRender struct{}

func (plainRender) Digest(r *storage.DigestReport, chartFile string, scheduled time.Time, late bool) (Rendered, error) {
	text := fmt.Sprintf("digest %s %s new=%d", r.Shop.ID, r.Today, r.UnreportedCount)
	if chartFile != "" {
		text += " chart=" + chartFile
	}
	if late {
		text += " late, due " + scheduled.In(r.Shop.Location()).Format("15:04")
	}
	return Rendered{Text: text, Blocks: []byte(`[]`)}, nil
}
