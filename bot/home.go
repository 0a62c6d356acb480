package bot

import (
	"context"
	"sort"
	"strings"

	"github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/storage"
)

// homeLimit is how many of a person's follow-ups the App Home lists, each
// with its actions (two blocks a review), leaving room for the shops.
const homeLimit = 10

// Home is a person's App Home tab: their open follow-ups across the shops
// of their workspace, oldest first, with when each is due and its Claim and
// Resolve; every shop's one line with how far its score is from its nearest
// gate; and the shops where they own an aspect. It spans shops, so it is in
// the workspace's language (replyLang). The transport publishes it with
// views.publish when the tab is opened and after every action from it.
func (b *Bot) Home(ctx context.Context, user, team string) (*slack.HomeTabViewRequest, error) {
	return b.HomeWithNotice(ctx, user, team, "")
}

// HomeWithNotice is the App Home with a notice at its top: the sentence
// (Result.Notice) saying why an action from the Home was refused or failed,
// which the person would otherwise not see, since a Home action has no
// message to answer beside. The notice lives in the published view only:
// the next opening of the tab publishes the Home without it.
func (b *Bot) HomeWithNotice(ctx context.Context, user, team, notice string) (*slack.HomeTabViewRequest, error) {
	req := Request{User: user, Team: team}
	d, err := b.home(ctx, req)
	if err != nil {
		return nil, err
	}
	if notice != "" {
		// First, so that no cut of the lists below can take it.
		d.sections = append([]section{{lines: []line{{txt(notice)}}}}, d.sections...)
	}
	return &slack.HomeTabViewRequest{Type: slack.VTHomeTab, CallbackID: "dsr_home", Blocks: slack.Blocks{BlockSet: d.blocks()}}, nil
}

func (b *Bot) home(ctx context.Context, req Request) (*doc, error) {
	l := b.replyLang(req)
	now := b.now()
	d := &doc{lang: l, title: l.t("home.title"), footer: l.t("home.footer", now.In(b.location()).Format("2006-01-02 15:04"))}
	if req.Team == "" {
		d.sections = []section{{lines: []line{{txt(l.t("err.noteam"))}}}}
		return d, nil
	}
	mine, total, err := b.Store.MineIn(ctx, req.scope(), req.User, homeLimit)
	if err != nil {
		return nil, err
	}
	shops, err := b.Store.ListShopsIn(ctx, req.scope())
	if err != nil {
		return nil, err
	}
	byID := map[string]*storage.Shop{}
	for i := range shops {
		byID[shops[i].ID] = &shops[i]
	}
	my := section{heading: l.t("home.mine", total)}
	if total == 0 {
		my.lines = []line{{txt(l.t("home.mine.none"))}}
	}
	for i := range mine {
		rv := &mine[i]
		ln := append(line{txt(rv.ShopID + " · ")}, reviewLine(l, rv, now, true)...)
		if s := byID[rv.ShopID]; s != nil {
			ln = append(ln, txt(" · "+dueLine(l, now, rv.Due(s))))
		}
		my.lines = append(my.lines, ln)
		my.actions = append(my.actions, reviewActions(l, rv, "mine", "home"))
	}
	if n := total - len(mine); n > 0 {
		my.more, my.hidden = l.t("more", n), n
	}
	d.sections = append(d.sections, my)

	list := section{heading: l.t("home.shops"), flow: true}
	var owned []line
	risks := make([]shopRisk, 0, len(shops))
	for i := range shops {
		r, err := b.Store.DayReport(ctx, &shops[i], now)
		if err != nil {
			return nil, err
		}
		risks = append(risks, riskOf(r))
		rules, err := b.Store.Owners(ctx, shops[i].ID)
		if err != nil {
			return nil, err
		}
		var aspects []string
		for _, rule := range rules {
			for _, u := range strings.Split(rule.Users, ",") {
				if u == req.User {
					aspects = append(aspects, aspectName(l, rule.Aspect))
					break
				}
			}
		}
		if len(aspects) > 0 {
			owned = append(owned, line{bold(shops[i].ID), txt(" " + shops[i].Name + " · " + strings.Join(aspects, l.t("list.sep")))})
		}
	}
	sort.SliceStable(risks, func(i, j int) bool { return riskBefore(&risks[i], &risks[j]) })
	for i := range risks {
		list.lines = append(list.lines, homeShopLine(l, &risks[i]))
	}
	if len(shops) == 0 {
		list.lines = []line{{txt(l.t("all.noshops.team", req.Team))}}
	}
	own := section{heading: l.t("home.owned"), lines: owned}
	if len(owned) == 0 {
		own.lines = []line{{txt(l.t("home.owned.none"))}}
	}
	// The shops' list flows, so it is last: cut to fit, it cuts nothing
	// else.
	d.sections = append(d.sections, own, list)
	return d, nil
}

// homeShopLine is the all-shops line of a shop, with how far it is above
// the gate it could lose when it is under none (the all-shops line says
// how far under one it is).
func homeShopLine(l lang, k *shopRisk) line {
	ln := summaryLine(l, k.r)
	if k.scored && !k.below {
		if below, _ := k.r.Shop.NearestGates(k.score); below != nil {
			ln = append(ln, txt(" · "+l.t("card.gate.above", num(storage.Douyin, k.score-below.Score), gateScore(below), below.Name)))
		}
	}
	return ln
}
