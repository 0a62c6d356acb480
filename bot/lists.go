package bot

import (
	"context"
	"sort"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// reviews is `/dsr reviews [open|mine|all] [SHOP]`: bad reviews, newest
// first, for one shop or across all of them.
func (b *Bot) reviews(ctx context.Context, shop *storage.Shop, filter string, req Request) (*doc, error) {
	user := req.User
	l := b.langFor(shop, req)
	var all []storage.Review
	total := 0
	if filter == "mine" && shop == nil {
		// One indexed query across every shop, oldest first (the most
		// overdue on top): an agency's people work across shops.
		var err error
		if all, total, err = b.Store.MineIn(ctx, req.scope(), user, listLimit); err != nil {
			return nil, err
		}
	} else {
		shops, err := b.shopsFor(ctx, shop, req)
		if err != nil {
			return nil, err
		}
		f := storage.ReviewFilter{OpenOnly: filter != "all", Limit: listLimit}
		if filter == "mine" {
			f.Owner = user
		}
		for _, s := range shops {
			f.ShopID = s.ID
			rows, n, err := b.Store.BadReviews(ctx, f)
			if err != nil {
				return nil, err
			}
			all = append(all, rows...)
			total += n
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].CreatedAt.After(all[j].CreatedAt) })
		if len(all) > listLimit {
			all = all[:listLimit]
		}
	}
	d := &doc{lang: l, title: l.t("reviews.title."+filter, scope(l, shop))}
	countKey := "reviews.count"
	if filter == "mine" && shop == nil {
		countKey = "reviews.count.mine"
	}
	s := section{heading: l.t(countKey, total)}
	if total == 0 {
		s.heading = ""
		s.lines = []line{{txt(l.t("reviews.none"))}}
	}
	now := b.now()
	for i := range all {
		ln := reviewLine(l, &all[i], now, true)
		if shop == nil {
			ln = append(line{txt(all[i].ShopID + " · ")}, ln...)
		}
		s.lines = append(s.lines, ln)
		var a *actions
		if all[i].Status == storage.StatusOpen {
			scope := "all"
			if shop != nil {
				scope = "shop"
			}
			a = reviewActions(l, &all[i], filter, scope)
		}
		s.actions = append(s.actions, a)
	}
	if n := total - len(all); n > 0 {
		s.more, s.hidden = l.t("more", n), n
	}
	d.sections = []section{s}
	return d, nil
}

// late is `/dsr late [SHOP]`: late orders, then those at risk, oldest
// deadline first, with due times in the shop's zone.
func (b *Bot) late(ctx context.Context, shop *storage.Shop, req Request) (*doc, error) {
	shops, err := b.shopsFor(ctx, shop, req)
	if err != nil {
		return nil, err
	}
	l := b.langFor(shop, req)
	now := b.now()
	type row struct {
		o    storage.Order
		shop *storage.Shop
	}
	var late, risk []row
	lateN, riskN := 0, 0
	for i := range shops {
		s := &shops[i]
		rows, n, err := b.Store.OpenOrders(ctx, s.ID, time.Time{}, now, listLimit)
		if err != nil {
			return nil, err
		}
		for _, o := range rows {
			late = append(late, row{o, s})
		}
		lateN += n
		if rows, n, err = b.Store.OpenOrders(ctx, s.ID, now, now.Add(s.WarnWindow()), listLimit); err != nil {
			return nil, err
		}
		for _, o := range rows {
			risk = append(risk, row{o, s})
		}
		riskN += n
	}
	d := &doc{lang: l, title: l.t("late.title", scope(l, shop))}
	if lateN+riskN == 0 {
		d.sections = []section{{lines: []line{{txt(l.t("late.none"))}}}}
		return d, nil
	}
	build := func(heading string, rows []row, total int) section {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].o.ShipBy.Before(rows[j].o.ShipBy) })
		if len(rows) > listLimit {
			rows = rows[:listLimit]
		}
		s := section{heading: heading}
		for _, r := range rows {
			o := r.o
			ln := line{bold(o.OrderID), txt(" · " + l.t("late.line", o.Product, l.t("promise."+string(o.Promise)), yuan(o.AmountFen), o.ShipBy.In(r.shop.Location()).Format("01-02 15:04"), due(l, now, o.ShipBy), stakeText(l, storage.StakeOf(&o, now), false, r.shop.Location()), r.shop.ID))}
			s.lines = append(s.lines, ln)
		}
		if n := total - len(rows); n > 0 {
			s.more, s.hidden = l.t("more", n), n
		}
		return s
	}
	if lateN > 0 {
		d.sections = append(d.sections, build(l.t("late.late", lateN), late, lateN))
	}
	if riskN > 0 {
		d.sections = append(d.sections, build(l.t("late.atrisk", warnHours(shops), riskN), risk, riskN))
	}
	return d, nil
}

// scope names what a list covers: a shop, or all shops.
func scope(l lang, shop *storage.Shop) string {
	if shop == nil {
		return l.t("scope.all")
	}
	return shop.Name + l.t("paren", shop.ID)
}

// warnHours is the at-risk window a list states: the shop's, or for a list
// across shops the widest of theirs.
func warnHours(shops []storage.Shop) int {
	h := 0
	for i := range shops {
		h = max(h, int(shops[i].WarnWindow().Hours()))
	}
	return h
}
