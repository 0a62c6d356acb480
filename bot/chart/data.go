// Package chart draws the score trend charts the bot shows in Slack and
// writes in the shell: a shop's score over 30 or 90 days against its gates,
// and every shop's month as a heat map. It renders in-process to PNG with
// gonum's plot (its fonts are compiled in: nothing is downloaded or run).
//
// What is drawn is computed first as a Data or Heat value from storage's
// plain values, and drawn second, so tests hold the numbers to a golden
// file and the picture only to what a picture can be checked for.
//
// The image carries digits, dates, gate numbers and shop IDs only: the
// bundled fonts have no Chinese glyphs, so every name (dimensions, gates,
// shops) is said in the message text beside the image, in the shop's
// language. Series are told apart there by their colour (SeriesColor).
package chart

import (
	"math"

	"github.com/dsrbot/dsrbot/storage"
)

// Data is one shop's trend chart before it is drawn.
type Data struct {
	Shop     string           `json:"shop"`
	Platform storage.Platform `json:"platform"`
	// Days are the period's local days, First to Last; points refer to
	// them by index.
	Days []string `json:"days"`
	// Series are the overall score (Douyin) and each dimension, in the
	// order the card lists them; a series with no value in the period is
	// left out.
	Series []Series `json:"series"`
	// Gates are the shop's lines (Douyin only: Taobao's DSR has none).
	Gates []Gate `json:"gates,omitempty"`
	// Bad marks each day that new bad reviews arrived, with their count.
	Bad []Marker `json:"bad,omitempty"`
	// YMin and YMax are the value axis: every value and gate fits.
	YMin float64 `json:"ymin"`
	YMax float64 `json:"ymax"`
}

// Series is one line of the chart.
type Series struct {
	// Key is "overall" or a storage.Dimension.
	Key    string  `json:"key"`
	Points []Point `json:"points"`
	// Last is the newest point, labelled with its value.
	Last Point `json:"last"`
}

// Point is a value on the day of index Day.
type Point struct {
	Day   int     `json:"day"`
	Value float64 `json:"value"`
}

// Gate is a horizontal line: the shop's named threshold.
type Gate struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// Marker is a day on which Count new bad reviews arrived.
type Marker struct {
	Day   int `json:"day"`
	Count int `json:"count"`
}

// Overall is the series key of the overall score.
const Overall = "overall"

// taobaoOrder is the order Taobao shows its DSR in, as the card does.
var taobaoOrder = []storage.Dimension{storage.DimProduct, storage.DimService, storage.DimLogistics}

// ForShop computes a shop's chart from its history.
func ForShop(h *storage.ChartHistory) Data {
	d := Data{Shop: h.Shop.ID, Platform: h.Shop.Platform}
	index := map[string]int{}
	for day := h.First; day <= h.Last; day = addDays(day, 1) {
		index[day] = len(d.Days)
		d.Days = append(d.Days, day)
	}
	add := func(key string, value func(*storage.Score) (float64, bool)) {
		s := Series{Key: key}
		for i := range h.Scores {
			sc := &h.Scores[i]
			day, in := index[sc.Date]
			if v, ok := value(sc); ok && in {
				s.Points = append(s.Points, Point{Day: day, Value: math.Round(v*100) / 100})
			}
		}
		if len(s.Points) > 0 {
			s.Last = s.Points[len(s.Points)-1]
			d.Series = append(d.Series, s)
		}
	}
	dims := storage.Dimensions
	if h.Shop.Platform == storage.Taobao {
		dims = taobaoOrder
	} else {
		add(Overall, func(s *storage.Score) (float64, bool) {
			if s.Overall == nil {
				return 0, false
			}
			return storage.Shown(*s.Overall), true
		})
		for _, g := range h.Shop.GateList() {
			d.Gates = append(d.Gates, Gate{Name: g.Name, Value: g.Score})
		}
	}
	for _, dim := range dims {
		add(string(dim), func(s *storage.Score) (float64, bool) { return s.Value(dim), s.Has(dim) })
	}
	for _, b := range h.Bad {
		if day, ok := index[b.Day]; ok {
			d.Bad = append(d.Bad, Marker{Day: day, Count: b.Count})
		}
	}
	d.YMin, d.YMax = d.valueRange()
	return d
}

// valueRange is the value axis: the values and gates with a margin, on
// whole steps of the platform's scale, within the scale (50-100 on Douyin,
// 1-5 on Taobao).
func (d Data) valueRange() (lo, hi float64) {
	floor, ceil, margin := 50.0, 100.0, 2.0
	if d.Platform == storage.Taobao {
		floor, ceil, margin = 1, 5, 0.1
	}
	first := true
	see := func(v float64) {
		if first {
			lo, hi, first = v, v, false
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	for _, s := range d.Series {
		for _, p := range s.Points {
			see(p.Value)
		}
	}
	for _, g := range d.Gates {
		see(g.Value)
	}
	if first {
		return floor, ceil
	}
	lo, hi = max(floor, roundDown(lo-margin, margin)), min(ceil, roundUp(hi+margin, margin))
	if hi <= lo {
		hi = lo + margin
	}
	return lo, hi
}

func roundDown(v, step float64) float64 { return storage.Round1(float64(int(v/step)) * step) }

func roundUp(v, step float64) float64 {
	r := roundDown(v, step)
	if r < v {
		r = storage.Round1(r + step)
	}
	return r
}

// trendValue is the one number a day's score moves by, as the all-shops
// view orders by it (storage.Score.Headline).
func trendValue(p storage.Platform, s *storage.Score) (float64, bool) {
	return s.Headline(p)
}

// addDays moves a DateLayout day by n days.
func addDays(day string, n int) string {
	t, err := parseDay(day)
	if err != nil {
		return "~" // past any day: ends a loop over days
	}
	return t.AddDate(0, 0, n).Format(storage.DateLayout)
}
