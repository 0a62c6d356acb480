package storage

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"
)

// TestDragArithmetic holds the drag formula and the ranking to hand-worked
// cases: drag = (bad − reviews × shopBadRate) + (late − orders ×
// shopLateRate).
func TestDragArithmetic(t *testing.T) {
	tests := []struct {
		name              string
		p                 ProductStats
		badRate, lateRate float64
		drag              float64
		dragging          bool
		problem           Problem
	}{
		{"no data", ProductStats{}, 0.05, 0.02, 0, false, ProblemNone},
		{"one good review, shop without bad", ProductStats{Reviews: 1}, 0, 0, 0, false, ProblemNone},
		{"one bad review, the shop's only", ProductStats{Reviews: 1, Bad: 1, Aspects: []AspectCount{{AspectSize, 1}}}, 1, 0, 0, false, ProblemSize},
		{"one bad review of a shop at 10%", ProductStats{Reviews: 1, Bad: 1}, 0.1, 0, 0.9, true, ProblemOther},
		// 5 of 100 at the shop's 5%, 2 of 100 orders late at its 2%.
		{"exactly at the shop's rates", ProductStats{Reviews: 100, Bad: 5, Orders: 100, Late: 2, Aspects: []AspectCount{{AspectQuality, 5}}}, 0.05, 0.02, 0, false, ProblemQuality},
		// The shop's bad reviews are all this product's: 10 of the
		// shop's 200 reviews (5%), 40 of them this product's.
		{"all the bad reviews", ProductStats{Reviews: 40, Bad: 10, Aspects: []AspectCount{{AspectSize, 7}, {AspectMaterial, 2}}}, 0.05, 0, 8, true, ProblemSize},
		{"late orders only", ProductStats{Orders: 50, Late: 6}, 0.05, 0.04, 4, true, ProblemLogistics},
		{"presale late only", ProductStats{Orders: 20, Late: 5, PresaleLate: 5}, 0, 0.05, 4, true, ProblemPresale},
		{"better than the shop", ProductStats{Reviews: 100, Bad: 1, Orders: 100}, 0.05, 0.02, -6, false, ProblemOther},
		// Two of quality (quality + material) against two of size: a tie
		// goes to the size chart, the earlier in problems.
		{"tied problems", ProductStats{Reviews: 10, Bad: 3, Aspects: []AspectCount{{AspectSize, 2}, {AspectMaterial, 1}, {AspectQuality, 1}}}, 0, 0, 3, true, ProblemSize},
		{"late beats one bad review", ProductStats{Reviews: 10, Bad: 1, Orders: 10, Late: 3, PresaleLate: 1, Aspects: []AspectCount{{AspectService, 1}}}, 0, 0, 4, true, ProblemLogistics},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := []ProductStats{tt.p}
			RankProducts(ps, tt.badRate, tt.lateRate)
			if got := ps[0].Drag; math.Abs(got-tt.drag) > 1e-9 {
				t.Errorf("drag = %v, want %v", got, tt.drag)
			}
			if got := ps[0].Dragging(); got != tt.dragging {
				t.Errorf("dragging = %v, want %v", got, tt.dragging)
			}
			if got := ps[0].Problem; got != tt.problem {
				t.Errorf("problem = %q, want %q", got, tt.problem)
			}
		})
	}
}

// TestRankProductsTies: equal drags go by more bad reviews, then by name.
func TestRankProductsTies(t *testing.T) {
	ps := []ProductStats{
		{Name: "c", Orders: 10, Late: 2},          // drag 2, no bad
		{Name: "b", Reviews: 10, Bad: 2},          // drag 2, 2 bad
		{Name: "a", Orders: 10, Late: 2},          // drag 2, no bad
		{Name: "z", Reviews: 10, Bad: 5},          // drag 5
		{Name: "y", Reviews: 10, Orders: 10},      // drag 0
		{Name: "x", Reviews: 10, Bad: 1, Late: 1}, // drag 2, 1 bad
	}
	RankProducts(ps, 0, 0)
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	if want := []string{"z", "b", "x", "a", "c", "y"}; !reflect.DeepEqual(names, want) {
		t.Errorf("order %v, want %v", names, want)
	}
}

