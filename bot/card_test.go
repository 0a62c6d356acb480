package bot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// The -update flag (declared in golden_test.go) rewrites these golden files
// too: go test ./bot -run TestCardGoldenFiles -update

// cardZone and cardClock are the score card's fixed "now": 2026-11-24 02:00
// UTC, 10:00 in Shanghai.
var (
	cardZone  = mustZone("Asia/Shanghai")
	cardClock = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC).In(cardZone)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func score(v float64) *float64 { return &v }

// formalScore is a formal-stage Douyin day: the overall and its dimensions.
func formalScore(date string, overall, product, logistics, service float64) *storage.Score {
	return &storage.Score{Date: date, Stage: storage.StageFormal, Overall: score(overall), Product: score(product), Logistics: score(logistics), Service: score(service)}
}

// growthScore is a growth-stage Douyin day: a flat overall, no dimensions.
func growthScore(date string, overall float64) *storage.Score {
	return &storage.Score{Date: date, Stage: storage.StageGrowth, Overall: score(overall)}
}

// dsrScore is a Taobao day: 描述相符, 物流服务, 服务态度.
func dsrScore(date string, product, logistics, service float64) *storage.Score {
	return &storage.Score{Date: date, Product: score(product), Logistics: score(logistics), Service: score(service)}
}

// cardShop is a formal-stage Douyin shop with the default weights.
func cardShop(lang string) storage.Shop {
	return storage.Shop{ID: "dy-fashion", Name: "潮衣馆 Trend Closet", Platform: storage.Douyin, TZ: "Asia/Shanghai", Lang: lang,
		WeightProduct: 50, WeightLogistics: 15, WeightService: 35, WarnHours: 6, FollowUpHours: 24}
}

// fellBelow70 is a formal-stage Douyin shop that fell under the 70 line
// (精选联盟) overnight. Logistics fell most in points (▼4.0) but weighs 15%;
// product fell ▼1.6 at 50%, so it moved the overall most (▼0.80 against
// ▼0.60): the card must name product, and the cause the day report found
// behind it: four size reviews of one dress.
func fellBelow70(lang string) *storage.DayReport {
	return &storage.DayReport{
		Cause: &storage.Cause{Dim: storage.DimProduct, Kind: storage.CauseProduct, Count: 4, Product: "连衣裙 L 黑色", Aspect: storage.AspectSize, Days: 30},
		Shop:  cardShop(lang), Now: cardClock, Today: "2026-11-24",
		Latest:        formalScore("2026-11-24", 69.1, 70.4, 61.0, 71.2),
		Prev:          formalScore("2026-11-23", 70.3, 72.0, 65.0, 71.0),
		WeekAgo:       formalScore("2026-11-17", 72.6, 72.5, 78.0, 70.8),
		PaidOrders30d: 1200,
		NewSince:      time.Date(2026, 11, 23, 0, 0, 0, 0, cardZone),
		NewBad: []storage.Review{
			{ShopID: "dy-fashion", ReviewID: "R2042", Rating: 1, Product: "连衣裙 L 黑色", Aspects: "size", Owner: "U0ALICE01", Status: storage.StatusOpen, CreatedAt: cardClock.Add(-3 * time.Hour)},
			{ShopID: "dy-fashion", ReviewID: "R2039", Rating: 2, Product: "针织开衫 <米色> & 围巾", Aspects: "logistics,service", Status: storage.StatusOpen, CreatedAt: cardClock.Add(-26 * time.Hour)},
		},
		NewBadCount: 2,
		OlderOpen:   3,
		Late:        []storage.Order{{OrderID: "6921000000000000001", ShipBy: cardClock.Add(-5 * time.Hour)}},
		LateCount:   1,
		AtRisk:      []storage.Order{{OrderID: "6921000000000000002", ShipBy: cardClock.Add(2 * time.Hour)}, {OrderID: "6921000000000000003", ShipBy: cardClock.Add(5*time.Hour + 30*time.Minute)}},
		AtRiskCount: 2,
	}
}

// growthStage is a Douyin shop whose imported score is the growth stage's
// flat 70 (no dimensions); dsrbot holds 12 of its orders, shown as a hint.
func growthStage() *storage.DayReport {
	r := &storage.DayReport{
		Shop: cardShop("en"), Now: cardClock, Today: "2026-11-24",
		Latest:        growthScore("2026-11-24", 70),
		Prev:          growthScore("2026-11-23", 70),
		PaidOrders30d: 12,
		NewSince:      time.Date(2026, 11, 23, 0, 0, 0, 0, cardZone),
	}
	r.Shop.ID, r.Shop.Name = "dy-home", "家居小铺 Cozy Home"
	return r
}

