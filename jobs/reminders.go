package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// Outbox kinds of the reminders job.
const (
	KindReminder  = "remind"
	KindFollowUps = "followups"
	KindCluster   = "cluster"
)

// ReminderStore is what the reminders job needs of the database.
type ReminderStore interface {
	ListShops(ctx context.Context) ([]storage.Shop, error)
	FindShop(ctx context.Context, id string) (*storage.Shop, error)
	Reminders(ctx context.Context, shop *storage.Shop, now time.Time) (*storage.ReminderReport, error)
	EnqueueReminders(ctx context.Context, r *storage.ReminderReport, msgs []storage.OutboxMessage, now time.Time) (int, error)
}

// ReminderRenderer is what the reminders job needs of a renderer: its
// three messages, a direct message to an owner whose follow-up is
// overdue, the channel's list of escalations and unassigned reviews, and
// a cluster alert.
type ReminderRenderer interface {
	Reminder(shop *storage.Shop, r *storage.Review, now time.Time) (Rendered, error)
	FollowUps(r *storage.ReminderReport) (Rendered, error)
	Cluster(shop *storage.Shop, c *storage.Cluster, now time.Time) (Rendered, error)
}

// Reminders is the hourly job that keeps follow-ups moving.
type Reminders struct {
	Store  ReminderStore
	Render ReminderRenderer
	Log    *slog.Logger
}

// Run enqueues the reminders of one shop, or of every bound shop, and
// returns how many messages it enqueued.
func (j *Reminders) Run(ctx context.Context, shopID string, now time.Time) (int, error) {
	var shops []storage.Shop
	if shopID != "" {
		s, err := j.Store.FindShop(ctx, shopID)
		if err != nil {
			return 0, err
		}
		shops = []storage.Shop{*s}
	} else {
		var err error
		if shops, err = j.Store.ListShops(ctx); err != nil {
			return 0, err
		}
	}
	total := 0
	for i := range shops {
		n, err := j.runShop(ctx, &shops[i], now)
		if err != nil {
			if shopID != "" {
				return total, err
			}
			j.log().ErrorContext(ctx, "reminders failed", "shop", shops[i].ID, "err", err)
			continue
		}
		total += n
	}
	return total, nil
}

func (j *Reminders) runShop(ctx context.Context, s *storage.Shop, now time.Time) (int, error) {
	r, msgs, err := j.build(ctx, s, now)
	if err != nil || r == nil {
		return 0, err
	}
	n, err := j.Store.EnqueueReminders(ctx, r, rows(msgs), now)
	if n > 0 {
		j.log().InfoContext(ctx, "reminders enqueued", "shop", s.ID, "messages", n)
	}
	return n, err
}

// Messages returns the messages Run would enqueue for the shop now,
// without enqueuing them or recording anything as said: `dsrbot run
// reminders` with no Slack token prints them. They are built by the code
// Run uses, so the preview leaves out what Run leaves out: a reminder to an
// owner who is not a Slack user, and the channel's messages of a shop
// bound to none.
func (j *Reminders) Messages(ctx context.Context, s *storage.Shop, now time.Time) ([]Outgoing, error) {
	_, msgs, err := j.build(ctx, s, now)
	return msgs, err
}

// build reads a shop's reminder report and renders the messages it calls
// for, changing nothing. The report comes back cut to what the messages
// say, which is what EnqueueReminders records; it is nil when there is
// nothing to say.
func (j *Reminders) build(ctx context.Context, s *storage.Shop, now time.Time) (*storage.ReminderReport, []Outgoing, error) {
	r, err := j.Store.Reminders(ctx, s, now)
	if err != nil || r.Empty() {
		return nil, nil, err
	}
	var msgs []Outgoing
	add := func(key, kind, channel string, m Rendered) {
		msgs = append(msgs, outgoing(key, s.ID, kind, channel, m))
	}
	// Only owners with a Slack user ID can get a direct message; the rest
	// (names typed in the local shell) stay out of this run's record.
	direct := r.Overdue[:0]
	for i := range r.Overdue {
		rv := &r.Overdue[i]
		// Owners named otherwise (typed in the local shell) cannot get a
		// direct message and are named in the channel.
		if !storage.IsSlackUserID(rv.Owner) {
			continue
		}
		m, err := j.Render.Reminder(&r.Shop, rv, now)
		if err != nil {
			return nil, nil, fmt.Errorf("render: %w", err)
		}
		// Once per follow-up and owner and cycle: reminded_at, cleared by a
		// reassignment or a reopening, is what keeps it to once, and the
		// cycle in the key lets the next cycle's reminder in.
		add(ReminderKey(r, rv), KindReminder, rv.Owner, m)
		direct = append(direct, *rv)
	}
	r.Overdue = direct
	if s.Channel != "" {
		if len(r.Escalate) > 0 || len(r.Unassigned) > 0 {
			m, err := j.Render.FollowUps(r)
			if err != nil {
				return nil, nil, fmt.Errorf("render: %w", err)
			}
			add(FollowUpsKey(r), KindFollowUps, s.Channel, m)
		}
		for i := range r.Clusters {
			c := &r.Clusters[i]
			m, err := j.Render.Cluster(&r.Shop, c, now)
			if err != nil {
				return nil, nil, fmt.Errorf("render: %w", err)
			}
			add(ClusterKey(s.ID, c), KindCluster, s.Channel, m)
		}
	} else {
		// Without a channel there is nobody to tell: leave escalations,
		// unassigned reviews and clusters for when one is bound.
		r.Escalate, r.Unassigned, r.Clusters = nil, nil, nil
	}
	return r, msgs, nil
}

func (j *Reminders) log() *slog.Logger {
	if j.Log == nil {
		return slog.Default()
	}
	return j.Log
}