// TestProducts builds a shop's window in SQLite and checks every count of
// the report: the window's edges, the late rules, presales, aspects, the
// join of reviews on the product's name and the shop's rates.
func TestProducts(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	shop := mustCreateShop(t, db, "dy", Douyin)
	// Rows are written as the imports write them, in UTC (the columns
	// compare as stored).
	now := testNow.UTC()
	h := time.Hour
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	n := 0
	order := func(product string, paid time.Duration, promise Promise, shipBy time.Duration, shipped *time.Time, cancelled bool) {
		n++
		o := Order{ShopID: "dy", OrderID: fmt.Sprintf("O%d", n), Product: product, AmountFen: 100, PaidAt: now.Add(paid),
			Promise: promise, ShipBy: now.Add(shipBy), ShippedAt: shipped, Cancelled: cancelled}
		if err := db.gdb.Create(&o).Error; err != nil {
			t.Fatal(err)
		}
	}
	review := func(product string, created time.Duration, rating int, aspects string) {
		n++
		rv := Review{ShopID: "dy", ReviewID: fmt.Sprintf("R%d", n), ProductID: "P-" + product, Product: product, Rating: rating,
			CreatedAt: now.Add(created), OpenedAt: now.Add(created), Aspects: aspects, Status: StatusOpen}
		if err := db.gdb.Create(&rv).Error; err != nil {
			t.Fatal(err)
		}
	}
	day := 24 * h
	// Dress: 4 orders (one late shipped, one unshipped past due, one at
	// risk, one on time) and a cancelled one; 4 reviews, 3 bad.
	order("dress", -10*day, Promise48h, -8*day, at(-7*day), false)   // shipped late
	order("dress", -3*day, Promise48h, -1*day, nil, false)           // unshipped, late
	order("dress", -1*day, Promise48h, 2*h, nil, false)              // at risk (6 h window)
	order("dress", -2*day, Promise48h, -1*day, at(-40*h), false)     // on time
	order("dress", -2*day, Promise48h, -1*day, nil, true)            // cancelled: not counted
	order("dress", -31*day, Promise48h, -29*day, at(-20*day), false) // paid before the window
	review("dress", -5*day, 1, "size")
	review("dress", -4*day, 2, "size,quality")
	review("dress", -3*day, 1, "")
	review("dress", -2*day, 5, "")
	review("dress", -31*day, 1, "size") // before the window
	// Coat: a presale shipped late, one unshipped past due, and an
	// ordinary order on time; no review.
	order("coat", -20*day, PromisePresale, -10*day, at(-9*day), false)
	order("coat", -15*day, PromisePresale, -5*day, nil, false)
	order("coat", -5*day, Promise48h, -3*day, at(-4*day), false)
	// Scarf: only good reviews, and an order picked up late though
	// clicked in time (the pickup is what counts).
	review("scarf", -1*day, 5, "")
	review("scarf", -1*day, 4, "")
	picked := Order{ShopID: "dy", OrderID: "OP", Product: "scarf", AmountFen: 100, PaidAt: now.Add(-4 * day), Promise: Promise48h,
		ShipBy: now.Add(-2 * day), ShippedAt: at(-3 * day), PickedUpAt: at(-1 * day)}
	if err := db.gdb.Create(&picked).Error; err != nil {
		t.Fatal(err)
	}
	// No name: in the shop's rates, not in the list.
	review("", -1*day, 1, "service")

	r, err := db.Products(ctx, shop, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Orders != 8 || r.Late != 5 || r.Reviews != 7 || r.Bad != 4 {
		t.Errorf("shop totals: %d orders, %d late, %d reviews, %d bad; want 8, 5, 7, 4", r.Orders, r.Late, r.Reviews, r.Bad)
	}
	if math.Abs(r.BadRate-4.0/7) > 1e-9 || math.Abs(r.LateRate-5.0/8) > 1e-9 {
		t.Errorf("rates %v %v", r.BadRate, r.LateRate)
	}
	got := map[string]ProductStats{}
	var names []string
	for _, p := range r.Products {
		got[p.Name] = p
		names = append(names, p.Name)
	}
	// Drags: dress (3 − 4×4/7) + (2 − 4×5/8) = 0.714 − 0.5 = 0.214;
	// coat 0 + (2 − 3×5/8) = 0.125; scarf (0 − 2×4/7) + (1 − 5/8) = −0.768.
	if want := []string{"dress", "coat", "scarf"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("products %v, want %v", names, want)
	}
	dress := got["dress"]
	if dress.Orders != 4 || dress.Late != 2 || dress.AtRisk != 1 || dress.PresaleLate != 0 || dress.Reviews != 4 || dress.Bad != 3 {
		t.Errorf("dress: %+v", dress)
	}
	if want := []AspectCount{{AspectSize, 2}, {AspectQuality, 1}}; !reflect.DeepEqual(dress.Aspects, want) {
		t.Errorf("dress aspects %v, want %v", dress.Aspects, want)
	}
	if math.Abs(dress.Drag-(3-16.0/7+2-2.5)) > 1e-9 || dress.Problem != ProblemSize {
		t.Errorf("dress drag %v problem %q", dress.Drag, dress.Problem)
	}
	coat := got["coat"]
	if coat.Orders != 3 || coat.Late != 2 || coat.PresaleLate != 2 || coat.Reviews != 0 || coat.Problem != ProblemPresale {
		t.Errorf("coat: %+v", coat)
	}
	scarf := got["scarf"]
	if scarf.Late != 1 || scarf.Reviews != 2 || scarf.Bad != 0 || scarf.Dragging() {
		t.Errorf("scarf: %+v", scarf)
	}
	if r.Dragging() != 2 {
		t.Errorf("dragging %d, want 2", r.Dragging())
	}

	// Across shops: a Taobao shop's product with a larger drag (0.4, at
	// its own shop's rate) leads the dress (0.214).
	tb := mustCreateShop(t, db, "tb", Taobao)
	for i := 0; i < 4; i++ {
		rv := Review{ShopID: "tb", ReviewID: fmt.Sprintf("T%d", i), Product: "tea", Rating: 1 + 4*(i%2), CreatedAt: now.Add(-100 * day), Status: StatusOpen}
		if err := db.gdb.Create(&rv).Error; err != nil {
			t.Fatal(err)
		}
	}
	rv := Review{ShopID: "tb", ReviewID: "T9", Product: "cup", Rating: 5, CreatedAt: now.Add(-100 * day), Status: StatusOpen}
	if err := db.gdb.Create(&rv).Error; err != nil {
		t.Fatal(err)
	}
	// tb: 2 bad of 5 (40%); tea 2 − 4×0.4 = 0.4, cup −0.4. 100 days ago is
	// inside Taobao's 180-day window.
	all, err := db.ProductsAcross(ctx, []Shop{*shop, *tb}, now)
	if err != nil {
		t.Fatal(err)
	}
	var across []string
	for _, p := range all {
		across = append(across, p.Shop.ID+"/"+p.Name)
	}
	if want := []string{"tb/tea", "dy/dress", "dy/coat", "tb/cup", "dy/scarf"}; !reflect.DeepEqual(across, want) {
		t.Errorf("across %v, want %v", across, want)
	}
}

// TestProductsEmpty: a shop with nothing in its window reports no product
// and zero rates, not a division by zero.
func TestProductsEmpty(t *testing.T) {
	db := newTestDB(t)
	shop := mustCreateShop(t, db, "dy", Douyin)
	r, err := db.Products(context.Background(), shop, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Products) != 0 || r.BadRate != 0 || r.LateRate != 0 || r.Dragging() != 0 {
		t.Errorf("empty report: %+v", r)
	}
}

// TestDemoProductsStory: the demo's first answer to /dsr products
// dy-fashion is its dress, dragged by size complaints, and its coat's late
// presales drag it next, with the steps they call for.
func TestDemoProductsStory(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	if _, err := db.Demo(ctx, DefaultDemo, testNow); err != nil {
		t.Fatal(err)
	}
	r, err := db.Products(ctx, shopOf(t, db, "dy-fashion"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.Dragging() < 2 {
		t.Fatalf("%d products drag dy-fashion, want the dress and the coat: %+v", r.Dragging(), r.Products)
	}
	first, second := r.Products[0], r.Products[1]
	if first.Name != demoSizeProduct || first.Problem != ProblemSize || first.Aspects[0].Aspect != AspectSize {
		t.Errorf("first: %+v, want %s with size complaints", first, demoSizeProduct)
	}
	if second.Name != demoPresaleProduct || second.Problem != ProblemPresale || second.PresaleLate < 10 {
		t.Errorf("second: %+v, want %s with late presales", second, demoPresaleProduct)
	}
}
