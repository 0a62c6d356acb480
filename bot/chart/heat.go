package chart

import (
	"math"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// Heat is the all-shops chart before it is drawn: a row per shop, a cell
// per day, coloured by the shop's distance to its line that day.
//
// A heat map rather than small multiples: thirty small line charts at
// Slack's preview size are thirty unreadable squiggles, each on its own
// scale; thirty rows of cells on one colour scale show at a glance which
// shops slipped this month, and when, and need one label per row.
type Heat struct {
	Days []string  `json:"days"`
	Rows []HeatRow `json:"rows"`
}

// HeatRow is one shop's cells: its distance to the line on each day of
// Days, nil where it has no score that day.
type HeatRow struct {
	Shop     string           `json:"shop"`
	Platform storage.Platform `json:"platform"`
	Cells    []*float64       `json:"cells"`
}

// The lines the heat map measures from. Douyin's is the 70 line
// (精选联盟's default gate), whichever gates the shop sets, so that every
// row's colour means the same. Taobao's DSR has no gate; its line is a mean
// rating of 4.8, and a tenth of a star counts as five points, which puts a
// shop at 4.6 as far under as a Douyin shop at 60.
const (
	HeatLine       = 70.0
	TaobaoHeatLine = 4.8
	taobaoPoints   = 50.0
	// HeatClamp is the distance at which a cell's colour is at its
	// deepest.
	HeatClamp = 10.0
)

// ForShops computes the heat map of shops over first..last from their
// scores by shop ID (storage.ScoreHistories), in the order of shops.
func ForShops(shops []storage.Shop, scores map[string][]storage.Score, first, last string) Heat {
	var h Heat
	index := map[string]int{}
	for day := first; day <= last; day = addDays(day, 1) {
		index[day] = len(h.Days)
		h.Days = append(h.Days, day)
	}
	for _, s := range shops {
		row := HeatRow{Shop: s.ID, Platform: s.Platform, Cells: make([]*float64, len(h.Days))}
		for i := range scores[s.ID] {
			sc := &scores[s.ID][i]
			day, in := index[sc.Date]
			v, ok := trendValue(s.Platform, sc)
			if !in || !ok {
				continue
			}
			dist := v - HeatLine
			if s.Platform == storage.Taobao {
				dist = (v - TaobaoHeatLine) * taobaoPoints
			}
			dist = math.Round(dist*10) / 10
			row.Cells[day] = &dist
		}
		h.Rows = append(h.Rows, row)
	}
	return h
}

func parseDay(day string) (time.Time, error) { return time.Parse(storage.DateLayout, day) }
