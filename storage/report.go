package storage

import (
	"context"
	"time"
)

// ReportListLimit is how many reviews and orders a day report lists by
// name; the rest are counted.
const ReportListLimit = 5

// DayReport is everything the score card and the digest say about one shop on
// one day, as plain values: the rules about "today", "new" and "late" are
// applied here once, and the chat surface only renders.
type DayReport struct {
	Shop Shop
	// Now is the report time in the shop's zone; Today its local day.
	Now   time.Time
	Today string
	// Latest is the newest score on or before Today (nil if none was ever
	// imported); Prev is the score of the day before Latest and WeekAgo the
	// score seven days before it, each nil when missing.
	Latest  *Score
	Prev    *Score
	WeekAgo *Score
	// PaidOrders30d counts the paid orders dsrbot holds for the last 30
	// days: a hint beside a growth-stage score, never the stage itself
	// (the import may hold only some of the shop's orders). 0 unless
	// GrowthStage: nothing else shows it.
	PaidOrders30d int
	// NewBad are the bad reviews created since NewSince (the start of
	// yesterday, local), newest first, cut at ReportListLimit.
	NewSince    time.Time
	NewBad      []Review
	NewBadCount int
	// OlderOpen counts open follow-ups of bad reviews from before NewSince.
	OlderOpen int
	// OpenCount counts every open follow-up of the shop, new or old, and
	// OverdueOpen those of them past the shop's deadline (Review.Due:
	// FollowUpDeadline from the last opening). The all-shops line shows
	// the backlog with them: a shop with no new bad review may still owe
	// twenty answers. The digest's own OverdueCount differs on purpose:
	// it leaves out what that digest announces as new.
	OpenCount   int
	OverdueOpen int
	// Late are unshipped orders past their ship-by time, oldest first;
	// AtRisk are unshipped orders due within the shop's warning window.
	Late        []Order
	LateCount   int
	AtRisk      []Order
	AtRiskCount int
	// Cause is the top cause (Fall.Top) of the dimension that moved most
	// since the previous day, when that move is a fall; nil otherwise.
	// The card's "moved most" line says it in one clause.
	Cause *Cause
}

// GrowthStage reports whether the newest score is a Douyin growth-stage
// one, as the platform stated it (or as inferred from the imported score
// itself): flat, and not shown to buyers.
func (r *DayReport) GrowthStage() bool {
	return r.Shop.Platform == Douyin && r.Latest != nil && r.Latest.Growth()
}

// Stale reports whether the newest score is older than today.
func (r *DayReport) Stale() bool { return r.Latest != nil && r.Latest.Date != r.Today }

// DayReport builds the report of a shop at now. It takes the shop its
// caller holds (the card resolved it from the channel or the command, a
// job listed it) rather than reading it again.
func (db *DB) DayReport(ctx context.Context, shop *Shop, now time.Time) (*DayReport, error) {
	r, _, err := db.dayReport(ctx, shop, now)
	return r, err
}

// dayReport is DayReport and the week of scores it read on the way: those
// from seven days before Latest up to it, oldest first (the digest's
// Week; none without a Latest).
func (db *DB) dayReport(ctx context.Context, shop *Shop, now time.Time) (*DayReport, []Score, error) {
	shopID := shop.ID
	loc := shop.Location()
	local := now.In(loc)
	r := &DayReport{Shop: *shop, Now: local, Today: local.Format(DateLayout)}

	week, err := db.latestWeek(ctx, shopID, r.Today)
	if err != nil {
		return nil, nil, err
	}
	if n := len(week); n > 0 {
		r.Latest = &week[n-1]
		prev, ago := addDays(r.Latest.Date, -1), addDays(r.Latest.Date, -7)
		for i := range week {
			switch week[i].Date {
			case prev:
				r.Prev = &week[i]
			case ago:
				r.WeekAgo = &week[i]
			}
		}
	}
	if r.Cause, err = db.topCause(ctx, shop, r.Latest, r.Prev, r.WeekAgo, now); err != nil {
		return nil, nil, err
	}
	// Counted only where the card shows it, beside a growth-stage score:
	// it is a count over the shop's whole month of orders, the dearest
	// query of the report, and the morning sweep makes one per shop.
	if r.GrowthStage() {
		if r.PaidOrders30d, err = db.PaidOrders(ctx, shopID, now.AddDate(0, 0, -30), now.Add(time.Second)); err != nil {
			return nil, nil, err
		}
	}

	y, m, d := local.Date()
	r.NewSince = time.Date(y, m, d-1, 0, 0, 0, 0, loc)
	if r.NewBad, r.NewBadCount, err = db.BadReviews(ctx, ReviewFilter{ShopID: shopID, Since: r.NewSince, Limit: ReportListLimit}); err != nil {
		return nil, nil, err
	}
	if err := db.openCounts(ctx, r, now); err != nil {
		return nil, nil, err
	}
	if r.Late, r.LateCount, err = db.OpenOrders(ctx, shopID, time.Time{}, now, ReportListLimit); err != nil {
		return nil, nil, err
	}
	if r.AtRisk, r.AtRiskCount, err = db.OpenOrders(ctx, shopID, now, now.Add(shop.WarnWindow()), ReportListLimit); err != nil {
		return nil, nil, err
	}
	return r, week, nil
}

// openCounts fills a report's counts of open follow-ups (OpenCount,
// OlderOpen, OverdueOpen) in one statement over the shop's open reviews,
// which the partial indexes on status = 'open' keep to the few rows that
// are open rather than the shop's whole review history: the all-shops
// view runs it once per shop.
func (db *DB) openCounts(ctx context.Context, r *DayReport, now time.Time) error {
	var c struct{ Open, Older, Overdue int }
	err := db.gdb.WithContext(ctx).Raw(`SELECT COUNT(*) AS open,
		COALESCE(SUM(CASE WHEN created_at < ? THEN 1 ELSE 0 END), 0) AS older,
		COALESCE(SUM(CASE WHEN opened_at < ? THEN 1 ELSE 0 END), 0) AS overdue
		FROM reviews WHERE shop_id = ? AND `+statusOpenSQL+` AND `+badRatingSQL,
		utc(r.NewSince), utc(now.Add(-r.Shop.FollowUpDeadline())), r.Shop.ID).Scan(&c).Error
	r.OpenCount, r.OlderOpen, r.OverdueOpen = c.Open, c.Older, c.Overdue
	return err
}
