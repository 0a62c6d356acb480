package storage

import (
	"context"
	"math"
	"sort"
	"time"

	"gorm.io/gorm"
)

// WhyListLimit is how many rows each piece of evidence of /dsr why lists
// by name; the rest are counted.
const WhyListLimit = 5

// whyReviewsPerGroup is how many reviews a product group names.
const whyReviewsPerGroup = 3

// RecentPickupDays is the span "today's pickup" is measured over: the
// orders that shipped in the last three days, against the window's mean.
// One day holds too few shipments in a small shop to mean anything.
const RecentPickupDays = 3

// slowPickupMargin is how much slower than the window's mean the recent
// pickups must be to count as a cause (20%): the hours of a few orders
// wander, and a cause the team chases should be real.
const slowPickupMargin = 1.2

// WhyReport is /dsr why of one shop: for each dimension that fell since the
// previous day or 7 days before, the evidence in the platform's window, as
// plain values the renderer only formats.
type WhyReport struct {
	Shop  Shop
	Now   time.Time // in the shop's zone
	Today string
	// Latest, Prev and WeekAgo are as in DayReport.
	Latest, Prev, WeekAgo *Score
	// Since is the start of the window: Now less Platform.Window().
	Since time.Time
	// Falls are the dimensions that fell, in display order.
	Falls []Fall
}

// Fall is one dimension that fell and what explains it.
type Fall struct {
	Dim Dimension
	// Day is the change since the previous day and Week since 7 days
	// before; DayOK and WeekOK are false when there was nothing
	// comparable (no score, another stage).
	Day, Week     float64
	DayOK, WeekOK bool
	// Indicator is the imported 体验分 indicator of the dimension that
	// moved most in its bad direction; nil when none was imported or
	// none got worse.
	Indicator *IndicatorMove
	// Products groups the window's bad reviews whose aspect weighs on
	// product, by product and aspect, biggest group first (then newest);
	// ProductReviews counts those reviews.
	Products       []ProductCause
	ProductReviews int
	// Late are orders paid in the window that shipped after their
	// ship-by time (the carrier's pickup where known), or are still
	// unshipped past it; newest first.
	Late      []LateOrder
	LateCount int
	// Pickup compares the hours from payment to pickup of the orders
	// that shipped in the last RecentPickupDays with the window's mean.
	Pickup *Pickup
	// Reviews are the window's bad reviews with an aspect of the
	// dimension (logistics, service), newest first.
	Reviews     []Review
	ReviewCount int
	// Overdue are open follow-ups past the shop's deadline (Review.Due),
	// newest first. NoOutcome are follow-ups closed in the window without
	// an outcome for the buyer: no_action, or none recorded ("explained"
	// is an outcome: the buyer was answered).
	Overdue        []Review
	OverdueCount   int
	NoOutcome      []Review
	NoOutcomeCount int
}

// IndicatorMove is an indicator's change from the day compared to today.
type IndicatorMove struct {
	Indicator Indicator
	Was, Now  float64
	// Worse is the change in the bad direction, relative to Was (0.25
	// is 25% worse).
	Worse float64
}

// ProductCause is the bad reviews of one product about one aspect.
type ProductCause struct {
	ProductID, Product string
	Aspect             Aspect
	Count              int
	// Reviews are the newest few, newest first.
	Reviews []Review
}

// LateOrder is an order that shipped, or is still unshipped, past its
// ship-by time, and by how much.
type LateOrder struct {
	Order
	Late    time.Duration
	Shipped bool
}

// Pickup is the window's hours from payment to pickup against the recent
// days'.
type Pickup struct {
	WindowMean, RecentMean     float64 // hours
	WindowOrders, RecentOrders int
	// Slower is true when the recent mean is over the window's by
	// slowPickupMargin; Slow are then the recent orders slower than the
	// window's mean, newest first.
	Slower    bool
	Slow      []SlowOrder
	SlowCount int
}

// SlowOrder is a recent order and its hours from payment to pickup.
type SlowOrder struct {
	Order
	Hours float64
}

// CauseKind is what a top cause is.
type CauseKind string

