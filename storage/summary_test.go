package storage

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// DaySummaries says of every shop what DayReport says, for the fields the
// all-shops view shows, whatever the mix of time zones, follow-up
// deadlines and at-risk windows (each mix its own group of queries), on a
// day with today's scores, one days later (stale scores) and one before
// any score.
func TestDaySummariesAgreeWithDayReport(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	if _, err := db.Demo(ctx, DemoOptions{Seed: 1, Shops: 8, Orders: 6000, TZ: "Asia/Shanghai"}, testNow); err != nil {
		t.Fatal(err)
	}
	shops, err := db.ListShops(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Shops 1-2 in New York, 3 with its own deadline, 4 its own window,
	// 5 both: five groups.
	for i, set := range []map[string]any{
		1: {"tz": "America/New_York"}, 2: {"tz": "America/New_York"},
		3: {"followup_hours": 2}, 4: {"warn_hours": 30}, 5: {"followup_hours": 100, "warn_hours": 1},
	} {
		if set != nil {
			if err := db.gdb.Model(&Shop{}).Where("id = ?", shops[i].ID).Updates(set).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	if shops, err = db.ListShops(ctx); err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, now := range []time.Time{testNow, testNow.Add(-6 * time.Hour), testNow.AddDate(0, 0, 3), testNow.AddDate(-1, 0, 0)} {
		got, err := db.DaySummaries(ctx, shops, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(shops) {
			t.Fatalf("%d summaries of %d shops", len(got), len(shops))
		}
		for i := range shops {
			want, err := db.DayReport(ctx, &shops[i], now)
			if err != nil {
				t.Fatal(err)
			}
			g := got[i]
			if g.Shop.ID != shops[i].ID {
				t.Fatalf("summary %d is of %s, want %s", i, g.Shop.ID, shops[i].ID)
			}
			for _, f := range []struct {
				name      string
				got, want any
			}{
				{"Now", g.Now, want.Now}, {"Today", g.Today, want.Today}, {"NewSince", g.NewSince, want.NewSince},
				{"Latest", g.Latest, want.Latest}, {"Prev", g.Prev, want.Prev}, {"WeekAgo", g.WeekAgo, want.WeekAgo},
				{"NewBadCount", g.NewBadCount, want.NewBadCount}, {"OlderOpen", g.OlderOpen, want.OlderOpen},
				{"OpenCount", g.OpenCount, want.OpenCount}, {"OverdueOpen", g.OverdueOpen, want.OverdueOpen},
				{"LateCount", g.LateCount, want.LateCount}, {"AtRiskCount", g.AtRiskCount, want.AtRiskCount},
			} {
				if !reflect.DeepEqual(f.got, f.want) {
					t.Errorf("%s at %s: %s = %v, DayReport says %v", shops[i].ID, now, f.name, f.got, f.want)
				}
			}
			if want.Latest != nil || want.NewBadCount+want.OpenCount+want.LateCount+want.AtRiskCount > 0 {
				compared++
			}
		}
	}
	// The demo must give the comparison something to compare.
	if compared < 16 {
		t.Fatalf("only %d reports with a score or a count: the test compares empty reports", compared)
	}
}
