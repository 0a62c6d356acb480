package storage

import (
	"context"
	"fmt"
	"testing"
)

func TestChartHistory(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy1", Douyin)
	mustCreateShop(t, db, "dy2", Douyin)
	// 2026-11-21 is before a 3-day period ending on testNow's day, the 24th.
	mustImport(t, db, KindScores, scoreRows("dy1", "2026-11-21", "2026-11-22", "2026-11-24"), 3)
	mustImport(t, db, KindScores, scoreRows("dy2", "2026-11-23"), 1)
	mustImport(t, db, KindReviews, reviewsHeader+
		"dy1,B1,,,,1,2026-11-21 23:00:00,before the period\n"+
		"dy1,B2,,,,1,2026-11-22 00:00:01,first day\n"+
		"dy1,B3,,,,2,2026-11-22 23:59:59,first day\n"+
		"dy1,G1,,,,3,2026-11-22 12:00:00,not bad\n"+
		"dy1,B4,,,,1,2026-11-23T16:00:00Z,the 24th in Shanghai\n"+
		"dy2,B5,,,,1,2026-11-23 10:00:00,another shop\n", 6)

	h, err := db.ChartHistory(ctx, shopOf(t, db, "dy1"), testNow, 3)
	if err != nil {
		t.Fatal(err)
	}
	if h.First != "2026-11-22" || h.Last != "2026-11-24" {
		t.Errorf("period %s..%s, want 2026-11-22..2026-11-24", h.First, h.Last)
	}
	var days []string
	for _, s := range h.Scores {
		days = append(days, s.Date)
	}
	if got := fmt.Sprint(days); got != "[2026-11-22 2026-11-24]" {
		t.Errorf("score days %s", got)
	}
	if got := fmt.Sprint(h.Bad); got != "[{2026-11-22 2} {2026-11-24 1}]" {
		t.Errorf("bad per day %s, want [{2026-11-22 2} {2026-11-24 1}]", got)
	}

	all, err := db.ScoreHistories(ctx, []string{"dy1", "dy2"}, "2026-11-22", "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	if len(all["dy1"]) != 2 || len(all["dy2"]) != 1 || all["dy2"][0].Date != "2026-11-23" {
		t.Errorf("ScoreHistories = %v", all)
	}
}
