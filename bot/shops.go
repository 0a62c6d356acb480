package bot

import (
	"context"
	"fmt"

	"github.com/dsrbot/dsrbot/storage"
)

// shopsPerSection keeps each section of the all-shops answer well inside
// Slack's 3000-character limit: agencies run 30 shops and more.
const shopsPerSection = 10

// allShops is `/dsr today` outside a shop's channel: one line per shop the
// request may see (its workspace's; in the local shell, every shop). It
// spans shops, so it is in the request's language (replyLang).
func (b *Bot) allShops(ctx context.Context, req Request) (*doc, error) {
	shops, err := b.Store.ListShopsIn(ctx, req.scope())
	if err != nil {
		return nil, err
	}
	l := b.replyLang(req)
	now := b.now()
	d := &doc{lang: l, title: l.t("all.title", now.In(b.location()).Format(storage.DateLayout)), footer: l.t("all.footer")}
	if len(shops) == 0 {
		// A workspace with no shop yet is told how an admin gives it one,
		// with its own ID to copy.
		none := l.t("all.noshops")
		if !req.Local {
			none = l.t("all.noshops.team", req.Team)
		}
		d.sections = []section{{lines: []line{{txt(none)}}}}
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
		cur.lines = append(cur.lines, summaryLine(l, r))
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
		growth := l.t("all.growth")
		v, ok := overallOf(r.Latest)
		if ok {
			growth += " " + num(p, v)
		}
		ln = append(ln, txt(growth))
		if ok {
			ln = append(ln, gateBelow(l, &r.Shop, v)...)
		}
	case p == storage.Taobao:
		ln = append(ln, txt(fmt.Sprintf("DSR %s / %s / %s", num(p, r.Latest.Value(storage.DimProduct)), num(p, r.Latest.Value(storage.DimService)), num(p, r.Latest.Value(storage.DimLogistics)))))
	default:
		overall, _ := overallOf(r.Latest)
		ln = append(ln, bold(num(p, overall)))
		if comparable(r.Prev, r.Latest) {
			if prev, ok := overallOf(r.Prev); ok {
				ln = append(ln, txt(" "+delta(p, overall-prev)))
			}
		}
		ln = append(ln, gateBelow(l, &r.Shop, overall)...)
	}
	if r.Stale() {
		ln = append(ln, txt(l.t("paren", r.Latest.Date)))
	}
	ln = append(ln, txt(" · "+l.t("all.line", r.NewBadCount, r.LateCount, r.AtRiskCount)))
	return ln
}

// gateBelow names the gate a shop's shown score is under, if any: under one
// of its gates a shop is losing traffic now, growth stage (60 after a
// penalty) or formal.
func gateBelow(l lang, shop *storage.Shop, score float64) []span {
	if _, above := shop.NearestGates(score); above != nil {
		return []span{txt(" · " + l.t("card.gate.below", num(storage.Douyin, above.Score-score), gateScore(above), above.Name))}
	}
	return nil
}
