package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/storage"
)

// The -update flag (declared in golden_test.go) rewrites these golden
// files too: go test ./bot -run TestProductsGolden -update

// productsReport is a shop's window built by hand: a dress dragged by size
// complaints, a coat by late presales, a product whose name would be
// markup in Slack, and one that drags nothing. The shop: 40 bad of 500
// reviews (8%), 60 late of 2000 orders (3%).
func productsReport(lang string) *storage.ProductReport {
	shop := cardShop(lang)
	ps := []storage.ProductStats{
		{Name: "连衣裙 L 黑色", Orders: 400, Reviews: 150, Bad: 40 - 8 - 3, Late: 10, AtRisk: 2,
			Aspects: []storage.AspectCount{{Aspect: storage.AspectSize, Count: 24}, {Aspect: storage.AspectQuality, Count: 3}, {Aspect: storage.AspectLogistics, Count: 2}, {Aspect: storage.AspectService, Count: 1}}},
		{Name: "羊毛大衣 驼色", Orders: 300, Reviews: 100, Bad: 3, Late: 35, AtRisk: 1, PresaleLate: 22,
			Aspects: []storage.AspectCount{{Aspect: storage.AspectPackaging, Count: 2}, {Aspect: "fit", Count: 1}}},
		{Name: "<!channel> 特价 & 包邮", Orders: 100, Reviews: 50, Bad: 8, Late: 4,
			Aspects: []storage.AspectCount{{Aspect: storage.AspectDescription, Count: 5}, {Aspect: storage.AspectStyle, Count: 2}}},
		{Name: "牛仔阔腿裤", Orders: 1200, Reviews: 200, Bad: 0, Late: 11},
	}
	r := &storage.ProductReport{Shop: shop, Now: cardClock, Since: cardClock.AddDate(0, 0, -30),
		Orders: 2000, Reviews: 500, Bad: 40, Late: 60, BadRate: 0.08, LateRate: 0.03, Products: ps}
	storage.RankProducts(r.Products, r.BadRate, r.LateRate)
	return r
}

