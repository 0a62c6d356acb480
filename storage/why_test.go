package storage

import (
	"context"
	"testing"
	"time"
)

// whyFixture is three Douyin shops and a Taobao one on testNow
// (2026-11-24 10:00 Shanghai), each with a fall:
//   - dy1: product fell (▼1.6: three size reviews of 连衣裙, one quality
//     review of 衬衫) and logistics (▼4.0: two late orders, slow recent
//     pickups, a logistics review; 揽收时长 20 → 26 h); service rose.
//   - dy2: service fell: a service review, an overdue follow-up, one
//     closed with no action.
//   - dy3: product fell with nothing in the window to explain it.
//   - tb1: 描述相符 fell 4.81 → 4.79 over a quality review 100 days old,
//     inside Taobao's 180 days.
func whyFixture(t *testing.T) *DB {
	t.Helper()
	db := newTestDB(t)
	for _, id := range []string{"dy1", "dy2", "dy3"} {
		mustCreateShop(t, db, id, Douyin)
	}
	mustCreateShop(t, db, "tb1", Taobao)
	mustImport(t, db, KindScores, "shop,date,overall,product,logistics,service,pickup_hours,delivery_on_time_rate\n"+
		"dy1,2026-11-17,72.6,72.5,78,70.8,19,95\n"+
		"dy1,2026-11-23,70.3,72,65,71,20,95\n"+
		"dy1,2026-11-24,69.1,70.4,61,71.2,26,94\n"+
		"dy2,2026-11-23,80,80,80,80,,\n"+
		"dy2,2026-11-24,79,80,80,77,,\n"+
		"dy3,2026-11-23,80,80,80,80,,\n"+
		"dy3,2026-11-24,79,78,80,80,,\n", 7)
	mustImport(t, db, KindScores, "shop,date,product,logistics,service\n"+
		"tb1,2026-11-23,4.81,4.79,4.80\n"+
		"tb1,2026-11-24,4.79,4.79,4.80\n", 2)
	mustImport(t, db, KindReviews, reviewsHeader+
		"dy1,R1,O1,P1,连衣裙 L 黑色,1,2026-11-24 08:00:00,尺码偏小 穿不上\n"+
		"dy1,R2,O2,P1,连衣裙 L 黑色,2,2026-11-20 08:00:00,尺码不对 偏小\n"+
		"dy1,R3,O3,P1,连衣裙 L 黑色,1,2026-11-10 08:00:00,尺码偏小\n"+
		"dy1,R4,O4,P2,衬衫,1,2026-11-22 08:00:00,质量差 开线了\n"+
		"dy1,R5,O5,P2,衬衫,2,2026-11-23 08:00:00,物流太慢了\n"+
		"dy1,R6,O6,P1,连衣裙 L 黑色,1,2026-10-01 08:00:00,尺码偏小\n"+
		"dy1,R9,O9,P1,连衣裙 L 黑色,5,2026-11-23 08:00:00,尺码合适 很好\n"+
		"dy2,R7,O7,P3,帽子,1,2026-11-22 08:00:00,客服态度太差\n"+
		"dy2,R8,O8,P3,帽子,2,2026-11-15 08:00:00,客服不理人\n"+
		"tb1,T1,TO1,P4,白茶饼,2,2026-08-16 08:00:00,质量差 发霉\n", 10)
	mustImport(t, db, KindOrders, ordersHeader+
		"dy1,O1,连衣裙 L 黑色,99,2026-11-20 10:00:00,48h,,2026-11-22 15:00:00,\n"+
		"dy1,O2,连衣裙 L 黑色,99,2026-11-21 10:00:00,48h,,2026-11-21 20:00:00,\n"+
		"dy1,O3,衬衫,59,2026-11-22 09:00:00,48h,,,\n"+
		"dy1,O4,衬衫,59,2026-10-01 09:00:00,48h,,2026-10-05 09:00:00,\n"+
		"dy1,O5,衬衫,59,2026-11-01 10:00:00,48h,,2026-11-01 14:00:00,\n"+
		"dy1,O6,衬衫,59,2026-11-02 10:00:00,48h,,2026-11-02 14:00:00,\n", 6)
	// dy2's R8 was closed with no action on 11-16; R7 stays open past
	// its 24 h.
	if _, err := db.sql.Exec(`UPDATE reviews SET status = 'done', outcome = 'no_action', closed_at = '2026-11-16 02:00:00+00:00' WHERE review_id = 'R8'`); err != nil {
		t.Fatal(err)
	}
	return db
}

func fallOf(t *testing.T, r *WhyReport, d Dimension) *Fall {
	t.Helper()
	for i := range r.Falls {
		if r.Falls[i].Dim == d {
			return &r.Falls[i]
		}
	}
	t.Fatalf("%s: no fall of %s in %+v", r.Shop.ID, d, r.Falls)
	return nil
}

