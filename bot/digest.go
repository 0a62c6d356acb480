package bot

import (
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// RenderDigest renders a shop's morning digest: the score card's numbers
// with a week sparkline, the bad reviews no digest announced yet with their
// owners mentioned, overdue follow-ups, and late or at-risk orders. A shop
// with nothing new gets a short all-clear rather than silence. scheduled
// is when the digest was due (zero when run by hand); late adds a note
// that it comes after its time.
func RenderDigest(r *storage.DigestReport, scheduled time.Time, late bool) Message {
	return digestDoc(r, scheduled, late).message()
}

func digestDoc(r *storage.DigestReport, scheduled time.Time, late bool) *doc {
	l := langOf(&r.Shop)
	d := &doc{lang: l, title: l.t("digest.title", r.Shop.Name, r.Shop.ID, r.Today)}
	if late {
		d.sections = append(d.sections, section{lines: []line{{txt(l.t("digest.late", scheduled.In(r.Shop.Location()).Format("15:04")))}}})
	}
	score := scoreSection(l, &r.DayReport)
	if spark := weekLine(l, r); spark != "" {
		score.lines = append(score.lines, line{txt(spark)})
	}
	d.sections = append(d.sections, score)

	if r.UnreportedCount == 0 && r.OverdueCount == 0 && r.LateCount == 0 && r.AtRiskCount == 0 {
		d.sections = append(d.sections, section{lines: []line{{txt(l.t("digest.allclear"))}, {txt(statsLine(l, r.Stats))}}})
		d.footer = l.t("card.footer", r.Shop.ID)
		return d
	}

	reviews := section{heading: l.t("card.reviews")}
	if r.UnreportedCount == 0 {
		reviews.lines = append(reviews.lines, line{txt(l.t("digest.nonew"))})
	} else {
		reviews.lines = append(reviews.lines, line{txt(l.t("digest.new", r.UnreportedCount))})
	}
	// Each new open review carries Claim and Resolve; overdue ones are
	// listed without, to stay inside Slack's 50 blocks.
	for i := range r.Unreported {
		rv := &r.Unreported[i]
		reviews.lines = append(reviews.lines, reviewLine(l, rv, r.Now, true))
		reviews.actions = append(reviews.actions, openActions(l, rv))
	}
	if n := r.UnreportedCount - len(r.Unreported); n > 0 {
		reviews.lines = append(reviews.lines, line{txt(l.t("more", n))})
	}
	if r.OverdueCount > 0 {
		reviews.lines = append(reviews.lines, line{bold(l.t("digest.overdue", r.OverdueCount, int(r.Shop.FollowUpDeadline().Hours())))})
		for i := range r.Overdue {
			reviews.lines = append(reviews.lines, reviewLine(l, &r.Overdue[i], r.Now, false))
		}
		if n := r.OverdueCount - len(r.Overdue); n > 0 {
			reviews.more, reviews.hidden = l.t("more", n), n
		}
	}
	reviews.lines = append(reviews.lines, line{txt(statsLine(l, r.Stats))})
	if len(reviews.actions) > 0 {
		// actions has an entry per line: pad it past the listed reviews.
		reviews.actions = append(reviews.actions, make([]*actions, len(reviews.lines)-len(reviews.actions))...)
	} else {
		reviews.actions = nil
	}
	d.sections = append(d.sections, reviews, shippingSection(l, &r.DayReport))
	d.footer = l.t("card.footer", r.Shop.ID)
	return d
}

// sparkBars are the eight heights of a text sparkline.
var sparkBars = []rune("▁▂▃▄▅▆▇█")

// weekLine is the score from seven days before the newest one up to
// today as a sparkline, with the first and last values: "Week: ▇▆▆▅▅▃▂▁
// 72.2 → 68.9". It spans the days the card's week change compares, so the
// two always agree. Days without a score show as a dot.
func weekLine(l lang, r *storage.DigestReport) string {
	if len(r.Week) == 0 {
		return ""
	}
	byDay := make(map[string]float64, len(r.Week))
	for i := range r.Week {
		if v, ok := trendValue(&r.Shop, &r.Week[i]); ok {
			byDay[r.Week[i].Date] = v
		}
	}
	var vals []float64
	var days []string
	start := r.WeekStart
	if start == "" {
		start = addDays(r.Today, -7)
	}
	// At most a fortnight of bars: a score that stopped long ago has a
	// stale line on the card already.
	for day := start; day <= r.Today && len(days) < 15; day = addDays(day, 1) {
		days = append(days, day)
		if v, ok := byDay[day]; ok {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return ""
	}
	lo, hi := vals[0], vals[0]
	for _, v := range vals {
		lo, hi = min(lo, v), max(hi, v)
	}
	var b strings.Builder
	for _, day := range days {
		v, ok := byDay[day]
		switch {
		case !ok:
			b.WriteRune('·')
		case hi == lo:
			b.WriteRune(sparkBars[3])
		default:
			b.WriteRune(sparkBars[int((v-lo)/(hi-lo)*float64(len(sparkBars)-1)+0.5)])
		}
	}
	p := r.Shop.Platform
	return l.t("digest.week", b.String(), num(p, vals[0]), num(p, vals[len(vals)-1]))
}
