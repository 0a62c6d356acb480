package storage

import (
	"context"
	"math"
	"sort"
	"time"
)

// RecoveryHorizonDays is how far ahead "leaving the window soon" looks. The
// database holds no campaign deadlines (the 精选联盟 or 大促 sign-up date
// a shop is racing to get back above its line for), so the answer looks a
// fixed week ahead, and says so.
const RecoveryHorizonDays = 7

// maxPromise bounds how long after payment an order can be due to ship, so
// the late orders of a window are found through the index on paid_at
// rather than by reading a shop's whole order history: presales ship
// within 15 days of payment, custom promises within a few; 60 days leaves
// room for any category's longest presale.
const maxPromise = 60 * 24 * time.Hour

// RecoveryReport is the way back above the line for one shop, as plain
// values: on Douyin, what leaves the 30-day window and when, so the team
// sees when the score recovers by itself and what a new bad review costs;
// on Taobao, how many 5★ ratings bring each DSR back to a target.
type RecoveryReport struct {
	Shop Shop
	// Now is the report time in the shop's zone; Today its local day.
	Now   time.Time
	Today string
	// Latest is the newest score on or before Today; nil when none was
	// imported.
	Latest *Score
	// Target is the target asked for (--target), nil for the default.
	Target *float64

	// Douyin.

	// Shown is the overall as the card shows it (storage.Shown); Scored
	// is false when the latest score has no overall.
	Shown  float64
	Scored bool
	// Gaps are the gates the shown score is under, lowest first, with how
	// far under; with a Target, the target alone (a Gate with no Name).
	Gaps []GateGap
	// Exits are the bad reviews and late orders inside the window, by the
	// day they leave it and by product, soonest first.
	Exits []WindowExit
	// BadInWindow and LateInWindow count them all.
	BadInWindow, LateInWindow int
	// Horizon is the last day of the next RecoveryHorizonDays; SoonBad and
	// SoonLate count what leaves the window by then.
	Horizon           string
	SoonBad, SoonLate int
	// NewBadLeaves is the day a bad review (or a late order) of today
	// leaves the window: it weighs on the score until then.
	NewBadLeaves string
	// Products are the products with bad reviews or late orders in the
	// window, those with most first: where a fix counts most.
	Products []ProductLoad

	// Taobao.

	// Needs are the 5★ ratings each DSR needs, in Dimensions order.
	Needs []DSRNeed
	// Held counts the ratings (reviews, 1-5★) the bot holds inside the
	// 180-day window; HeldSince is the local day of the oldest rating it
	// holds of the shop at all ("" when none), and Covered whether that is
	// at or before WindowStart: whether the imports reach back over the
	// whole window the platform's mean covers.
	Held        int
	HeldSince   string
	Covered     bool
	WindowStart string
	// TargetDay is the day of the score the default target comes from
	// (the newest on or before 30 days ago); "" when there is none, or a
	// Target was given.
	TargetDay string
}

// GateGap is a gate the shop's shown score is under, and by how much.
type GateGap struct {
	Gate Gate
	Gap  float64
}

// WindowExit is what of one product leaves the window on one day.
type WindowExit struct {
	Day       string // local day, DateLayout
	Product   string
	Bad, Late int
}

// ProductLoad is a product's weight on the window: its bad reviews (and
// the aspect they name most) and its late orders.
type ProductLoad struct {
	Product   string
	Bad, Late int
	// TopAspect is the aspect its bad reviews name most; "" when none.
	TopAspect Aspect
}

// NeedStatus says whether a count of 5★ ratings could be given, or why not.
type NeedStatus string

// The answers for one DSR dimension.
const (
	NeedCount       NeedStatus = "count"       // K 5★ ratings bring it back
	NeedMet         NeedStatus = "met"         // already at or above the target
	NeedUnreachable NeedStatus = "unreachable" // the target is 5.0 or more
	NeedNoRatings   NeedStatus = "no_ratings"  // no rating held in the window
	NeedShort       NeedStatus = "short"       // the ratings held do not cover the window
	NeedNoTarget    NeedStatus = "no_target"   // no score 30 days ago, and no --target
	NeedNoScore     NeedStatus = "no_score"    // no current value imported
)

// DSRNeed is the arithmetic of one Taobao DSR: with N ratings held and the
// current mean D, K 5★ ratings bring it to the target T,
// (D·N + 5K) / (N + K) ≥ T.
type DSRNeed struct {
	Dim    Dimension
	D, T   float64
	N, K   int
	Status NeedStatus
}