// TestProductsGolden renders the product report in both languages and the
// list across shops, and asserts the facts the golden files must hold: the
// order by drag, each product's step, the escaping of a product's name.
func TestProductsGolden(t *testing.T) {
	tests := []struct {
		name string
		m    Message
		want []string
	}{
		{"products_en", productsDoc(productsReport(storage.LangEnglish)).message(), []string{
			"Products dragging the score · 潮衣馆 Trend Closet (dy-fashion)\n",
			"Last 30 days to 2026-11-24: the shop's bad rate 8.0% (bad reviews 40/500) · late rate 3.0% (late orders 60/2000)\n",
			"3 products drag the score, the most first\n",
			// (29 − 150×0.08) + (10 − 400×0.03) = 17 − 2 = 15
			"  • 连衣裙 L 黑色 · drag +15.0 · orders 400 · bad reviews 29/150 (19.3%; the shop 8.0%) · late 10, at risk 2 · size 24, quality 3, logistics 2 · next: fix the size chart on the detail page\n",
			// (3 − 8) + (35 − 9) = 21
			"  • 羊毛大衣 驼色 · drag +21.0 · orders 300 · bad reviews 3/100 (3.0%; the shop 8.0%) · late 35, at risk 1 · presale late 22 · packaging 2, fit 1 · next: stop the presale, or re-date it to a ship date you can keep\n",
			// (8 − 4) + (4 − 3) = 5
			"  • &lt;!channel&gt; 特价 &amp; 包邮 · drag +5.0 · orders 100 · bad reviews 8/50 (16.0%; the shop 8.0%) · late 4, at risk 0 · description 5, style 2 · next: make the detail page (photos, description) match the goods\n",
			"Products with orders or reviews in the window that do not drag the score: 1.\n",
		}},
		{"products_zh", productsDoc(productsReport(storage.LangChinese)).message(), []string{
			"拖分商品 · 潮衣馆 Trend Closet（dy-fashion）\n",
			"近 30 天（截至 2026-11-24）：店铺差评率 8.0%（差评 40/500）· 超时率 3.0%（超时 60/2000 单）\n",
			"3 个商品拖累评分，按拖分从高到低\n",
			"  • 羊毛大衣 驼色 · 拖分 +21.0 · 订单 300 · 差评 3/100（3.0%；店铺 8.0%） · 超时 35、即将超时 1 · 预售延迟 22 · 包装 2、fit 1 · 建议：停止预售，或改为能按时发货的预售时间\n",
			"  • 连衣裙 L 黑色 · 拖分 +15.0 · 订单 400 · 差评 29/150（19.3%；店铺 8.0%） · 超时 10、即将超时 2 · 尺码 24、质量 3、物流 2 · 建议：完善详情页尺码表\n",
			"窗口内另有 1 个商品未拖累评分。\n",
		}},
		{"products_all_shops", productsAllDoc(en, productsAcross(), 3, cardClock).message(), []string{
			"Products dragging the score · all shops · 2026-11-24\n",
			"Products dragging their shop's score: 4, in 3 shops, the most first\n",
			"  • dy-fashion · 羊毛大衣 驼色 · drag +21.0 · bad reviews 3 (3.0%) · late 35 · presale late 22 · next: stop the presale, or re-date it to a ship date you can keep\n",
			"  • tb-tea · 西湖龙井 250g · drag +18.0 · bad reviews 20 (20.0%) · next: take the quality up with the supplier\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(tt.m.Text, w) {
					t.Errorf("%s lacks %q:\n%s", tt.name, w, tt.m.Text)
				}
			}
			if strings.Contains(tt.m.Text, "!products") || strings.Contains(tt.m.Text, "%!") {
				t.Errorf("%s has a missing key or a bad format:\n%s", tt.name, tt.m.Text)
			}
			goldenMessage(t, tt.name, tt.m)
		})
	}
	// The order: coat (21) before dress (15) before the escaped one (5).
	text := productsDoc(productsReport(storage.LangEnglish)).message().Plain
	if a, b, c := strings.Index(text, "羊毛大衣"), strings.Index(text, "连衣裙"), strings.Index(text, "<!channel>"); !(a < b && b < c) {
		t.Errorf("products out of drag order:\n%s", text)
	}
	if strings.Contains(text, "牛仔阔腿裤") {
		t.Errorf("a product that drags nothing is listed:\n%s", text)
	}
}

// productsAcross is the list of three shops' products, ranked.
func productsAcross() []storage.ShopProduct {
	r := productsReport(storage.LangEnglish)
	var out []storage.ShopProduct
	for _, p := range r.Products {
		out = append(out, storage.ShopProduct{Shop: r.Shop, ProductStats: p})
	}
	tea := storage.ProductStats{Name: "西湖龙井 250g", Orders: 100, Reviews: 100, Bad: 20,
		Aspects: []storage.AspectCount{{Aspect: storage.AspectQuality, Count: 12}}}
	tea.Drag, tea.Problem = storage.DragOf(&tea, 0.02, 0), storage.ProblemOf(&tea)
	out = append(out, storage.ShopProduct{Shop: storage.Shop{ID: "tb-tea", Platform: storage.Taobao}, ProductStats: tea})
	// The growth-stage shop has nothing dragging.
	out = append(out, storage.ShopProduct{Shop: storage.Shop{ID: "dy-home"}, ProductStats: storage.ProductStats{Name: "枕头", Orders: 3}})
	sortShopProducts(out)
	return out
}

// sortShopProducts orders a hand-built list as ProductsAcross does.
func sortShopProducts(ps []storage.ShopProduct) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Drag > ps[j-1].Drag; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// TestProductsNone: a shop where no product drags says so plainly, in
// both languages, and lists no product.
func TestProductsNone(t *testing.T) {
	for _, lg := range []string{storage.LangEnglish, storage.LangChinese} {
		r := productsReport(lg)
		for i := range r.Products {
			r.Products[i].Drag = -1
		}
		m := productsDoc(r).message()
		want := map[string]string{storage.LangEnglish: "No product drags the score", storage.LangChinese: "没有商品拖累评分"}[lg]
		if !strings.Contains(m.Plain, want) || strings.Contains(m.Plain, "连衣裙") {
			t.Errorf("%s: no dragging product:\n%s", lg, m.Plain)
		}
		r.Products = nil
		if m := productsDoc(r).message(); !strings.Contains(m.Plain, "30") || strings.Contains(m.Plain, "!products") {
			t.Errorf("%s: empty window:\n%s", lg, m.Plain)
		}
		if m := productsAllDoc(langOf(&r.Shop), nil, 2, cardClock).message(); strings.Contains(m.Plain, "!products") || !strings.Contains(m.Plain, "2") {
			t.Errorf("%s: no product across shops:\n%s", lg, m.Plain)
		}
	}
}

