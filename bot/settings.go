package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// settings is `/dsr settings [SHOP]` (设置): everything that decides what
// the bot says of a shop and when, read-only. Most of it is set on the
// bot's machine (dsrbot shop set), so a team could not otherwise see why
// its card measures the 75 line, or why a review was overdue after 12
// hours, without asking the admin. In a bound channel it is that shop's;
// elsewhere the shop must be named, since there is no "all shops" of
// settings.
func (b *Bot) settings(ctx context.Context, shop *storage.Shop, req Request) (*doc, error) {
	if shop == nil {
		return nil, b.whichShop(ctx, "/dsr settings", req)
	}
	owners, err := b.Store.Owners(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	return settingsDoc(shop, owners, b.now()), nil
}

// whichShop asks for a shop a command needs, listing those the request may
// see; a workspace with none is told how it gets one.
func (b *Bot) whichShop(ctx context.Context, command string, req Request) error {
	shops, err := b.Store.ListShopsIn(ctx, req.scope())
	if err != nil {
		return err
	}
	if len(shops) == 0 {
		return &userError{noShops(b.replyLang(req), req)}
	}
	return &parseError{key: "err.whichshop", args: []any{command, shopIDs(shops)}}
}

// settingsDoc renders a shop's settings in the shop's language: how its
// score is read (platform, weights, gates), when follow-ups and orders
// count as late and who gets them, and when and where it is told.
func settingsDoc(shop *storage.Shop, owners []storage.ShopOwner, now time.Time) *doc {
	l := langOf(shop)
	p := shop.Platform
	d := &doc{lang: l, title: l.t("settings.title", shop.Name, shop.ID)}

	score := section{heading: l.t("settings.score")}
	score.lines = append(score.lines, line{txt(l.t("settings.platform", l.t("platform."+string(p))))})
	if p == storage.Taobao {
		score.lines = append(score.lines, line{txt(l.t("settings.taobao"))})
	} else {
		weights := make([]string, len(storage.Dimensions))
		for i, dim := range storage.Dimensions {
			weights[i] = l.t("settings.weight", dimName(l, p, dim), shop.Weight(dim))
		}
		w := l.t("settings.weights", strings.Join(weights, " · "))
		if shop.WeightProduct == 50 && shop.WeightLogistics == 15 && shop.WeightService == 35 {
			w += l.t("settings.default")
		}
		score.lines = append(score.lines, line{txt(w)})
		gates := shop.GateList()
		names := make([]string, len(gates))
		for i, g := range gates {
			names[i] = g.String()
		}
		g := l.t("settings.gates", strings.Join(names, " · "))
		if shop.Gates == "" {
			g += l.t("settings.default")
		}
		score.lines = append(score.lines, line{txt(g)})
	}

	follow := section{heading: l.t("settings.followups")}
	follow.lines = append(follow.lines,
		line{txt(l.t("settings.deadline", int(shop.FollowUpDeadline().Hours())))},
		line{txt(l.t("settings.warn", int(shop.WarnWindow().Hours())))})
	routes := section{heading: l.t("settings.owners"), lines: ownerLines(l, owners)}

	where := section{heading: l.t("settings.where")}
	spec := shop.DigestCron
	if spec == "" {
		spec = storage.DefaultDigestCron
	}
	if sched, err := storage.ParseSchedule(spec); err == nil {
		next := sched.Next(now.In(shop.Location()))
		where.lines = append(where.lines, line{txt(l.t("settings.digest", spec, shop.TZ, next.Format("2006-01-02 15:04")))})
	} else {
		where.lines = append(where.lines, line{txt(l.t("settings.digest.bad", spec))})
	}
	where.lines = append(where.lines,
		line{txt(l.t("settings.lang", l.t("lang."+langCode(l))))},
		line{txt(l.t("settings.tz", shop.TZ))})
	if shop.Channel != "" {
		where.lines = append(where.lines, line{txt(l.t("settings.channel", shop.Channel))})
	} else {
		where.lines = append(where.lines, line{txt(l.t("settings.unbound", shop.ID))})
	}
	if shop.TeamID != "" {
		where.lines = append(where.lines, line{txt(l.t("settings.team", shop.TeamID))})
	} else {
		where.lines = append(where.lines, line{txt(l.t("settings.noteam", shop.ID))})
	}

	d.sections = []section{score, follow, routes, where}
	d.footer = l.t("settings.footer", shopSetLine(shop))
	return d
}

// langCode is a language as DSRBOT_LANG and --lang write it.
func langCode(l lang) string {
	if l == zh {
		return storage.LangChinese
	}
	return storage.LangEnglish
}

// shopSetLine is the command that sets what `dsrbot shop set` sets of the
// shop to what it is now: an admin copies it and changes one value.
func shopSetLine(shop *storage.Shop) string {
	args := []string{"dsrbot shop set", shop.ID}
	if shop.Platform != storage.Taobao {
		args = append(args,
			fmt.Sprintf("--weights %d,%d,%d", shop.WeightProduct, shop.WeightLogistics, shop.WeightService),
			"--gates "+storage.FormatGates(shop.GateList()))
	}
	args = append(args,
		fmt.Sprintf("--warn-hours %d", int(shop.WarnWindow().Hours())),
		fmt.Sprintf("--followup-hours %d", int(shop.FollowUpDeadline().Hours())),
		"--lang "+langCode(langOf(shop)),
		"--tz "+shop.TZ)
	return strings.Join(args, " ")
}
