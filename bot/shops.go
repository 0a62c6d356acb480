package bot

import (
	"context"
	"math"
	"sort"
	"strings"

	"github.com/dsrbot/dsrbot/storage"
)

// allShops is `/dsr today` outside a shop's channel: what an agency's
// operations lead reads first thing. A summary line, then one line per shop
// the request may see (its workspace's; in the local shell, every shop),
// the shops most at risk first (riskBefore), in one list without gaps. It
// spans shops, so it is in the request's language (replyLang).
func (b *Bot) allShops(ctx context.Context, req Request) (*doc, error) {
	shops, err := b.Store.ListShopsIn(ctx, req.scope())
	if err != nil {
		return nil, err
	}
	l := b.replyLang(req)
	now := b.now()
	d := &doc{lang: l, title: l.t("all.title", now.In(b.location()).Format(storage.DateLayout)), footer: l.t("all.footer")}
	if len(shops) == 0 {
		d.sections = []section{{lines: []line{{txt(noShops(l, req))}}}}
		return d, nil
	}
	// One question at a time for all the shops (DaySummaries), not a
	// dozen per shop: on PostgreSQL each is a round trip.
	reports, err := b.Store.DaySummaries(ctx, shops, now)
	if err != nil {
		return nil, err
	}
	risks := make([]shopRisk, len(reports))
	for i, r := range reports {
		risks[i] = riskOf(r)
	}
	sort.SliceStable(risks, func(i, j int) bool { return riskBefore(&risks[i], &risks[j]) })
	list := section{flow: true}
	for i := range risks {
		list.lines = append(list.lines, summaryLine(l, risks[i].r))
	}
	d.sections = []section{{lines: []line{agencySummary(l, risks)}}, list}
	return d, nil
}

// shopRisk is what the all-shops view sorts a shop by, from its day
// report.
type shopRisk struct {
	r *storage.DayReport
	// score is the shown Douyin score (formal, or the growth stage's flat
	// one) that gates are measured on; scored is false for a Taobao shop
	// and a shop with no score.
	score  float64
	scored bool
	// gap is how far the score is under the nearest gate above it, when
	// below is set.
	gap   float64
	below bool
	// day and week are the drops of the headline since the previous day
	// and since 7 days before, as a share of the platform's scale (a
	// point of 100, a hundredth of 5 stars), so a Douyin shop and a Taobao
	// shop compare; 0 for a rise or nothing to compare.
	day, week float64
	// backlog is open follow-ups, overdue ones once more, and late orders.
	backlog int
}

// riskOf reads a shop's risk from its day report, on the numbers its line
// shows (rounded as shown), so the order never disagrees with the lines.
func riskOf(r *storage.DayReport) shopRisk {
	k := shopRisk{r: r, backlog: r.OpenCount + r.OverdueOpen + r.LateCount}
	if r.Latest == nil {
		return k
	}
	if r.Shop.Platform == storage.Douyin {
		if v, ok := overallOf(r.Latest); ok {
			k.score, k.scored = v, true
			if _, above := r.Shop.NearestGates(v); above != nil {
				k.below, k.gap = true, roundTo(above.Score-v, 1)
			}
		}
	}
	k.day = drop(r, r.Prev)
	k.week = drop(r, r.WeekAgo)
	return k
}

// drop is the fall of a shop's headline (the Douyin overall, the mean of
// the Taobao DSR) from old to the latest score, rounded as the platform
// shows it and as a share of its scale: 0 for a rise, or when there is
// nothing comparable.
func drop(r *storage.DayReport, old *storage.Score) float64 {
	if !comparable(old, r.Latest) {
		return 0
	}
	was, ok1 := trendValue(&r.Shop, old)
	now, ok2 := trendValue(&r.Shop, r.Latest)
	if !ok1 || !ok2 {
		return 0
	}
	p := r.Shop.Platform
	scale := 100.0
	if p == storage.Taobao {
		scale = 5
	}
	return math.Min(0, roundTo(now-was, decimals(p))/scale)
}

// trendValue is the one number a day's score moves by, for the risk order
// and the digest's sparkline alike (storage.Score.Headline, which the
// charts draw too).
func trendValue(shop *storage.Shop, s *storage.Score) (float64, bool) {
	return s.Headline(shop.Platform)
}

