package bot

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

// The -update flag (declared in golden_test.go) rewrites these golden
// files too: go test ./bot -run TestRecoverGoldenFiles -update

// recoverDouyin is a Douyin shop 1.1 under the 70 line with more exits and
// products than a message lists, one product named with markup.
func recoverDouyin(lang string) *storage.RecoveryReport {
	r := &storage.RecoveryReport{
		Shop: cardShop(lang), Now: cardClock, Today: "2026-11-24",
		Latest: formalScore("2026-11-24", 68.94, 70.4, 61.0, 71.2),
		Shown:  68.9, Scored: true,
		Gaps:         []storage.GateGap{{Gate: storage.Gate{Name: "精选联盟", Score: 70}, Gap: 1.1}},
		BadInWindow:  19,
		LateInWindow: 9,
		Horizon:      "2026-12-01", SoonBad: 6, SoonLate: 2,
		NewBadLeaves: "2026-12-24",
	}
	r.Exits = []storage.WindowExit{
		{Day: "2026-11-25", Product: "连衣裙 L 黑色", Bad: 4},
		{Day: "2026-11-25", Product: "针织开衫 <米色> & 围巾", Late: 1},
		{Day: "2026-11-27", Product: "牛仔阔腿裤", Bad: 1, Late: 1},
		{Day: "2026-11-30", Product: "", Bad: 1},
	}
	for i := 0; i < 10; i++ {
		r.Exits = append(r.Exits, storage.WindowExit{Day: fmt.Sprintf("2026-12-%02d", 2+i), Product: "羊毛大衣 驼色", Bad: 1})
	}
	r.Products = []storage.ProductLoad{
		{Product: "连衣裙 L 黑色", Bad: 8, Late: 2, TopAspect: storage.AspectSize},
		{Product: "羊毛大衣 驼色", Bad: 6, TopAspect: storage.AspectQuality},
		{Product: "针织开衫 <米色> & 围巾", Late: 4},
		{Product: "牛仔阔腿裤", Bad: 2, Late: 1},
		{Product: "连衣裙 M 白色", Bad: 1, TopAspect: storage.AspectLogistics},
		{Product: "半身裙", Late: 1},
	}
	return r
}

// recoverTaobao is a Taobao shop whose ratings cover the window (en: a
// count, a target met, a target of 5.00) or do not (zh: no count).
func recoverTaobao(lang string) *storage.RecoveryReport {
	r := &storage.RecoveryReport{
		Shop: storage.Shop{ID: "tb-tea", Name: "茶香阁 Tea House", Platform: storage.Taobao, TZ: "Asia/Shanghai", Lang: lang,
			WeightProduct: 50, WeightLogistics: 15, WeightService: 35, WarnHours: 6, FollowUpHours: 24},
		Now: cardClock, Today: "2026-11-24",
		Latest:      dsrScore("2026-11-24", 4.78, 4.95, 4.83),
		WindowStart: "2026-05-28", TargetDay: "2026-10-25",
	}
	if lang == storage.LangEnglish {
		r.Held, r.HeldSince, r.Covered = 812, "2026-03-02", true
		r.Needs = []storage.DSRNeed{
			{Dim: storage.DimProduct, D: 4.78, T: 4.82, N: 812, K: 181, Status: storage.NeedCount},
			{Dim: storage.DimLogistics, D: 4.95, T: 5.00, N: 812, Status: storage.NeedUnreachable},
			{Dim: storage.DimService, D: 4.83, T: 4.80, N: 812, Status: storage.NeedMet},
		}
		return r
	}
	r.Held, r.HeldSince = 340, "2026-09-01"
	r.Needs = []storage.DSRNeed{
		{Dim: storage.DimProduct, D: 4.78, T: 4.82, N: 340, Status: storage.NeedShort},
		{Dim: storage.DimLogistics, D: 4.95, T: 4.90, N: 340, Status: storage.NeedMet},
		{Dim: storage.DimService, D: 4.83, N: 340, Status: storage.NeedNoTarget},
	}
	return r
}

