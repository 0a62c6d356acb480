package storage

import (
	"context"
	"sort"
	"time"
)

// ChartHistory is what a shop's trend chart is drawn from: its scores and
// the bad reviews that arrived on each local day of a period, as plain
// values. Days without a score are absent from Scores, and days without a
// bad review from Bad: the chart shows a gap rather than a guess.
type ChartHistory struct {
	Shop Shop
	// First and Last are the period's local days (DateLayout), inclusive;
	// Last is the shop's today.
	First, Last string
	Scores      []Score
	// Bad counts the bad reviews (rating <= BadRating, the one rule of a
	// 差评) created on each local day, oldest first.
	Bad []DayCount
}

// DayCount is a number of things on one local day.
type DayCount struct {
	Day   string
	Count int
}

// ChartHistory reads the last days local days of a shop up to now's, of
// the shop its caller holds (see DayReport).
func (db *DB) ChartHistory(ctx context.Context, shop *Shop, now time.Time, days int) (*ChartHistory, error) {
	loc := shop.Location()
	last := now.In(loc).Format(DateLayout)
	h := &ChartHistory{Shop: *shop, First: addDays(last, 1-max(days, 1)), Last: last}
	var err error
	if h.Scores, err = db.ScoreHistory(ctx, shop.ID, h.First, h.Last); err != nil {
		return nil, err
	}
	start, err := time.ParseInLocation(DateLayout, h.First, loc)
	if err != nil {
		return nil, err
	}
	end, err := time.ParseInLocation(DateLayout, addDays(h.Last, 1), loc)
	if err != nil {
		return nil, err
	}
	var created []time.Time
	err = db.gdb.WithContext(ctx).Model(&Review{}).
		Where("shop_id = ? AND rating <= ? AND created_at >= ? AND created_at < ?", shop.ID, BadRating, utc(start), utc(end)).
		Pluck("created_at", &created).Error
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, t := range created {
		counts[t.In(loc).Format(DateLayout)]++
	}
	for day, n := range counts {
		h.Bad = append(h.Bad, DayCount{Day: day, Count: n})
	}
	sort.Slice(h.Bad, func(i, j int) bool { return h.Bad[i].Day < h.Bad[j].Day })
	return h, nil
}

// ScoreHistories returns the scores of several shops from first to last
// (local days, inclusive) in one query, by shop, oldest first: the
// all-shops chart reads thirty shops at once.
func (db *DB) ScoreHistories(ctx context.Context, shopIDs []string, first, last string) (map[string][]Score, error) {
	var rows []Score
	err := db.gdb.WithContext(ctx).Where("shop_id IN ? AND date BETWEEN ? AND ?", shopIDs, first, last).
		Order("shop_id, date").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[string][]Score, len(shopIDs))
	for _, r := range rows {
		out[r.ShopID] = append(out[r.ShopID], r)
	}
	return out, nil
}
