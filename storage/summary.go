package storage

import (
	"context"
	"time"
)

// DaySummaries are the day reports of many shops at now, in shops' order,
// with what the all-shops view shows of each: the shop, Now, Today,
// NewSince, Latest, Prev and WeekAgo, and the counts (NewBadCount,
// OlderOpen, OpenCount, OverdueOpen, LateCount, AtRiskCount), each equal to
// DayReport's. What only one shop's card shows is left out: the lists
// (NewBad, Late, AtRisk), Cause and PaidOrders30d.
//
// It asks each question once for all the shops, grouped by shop_id, rather
// than DayReport's dozen queries shop after shop: on PostgreSQL each query
// is a round trip, and 300 shops one by one took a second. The shops are
// asked together when they share the parameters (time zone, follow-up
// deadline, at-risk window); most share them all, so it is a handful of
// queries whatever the number of shops.
func (db *DB) DaySummaries(ctx context.Context, shops []Shop, now time.Time) ([]*DayReport, error) {
	out := make([]*DayReport, len(shops))
	type key struct {
		tz             string
		deadline, warn time.Duration
	}
	groups := map[key][]int{}
	var order []key // first-seen order, so the queries are asked in a stable order
	for i := range shops {
		s := &shops[i]
		loc := s.Location()
		local := now.In(loc)
		y, m, d := local.Date()
		out[i] = &DayReport{Shop: *s, Now: local, Today: local.Format(DateLayout), NewSince: time.Date(y, m, d-1, 0, 0, 0, 0, loc)}
		k := key{loc.String(), s.FollowUpDeadline(), s.WarnWindow()}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	for _, k := range order {
		if err := db.summarise(ctx, out, groups[k], now); err != nil {
			return nil, err
		}
	}
	return out, db.summaryScores(ctx, out)
}

// summarise fills the latest score and the counts of the reports at idx,
// whose shops share a time zone, a follow-up deadline and an at-risk
// window, so the same bounds hold for all of them.
func (db *DB) summarise(ctx context.Context, out []*DayReport, idx []int, now time.Time) error {
	first := out[idx[0]]
	ids := make([]string, len(idx))
	byID := make(map[string]*DayReport, len(idx))
	for j, i := range idx {
		ids[j] = out[i].Shop.ID
		byID[ids[j]] = out[i]
	}
	g := db.gdb.WithContext(ctx)

	// The newest score on or before today (latestScore); a shop has one
	// score a day.
	var latest []Score
	if err := g.Raw(`SELECT s.* FROM scores s JOIN (
			SELECT shop_id, MAX(date) AS date FROM scores WHERE shop_id IN ? AND date <= ? GROUP BY shop_id
		) m ON m.shop_id = s.shop_id AND m.date = s.date`, ids, first.Today).Scan(&latest).Error; err != nil {
		return err
	}
	for i := range latest {
		byID[latest[i].ShopID].Latest = &latest[i]
	}

	// New bad reviews (BadReviews since NewSince).
	var bad []struct {
		ShopID string
		N      int
	}
	if err := g.Raw(`SELECT shop_id, COUNT(*) AS n FROM reviews
		WHERE shop_id IN ? AND rating <= ? AND created_at >= ? GROUP BY shop_id`,
		ids, BadRating, utc(first.NewSince)).Scan(&bad).Error; err != nil {
		return err
	}
	for _, c := range bad {
		byID[c.ShopID].NewBadCount = c.N
	}

	// Open follow-ups (openCounts).
	var open []struct {
		ShopID               string
		Open, Older, Overdue int
	}
	if err := g.Raw(`SELECT shop_id, COUNT(*) AS open,
		COALESCE(SUM(CASE WHEN created_at < ? THEN 1 ELSE 0 END), 0) AS older,
		COALESCE(SUM(CASE WHEN opened_at < ? THEN 1 ELSE 0 END), 0) AS overdue
		FROM reviews WHERE shop_id IN ? AND status = ? AND rating <= ? GROUP BY shop_id`,
		utc(first.NewSince), utc(now.Add(-first.Shop.FollowUpDeadline())), ids, StatusOpen, BadRating).Scan(&open).Error; err != nil {
		return err
	}
	for _, c := range open {
		r := byID[c.ShopID]
		r.OpenCount, r.OlderOpen, r.OverdueOpen = c.Open, c.Older, c.Overdue
	}

	// Late and at-risk orders (OpenOrders before now, and from now to the
	// end of the at-risk window), in one pass over the open orders.
	end := now.Add(first.Shop.WarnWindow())
	var orders []struct {
		ShopID       string
		Late, AtRisk int
	}
	if err := g.Raw(`SELECT shop_id,
		COALESCE(SUM(CASE WHEN ship_by < ? THEN 1 ELSE 0 END), 0) AS late,
		COALESCE(SUM(CASE WHEN ship_by >= ? AND ship_by < ? THEN 1 ELSE 0 END), 0) AS at_risk
		FROM orders WHERE shop_id IN ? AND shipped_at IS NULL AND cancelled = `+db.d.False()+` AND ship_by < ?
		GROUP BY shop_id`,
		utc(now), utc(now), utc(end), ids, utc(maxTime(now, end))).Scan(&orders).Error; err != nil {
		return err
	}
	for _, c := range orders {
		r := byID[c.ShopID]
		r.LateCount, r.AtRiskCount = c.Late, c.AtRisk
	}
	return nil
}

// summaryScores fills Prev and WeekAgo, the scores of the day before each
// report's latest and of seven days before it, in one query for all the
// shops: usually every shop's latest is today, so it names two dates.
func (db *DB) summaryScores(ctx context.Context, out []*DayReport) error {
	type day struct{ shop, date string }
	want := map[day]bool{}
	var ids, dates []string
	seenDate := map[string]bool{}
	for _, r := range out {
		if r.Latest == nil {
			continue
		}
		ids = append(ids, r.Shop.ID)
		for _, d := range []string{addDays(r.Latest.Date, -1), addDays(r.Latest.Date, -7)} {
			want[day{r.Shop.ID, d}] = true
			if !seenDate[d] {
				seenDate[d] = true
				dates = append(dates, d)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []Score
	if err := db.gdb.WithContext(ctx).Where("shop_id IN ? AND date IN ?", ids, dates).Find(&rows).Error; err != nil {
		return err
	}
	found := make(map[day]*Score, len(rows))
	for i := range rows {
		if d := (day{rows[i].ShopID, rows[i].Date}); want[d] {
			found[d] = &rows[i]
		}
	}
	for _, r := range out {
		if r.Latest != nil {
			r.Prev = found[day{r.Shop.ID, addDays(r.Latest.Date, -1)}]
			r.WeekAgo = found[day{r.Shop.ID, addDays(r.Latest.Date, -7)}]
		}
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
