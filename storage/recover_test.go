package storage

import (
	"context"
	"reflect"
	"testing"
)

// TestFiveStarsNeeded: the arithmetic of the way back on Taobao, k =
// ceil(N·(T − D)/(5 − T)), and each case where no count is given.
func TestFiveStarsNeeded(t *testing.T) {
	for _, tt := range []struct {
		name    string
		n       int
		d, t    float64
		covered bool
		k       int
		status  NeedStatus
	}{
		{"no data", 0, 4.70, 4.80, true, 0, NeedNoRatings},
		{"one rating", 1, 4.70, 4.80, true, 1, NeedCount},               // (4.7 + 5)/2 = 4.85
		{"one rating, a far target", 1, 3.00, 4.50, true, 3, NeedCount}, // ceil(1.5/0.5) = 3
		{"target already met", 812, 4.82, 4.80, true, 0, NeedMet},
		{"target equal to the value", 812, 4.80, 4.80, true, 0, NeedMet},
		{"unreachable 5.0", 812, 4.78, 5.00, true, 0, NeedUnreachable},
		{"unreachable above 5", 812, 4.78, 5.20, true, 0, NeedUnreachable},
		{"5.0 held is met, not unreachable", 10, 5.00, 5.00, true, 0, NeedMet},
		{"normal case", 812, 4.78, 4.82, true, 181, NeedCount}, // 180.44 → 181
		// 10·0.2/0.2 is exactly 10, which floats make 9.999… or 10.000…1:
		// neither may become 11.
		{"exact boundary", 10, 4.60, 4.80, true, 10, NeedCount},
		{"exact boundary 2", 100, 4.50, 4.75, true, 100, NeedCount},
		{"exact boundary 3", 30, 4.71, 4.77, true, 8, NeedCount}, // 30·0.06/0.23 = 7.83
		{"coverage short", 340, 4.70, 4.80, false, 0, NeedShort},
		{"coverage short but met", 340, 4.90, 4.80, false, 0, NeedMet},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k, st := FiveStarsNeeded(tt.n, tt.d, tt.t, tt.covered)
			if k != tt.k || st != tt.status {
				t.Fatalf("FiveStarsNeeded(%d, %v, %v, %v) = %d, %s; want %d, %s", tt.n, tt.d, tt.t, tt.covered, k, st, tt.k, tt.status)
			}
			if st != NeedCount {
				return
			}
			// k reaches the target, and k−1 does not (it is the least).
			mean := func(k int) float64 { return (tt.d*float64(tt.n) + 5*float64(k)) / float64(tt.n+k) }
			if mean(k) < tt.t-1e-9 {
				t.Errorf("k = %d gives %v < %v", k, mean(k), tt.t)
			}
			if k > 0 && mean(k-1) >= tt.t-1e-9 {
				t.Errorf("k−1 = %d already gives %v ≥ %v", k-1, mean(k-1), tt.t)
			}
		})
	}
}

