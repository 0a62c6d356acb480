package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
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
}

// Delivery posts to chat. Deliver makes one attempt and carries key with the
// message so that Delivered can later find it: after an attempt whose
// outcome is unknown (the process died, or the connection broke), the
// sender asks Delivered before posting again.
//
// Errors may implement RetryAfter() time.Duration (the service asked us to
// wait) and Temporary() bool (worth another try); any other error is final.
type Delivery interface {
	Deliver(ctx context.Context, channel, key string, m Rendered) (ts string, err error)
	Delivered(ctx context.Context, channel, key string, since time.Time) (ts string, found bool, err error)
}

// Sender defaults.
const (
	DefaultLease       = 2 * time.Minute
	DefaultGiveUpAfter = 24 * time.Hour
	maxBackoff         = 5 * time.Minute
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
}

// drains numbers the drains of this process.
var drains atomic.Int64

// Drain delivers every due message and returns how many it sent.
// Messages that must wait (429, an outage) are rescheduled in the outbox,
// not slept on, so a drain never blocks and a restart loses no retry.
func (s *Sender) Drain(ctx context.Context) (int, error) {
	owner := fmt.Sprintf("%s#%d", s.Owner, drains.Add(1))
	sent := 0
	for {
		claimed, err := s.Store.ClaimOutbox(ctx, owner, s.now(), s.lease(), claimBatch)
		if err != nil {
			return sent, err
		}
		if len(claimed) == 0 {
			return sent, nil
		}
		for i := range claimed {
			if ok, err := s.deliver(ctx, owner, &claimed[i]); err != nil {
				return sent, err
			} else if ok {
				sent++
			}
		}
	}
}

// deliver makes one attempt at one claimed message and records the outcome.
func (s *Sender) deliver(ctx context.Context, owner string, m *storage.OutboxMessage) (bool, error) {
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
			return true, s.Store.MarkSent(ctx, m.ID, owner, ts, s.now())
		}
	}
	ts, err := s.Delivery.Deliver(ctx, m.Channel, m.Key, Rendered{Text: m.Text, Blocks: []byte(m.Blocks)})
	if err == nil {
		log.InfoContext(ctx, "delivered", "ts", ts)
		return true, s.Store.MarkSent(ctx, m.ID, owner, ts, s.now())
	}
	now := s.now()
	wait, retry := retryable(err, m.Attempts)
	if !retry || now.Add(wait).Sub(m.CreatedAt) > s.giveUpAfter() {
		log.ErrorContext(ctx, "giving up on a message", "err", err)
		return false, s.Store.MarkFailed(ctx, m.ID, owner, err.Error(), now)
	}
	log.WarnContext(ctx, "delivery failed; will retry", "wait", wait, "err", err)
	return false, s.Store.Reschedule(ctx, m.ID, owner, now.Add(wait), err.Error())
}

// retryable says whether a failed delivery is worth another try, and when.
func retryable(err error, attempts int) (time.Duration, bool) {
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		return ra.RetryAfter(), true
	}
	var tmp interface{ Temporary() bool }
	if errors.As(err, &tmp) && tmp.Temporary() {
		return backoff(attempts), true
	}
	return 0, false
}

// backoff grows from 10 s to maxBackoff with jitter, so that after an
// outage a message goes out within minutes of Slack's return.
func backoff(attempts int) time.Duration {
	d := math.Min(float64(maxBackoff), float64(10*time.Second)*math.Pow(2, float64(attempts-1)))
	return time.Duration(d/2 + rand.Float64()*d/2)
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
