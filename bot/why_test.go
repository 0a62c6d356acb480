package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// The -update flag rewrites these golden files too:
// go test ./bot -run TestWhyGoldenFiles -update

// whyDouyin is a formal-stage Douyin shop whose three dimensions fell, with
// evidence of every kind: product over the size reviews of one dress,
// logistics over late and slow orders (and 揽收时长 20 → 26.5 h imported),
// service over a review, an overdue follow-up and one closed with no
// action.
func whyDouyin(lang string) *storage.WhyReport {
	shop := cardShop(lang)
	at := func(h float64) time.Time { return cardClock.Add(-time.Duration(h * float64(time.Hour))) }
	latest := formalScore("2026-11-24", 69.1, 70.4, 61.0, 70.5)
	prev := formalScore("2026-11-23", 70.3, 72.0, 65.0, 71.0)
	week := formalScore("2026-11-17", 72.6, 72.5, 78.0, 70.8)
	latest.PickupHours, prev.PickupHours = score(26.5), score(20)
	dress := func(id string, hours float64) storage.Review {
		return storage.Review{ShopID: shop.ID, ReviewID: id, Rating: 1, Product: "连衣裙 L 黑色", Aspects: "size", Status: storage.StatusOpen, CreatedAt: at(hours)}
	}
	cardigan := storage.Review{ShopID: shop.ID, ReviewID: "R2039", Rating: 2, Product: "针织开衫 <米色> & 围巾", Aspects: "logistics,service", Status: storage.StatusOpen, CreatedAt: at(26), OpenedAt: at(26)}
	closed := at(100)
	noAction := storage.Review{ShopID: shop.ID, ReviewID: "R1990", Rating: 1, Product: "羊毛大衣 驼色", Aspects: "service", Status: storage.StatusDone, Outcome: "no_action", Owner: "U0BO0001", CreatedAt: at(130), ClosedAt: &closed}
	order := func(id, product string, paidHoursAgo float64) storage.Order {
		return storage.Order{ShopID: shop.ID, OrderID: id, Product: product, PaidAt: at(paidHoursAgo)}
	}
	late := []storage.LateOrder{
		{Order: order("6921000000000000011", "连衣裙 L 黑色", 50), Late: 2 * time.Hour},
		{Order: order("6921000000000000012", "针织开衫 <米色> & 围巾", 60), Late: 5*time.Hour + 30*time.Minute, Shipped: true},
		{Order: order("6921000000000000013", "连衣裙 L 黑色", 80), Late: 12 * time.Hour, Shipped: true},
		{Order: order("6921000000000000014", "羊毛大衣 驼色", 120), Late: 3 * time.Hour, Shipped: true},
		{Order: order("6921000000000000015", "羊毛大衣 驼色", 200), Late: 26 * time.Hour, Shipped: true},
	}
	return &storage.WhyReport{
		Shop: shop, Now: cardClock, Today: "2026-11-24", Since: cardClock.AddDate(0, 0, -30),
		Latest: latest, Prev: prev, WeekAgo: week,
		Falls: []storage.Fall{
			{Dim: storage.DimProduct, Day: -1.6, DayOK: true, Week: -2.1, WeekOK: true,
				ProductReviews: 5,
				Products: []storage.ProductCause{
					{Product: "连衣裙 L 黑色", Aspect: storage.AspectSize, Count: 4, Reviews: []storage.Review{dress("R2042", 3), dress("R2031", 40), dress("R2020", 90)}},
					{Product: "针织开衫 <米色> & 围巾", Aspect: storage.AspectQuality, Count: 1, Reviews: []storage.Review{{ReviewID: "R2011"}}},
				}},
			{Dim: storage.DimLogistics, Day: -4.0, DayOK: true, Week: -17.0, WeekOK: true,
				Indicator: &storage.IndicatorMove{Indicator: storage.Indicators[2], Was: 20, Now: 26.5, Worse: 0.325},
				Late:      late, LateCount: 7,
				Pickup: &storage.Pickup{WindowMean: 22.4, WindowOrders: 120, RecentMean: 31.04, RecentOrders: 18, Slower: true, SlowCount: 2,
					Slow: []storage.SlowOrder{{Order: order("6921000000000000021", "连衣裙 L 黑色", 30), Hours: 29.5}, {Order: order("6921000000000000022", "羊毛大衣 驼色", 52), Hours: 41.25}}},
				Reviews: []storage.Review{cardigan}, ReviewCount: 1},
			{Dim: storage.DimService, Day: -0.5, DayOK: true, Week: -0.3, WeekOK: true,
				Reviews: []storage.Review{cardigan}, ReviewCount: 1,
				Overdue: []storage.Review{cardigan}, OverdueCount: 1,
				NoOutcome: []storage.Review{noAction}, NoOutcomeCount: 1},
		},
	}
}

