package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDemoIsTheSameEveryDay: the demo is built from the start of its day,
// so its rows, and the IDs the README's walkthrough names, are the same at
// any hour of any day; only their times move with the day.
func TestDemoIsTheSameEveryDay(t *testing.T) {
	rows := func(now time.Time) string {
		t.Helper()
		db := newTestDB(t)
		if _, err := db.Demo(context.Background(), DemoOptions{Seed: 1, Shops: 4, Orders: 3000, TZ: "Asia/Shanghai"}, now); err != nil {
			t.Fatal(err)
		}
		var reviews []Review
		if err := db.gdb.Order("shop_id, review_id").Find(&reviews).Error; err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, r := range reviews {
			fmt.Fprintf(&b, "%s %s %s %d %s %s\n", r.ShopID, r.ReviewID, r.OrderID, r.Rating, r.Content, r.Status)
		}
		return b.String()
	}
	want := rows(time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai))
	for _, now := range []time.Time{
		time.Date(2026, 11, 24, 0, 0, 1, 0, shanghai),
		time.Date(2026, 11, 24, 23, 59, 59, 0, shanghai),
		time.Date(2027, 3, 5, 6, 30, 0, 0, shanghai),
		time.Date(2027, 3, 5, 6, 30, 0, 0, time.UTC), // the same rule from another zone's clock
	} {
		if got := rows(now); got != want {
			t.Errorf("the demo at %v differs from the demo at 10:00 on 11-24", now)
		}
	}
}

// TestDemoRefusesAFullDatabase: the demo's rows would overwrite a team's
// under the same IDs, follow-up history and all.
func TestDemoRefusesAFullDatabase(t *testing.T) {
	db := newTestDB(t)
	mustCreateShop(t, db, "mine", Douyin)
	_, err := db.Demo(context.Background(), DefaultDemo, testNow)
	if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), "already holds 1 shops") {
		t.Fatalf("demo into a database with a shop: %v", err)
	}
	if n := tableCounts(t, db); n["reviews"]+n["orders"]+n["scores"] != 0 {
		t.Fatalf("a refused demo wrote %v", n)
	}
}