// taobaoStale is a Taobao shop whose newest DSR is two days old.
func taobaoStale() *storage.DayReport {
	return &storage.DayReport{
		Shop: storage.Shop{ID: "tb-tea", Name: "茶香阁 Tea House", Platform: storage.Taobao, TZ: "Asia/Shanghai", Lang: "en",
			WeightProduct: 50, WeightLogistics: 15, WeightService: 35, WarnHours: 6, FollowUpHours: 24},
		Now: cardClock, Today: "2026-11-24",
		Latest:        dsrScore("2026-11-22", 4.83, 4.78, 4.75),
		Prev:          dsrScore("2026-11-21", 4.81, 4.79, 4.80),
		WeekAgo:       dsrScore("2026-11-15", 4.82, 4.78, 4.86),
		PaidOrders30d: 800,
		NewSince:      time.Date(2026, 11, 23, 0, 0, 0, 0, cardZone),
		NewBad: []storage.Review{
			{ShopID: "tb-tea", ReviewID: "R3001", Rating: 2, Product: "白茶饼 357g", Aspects: "quality", Status: storage.StatusOpen, CreatedAt: cardClock.Add(-27 * time.Hour)},
		},
		NewBadCount: 1,
		OlderOpen:   1,
	}
}

// noScore is a shop no score was ever imported for.
func noScore() *storage.DayReport {
	return &storage.DayReport{Shop: cardShop("en"), Now: cardClock, Today: "2026-11-24", PaidOrders30d: 300,
		NewSince: time.Date(2026, 11, 23, 0, 0, 0, 0, cardZone)}
}

// manyNewBad has 12 new bad reviews, of which the report lists the newest
// ReportListLimit.
func manyNewBad() *storage.DayReport {
	r := fellBelow70("en")
	r.NewBad = nil
	for i := 0; i < storage.ReportListLimit; i++ {
		r.NewBad = append(r.NewBad, storage.Review{ShopID: "dy-fashion", ReviewID: "R30" + string(rune('0'+i)), Rating: 1 + i%2,
			Product: "羊毛大衣 驼色", Aspects: "quality", Status: storage.StatusOpen, CreatedAt: cardClock.Add(-time.Duration(i+1) * time.Hour)})
	}
	r.NewBadCount, r.OlderOpen = 12, 0
	r.Late, r.LateCount, r.AtRisk, r.AtRiskCount = nil, 0, nil, 0
	return r
}