// whyTaobao is a Taobao shop: 描述相符 fell over two quality reviews of one
// tea in the 180 days; 服务态度 fell with nothing in the window behind it.
func whyTaobao() *storage.WhyReport {
	tb := taobaoStale()
	rv := func(id string, days int) storage.Review {
		return storage.Review{ShopID: "tb-tea", ReviewID: id, Rating: 2, Product: "白茶饼 357g", Aspects: "quality", Status: storage.StatusOpen, CreatedAt: cardClock.AddDate(0, 0, -days)}
	}
	return &storage.WhyReport{
		Shop: tb.Shop, Now: cardClock, Today: "2026-11-24", Since: cardClock.AddDate(0, 0, -180),
		Latest: dsrScore("2026-11-24", 4.79, 4.78, 4.75), Prev: dsrScore("2026-11-23", 4.81, 4.78, 4.80), WeekAgo: dsrScore("2026-11-17", 4.82, 4.78, 4.76),
		Falls: []storage.Fall{
			{Dim: storage.DimProduct, Day: -0.02, DayOK: true, Week: -0.03, WeekOK: true, ProductReviews: 2,
				Products: []storage.ProductCause{{Product: "白茶饼 357g", Aspect: storage.AspectQuality, Count: 2, Reviews: []storage.Review{rv("R3001", 1), rv("R2870", 95)}}}},
			{Dim: storage.DimService, Day: -0.05, DayOK: true, Week: -0.01, WeekOK: true},
		},
	}
}

// whyHeld is a shop whose every dimension held or rose.
func whyHeld() *storage.WhyReport {
	return &storage.WhyReport{Shop: cardShop("en"), Now: cardClock, Today: "2026-11-24",
		Latest: formalScore("2026-11-24", 71, 72, 66, 71), Prev: formalScore("2026-11-23", 70.3, 72.0, 65.0, 71.0)}
}