// TestRecoveryDouyin: the bad reviews and late orders inside the 30-day
// window, by the day they leave it and by product; what is outside the
// window, good, on time, not yet due or cancelled is not there.
func TestRecoveryDouyin(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy1", Douyin)
	mustImport(t, db, KindScores, scoresHeader+"dy1,2026-11-24,68.94,70,60,71\n", 1)
	// testNow is 2026-11-24 10:00: the window starts 2026-10-25 10:00.
	mustImport(t, db, KindReviews, reviewsHeader+
		"dy1,R1,O1,P1,连衣裙 L 黑色,1,2026-10-26 09:00:00,尺码偏小，平时穿M这次L都紧\n"+
		"dy1,R2,O2,P1,连衣裙 L 黑色,2,2026-10-26 20:00:00,尺码太小了\n"+
		"dy1,R3,O3,P2,针织开衫,1,2026-11-20 08:00:00,面料起球\n"+
		"dy1,R4,O4,P1,连衣裙 L 黑色,1,2026-10-20 08:00:00,尺码偏小\n"+ // before the window
		"dy1,R5,O5,P1,连衣裙 L 黑色,5,2026-11-20 08:00:00,很好\n", 5)
	mustImport(t, db, KindOrders, "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no,status\n"+
		"dy1,L1,连衣裙 L 黑色,10,2026-10-27 10:00:00,48h,,2026-10-30 10:00:00,SF1,\n"+ // shipped late
		"dy1,L2,牛仔阔腿裤,10,2026-11-20 10:00:00,48h,,,,\n"+ // unshipped, late since 11-22
		"dy1,L3,连衣裙 L 黑色,10,2026-11-20 10:00:00,48h,,2026-11-21 10:00:00,SF3,\n"+ // on time
		"dy1,L4,连衣裙 L 黑色,10,2026-11-24 08:00:00,48h,,,,\n"+ // not due yet
		"dy1,L5,连衣裙 L 黑色,10,2026-11-10 10:00:00,48h,,,,cancelled\n"+
		"dy1,L6,连衣裙 L 黑色,10,2026-10-20 10:00:00,48h,,2026-10-25 09:00:00,SF6,\n", 6) // late before the window
	r, err := db.Recovery(ctx, shopOf(t, db, "dy1"), testNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Scored || r.Shown != 68.9 {
		t.Errorf("Shown = %v (scored %v), want 68.9", r.Shown, r.Scored)
	}
	if len(r.Gaps) != 1 || r.Gaps[0].Gate.Name != "精选联盟" || r.Gaps[0].Gap != 1.1 {
		t.Errorf("Gaps = %+v, want 1.1 below 精选联盟 70", r.Gaps)
	}
	wantExits := []WindowExit{
		{Day: "2026-11-25", Product: "连衣裙 L 黑色", Bad: 2},
		{Day: "2026-11-28", Product: "连衣裙 L 黑色", Late: 1},
		{Day: "2026-12-20", Product: "针织开衫", Bad: 1},
		{Day: "2026-12-22", Product: "牛仔阔腿裤", Late: 1},
	}
	if !reflect.DeepEqual(r.Exits, wantExits) {
		t.Errorf("Exits = %+v\nwant %+v", r.Exits, wantExits)
	}
	if r.BadInWindow != 3 || r.LateInWindow != 2 {
		t.Errorf("in window: %d bad, %d late; want 3, 2", r.BadInWindow, r.LateInWindow)
	}
	if r.Horizon != "2026-12-01" || r.SoonBad != 2 || r.SoonLate != 1 {
		t.Errorf("by %s: %d bad, %d late; want by 2026-12-01: 2, 1", r.Horizon, r.SoonBad, r.SoonLate)
	}
	if r.NewBadLeaves != "2026-12-24" {
		t.Errorf("NewBadLeaves = %s, want 2026-12-24", r.NewBadLeaves)
	}
	wantProducts := []ProductLoad{
		{Product: "连衣裙 L 黑色", Bad: 2, Late: 1, TopAspect: AspectSize},
		{Product: "针织开衫", Bad: 1, TopAspect: AspectMaterial},
		{Product: "牛仔阔腿裤", Late: 1},
	}
	if !reflect.DeepEqual(r.Products, wantProducts) {
		t.Errorf("Products = %+v\nwant %+v", r.Products, wantProducts)
	}

	// A target takes the place of the gates.
	target := 75.0
	if r, err = db.Recovery(ctx, shopOf(t, db, "dy1"), testNow, &target); err != nil {
		t.Fatal(err)
	}
	if len(r.Gaps) != 1 || r.Gaps[0].Gate.Name != "" || r.Gaps[0].Gap != 6.1 {
		t.Errorf("Gaps with target 75 = %+v, want 6.1 below the target", r.Gaps)
	}
	target = 60
	if r, err = db.Recovery(ctx, shopOf(t, db, "dy1"), testNow, &target); err != nil {
		t.Fatal(err)
	}
	if len(r.Gaps) != 0 {
		t.Errorf("Gaps with target 60 = %+v, want none", r.Gaps)
	}
}

// TestRecoveryTaobao: N is the ratings held in the 180-day window, D the
// latest DSR, T the DSR of 30 days before (or the target); with ratings
// that do not reach back over the window, no count.
func TestRecoveryTaobao(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	for _, id := range []string{"tb1", "tb2", "tb3"} {
		mustCreateShop(t, db, id, Taobao)
	}
	mustImport(t, db, KindScores, scoresHeader+
		"tb1,2026-11-23,,4.78,4.90,4.70\n"+
		"tb1,2026-10-24,,4.82,4.85,4.80\n"+ // the newest on or before 10-25: the default target
		"tb2,2026-11-24,,4.78,4.90,4.70\n"+
		"tb2,2026-10-25,,4.82,4.85,4.80\n"+
		"tb3,2026-11-24,,4.78,4.90,4.70\n", 5)
	// The window starts 2026-05-28 10:00. tb1 holds a rating from before
	// it, so its imports cover the window; tb2's begin inside it.
	mustImport(t, db, KindReviews, reviewsHeader+
		"tb1,A0,O,P,白茶饼,5,2026-05-01 08:00:00,好\n"+
		"tb1,A1,O,P,白茶饼,5,2026-06-01 08:00:00,好\n"+
		"tb1,A2,O,P,白茶饼,4,2026-08-01 08:00:00,好\n"+
		"tb1,A3,O,P,白茶饼,1,2026-10-01 08:00:00,差\n"+
		"tb1,A4,O,P,白茶饼,3,2026-11-20 08:00:00,一般\n"+
		"tb2,B1,O,P,白茶饼,5,2026-09-01 08:00:00,好\n"+
		"tb2,B2,O,P,白茶饼,5,2026-09-02 08:00:00,好\n", 7)

	r, err := db.Recovery(ctx, shopOf(t, db, "tb1"), testNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Held != 4 || !r.Covered || r.HeldSince != "2026-05-01" || r.TargetDay != "2026-10-24" {
		t.Errorf("tb1: held %d from %s (covered %v), target of %s; want 4 from 2026-05-01, covered, 2026-10-24", r.Held, r.HeldSince, r.Covered, r.TargetDay)
	}
	want := []DSRNeed{
		{Dim: DimProduct, D: 4.78, T: 4.82, N: 4, K: 1, Status: NeedCount}, // 0.16/0.18
		{Dim: DimLogistics, D: 4.90, T: 4.85, N: 4, K: 0, Status: NeedMet}, // already above
		{Dim: DimService, D: 4.70, T: 4.80, N: 4, K: 2, Status: NeedCount}, // 0.4/0.2, exactly 2
	}
	if !reflect.DeepEqual(r.Needs, want) {
		t.Errorf("tb1 needs = %+v\nwant %+v", r.Needs, want)
	}

	// A target replaces each value of 30 days before; 5.0 cannot be reached.
	five := 5.0
	if r, err = db.Recovery(ctx, shopOf(t, db, "tb1"), testNow, &five); err != nil {
		t.Fatal(err)
	}
	for _, n := range r.Needs {
		if n.Status != NeedUnreachable || n.T != 5 {
			t.Errorf("tb1 with target 5: %+v, want unreachable", n)
		}
	}

	// Imports that began inside the window: the ratings held, no count.
	if r, err = db.Recovery(ctx, shopOf(t, db, "tb2"), testNow, nil); err != nil {
		t.Fatal(err)
	}
	if r.Held != 2 || r.Covered || r.HeldSince != "2026-09-01" {
		t.Errorf("tb2: held %d from %s (covered %v); want 2 from 2026-09-01, not covered", r.Held, r.HeldSince, r.Covered)
	}
	if st := r.Needs[0].Status; st != NeedShort {
		t.Errorf("tb2 product: %s, want short", st)
	}

	// No score 30 days before, no ratings: no target, and no guess.
	if r, err = db.Recovery(ctx, shopOf(t, db, "tb3"), testNow, nil); err != nil {
		t.Fatal(err)
	}
	if r.Held != 0 || r.HeldSince != "" || r.TargetDay != "" || r.Needs[0].Status != NeedNoTarget {
		t.Errorf("tb3: %+v", r)
	}
	target := 4.8
	if r, err = db.Recovery(ctx, shopOf(t, db, "tb3"), testNow, &target); err != nil {
		t.Fatal(err)
	}
	if st := r.Needs[0].Status; st != NeedNoRatings {
		t.Errorf("tb3 with a target and no ratings: %s, want no_ratings", st)
	}
}
