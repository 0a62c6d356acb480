package storage

import (
	"errors"
	"testing"
	"time"
)

// advice is an error as a delivery classifies it.
type advice struct {
	after time.Duration
	temp  bool
}

func (a advice) Error() string             { return "failed" }
func (a advice) RetryAfter() time.Duration { return a.after }
func (a advice) Temporary() bool           { return a.temp }

// TestRetryPolicyNext: the one rule both deliveries follow. The service's
// Retry-After is obeyed as given; a temporary failure backs off within
// its step (half to all of First doubled per attempt, capped); anything
// else, and every error past MaxAttempts, is final.
func TestRetryPolicyNext(t *testing.T) {
	p := RetryPolicy{First: time.Second, Ceiling: 8 * time.Second, MaxAttempts: 5}
	tests := []struct {
		name    string
		err     error
		attempt int
		lo, hi  time.Duration
		asked   bool
		retry   bool
	}{
		{name: "429 waits what Slack asked", err: advice{after: 7 * time.Second}, attempt: 1, lo: 7 * time.Second, hi: 7 * time.Second, asked: true, retry: true},
		{name: "429 wrapped", err: wrap(advice{after: 3 * time.Second}), attempt: 2, lo: 3 * time.Second, hi: 3 * time.Second, asked: true, retry: true},
		{name: "5xx first step", err: advice{temp: true}, attempt: 1, lo: 500 * time.Millisecond, hi: time.Second, retry: true},
		{name: "5xx third step", err: advice{temp: true}, attempt: 3, lo: 2 * time.Second, hi: 4 * time.Second, retry: true},
		{name: "5xx capped", err: advice{temp: true}, attempt: 4, lo: 4 * time.Second, hi: 8 * time.Second, retry: true},
		{name: "refused is final", err: errors.New("invalid_blocks"), attempt: 1},
		{name: "no advice is final", err: advice{}, attempt: 1},
		{name: "past MaxAttempts", err: advice{after: time.Second}, attempt: 5},
		{name: "no error", err: nil, attempt: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 50 { // the jitter: every draw within the step
				wait, asked, retry := p.Next(tt.err, tt.attempt)
				if retry != tt.retry || asked != tt.asked {
					t.Fatalf("retry %v asked %v, want %v %v", retry, asked, tt.retry, tt.asked)
				}
				if retry && (wait < tt.lo || wait > tt.hi) {
					t.Fatalf("wait %v, want within [%v, %v]", wait, tt.lo, tt.hi)
				}
			}
		})
	}
	capped := RetryPolicy{First: time.Second, Ceiling: 8 * time.Second, MaxWait: 30 * time.Second}
	if w, asked, retry := capped.Next(advice{after: 30 * time.Second}, 1); !retry || !asked || w != 30*time.Second {
		t.Errorf("a 429 asking for MaxWait: %v %v %v, want waited for", w, asked, retry)
	}
	if _, _, retry := capped.Next(advice{after: 31 * time.Second}, 1); retry {
		t.Error("a 429 asking for more than MaxWait was waited for")
	}
	if _, _, retry := OutboxRetry.Next(advice{temp: true}, 1000); !retry {
		t.Error("the outbox gave up by attempts; it gives up by a message's age")
	}
	if w := OutboxRetry.Backoff(1000); w > 5*time.Minute || w < 150*time.Second {
		t.Errorf("the outbox's backoff after many attempts: %v, want 2.5-5 min", w)
	}
}

func wrap(err error) error { return errors.Join(errors.New("post"), err) }
