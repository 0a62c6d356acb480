package bot

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// today is the score card of one shop.
func (b *Bot) today(ctx context.Context, shop *storage.Shop) (*doc, error) {
	r, err := b.Store.DayReport(ctx, shop.ID, b.now())
	if err != nil {
		return nil, err
	}
	return cardDoc(r), nil
}

// cardDoc renders a day report as the score card: the score and why it moved,
// the bad reviews to handle, the orders about to ship late.
func cardDoc(r *storage.DayReport) *doc {
	l := langOf(&r.Shop)
	return &doc{
		lang:     l,
		title:    l.t("card.title", r.Shop.Name, r.Shop.ID, l.t("platform."+string(r.Shop.Platform))) + " · " + r.Today,
		sections: []section{scoreSection(l, r), reviewSection(l, r), shippingSection(l, r)},
		footer:   l.t("card.footer", r.Shop.ID),
	}
}

func scoreSection(l lang, r *storage.DayReport) section {
	s := section{heading: l.t("card.score")}
	add := func(spans ...span) { s.lines = append(s.lines, spans) }
	addText := func(text string) {
		if text != "" {
			add(txt(text))
		}
	}
	if r.Latest == nil {
		add(txt(l.t("card.noscore")))
		return s
	}
	if r.Stale() {
		add(txt(l.t("card.stale", r.Latest.Date)))
	}
	p := r.Shop.Platform
	if p == storage.Taobao {
		for _, d := range taobaoOrder {
			v := r.Latest.Value(d)
			add(txt(l.t("card.dsr", dimName(l, p, d), "")), bold(num(p, v)), txt(" · "+changes(l, r, func(s *storage.Score) float64 { return s.Value(d) })))
		}
		addText(mover(l, r))
		return s
	}
	overall := overallOf(&r.Shop, r.Latest)
	if r.GrowthStage() {
		add(bold(l.t("card.overall", num(p, storage.GrowthStageScore), fmt.Sprintf("%.1f", storage.FivePoint(storage.GrowthStageScore)))))
		add(txt(l.t("card.growth", r.PaidOrders30d, storage.FormalStageOrders, num(p, storage.GrowthStageScore))))
		return s
	}
	add(bold(l.t("card.overall", num(p, overall), fmt.Sprintf("%.1f", storage.FivePoint(overall)))))
	add(txt(changes(l, r, func(s *storage.Score) float64 { return overallOf(&r.Shop, s) })))
	add(txt(gates(l, overall)))
	for _, d := range storage.Dimensions {
		value := strings.TrimSpace(num(p, r.Latest.Value(d)) + " " + changeSince(p, r.Prev, r.Latest, func(s *storage.Score) float64 { return s.Value(d) }))
		add(txt(l.t("card.dimension", dimName(l, p, d), r.Shop.Weight(d), value)))
	}
	addText(mover(l, r))
	return s
}

// overallOf is a score's overall value; a Douyin score imported without one
// is computed from the shop's weights rather than shown as zero.
func overallOf(shop *storage.Shop, s *storage.Score) float64 {
	if s.Overall != nil {
		return *s.Overall
	}
	var sum float64
	for _, d := range storage.Dimensions {
		sum += s.Value(d) * float64(shop.Weight(d))
	}
	return sum / 100
}

// changes is "▼0.7 vs previous day · ▼2.4 vs 7 days before", saying plainly
// which comparison has no data.
func changes(l lang, r *storage.DayReport, value func(*storage.Score) float64) string {
	p := r.Shop.Platform
	cmp := func(old *storage.Score, days int, key string) string {
		if old == nil {
			return l.t("card.noprev", addDays(r.Latest.Date, -days))
		}
		return l.t(key, delta(p, value(r.Latest)-value(old)))
	}
	return cmp(r.Prev, 1, "card.change.day") + " · " + cmp(r.WeekAgo, 7, "card.change.week")
}

// changeSince is the change from old to cur, or "" without old.
func changeSince(p storage.Platform, old, cur *storage.Score, value func(*storage.Score) float64) string {
	if old == nil {
		return ""
	}
	return "(" + delta(p, value(cur)-value(old)) + ")"
}

// gates says how far the score is from the gate it could lose and the next
// one it could reach: "1.2 above the 70 line (精选联盟) · 10.8 below the 80 line (超级福袋)".
func gates(l lang, score float64) string {
	below, above := storage.NearestGates(score)
	var parts []string
	if below != nil {
		parts = append(parts, l.t("card.gate.above", num(storage.Douyin, score-below.Score), fmt.Sprint(below.Score), below.Name))
	}
	if above != nil {
		parts = append(parts, l.t("card.gate.below", gapBelow(above.Score, score), fmt.Sprint(above.Score), above.Name))
	}
	return strings.Join(parts, " · ")
}

