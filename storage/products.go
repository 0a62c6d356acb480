package storage

import (
	"context"
	"math"
	"sort"
	"strings"
	"time"
)

// Problem is what drags a product most, the one thing its suggested step
// fixes. The bot words the step from the catalogue; storage only decides
// which problem dominates.
type Problem string

// The problems, each with its step: size → the size chart; quality or
// material → the supplier; description or style → the detail page;
// logistics, packaging or late orders → the carrier or warehouse; presales
// shipped late → stop or re-date the presale; service → the service team's
// replies. Other is bad reviews that name no aspect (read them); none is a
// product with no bad review and no late order.
const (
	ProblemNone        Problem = ""
	ProblemPresale     Problem = "presale"
	ProblemSize        Problem = "size"
	ProblemQuality     Problem = "quality"
	ProblemDescription Problem = "description"
	ProblemLogistics   Problem = "logistics"
	ProblemService     Problem = "service"
	ProblemOther       Problem = "other"
)

// problems is the order in which equal counts are decided: the most
// specific step first (a late presale is stopped in one click, a size
// chart fixed in an afternoon), the vaguest last.
var problems = []Problem{ProblemPresale, ProblemSize, ProblemQuality, ProblemDescription, ProblemLogistics, ProblemService, ProblemOther}

// problemOf is the problem an aspect of a bad review counts towards.
func problemOf(a Aspect) Problem {
	switch a {
	case AspectSize:
		return ProblemSize
	case AspectQuality, AspectMaterial:
		return ProblemQuality
	case AspectDescription, AspectStyle:
		return ProblemDescription
	case AspectLogistics, AspectPackaging:
		return ProblemLogistics
	case AspectService:
		return ProblemService
	}
	return ProblemOther
}

// AspectCount is how many of a product's bad reviews name an aspect.
type AspectCount struct {
	Aspect Aspect
	Count  int
}

// ProductStats is one product of a shop over the platform's window, as
// plain counts.
type ProductStats struct {
	// Name is the product as orders and reviews name it: orders carry
	// only the name, so reviews (which carry ProductID too) are joined to
	// them on it.
	Name string
	// Orders are the product's orders paid in the window, cancelled ones
	// left out.
	Orders int
	// Reviews are its reviews created in the window, Bad those of them
	// that are 差评 (Review.Bad).
	Reviews, Bad int
	// Late are its orders of the window shipped after their ship-by time
	// or unshipped past it (StateShippedLate, StateLate); AtRisk those
	// unshipped and due within the shop's warning window (StateAtRisk).
	Late, AtRisk int
	// PresaleLate are the presale orders (PromisePresale) among Late.
	PresaleLate int
	// Aspects count what its bad reviews complain of, most named first
	// (ties in Aspects order); a review naming two aspects counts in both.
	Aspects []AspectCount
	// Drag and Problem are set by RankProducts.
	Drag    float64
	Problem Problem
}

// BadRate is the share of the product's reviews that are bad; 0 with no
// review.
func (p *ProductStats) BadRate() float64 { return rate(p.Bad, p.Reviews) }

// Dragging reports whether the product weighs the score down more than
// the shop's average would: a positive drag.
func (p *ProductStats) Dragging() bool { return p.Drag > dragEpsilon }

// dragEpsilon absorbs the float error of a product exactly at the shop's
// rates, whose drag is 0 to the last bit only by luck.
const dragEpsilon = 1e-9

// DragOf is how much a product weighs the shop's score down beyond its
// share: its bad reviews beyond what the shop's average bad rate would
// give its reviews, plus its late orders beyond what the shop's average
// late rate would give its orders:
//
//	drag = (bad − reviews × shopBadRate) + (late − orders × shopLateRate)
//
// A product at the shop's rates drags 0; one better than the shop drags
// less than 0. Both terms are counts of rows (bad reviews, late orders),
// so one of each weighs the same, as the platform counts them: each is one
// more row against the score for 30 days (Douyin) or 180 (Taobao). Over
// all of a shop's products the drags add up to 0.
func DragOf(p *ProductStats, shopBadRate, shopLateRate float64) float64 {
	return (float64(p.Bad) - float64(p.Reviews)*shopBadRate) + (float64(p.Late) - float64(p.Orders)*shopLateRate)
}

