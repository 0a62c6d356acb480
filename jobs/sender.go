package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// OutboxStore is what the sender needs of the database.
type OutboxStore interface {
	ClaimOutbox(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]storage.OutboxMessage, error)
	RenewClaim(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error)
	MarkSent(ctx context.Context, id int64, owner, ts string, now time.Time) error
	Reschedule(ctx context.Context, id int64, owner string, next time.Time, cause string) error
	MarkFailed(ctx context.Context, id int64, owner, cause string, now time.Time) error
	// For DeliverWithin: where given messages stand, and when each channel
	// can next be tried.
	OutboxByKeys(ctx context.Context, keys []string) ([]storage.OutboxMessage, error)
	NextInChannel(ctx context.Context, channel string) (*storage.OutboxMessage, bool, error)
}

// Delivery posts to chat. Deliver makes one attempt and carries key with the
// message so that Delivered can later find it: after an attempt whose
// outcome is unknown (the process died, or the connection broke), the
// sender asks Delivered before posting again.
//
// Errors may implement RetryAfter() time.Duration (the service asked us to
// wait) and Temporary() bool (worth another try); any other error is final.
// The delivery only says what happened; storage.OutboxRetry decides whether
// and when the message is tried again.
type Delivery interface {
	Deliver(ctx context.Context, channel, key string, m Rendered) (ts string, err error)
	Delivered(ctx context.Context, channel, key string, since time.Time) (ts string, found bool, err error)
}

// Sender defaults.
const (
	DefaultLease       = 2 * time.Minute
	DefaultGiveUpAfter = 24 * time.Hour
	claimBatch         = 16
)

// Sender delivers the outbox: each message once, each channel's messages in
// order, retrying for up to a day.
type Sender struct {
	Store    OutboxStore
	Delivery Delivery
	// Owner names this sender in claims; each drain adds a number of its
	// own, so two drains of one process never settle each other's claims.
	Owner string
	// Now is the clock, read afresh for every claim and attempt: a drain
	// can outlast a lease when Slack is slow.
	Now func() time.Time
	Log *slog.Logger
	// Lease is how long a claim holds; a sender that dies mid-delivery
	// loses its claim after it, and the next sender checks the channel
	// before posting.
	Lease time.Duration
	// GiveUpAfter is how long after it was enqueued a message is retried.
	GiveUpAfter time.Duration
	// Sleep waits in DeliverWithin, and must advance the clock Now reads:
	// tests pass a fake clock's, so that waiting out a Retry-After takes
	// no real time. Nil sleeps for real, until ctx ends.
	Sleep func(ctx context.Context, d time.Duration) error
	// Metrics counts deliveries, retries and 429s; nil counts nothing.
	Metrics Metrics

	// stopping is set by StopClaiming: a drain finishes the message in
	// hand and claims no more.
	stopping atomic.Bool
}

// StopClaiming makes every drain of this sender, running or to come, stop
// after the message it is delivering: a stopping process finishes what it
// has started and leaves the rest of the outbox to the other replicas.
// The messages it claimed and did not try keep their claim until it ends
// or storage's ReleaseClaims gives them back.
func (s *Sender) StopClaiming() { s.stopping.Store(true) }

// Retry is a failed attempt that will be tried again, and why: what a
// person waiting for the message is told.
type Retry struct {
	Key     string
	Channel string
	// Wait is how long until the next attempt. Asked says the service
	// asked for it (HTTP 429 with Retry-After); otherwise it is the
	// backoff of storage.OutboxRetry after a server or network error.
	Wait  time.Duration
	Asked bool
	Err   error
}

// drains numbers the drains of this process.
var drains atomic.Int64

// Drain delivers every due message and returns how many it sent.
// Messages that must wait (429, an outage) are rescheduled in the outbox,
// not slept on, so a drain never blocks and a restart loses no retry.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	return s.drain(ctx, nil)
}

