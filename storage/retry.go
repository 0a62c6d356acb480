package storage

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"time"
)

// RetryPolicy is the one rule for trying a delivery to chat again, shared
// by the outbox sender (jobs) and the transport's answers (bot/slack), so
// that both read a failure the same way. The transport only classifies
// what happened (the error's RetryAfter and Temporary, see Next); whether
// and when to try again is decided here.
//
// The two users differ only in their pace, not in the rule: the outbox
// retries a morning digest for up to a day and starts slow, so that after
// an outage a message goes out within minutes of Slack's return; an answer
// to a person is retried a few times within seconds, or not at all.
type RetryPolicy struct {
	// First is the ceiling of the first backoff; each further attempt
	// doubles it, up to Ceiling.
	First, Ceiling time.Duration
	// MaxAttempts bounds the tries of one call; 0 is unbounded (the
	// outbox gives up by the message's age instead).
	MaxAttempts int
	// MaxWait, when set, is the longest wait the service may ask for: a
	// 429 asking for more is final (a digest's chart is not worth it).
	MaxWait time.Duration
}

// The paces of the two deliveries.
var (
	// OutboxRetry paces the outbox: 10 s doubling to 5 min.
	OutboxRetry = RetryPolicy{First: 10 * time.Second, Ceiling: 5 * time.Minute}
	// AnswerRetry paces an answer to a person (a mention's reply, a
	// slash command's late answer, a button's update): 500 ms doubling
	// to 30 s, six tries in all.
	AnswerRetry = RetryPolicy{First: 500 * time.Millisecond, Ceiling: 30 * time.Second, MaxAttempts: 6}
)

// Backoff is how long to wait after the attempt-th failed try (from 1):
// First doubled per attempt up to Ceiling, of which a random half, so that
// many senders failing together do not come back together and none comes
// back at once.
func (p RetryPolicy) Backoff(attempt int) time.Duration {
	d := math.Min(float64(p.Ceiling), float64(p.First)*math.Pow(2, float64(max(attempt, 1)-1)))
	return time.Duration(d/2 + rand.Float64()*d/2)
}

// Next says whether the attempt-th failed try is worth another, and after
// how long. An error may carry the service's advice: RetryAfter() > 0 (it
// asked us to wait, HTTP 429: asked is true and the wait is its own), or
// Temporary() (a server or network error: Backoff). Anything else is
// final, and so is every error once MaxAttempts tries were made, and a
// wait asked for past MaxWait.
func (p RetryPolicy) Next(err error, attempt int) (wait time.Duration, asked, retry bool) {
	if err == nil || (p.MaxAttempts > 0 && attempt >= p.MaxAttempts) {
		return 0, false, false
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		if p.MaxWait > 0 && ra.RetryAfter() > p.MaxWait {
			return 0, false, false
		}
		return ra.RetryAfter(), true, true
	}
	var tmp interface{ Temporary() bool }
	if errors.As(err, &tmp) && tmp.Temporary() {
		return p.Backoff(attempt), false, true
	}
	return 0, false, false
}

// Do is the one loop of tries in process: try is called with the attempt
// number (from 1) until it returns nil or an error Next calls final, with
// sleep between (it ends the loop when ctx does); waiting, when set, hears
// of each failed attempt and the wait before the next. It returns try's
// last error, or sleep's. try returns its error as the service's advice
// reads (classified: RetryAfter, Temporary). The answers to a person and a
// digest chart's upload retry through it; the outbox sleeps on nothing:
// its sender reschedules the message (jobs.Sender).
func (p RetryPolicy) Do(ctx context.Context, sleep func(context.Context, time.Duration) error, try func(attempt int) error, waiting func(attempt int, wait time.Duration, err error)) error {
	for attempt := 1; ; attempt++ {
		err := try(attempt)
		if err == nil {
			return nil
		}
		wait, _, retry := p.Next(err, attempt)
		if !retry {
			return err
		}
		if waiting != nil {
			waiting(attempt, wait, err)
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// Sleep waits d between two tries, or until ctx ends (then its error):
// the real wait of both deliveries, which tests replace with a fake
// clock's.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
