package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/dsrbot/dsrbot/bot/chart"
	"github.com/dsrbot/dsrbot/storage"
)

// chartDays are the periods /dsr chart draws; the first is the default.
var chartDays = []int{30, 90}

// chartUnit are the words of a period's unit typed apart from its number.
var chartUnit = map[string]bool{"d": true, "天": true, "days": true}

// parseChart reads `chart [SHOP] [30d|90d]`, the period anywhere among
// the shop's words: 30d, 90d, 30, 90, 30天, 90天, "90 天". A number with
// a unit is a period, and one other than 30 or 90 gets the usage hint; a
// bare number is the period only when it is 30 or 90, so a shop named by
// a numeric ID (抖店's are) stays a shop.
func parseChart(c *Command, args []cmdWord, _ string) error {
	c.Days = chartDays[0]
	var shop []cmdWord
	for i := 0; i < len(args); i++ {
		w := strings.ToLower(args[i].text)
		n, unit := periodWord(w)
		if n != 0 && !unit && i+1 < len(args) && chartUnit[strings.ToLower(args[i+1].text)] {
			unit = true // "90 天", as the grammar splits 90天
			i++
		}
		switch {
		case n != 0 && isChartDays(n):
			c.Days = n
		case n != 0 && unit:
			return errUsage
		default:
			shop = append(shop, args[i])
		}
	}
	c.Shop = joinWords(shop)
	return nil
}

// periodWord reads a word as a period: its number, and whether it carried
// its unit ("90d", "90天"); 0 when the word is no number.
func periodWord(w string) (n int, unit bool) {
	for _, u := range []string{"days", "d", "天"} {
		if num, ok := strings.CutSuffix(w, u); ok && num != "" {
			if v, err := strconv.Atoi(num); err == nil && v > 0 {
				return v, true
			}
		}
	}
	if v, err := strconv.Atoi(w); err == nil && v > 0 {
		return v, false
	}
	return 0, false
}

// isChartDays reports whether n is a period /dsr chart draws.
func isChartDays(n int) bool {
	for _, d := range chartDays {
		if n == d {
			return true
		}
	}
	return false
}

// chart is a shop's trend chart, or every shop's heat map outside a
// shop's channel. The image carries numbers only; the text names what
// each colour is, in the reader's language.
func (b *Bot) chart(ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	days := c.Days
	if days == 0 {
		days = chartDays[0]
	}
	if shop == nil {
		return b.heatChart(ctx, days, req)
	}
	h, err := b.Store.ChartHistory(ctx, shop, b.now(), days)
	if err != nil {
		return nil, err
	}
	return ShopChart(h, days)
}

// ShopChart renders a shop's history as the chart's message with its
// image; the digest's chart is drawn by it too.
func ShopChart(h *storage.ChartHistory, days int) (*doc, error) {
	l := langOf(&h.Shop)
	d := &doc{lang: l, title: l.t("chart.title", h.Shop.Name, h.Shop.ID, days)}
	data := chart.ForShop(h)
	if len(data.Series) == 0 {
		d.sections = []section{{lines: []line{{txt(l.t("chart.none", days))}}}}
		return d, nil
	}
	png, err := data.PNG()
	if err != nil {
		return nil, fmt.Errorf("draw chart: %w", err)
	}
	alt := l.t("chart.alt", h.Shop.ID, days)
	d.image = &Image{Name: fmt.Sprintf("%s-%dd-%s.png", h.Shop.ID, days, h.Last), PNG: png, Alt: alt}
	d.sections = []section{{lines: chartLegend(l, &h.Shop, data)}}
	d.footer = l.t("card.footer", h.Shop.ID)
	return d, nil
}

// chartLegend says what each line and mark of a shop's chart is.
func chartLegend(l lang, shop *storage.Shop, data chart.Data) []line {
	p := shop.Platform
	var out []line
	for _, s := range data.Series {
		name := l.t("chart.overall")
		if s.Key != chart.Overall {
			name = dimName(l, p, storage.Dimension(s.Key))
		}
		out = append(out, line{txt(l.t("chart.line", l.t("chart.color."+chart.SeriesColor(s.Key)), name, num(p, s.Last.Value)))})
	}
	if len(data.Gates) > 0 {
		var gates []string
		for _, g := range data.Gates {
			gates = append(gates, l.t("chart.gate", strconv.FormatFloat(g.Value, 'f', -1, 64), g.Name))
		}
		out = append(out, line{txt(l.t("chart.gates", strings.Join(gates, l.t("list.sep"))))})
	}
	total := 0
	for _, m := range data.Bad {
		total += m.Count
	}
	if total > 0 {
		out = append(out, line{txt(l.t("chart.bad", total))})
	} else {
		out = append(out, line{txt(l.t("chart.nobad"))})
	}
	return out
}

// heatChart is every shop the request may see as one heat map, in the
// workspace's language: which shops slipped this month, at a glance.
func (b *Bot) heatChart(ctx context.Context, days int, req Request) (*doc, error) {
	l := b.replyLang(req)
	shops, err := b.Store.ListShopsIn(ctx, req.scope())
	if err != nil {
		return nil, err
	}
	d := &doc{lang: l, title: l.t("chart.heat.title", days)}
	if len(shops) == 0 {
		d.sections = []section{{lines: []line{{txt(l.t("all.noshops"))}}}}
		return d, nil
	}
	last := b.now().In(b.location()).Format(storage.DateLayout)
	first := addDays(last, 1-days)
	ids := shopIDs(shops)
	scores, err := b.Store.ScoreHistories(ctx, ids, first, last)
	if err != nil {
		return nil, err
	}
	heat := chart.ForShops(shops, scores, first, last)
	png, err := heat.PNG()
	if err != nil {
		return nil, fmt.Errorf("draw chart: %w", err)
	}
	d.image = &Image{Name: fmt.Sprintf("all-shops-%dd-%s.png", days, last), PNG: png, Alt: l.t("chart.heat.alt", days)}
	var under []string
	for i, r := range heat.Rows {
		// The newest cell with a score says where the shop stands.
		for j := len(r.Cells) - 1; j >= 0; j-- {
			if v := r.Cells[j]; v != nil {
				if *v < 0 {
					under = append(under, l.t("shop.named", shops[i].ID, shops[i].Name))
				}
				break
			}
		}
	}
	lines := []line{{txt(l.t("chart.heat.how"))}}
	if len(under) == 0 {
		lines = append(lines, line{txt(l.t("chart.heat.allover"))})
	} else {
		if len(under) > listLimit {
			under = append(under[:listLimit], l.t("more", len(under)-listLimit))
		}
		lines = append(lines, line{txt(l.t("chart.heat.under", strings.Join(under, l.t("list.sep"))))})
	}
	d.sections = []section{{lines: lines}}
	return d, nil
}