// TestCardGoldenFiles renders score cards built by hand (no database) and
// compares both renderings with testdata/card_NAME.json and .txt. Beside
// the golden files, the numbers that take arithmetic are asserted plainly,
// so a wrong number cannot be blessed by -update.
func TestCardGoldenFiles(t *testing.T) {
	tests := []struct {
		name    string
		r       *storage.DayReport
		want    []string
		notWant []string
	}{
		{"douyin_below70_en", fellBelow70("en"), []string{
			"潮衣馆 Trend Closet · dy-fashion · Douyin · 2026-11-24\n",
			"  • 商家体验分 69.1 (shows 4.3★)\n",
			"  • ▼1.2 vs previous day · ▼3.5 vs 7 days before\n",
			"  • 9.1 above the 60 line (千川投放) · 0.9 below the 70 line (精选联盟)\n",
			"  • 商品体验 product 50%: 70.4 (▼1.6)\n",
			"  • 物流体验 logistics 15%: 61.0 (▼4.0)\n",
			"  • 服务体验 service 35%: 71.2 (▲0.2)\n",
			"  • 商品体验 product moved most: ▼1.6 vs previous day, ▼0.80 of the overall: 4 bad reviews of 连衣裙 L 黑色 (size).\n",
			"  • 2 new since yesterday · 3 older still open\n",
			"  • R2042 · 1★ · 连衣裙 L 黑色 · size · <@U0ALICE01> · 3h ago\n",
			"  • R2039 · 2★ · 针织开衫 <米色> & 围巾 · logistics, service · unassigned · 26h ago\n",
			"  • 1 late now · 2 at risk (due within 6 h)\n",
			"  • Late: 6921000000000000001 (due 5h ago)\n",
			"  • At risk: 6921000000000000002 (due in 2h), 6921000000000000003 (due in 5h)\n",
			"More: /dsr reviews dy-fashion · /dsr late dy-fashion\n",
		}, []string{"logistics moved most", "!"}},
		{"douyin_below70_zh", fellBelow70("zh"), []string{
			"潮衣馆 Trend Closet · dy-fashion · 抖音 · 2026-11-24\n",
			"  • 商家体验分 69.1（展示 4.3★）\n",
			"  • 较前一日 ▼1.2 · 较7日前 ▼3.5\n",
			"  • 高于 60 分线（千川投放）9.1 · 低于 70 分线（精选联盟）0.9\n",
			"  • 商品体验 50%：70.4（▼1.6）\n",
			"  • 变化最大的是商品体验：较前一日 ▼1.6，影响总分 ▼0.80，主要原因：连衣裙 L 黑色「尺码」差评 4 条。\n",
			"  • 昨日以来新增 2 条 · 更早未处理 3 条\n",
			"  • R2039 · 2★ · 针织开衫 <米色> & 围巾 · 物流、客服 · 未分配 · 26小时前\n",
			"  • 已超时 1 单 · 即将超时 2 单（6 小时内到期）\n",
			"  • 即将超时：6921000000000000002（2小时后到期）、6921000000000000003（5小时后到期）\n",
		}, []string{"vs previous day", "moved most", "Score", "!", "(", ")"}},
		{"douyin_growth", growthStage(), []string{
			"家居小铺 Cozy Home · dy-home · Douyin · 2026-11-24\n",
			"  • 商家体验分 70.0 · growth stage: not shown to buyers\n",
			"  • The platform makes a shop formal at 30 paid orders in 30 days; dsrbot holds 12 paid orders from them (a hint: imports may not hold every order).\n",
			"  • ±0.0 vs previous day · no score of 2026-11-17 to compare\n",
			"  • 0.0 above the 70 line (精选联盟)\n",
			"  • No new bad reviews since yesterday · 0 older still open\n",
		}, []string{"★", "moved", "No dimension", "not published"}},
		{"taobao_stale", taobaoStale(), []string{
			"茶香阁 Tea House · tb-tea · Taobao · 2026-11-24\n",
			"  • No score imported for today; last is from 2026-11-22.\n",
			"  • 描述相符 description: 4.83 · ▲0.02 vs previous day · ▲0.01 vs 7 days before\n",
			"  • 服务态度 service: 4.75 · ▼0.05 vs previous day · ▼0.11 vs 7 days before\n",
			"  • 物流服务 logistics: 4.78 · ▼0.01 vs previous day · ±0.00 vs 7 days before\n",
			"  • 服务态度 service moved most: ▼0.05 vs previous day.\n",
			"  • R3001 · 2★ · 白茶饼 357g · quality · unassigned · 27h ago\n",
		}, []string{"商家体验分", " line (", "%:", "of the overall"}},
		{"no_score", noScore(), []string{
			"Score\n  • No score imported yet. Import one with: dsrbot import scores FILE\n\nBad reviews\n",
			"  • 0 late now · 0 at risk (due within 6 h)\n\n",
		}, []string{"商家体验分", "vs previous day", "Late:", "At risk:"}},
		{"many_new_bad", manyNewBad(), []string{
			"  • 12 new since yesterday · 0 older still open\n",
			"  • R300 · 1★ · 羊毛大衣 驼色 · quality · unassigned · 1h ago\n",
			"  • R304 · 1★ · 羊毛大衣 驼色 · quality · unassigned · 5h ago\n",
			"  … and 7 more\n",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := cardDoc(tt.r).message()
			// The words as a person reads them; the golden files hold
			// what Slack gets, escaped.
			for _, w := range tt.want {
				if !strings.Contains(m.Plain, w) {
					t.Errorf("card lacks %q:\n%s", w, m.Plain)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(m.Plain, w) {
					t.Errorf("card has %q:\n%s", w, m.Plain)
				}
			}
			goldenMessage(t, "card_"+tt.name, m)
		})
	}
}

// TestCardBlocksEscapeUserText: the product name a buyer's shop typed is
// user text; neither in the Block Kit card nor in the text Slack notifies
// with may it become markup. The plain form a person reads keeps it as is.
func TestCardBlocksEscapeUserText(t *testing.T) {
	m := cardDoc(fellBelow70("en")).message()
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	js := string(raw)
	if !strings.Contains(js, `针织开衫 \u0026lt;米色\u0026gt; \u0026amp; 围巾`) {
		t.Errorf("product name not escaped in the blocks: %s", js)
	}
	if !strings.Contains(m.Text, "针织开衫 &lt;米色&gt; &amp; 围巾") {
		t.Errorf("product name not escaped in the text:\n%s", m.Text)
	}
	if !strings.Contains(m.Plain, "针织开衫 <米色> & 围巾") {
		t.Errorf("product name changed in the plain form:\n%s", m.Plain)
	}
	if !strings.Contains(js, `\u003c@U0ALICE01\u003e`) {
		t.Errorf("owner not mentioned in the blocks: %s", js)
	}
	if len(m.Blocks) != 5 {
		t.Errorf("%d blocks, want header, 3 sections, footer", len(m.Blocks))
	}
}

// withOverall is the below-70 card's report with another overall score.
func withOverall(v float64) *storage.DayReport {
	r := fellBelow70("en")
	r.Latest.Overall = score(v)
	return r
}

// TestCardFivePoint: the card shows the buyer-facing five-point score of
// the overall, in the platform's four-point steps.
func TestCardFivePoint(t *testing.T) {
	tests := []struct {
		overall float64
		want    string
	}{
		{100, "商家体验分 100.0 (shows 5.0★)"},
		{97.0, "商家体验分 97.0 (shows 5.0★)"},
		{96.9, "商家体验分 96.9 (shows 4.9★)"},
		{93.0, "商家体验分 93.0 (shows 4.9★)"},
		{89.0, "商家体验分 89.0 (shows 4.8★)"},
		{92.9, "商家体验分 92.9 (shows 4.8★)"},
		{80.9, "商家体验分 80.9 (shows 4.5★)"},
		{77.0, "商家体验分 77.0 (shows 4.5★)"},
		{76.9, "商家体验分 76.9 (shows 4.4★)"},
		{73.0, "商家体验分 73.0 (shows 4.4★)"},
		{72.9, "商家体验分 72.9 (shows 4.3★)"},
		{71.5, "商家体验分 71.5 (shows 4.3★)"},
		{69.1, "商家体验分 69.1 (shows 4.3★)"},
		{68.9, "商家体验分 68.9 (shows 4.2★)"},
		{64.9, "商家体验分 64.9 (shows 4.1★)"},
		{61.0, "商家体验分 61.0 (shows 4.1★)"},
		{60.9, "商家体验分 60.9 (shows 4.0★)"},
		{60.0, "商家体验分 60.0 (shows 4.0★)"},
		{59.0, "商家体验分 59.0 (shows 3.9★)"},
		{55.5, "商家体验分 55.5 (shows 3.5★)"},
		{50.0, "商家体验分 50.0 (shows 3.0★)"},
	}
	for _, tt := range tests {
		if text := cardDoc(withOverall(tt.overall)).message().Text; !strings.Contains(text, tt.want) {
			t.Errorf("overall %v: card lacks %q:\n%s", tt.overall, tt.want, text)
		}
	}
}

// TestCardGates: the distance to the gate the shop could lose and to the
// next one it could reach.
func TestCardGates(t *testing.T) {
	tests := []struct {
		gates   string
		overall float64
		want    string
	}{
		{"", 69.1, "  • 9.1 above the 60 line (千川投放) · 0.9 below the 70 line (精选联盟)\n"},
		{"", 70.0, "  • 0.0 above the 70 line (精选联盟)\n"},
		{"", 85.0, "  • 15.0 above the 70 line (精选联盟)\n"},
		{"", 57.4, "  • 2.6 below the 60 line (千川投放)\n"},
		// A shop's own gates, as `dsrbot shop set --gates` stores them.
		{"精选联盟=75,超级福袋=80", 78.8, "  • 3.8 above the 75 line (精选联盟) · 1.2 below the 80 line (超级福袋)\n"},
		{"精选联盟=75,千川投放=60.5", 60.0, "  • 0.5 below the 60.5 line (千川投放)\n"},
	}
	for _, tt := range tests {
		r := withOverall(tt.overall)
		r.Shop.Gates = tt.gates
		if text := cardDoc(r).message().Text; !strings.Contains(text, tt.want) {
			t.Errorf("overall %v: card lacks %q:\n%s", tt.overall, tt.want, text)
		}
	}
}

// TestCardMover: "moved most" is the dimension whose change since the
// previous day weighs most on the overall (Douyin), or the DSR rating that
// changed most (Taobao).
func TestCardMover(t *testing.T) {
	douyin := func(weights [3]int, prev, cur [3]float64) *storage.DayReport {
		r := fellBelow70("en")
		r.Cause = nil // the mover's arithmetic; TestCardMoverCause has the clause
		r.Shop.WeightProduct, r.Shop.WeightLogistics, r.Shop.WeightService = weights[0], weights[1], weights[2]
		r.Prev.Product, r.Prev.Logistics, r.Prev.Service = score(prev[0]), score(prev[1]), score(prev[2])
		r.Latest.Product, r.Latest.Logistics, r.Latest.Service = score(cur[0]), score(cur[1]), score(cur[2])
		return r
	}
	noPrev := fellBelow70("en")
	noPrev.Prev = nil
	tests := []struct {
		name string
		r    *storage.DayReport
		want string // "" for no mover sentence at all
	}{
		{"weight beats points", douyin([3]int{50, 15, 35}, [3]float64{72.0, 65.0, 71.0}, [3]float64{70.4, 61.0, 71.2}),
			"商品体验 product moved most: ▼1.6 vs previous day, ▼0.80 of the overall."},
		{"other weights", douyin([3]int{20, 60, 20}, [3]float64{72.0, 65.0, 71.0}, [3]float64{70.4, 61.0, 71.2}),
			"物流体验 logistics moved most: ▼4.0 vs previous day, ▼2.40 of the overall."},
		{"a rise", douyin([3]int{50, 15, 35}, [3]float64{72.0, 65.0, 71.0}, [3]float64{72.1, 65.0, 73.0}),
			"服务体验 service moved most: ▲2.0 vs previous day, ▲0.70 of the overall."},
		{"nothing moved", douyin([3]int{50, 15, 35}, [3]float64{72.0, 65.0, 71.0}, [3]float64{72.0, 65.0, 71.0}),
			"No dimension moved since the previous day."},
		{"taobao", taobaoStale(), "服务态度 service moved most: ▼0.05 vs previous day."},
		{"no previous day", noPrev, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := cardDoc(tt.r).message().Text
			if tt.want == "" {
				if strings.Contains(text, "moved") {
					t.Errorf("a mover without a previous day:\n%s", text)
				}
				return
			}
			if !strings.Contains(text, "  • "+tt.want+"\n") {
				t.Errorf("card lacks %q:\n%s", tt.want, text)
			}
		})
	}
}