// ProblemOf decides a product's dominant problem from its counts: each
// bad review counts towards the problem of each aspect it names
// (problemOf), each late presale towards presale and each other late
// order towards logistics. The largest count wins; equal counts go by
// problems' order. A product with none of them has ProblemNone.
func ProblemOf(p *ProductStats) Problem {
	counts := map[Problem]int{
		ProblemPresale:   p.PresaleLate,
		ProblemLogistics: p.Late - p.PresaleLate,
	}
	named := 0
	for _, a := range p.Aspects {
		counts[problemOf(a.Aspect)] += a.Count
		named += a.Count
	}
	if named == 0 && p.Bad > 0 {
		// Bad reviews that name nothing still want reading.
		counts[ProblemOther] += p.Bad
	}
	best, bestN := ProblemNone, 0
	for _, pr := range problems {
		if counts[pr] > bestN {
			best, bestN = pr, counts[pr]
		}
	}
	return best
}

// RankProducts sets each product's Drag (DragOf at the shop's rates) and
// Problem (ProblemOf), and sorts them by drag, highest first; equal drags
// go by more bad reviews, then by name. It is the one ranking of "which
// products to fix first": /dsr products shows it, and the way back above
// a gate can name the products whose fix counts most from it.
func RankProducts(ps []ProductStats, shopBadRate, shopLateRate float64) {
	for i := range ps {
		ps[i].Drag = DragOf(&ps[i], shopBadRate, shopLateRate)
		ps[i].Problem = ProblemOf(&ps[i])
	}
	sort.SliceStable(ps, func(i, j int) bool { return dragBefore(&ps[i], &ps[j]) })
}

// dragBefore is RankProducts' order of two products.
func dragBefore(a, b *ProductStats) bool {
	if math.Abs(a.Drag-b.Drag) > dragEpsilon {
		return a.Drag > b.Drag
	}
	if a.Bad != b.Bad {
		return a.Bad > b.Bad
	}
	return a.Name < b.Name
}

// ProductReport is /dsr products of one shop: the shop's own rates over
// the platform's window and every product with orders or reviews in it,
// ranked by drag.
type ProductReport struct {
	Shop Shop
	// Now is the report time in the shop's zone; the window is
	// [Since, Now], Shop.Platform.Window() long.
	Now, Since time.Time
	// The shop's totals in the window, every product together (those
	// without a name too), and its rates: BadRate of its reviews,
	// LateRate of its orders.
	Orders, Reviews, Bad, Late int
	BadRate, LateRate          float64
	// Products are ranked by RankProducts: all of them, dragging or not,
	// for the renderer to cut.
	Products []ProductStats
}

// Dragging counts the products with a positive drag, which lead Products.
func (r *ProductReport) Dragging() int {
	n := 0
	for i := range r.Products {
		if r.Products[i].Dragging() {
			n++
		}
	}
	return n
}

// rate is n of total as a share; 0 of nothing is 0.
func rate(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}

