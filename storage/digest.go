package storage

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Digest windows.
const (
	// FollowUpDeadline is the default of how long a bad review may wait
	// for its follow-up to close before it is overdue; shops set their own.
	FollowUpDeadline = 24 * time.Hour
	// UnreportedWindow bounds which unannounced bad reviews a digest takes
	// up: a first digest, or one after a long outage, must not announce
	// months of history as new.
	UnreportedWindow = 7 * 24 * time.Hour
	// DigestListLimit is how many reviews a digest names before counting.
	DigestListLimit = 10
)

// DigestReport is the morning digest of one shop: the day report, the
// score over the last week, the bad reviews no digest has announced yet,
// and the follow-ups past their deadline.
type DigestReport struct {
	DayReport
	// Week holds the scores from WeekStart (seven days before the newest
	// score, the day the card's week change compares with) up to Today,
	// oldest first; days without a score are absent.
	WeekStart       string
	Week            []Score
	Unreported      []Review
	UnreportedCount int
	Overdue         []Review
	OverdueCount    int
	// Stats are the follow-ups closed in the last 7 days.
	Stats            *OutcomeStats
	unreportedBefore time.Time
	// maxReview is the highest review row when the digest was read: an
	// import that lands before the digest is enqueued is not marked as
	// announced without having been.
	maxReview int64
}

// DigestReport builds the digest of a shop at now, of the shop its caller
// holds (see DayReport).
func (db *DB) DigestReport(ctx context.Context, shop *Shop, now time.Time) (*DigestReport, error) {
	shopID := shop.ID
	day, week, err := db.dayReport(ctx, shop, now)
	if err != nil {
		return nil, err
	}
	r := &DigestReport{DayReport: *day, unreportedBefore: now}
	if err := db.gdb.WithContext(ctx).Raw(`SELECT COALESCE(MAX(id), 0) FROM reviews`).Scan(&r.maxReview).Error; err != nil {
		return nil, err
	}
	r.WeekStart = addDays(r.Today, -7)
	if r.Latest != nil {
		r.WeekStart = addDays(r.Latest.Date, -7)
	}
	// The scores from WeekStart to Today are the day report's week: none
	// is newer than Latest, and without a Latest there is none at all.
	r.Week = week
	// A review closed before any digest announced it (a first digest
	// after the team worked through its backlog) is not news: it is marked
	// announced with the rest but not listed.
	q := db.unreported(db.gdb.WithContext(ctx), shopID, now, r.maxReview).Where("status <> ?", StatusDone)
	if r.Unreported, r.UnreportedCount, err = counted[Review](db.d, q, "created_at DESC, id DESC", DigestListLimit); err != nil {
		return nil, err
	}
	// Overdue follow-ups, less those this digest announces as new: a
	// review is listed once per digest.
	newIDs := db.unreported(db.gdb.WithContext(ctx), shopID, now, r.maxReview).Select("id")
	od := db.gdb.WithContext(ctx).Model(&Review{}).
		Where("shop_id = ? AND "+badRatingSQL+" AND "+statusOpenSQL+" AND opened_at < ?", shopID, utc(now.Add(-r.Shop.FollowUpDeadline()))).
		Where("id NOT IN (?)", newIDs)
	if r.Overdue, r.OverdueCount, err = counted[Review](db.d, od, "created_at DESC, id DESC", DigestListLimit); err != nil {
		return nil, err
	}
	if r.Stats, err = db.Outcomes(ctx, shopID, now.Add(-7*24*time.Hour), now); err != nil {
		return nil, err
	}
	return r, nil
}

// unreported selects a shop's bad reviews that no digest has announced,
// within UnreportedWindow of now.
func (db *DB) unreported(q *gorm.DB, shopID string, now time.Time, maxID int64) *gorm.DB {
	return q.Model(&Review{}).Where("shop_id = ? AND "+badRatingSQL+" AND reported_at IS NULL AND created_at >= ? AND created_at <= ? AND id <= ?",
		shopID, utc(now.Add(-UnreportedWindow)), utc(now), maxID)
}

// EnqueueDigest writes a shop's digest to the outbox and marks the bad
// reviews it announced as reported, in one transaction: either both happen
// or neither, so a review is announced by exactly one digest. It reports
// false, and changes nothing, when a message with the key exists.
//
// On PostgreSQL it is one statement, the insert and the marks as
// data-modifying WITH queries (one statement is one transaction): the
// sweep enqueues shop after shop, and there begin, insert, update and
// commit were four round trips each on the 09:00 tick's one sequential
// path.
func (db *DB) EnqueueDigest(ctx context.Context, r *DigestReport, m OutboxMessage, now time.Time) (bool, error) {
	if db.d.postgres {
		return db.enqueueDigestPostgres(ctx, r, m, now)
	}
	var added bool
	err := db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if added, err = enqueue(tx, &m, now); err != nil || !added {
			return err
		}
		return db.unreported(tx, r.Shop.ID, r.unreportedBefore, r.maxReview).Update("reported_at", utc(now)).Error
	})
	return added, err
}

// enqueueDigestPostgres is EnqueueDigest in one statement: the marks
// happen only when the insert returns its row, so a key already in the
// outbox changes nothing. The WHERE of the marks is unreported's.
func (db *DB) enqueueDigestPostgres(ctx context.Context, r *DigestReport, m OutboxMessage, now time.Time) (bool, error) {
	n, before := utc(now), r.unreportedBefore
	var added int
	err := db.gdb.WithContext(ctx).Raw(`WITH ins AS (
			INSERT INTO outbox (key, shop_id, kind, channel, text, blocks, created_at, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id
		), marked AS (
			UPDATE reviews SET reported_at = ?
			WHERE EXISTS (SELECT 1 FROM ins) AND shop_id = ? AND `+badRatingSQL+` AND reported_at IS NULL AND created_at >= ? AND created_at <= ? AND id <= ?
			RETURNING id
		)
		SELECT COUNT(*) FROM ins`,
		m.Key, m.ShopID, m.Kind, m.Channel, m.Text, m.Blocks, n, n,
		n, r.Shop.ID, utc(before.Add(-UnreportedWindow)), utc(before), r.maxReview).Scan(&added).Error
	return added == 1, err
}

// SetDigestCron changes a shop's digest schedule; the scheduler reads it on
// its next tick, so no restart is needed.
func (db *DB) SetDigestCron(ctx context.Context, shopID, spec string) (*Shop, error) {
	s, err := db.FindShop(ctx, shopID)
	if err != nil {
		return nil, err
	}
	s.DigestCron = spec
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := db.gdb.WithContext(ctx).Model(&Shop{}).Where("id = ?", shopID).Update("digest_cron", spec).Error; err != nil {
		return nil, err
	}
	return s, nil
}