// TestCardMoverNamesAVisibleChange: when the dimension with the largest
// weighted change moved by less than the card shows (±0.0), while another
// visibly moved (▲0.1), the card must not also say that nothing moved.
//
// BUG (card.go, mover): the best dimension is picked among all changes,
// then rejected as "no change" when it rounds to zero, so a visible change
// of another dimension is reported as "No dimension moved".
func TestCardMoverNamesAVisibleChange(t *testing.T) {
	r := fellBelow70("en")
	r.Prev.Product, r.Prev.Logistics, r.Prev.Service = score(70.00), score(60.0), score(72.0)
	r.Latest.Product, r.Latest.Logistics, r.Latest.Service = score(70.04), score(60.1), score(72.0)
	text := cardDoc(r).message().Text
	if !strings.Contains(text, "物流体验 logistics 15%: 60.1 (▲0.1)") {
		t.Fatalf("the card does not show logistics moving:\n%s", text)
	}
	if strings.Contains(text, "No dimension moved") {
		t.Errorf("the card shows logistics ▲0.1 yet says no dimension moved:\n%s", text)
	}
	if !strings.Contains(text, "物流体验 logistics moved most: ▲0.1 vs previous day") {
		t.Errorf("the card does not name logistics, the only visible change:\n%s", text)
	}
}