// gapBelow is how far a score is under a gate. Under a gate is under it,
// however little: a gap that rounds to 0.0 is shown to two decimals rather
// than as "0.0 below", which would read as safe.
func gapBelow(gate, score float64) string {
	if gap := gate - score; roundTo(gap, 1) == 0 {
		return fmt.Sprintf("%.2f", gap)
	}
	return num(storage.Douyin, gate-score)
}

// mover is the first answer to "why did it move?": the dimension whose
// change since the previous day weighs most on the overall (for Taobao,
// the DSR rating that changed most).
func mover(l lang, r *storage.DayReport) string {
	if r.Prev == nil {
		return ""
	}
	p := r.Shop.Platform
	var best storage.Dimension
	var bestImpact, bestDelta float64
	for _, d := range storage.Dimensions {
		change := r.Latest.Value(d) - r.Prev.Value(d)
		if roundTo(change, decimals(p)) == 0 {
			// A change the card shows as ±0 cannot be the answer.
			continue
		}
		impact := change
		if p == storage.Douyin {
			impact = change * float64(r.Shop.Weight(d)) / 100
		}
		if math.Abs(impact) > math.Abs(bestImpact) {
			best, bestImpact, bestDelta = d, impact, change
		}
	}
	if best == "" {
		return l.t("card.mover.none")
	}
	if p == storage.Taobao {
		return l.t("card.mover.dsr", dimName(l, p, best), delta(p, bestDelta))
	}
	return l.t("card.mover", dimName(l, p, best), delta(p, bestDelta), deltaN(bestImpact, 2))
}

// taobaoOrder is the order Taobao shows its DSR in: 描述相符, 服务态度, 物流服务.
var taobaoOrder = []storage.Dimension{storage.DimProduct, storage.DimService, storage.DimLogistics}

func dimName(l lang, p storage.Platform, d storage.Dimension) string {
	return l.t("dim." + string(p) + "." + string(d))
}

func reviewSection(l lang, r *storage.DayReport) section {
	s := section{heading: l.t("card.reviews")}
	if r.NewBadCount == 0 {
		s.lines = append(s.lines, line{txt(l.t("card.reviews.none", r.OlderOpen))})
	} else {
		s.lines = append(s.lines, line{txt(l.t("card.reviews.new", r.NewBadCount, r.OlderOpen))})
	}
	for i := range r.NewBad {
		s.lines = append(s.lines, reviewLine(l, &r.NewBad[i], r.Now, false))
	}
	if n := r.NewBadCount - len(r.NewBad); n > 0 {
		s.more, s.hidden = l.t("more", n), n
	}
	return s
}

// reviewLine is one bad review in a list: ID, stars, product, aspects,
// owner and age, and with text the start of what the buyer wrote.
func reviewLine(l lang, rv *storage.Review, now time.Time, withText bool) line {
	ln := line{bold(rv.ReviewID), txt(fmt.Sprintf(" · %d★ · %s · %s · ", rv.Rating, rv.Product, aspects(l, rv))), owner(l, rv), txt(" · " + age(l, now, rv.CreatedAt))}
	if rv.Status == storage.StatusDone {
		ln = append(ln, txt(" · "+l.t("reviews.done", l.t("outcome."+rv.Outcome))))
	}
	if withText && rv.Content != "" {
		ln = append(ln, txt(" · “"+excerpt(rv.Content)+"”"))
	}
	return ln
}

func shippingSection(l lang, r *storage.DayReport) section {
	s := section{heading: l.t("card.shipping")}
	s.lines = append(s.lines, line{txt(l.t("card.shipping.sum", r.LateCount, r.AtRiskCount, int(r.Shop.WarnWindow().Hours())))})
	if r.LateCount > 0 {
		s.lines = append(s.lines, line{txt(l.t("card.late", orderList(l, r.Late, r.LateCount, r.Now)))})
	}
	if r.AtRiskCount > 0 {
		s.lines = append(s.lines, line{txt(l.t("card.atrisk", orderList(l, r.AtRisk, r.AtRiskCount, r.Now)))})
	}
	return s
}

// orderList names the first orders with when each is due, and counts the rest.
func orderList(l lang, orders []storage.Order, total int, now time.Time) string {
	parts := make([]string, len(orders))
	for i, o := range orders {
		parts[i] = fmt.Sprintf("%s (%s)", o.OrderID, due(l, now, o.ShipBy))
	}
	out := strings.Join(parts, l.t("list.sep"))
	if n := total - len(orders); n > 0 {
		out += l.t("list.sep") + l.t("more", n)
	}
	return out
}

// addDays moves a YYYY-MM-DD day by n days.
func addDays(day string, n int) string {
	t, err := time.Parse(storage.DateLayout, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(storage.DateLayout)
}