// TestRecoverGoldenFiles renders the way back of a Douyin and a Taobao
// shop in both languages, from values built by hand, and asserts the
// sentences that carry the answer beside the golden files.
func TestRecoverGoldenFiles(t *testing.T) {
	for _, tt := range []struct {
		name    string
		r       *storage.RecoveryReport
		want    []string
		notWant []string
	}{
		{"douyin_en", recoverDouyin("en"), []string{
			"The way back · 潮衣馆 Trend Closet (dy-fashion) · 2026-11-24\n",
			"  • 商家体验分 68.9: 1.1 below the 70 line (精选联盟)\n",
			"  • By 12-01 (the next 7 days), 6 bad reviews and 2 late orders leave the 30-day window.\n",
			"  • A new bad review or late order today weighs on the score until 12-24.\n",
			"  • 4 bad reviews of 连衣裙 L 黑色 leave the window by 11-25\n",
			"  • 1 late order of 针织开衫 <米色> & 围巾 leaves the window by 11-25\n",
			"  • 1 bad review and 1 late order of 牛仔阔腿裤 leave the window by 11-27\n",
			"  • 1 bad review of (no product) leaves the window by 11-30\n",
			"  … and 4 more\n", // 14 exits, 10 listed
			"  • 连衣裙 L 黑色: 8 bad reviews (mostly size) and 2 late orders\n",
			"  • 针织开衫 <米色> & 围巾: 4 late orders\n",
			"  … and 1 more\n", // 6 products, 5 listed
		}, []string{"!", "半身裙", "12-08"}},
		{"douyin_zh", recoverDouyin("zh"), []string{
			"恢复 · 潮衣馆 Trend Closet（dy-fashion）· 2026-11-24\n",
			"  • 商家体验分 68.9：低于 70 分线（精选联盟）1.1\n",
			"  • 12-01 前（未来 7 天），6 条差评、2 单超时发货将离开30天窗口。\n",
			"  • 连衣裙 L 黑色 的 4 条差评将于 11-25 前离开窗口\n",
			"  • 连衣裙 L 黑色：8 条差评（主要是尺码）、2 单超时发货\n",
			"  … 还有 4 条\n",
		}, []string{"!", "bad review"}},
		{"taobao_en", recoverTaobao("en"), []string{
			"  • 描述相符 description: 4.78 now, target 4.82 (its value on 2026-10-25): 181 5★ ratings · (4.78 × 812 + 5k) / (812 + k) ≥ 4.82 → k = 181\n",
			"  • 服务态度 service: 4.83 now, target 4.80 (its value on 2026-10-25): already there\n",
			"  • 物流服务 logistics: 4.95 now, target 5.00: out of reach",
			"  • Ratings dsrbot holds of the 180-day window (since 2026-05-28): 812; the oldest it holds is from 2026-03-02.\n",
		}, []string{"!", "no count"}},
		{"taobao_zh", recoverTaobao("zh"), []string{
			"  • 描述相符：当前 4.78，目标 4.82（2026-10-25 的值）：无法计算；dsrbot 只有近180天中的 340 条评价（从 2026-09-01 起），而平均分覆盖整整180天\n",
			"  • 服务态度：当前 4.83；没有目标：2026-10-25 及之前没有评分。请指定：/dsr recover tb-tea --target 4.8\n",
			"  • 物流服务：当前 4.95，目标 4.90（2026-10-25 的值）：已达到\n",
		}, []string{"!", "k = "}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := recoverDoc(tt.r).message()
			for _, w := range tt.want {
				if !strings.Contains(m.Plain, w) {
					t.Errorf("lacks %q:\n%s", w, m.Plain)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(m.Plain, w) {
					t.Errorf("has %q:\n%s", w, m.Plain)
				}
			}
			goldenMessage(t, "recover_"+tt.name, m)
		})
	}
}

// TestRecoverStanding: above every gate, and a target met or not.
func TestRecoverStanding(t *testing.T) {
	r := recoverDouyin("en")
	r.Gaps, r.Shown = nil, 72.0
	if got := standing(en, r); got != "above every gate (千川投放 60, 精选联盟 70)" {
		t.Errorf("above: %q", got)
	}
	target := 72.0
	r.Target = &target
	if got := standing(en, r); got != "at or above the target 72" {
		t.Errorf("target met: %q", got)
	}
	r.Gaps = []storage.GateGap{{Gate: storage.Gate{Score: 75.5}, Gap: 3.5}}
	if got := standing(zh, r); got != "低于目标 75.5 3.5" {
		t.Errorf("under the target: %q", got)
	}
}

