package jobs

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// counts is a Metrics that remembers what it heard.
type counts struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counts) add(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[k]++
}
func (c *counts) Delivered(kind string) { c.add("delivered " + kind) }
func (c *counts) Retried(kind string, thr bool) {
	c.add(fmt.Sprintf("retried %s throttled=%v", kind, thr))
}
func (c *counts) GaveUp(kind string) { c.add("gave up " + kind) }
func (c *counts) JobRan(job string, _ time.Duration, err error) {
	c.add(fmt.Sprintf("ran %s err=%v", job, err != nil))
}

// The sender counts each delivery, each retry (telling 429s apart) and
// each message given up on.
func TestSenderMetrics(t *testing.T) {
	db, _, c := senderWorld(t)
	enqueueN(t, db, []string{"C1", "C2", "C3"}, 1)
	c.faults = []fault{{err: rateLimited(time.Second)}, {err: serverError}, {err: notInChan}}
	m := &counts{}
	s := &Sender{Store: db, Delivery: c, Owner: "a", Log: quiet, Metrics: m}
	drain(t, s, t0)
	drain(t, s, t0.Add(time.Hour))
	want := map[string]int{
		"retried test throttled=true":  1,
		"retried test throttled=false": 1,
		"gave up test":                 1,
		"delivered test":               2,
	}
	if fmt.Sprint(m.n) != fmt.Sprint(want) {
		t.Fatalf("metrics heard %v, want %v", m.n, want)
	}
}

// stopOnDeliver stops its sender from inside the first delivery, as
// SIGTERM does while a message is on its way.
type stopOnDeliver struct {
	*chat
	s *Sender
}

func (d stopOnDeliver) Deliver(ctx context.Context, channel, key string, m Rendered) (string, error) {
	d.s.StopClaiming()
	return d.chat.Deliver(ctx, channel, key, m)
}

// A stopping sender finishes the message in hand, tries no other of its
// batch and claims nothing more.
func TestSenderStopClaiming(t *testing.T) {
	db, _, c := senderWorld(t)
	enqueueN(t, db, []string{"C1", "C2", "C3"}, 2)
	s := &Sender{Store: db, Log: quiet}
	s.Delivery = stopOnDeliver{c, s}
	if n := drain(t, s, t0); n != 1 {
		t.Fatalf("a stopping drain sent %d, want the one in hand", n)
	}
	if c.calls != 1 {
		t.Fatalf("%d delivery attempts after the stop, want 1", c.calls)
	}
	if n := drain(t, s, t0.Add(time.Hour)); n != 0 || c.calls != 1 {
		t.Fatalf("a stopped sender's next drain sent %d", n)
	}
	if n, _, _ := db.OutboxStats(context.Background()); n != 5 {
		t.Fatalf("%d pending, want 5", n)
	}
}
