package storage

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Reminder rules.
const (
	// UnassignedAfter is how long a bad review may wait without an owner
	// before the channel is told.
	UnassignedAfter = 2 * time.Hour
	// ClusterSize bad reviews on one product and aspect within
	// ClusterWindow make a cluster: a listing or stock problem, not bad luck.
	ClusterSize   = 3
	ClusterWindow = 48 * time.Hour
)

// Cluster is a run of bad reviews on one product about one aspect.
type Cluster struct {
	Product string
	Aspect  Aspect
	Reviews []Review
	// Key identifies the cluster's product and aspect in outbox keys.
	Key string
}

// ReminderReport is what the reminders job has to say about one shop: the
// follow-ups that became overdue (each owner gets a direct message), those
// past twice the deadline (the channel is told), bad reviews still without
// an owner, and new clusters.
type ReminderReport struct {
	Shop       Shop
	Now        time.Time
	Overdue    []Review
	Escalate   []Review
	Unassigned []Review
	Clusters   []Cluster
	// Cycles holds, for each review in the lists above (by row ID), the
	// history event that began its follow-up's current cycle: its latest
	// assignment or reopening, 0 when it has none. An assignment or a
	// reopening is what makes a follow-up worth a reminder again, so the
	// cycle is what tells a new reminder from a repeat of an old one.
	Cycles map[int64]int64
}

// Cycle returns the cycle of a review in the report (see Cycles).
func (r *ReminderReport) Cycle(rv *Review) int64 { return r.Cycles[rv.ID] }

// cycleActions are the history events that start a follow-up's reminder
// cycle: each clears what the reminders job recorded of the review.
var cycleActions = []string{"assigned", "auto-assigned", "reopened"}

// Empty reports whether there is nothing to say.
func (r *ReminderReport) Empty() bool {
	return len(r.Overdue) == 0 && len(r.Escalate) == 0 && len(r.Unassigned) == 0 && len(r.Clusters) == 0
}

// Reminders builds a shop's reminder report at now. Each review appears in
// each list once in its life: EnqueueReminders records what was said. It
// takes the shop its caller holds (see DayReport).
func (db *DB) Reminders(ctx context.Context, shop *Shop, now time.Time) (*ReminderReport, error) {
	shopID := shop.ID
	var err error
	r := &ReminderReport{Shop: *shop, Now: now.In(shop.Location())}
	deadline := shop.FollowUpDeadline()
	open := func() *gorm.DB {
		return db.gdb.WithContext(ctx).Where("shop_id = ? AND status = ?", shopID, StatusOpen).Order("created_at, id")
	}
	if err := open().Where("owner <> '' AND reminded_at IS NULL AND opened_at < ?", utc(now.Add(-deadline))).Find(&r.Overdue).Error; err != nil {
		return nil, err
	}
	// Escalations name owners; reviews nobody owns are named as unassigned.
	if err := open().Where("owner <> '' AND escalated_at IS NULL AND opened_at < ?", utc(now.Add(-2*deadline))).Find(&r.Escalate).Error; err != nil {
		return nil, err
	}
	if err := open().Where("owner = '' AND noted_at IS NULL AND created_at < ?", utc(now.Add(-UnassignedAfter))).Find(&r.Unassigned).Error; err != nil {
		return nil, err
	}
	if r.Clusters, err = db.newClusters(ctx, shopID, now); err != nil {
		return nil, err
	}
	if r.Cycles, err = db.cycles(ctx, r.Overdue, r.Escalate, r.Unassigned); err != nil {
		return nil, err
	}
	return r, nil
}

// cycles returns the cycle of each review in the lists (see
// ReminderReport.Cycles), through the index of a review's events.
func (db *DB) cycles(ctx context.Context, lists ...[]Review) (map[int64]int64, error) {
	var ids []int64
	for _, l := range lists {
		for _, rv := range l {
			ids = append(ids, rv.ID)
		}
	}
	out := make(map[int64]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ReviewPK int64
		Cycle    int64
	}
	err := db.gdb.WithContext(ctx).Model(&ReviewEvent{}).Select("review_pk, MAX(id) AS cycle").
		Where("review_pk IN ? AND action IN ?", ids, cycleActions).Group("review_pk").Scan(&rows).Error
	for _, row := range rows {
		out[row.ReviewPK] = row.Cycle
	}
	return out, err
}