func TestWhyGoldenFiles(t *testing.T) {
	tests := []struct {
		name    string
		r       *storage.WhyReport
		want    []string
		notWant []string
	}{
		{"douyin_en", whyDouyin("en"), []string{
			"Why it moved · 潮衣馆 Trend Closet (dy-fashion) · 2026-11-24\n",
			"Evidence from the platform's window, the last 30 days, newest first.\n",
			"商品体验 product\n  • ▼1.6 vs previous day · ▼2.1 vs 7 days before\n",
			"5 bad reviews about the goods\n  • 连衣裙 L 黑色 · size · 4 bad reviews: R2042, R2031, R2020, and 1 more\n  • 针织开衫 <米色> & 围巾 · quality · 1 bad reviews: R2011\n",
			"物流体验 logistics\n  • ▼4.0 vs previous day · ▼17.0 vs 7 days before\n  • Indicator that moved most: 揽收时长 pickup time 20.0 h → 26.5 h\n",
			"7 orders late to ship\n  • 6921000000000000011 · 连衣裙 L 黑色 · unshipped, 2h past its ship-by time · paid 11-22 08:00\n" +
				"  • 6921000000000000012 · 针织开衫 <米色> & 围巾 · shipped 5h late · paid 11-21 22:00\n",
			"  … and 2 more\n",
			"Payment to pickup took 31.0 h on average in the last 3 days (18 orders), against 22.4 h over the window (120 orders)\n" +
				"  • 6921000000000000021 · 连衣裙 L 黑色 · 29.5 h from payment to pickup · paid 11-23 04:00\n",
			"1 bad reviews about delivery\n  • R2039 · 2★ · 针织开衫 <米色> & 围巾 · logistics, service · unassigned · 26h ago\n",
			"1 follow-ups overdue\n  • R2039 · 针织开衫 <米色> & 围巾 · logistics, service · due 11-24 08:00\n",
			"1 follow-ups closed without an outcome (no action)\n  • R1990 · 羊毛大衣 驼色 · service · closed 11-20 06:00\n",
			"The score card: /dsr today dy-fashion\n",
		}, []string{"No reviews or orders", "!"}},
		{"douyin_zh", whyDouyin("zh"), []string{
			"原因 · 潮衣馆 Trend Closet（dy-fashion） · 2026-11-24\n",
			"依据平台统计周期（近 30 天）的数据，最新在前。\n",
			"  • 连衣裙 L 黑色 ·「尺码」差评 4 条：R2042、R2031、R2020、还有 1 条\n",
			"  • 变化最大的指标：揽收时长 20.0 小时 → 26.5 小时\n",
			"发货超时 7 单\n",
			"  • 6921000000000000011 · 连衣裙 L 黑色 · 未发货，已超过应发时间 2小时 · 支付于 11-22 08:00\n",
			"近 3 天支付到揽收平均 31.0 小时（18 单），统计周期内平均 22.4 小时（120 单）\n",
			"超时未跟进 1 条\n",
		}, []string{"vs previous day", "bad reviews", "!"}},
		{"taobao_en", whyTaobao(), []string{
			"Why it moved · 茶香阁 Tea House (tb-tea) · 2026-11-24\n",
			"Evidence from the platform's window, the last 180 days, newest first.\n",
			"描述相符 description\n  • ▼0.02 vs previous day · ▼0.03 vs 7 days before\n",
			"2 bad reviews about the goods\n  • 白茶饼 357g · quality · 2 bad reviews: R3001, R2870\n",
			"服务态度 service\n  • ▼0.05 vs previous day · ▼0.01 vs 7 days before\n  • No reviews or orders in the window explain this; the platform may have changed an indicator we do not import.\n",
		}, []string{"商家体验分", "Indicator", "!"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := whyDoc(tt.r).message()
			for _, w := range tt.want {
				if !strings.Contains(m.Plain, w) {
					t.Errorf("why lacks %q:\n%s", w, m.Plain)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(m.Plain, w) {
					t.Errorf("why has %q:\n%s", w, m.Plain)
				}
			}
			goldenMessage(t, "why_"+tt.name, m)
		})
	}
}

// TestWhyPlainAnswers: nothing fell, no score, and the cut lists.
func TestWhyPlainAnswers(t *testing.T) {
	if m := whyDoc(whyHeld()).message(); !strings.Contains(m.Plain, "Nothing fell: every dimension held or rose since the previous day and 7 days before.") ||
		strings.Contains(m.Plain, "Evidence") {
		t.Errorf("a score that held:\n%s", m.Plain)
	}
	none := whyHeld()
	none.Latest, none.Prev = nil, nil
	if m := whyDoc(none).message(); !strings.Contains(m.Plain, "No score imported yet.") {
		t.Errorf("no score:\n%s", m.Plain)
	}
	// Seven product groups: five are named, two counted.
	r := whyDouyin("en")
	p := &r.Falls[0]
	for i := 0; i < 5; i++ {
		p.Products = append(p.Products, storage.ProductCause{Product: "帽子", Aspect: storage.AspectStyle, Count: 1, Reviews: []storage.Review{{ReviewID: "R1"}}})
	}
	m := whyDoc(r).message()
	if got := strings.Count(m.Plain, "帽子 · style"); got != 3 || !strings.Contains(m.Plain, "  … and 2 more\n\n物流体验 logistics\n") {
		t.Errorf("seven groups show %d hats:\n%s", got, m.Plain)
	}
}

// TestWhyAllShops: one line per shop that fell, the biggest fall first (a
// share of the platform's scale: ▼1.6 of product at 50% is 0.8 of 100
// points, ▼0.05 of a DSR rating 1% of 5 stars), with its top cause; a
// shop that held has no line.
func TestWhyAllShops(t *testing.T) {
	m := whyAllDoc(en, "2026-11-24", []*storage.WhyReport{whyTaobao(), whyHeld(), whyDouyin("en")}).message()
	want := "Why it moved · all shops · 2026-11-24\n\n" +
		"tb-tea 茶香阁 Tea House · 服务态度 service ▼0.05 vs previous day: nothing in the window explains it\n" +
		"dy-fashion 潮衣馆 Trend Closet · 商品体验 product ▼1.6 vs previous day: 4 bad reviews of 连衣裙 L 黑色 (size)\n\n"
	if !strings.Contains(m.Plain, want) {
		t.Errorf("all shops lack\n%s\n%s", want, m.Plain)
	}
	if m := whyAllDoc(zh, "2026-11-24", []*storage.WhyReport{whyHeld()}).message(); !strings.Contains(m.Plain, "各店铺较前一日和7日前均没有下降。") {
		t.Errorf("no fall:\n%s", m.Plain)
	}
}

// TestWhyCommand answers /dsr why from the demo: a shop's causes, and the
// shops that fell across the workspace, in either keyword.
func TestWhyCommand(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	for text, want := range map[string]string{
		"why dy-fashion": "Why it moved · 潮衣馆 Trend Closet (dy-fashion)",
		// A shop's answer is in the shop's language, whatever the keyword.
		"原因 dy-fashion": "Why it moved · 潮衣馆 Trend Closet (dy-fashion)",
		"why":           "Why it moved · all shops",
		"为什么":           "原因 · 全部店铺",
	} {
		m := d.Handle(ctx, Request{Text: text, User: "U0ALICE01", Team: demoTeam})
		if !strings.Contains(m.Plain, want) {
			t.Errorf("%q: lacks %q:\n%s", text, want, m.Plain)
		}
	}
}