// The kinds of top cause, one clause each.
const (
	CauseIndicator  CauseKind = "indicator"
	CauseProduct    CauseKind = "product"
	CauseLate       CauseKind = "late"
	CauseSlowPickup CauseKind = "slow_pickup"
	CauseReviews    CauseKind = "reviews"
	CauseOverdue    CauseKind = "overdue"
	CauseNoOutcome  CauseKind = "no_outcome"
)

// Cause is the one thing most behind a fall, said in one clause on the
// card ("6 orders shipped late in 30 days").
type Cause struct {
	Dim  Dimension
	Kind CauseKind
	// Count is how many rows (reviews, orders) it rests on.
	Count int
	// Product and Aspect name a product group (CauseProduct).
	Product string
	Aspect  Aspect
	// Move is the indicator's (CauseIndicator).
	Move *IndicatorMove
	// Recent and Mean are the pickup hours (CauseSlowPickup).
	Recent, Mean float64
	// Days is the window in days.
	Days int
}

// Explained reports whether anything in the window or the indicators
// explains the fall.
func (f *Fall) Explained() bool {
	return f.Indicator != nil || f.ProductReviews > 0 || f.LateCount > 0 || (f.Pickup != nil && f.Pickup.Slower) ||
		f.ReviewCount > 0 || f.OverdueCount > 0 || f.NoOutcomeCount > 0
}

// Top is the fall's top cause: the indicator that moved most where one was
// imported, else the biggest body of rows of the dimension (product: the
// biggest product group; logistics: late orders, then logistics reviews,
// then slow pickup; service: service reviews, then overdue follow-ups,
// then follow-ups closed without an outcome). Nil when nothing explains it.
func (f *Fall) Top(days int) *Cause {
	c := &Cause{Dim: f.Dim, Days: days}
	switch {
	case f.Indicator != nil:
		c.Kind, c.Move = CauseIndicator, f.Indicator
	case len(f.Products) > 0:
		c.Kind, c.Count, c.Product, c.Aspect = CauseProduct, f.Products[0].Count, f.Products[0].Product, f.Products[0].Aspect
	case f.LateCount > 0:
		c.Kind, c.Count = CauseLate, f.LateCount
	case f.ReviewCount > 0:
		c.Kind, c.Count = CauseReviews, f.ReviewCount
	case f.Pickup != nil && f.Pickup.Slower:
		c.Kind, c.Count, c.Recent, c.Mean = CauseSlowPickup, f.Pickup.RecentOrders, f.Pickup.RecentMean, f.Pickup.WindowMean
	case f.OverdueCount > 0:
		c.Kind, c.Count = CauseOverdue, f.OverdueCount
	case f.NoOutcomeCount > 0:
		c.Kind, c.Count = CauseNoOutcome, f.NoOutcomeCount
	default:
		return nil
	}
	return c
}

