package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

var t0 = time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)

// enqueueN puts n messages per channel in the outbox at t0, keyed
// "msg:<channel>:<i>".
func enqueueN(t *testing.T, db *storage.DB, channels []string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		for _, ch := range channels {
			_, err := db.Enqueue(context.Background(), storage.OutboxMessage{
				Key: fmt.Sprintf("msg:%s:%02d", ch, i), ShopID: "s", Kind: "test", Channel: ch, Text: fmt.Sprint(i), Blocks: "[]",
			}, t0)
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

func senderWorld(t *testing.T) (*storage.DB, string, *chat) {
	t.Helper()
	db, path := openDB(t)
	addShop(t, db, "s", "Asia/Shanghai", "C1")
	return db, path, newChat()
}

func drain(t *testing.T, s *Sender, now time.Time) int {
	t.Helper()
	s.Now = func() time.Time { return now }
	n, err := s.Drain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSenderRateLimitedThreeTimes(t *testing.T) {
	db, _, c := senderWorld(t)
	enqueueN(t, db, []string{"C1"}, 1)
	c.faults = []fault{{err: rateLimited(30 * time.Second)}, {err: rateLimited(30 * time.Second)}, {err: rateLimited(30 * time.Second)}}
	s := &Sender{Store: db, Delivery: c, Owner: "a", Log: quiet}

	now := t0
	for i := 0; i < 3; i++ {
		if n := drain(t, s, now); n != 0 {
			t.Fatalf("attempt %d sent %d while rate limited", i+1, n)
		}
		// Before Retry-After has passed nothing is tried.
		calls := c.calls
		drain(t, s, now.Add(29*time.Second))
		if c.calls != calls {
			t.Fatalf("retried before Retry-After")
		}
		now = now.Add(30 * time.Second)
	}
	if n := drain(t, s, now); n != 1 {
		t.Fatalf("fourth attempt sent %d", n)
	}
	drain(t, s, now.Add(time.Hour))
	if got := c.keys("C1"); len(got) != 1 {
		t.Fatalf("channel got %v, want one message", got)
	}
	m, _ := db.FindOutbox(context.Background(), "msg:C1:00")
	if m.SentAt == nil || m.TS == "" || m.Attempts != 4 {
		t.Fatalf("outbox row = %+v", m)
	}
}

func TestSenderSlackDownForAnHour(t *testing.T) {
	db, _, c := senderWorld(t)
	enqueueN(t, db, []string{"C1", "C2"}, 5)
	s := &Sender{Store: db, Delivery: c, Owner: "a", Log: quiet}
	c.down = true
	for m := 0; m <= 60; m++ {
		drain(t, s, t0.Add(time.Duration(m)*time.Minute))
	}
	if c.total() != 0 {
		t.Fatal("posted while Slack was down")
	}
	c.down = false
	// Backoff is capped at 5 minutes: within that, everything arrives.
	for m := 61; m <= 66; m++ {
		drain(t, s, t0.Add(time.Duration(m)*time.Minute))
	}
	for _, ch := range []string{"C1", "C2"} {
		got := c.keys(ch)
		if len(got) != 5 {
			t.Fatalf("%s got %d messages after Slack returned, want 5", ch, len(got))
		}
		for i, k := range got {
			if want := fmt.Sprintf("msg:%s:%02d", ch, i); k != want {
				t.Fatalf("%s message %d is %s, want %s (order per channel)", ch, i, k, want)
			}
		}
	}
}

func TestSenderAmbiguousFailureIsNotPostedTwice(t *testing.T) {
	db, _, c := senderWorld(t)
	enqueueN(t, db, []string{"C1"}, 1)
	// Slack stored the message but the answer was a 503.
	c.faults = []fault{{err: serverError, stored: true}}
	s := &Sender{Store: db, Delivery: c, Owner: "a", Log: quiet}
	drain(t, s, t0)
	drain(t, s, t0.Add(10*time.Minute))
	if got := c.keys("C1"); len(got) != 1 {
		t.Fatalf("channel got %v, want the message once", got)
	}
	if m, _ := db.FindOutbox(context.Background(), "msg:C1:00"); m.SentAt == nil {
		t.Fatalf("message not recorded as sent: %+v", m)
	}
}

// diesAfterPost is an outbox store whose MarkSent never happens: the
// process is killed between Slack's answer and the record.
type diesAfterPost struct{ *storage.DB }

var errKilled = errors.New("killed")

func (d diesAfterPost) MarkSent(context.Context, int64, string, string, time.Time) error {
	return errKilled
}

func TestSenderKilledBetweenPostAndRecord(t *testing.T) {
	db, _, c := senderWorld(t)
	enqueueN(t, db, []string{"C1"}, 2)
	dying := &Sender{Store: diesAfterPost{db}, Delivery: c, Owner: "old", Log: quiet, Now: func() time.Time { return t0 }}
	if _, err := dying.Drain(context.Background()); !errors.Is(err, errKilled) {
		t.Fatalf("Drain = %v", err)
	}
	if got := c.keys("C1"); len(got) != 1 {
		t.Fatalf("before the restart the channel has %v", got)
	}

	// The new process starts. While the dead one's lease holds, the
	// message is left alone; after it, the new sender finds the message in
	// the channel by its key instead of posting it again.
	fresh := &Sender{Store: db, Delivery: c, Owner: "new", Log: quiet}
	drain(t, fresh, t0.Add(time.Minute))
	if got := c.keys("C1"); len(got) != 1 {
		t.Fatalf("posted during the dead sender's lease: %v", got)
	}
	drain(t, fresh, t0.Add(DefaultLease+time.Second))
	if got := c.keys("C1"); len(got) != 2 || got[0] != "msg:C1:00" || got[1] != "msg:C1:01" {
		t.Fatalf("after the restart the channel has %v, want each message once", got)
	}
	m, _ := db.FindOutbox(context.Background(), "msg:C1:00")
	if m.SentAt == nil || m.TS != "1700000000.000001" {
		t.Fatalf("first message = %+v, want it recorded with the ts of the first post", m)
	}

	// The window that remains: without access to channel history the new
	// sender cannot tell, and posts again. The README says so.
	db2, _, c2 := senderWorld(t)
	enqueueN(t, db2, []string{"C1"}, 1)
	(&Sender{Store: diesAfterPost{db2}, Delivery: c2, Owner: "old", Log: quiet, Now: func() time.Time { return t0 }}).Drain(context.Background())
	c2.noHistory = true
	drain(t, &Sender{Store: db2, Delivery: c2, Owner: "new", Log: quiet}, t0.Add(DefaultLease+time.Second))
	if got := c2.keys("C1"); len(got) != 2 {
		t.Fatalf("without history the message was posted %d times; the documented window says 2", len(got))
	}
}

func TestTwoSendersRacing(t *testing.T) {
	db, path, c := senderWorld(t)
	channels := []string{"C1", "C2", "C3", "C4"}
	enqueueN(t, db, channels, 10)
	// A second process: its own connection pool on the same file.
	other, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	senders := []*Sender{
		{Store: db, Delivery: c, Owner: "a", Log: quiet},
		{Store: other, Delivery: c, Owner: "b", Log: quiet},
	}
	var wg sync.WaitGroup
	for _, s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				at := t0.Add(time.Duration(i) * time.Second)
				s.Now = func() time.Time { return at }
				if _, err := s.Drain(context.Background()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, ch := range channels {
		got := c.keys(ch)
		if len(got) != 10 {
			t.Fatalf("%s got %d messages, want 10 exactly", ch, len(got))
		}
		for i, k := range got {
			if want := fmt.Sprintf("msg:%s:%02d", ch, i); k != want {
				t.Fatalf("%s message %d is %s, want %s", ch, i, k, want)
			}
		}
	}
}

func TestSenderPermanentFailureMovesOn(t *testing.T) {
	db, _, c := senderWorld(t)
	enqueueN(t, db, []string{"C1"}, 2)
	c.faults = []fault{{err: notInChan}}
	s := &Sender{Store: db, Delivery: c, Owner: "a", Log: quiet}
	drain(t, s, t0)
	m, _ := db.FindOutbox(context.Background(), "msg:C1:00")
	if m.FailedAt == nil || m.LastError != "channel_not_found" {
		t.Fatalf("first message = %+v, want failed", m)
	}
	if got := c.keys("C1"); len(got) != 1 || got[0] != "msg:C1:01" {
		t.Fatalf("channel got %v, want the second message", got)
	}
}

func TestSenderGivesUpAfterADay(t *testing.T) {
	db, _, c := senderWorld(t)
	enqueueN(t, db, []string{"C1"}, 1)
	c.down = true
	s := &Sender{Store: db, Delivery: c, Owner: "a", Log: quiet}
	for h := 0; h <= 25; h++ {
		drain(t, s, t0.Add(time.Duration(h)*time.Hour))
	}
	m, _ := db.FindOutbox(context.Background(), "msg:C1:00")
	if m.FailedAt == nil || m.SentAt != nil {
		t.Fatalf("after a day of outage the message is %+v, want failed", m)
	}
}

// slowChat is a chat where each delivery takes 50 seconds, and during the
// second one another sender runs.
type slowChat struct {
	*chat
	clock  *time.Time
	calls  int
	during func()
}

func (s *slowChat) Deliver(ctx context.Context, channel, key string, m Rendered) (string, error) {
	s.calls++
	*s.clock = s.clock.Add(50 * time.Second)
	if s.calls == 2 {
		s.during()
	}
	return s.chat.Deliver(ctx, channel, key, m)
}

// A drain claims a batch at once; a message late in the batch can outlive
// its lease while earlier ones are posted. Its sender must renew the lease
// before posting, and leave the message alone if another sender took it.
func TestLapsedLeaseIsNotPostedUnder(t *testing.T) {
	db, _, c := senderWorld(t)
	enqueueN(t, db, []string{"C1", "C2", "C3"}, 1)
	clock := t0
	now := func() time.Time { return clock }
	slow := &slowChat{chat: c, clock: &clock}
	a := &Sender{Store: db, Delivery: slow, Owner: "a", Log: quiet, Now: now, Lease: time.Minute}
	b := &Sender{Store: db, Delivery: c, Owner: "b", Log: quiet, Now: now, Lease: time.Minute}
	slow.during = func() {
		// 100 s in: C3's claim (made at t0 for a minute) has lapsed.
		if _, err := b.Drain(context.Background()); err != nil {
			t.Error(err)
		}
	}
	if _, err := a.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, ch := range []string{"C1", "C2", "C3"} {
		if got := c.keys(ch); len(got) != 1 {
			t.Fatalf("%s got %v, want its message once", ch, got)
		}
	}
}

// clock is a fake clock that moves only when slept on.
type clock struct {
	t     time.Time
	slept []time.Duration
}

func (c *clock) Now() time.Time { return c.t }

func (c *clock) Sleep(_ context.Context, d time.Duration) error {
	c.t = c.t.Add(d)
	c.slept = append(c.slept, d)
	return nil
}

// DeliverWithin waits as the retry policy says, on the injected clock,
// and no longer than it is given.
func TestDeliverWithin(t *testing.T) {
	tests := []struct {
		name   string
		faults []fault
		down   bool
		// ahead is a message enqueued before the awaited one, in its
		// channel, that is not awaited but must go first.
		ahead         bool
		within        time.Duration
		wantDelivered int
		wantPending   int
		wantSlept     []time.Duration // nil: check only the total
		wantRetries   int             // -1: any number
		wantPosts     int
	}{
		{
			name:          "429 three times",
			faults:        []fault{{err: rateLimited(time.Second)}, {err: rateLimited(time.Second)}, {err: rateLimited(time.Second)}},
			within:        2 * time.Minute,
			wantDelivered: 1,
			wantSlept:     []time.Duration{time.Second, time.Second, time.Second},
			wantRetries:   3,
			wantPosts:     1,
		},
		{
			name:        "one attempt",
			faults:      []fault{{err: rateLimited(time.Second)}},
			within:      0,
			wantPending: 1,
			wantSlept:   []time.Duration{},
		},
		{
			name:        "Retry-After beyond the time given",
			faults:      []fault{{err: rateLimited(5 * time.Minute)}},
			within:      2 * time.Minute,
			wantPending: 1,
			wantSlept:   []time.Duration{},
		},
		{
			name:        "down for good",
			down:        true,
			within:      2 * time.Minute,
			wantPending: 1,
			wantRetries: -1,
		},
		{
			name:          "a server error, then taken",
			faults:        []fault{{err: serverError}},
			within:        2 * time.Minute,
			wantDelivered: 1,
			wantRetries:   1,
			wantPosts:     1,
		},
		{
			name:          "behind a rate-limited message of the channel",
			faults:        []fault{{err: rateLimited(30 * time.Second)}},
			ahead:         true,
			within:        2 * time.Minute,
			wantDelivered: 1,
			wantSlept:     []time.Duration{30 * time.Second},
			wantRetries:   1,
			wantPosts:     2,
		},
		{
			name:        "refused for good",
			faults:      []fault{{err: notInChan}},
			within:      2 * time.Minute,
			wantSlept:   []time.Duration{},
			wantRetries: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _, c := senderWorld(t)
			ctx := context.Background()
			if tt.ahead {
				db.Enqueue(ctx, storage.OutboxMessage{Key: "ahead", ShopID: "s", Kind: "test", Channel: "C1", Text: "first", Blocks: "[]"}, t0)
			}
			db.Enqueue(ctx, storage.OutboxMessage{Key: "awaited", ShopID: "s", Kind: "test", Channel: "C1", Text: "second", Blocks: "[]"}, t0)
			c.faults, c.down = tt.faults, tt.down
			clk := &clock{t: t0}
			s := &Sender{Store: db, Delivery: c, Owner: "run", Log: quiet, Now: clk.Now, Sleep: clk.Sleep}
			retries := 0
			st, err := s.DeliverWithin(ctx, []string{"awaited"}, tt.within, func(rs []Retry) { retries += len(rs) })
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Delivered) != tt.wantDelivered || len(st.Pending) != tt.wantPending {
				t.Fatalf("delivered %d, pending %d; want %d, %d", len(st.Delivered), len(st.Pending), tt.wantDelivered, tt.wantPending)
			}
			if tt.wantDelivered+tt.wantPending == 0 && len(st.Failed) != 1 {
				t.Fatalf("failed %d, want the refused message", len(st.Failed))
			}
			if tt.wantSlept != nil && fmt.Sprint(clk.slept) != fmt.Sprint(tt.wantSlept) {
				t.Fatalf("slept %v, want %v", clk.slept, tt.wantSlept)
			}
			if waited := clk.t.Sub(t0); waited > tt.within {
				t.Fatalf("waited %v, more than %v", waited, tt.within)
			}
			if tt.wantRetries >= 0 && retries != tt.wantRetries {
				t.Fatalf("told of %d retries, want %d", retries, tt.wantRetries)
			}
			if got := c.keys("C1"); len(got) != tt.wantPosts {
				t.Fatalf("channel got %v, want %d posts", got, tt.wantPosts)
			}
		})
	}
}
