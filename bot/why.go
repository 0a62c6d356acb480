package bot

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// whyHandler is `/dsr why [SHOP]`: one shop's causes down to the rows, or
// outside a shop's channel one line per shop that fell.
func (b *Bot) whyHandler(ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	if shop != nil {
		r, err := b.Store.Why(ctx, shop, b.now())
		if err != nil {
			return nil, err
		}
		return whyDoc(r), nil
	}
	shops, err := b.Store.ListShopsIn(ctx, req.scope())
	if err != nil {
		return nil, err
	}
	reports := make([]*storage.WhyReport, len(shops))
	for i := range shops {
		if reports[i], err = b.Store.Why(ctx, &shops[i], b.now()); err != nil {
			return nil, err
		}
	}
	l := b.replyLang(req)
	return whyAllDoc(l, b.now().In(b.location()).Format(storage.DateLayout), reports), nil
}

// whyDoc renders one shop's causes: for each dimension that fell, its
// move, the indicator that moved most, then the rows, newest first.
func whyDoc(r *storage.WhyReport) *doc {
	l := langOf(&r.Shop)
	d := &doc{lang: l, title: l.t("why.title", r.Shop.Name, r.Shop.ID) + " · " + r.Today, footer: l.t("why.footer", r.Shop.ID)}
	para := func(key string, args ...any) section { return section{lines: []line{{txt(l.t(key, args...))}}} }
	switch {
	case r.Latest == nil:
		d.sections = []section{para("card.noscore")}
		return d
	case len(r.Falls) == 0:
		d.sections = []section{para("why.nothing")}
		return d
	}
	p := r.Shop.Platform
	d.sections = []section{para("why.window", p.WindowDays())}
	dr := &storage.DayReport{Shop: r.Shop, Latest: r.Latest, Prev: r.Prev, WeekAgo: r.WeekAgo}
	for i := range r.Falls {
		f := &r.Falls[i]
		head := section{heading: dimName(l, p, f.Dim), lines: []line{{txt(changes(l, dr, dimValue(f.Dim)))}}}
		if m := f.Indicator; m != nil {
			head.lines = append(head.lines, line{txt(l.t("why.indicator", l.t("indicator."+m.Indicator.Column), indicatorValue(l, m.Indicator, m.Was), indicatorValue(l, m.Indicator, m.Now)))})
		}
		if !f.Explained() {
			head.lines = append(head.lines, line{txt(l.t("why.unexplained"))})
		}
		d.sections = append(d.sections, head)
		d.sections = append(d.sections, evidenceSections(l, r, f)...)
	}
	return d
}

// evidenceSections are a fall's rows, one section per kind, each cut at
// storage.WhyListLimit with "and N more".
func evidenceSections(l lang, r *storage.WhyReport, f *storage.Fall) []section {
	var out []section
	loc := r.Shop.Location()
	list := func(heading string, lines []line, total int) {
		s := section{heading: heading, lines: lines}
		if n := total - len(lines); n > 0 {
			s.more, s.hidden = l.t("more", n), n
		}
		out = append(out, s)
	}
	if f.ProductReviews > 0 {
		groups := f.Products
		if len(groups) > storage.WhyListLimit {
			groups = groups[:storage.WhyListLimit]
		}
		var lines []line
		for _, g := range groups {
			ids := make([]string, len(g.Reviews))
			for i, rv := range g.Reviews {
				ids[i] = rv.ReviewID
			}
			idList := strings.Join(ids, l.t("list.sep"))
			if n := g.Count - len(ids); n > 0 {
				idList += l.t("list.sep") + l.t("more", n)
			}
			lines = append(lines, line{txt(l.t("why.group", g.Product, l.t("aspect."+string(g.Aspect)), g.Count, idList))})
		}
		list(l.t("why.products", f.ProductReviews), lines, len(f.Products))
	}
	if f.LateCount > 0 {
		var lines []line
		for _, o := range f.Late {
			key := "why.late.open"
			if o.Shipped {
				key = "why.late.shipped"
			}
			lines = append(lines, line{txt(l.t(key, o.OrderID, o.Product, compact(l, o.Late), shortTime(o.PaidAt, loc)))})
		}
		list(l.t("why.late", f.LateCount), lines, f.LateCount)
	}
	if pk := f.Pickup; pk != nil && pk.Slower {
		var lines []line
		for _, o := range pk.Slow {
			lines = append(lines, line{txt(l.t("why.pickup.order", o.OrderID, o.Product, oneDecimal(o.Hours), shortTime(o.PaidAt, loc)))})
		}
		list(l.t("why.pickup", oneDecimal(pk.RecentMean), storage.RecentPickupDays, pk.RecentOrders, oneDecimal(pk.WindowMean), pk.WindowOrders), lines, pk.SlowCount)
	}
	if f.ReviewCount > 0 {
		var lines []line
		for i := range f.Reviews {
			lines = append(lines, reviewLine(l, &f.Reviews[i], r.Now, false))
		}
		list(l.t("why.reviews."+string(f.Dim), f.ReviewCount), lines, f.ReviewCount)
	}
	if f.OverdueCount > 0 {
		var lines []line
		for i := range f.Overdue {
			rv := &f.Overdue[i]
			lines = append(lines, append(line{bold(rv.ReviewID)}, txt(" · "+l.t("why.overdue.line", rv.Product, aspects(l, rv), shortTime(rv.Due(&r.Shop), loc)))))
		}
		list(l.t("why.overdue", f.OverdueCount), lines, f.OverdueCount)
	}
	if f.NoOutcomeCount > 0 {
		var lines []line
		for i := range f.NoOutcome {
			rv := &f.NoOutcome[i]
			closed := ""
			if rv.ClosedAt != nil {
				closed = shortTime(*rv.ClosedAt, loc)
			}
			lines = append(lines, append(line{bold(rv.ReviewID)}, txt(" · "+l.t("why.nooutcome.line", rv.Product, aspects(l, rv), closed))))
		}
		list(l.t("why.nooutcome", f.NoOutcomeCount), lines, f.NoOutcomeCount)
	}
	return out
}