// TestCardRoundsOnce: the shown score, its stars and its distance to a
// gate come from one value, rounded once. 69.96 is shown as 70.0, so it is
// starred as 70.0 and stands on the 70 line; a card that said "70.0" and
// "0.04 below the 70 line" in one breath would contradict itself.
func TestCardRoundsOnce(t *testing.T) {
	for _, tt := range []struct {
		overall    float64
		want, line string
	}{
		{69.96, "商家体验分 70.0 (shows 4.3★)", "0.0 above the 70 line (精选联盟)"},
		{69.94, "商家体验分 69.9 (shows 4.3★)", "9.9 above the 60 line (千川投放) · 0.1 below the 70 line (精选联盟)"},
		{96.99, "商家体验分 97.0 (shows 5.0★)", "27.0 above the 70 line (精选联盟)"},
		{59.96, "商家体验分 60.0 (shows 4.0★)", "0.0 above the 60 line (千川投放) · 10.0 below the 70 line (精选联盟)"},
	} {
		r := withOverall(tt.overall)
		text := cardDoc(r).message().Text
		if !strings.Contains(text, tt.want) || !strings.Contains(text, "  • "+tt.line+"\n") {
			t.Errorf("overall %v: card lacks %q or %q:\n%s", tt.overall, tt.want, tt.line, text)
		}
		ln := summaryLine(en, r).render(forPerson)
		if strings.Contains(tt.line, "below") != strings.Contains(ln, "below the") {
			t.Errorf("overall %v: the all-shops line and the card disagree on the gate: %s", tt.overall, ln)
		}
	}
}

