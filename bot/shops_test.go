package bot

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/storage"
)

// agencyShop is a day report for the all-shops view: a Douyin shop whose
// overall went prev → cur overnight and was week seven days before (0:
// no such day), with a backlog.
func agencyShop(id string, week, prev, cur float64, open, overdue, late int) *storage.DayReport {
	r := &storage.DayReport{
		Shop: cardShop("en"), Now: cardClock, Today: "2026-11-24",
		Latest:    &storage.Score{Date: "2026-11-24", Stage: storage.StageFormal, Overall: score(cur)},
		OpenCount: open, OverdueOpen: overdue, LateCount: late,
	}
	r.Shop.ID, r.Shop.Name = id, "店 "+id
	if prev > 0 {
		r.Prev = &storage.Score{Date: "2026-11-23", Stage: storage.StageFormal, Overall: score(prev)}
	}
	if week > 0 {
		r.WeekAgo = &storage.Score{Date: "2026-11-17", Stage: storage.StageFormal, Overall: score(week)}
	}
	return r
}

// taobaoShop is a Taobao day report whose three ratings moved by d since
// the previous day.
func taobaoShop(id string, d float64) *storage.DayReport {
	r := taobaoStale()
	r.Shop.ID = id
	r.Latest = dsrScore("2026-11-24", 4.80+d, 4.80+d, 4.80+d)
	r.Prev = dsrScore("2026-11-23", 4.80, 4.80, 4.80)
	r.WeekAgo = nil
	return r
}

// TestAgencyRiskOrder: the all-shops view puts the shops under a gate
// first (the nearest under it first), then the largest drop since the
// previous day, then since the week before (a Douyin point and a
// hundredth of Taobao's five stars weigh alike), then the largest backlog,
// then the ID.
func TestAgencyRiskOrder(t *testing.T) {
	custom := agencyShop("dy-custom", 0, 79, 78.8, 0, 0, 0) // under its own 80 line
	custom.Shop.Gates = "精选联盟=75,超级福袋=80"
	growth := growthStage() // the flat 70: on the line, not under it
	penalised := growthStage()
	penalised.Shop.ID, penalised.Latest = "dy-penalty", growthScore("2026-11-24", 60)
	none := noScore()
	none.Shop.ID, none.OpenCount = "dy-none", 3
	reports := []*storage.DayReport{
		agencyShop("dy-calm", 80, 80, 80, 0, 0, 0),
		agencyShop("dy-backlog", 80, 80, 80, 5, 2, 1), // backlog 8
		agencyShop("dy-late", 80, 80, 80, 0, 0, 7),    // backlog 7
		agencyShop("dy-weekfall", 84, 80, 80, 0, 0, 0),
		agencyShop("dy-dayfall", 80, 81, 80, 0, 0, 0),
		agencyShop("dy-bigfall", 90, 83, 80, 0, 0, 0),
		agencyShop("dy-rise", 70, 75, 80, 9, 9, 9), // a rise is no drop: sorted by its backlog
		agencyShop("dy-under", 72, 71, 69.5, 0, 0, 0),
		agencyShop("dy-deep", 60, 58, 55, 0, 0, 0),
		agencyShop("dy-under2", 69.9, 69.9, 69.5, 0, 0, 0), // as near as dy-under, no fall
		custom, growth, penalised, none,
		taobaoShop("tb-fall", -0.02), // 0.02 of 5: as much as 0.4 of 100
		taobaoShop("tb-flat", 0),
	}
	risks := make([]shopRisk, len(reports))
	for i, r := range reports {
		risks[i] = riskOf(r)
	}
	sort.SliceStable(risks, func(i, j int) bool { return riskBefore(&risks[i], &risks[j]) })
	var got []string
	for _, k := range risks {
		got = append(got, k.r.Shop.ID)
	}
	want := []string{
		"dy-under",   // 0.5 under 70, fell 1.5
		"dy-under2",  // 0.5 under 70, fell 0.4
		"dy-custom",  // 1.2 under its 80
		"dy-deep",    // 5.0 under 60
		"dy-penalty", // 10.0 under 70
		"dy-bigfall", // ▼3.0
		"dy-dayfall", // ▼1.0
		"tb-fall",    // ▼0.02 of 5
		"dy-weekfall",
		"dy-rise",    // no drop, the largest backlog: 9 open, 9 of them overdue, 9 late
		"dy-backlog", // 5 open, 2 overdue, 1 late
		"dy-late", "dy-none",
		"dy-calm", "dy-home", "tb-flat",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("order:\n got %v\nwant %v", got, want)
	}
}

