package storage

import (
	"fmt"
	"strconv"
	"strings"
)

// Indicator is one of the indicators the 抖店 商家体验分 is computed from,
// as the platform's 体验分 page shows them. They are optional columns of the
// scores import: where a team imports them, "why did logistics fall" can
// start from "揽收时长 went from 18 h to 26 h" rather than from rows alone.
type Indicator struct {
	// Column is the canonical column name; Chinese is the platform's
	// own header, also accepted.
	Column  string
	Chinese string
	// Dim is the dimension the platform counts the indicator in.
	Dim Dimension
	// HigherBetter is true for a rating or a rate of success; false for
	// a time or a rate of failure, where a rise is the bad direction.
	HigherBetter bool
	// Unit is how the value is read: "rating" (0-5), "percent" (0-100;
	// a trailing % is accepted), "hours" or "seconds".
	Unit string
}

// Indicators are the 体验分 indicators in the platform's order. Rates are
// imported in percent as the page shows them ("0.35%" or 0.35); 飞鸽响应时长
// in seconds, the unit the 飞鸽 workbench reports it in; the other
// durations in hours.
var Indicators = []Indicator{
	{"product_rating", "商品综合评分", DimProduct, true, "rating"},
	{"quality_return_rate", "品质退货率", DimProduct, false, "percent"},
	{"pickup_hours", "揽收时长", DimLogistics, false, "hours"},
	{"delivery_on_time_rate", "配送时效达成率", DimLogistics, true, "percent"},
	{"logistics_return_rate", "物流品退率", DimLogistics, false, "percent"},
	{"aftersale_review_hours", "售后审核时长", DimService, false, "hours"},
	{"im_response_seconds", "飞鸽响应时长", DimService, false, "seconds"},
	{"dissatisfaction_rate", "不满意率", DimService, false, "percent"},
	{"platform_help_rate", "平台求助率", DimService, false, "percent"},
}

// indicatorColumns are the canonical column names of Indicators.
func indicatorColumns() []string {
	out := make([]string, len(Indicators))
	for i, ind := range Indicators {
		out[i] = ind.Column
	}
	return out
}

// IndicatorByColumn returns the indicator of a canonical column name.
func IndicatorByColumn(col string) (Indicator, bool) {
	for _, ind := range Indicators {
		if ind.Column == col {
			return ind, true
		}
	}
	return Indicator{}, false
}

// Indicator returns the day's value of an indicator, nil when unknown.
func (s *Score) Indicator(col string) *float64 {
	if p := s.indicator(col); p != nil {
		return *p
	}
	return nil
}

// SetIndicator sets an indicator's value (nil: unknown).
func (s *Score) SetIndicator(col string, v *float64) {
	if p := s.indicator(col); p != nil {
		*p = v
	}
}

func (s *Score) indicator(col string) **float64 {
	switch col {
	case "product_rating":
		return &s.ProductRating
	case "quality_return_rate":
		return &s.QualityReturnRate
	case "pickup_hours":
		return &s.PickupHours
	case "delivery_on_time_rate":
		return &s.DeliveryOnTimeRate
	case "logistics_return_rate":
		return &s.LogisticsReturnRate
	case "aftersale_review_hours":
		return &s.AftersaleReviewHours
	case "im_response_seconds":
		return &s.IMResponseSeconds
	case "dissatisfaction_rate":
		return &s.DissatisfactionRate
	case "platform_help_rate":
		return &s.PlatformHelpRate
	}
	return nil
}

// max bounds an indicator's value by its unit: a rating is out
// of 5, a rate a percentage; a duration is at most a month.
func (ind Indicator) max() float64 {
	switch ind.Unit {
	case "rating":
		return 5
	case "percent":
		return 100
	case "seconds":
		return 30 * 24 * 3600
	}
	return 30 * 24
}

// parseIndicators reads a row's indicator columns; blank (or "-", which
// cleanCell blanks) is unknown. A Taobao shop has none: they are 抖店's.
func parseIndicators(r *csvRow, shop *Shop, s *Score) error {
	for _, ind := range Indicators {
		v := r.get(ind.Column)
		if v == "" {
			continue
		}
		if shop.Platform == Taobao {
			return r.fail(ind.Column, fmt.Sprintf("%q: %s is an indicator of 抖店's 商家体验分; %s is a Taobao shop", v, ind.Chinese, shop.ID))
		}
		num := v
		if ind.Unit == "percent" {
			num = strings.TrimSpace(strings.TrimSuffix(num, "%"))
		}
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return r.fail(ind.Column, fmt.Sprintf("%q is not a number", v))
		}
		if f != f || f < 0 || f > ind.max() {
			return r.fail(ind.Column, fmt.Sprintf("%s is outside 0-%g (%s)", v, ind.max(), ind.Unit))
		}
		s.SetIndicator(ind.Column, &f)
	}
	return nil
}
