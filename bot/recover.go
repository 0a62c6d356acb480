package bot

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dsrbot/dsrbot/storage"
)

// How many lines the way back names before "and N more": the days and
// products leaving the window, and the products to fix first.
const (
	recoverExitLimit    = 10
	recoverProductLimit = 5
)

// parseRecover reads `recover [SHOP] [--target X]`: the target as
// `--target 4.8`, `--target=4.8` or `目标 4.8` (also `目标4.8`, typed
// without a space), anywhere among the shop's words. A target that is no
// number, or on neither platform's scale (a Douyin score of 50-100, a
// Taobao DSR of 1-5), gets the usage hint; which scale a shop needs is
// checked once the shop is known (targetFits).
func parseRecover(c *Command, args []cmdWord, _ string) error {
	var shop []cmdWord
	for i := 0; i < len(args); i++ {
		w := args[i].text
		var value string
		switch lw := strings.ToLower(w); {
		case lw == "--target" || w == "目标":
			if i+1 == len(args) {
				return errUsage
			}
			i++
			value = args[i].text
		case strings.HasPrefix(lw, "--target="):
			value = w[len("--target="):]
		case strings.HasPrefix(w, "目标"):
			value = w[len("目标"):]
		default:
			shop = append(shop, args[i])
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || c.Target != nil || !(targetFits(storage.Taobao, v) || targetFits(storage.Douyin, v)) {
			return errUsage
		}
		c.Target = &v
	}
	c.Shop = joinWords(shop)
	return nil
}

// targetFits reports whether a target is on the platform's scale: the
// Douyin overall (50-100, as a gate is) or a Taobao DSR (1-5). The two
// never overlap, so across shops a target is the target of the shops of
// the one platform it fits.
func targetFits(p storage.Platform, v float64) bool {
	if p == storage.Taobao {
		return v >= 1 && v <= 5
	}
	return v >= 50 && v <= 100
}

// handleRecover is `/dsr recover [SHOP] [--target X]` (恢复): the way back
// above the line of one shop, or across shops one line per shop below its
// line.
func handleRecover(b *Bot, ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	if shop == nil {
		return b.recoverAll(ctx, c.Target, req)
	}
	if c.Target != nil && !targetFits(shop.Platform, *c.Target) {
		return nil, &parseError{key: "err.usage", verb: verbRecover}
	}
	r, err := b.Store.Recovery(ctx, shop, b.now(), c.Target)
	if err != nil {
		return nil, err
	}
	return recoverDoc(r), nil
}

// recoverDoc renders one shop's way back, in the shop's language.
func recoverDoc(r *storage.RecoveryReport) *doc {
	l := langOf(&r.Shop)
	d := &doc{lang: l, title: l.t("recover.title", r.Shop.Name, r.Shop.ID, r.Today)}
	if r.Shop.Platform == storage.Taobao {
		d.sections = []section{dsrSection(l, r)}
		d.footer = l.t("recover.footer.taobao", r.Shop.ID)
		return d
	}
	d.sections = []section{gateSection(l, r), exitSection(l, r), fixSection(l, r)}
	d.footer = l.t("recover.footer.douyin", storage.RecoveryHorizonDays, r.Shop.ID)
	return d
}

// gateSection is where the Douyin score stands against its gates (or the
// target), what leaves the window in the next days, and what a new bad
// review costs.
func gateSection(l lang, r *storage.RecoveryReport) section {
	s := section{heading: l.t("recover.score")}
	add := func(text string) { s.lines = append(s.lines, line{txt(text)}) }
	p := storage.Douyin
	switch {
	case !r.Scored:
		add(l.t("recover.noscore"))
	default:
		add(l.t("recover.overall", num(p, r.Shown), standing(l, r)))
	}
	if r.Latest != nil && r.Latest.Growth() {
		add(l.t("recover.growth"))
	}
	if r.SoonBad+r.SoonLate > 0 {
		add(l.t(agree("recover.soon", r.SoonBad+r.SoonLate), shortDay(r.Horizon), storage.RecoveryHorizonDays, counts(l, r.SoonBad, r.SoonLate)))
	} else {
		add(l.t("recover.soon.none", storage.RecoveryHorizonDays, shortDay(r.Horizon)))
	}
	add(l.t("recover.newbad", shortDay(r.NewBadLeaves)))
	return s
}

// standing is the distance to each gate the shown score is under ("1.1
// below the 70 line (精选联盟)"), or that it is under none.
func standing(l lang, r *storage.RecoveryReport) string {
	var parts []string
	for _, g := range r.Gaps {
		if g.Gate.Name == "" {
			parts = append(parts, l.t("recover.target.below", num(storage.Douyin, g.Gap), gateScore(&g.Gate)))
			continue
		}
		parts = append(parts, l.t("card.gate.below", num(storage.Douyin, g.Gap), gateScore(&g.Gate), g.Gate.Name))
	}
	if len(parts) > 0 {
		return strings.Join(parts, " · ")
	}
	if r.Target != nil {
		return l.t("recover.target.met", strconv.FormatFloat(*r.Target, 'f', -1, 64))
	}
	gates := r.Shop.GateList()
	names := make([]string, len(gates))
	for i, g := range gates {
		names[i] = g.String()
	}
	return l.t("recover.above", strings.Join(names, l.t("list.sep")))
}

// exitSection lists what leaves the window, by day and product, soonest
// first.
func exitSection(l lang, r *storage.RecoveryReport) section {
	s := section{heading: l.t("recover.exits")}
	if len(r.Exits) == 0 {
		s.lines = append(s.lines, line{txt(l.t("recover.exits.none"))})
		return s
	}
	for i, e := range r.Exits {
		if i == recoverExitLimit {
			s.hidden = len(r.Exits) - i
			s.more = l.t("more", s.hidden)
			break
		}
		s.lines = append(s.lines, line{txt(l.t(agree("recover.exit", e.Bad+e.Late), counts(l, e.Bad, e.Late), productName(l, e.Product), shortDay(e.Day)))})
	}
	return s
}

// fixSection names the products with most in the window: fixing what
// their buyers complain of (or their shipping) keeps the next ones out.
func fixSection(l lang, r *storage.RecoveryReport) section {
	s := section{heading: l.t("recover.products")}
	if len(r.Products) == 0 {
		s.lines = append(s.lines, line{txt(l.t("recover.exits.none"))})
		return s
	}
	for i, p := range r.Products {
		if i == recoverProductLimit {
			s.hidden = len(r.Products) - i
			s.more = l.t("more", s.hidden)
			break
		}
		what := counts(l, p.Bad, 0)
		if p.TopAspect != "" {
			what += l.t("recover.mostly", l.t("aspect."+string(p.TopAspect)))
		}
		switch {
		case p.Bad == 0:
			what = counts(l, 0, p.Late)
		case p.Late > 0:
			what += l.t("recover.and") + counts(l, 0, p.Late)
		}
		s.lines = append(s.lines, line{txt(l.t("recover.product", productName(l, p.Product), what))})
	}
	return s
}

// counts is "2 bad reviews and 1 late order", leaving out a zero.
func counts(l lang, bad, late int) string {
	var parts []string
	if bad > 0 {
		parts = append(parts, plural(l, "recover.n.bad", bad))
	}
	if late > 0 {
		parts = append(parts, plural(l, "recover.n.late", late))
	}
	return strings.Join(parts, l.t("recover.and"))
}

// plural is key's sentence for n, its ".one" form for one.
func plural(l lang, key string, n int) string {
	if n == 1 {
		return l.t(key+".one", n)
	}
	return l.t(key, n)
}

// agree is key for a sentence whose verb agrees with n things: its
// ".one" form for one ("1 bad review leaves", "2 leave").
func agree(key string, n int) string {
	if n == 1 {
		return key + ".one"
	}
	return key
}

// productName is a product as named, or a word for none.
func productName(l lang, p string) string {
	if p == "" {
		return l.t("recover.noproduct")
	}
	return p
}

// shortDay is a day as a date without its year, "12-08": the window is
// never a year long.
func shortDay(day string) string {
	if len(day) == len(storage.DateLayout) {
		return day[5:]
	}
	return day
}

// dsrSection is, for each Taobao DSR, its value, its target and the 5★
// ratings that bring it there with the arithmetic, or why no count is
// given; then the ratings held.
func dsrSection(l lang, r *storage.RecoveryReport) section {
	s := section{heading: l.t("recover.dsr")}
	p := storage.Taobao
	needs := map[storage.Dimension]storage.DSRNeed{}
	for _, n := range r.Needs {
		needs[n.Dim] = n
	}
	origin := l.t("recover.target.asked")
	if r.Target == nil {
		origin = l.t("recover.target.day", r.TargetDay)
	}
	for _, dim := range taobaoOrder {
		n, ok := needs[dim]
		if !ok {
			continue
		}
		name := dimName(l, p, dim)
		var text string
		switch n.Status {
		case storage.NeedCount:
			text = l.t("recover.dsr.count", name, num(p, n.D), num(p, n.T), origin, n.K, formula(n))
		case storage.NeedMet:
			text = l.t("recover.dsr.met", name, num(p, n.D), num(p, n.T), origin)
		case storage.NeedUnreachable:
			text = l.t("recover.dsr.unreachable", name, num(p, n.D), num(p, n.T))
		case storage.NeedNoRatings:
			text = l.t("recover.dsr.noratings", name, num(p, n.D), num(p, n.T), origin)
		case storage.NeedShort:
			text = l.t("recover.dsr.short", name, num(p, n.D), num(p, n.T), origin, n.N, r.HeldSince)
		case storage.NeedNoTarget:
			text = l.t("recover.dsr.notarget", name, num(p, n.D), addDays(r.Today, -30), r.Shop.ID)
		default:
			text = l.t("recover.dsr.noscore", name)
		}
		s.lines = append(s.lines, line{txt(text)})
	}
	if r.HeldSince == "" {
		s.lines = append(s.lines, line{txt(l.t("recover.held.none"))})
	} else {
		s.lines = append(s.lines, line{txt(l.t("recover.held", r.WindowStart, r.Held, r.HeldSince))})
	}
	return s
}

// formula is the arithmetic of a count, in figures only, so it reads the
// same in both languages: "(4.78 × 812 + 5k) / (812 + k) ≥ 4.82 → k = 181".
func formula(n storage.DSRNeed) string {
	p := storage.Taobao
	return fmt.Sprintf("(%s × %d + 5k) / (%d + k) ≥ %s → k = %d", num(p, n.D), n.N, n.N, num(p, n.T), n.K)
}

// recoverAll is `/dsr recover` outside a shop's channel: one line per shop
// below its line, nearest the line first on Douyin (where a day's exits
// may be enough), then the Taobao shops needing most 5★ ratings; then the
// others in one line. It spans shops, so it is in the request's language.
func (b *Bot) recoverAll(ctx context.Context, target *float64, req Request) (*doc, error) {
	shops, err := b.Store.ListShopsIn(ctx, req.scope())
	if err != nil {
		return nil, err
	}
	l := b.replyLang(req)
	now := b.now()
	d := &doc{lang: l, title: l.t("recover.all.title", now.In(b.location()).Format(storage.DateLayout)), footer: l.t("recover.all.footer")}
	if len(shops) == 0 {
		d.sections = []section{{lines: []line{{txt(noShops(l, req))}}}}
		return d, nil
	}
	type below struct {
		r     *storage.RecoveryReport
		gap   float64 // Douyin: to the nearest line
		k     int     // Taobao: 5★ ratings of the worst DSR
		worst storage.DSRNeed
	}
	var under []below
	var fine []string
	for i := range shops {
		shop := &shops[i]
		t := target
		if t != nil && !targetFits(shop.Platform, *t) {
			t = nil
		}
		r, err := b.Store.Recovery(ctx, shop, now, t)
		if err != nil {
			return nil, err
		}
		if shop.Platform == storage.Taobao {
			if w, ok := worstNeed(r.Needs); ok {
				under = append(under, below{r: r, k: w.K, worst: w})
				continue
			}
		} else if len(r.Gaps) > 0 {
			under = append(under, below{r: r, gap: r.Gaps[0].Gap})
			continue
		}
		fine = append(fine, shop.ID)
	}
	sort.SliceStable(under, func(i, j int) bool {
		a, b := under[i], under[j]
		ta, tb := a.r.Shop.Platform == storage.Taobao, b.r.Shop.Platform == storage.Taobao
		switch {
		case ta != tb:
			return !ta
		case !ta && a.gap != b.gap:
			return a.gap < b.gap
		case ta && a.k != b.k:
			return a.k > b.k
		}
		return a.r.Shop.ID < b.r.Shop.ID
	})
	list := section{flow: true}
	for _, u := range under {
		r := u.r
		ln := line{bold(r.Shop.ID), txt(" " + r.Shop.Name + " · ")}
		if r.Shop.Platform == storage.Taobao {
			ln = append(ln, txt(worstText(l, r, u.worst)))
		} else {
			g := r.Gaps[0]
			gap := l.t("recover.target.below", num(storage.Douyin, g.Gap), gateScore(&g.Gate))
			if g.Gate.Name != "" {
				gap = underGate(l, &g.Gate, r.Shown)
			}
			soon := l.t("recover.all.soon.none", shortDay(r.Horizon))
			if r.SoonBad+r.SoonLate > 0 {
				soon = l.t(agree("recover.all.soon", r.SoonBad+r.SoonLate), counts(l, r.SoonBad, r.SoonLate), shortDay(r.Horizon))
			}
			ln = append(ln, txt(num(storage.Douyin, r.Shown)+" · "+gap+" · "+soon))
		}
		list.lines = append(list.lines, ln)
	}
	d.sections = []section{{lines: []line{{bold(l.t("recover.all.summary", len(under), len(shops)))}}}, list}
	if len(fine) > 0 {
		d.sections = append(d.sections, section{lines: []line{{txt(l.t("recover.all.fine", strings.Join(fine, l.t("list.sep"))))}}})
	}
	return d, nil
}

// worstNeed is the Taobao DSR furthest from its target: the one needing
// most 5★ ratings, else (when no count could be given) the one most under
// its target. ok is false when every DSR is at its target or has none.
func worstNeed(needs []storage.DSRNeed) (storage.DSRNeed, bool) {
	var worst storage.DSRNeed
	found := false
	for _, n := range needs {
		switch n.Status {
		case storage.NeedCount, storage.NeedShort, storage.NeedNoRatings, storage.NeedUnreachable:
		default:
			continue
		}
		better := !found ||
			(n.Status == storage.NeedCount) && (worst.Status != storage.NeedCount || n.K > worst.K) ||
			n.Status != storage.NeedCount && worst.Status != storage.NeedCount && n.T-n.D > worst.T-worst.D
		if better {
			worst, found = n, true
		}
	}
	return worst, found
}

// worstText is a Taobao shop's worst DSR in the all-shops line: the
// ratings it needs, or why there is no count.
func worstText(l lang, r *storage.RecoveryReport, n storage.DSRNeed) string {
	p := storage.Taobao
	name := dimName(l, p, n.Dim)
	if n.Status == storage.NeedCount {
		return l.t("recover.all.dsr", name, num(p, n.D), num(p, n.T), n.K)
	}
	reason := l.t("recover.reason.out")
	switch n.Status {
	case storage.NeedShort:
		reason = l.t("recover.reason.short", n.N, r.HeldSince)
	case storage.NeedNoRatings:
		reason = l.t("recover.reason.none")
	}
	return l.t("recover.all.dsr.nok", name, num(p, n.D), num(p, n.T), reason)
}