func TestWhy(t *testing.T) {
	ctx := context.Background()
	db := whyFixture(t)
	why := func(id string) *WhyReport {
		r, err := db.Why(ctx, shopOf(t, db, id), testNow)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	t.Run("product and logistics fell, service rose", func(t *testing.T) {
		r := why("dy1")
		if len(r.Falls) != 2 {
			t.Fatalf("falls = %+v, want product and logistics", r.Falls)
		}
		p := fallOf(t, r, DimProduct)
		if !p.DayOK || p.Day != -1.6 || !p.WeekOK || p.Week != -2.1 {
			t.Errorf("product change = %v/%v %v/%v, want -1.6 and -2.1", p.Day, p.DayOK, p.Week, p.WeekOK)
		}
		// R6 left the window; R9 is not bad; R5 is about logistics.
		if p.ProductReviews != 4 || len(p.Products) != 2 {
			t.Fatalf("product evidence = %d reviews in %+v", p.ProductReviews, p.Products)
		}
		g := p.Products[0]
		if g.Product != "连衣裙 L 黑色" || g.Aspect != AspectSize || g.Count != 3 || reviewIDs(g.Reviews) != "R1,R2,R3" {
			t.Errorf("top group = %s %s %d %s, want 连衣裙 L 黑色 size 3 R1,R2,R3", g.Product, g.Aspect, g.Count, reviewIDs(g.Reviews))
		}
		if c := p.Top(30); c == nil || c.Kind != CauseProduct || c.Count != 3 || c.Aspect != AspectSize {
			t.Errorf("product top = %+v", c)
		}

		l := fallOf(t, r, DimLogistics)
		// O1 shipped 5 h late; O3 is unshipped an hour past its 11-24 09:00.
		if l.LateCount != 2 || len(l.Late) != 2 || l.Late[0].OrderID != "O3" || l.Late[0].Shipped || l.Late[0].Late != time.Hour ||
			l.Late[1].OrderID != "O1" || l.Late[1].Late != 5*time.Hour {
			t.Errorf("late = %d %+v", l.LateCount, l.Late)
		}
		// Window mean (53+10+4+4)/4 = 17.75 h; the last 3 days' (53+10)/2 = 31.5 h.
		pk := l.Pickup
		if pk == nil || pk.WindowOrders != 4 || pk.RecentOrders != 2 || pk.WindowMean != 17.75 || pk.RecentMean != 31.5 || !pk.Slower ||
			pk.SlowCount != 1 || len(pk.Slow) != 1 || pk.Slow[0].OrderID != "O1" || pk.Slow[0].Hours != 53 {
			t.Errorf("pickup = %+v", pk)
		}
		if l.ReviewCount != 1 || reviewIDs(l.Reviews) != "R5" {
			t.Errorf("logistics reviews = %d %s", l.ReviewCount, reviewIDs(l.Reviews))
		}
		// 揽收时长 20 → 26 h is 30% worse; 配送时效达成率 95 → 94% about 1%.
		m := l.Indicator
		if m == nil || m.Indicator.Column != "pickup_hours" || m.Was != 20 || m.Now != 26 || m.Worse < 0.299 || m.Worse > 0.301 {
			t.Errorf("indicator = %+v", m)
		}
		if c := l.Top(30); c == nil || c.Kind != CauseIndicator {
			t.Errorf("logistics top = %+v, want the indicator", c)
		}
	})

	t.Run("service: reviews, overdue, closed without an outcome", func(t *testing.T) {
		r := why("dy2")
		s := fallOf(t, r, DimService)
		if len(r.Falls) != 1 || s.ReviewCount != 2 || s.OverdueCount != 1 || reviewIDs(s.Overdue) != "R7" ||
			s.NoOutcomeCount != 1 || reviewIDs(s.NoOutcome) != "R8" || s.Indicator != nil {
			t.Errorf("service = %+v", s)
		}
		if c := s.Top(30); c == nil || c.Kind != CauseReviews || c.Count != 2 {
			t.Errorf("service top = %+v", c)
		}
	})

	t.Run("nothing explains it", func(t *testing.T) {
		p := fallOf(t, why("dy3"), DimProduct)
		if p.Explained() || p.Top(30) != nil {
			t.Errorf("dy3 product is explained: %+v", p)
		}
	})

	t.Run("Taobao: 180 days", func(t *testing.T) {
		r := why("tb1")
		p := fallOf(t, r, DimProduct)
		if len(r.Falls) != 1 || p.Day != -0.02 || p.ProductReviews != 1 || p.Products[0].Aspect != AspectQuality {
			t.Errorf("tb1 = %+v", r.Falls)
		}
	})

	t.Run("no score", func(t *testing.T) {
		mustCreateShop(t, db, "dy4", Douyin)
		if r := why("dy4"); r.Latest != nil || len(r.Falls) != 0 {
			t.Errorf("dy4 = %+v", r)
		}
	})
}

// TestDayReportCause is the card's clause: the cause of the dimension that
// moved most (dy1: product, ▼1.6 × 50% against logistics' ▼4.0 × 15%).
func TestDayReportCause(t *testing.T) {
	ctx := context.Background()
	db := whyFixture(t)
	for _, tc := range []struct {
		shop string
		want *Cause
	}{
		{"dy1", &Cause{Dim: DimProduct, Kind: CauseProduct, Count: 3, Product: "连衣裙 L 黑色", Aspect: AspectSize, Days: 30}},
		{"dy2", &Cause{Dim: DimService, Kind: CauseReviews, Count: 2, Days: 30}},
		{"dy3", nil},
		{"tb1", &Cause{Dim: DimProduct, Kind: CauseProduct, Count: 1, Product: "白茶饼", Aspect: AspectQuality, Days: 180}},
	} {
		r, err := db.DayReport(ctx, shopOf(t, db, tc.shop), testNow)
		if err != nil {
			t.Fatal(err)
		}
		got := r.Cause
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("%s cause = %+v, want %+v", tc.shop, got, tc.want)
		}
	}
}