// Why builds /dsr why of a shop at now: the scores compared as the card
// compares them, and for each dimension that fell, its evidence.
func (db *DB) Why(ctx context.Context, shop *Shop, now time.Time) (*WhyReport, error) {
	local := now.In(shop.Location())
	r := &WhyReport{Shop: *shop, Now: local, Today: local.Format(DateLayout), Since: now.Add(-shop.Platform.Window())}
	var err error
	if r.Latest, r.Prev, r.WeekAgo, err = db.comparedScores(ctx, shop.ID, r.Today); err != nil || r.Latest == nil {
		return r, err
	}
	for _, d := range Dimensions {
		f := Fall{Dim: d}
		f.Day, f.DayOK = change(shop.Platform, r.Prev, r.Latest, d)
		f.Week, f.WeekOK = change(shop.Platform, r.WeekAgo, r.Latest, d)
		if (f.DayOK && f.Day < 0) || (f.WeekOK && f.Week < 0) {
			r.Falls = append(r.Falls, f)
		}
	}
	if len(r.Falls) == 0 {
		return r, nil
	}
	reviews, err := db.windowBadReviews(ctx, shop.ID, r.Since, now)
	if err != nil {
		return nil, err
	}
	for i := range r.Falls {
		if err := db.evidence(ctx, shop, &r.Falls[i], reviews, r.Latest, r.Prev, r.WeekAgo, r.Since, now); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// comparedScores reads the newest score on or before today and the
// scores of the day before it and 7 days before it.
func (db *DB) comparedScores(ctx context.Context, shopID, today string) (latest, prev, week *Score, err error) {
	if latest, err = db.latestScore(ctx, shopID, today); err != nil || latest == nil {
		return nil, nil, nil, err
	}
	p, w := addDays(latest.Date, -1), addDays(latest.Date, -7)
	m, err := db.scoresByDates(ctx, shopID, p, w)
	if err != nil {
		return nil, nil, nil, err
	}
	return latest, m[p], m[w], nil
}

// change is a dimension's change from old to cur, rounded as the card
// shows it (a change shown as ±0 is no fall); ok is false when the two
// cannot be compared: a missing day or dimension, or another stage.
func change(p Platform, old, cur *Score, d Dimension) (float64, bool) {
	if old == nil || cur == nil || old.Stage != cur.Stage || !old.Has(d) || !cur.Has(d) {
		return 0, false
	}
	scale := 10.0
	if p == Taobao {
		scale = 100
	}
	return math.Round((cur.Value(d)-old.Value(d))*scale) / scale, true
}

// moverFall is the dimension whose change since the previous day weighs
// most on the overall (Douyin: by the shop's weights; Taobao: the rating
// that changed most), as the card's "moved most" line picks it, when
// that change is a fall.
func moverFall(shop *Shop, prev, cur *Score) (Dimension, bool) {
	var best Dimension
	var bestImpact float64
	for _, d := range Dimensions {
		c, ok := change(shop.Platform, prev, cur, d)
		if !ok || c == 0 {
			continue
		}
		impact := c
		if shop.Platform == Douyin {
			impact = c * float64(shop.Weight(d)) / 100
		}
		if math.Abs(impact) > math.Abs(bestImpact) {
			best, bestImpact = d, impact
		}
	}
	return best, best != "" && bestImpact < 0
}

// topCause is the top cause of the dimension that moved most since the
// previous day, for the card's "moved most" line. It asks only what
// Fall.Top needs, in Top's order, and stops at the first answer: the
// all-shops view runs it for every shop, so it reads counts and groups,
// never the rows, and late orders through their partial index.
func (db *DB) topCause(ctx context.Context, shop *Shop, latest, prev, week *Score, now time.Time) (*Cause, error) {
	if latest == nil {
		return nil, nil
	}
	d, ok := moverFall(shop, prev, latest)
	if !ok {
		return nil, nil
	}
	days := shop.Platform.WindowDays()
	if m := indicatorMove(d, latest, prev, week); m != nil {
		return &Cause{Dim: d, Kind: CauseIndicator, Move: m, Days: days}, nil
	}
	since := now.Add(-shop.Platform.Window())
	combos, err := db.reviewCombos(ctx, shop.ID, since, now)
	if err != nil {
		return nil, err
	}
	f := Fall{Dim: d}
	for _, c := range combos {
		if reviewWeighsOn(&Review{Aspects: c.Aspects}, d) {
			f.ReviewCount += c.N
		}
	}
	switch d {
	case DimProduct:
		f.Products, f.ProductReviews = productGroups(combos)
	case DimLogistics:
		if f.LateCount, err = db.lateCount(ctx, shop.ID, since, now); err != nil || f.LateCount > 0 || f.ReviewCount > 0 {
			break
		}
		err = db.logisticsEvidence(ctx, shop, &f, since, now)
	case DimService:
		if f.ReviewCount > 0 {
			break
		}
		err = db.serviceEvidence(ctx, shop, &f, since, now)
	}
	if err != nil {
		return nil, err
	}
	return f.Top(days), nil
}

// reviewCombo counts a shop's bad reviews in the window of one product
// with one set of aspects.
type reviewCombo struct {
	ProductID, Product, Aspects string
	N                           int
}

// reviewCombos are the window's bad reviews that name an aspect, counted
// by product and aspects, the combination with the newest review first.
func (db *DB) reviewCombos(ctx context.Context, shopID string, since, now time.Time) ([]reviewCombo, error) {
	var rows []reviewCombo
	// rating <= 2 is written out, not bound, to match the partial index,
	// which the planner, without statistics, would pass over for the
	// index of every review: INDEXED BY holds it to the one that answers
	// from the index alone.
	err := db.gdb.WithContext(ctx).Raw(`SELECT product_id, product, aspects, COUNT(*) AS n FROM reviews`+db.d.indexedBy("idx_reviews_bad_window")+`
		WHERE shop_id = ? AND rating <= 2 AND created_at >= ? AND created_at < ? AND aspects <> ''
		GROUP BY product_id, product, aspects ORDER BY MAX(created_at) DESC, MAX(id) DESC`,
		shopID, utc(since), utc(now.Add(time.Second))).Scan(&rows).Error
	return rows, err
}

// productGroups is productCauses from counts, without the rows: the same
// groups in the same order.
func productGroups(combos []reviewCombo) ([]ProductCause, int) {
	var reviews []Review
	for _, c := range combos {
		for i := 0; i < c.N; i++ {
			reviews = append(reviews, Review{ProductID: c.ProductID, Product: c.Product, Aspects: c.Aspects})
		}
	}
	var of []Review
	for _, rv := range reviews {
		if reviewWeighsOn(&rv, DimProduct) {
			of = append(of, rv)
		}
	}
	groups, n := productCauses(of)
	for i := range groups {
		groups[i].Reviews = nil
	}
	return groups, n
}

// lateCount counts the orders paid in the window that shipped late or are
// unshipped past due, through idx_orders_late: its WHERE is repeated here
// term for term, which is how SQLite knows it may use the partial index
// (written without COALESCE, which SQLite does not match in a partial
// index's WHERE).
func (db *DB) lateCount(ctx context.Context, shopID string, since, now time.Time) (int, error) {
	var n int
	err := db.gdb.WithContext(ctx).Raw(`SELECT COUNT(*) FROM orders WHERE shop_id = ? AND paid_at >= ? AND paid_at < ?
		AND `+lateIndexed(db.d)+`
		AND (shipped_at IS NOT NULL OR ship_by < ?)`, shopID, utc(since), utc(now), utc(now)).Scan(&n).Error
	return n, err
}

// windowBadReviews are a shop's bad reviews created in [since, now) that
// name an aspect, newest first: the rows every dimension's evidence is
// drawn from.
func (db *DB) windowBadReviews(ctx context.Context, shopID string, since, now time.Time) ([]Review, error) {
	var rows []Review
	err := db.gdb.WithContext(ctx).Raw(`SELECT * FROM reviews`+db.d.indexedBy("idx_reviews_bad_window")+`
		WHERE shop_id = ? AND rating <= 2 AND created_at >= ? AND created_at < ? AND aspects <> ''
		ORDER BY created_at DESC, id DESC`, shopID, utc(since), utc(now.Add(time.Second))).Scan(&rows).Error
	return rows, err
}

// evidence fills a fall's indicator and rows.
func (db *DB) evidence(ctx context.Context, shop *Shop, f *Fall, reviews []Review, latest, prev, week *Score, since, now time.Time) error {
	f.Indicator = indicatorMove(f.Dim, latest, prev, week)
	var ofDim []Review
	for _, rv := range reviews {
		if reviewWeighsOn(&rv, f.Dim) {
			ofDim = append(ofDim, rv)
		}
	}
	switch f.Dim {
	case DimProduct:
		f.Products, f.ProductReviews = productCauses(ofDim)
		return nil
	case DimLogistics:
		f.Reviews, f.ReviewCount = cut(ofDim, WhyListLimit), len(ofDim)
		return db.logisticsEvidence(ctx, shop, f, since, now)
	}
	f.Reviews, f.ReviewCount = cut(ofDim, WhyListLimit), len(ofDim)
	return db.serviceEvidence(ctx, shop, f, since, now)
}

// reviewWeighsOn reports whether one of a review's aspects weighs on d.
func reviewWeighsOn(rv *Review, d Dimension) bool {
	for _, a := range rv.AspectList() {
		if ad, ok := a.Dimension(); ok && ad == d {
			return true
		}
	}
	return false
}

func cut[T any](rows []T, n int) []T {
	if len(rows) > n {
		return rows[:n:n]
	}
	return rows
}

// productCauses groups product-aspect bad reviews (newest first) by
// product and aspect: a review about size and quality of one product
// counts in both of its groups. The biggest group comes first, and of
// equal ones the one with the newer review; count is the reviews grouped.
func productCauses(reviews []Review) ([]ProductCause, int) {
	type key struct {
		id, name string
		a        Aspect
	}
	index := map[key]int{}
	var groups []ProductCause
	for _, rv := range reviews {
		for _, a := range rv.AspectList() {
			if d, ok := a.Dimension(); !ok || d != DimProduct {
				continue
			}
			k := key{rv.ProductID, rv.Product, a}
			i, ok := index[k]
			if !ok {
				i = len(groups)
				index[k] = i
				groups = append(groups, ProductCause{ProductID: rv.ProductID, Product: rv.Product, Aspect: a})
			}
			g := &groups[i]
			g.Count++
			if len(g.Reviews) < whyReviewsPerGroup {
				g.Reviews = append(g.Reviews, rv)
			}
		}
	}
	// Groups were made in the order of their newest review: a stable sort
	// by size keeps the newer first among equals.
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Count > groups[j].Count })
	return groups, len(reviews)
}