// TestProductsCut: a shop with more dragging products than a list holds
// shows listLimit of them and "and N more", inside Slack's limits, even
// with long names.
func TestProductsCut(t *testing.T) {
	r := productsReport(storage.LangEnglish)
	r.Products = nil
	for i := 0; i < 45; i++ {
		r.Products = append(r.Products, storage.ProductStats{Name: fmt.Sprintf("%03d %s", i, strings.Repeat("长名字", 40)), Orders: 10, Reviews: 10, Bad: 5 + i,
			Aspects: []storage.AspectCount{{Aspect: storage.AspectSize, Count: 5}}})
	}
	storage.RankProducts(r.Products, 0.01, 0)
	m := productsDoc(r).message()
	if !strings.Contains(m.Plain, "and 25 more") {
		t.Errorf("no 'and 25 more':\n%s", m.Plain)
	}
	if strings.Contains(m.Plain, "000 ") || !strings.Contains(m.Plain, "044 ") {
		t.Errorf("the list is not the 20 worst:\n%s", m.Plain)
	}
	checkSlackLimits(t, m)
	all := make([]storage.ShopProduct, len(r.Products))
	for i, p := range r.Products {
		all[i] = storage.ShopProduct{Shop: r.Shop, ProductStats: p}
	}
	m = productsAllDoc(zh, all, 1, cardClock).message()
	if !strings.Contains(m.Plain, "还有 25 条") {
		t.Errorf("no 'and 25 more' across shops:\n%s", m.Plain)
	}
	checkSlackLimits(t, m)
}

// checkSlackLimits fails when a message would be refused by Slack.
func checkSlackLimits(t *testing.T, m Message) {
	t.Helper()
	if len(m.Blocks) > maxBlocks {
		t.Errorf("%d blocks", len(m.Blocks))
	}
	for _, b := range m.Blocks {
		if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil && utf8.RuneCountInString(s.Text.Text) > maxSectionText {
			t.Errorf("a section of %d characters", utf8.RuneCountInString(s.Text.Text))
		}
	}
}

// TestProductsCommand runs the verb on the demo: a shop's list with its
// dress first and the size-chart step, the list across shops, the Chinese
// keyword, and a shop the request may not see.
func TestProductsCommand(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	m := d.Handle(ctx, Request{Text: "products dy-fashion", User: "U0ALICE01", Team: demoTeam})
	if !strings.Contains(m.Plain, "连衣裙 L 黑色 · drag") || !strings.Contains(m.Plain, "next: fix the size chart on the detail page") {
		t.Errorf("products dy-fashion:\n%s", m.Plain)
	}
	if i, j := strings.Index(m.Plain, "连衣裙 L 黑色"), strings.Index(m.Plain, "羊毛大衣 驼色"); i < 0 || j < 0 || i > j {
		t.Errorf("the dress is not first:\n%s", m.Plain)
	}
	m = d.Handle(ctx, Request{Text: "商品", User: "U0ALICE01", Team: demoTeam})
	if !strings.Contains(m.Plain, "拖分商品 · 全部店铺") || !strings.Contains(m.Plain, "dy-fashion · 连衣裙 L 黑色") {
		t.Errorf("商品:\n%s", m.Plain)
	}
	m = d.Handle(ctx, Request{Text: "products dy-fashion", User: "U0ALICE01", Team: "T0OTHER"})
	if strings.Contains(m.Plain, "连衣裙") {
		t.Errorf("another workspace sees the shop's products:\n%s", m.Plain)
	}
}
