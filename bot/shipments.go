package bot

import (
	"sort"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// RenderShipments renders a shop's shipment warnings: orders late and at
// risk, grouped by product because stock-outs come in clusters ("8 orders
// of 连衣裙 L 黑色 are at risk"), each group with the money at stake, and
// the warned orders that have shipped since.
func RenderShipments(r *storage.ShipmentReport) Message {
	l := langOf(&r.Shop)
	d := &doc{lang: l, title: l.t("ship.title", r.Shop.Name, r.Shop.ID)}
	now := r.Now
	if len(r.Late) > 0 {
		d.sections = append(d.sections, section{heading: l.t("ship.late.heading"), lines: groupLines(l, r.Late, now, r.Shop.Location(), "ship.late")})
	}
	if len(r.AtRisk) > 0 {
		d.sections = append(d.sections, section{heading: l.t("ship.atrisk.heading", r.Shop.WarnHours), lines: groupLines(l, r.AtRisk, now, r.Shop.Location(), "ship.atrisk")})
	}
	if len(r.Resolved) > 0 {
		ids := make([]string, len(r.Resolved))
		for i, o := range r.Resolved {
			ids[i] = o.OrderID
		}
		d.sections = append(d.sections, section{heading: l.t("ship.resolved.heading"), lines: []line{{txt(idList(l, ids))}}})
	}
	if r.Owner != "" {
		d.sections = append(d.sections, section{lines: []line{{txt(l.t("ship.owner")), mentionOf(r.Owner)}}})
	}
	d.footer = l.t("ship.footer", r.Shop.ID)
	return d.message()
}

// groupLines is one line per product: how many orders, when the first is
// due (or how late the oldest is), the money at stake, and the order IDs.
func groupLines(l lang, orders []storage.Order, now time.Time, loc *time.Location, key string) []line {
	groups := map[string][]storage.Order{}
	var products []string
	for _, o := range orders {
		if _, ok := groups[o.Product]; !ok {
			products = append(products, o.Product)
		}
		groups[o.Product] = append(groups[o.Product], o)
	}
	// Orders arrive oldest deadline first, so each group's first order is
	// its most urgent; the most urgent group leads.
	sort.SliceStable(products, func(i, j int) bool {
		return groups[products[i]][0].ShipBy.Before(groups[products[j]][0].ShipBy)
	})
	var out []line
	for _, p := range products {
		g := groups[p]
		var stake storage.Stake
		ids := make([]string, len(g))
		for i := range g {
			st := storage.StakeOf(&g[i], now)
			stake.Owed += st.Owed
			if st.Next > 0 {
				stake.Next += st.Next
				if stake.From.IsZero() || st.From.Before(stake.From) {
					stake.From = st.From
				}
			}
			ids[i] = g[i].OrderID
		}
		name := p
		if name == "" {
			name = l.t("ship.noproduct")
		}
		out = append(out, line{
			bold(l.t(key, len(g), name)),
			txt(" " + l.t("ship.group", due(l, now, g[0].ShipBy)+stakeText(l, stake, len(g) > 1, loc), idList(l, ids))),
		})
	}
	return out
}

// idList names up to ten order IDs and counts the rest.
func idList(l lang, ids []string) string {
	const show = 10
	out := ""
	for i, id := range ids {
		if i == show {
			return out + l.t("list.sep") + l.t("more", len(ids)-show)
		}
		if i > 0 {
			out += l.t("list.sep")
		}
		out += id
	}
	return out
}

// stakeText says what late shipping costs, so that money is never read as
// owed before it is: "; ¥2.99 owed", "; ¥2.99 if still unshipped at 11-26
// 14:00", or both. For a group, the next step is the sum of each order's
// and starts with the first of them ("up to …, from …"). Empty when the
// table has nothing to say.
func stakeText(l lang, s storage.Stake, group bool, loc *time.Location) string {
	var parts []string
	if s.Owed > 0 {
		parts = append(parts, l.t("stake.owed", yuan(s.Owed)))
	}
	if s.Next > 0 {
		key := "stake.next"
		if group {
			key = "stake.next.group"
		}
		parts = append(parts, l.t(key, yuan(s.Next), s.From.In(loc).Format("01-02 15:04")))
	}
	if len(parts) == 0 {
		return ""
	}
	return l.t("list.semi") + strings.Join(parts, l.t("list.semi"))
}