// indicatorMove finds the dimension's indicator that got most worse,
// relative to its value on the previous day (else 7 days before).
func indicatorMove(d Dimension, latest, prev, week *Score) *IndicatorMove {
	var best *IndicatorMove
	for _, ind := range Indicators {
		if ind.Dim != d {
			continue
		}
		now := latest.Indicator(ind.Column)
		if now == nil {
			continue
		}
		var was *float64
		for _, old := range []*Score{prev, week} {
			if old != nil {
				if was = old.Indicator(ind.Column); was != nil {
					break
				}
			}
		}
		if was == nil {
			continue
		}
		bad := *now - *was
		if ind.HigherBetter {
			bad = -bad
		}
		if bad <= 0 {
			continue
		}
		rel := bad / math.Max(math.Abs(*was), 0.01)
		if best == nil || rel > best.Worse {
			best = &IndicatorMove{Indicator: ind, Was: *was, Now: *now, Worse: rel}
		}
	}
	return best
}

// shipTimeSQL is when the platform counts an order as shipped (see
// Order.ShipTime); lateSQL holds an order shipped after its ship-by time,
// or still unshipped past it (?: now). Times are stored as UTC text, which
// compares in time order.
const (
	shipTimeSQL = `COALESCE(picked_up_at, shipped_at)`
	lateSQL     = `((` + shipTimeSQL + ` IS NOT NULL AND ` + shipTimeSQL + ` > ship_by) OR (shipped_at IS NULL AND ship_by < ?))`
)

