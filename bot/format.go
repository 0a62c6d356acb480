package bot

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// decimals is how precisely a platform's scores are shown: the Douyin score
// to one decimal, Taobao's DSR to two, as the platforms show them.
func decimals(p storage.Platform) int {
	if p == storage.Taobao {
		return 2
	}
	return 1
}

// num formats a score value.
func num(p storage.Platform, v float64) string {
	return fmt.Sprintf("%.*f", decimals(p), v)
}

// delta formats a change with its direction: ▲0.4, ▼1.2, or ±0.0 when it
// rounds to nothing at the shown precision.
func delta(p storage.Platform, d float64) string { return deltaN(d, decimals(p)) }

// deltaN is delta with n decimals.
func deltaN(d float64, n int) string {
	r := roundTo(d, n)
	switch {
	case r > 0:
		return fmt.Sprintf("▲%.*f", n, r)
	case r < 0:
		return fmt.Sprintf("▼%.*f", n, -r)
	}
	return fmt.Sprintf("±%.*f", n, 0.0)
}

// roundTo rounds v to n decimals.
func roundTo(v float64, n int) float64 {
	scale := math.Pow(10, float64(n))
	return math.Round(v*scale) / scale
}

// age says how long ago t was: 12m ago, 5h ago, 3d ago.
func age(l lang, now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Hour:
		return l.t("age.minutes", int(math.Max(0, d.Minutes())))
	case d < 48*time.Hour:
		return l.t("age.hours", int(d.Hours()))
	}
	return l.t("age.days", int(d.Hours()/24))
}

// compact formats a duration compactly in the reader's language: 45m, 5h,
// 3d 4h (45分钟, 5小时, 3天4小时).
func compact(l lang, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Hour:
		return l.t("dur.m", int(d.Minutes()))
	case d < 48*time.Hour:
		return l.t("dur.h", int(d.Hours()))
	}
	return l.t("dur.dh", int(d.Hours())/24, int(d.Hours())%24)
}

// due says when an order is due relative to now: "due in 3h" or "due 5h ago".
func due(l lang, now, shipBy time.Time) string {
	if shipBy.After(now) {
		return l.t("due.in", compact(l, shipBy.Sub(now)))
	}
	return l.t("due.ago", compact(l, now.Sub(shipBy)))
}

// aspects names a review's aspects in the reader's language.
func aspects(l lang, r *storage.Review) string {
	as := r.AspectList()
	if len(as) == 0 {
		as = []storage.Aspect{storage.AspectOther}
	}
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = l.t("aspect." + string(a))
	}
	return strings.Join(names, l.t("list.sep"))
}

// owner is the span naming who follows a review up.
func owner(l lang, r *storage.Review) span {
	if r.Owner == "" {
		return txt(l.t("unassigned"))
	}
	return mentionOf(r.Owner)
}

// yuan formats an amount in fen as yuan with two decimals.
func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

// excerpt cuts review text for a list line.
func excerpt(s string) string { return truncateRunes(strings.Join(strings.Fields(s), " "), 60) }
