package storage

import (
	"context"
	"math"
	"time"
)

// DateLayout is how a local calendar day is written in the database and in
// the scores CSV.
const DateLayout = "2006-01-02"

// Score is one day's published score of a shop. For Douyin the values are the
// 商家体验分 (50-100) and its three dimensions; for Taobao they are the DSR
// ratings (1-5): Product is 描述相符, Service 服务态度, Logistics 物流服务, and
// Overall is usually absent.
type Score struct {
	ShopID    string
	Date      string // local day, DateLayout
	Overall   *float64
	Product   float64
	Logistics float64
	Service   float64
}

// Dimension names one part of a shop's score.
type Dimension string

// The score dimensions, in display order.
const (
	DimProduct   Dimension = "product"
	DimLogistics Dimension = "logistics"
	DimService   Dimension = "service"
)

// Dimensions lists the dimensions in display order.
var Dimensions = []Dimension{DimProduct, DimLogistics, DimService}

// Value returns the score of one dimension.
func (s *Score) Value(d Dimension) float64 {
	switch d {
	case DimProduct:
		return s.Product
	case DimLogistics:
		return s.Logistics
	default:
		return s.Service
	}
}

// Weight returns the shop's weight of a dimension in percent.
func (s *Shop) Weight(d Dimension) int {
	switch d {
	case DimProduct:
		return s.WeightProduct
	case DimLogistics:
		return s.WeightLogistics
	default:
		return s.WeightService
	}
}

// GrowthStageScore is the flat Douyin score of a shop with fewer than
// FormalStageOrders paid orders in 30 days.
const (
	GrowthStageScore  = 70.0
	FormalStageOrders = 30
)

// FivePoint is the buyer-facing display of a Douyin 商家体验分: 97-100 shows
// 5.0, 93-96 4.9, 89-92 4.8, and so on in steps of four points down to 60,
// which shows 4.0. A score must reach the lower bound of a step (97, not
// 96.5) to show it. Below 60 the same four-point steps continue (57-59 still
// 4.0, 53-56 3.9), since the platform publishes no table there.
func FivePoint(score float64) float64 {
	whole := int(math.Floor(score + 1e-9))
	if whole > 100 {
		whole = 100
	}
	// ceil((whole-60)/4) with integer arithmetic that rounds toward +inf for
	// negative numbers too.
	d := whole - 60
	steps := d / 4
	if d%4 > 0 {
		steps++
	}
	return float64(40+steps) / 10
}

// Gate is a platform threshold on the Douyin score below which a shop loses
// access to a channel of traffic.
type Gate struct {
	Score float64
	Name  string // the platform's own name, such as 精选联盟
	Label string // English label
}

// AffiliateGate is the 精选联盟 line: below it a shop loses its affiliate
// (creator) traffic, the gate most shops watch.
const AffiliateGate = 70.0

// Gates are the Douyin thresholds, lowest first.
var Gates = []Gate{
	{Score: 60, Name: "抖音商城", Label: "Douyin Mall"},
	{Score: AffiliateGate, Name: "精选联盟", Label: "affiliate program"},
	{Score: 80, Name: "超级福袋", Label: "super lucky bag"},
}

// NearestGates returns the highest gate at or below score (the one the shop
// could lose) and the lowest gate above it (the next one to reach). Either
// is nil when there is none.
func NearestGates(score float64) (below, above *Gate) {
	for i := range Gates {
		g := &Gates[i]
		if score >= g.Score {
			below = g
		} else if above == nil {
			above = g
		}
	}
	return below, above
}

// Round1 rounds to one decimal, as scores and their changes are shown.
func Round1(v float64) float64 { return math.Round(v*10) / 10 }

// scoresByDates returns a shop's scores on the given days, keyed by date.
func (db *DB) scoresByDates(ctx context.Context, shopID string, dates ...string) (map[string]*Score, error) {
	var rows []Score
	if err := db.gdb.WithContext(ctx).Where("shop_id = ? AND date IN ?", shopID, dates).Find(&rows).Error; err != nil {
		return nil, err
	}
	m := make(map[string]*Score, len(rows))
	for i := range rows {
		m[rows[i].Date] = &rows[i]
	}
	return m, nil
}

// latestScore returns the newest score of a shop on or before the day, or nil.
func (db *DB) latestScore(ctx context.Context, shopID, day string) (*Score, error) {
	var rows []Score
	err := db.gdb.WithContext(ctx).Where("shop_id = ? AND date <= ?", shopID, day).
		Order("date DESC").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// ScoreHistory returns a shop's scores from first to last (local days,
// inclusive), oldest first; days without a score are absent.
func (db *DB) ScoreHistory(ctx context.Context, shopID, first, last string) ([]Score, error) {
	var rows []Score
	err := db.gdb.WithContext(ctx).Where("shop_id = ? AND date BETWEEN ? AND ?", shopID, first, last).
		Order("date").Find(&rows).Error
	return rows, err
}

// addDays moves a DateLayout day by n days.
func addDays(day string, n int) string {
	t, err := time.Parse(DateLayout, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(DateLayout)
}