// lateIndexed is idx_orders_late's WHERE, term for term, in the engine's
// boolean literal.
func lateIndexed(d dialect) string {
	return `cancelled = ` + d.False() + ` AND (shipped_at IS NULL OR picked_up_at > ship_by OR (picked_up_at IS NULL AND shipped_at > ship_by))`
}

// pickupHours is the hours from payment to the platform's ship time.
func pickupHours(d dialect) string { return d.hours(shipTimeSQL, "paid_at") }

// logisticsEvidence fills the late orders and the pickup hours: one
// aggregate over the orders paid in the window, then the few rows listed.
func (db *DB) logisticsEvidence(ctx context.Context, shop *Shop, f *Fall, since, now time.Time) error {
	g := db.gdb.WithContext(ctx)
	hoursSQL := pickupHours(db.d)
	recent := utc(now.Add(-RecentPickupDays * 24 * time.Hour))
	var agg struct {
		Late, Shipped, Recent int
		Mean, RecentMean      *float64
	}
	err := g.Raw(`SELECT COALESCE(SUM(CASE WHEN `+lateSQL+` THEN 1 ELSE 0 END), 0) AS late,
		COUNT(`+shipTimeSQL+`) AS shipped,
		AVG(`+hoursSQL+`) AS mean,
		COALESCE(SUM(CASE WHEN `+shipTimeSQL+` >= ? THEN 1 ELSE 0 END), 0) AS recent,
		AVG(CASE WHEN `+shipTimeSQL+` >= ? THEN `+hoursSQL+` END) AS recent_mean
		FROM orders WHERE shop_id = ? AND cancelled = `+db.d.False()+` AND paid_at >= ? AND paid_at < ?`,
		utc(now), recent, recent, shop.ID, utc(since), utc(now)).Scan(&agg).Error
	if err != nil {
		return err
	}
	f.LateCount = agg.Late
	if f.LateCount > 0 {
		var rows []Order
		if err := g.Raw(`SELECT * FROM orders WHERE shop_id = ? AND paid_at >= ? AND paid_at < ? AND `+lateIndexed(db.d)+`
			AND (shipped_at IS NOT NULL OR ship_by < ?) ORDER BY paid_at DESC, id DESC LIMIT ?`, shop.ID, utc(since), utc(now), utc(now), WhyListLimit).Scan(&rows).Error; err != nil {
			return err
		}
		for _, o := range rows {
			lo := LateOrder{Order: o, Shipped: o.ShipTime() != nil}
			if t := o.ShipTime(); t != nil {
				lo.Late = t.Sub(o.ShipBy)
			} else {
				lo.Late = now.Sub(o.ShipBy)
			}
			f.Late = append(f.Late, lo)
		}
	}
	if agg.Shipped == 0 || agg.Mean == nil {
		return nil
	}
	p := &Pickup{WindowMean: hours(*agg.Mean), WindowOrders: agg.Shipped, RecentOrders: agg.Recent}
	if agg.RecentMean != nil {
		p.RecentMean = hours(*agg.RecentMean)
	}
	p.Slower = p.RecentOrders > 0 && p.RecentMean > p.WindowMean*slowPickupMargin
	f.Pickup = p
	if !p.Slower {
		return nil
	}
	var slow []struct {
		Order
		Hours float64
	}
	cond := `shop_id = ? AND cancelled = ` + db.d.False() + ` AND paid_at >= ? AND paid_at < ? AND ` + shipTimeSQL + ` >= ? AND ` + hoursSQL + ` > ?`
	args := []any{shop.ID, utc(since), utc(now), recent, p.WindowMean}
	if err := g.Raw(`SELECT COUNT(*) FROM orders WHERE `+cond, args...).Scan(&p.SlowCount).Error; err != nil {
		return err
	}
	if err := g.Raw(`SELECT *, `+hoursSQL+` AS hours FROM orders WHERE `+cond+` ORDER BY paid_at DESC, id DESC LIMIT ?`, append(args, WhyListLimit)...).Scan(&slow).Error; err != nil {
		return err
	}
	for _, s := range slow {
		p.Slow = append(p.Slow, SlowOrder{Order: s.Order, Hours: hours(s.Hours)})
	}
	return nil
}