// whyAllDoc is `/dsr why` across shops: one line per shop that fell, the
// biggest fall first, naming the dimension that fell most and its top
// cause. It spans shops, so it is in the request's language.
func whyAllDoc(l lang, today string, reports []*storage.WhyReport) *doc {
	d := &doc{lang: l, title: l.t("why.all.title", today), footer: l.t("why.all.footer")}
	type fell struct {
		r    *storage.WhyReport
		f    *storage.Fall
		size float64
	}
	var falls []fell
	for _, r := range reports {
		if f, size := biggestFall(r); f != nil {
			falls = append(falls, fell{r, f, size})
		}
	}
	if len(falls) == 0 {
		d.sections = []section{{lines: []line{{txt(l.t("why.all.none"))}}}}
		return d
	}
	sort.SliceStable(falls, func(i, j int) bool { return falls[i].size > falls[j].size })
	list := section{flow: true}
	for _, x := range falls {
		p := x.r.Shop.Platform
		move := l.t("card.change.week", delta(p, x.f.Week))
		if x.f.DayOK && x.f.Day < 0 {
			move = l.t("card.change.day", delta(p, x.f.Day))
		}
		cause := l.t("cause.none")
		if c := x.f.Top(p.WindowDays()); c != nil {
			cause = causeClause(l, p, c)
		}
		list.lines = append(list.lines, line{bold(x.r.Shop.ID), txt(" " + x.r.Shop.Name + " · " + l.t("why.all.line", dimName(l, p, x.f.Dim), move, cause))})
	}
	d.sections = []section{list}
	return d
}

// biggestFall is the fall of a shop that weighs most, as a share of the
// platform's scale so shops of both platforms compare: a Douyin dimension's
// fall times its weight, of 100 points; a Taobao rating's fall, of 5 stars.
// The day's fall counts where there is one, else the week's.
func biggestFall(r *storage.WhyReport) (*storage.Fall, float64) {
	var best *storage.Fall
	var bestSize float64
	for i := range r.Falls {
		f := &r.Falls[i]
		drop := -f.Week
		if f.DayOK && f.Day < 0 {
			drop = -f.Day
		}
		size := drop / 5
		if r.Shop.Platform == storage.Douyin {
			size = drop * float64(r.Shop.Weight(f.Dim)) / 100 / 100
		}
		if best == nil || size > bestSize {
			best, bestSize = f, size
		}
	}
	return best, bestSize
}

// causeClause says a top cause in one clause: "6 orders shipped late in
// 30 days", "4 bad reviews of 连衣裙 L 黑色 (size)".
func causeClause(l lang, p storage.Platform, c *storage.Cause) string {
	switch c.Kind {
	case storage.CauseIndicator:
		m := c.Move
		return l.t("cause.indicator", l.t("indicator."+m.Indicator.Column), indicatorValue(l, m.Indicator, m.Was), indicatorValue(l, m.Indicator, m.Now))
	case storage.CauseProduct:
		return l.t("cause.product", c.Count, c.Product, l.t("aspect."+string(c.Aspect)))
	case storage.CauseLate:
		return l.t("cause.late", c.Count, c.Days)
	case storage.CauseSlowPickup:
		return l.t("cause.slow_pickup", oneDecimal(c.Recent), storage.RecentPickupDays, oneDecimal(c.Mean))
	case storage.CauseReviews:
		return l.t("cause.reviews."+string(c.Dim), c.Count, c.Days)
	case storage.CauseOverdue:
		return l.t("cause.overdue", c.Count)
	case storage.CauseNoOutcome:
		return l.t("cause.no_outcome", c.Count, c.Days)
	}
	return ""
}

// indicatorValue writes an indicator's value in its unit: 4.70, 0.35%,
// 26.0 h, 45 s.
func indicatorValue(l lang, ind storage.Indicator, v float64) string {
	var n string
	switch ind.Unit {
	case "rating":
		n = fmt.Sprintf("%.2f", v)
	case "seconds":
		n = fmt.Sprintf("%.0f", v)
	case "percent":
		n = trimZeros(fmt.Sprintf("%.2f", v))
	default:
		n = oneDecimal(v)
	}
	return l.t("unit."+ind.Unit, n)
}

// trimZeros writes 0.35 as 0.35, 95.00 as 95 and 93.20 as 93.2.
func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// oneDecimal writes hours as the evidence shows them: 5.0, 31.5.
func oneDecimal(v float64) string { return fmt.Sprintf("%.1f", math.Round(v*10)/10) }

// shortTime is a time in the shop's zone as lists show it: 11-22 09:00.
func shortTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("01-02 15:04") }
