package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// products is `/dsr products [SHOP]` (商品): the products that drag a
// shop's score, the worst first, each with the one step that fixes its
// main problem; outside a shop's channel, the worst products of every shop
// the request may see. Merchants' first advice to each other when a score
// falls is "find the product that drags it": this is that list, from the
// reviews and orders the bot holds.
func (b *Bot) products(ctx context.Context, shop *storage.Shop, req Request) (*doc, error) {
	if shop != nil {
		r, err := b.Store.Products(ctx, shop, b.now())
		if err != nil {
			return nil, err
		}
		return productsDoc(r), nil
	}
	shops, err := b.shopsFor(ctx, nil, req)
	if err != nil {
		return nil, err
	}
	if len(shops) == 0 {
		return nil, b.whichShop(ctx, "/dsr products", req)
	}
	all, err := b.Store.ProductsAcross(ctx, shops, b.now())
	if err != nil {
		return nil, err
	}
	now := b.now()
	return productsAllDoc(b.replyLang(req), all, len(shops), now.In(b.location())), nil
}

// productsDoc renders one shop's product report in the shop's language:
// the shop's own rates over the window, then the products that drag it,
// cut at listLimit with "and N more", and how many others do not.
func productsDoc(r *storage.ProductReport) *doc {
	l := langOf(&r.Shop)
	days := r.Shop.Platform.WindowDays()
	d := &doc{lang: l, title: l.t("products.title", r.Shop.Name, r.Shop.ID), footer: l.t("products.footer")}
	if len(r.Products) == 0 {
		d.sections = []section{{lines: []line{{txt(l.t("products.empty", days))}}}}
		return d
	}
	d.sections = append(d.sections, section{lines: []line{{txt(l.t("products.shop", days, r.Now.Format(storage.DateLayout),
		pct(r.BadRate), r.Bad, r.Reviews, pct(r.LateRate), r.Late, r.Orders))}}})
	dragging := r.Dragging()
	if dragging == 0 {
		d.sections = append(d.sections, section{lines: []line{{txt(l.t("products.none", len(r.Products)))}}})
		return d
	}
	heading := l.t("products.dragging", dragging)
	if dragging == 1 {
		heading = l.t("products.dragging.one")
	}
	list := section{heading: heading, flow: true}
	for i := 0; i < dragging && i < listLimit; i++ {
		list.lines = append(list.lines, productLine(l, &r.Products[i], r.BadRate))
	}
	if n := dragging - len(list.lines); n > 0 {
		list.more, list.hidden = l.t("more", n), n
	}
	d.sections = append(d.sections, list)
	if rest := len(r.Products) - dragging; rest > 0 {
		d.sections = append(d.sections, section{lines: []line{{txt(l.t("products.rest", rest))}}})
	}
	return d
}

// productLine is one product of a shop: its name and drag, orders, bad
// reviews and bad rate against the shop's, late and at-risk orders and
// presale delays where it has them, the aspects its bad reviews name
// most, and the suggested step.
func productLine(l lang, p *storage.ProductStats, shopBadRate float64) line {
	parts := []string{
		l.t("products.drag", p.Drag),
		l.t("products.orders", p.Orders),
		l.t("products.bad", p.Bad, p.Reviews, pct(p.BadRate()), pct(shopBadRate)),
	}
	if p.Late > 0 || p.AtRisk > 0 {
		parts = append(parts, l.t("products.late", p.Late, p.AtRisk))
	}
	if p.PresaleLate > 0 {
		parts = append(parts, l.t("products.presale", p.PresaleLate))
	}
	if a := topAspects(l, p.Aspects); a != "" {
		parts = append(parts, a)
	}
	if p.Problem != storage.ProblemNone {
		parts = append(parts, l.t("products.step", l.t("products.step."+string(p.Problem))))
	}
	return line{bold(p.Name), txt(" · " + strings.Join(parts, " · "))}
}

// topAspects names at most three aspects of a product's bad reviews with
// their counts: "size 18, quality 3".
func topAspects(l lang, as []storage.AspectCount) string {
	var names []string
	for i, a := range as {
		if i == 3 {
			break
		}
		names = append(names, l.t("products.aspect", productAspect(l, a.Aspect), a.Count))
	}
	return strings.Join(names, l.t("list.sep"))
}

// productAspect is an aspect as the catalogue names it; an aspect a shop
// added with its own keywords is shown as it was named.
func productAspect(l lang, a storage.Aspect) string {
	if _, ok := catalog["aspect."+string(a)]; ok {
		return l.t("aspect." + string(a))
	}
	return string(a)
}

// pct is a rate as a percentage with one decimal: 4.1%.
func pct(r float64) string { return fmt.Sprintf("%.1f%%", r*100) }

// productsAllDoc renders the worst products across shops in the request's
// language: one line each with its shop's ID, the dragging ones only, the
// most first, cut at listLimit.
func productsAllDoc(l lang, all []storage.ShopProduct, shops int, now time.Time) *doc {
	d := &doc{lang: l, title: l.t("products.all.title", now.Format(storage.DateLayout)), footer: l.t("products.all.footer")}
	dragging := 0
	for i := range all {
		if all[i].Dragging() {
			dragging++
		}
	}
	if dragging == 0 {
		d.sections = []section{{lines: []line{{txt(l.t("products.all.none", shops))}}}}
		return d
	}
	list := section{heading: l.t("products.all.sum", dragging, shops), flow: true}
	for i := 0; i < dragging && i < listLimit; i++ {
		p := &all[i]
		parts := []string{
			l.t("products.drag", p.Drag),
			l.t("products.bad.short", p.Bad, pct(p.BadRate())),
		}
		if p.Late > 0 {
			parts = append(parts, l.t("products.late.short", p.Late))
		}
		if p.PresaleLate > 0 {
			parts = append(parts, l.t("products.presale", p.PresaleLate))
		}
		if p.Problem != storage.ProblemNone {
			parts = append(parts, l.t("products.step", l.t("products.step."+string(p.Problem))))
		}
		list.lines = append(list.lines, line{bold(p.Shop.ID), txt(" · "), bold(p.Name), txt(" · " + strings.Join(parts, " · "))})
	}
	if n := dragging - len(list.lines); n > 0 {
		list.more, list.hidden = l.t("more", n), n
	}
	d.sections = []section{list}
	return d
}