// TestCardGradeWithoutStars: a bad review whose export gave a grade and no
// stars shows the grade where the stars would go, in the shop's language.
func TestCardGradeWithoutStars(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"en", "R2042 · bad review · 连衣裙 L 黑色"},
		{"zh", "R2042 · 差评 · 连衣裙 L 黑色"},
	} {
		r := fellBelow70(tt.lang)
		r.NewBad[0].Grade = storage.GradeBad
		if text := cardDoc(r).message().Text; !strings.Contains(text, tt.want) || strings.Contains(text, "R2042 · 2★") {
			t.Errorf("%s: card lacks %q:\n%s", tt.lang, tt.want, text)
		}
	}
}

// TestGrowthPenaltyUnderAGate: a growth-stage shop penalised to 60 is under
// the 精选联盟 line, and both the card and the all-shops line say so.
func TestGrowthPenaltyUnderAGate(t *testing.T) {
	r := growthStage()
	r.Latest = growthScore("2026-11-24", 60)
	text := cardDoc(r).message().Text
	for _, want := range []string{"商家体验分 60.0 · growth stage", "▼10.0 vs previous day", "10.0 below the 70 line (精选联盟)"} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	if ln := summaryLine(en, r).render(forPerson); !strings.Contains(ln, "growth stage 60.0 · 10.0 below the 70 line (精选联盟)") {
		t.Errorf("all-shops line: %s", ln)
	}
}

// TestCardMoverCause: the "moved most" line names the day report's top
// cause in one clause, only when it is the cause of the dimension named and
// that dimension fell.
func TestCardMoverCause(t *testing.T) {
	late := &storage.Cause{Dim: storage.DimLogistics, Kind: storage.CauseLate, Count: 6, Days: 30}
	withCause := func(r *storage.DayReport, c *storage.Cause) *storage.DayReport { r.Cause = c; return r }
	otherWeights := func() *storage.DayReport {
		r := fellBelow70("en")
		r.Shop.WeightProduct, r.Shop.WeightLogistics, r.Shop.WeightService = 20, 60, 20
		return r
	}
	rise := fellBelow70("en")
	rise.Latest.Product = score(74.0)
	tests := []struct {
		name string
		r    *storage.DayReport
		want string
	}{
		{"late orders", withCause(otherWeights(), late),
			"物流体验 logistics moved most: ▼4.0 vs previous day, ▼2.40 of the overall: 6 orders late to ship in 30 days."},
		{"a cause of another dimension is not said", withCause(fellBelow70("en"), late),
			"商品体验 product moved most: ▼1.6 vs previous day, ▼0.80 of the overall."},
		{"a rise has no cause", rise,
			"商品体验 product moved most: ▲2.0 vs previous day, ▲1.00 of the overall."},
		{"an indicator", withCause(otherWeights(), &storage.Cause{Dim: storage.DimLogistics, Kind: storage.CauseIndicator,
			Move: &storage.IndicatorMove{Indicator: storage.Indicators[2], Was: 20, Now: 26.5}}),
			"物流体验 logistics moved most: ▼4.0 vs previous day, ▼2.40 of the overall: 揽收时长 pickup time went from 20.0 h to 26.5 h."},
		{"taobao", withCause(taobaoStale(), &storage.Cause{Dim: storage.DimService, Kind: storage.CauseOverdue, Count: 3, Days: 180}),
			"服务态度 service moved most: ▼0.05 vs previous day: 3 follow-ups overdue."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if text := cardDoc(tt.r).message().Plain; !strings.Contains(text, "  • "+tt.want+"\n") {
				t.Errorf("card lacks %q:\n%s", tt.want, text)
			}
		})
	}
}
