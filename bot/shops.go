package bot

import (
	"context"
	"fmt"

	"github.com/dsrbot/dsrbot/storage"
)

// shopsPerSection keeps each section of the all-shops answer well inside
// Slack's 3000-character limit: agencies run 30 shops and more.
const shopsPerSection = 10

// allShops is `/dsr today` outside a shop's channel: one line per shop.
func (b *Bot) allShops(ctx context.Context) (*doc, error) {
	shops, err := b.Store.ListShops(ctx)
	if err != nil {
		return nil, err
	}
	now := b.now()
	d := &doc{lang: en, title: en.t("all.title", now.In(b.location()).Format(storage.DateLayout)), footer: en.t("all.footer")}
	if len(shops) == 0 {
		d.sections = []section{{lines: []line{{txt(en.t("all.noshops"))}}}}
		return d, nil
	}
	var cur *section
	for i := range shops {
		r, err := b.Store.DayReport(ctx, shops[i].ID, now)
		if err != nil {
			return nil, err
		}
		if i%shopsPerSection == 0 {
			d.sections = append(d.sections, section{})
			cur = &d.sections[len(d.sections)-1]
		}
		cur.lines = append(cur.lines, summaryLine(en, r))
	}
	return d, nil
}

// summaryLine is one shop in a line: its score and change, the gate it is
// under if any, and its counts of new bad reviews and late orders.
func summaryLine(l lang, r *storage.DayReport) line {
	p := r.Shop.Platform
	ln := line{bold(r.Shop.ID), txt(" " + r.Shop.Name + " · ")}
	switch {
	case r.Latest == nil:
		ln = append(ln, txt(l.t("all.noscore")))
	case r.GrowthStage():
		ln = append(ln, txt(l.t("all.growth")+" "+num(p, storage.GrowthStageScore)))
	case p == storage.Taobao:
		ln = append(ln, txt(fmt.Sprintf("DSR %s / %s / %s", num(p, r.Latest.Product), num(p, r.Latest.Service), num(p, r.Latest.Logistics))))
	default:
		overall := overallOf(&r.Shop, r.Latest)
		ln = append(ln, bold(num(p, overall)))
		if r.Prev != nil {
			ln = append(ln, txt(" "+delta(p, overall-overallOf(&r.Shop, r.Prev))))
		}
		// Under the affiliate line a shop is losing traffic now: say so.
		if _, above := storage.NearestGates(overall); above != nil && overall < storage.AffiliateGate {
			ln = append(ln, txt(" · "+l.t("card.gate.below", gapBelow(above.Score, overall), fmt.Sprint(above.Score), above.Name)))
		}
	}
	if r.Stale() {
		ln = append(ln, txt(" ("+r.Latest.Date+")"))
	}
	ln = append(ln, txt(" · "+l.t("all.line", r.NewBadCount, r.LateCount, r.AtRiskCount)))
	return ln
}