// FiveStarsNeeded is the least k for which (d·n + 5k)/(n + k) ≥ t, that is
// k = ceil(n·(t − d)/(5 − t)), with the cases where there is no such
// count: a target already met (0), one of 5 or more (no mean of ratings of
// at most 5 reaches it unless it is there), no ratings held, and ratings
// that do not cover the window (covered false), where the count would be
// a guess. The ceiling allows for the float error of values written with
// two decimals (4.8 − 4.6 is 0.19999…), so an exact boundary is not
// rounded up a whole rating.
func FiveStarsNeeded(n int, d, t float64, covered bool) (int, NeedStatus) {
	const eps = 1e-9
	switch {
	case t <= d+eps:
		return 0, NeedMet
	case t >= 5-eps:
		return 0, NeedUnreachable
	case n <= 0:
		return 0, NeedNoRatings
	case !covered:
		return 0, NeedShort
	}
	return int(math.Ceil(float64(n)*(t-d)/(5-t) - eps)), NeedCount
}

// Recovery builds the way back for a shop at now. target, when set, is
// the Douyin overall to reach (in place of the gates) or the Taobao DSR
// to reach (in place of each value 30 days before); the caller checks it
// is on the platform's scale.
//
// On Douyin a bad review counts from when it was written and a late order
// from its ship-by time (when it became late), each for the platform's
// window (Platform.Window). On Taobao the DSR is a mean over all the
// ratings of 180 days, which the bot does not hold all of: it takes the
// platform's latest value as the mean D and the ratings it holds in the
// window as their count N (one per review, each buyer rating all three
// DSRs at once), and gives no count when those ratings do not reach back
// over the whole window, since N would then be too small.
func (db *DB) Recovery(ctx context.Context, shop *Shop, now time.Time, target *float64) (*RecoveryReport, error) {
	loc := shop.Location()
	local := now.In(loc)
	r := &RecoveryReport{Shop: *shop, Now: local, Today: local.Format(DateLayout), Target: target}
	var err error
	if r.Latest, err = db.latestScore(ctx, shop.ID, r.Today); err != nil {
		return nil, err
	}
	if shop.Platform == Taobao {
		return r, db.taobaoRecovery(ctx, r, now, target)
	}
	return r, db.douyinRecovery(ctx, r, now, target)
}