// hours rounds SQLite's julianday arithmetic, which is off by a few
// microseconds, to the hundredth of an hour.
func hours(h float64) float64 { return math.Round(h*100) / 100 }

// serviceEvidence fills the overdue follow-ups and those closed in the
// window without an outcome.
func (db *DB) serviceEvidence(ctx context.Context, shop *Shop, f *Fall, since, now time.Time) error {
	var err error
	overdue := db.gdb.WithContext(ctx).Model(&Review{}).Where("shop_id = ? AND status = ? AND rating <= ? AND opened_at < ?",
		shop.ID, StatusOpen, BadRating, utc(now.Add(-shop.FollowUpDeadline())))
	if f.Overdue, f.OverdueCount, err = listAndCount(overdue); err != nil {
		return err
	}
	closed := db.gdb.WithContext(ctx).Model(&Review{}).Where("shop_id = ? AND status = ? AND rating <= ? AND closed_at >= ? AND outcome IN ('no_action', '')",
		shop.ID, StatusDone, BadRating, utc(since))
	f.NoOutcome, f.NoOutcomeCount, err = listAndCount(closed)
	return err
}

// listAndCount counts the reviews of q and lists the newest WhyListLimit.
func listAndCount(q *gorm.DB) ([]Review, int, error) {
	q = q.Session(&gorm.Session{})
	var total int64
	if err := q.Count(&total).Error; err != nil || total == 0 {
		return nil, 0, err
	}
	var rows []Review
	err := q.Order("created_at DESC, id DESC").Limit(WhyListLimit).Find(&rows).Error
	return rows, int(total), err
}
