package bot

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// today is the score card of one shop.
func (b *Bot) today(ctx context.Context, shop *storage.Shop) (*doc, error) {
	r, err := b.Store.DayReport(ctx, shop, b.now())
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
			add(txt(l.t("card.dsr", dimName(l, p, d), "")), bold(num(p, r.Latest.Value(d))), txt(" · "+changes(l, r, dimValue(d))))
		}
		addText(mover(l, r))
		return s
	}
	overall, ok := overallOf(r.Latest)
	if r.GrowthStage() {
		// The platform's flat score, not shown to buyers: no stars.
		if ok {
			add(bold(l.t("card.growth.score", num(p, overall))))
		} else {
			add(bold(l.t("card.growth.none", num(p, storage.GrowthStageScore), num(p, storage.GrowthPenaltyScore))))
		}
		add(txt(l.t("card.growth.hint", storage.FormalStageOrders, r.PaidOrders30d)))
		if ok {
			add(txt(changes(l, r, overallOf)))
			addText(gates(l, &r.Shop, overall))
		}
		return s
	}
	add(bold(l.t("card.overall", num(p, overall), fmt.Sprintf("%.1f", storage.FivePoint(overall)))))
	add(txt(changes(l, r, overallOf)))
	addText(gates(l, &r.Shop, overall))
	for _, d := range storage.Dimensions {
		value := l.t("card.dimension.none")
		if r.Latest.Has(d) {
			value = num(p, r.Latest.Value(d)) + changeSince(l, p, r.Prev, r.Latest, dimValue(d))
		}
		add(txt(l.t("card.dimension", dimName(l, p, d), r.Shop.Weight(d), value)))
	}
	addText(mover(l, r))
	return s
}

// scoreValue reads one value of a day's score; ok is false when the day
// has none.
type scoreValue func(*storage.Score) (v float64, ok bool)

// overallOf is a day's overall score as shown: the platform's own number,
// rounded once (storage.Shown), never one computed in its place.
func overallOf(s *storage.Score) (float64, bool) {
	if s.Overall == nil {
		return 0, false
	}
	return storage.Shown(*s.Overall), true
}

// dimValue reads one dimension.
func dimValue(d storage.Dimension) scoreValue {
	return func(s *storage.Score) (float64, bool) { return s.Value(d), s.Has(d) }
}

// comparable reports whether old can be compared with cur: a growth-stage
// day's flat score against a formal one would show a move the platform
// never made.
func comparable(old, cur *storage.Score) bool {
	return old != nil && old.Stage == cur.Stage
}

// changes is "▼0.7 vs previous day · ▼2.4 vs 7 days before", saying plainly
// which comparison has no data.
func changes(l lang, r *storage.DayReport, value scoreValue) string {
	p := r.Shop.Platform
	cur, _ := value(r.Latest)
	cmp := func(old *storage.Score, days int, key string) string {
		day := addDays(r.Latest.Date, -days)
		if old == nil {
			return l.t("card.noprev", day)
		}
		if !comparable(old, r.Latest) {
			return l.t("card.noprev.stage", day, l.t("stage."+string(old.Stage)))
		}
		v, ok := value(old)
		if !ok {
			return l.t("card.noprev", day)
		}
		return l.t(key, delta(p, cur-v))
	}
	return cmp(r.Prev, 1, "card.change.day") + " · " + cmp(r.WeekAgo, 7, "card.change.week")
}

// changeSince is the change from old to cur as a remark after the value
// (" (▼1.6)", "（▼1.6）"), or "" when there is none to compare.
func changeSince(l lang, p storage.Platform, old, cur *storage.Score, value scoreValue) string {
	if !comparable(old, cur) {
		return ""
	}
	was, ok1 := value(old)
	now, ok2 := value(cur)
	if !ok1 || !ok2 {
		return ""
	}
	return l.t("paren", delta(p, now-was))
}

// gates says how far the shown score is from the shop's gate it could lose
// and the next one it could reach: "9.1 above the 60 line (千川投放) · 0.9
// below the 70 line (精选联盟)".
func gates(l lang, shop *storage.Shop, score float64) string {
	below, above := shop.NearestGates(score)
	var parts []string
	if below != nil {
		parts = append(parts, l.t("card.gate.above", num(storage.Douyin, score-below.Score), gateScore(below), below.Name))
	}
	if above != nil {
		parts = append(parts, underGate(l, above, score))
	}
	return strings.Join(parts, " · ")
}

// underGate is "0.9 below the 70 line (精选联盟)": the card and the
// all-shops line say it in the same words.
func underGate(l lang, g *storage.Gate, score float64) string {
	return l.t("card.gate.below", num(storage.Douyin, g.Score-score), gateScore(g), g.Name)
}

// gateScore writes a gate's line as its shop set it: 70, 60.5.
func gateScore(g *storage.Gate) string { return strconv.FormatFloat(g.Score, 'f', -1, 64) }

// mover is the first answer to "why did it move?": the dimension whose
// change since the previous day weighs most on the overall (for Taobao,
// the DSR rating that changed most).
func mover(l lang, r *storage.DayReport) string {
	if !comparable(r.Prev, r.Latest) {
		return ""
	}
	p := r.Shop.Platform
	var best storage.Dimension
	var bestImpact, bestDelta float64
	seen := false
	for _, d := range storage.Dimensions {
		if !r.Latest.Has(d) || !r.Prev.Has(d) {
			continue
		}
		seen = true
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
	// The day report carries the top cause of the dimension that fell
	// most; the line names it in one clause.
	cause := ""
	if c := r.Cause; c != nil && c.Dim == best && bestDelta < 0 {
		cause = causeClause(l, p, c)
	}
	switch {
	case !seen:
		return ""
	case best == "":
		return l.t("card.mover.none")
	case p == storage.Taobao && cause != "":
		return l.t("card.mover.dsr.cause", dimName(l, p, best), delta(p, bestDelta), cause)
	case p == storage.Taobao:
		return l.t("card.mover.dsr", dimName(l, p, best), delta(p, bestDelta))
	case cause != "":
		return l.t("card.mover.cause", dimName(l, p, best), delta(p, bestDelta), deltaN(bestImpact, 2), cause)
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
	ln := line{bold(rv.ReviewID), txt(fmt.Sprintf(" · %s · %s · %s · ", stars(l, rv), rv.Product, aspects(l, rv))), owner(l, rv), txt(" · " + age(l, now, rv.CreatedAt))}
	if rv.Status == storage.StatusDone {
		ln = append(ln, txt(" · "+l.t("reviews.done", l.t("outcome."+rv.Outcome))))
	}
	if withText && rv.Content != "" {
		ln = append(ln, txt(" · “"+excerpt(rv.Content)+"”"))
	}
	return ln
}

// stars is a review's rating as shown: 2★, or its grade (差评) where the
// export gave a grade and no stars.
func stars(l lang, rv *storage.Review) string {
	if rv.Grade != "" {
		return l.t("grade." + string(rv.Grade))
	}
	return fmt.Sprintf("%d★", rv.Rating)
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
		parts[i] = o.OrderID + l.t("paren", due(l, now, o.ShipBy))
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