// douyinRecovery fills the Douyin half: gates, exits and products.
func (db *DB) douyinRecovery(ctx context.Context, r *RecoveryReport, now time.Time, target *float64) error {
	shop := &r.Shop
	window := shop.Platform.Window()
	loc := shop.Location()
	start := now.Add(-window)
	r.NewBadLeaves = now.Add(window).In(loc).Format(DateLayout)
	r.Horizon = now.AddDate(0, 0, RecoveryHorizonDays).In(loc).Format(DateLayout)
	if r.Latest != nil && r.Latest.Overall != nil {
		r.Shown, r.Scored = Shown(*r.Latest.Overall), true
		gates := shop.GateList()
		if target != nil {
			gates = []Gate{{Score: *target}}
		}
		for _, g := range gates {
			if r.Shown < g.Score {
				r.Gaps = append(r.Gaps, GateGap{Gate: g, Gap: Round1(g.Score - r.Shown)})
			}
		}
	}

	type key struct{ day, product string }
	exits := map[key]*WindowExit{}
	products := map[string]*ProductLoad{}
	aspects := map[string]map[Aspect]int{}
	add := func(at time.Time, product string, bad bool) {
		k := key{at.Add(window).In(loc).Format(DateLayout), product}
		e := exits[k]
		if e == nil {
			e = &WindowExit{Day: k.day, Product: product}
			exits[k] = e
		}
		p := products[product]
		if p == nil {
			p = &ProductLoad{Product: product}
			products[product] = p
		}
		soon := k.day <= r.Horizon
		if bad {
			e.Bad++
			p.Bad++
			r.BadInWindow++
			if soon {
				r.SoonBad++
			}
		} else {
			e.Late++
			p.Late++
			r.LateInWindow++
			if soon {
				r.SoonLate++
			}
		}
	}

	var reviews []Review
	err := db.gdb.WithContext(ctx).Select("product", "created_at", "aspects").
		Where("shop_id = ? AND rating <= ? AND created_at > ? AND created_at <= ?", shop.ID, BadRating, utc(start), utc(now)).
		Find(&reviews).Error
	if err != nil {
		return err
	}
	for i := range reviews {
		rv := &reviews[i]
		add(rv.CreatedAt, rv.Product, true)
		for _, a := range rv.AspectList() {
			if aspects[rv.Product] == nil {
				aspects[rv.Product] = map[Aspect]int{}
			}
			aspects[rv.Product][a]++
		}
	}

	// The SQL keeps the orders that may be late (unshipped, or shipped
	// after their ship-by time); Order.State, the one rule of lateness,
	// decides.
	var orders []Order
	err = db.gdb.WithContext(ctx).Select("product", "paid_at", "ship_by", "shipped_at", "picked_up_at", "cancelled").
		Where("shop_id = ? AND paid_at >= ? AND paid_at <= ? AND cancelled = "+db.d.False()+" AND ship_by > ? AND ship_by <= ?", shop.ID, utc(start.Add(-maxPromise)), utc(now), utc(start), utc(now)).
		Where("shipped_at IS NULL OR COALESCE(picked_up_at, shipped_at) > ship_by").
		Find(&orders).Error
	if err != nil {
		return err
	}
	for i := range orders {
		o := &orders[i]
		if st := o.State(now, 0); st == StateLate || st == StateShippedLate {
			add(o.ShipBy, o.Product, false)
		}
	}

	for _, e := range exits {
		r.Exits = append(r.Exits, *e)
	}
	sort.Slice(r.Exits, func(i, j int) bool {
		a, b := &r.Exits[i], &r.Exits[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.Bad+a.Late != b.Bad+b.Late {
			return a.Bad+a.Late > b.Bad+b.Late
		}
		return a.Product < b.Product
	})
	for name, p := range products {
		p.TopAspect = topAspect(aspects[name])
		r.Products = append(r.Products, *p)
	}
	SortProductLoads(r.Products)
	return nil
}

// SortProductLoads ranks products by what a fix would take out of the
// window: bad reviews and late orders together, then bad reviews (they
// weigh on two dimensions where a late order weighs on one), then name.
// It is a plain count, not the drag of `/dsr products`, which weighs each
// product against the shop's average rate: here the question is what
// leaves the score soonest if fixed, and a count answers it.
func SortProductLoads(ps []ProductLoad) {
	sort.Slice(ps, func(i, j int) bool {
		a, b := &ps[i], &ps[j]
		if a.Bad+a.Late != b.Bad+b.Late {
			return a.Bad+a.Late > b.Bad+b.Late
		}
		if a.Bad != b.Bad {
			return a.Bad > b.Bad
		}
		return a.Product < b.Product
	})
}

// topAspect is the aspect counted most, the first in Aspects order on a tie.
func topAspect(counts map[Aspect]int) Aspect {
	var best Aspect
	for _, a := range Aspects {
		if counts[a] > counts[best] {
			best = a
		}
	}
	return best
}

// taobaoRecovery fills the Taobao half: the ratings held and, per DSR, the
// 5★ ratings that bring it to the target.
func (db *DB) taobaoRecovery(ctx context.Context, r *RecoveryReport, now time.Time, target *float64) error {
	shop := &r.Shop
	loc := shop.Location()
	start := now.Add(-shop.Platform.Window())
	r.WindowStart = start.In(loc).Format(DateLayout)

	var held int64
	err := db.gdb.WithContext(ctx).Model(&Review{}).
		Where("shop_id = ? AND rating BETWEEN 1 AND 5 AND created_at > ? AND created_at <= ?", shop.ID, utc(start), utc(now)).
		Count(&held).Error
	if err != nil {
		return err
	}
	r.Held = int(held)
	var oldest []time.Time
	err = db.gdb.WithContext(ctx).Model(&Review{}).Where("shop_id = ? AND rating BETWEEN 1 AND 5", shop.ID).
		Order("created_at").Limit(1).Pluck("created_at", &oldest).Error
	if err != nil {
		return err
	}
	if len(oldest) == 1 {
		r.HeldSince = oldest[0].In(loc).Format(DateLayout)
		r.Covered = !oldest[0].After(start)
	}

	var past *Score
	if target == nil {
		if past, err = db.latestScore(ctx, shop.ID, addDays(r.Today, -30)); err != nil {
			return err
		}
		if past != nil {
			r.TargetDay = past.Date
		}
	}
	for _, d := range Dimensions {
		need := DSRNeed{Dim: d, N: r.Held}
		switch {
		case r.Latest == nil || !r.Latest.Has(d):
			need.Status = NeedNoScore
		case target == nil && (past == nil || !past.Has(d)):
			need.D, need.Status = r.Latest.Value(d), NeedNoTarget
		default:
			need.D = r.Latest.Value(d)
			if target != nil {
				need.T = *target
			} else {
				need.T = past.Value(d)
			}
			need.K, need.Status = FiveStarsNeeded(need.N, need.D, need.T, r.Covered)
		}
		r.Needs = append(r.Needs, need)
	}
	return nil
}