// newClusters finds clusters in the last ClusterWindow that no alert in
// that window has named yet.
func (db *DB) newClusters(ctx context.Context, shopID string, now time.Time) ([]Cluster, error) {
	var recent []Review
	err := db.gdb.WithContext(ctx).Where("shop_id = ? AND rating <= ? AND created_at >= ? AND created_at <= ?",
		shopID, BadRating, utc(now.Add(-ClusterWindow)), utc(now)).Order("created_at, id").Find(&recent).Error
	if err != nil {
		return nil, err
	}
	groups := map[string]*Cluster{}
	for _, rv := range recent {
		for _, a := range rv.AspectList() {
			if a == AspectOther {
				continue
			}
			key := productKey(&rv) + ":" + string(a)
			c, ok := groups[key]
			if !ok {
				c = &Cluster{Product: rv.Product, Aspect: a, Key: key}
				groups[key] = c
			}
			c.Reviews = append(c.Reviews, rv)
		}
	}
	var out []Cluster
	for _, c := range groups {
		if len(c.Reviews) < ClusterSize {
			continue
		}
		var n int64
		err := db.gdb.WithContext(ctx).Model(&OutboxMessage{}).
			Where("key LIKE ? ESCAPE '\\' AND created_at >= ?", likePrefix(ClusterKeyPrefix(shopID, c.Key)), utc(now.Add(-ClusterWindow))).Count(&n).Error
		if err != nil {
			return nil, err
		}
		if n == 0 {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// ClusterKeyPrefix starts the outbox key of a cluster alert.
func ClusterKeyPrefix(shopID, clusterKey string) string {
	return "cluster:" + shopID + ":" + clusterKey + ":"
}

// productKey names a review's product for grouping: its ID, else its name.
func productKey(r *Review) string {
	k := r.ProductID
	if k == "" {
		k = r.Product
	}
	return strings.ReplaceAll(k, ":", "_")
}

// likePrefix escapes a LIKE pattern's wildcards and matches the prefix.
func likePrefix(p string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(p) + "%"
}

// EnqueueReminders writes the reminder messages and records, in the same
// transaction, what each review was reminded of, so the next run does not
// say it again. A message whose key is taken was said already (keys name
// what a message announces) and is not added again; a cluster already
// alerted in its window is not alerted again. Each record is conditional on
// the state that was read: if another run (or a reassignment) changed it in
// between, nothing is written and 0 is returned, so nothing is said twice
// or about the wrong owner. It returns how many messages were added.
func (db *DB) EnqueueReminders(ctx context.Context, r *ReminderReport, msgs []OutboxMessage, now time.Time) (int, error) {
	added := 0
	n := utc(now)
	err := db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		added = 0
		for i := range msgs {
			if msgs[i].Kind == "cluster" {
				// A cluster is alerted once per window, whoever gets there first.
				prefix := msgs[i].Key[:strings.LastIndex(msgs[i].Key, ":")+1]
				if err := db.d.lockName(tx, prefix); err != nil {
					return err
				}
				var seen int64
				if err := tx.Model(&OutboxMessage{}).Where("key LIKE ? ESCAPE '\\' AND created_at >= ?", likePrefix(prefix), utc(now.Add(-ClusterWindow))).Count(&seen).Error; err != nil {
					return err
				}
				if seen > 0 {
					continue
				}
			}
			ok, err := enqueue(tx, &msgs[i], now)
			if err != nil {
				return err
			}
			if ok {
				added++
			}
		}
		for _, rv := range r.Overdue {
			q := tx.Model(&Review{}).Where("id = ? AND owner = ? AND status = ? AND reminded_at IS NULL", rv.ID, rv.Owner, StatusOpen)
			if err := markAll(q, 1, "reminded_at", n); err != nil {
				return err
			}
		}
		for _, set := range []struct {
			reviews []Review
			column  string
			extra   string
		}{{r.Escalate, "escalated_at", "owner <> ''"}, {r.Unassigned, "noted_at", "owner = ''"}} {
			if len(set.reviews) == 0 {
				continue
			}
			ids := make([]int64, len(set.reviews))
			for i, rv := range set.reviews {
				ids[i] = rv.ID
			}
			q := tx.Model(&Review{}).Where("id IN ? AND status = ? AND "+set.column+" IS NULL AND "+set.extra, ids, StatusOpen)
			if err := markAll(q, len(ids), set.column, n); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errAlreadySaid) {
		return 0, nil
	}
	return added, err
}

// OutcomeStats counts a shop's follow-ups closed in [from, to) by outcome,
// with the median time from review to close: how the team is doing.
type OutcomeStats struct {
	Closed        int
	ByOutcome     map[string]int
	MedianToClose time.Duration
}

// Outcomes returns a shop's outcome statistics for [from, to).
func (db *DB) Outcomes(ctx context.Context, shopID string, from, to time.Time) (*OutcomeStats, error) {
	var rows []Review
	err := db.gdb.WithContext(ctx).Select("outcome", "created_at", "closed_at").
		Where("shop_id = ? AND "+statusDoneSQL+" AND closed_at >= ? AND closed_at < ?", shopID, utc(from), utc(to)).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	st := &OutcomeStats{Closed: len(rows), ByOutcome: map[string]int{}}
	durs := make([]time.Duration, 0, len(rows))
	for _, r := range rows {
		st.ByOutcome[r.Outcome]++
		if r.ClosedAt != nil {
			durs = append(durs, r.ClosedAt.Sub(r.CreatedAt))
		}
	}
	if len(durs) > 0 {
		sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
		if n := len(durs); n%2 == 1 {
			st.MedianToClose = durs[n/2]
		} else {
			st.MedianToClose = (durs[n/2-1] + durs[n/2]) / 2
		}
	}
	return st, nil
}