// Products builds a shop's product report at now over the platform's
// window: orders paid in it and reviews created in it, grouped by product
// name (orders carry only the name; reviews are joined on theirs, so a
// product renamed in the shop counts as two). Rows without a product name
// count in the shop's rates but are no product of the list.
//
// Both tables are aggregated in SQL, through the (shop_id, paid_at) and
// (shop_id, created_at) indexes, so the report reads counts per product,
// never the window's rows. The late rules are Order.State's, written in
// SQL: shipped late compares the pickup where known, else the ship click,
// with ship_by (times are stored in UTC, to the second, so the columns
// compare as stored); unshipped past ship_by at now is late; unshipped
// and due within the warning window is at risk.
func (db *DB) Products(ctx context.Context, shop *Shop, now time.Time) (*ProductReport, error) {
	since := now.Add(-shop.Platform.Window())
	r := &ProductReport{Shop: *shop, Now: now.In(shop.Location()), Since: since.In(shop.Location())}
	byName := map[string]*ProductStats{}
	get := func(name string) *ProductStats {
		p := byName[name]
		if p == nil {
			p = &ProductStats{Name: name}
			byName[name] = p
		}
		return p
	}

	var orders []struct {
		Product                           string
		Orders, Late, PresaleLate, AtRisk int
	}
	err := db.gdb.WithContext(ctx).Raw(`SELECT product, COUNT(*) AS orders,
		COALESCE(SUM(late), 0) AS late,
		COALESCE(SUM(CASE WHEN late = 1 AND promise = ? THEN 1 ELSE 0 END), 0) AS presale_late,
		COALESCE(SUM(CASE WHEN shipped_at IS NULL AND ship_by >= ? AND ship_by <= ? THEN 1 ELSE 0 END), 0) AS at_risk
		FROM (SELECT product, promise, shipped_at, ship_by,
			CASE WHEN shipped_at IS NOT NULL AND COALESCE(picked_up_at, shipped_at) > ship_by THEN 1
				WHEN shipped_at IS NULL AND ship_by < ? THEN 1 ELSE 0 END AS late
			FROM orders WHERE shop_id = ? AND paid_at >= ? AND paid_at <= ? AND cancelled = `+db.d.False()+`) AS o
		GROUP BY product`,
		string(PromisePresale), utc(now), utc(now.Add(shop.WarnWindow())), utc(now), shop.ID, utc(since), utc(now)).
		Scan(&orders).Error
	if err != nil {
		return nil, err
	}
	for _, o := range orders {
		r.Orders += o.Orders
		r.Late += o.Late
		if o.Product == "" {
			continue
		}
		p := get(o.Product)
		p.Orders, p.Late, p.PresaleLate, p.AtRisk = o.Orders, o.Late, o.PresaleLate, o.AtRisk
	}

	// Reviews by product and, for the bad ones, by the aspects they name:
	// one row per distinct aspect list, split here.
	var reviews []struct {
		Product string
		Bad     bool
		Aspects string
		N       int
	}
	err = db.gdb.WithContext(ctx).Raw(`SELECT product, rating <= ? AS bad,
		CASE WHEN rating <= ? THEN aspects ELSE '' END AS aspects, COUNT(*) AS n
		FROM reviews WHERE shop_id = ? AND created_at >= ? AND created_at <= ?
		GROUP BY 1, 2, 3`,
		BadRating, BadRating, shop.ID, utc(since), utc(now)).Scan(&reviews).Error
	if err != nil {
		return nil, err
	}
	aspects := map[string]map[Aspect]int{}
	for _, rv := range reviews {
		r.Reviews += rv.N
		if rv.Bad {
			r.Bad += rv.N
		}
		if rv.Product == "" {
			continue
		}
		p := get(rv.Product)
		p.Reviews += rv.N
		if !rv.Bad {
			continue
		}
		p.Bad += rv.N
		if rv.Aspects == "" {
			continue
		}
		if aspects[rv.Product] == nil {
			aspects[rv.Product] = map[Aspect]int{}
		}
		for _, a := range strings.Split(rv.Aspects, ",") {
			aspects[rv.Product][Aspect(a)] += rv.N
		}
	}
	for name, counts := range aspects {
		byName[name].Aspects = sortedAspects(counts)
	}

	r.BadRate, r.LateRate = rate(r.Bad, r.Reviews), rate(r.Late, r.Orders)
	r.Products = make([]ProductStats, 0, len(byName))
	for _, p := range byName {
		r.Products = append(r.Products, *p)
	}
	RankProducts(r.Products, r.BadRate, r.LateRate)
	return r, nil
}

// sortedAspects lists aspect counts most named first, ties in the order of
// Aspects (aspects outside it last, by name).
func sortedAspects(counts map[Aspect]int) []AspectCount {
	order := map[Aspect]int{}
	for i, a := range Aspects {
		order[a] = i
	}
	out := make([]AspectCount, 0, len(counts))
	for a, n := range counts {
		out = append(out, AspectCount{a, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		oi, iok := order[out[i].Aspect]
		oj, jok := order[out[j].Aspect]
		if iok != jok {
			return iok
		}
		if oi != oj {
			return oi < oj
		}
		return out[i].Aspect < out[j].Aspect
	})
	return out
}

// ShopProduct is a product of one shop in a list across shops.
type ShopProduct struct {
	Shop Shop
	ProductStats
}

// ProductsAcross ranks the products of several shops together (an
// agency's worst products): each shop's report at now, each product's drag
// at its own shop's rates, then all of them by drag, highest first (ties by
// bad reviews, then shop ID, then name). Drags are counts of rows against
// a score, so they compare across shops.
func (db *DB) ProductsAcross(ctx context.Context, shops []Shop, now time.Time) ([]ShopProduct, error) {
	var out []ShopProduct
	for i := range shops {
		r, err := db.Products(ctx, &shops[i], now)
		if err != nil {
			return nil, err
		}
		for _, p := range r.Products {
			out = append(out, ShopProduct{Shop: r.Shop, ProductStats: p})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		if math.Abs(a.Drag-b.Drag) > dragEpsilon || a.Bad != b.Bad {
			return dragBefore(&a.ProductStats, &b.ProductStats)
		}
		if a.Shop.ID != b.Shop.ID {
			return a.Shop.ID < b.Shop.ID
		}
		return a.Name < b.Name
	})
	return out, nil
}