// drain is Drain, telling onRetry (when set) of each attempt that failed
// and will be retried.
func (s *Sender) drain(ctx context.Context, onRetry func(Retry)) (int, error) {
	owner := fmt.Sprintf("%s#%d", s.Owner, drains.Add(1))
	sent := 0
	for !s.stopping.Load() {
		claimed, err := s.Store.ClaimOutbox(ctx, owner, s.now(), s.lease(), claimBatch)
		if err != nil {
			return sent, err
		}
		if len(claimed) == 0 {
			return sent, nil
		}
		for i := range claimed {
			if s.stopping.Load() {
				return sent, nil
			}
			if ok, err := s.deliver(ctx, owner, &claimed[i], onRetry); err != nil {
				return sent, err
			} else if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// deliver makes one attempt at one claimed message and records the outcome.
func (s *Sender) deliver(ctx context.Context, owner string, m *storage.OutboxMessage, onRetry func(Retry)) (bool, error) {
	log := s.log().With("key", m.Key, "channel", m.Channel, "attempt", m.Attempts)
	// Renew the lease right before the attempt: earlier messages of this
	// batch may have taken long enough for it to lapse and another sender
	// to take over, and then this one must not post.
	if ok, err := s.Store.RenewClaim(ctx, m.ID, owner, s.now(), s.lease()); err != nil || !ok {
		if err == nil {
			log.WarnContext(ctx, "lease lapsed before the attempt; leaving the message to its new sender")
		}
		return false, err
	}
	if m.Attempts > 1 {
		// An earlier attempt may have reached the channel: look first.
		ts, found, err := s.Delivery.Delivered(ctx, m.Channel, m.Key, m.CreatedAt.Add(-time.Minute))
		if err != nil {
			log.WarnContext(ctx, "cannot check whether an earlier attempt was delivered; posting again", "err", err)
		} else if found {
			log.InfoContext(ctx, "an earlier attempt was delivered")
			metricsOr(s.Metrics).Delivered(m.Kind)
			return true, s.Store.MarkSent(ctx, m.ID, owner, ts, s.now())
		}
	}
	ts, err := s.Delivery.Deliver(ctx, m.Channel, m.Key, Rendered{Text: m.Text, Blocks: []byte(m.Blocks)})
	if err == nil {
		log.InfoContext(ctx, "delivered", "ts", ts)
		metricsOr(s.Metrics).Delivered(m.Kind)
		return true, s.Store.MarkSent(ctx, m.ID, owner, ts, s.now())
	}
	now := s.now()
	wait, asked, retry := storage.OutboxRetry.Next(err, m.Attempts)
	if !retry || now.Add(wait).Sub(m.CreatedAt) > s.giveUpAfter() {
		log.ErrorContext(ctx, "giving up on a message", "err", err)
		metricsOr(s.Metrics).GaveUp(m.Kind)
		return false, s.Store.MarkFailed(ctx, m.ID, owner, err.Error(), now)
	}
	log.WarnContext(ctx, "delivery failed; will retry", "wait", wait, "err", err)
	metricsOr(s.Metrics).Retried(m.Kind, asked)
	if err := s.Store.Reschedule(ctx, m.ID, owner, now.Add(wait), err.Error()); err != nil {
		return false, err
	}
	if onRetry != nil {
		onRetry(Retry{Key: m.Key, Channel: m.Channel, Wait: wait, Asked: asked, Err: err})
	}
	return false, nil
}

// Settled is where the messages DeliverWithin waited for stand at its end.
type Settled struct {
	// Sent counts every message the drains delivered, the awaited ones
	// and any other that was due.
	Sent int
	// Delivered, Pending and Failed are the awaited messages: posted,
	// still to be retried (a sender delivers them later), given up on.
	Delivered, Pending, Failed []storage.OutboxMessage
}

// minWait keeps DeliverWithin from spinning when a channel is due but was
// not claimed (another sender's claim ended at that very moment).
const minWait = 250 * time.Millisecond

// DeliverWithin delivers the outbox until the messages with the keys are
// delivered or given up on, waiting between attempts as the retry policy
// says (Retry-After, else backoff) for at most within: `dsrbot run` must
// not exit with its message still waiting on a 429 that lasts a second,
// nor hang for the day a sender keeps retrying. It stops early when no
// awaited message can be tried again before the time is up, and makes a
// single attempt when within is 0. waiting, when set, hears of the failed
// attempts each time it is about to wait for their retry.
//
// It sleeps through s.Sleep and reads s.Now, so a test waits out a
// Retry-After on a fake clock in no time.
func (s *Sender) DeliverWithin(ctx context.Context, keys []string, within time.Duration, waiting func([]Retry)) (Settled, error) {
	var st Settled
	deadline := s.now().Add(within)
	for {
		var retries []Retry
		n, err := s.drain(ctx, func(r Retry) { retries = append(retries, r) })
		st.Sent += n
		if err != nil {
			return st, err
		}
		if err := s.settle(ctx, keys, &st); err != nil || len(st.Pending) == 0 || within <= 0 {
			return st, err
		}
		next, err := s.nextTry(ctx, st.Pending)
		if err != nil {
			return st, err
		}
		now := s.now()
		if next.After(deadline) || !now.Before(deadline) {
			return st, nil
		}
		if waiting != nil {
			if rs := retriesOf(retries, st.Pending); len(rs) > 0 {
				waiting(rs)
			}
		}
		if err := s.sleep(ctx, max(next.Sub(now), minWait)); err != nil {
			return st, err
		}
	}
}

// retriesOf keeps the retries that hold up the pending messages: their
// own, and those of earlier messages in their channels.
func retriesOf(retries []Retry, pending []storage.OutboxMessage) []Retry {
	channels := map[string]bool{}
	for _, m := range pending {
		channels[m.Channel] = true
	}
	var out []Retry
	for _, r := range retries {
		if channels[r.Channel] {
			out = append(out, r)
		}
	}
	return out
}

// settle sorts the awaited messages by where they stand.
func (s *Sender) settle(ctx context.Context, keys []string, st *Settled) error {
	rows, err := s.Store.OutboxByKeys(ctx, keys)
	if err != nil {
		return err
	}
	st.Delivered, st.Pending, st.Failed = nil, nil, nil
	for _, m := range rows {
		switch {
		case m.SentAt != nil:
			st.Delivered = append(st.Delivered, m)
		case m.FailedAt != nil:
			st.Failed = append(st.Failed, m)
		default:
			st.Pending = append(st.Pending, m)
		}
	}
	return nil
}

// nextTry is the earliest time a sender can try one of the channels of the
// pending messages: when the oldest message of the channel is due, since a
// channel's messages go in order.
func (s *Sender) nextTry(ctx context.Context, pending []storage.OutboxMessage) (time.Time, error) {
	var next time.Time
	seen := map[string]bool{}
	for _, m := range pending {
		if seen[m.Channel] {
			continue
		}
		seen[m.Channel] = true
		head, ok, err := s.Store.NextInChannel(ctx, m.Channel)
		if err != nil {
			return next, err
		}
		if !ok {
			// Delivered since it was read: worth a look at once.
			head = &m
		}
		if due := head.Due(); next.IsZero() || due.Before(next) {
			next = due
		}
	}
	return next, nil
}

func (s *Sender) sleep(ctx context.Context, d time.Duration) error {
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	return storage.Sleep(ctx, d)
}

func (s *Sender) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Sender) lease() time.Duration {
	if s.Lease == 0 {
		return DefaultLease
	}
	return s.Lease
}

func (s *Sender) giveUpAfter() time.Duration {
	if s.GiveUpAfter == 0 {
		return DefaultGiveUpAfter
	}
	return s.GiveUpAfter
}

func (s *Sender) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}