// TestParseRecover: the verb in English and Chinese, the target in each
// form and anywhere among the shop's words, and the targets refused.
func TestParseRecover(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tt := range []struct {
		text string
		want Command
		bad  bool
	}{
		{"recover", Command{Verb: verbRecover}, false},
		{"恢复", Command{Verb: verbRecover}, false},
		{"回升 dy-fashion", Command{Verb: verbRecover, Shop: "dy-fashion"}, false},
		{"recover 潮衣馆 Trend Closet", Command{Verb: verbRecover, Shop: "潮衣馆 Trend Closet"}, false},
		{"recover tb-tea --target 4.8", Command{Verb: verbRecover, Shop: "tb-tea", Target: f(4.8)}, false},
		{"recover --target=75 dy-fashion", Command{Verb: verbRecover, Shop: "dy-fashion", Target: f(75)}, false},
		{"恢复 tb-tea 目标 4.85", Command{Verb: verbRecover, Shop: "tb-tea", Target: f(4.85)}, false},
		{"恢复 tb-tea 目标4.85", Command{Verb: verbRecover, Shop: "tb-tea", Target: f(4.85)}, false},
		{"恢复 tb-tea 目标：４.８", Command{Verb: verbRecover, Shop: "tb-tea", Target: f(4.8)}, false},
		{"recover --target 5", Command{Verb: verbRecover, Target: f(5)}, false},
		{"recover --target", Command{}, true},
		{"recover --target abc", Command{}, true},
		{"recover --target 20", Command{}, true}, // on neither scale
		{"recover --target 0.5", Command{}, true},
		{"recover --target 101", Command{}, true},
		{"recover --target 4.8 --target 4.9", Command{}, true},
	} {
		c, err := Parse(tt.text)
		if tt.bad {
			if pe, ok := err.(*parseError); !ok || pe.key != "err.usage" || pe.verb != verbRecover {
				t.Errorf("%q: %v, want the recover usage", tt.text, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(c, tt.want) {
			t.Errorf("%q: %+v, %v; want %+v", tt.text, c, err, tt.want)
		}
	}
}

// TestRecoverHandle: through Handle on the demo, one shop of each
// platform, a target on the wrong scale for the shop, and the view across
// shops, which lists the shops under their line and names the others.
func TestRecoverHandle(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	ask := func(text string) string {
		return d.Handle(ctx, Request{Text: text, Local: true}).Plain
	}
	if got := ask("recover dy-fashion"); !strings.Contains(got, "1.1 below the 70 line (精选联盟)") || !strings.Contains(got, "Leaving the 30-day window") {
		t.Errorf("recover dy-fashion:\n%s", got)
	}
	if got := ask("recover tb-tea"); !strings.Contains(got, "5★ ratings to bring each DSR back") || !strings.Contains(got, "Ratings dsrbot holds") {
		t.Errorf("recover tb-tea:\n%s", got)
	}
	for _, text := range []string{"recover tb-tea --target 80", "recover dy-fashion --target 4.8"} {
		if got := ask(text); got != "Usage: /dsr recover [SHOP] [--target X]\n" {
			t.Errorf("%s: %q, want the usage", text, got)
		}
	}
	all := ask("recover")
	for _, w := range []string{"The way back · all shops · 2026-11-24", "below a gate or target", "dy-fashion 潮衣馆 Trend Closet · 68.9 · 1.1 below the 70 line (精选联盟) · ", "Not below a gate or target: "} {
		if !strings.Contains(all, w) {
			t.Errorf("recover across shops lacks %q:\n%s", w, all)
		}
	}
	if strings.Contains(all, "dy-beauty 美妆馆") {
		t.Errorf("dy-beauty is above its gates but has a line:\n%s", all)
	}
	// A Douyin target across shops is the Douyin shops' only.
	if got := ask("recover --target 80"); !strings.Contains(got, "dy-beauty 美妆馆 Glow Lab · 78.7 · 1.3 below the target 80") {
		t.Errorf("recover --target 80:\n%s", got)
	}
}

// TestRecoverWorstNeed: across shops a Taobao shop is named by the DSR
// needing most 5★ ratings, else by the one most under its target.
func TestRecoverWorstNeed(t *testing.T) {
	count := func(d storage.Dimension, k int) storage.DSRNeed {
		return storage.DSRNeed{Dim: d, D: 4.7, T: 4.8, K: k, Status: storage.NeedCount}
	}
	short := func(d storage.Dimension, dd, tt float64) storage.DSRNeed {
		return storage.DSRNeed{Dim: d, D: dd, T: tt, Status: storage.NeedShort}
	}
	for _, tt := range []struct {
		name  string
		needs []storage.DSRNeed
		want  storage.Dimension
		ok    bool
	}{
		{"most ratings", []storage.DSRNeed{count(storage.DimProduct, 20), count(storage.DimService, 90)}, storage.DimService, true},
		{"a count before none", []storage.DSRNeed{short(storage.DimProduct, 4.5, 4.9), count(storage.DimService, 3)}, storage.DimService, true},
		{"furthest under", []storage.DSRNeed{short(storage.DimProduct, 4.7, 4.75), short(storage.DimService, 4.6, 4.8)}, storage.DimService, true},
		{"all met", []storage.DSRNeed{{Dim: storage.DimProduct, Status: storage.NeedMet}, {Dim: storage.DimService, Status: storage.NeedNoTarget}}, "", false},
	} {
		w, ok := worstNeed(tt.needs)
		if ok != tt.ok || (ok && w.Dim != tt.want) {
			t.Errorf("%s: %s %v, want %s %v", tt.name, w.Dim, ok, tt.want, tt.ok)
		}
	}
}