// TestAgencySummary: the line above the shops names the gate most of them
// are under (or, none being under one, the gate most have, the highest of
// those) and sums the overdue follow-ups and late orders.
func TestAgencySummary(t *testing.T) {
	under := func(id string, v float64, gates string) *storage.DayReport {
		r := agencyShop(id, 0, 0, v, 4, 2, 1)
		r.Shop.Gates = gates
		return r
	}
	tests := []struct {
		name    string
		reports []*storage.DayReport
		en, zh  string
	}{
		{"defaults", []*storage.DayReport{under("a", 65, ""), under("b", 55, ""), under("c", 80, ""), taobaoShop("t", 0)},
			"2 of 4 below 精选联盟 70 · 6 overdue · 3 late", "4 家中 2 家低于 精选联盟 70 · 逾期 6 条 · 超时 3 单"},
		{"none under", []*storage.DayReport{under("a", 85, ""), under("b", 90, "")},
			"0 of 2 below 精选联盟 70 · 4 overdue · 2 late", "2 家中 0 家低于 精选联盟 70 · 逾期 4 条 · 超时 2 单"},
		{"a gate of their own", []*storage.DayReport{under("a", 78, "精选联盟=75,超级福袋=80"), under("b", 79, "精选联盟=75,超级福袋=80"), under("c", 72, "")},
			"2 of 3 below 超级福袋 80 · 6 overdue · 3 late", "3 家中 2 家低于 超级福袋 80 · 逾期 6 条 · 超时 3 单"},
		{"taobao only", []*storage.DayReport{taobaoShop("t1", 0), taobaoShop("t2", 0)},
			"2 shops · 0 overdue · 0 late", "共 2 家 · 逾期 0 条 · 超时 0 单"},
	}
	for _, tt := range tests {
		risks := make([]shopRisk, len(tt.reports))
		for i, r := range tt.reports {
			risks[i] = riskOf(r)
		}
		if got := agencySummary(en, risks).render(forPerson); got != tt.en {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.en)
		}
		if got := agencySummary(zh, risks).render(forPerson); got != tt.zh {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.zh)
		}
	}
}

// TestSummaryLineTaobaoTrend: a Taobao line carries each rating's change
// since the previous day, as the card does; with nothing comparable, the
// ratings alone.
func TestSummaryLineTaobaoTrend(t *testing.T) {
	r := taobaoStale()
	want := "tb-tea 茶香阁 Tea House · DSR 4.83 ▲0.02 / 4.75 ▼0.05 / 4.78 ▼0.01 (2026-11-22) · 1 new bad · 0 open (0 overdue) · 0 late · 0 at risk"
	if got := summaryLine(en, r).render(forPerson); got != want {
		t.Errorf("line:\n%s\nwant\n%s", got, want)
	}
	r.Prev = nil
	if got := summaryLine(en, r).render(forPerson); !strings.Contains(got, "DSR 4.83 / 4.75 / 4.78 (2026-11-22)") {
		t.Errorf("line without a previous day: %s", got)
	}
}

// TestAllShopsIsOneList: thirty shops and more read as one list: one
// paragraph in text, and in Block Kit section blocks each filled up to
// Slack's limit, every shop in them, no "and N more"; only a list past
// the message's 50 blocks is cut, and says by how many shops.
func TestAllShopsIsOneList(t *testing.T) {
	for _, n := range []int{30, 120, 2000} {
		list := section{flow: true}
		for i := 0; i < n; i++ {
			r := agencyShop(fmt.Sprintf("dy-shop-%04d", i), 80, 80, 80-float64(i%20)/10, i%7, i%3, i%5)
			r.Shop.Name = "潮衣馆 Trend Closet 旗舰店 第" + fmt.Sprint(i) + "号"
			list.lines = append(list.lines, summaryLine(en, r))
		}
		d := &doc{lang: en, title: "All shops · 2026-11-24", footer: "Details: /dsr today SHOP",
			sections: []section{{lines: []line{{bold("summary")}}}, list}}
		m := d.message()
		if strings.Count(strings.TrimSpace(m.Plain), "\n\n") != 3 {
			t.Errorf("%d shops: blank lines inside the list:\n%s", n, m.Plain)
		}
		if len(m.Blocks) > maxBlocks {
			t.Fatalf("%d shops: %d blocks", n, len(m.Blocks))
		}
		listed, more := 0, 0
		for _, b := range m.Blocks[2:] {
			text := blockText(t, b)
			if utf8.RuneCountInString(text) > maxSectionText {
				t.Errorf("%d shops: a block of %d characters", n, utf8.RuneCountInString(text))
			}
			listed += strings.Count(text, "dy-shop-")
			more += max(0, moreCount(text))
		}
		if listed+more != n {
			t.Errorf("%d shops: %d listed and %d more", n, listed, more)
		}
		if n <= 120 && more > 0 {
			t.Errorf("%d shops: %d left out, with room for all", n, more)
		}
		if n == 2000 && (more == 0 || len(m.Blocks) != maxBlocks) {
			t.Errorf("2000 shops: %d blocks, %d more", len(m.Blocks), more)
		}
		// Blocks are full: no list block could have taken the first line
		// of the next one.
		var texts []string
		for _, b := range m.Blocks[2:] {
			if _, ok := b.(*slack.SectionBlock); ok {
				texts = append(texts, blockText(t, b))
			}
		}
		for i := 0; i+1 < len(texts); i++ {
			first, _, _ := strings.Cut(texts[i+1], "\n")
			if size := utf8.RuneCountInString(texts[i]) + 1 + utf8.RuneCountInString(first); size <= maxSectionText {
				t.Errorf("%d shops: block %d would take the next line (%d characters)", n, i, size)
			}
		}
	}
}