// riskBefore orders the all-shops view by what needs the lead first:
//
//  1. Shops under one of their gates (losing 精选联盟 or 千川 traffic now),
//     the nearest under it first: a shop 0.3 under its line is one good
//     day from getting the traffic back, so it is where today's work pays.
//  2. Then the largest drop since the previous day, then since 7 days
//     before: a fall is tomorrow's gate.
//  3. Then the largest backlog: open follow-ups, overdue ones counted
//     twice, and late orders.
//
// Ties keep the shops' ID order.
func riskBefore(a, b *shopRisk) bool {
	if a.below != b.below {
		return a.below
	}
	if a.below && a.gap != b.gap {
		return a.gap < b.gap
	}
	if a.day != b.day {
		return a.day < b.day
	}
	if a.week != b.week {
		return a.week < b.week
	}
	if a.backlog != b.backlog {
		return a.backlog > b.backlog
	}
	return a.r.Shop.ID < b.r.Shop.ID
}

// agencySummary is the line above the shops: how many are under a gate,
// and the follow-ups and orders overdue across them ("7 of 30 below 精选联盟
// 70 · 12 overdue · 5 late"). It names one gate: the one most shops are
// under; when none is, the gate most shops have, the highest of those
// (the defaults' 精选联盟 70), which is the line agencies watch. A shop
// under another gate is still first in the list below.
func agencySummary(l lang, risks []shopRisk) line {
	overdue, late := 0, 0
	type count struct {
		gate        storage.Gate
		below, held int
	}
	gates := map[string]*count{}
	for i := range risks {
		k := &risks[i]
		overdue += k.r.OverdueOpen
		late += k.r.LateCount
		if k.r.Shop.Platform != storage.Douyin {
			continue
		}
		for _, g := range k.r.Shop.GateList() {
			c := gates[g.String()]
			if c == nil {
				c = &count{gate: g}
				gates[g.String()] = c
			}
			c.held++
			if k.scored && k.score < g.Score {
				c.below++
			}
		}
	}
	var named *count
	for _, c := range gates {
		if named == nil || c.below > named.below ||
			c.below == named.below && (c.held > named.held ||
				c.held == named.held && (c.gate.Score > named.gate.Score ||
					c.gate.Score == named.gate.Score && c.gate.Name < named.gate.Name)) {
			named = c
		}
	}
	if named == nil {
		return line{bold(l.t("all.summary.nogate", len(risks), overdue, late))}
	}
	return line{bold(l.t("all.summary", named.below, len(risks), named.gate.String(), overdue, late))}
}

// summaryLine is one shop in a line: its score and change (for Taobao each
// rating's), the gate it is under if any, its new bad reviews, its open
// follow-ups and how many of them are overdue, and its late and at-risk
// orders.
func summaryLine(l lang, r *storage.DayReport) line {
	p := r.Shop.Platform
	ln := line{bold(r.Shop.ID), txt(" " + r.Shop.Name + " · ")}
	switch {
	case r.Latest == nil:
		ln = append(ln, txt(l.t("all.noscore")))
	case r.GrowthStage():
		growth := l.t("all.growth")
		v, ok := overallOf(r.Latest)
		if ok {
			growth += " " + num(p, v)
		}
		ln = append(ln, txt(growth))
		if ok {
			ln = append(ln, gateBelow(l, &r.Shop, v)...)
		}
	case p == storage.Taobao:
		ratings := make([]string, len(taobaoOrder))
		for i, d := range taobaoOrder {
			ratings[i] = num(p, r.Latest.Value(d))
			if comparable(r.Prev, r.Latest) && r.Prev.Has(d) && r.Latest.Has(d) {
				ratings[i] += " " + delta(p, r.Latest.Value(d)-r.Prev.Value(d))
			}
		}
		ln = append(ln, txt("DSR "+strings.Join(ratings, " / ")))
	default:
		overall, _ := overallOf(r.Latest)
		ln = append(ln, bold(num(p, overall)))
		if comparable(r.Prev, r.Latest) {
			if prev, ok := overallOf(r.Prev); ok {
				ln = append(ln, txt(" "+delta(p, overall-prev)))
			}
		}
		ln = append(ln, gateBelow(l, &r.Shop, overall)...)
	}
	if r.Stale() {
		ln = append(ln, txt(l.t("paren", r.Latest.Date)))
	}
	ln = append(ln, txt(" · "+l.t("all.line", r.NewBadCount, r.OpenCount, r.OverdueOpen, r.LateCount, r.AtRiskCount)))
	return ln
}

// gateBelow names the gate a shop's shown score is under, if any: under one
// of its gates a shop is losing traffic now, growth stage (60 after a
// penalty) or formal.
func gateBelow(l lang, shop *storage.Shop, score float64) []span {
	if _, above := shop.NearestGates(score); above != nil {
		return []span{txt(" · " + underGate(l, above, score))}
	}
	return nil
}

// noShops is the answer across shops when the request may see none: a
// workspace with no shop yet is told how an admin gives it one, with its
// own ID to copy; the local shell, that the database holds none.
func noShops(l lang, req Request) string {
	if req.Local {
		return l.t("all.noshops")
	}
	return l.t("all.noshops.team", req.Team)
}
