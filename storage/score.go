package storage

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// DateLayout is how a local calendar day is written in the database and in
// the scores CSV.
const DateLayout = "2006-01-02"

// Score is one day's published score of a shop, exactly as the platform
// states it: dsrbot shows it, never a number of its own in its place. For
// Douyin the values are the 商家体验分 (50-100) and its three dimensions;
// for Taobao they are the DSR ratings (1-5): Product is 描述相符, Service
// 服务态度, Logistics 物流服务, and Overall is usually absent.
type Score struct {
	ShopID string
	Date   string // local day, DateLayout
	// Stage is the Douyin stage the score belongs to; empty for Taobao.
	Stage   Stage
	Overall *float64
	// The dimensions are absent on a growth-stage day, which the platform
	// scores flat.
	Product   *float64
	Logistics *float64
	Service   *float64
	// The 体验分 indicators (see Indicators), nil when not imported.
	ProductRating        *float64
	QualityReturnRate    *float64
	PickupHours          *float64
	DeliveryOnTimeRate   *float64
	LogisticsReturnRate  *float64
	AftersaleReviewHours *float64
	IMResponseSeconds    *float64 `gorm:"column:im_response_seconds"`
	DissatisfactionRate  *float64
	PlatformHelpRate     *float64
}

// Stage is a Douyin shop's scoring stage. The platform decides it (30 paid
// orders in 30 days make a shop formal) from the shop's whole order
// history, which dsrbot does not hold: it is imported, or inferred from the
// imported score itself, never from dsrbot's own order table.
type Stage string

// The Douyin stages.
const (
	// StageFormal scores are 50-100 and shown to buyers as stars.
	StageFormal Stage = "formal"
	// StageGrowth scores are flat (70, or 60 after a penalty for 消极服务,
	// 刷单 or a failed indicator) and not shown to buyers.
	StageGrowth Stage = "growth"
)

// ParseStage reads a stage as a scores file or push states it.
func ParseStage(s string) (Stage, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "formal", "正式期", "正式":
		return StageFormal, nil
	case "growth", "成长期", "成长":
		return StageGrowth, nil
	}
	return "", fmt.Errorf("%q is not a stage: use formal or growth (正式期 / 成长期)", s)
}

// Growth reports whether the score is a growth-stage one.
func (s *Score) Growth() bool { return s.Stage == StageGrowth }

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

// dim returns the field of one dimension.
func (s *Score) dim(d Dimension) **float64 {
	switch d {
	case DimProduct:
		return &s.Product
	case DimLogistics:
		return &s.Logistics
	default:
		return &s.Service
	}
}

// Value returns the score of one dimension, 0 when the day has none (see Has).
func (s *Score) Value(d Dimension) float64 {
	if v := *s.dim(d); v != nil {
		return *v
	}
	return 0
}

// Has reports whether the day carries a score for the dimension.
func (s *Score) Has(d Dimension) bool { return *s.dim(d) != nil }

// Set sets the score of one dimension.
func (s *Score) Set(d Dimension, v float64) { *s.dim(d) = &v }

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

// Douyin's flat growth-stage scores, and the order count at which the
// platform makes a shop formal (a hint only: dsrbot's order table is not the
// shop's whole history).
const (
	GrowthStageScore   = 70.0
	GrowthPenaltyScore = 60.0
	FormalStageOrders  = 30
)

// Shown is the one value a score is shown as, everywhere: rounded once, to
// the one decimal the platform shows, so that the number on the card, its
// stars and its distance to a gate can never disagree (79.99 is shown, and
// starred, and gated, as 80.0).
func Shown(v float64) float64 { return Round1(v) }

// FivePoint is the buyer-facing display of a formal Douyin 商家体验分
// (商家体验分规范): 97-100 shows 5.0, 93-96 4.9, 89-92 4.8, and so on in
// steps of four points down to 61-64, which shows 4.1; 60 shows 4.0, and
// below it each point is 0.1 down to 50, which shows 3.0. A score must reach
// the lower bound of a step (97, not 96.5) to show it; pass the Shown value.
func FivePoint(score float64) float64 {
	whole := int(math.Floor(score + 1e-9))
	switch {
	case whole > 100:
		whole = 100
	case whole < 50:
		whole = 50
	}
	if whole <= 60 {
		return float64(30+whole-50) / 10
	}
	// 61-64 is one step above 60: ceil((whole-60)/4) steps.
	return float64(40+(whole-60+3)/4) / 10
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

// latestWeek returns a shop's newest score on or before the day and those
// of the seven days before it, oldest first, in one query rather than one
// for the newest and another for the days it is compared with: a shop has
// one score a day, so they are at most the eight newest.
func (db *DB) latestWeek(ctx context.Context, shopID, day string) ([]Score, error) {
	var rows []Score
	err := db.gdb.WithContext(ctx).Where("shop_id = ? AND date <= ?", shopID, day).
		Order("date DESC").Limit(8).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	first := addDays(rows[0].Date, -7)
	n := 0
	for n < len(rows) && rows[n].Date >= first {
		n++
	}
	rows = rows[:n]
	slices.Reverse(rows)
	return rows, nil
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

// Headline is the one number a day's score moves by: the Douyin overall as
// shown (Shown), or the mean of the three Taobao ratings when all three are
// there; ok is false when the day has none. The all-shops view orders by
// it, the digest's sparkline and the charts' heat map draw it, so they
// agree on what "the score" of a day is.
func (s *Score) Headline(p Platform) (float64, bool) {
	if p != Taobao {
		if s.Overall == nil {
			return 0, false
		}
		return Shown(*s.Overall), true
	}
	sum := 0.0
	for _, d := range Dimensions {
		if !s.Has(d) {
			return 0, false
		}
		sum += s.Value(d)
	}
	return sum / float64(len(Dimensions)), true
}
