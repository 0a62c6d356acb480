package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/dsrbot/dsrbot/storage"
)

// Store is what the chat surface needs of the database. It is declared here,
// by its user, so tests can hand the bot a real SQLite store and nothing
// else has to know which queries the bot runs.
type Store interface {
	FindShop(ctx context.Context, id string) (*storage.Shop, error)
	ListShopsIn(ctx context.Context, sc storage.Scope) ([]storage.Shop, error)
	ShopForChannel(ctx context.Context, channel string) (*storage.Shop, error)
	BindChannel(ctx context.Context, shopID, channel string, scope ...storage.Scope) (*storage.Shop, error)
	DayReport(ctx context.Context, shop *storage.Shop, now time.Time) (*storage.DayReport, error)
	BadReviews(ctx context.Context, f storage.ReviewFilter) ([]storage.Review, int, error)
	OpenOrders(ctx context.Context, shopID string, from, to time.Time, limit int) ([]storage.Order, int, error)
	FindReviewIn(ctx context.Context, sc storage.Scope, shopID, reviewID string) (*storage.Review, error)
	Reassign(ctx context.Context, id int64, owner string, by storage.Change, tell func(previous string) *storage.OutboxMessage) (string, error)
	CloseReview(ctx context.Context, id int64, outcome string, by storage.Change) error
	ReopenReview(ctx context.Context, id int64, by storage.Change) error
	ReviewHistory(ctx context.Context, id int64) ([]storage.ReviewEvent, error)
	MineIn(ctx context.Context, sc storage.Scope, owner string, limit int) ([]storage.Review, int, error)
	SetOwner(ctx context.Context, shopID, aspect string, users []string) error
	Owners(ctx context.Context, shopID string) ([]storage.ShopOwner, error)
	SetDigestCron(ctx context.Context, shopID, spec string) (*storage.Shop, error)
	Products(ctx context.Context, shop *storage.Shop, now time.Time) (*storage.ProductReport, error)
	ProductsAcross(ctx context.Context, shops []storage.Shop, now time.Time) ([]storage.ShopProduct, error)
	Recovery(ctx context.Context, shop *storage.Shop, now time.Time, target *float64) (*storage.RecoveryReport, error)
	ChartHistory(ctx context.Context, shop *storage.Shop, now time.Time, days int) (*storage.ChartHistory, error)
	ScoreHistories(ctx context.Context, shopIDs []string, first, last string) (map[string][]storage.Score, error)
	Why(ctx context.Context, shop *storage.Shop, now time.Time) (*storage.WhyReport, error)
	DaySummaries(ctx context.Context, shops []storage.Shop, now time.Time) ([]*storage.DayReport, error)
}

// Request is one thing a person said to the bot.
type Request struct {
	// Text is the command: what followed "/dsr", or a mention's text with
	// the bot's own mention removed.
	Text string
	// User is who said it: a Slack user ID, or the local shell's user.
	User string
	// Channel is where it was said; empty in the local shell.
	Channel string
	// Team is the Slack workspace it came from, as Slack's payload names
	// it. It decides which shops the request sees and may change: only
	// those the workspace owns. A request from Slack without one is
	// answered with help only.
	Team string
	// Local marks the operator at the bot's own machine: the local shell,
	// which sees and changes every shop, owned or not, with no workspace.
	// Only the shell sets it. It is a separate mark rather than an empty
	// Team so that a Slack payload that lacks its team is refused, never
	// taken for the operator.
	Local bool
}

// scope is whose shops the request may see: the operator's (every shop)
// or its workspace's.
func (r Request) scope() storage.Scope {
	if r.Local {
		return storage.AllShops
	}
	return storage.TeamScope(r.Team)
}

// Bot answers requests from the store. The same Bot serves Slack and the
// local shell.
type Bot struct {
	Store Store
	// Now is the clock; every "today", "late" and "overdue" is relative to it.
	Now func() time.Time
	// Location is the zone of answers that span shops (DSRBOT_TZ).
	Location *time.Location
	// Lang is the workspace's language (DSRBOT_LANG: "en" or "zh"; empty
	// is English): that of answers that are no one shop's (replyLang).
	Lang string
	Log  *slog.Logger
}

// langFor is the language of an answer about shop (nil for none), by the
// one rule of the bot's languages:
//
// What is about one shop (its card, its lists, its settings, a follow-up of
// one of its reviews and its history, an error about it or typed in its
// channel) is in the shop's language, whoever asks: a team reads its shop
// in one language. What is no one shop's (the all-shops view; reviews,
// late and mine across shops; help and errors outside a shop's channel;
// the "no shops" answers) is in the workspace's language, DSRBOT_LANG
// (replyLang), except that a command whose first word is Chinese (我的,
// 帮助, 今天 nope) is answered in Chinese even where that is English:
// whoever typed Chinese reads it. The reverse does not hold: an English
// keyword in a Chinese workspace is answered in Chinese, because the
// English keywords are the ones help and the README teach everyone.
func (b *Bot) langFor(shop *storage.Shop, req Request) lang {
	if shop != nil {
		return langOf(shop)
	}
	return b.replyLang(req)
}

// replyLang is the language of an answer that is no one shop's: Chinese
// for a command typed in Chinese, else the workspace's (langFor says why).
func (b *Bot) replyLang(req Request) lang {
	if saidInChinese(req.Text) {
		return zh
	}
	l, _ := parseLang(b.Lang)
	return l
}

// listLimit is how many rows a list answer names before "and N more".
const listLimit = 20

// Handle answers a request. It never fails: a bad command gets a hint, and an
// internal error gets a sentence for the user and the cause in the log.
func (b *Bot) Handle(ctx context.Context, req Request) Message {
	c, err := Parse(req.Text)
	if err != nil {
		return b.failure(ctx, req, b.mistakeShop(ctx, c, req), err)
	}
	cmd := commandOf(c.Verb)
	if cmd.handle == nil {
		// Help shows no shop's data, so anyone gets it, in the language of
		// the channel's shop where the asker may see that shop.
		return helpDoc(b.langFor(b.channelShop(ctx, req), req)).message()
	}
	if !req.Local && req.Team == "" {
		// Every shop belongs to a workspace; a request that names none
		// may see and change none, whatever it asks. Slack always names
		// one, so the log says so: a broken proxy, or a forgery.
		b.log().WarnContext(ctx, "refused a request that names no Slack workspace", "user", req.User, "channel", req.Channel)
		return b.failure(ctx, req, nil, &userError{b.replyLang(req).t("err.noteam")})
	}
	shop, err := b.resolveShop(ctx, c, req)
	if err != nil {
		return b.failure(ctx, req, b.channelShop(ctx, req), err)
	}
	d, err := cmd.handle(b, ctx, shop, c, req)
	if err != nil {
		return b.failure(ctx, req, shop, err)
	}
	m := d.message()
	// The score card asked for in the shop's own channel is the team's
	// shared picture; everything else answers only the person who asked.
	m.InChannel = cmd.shared && c.Shop == "" && shop != nil
	return m
}

// resolveShop finds the shop a command is about: the one it names, else the
// one bound to the channel, else none (an answer across the request's
// shops).
//
// A shop of another workspace is answered as if it did not exist: named,
// it gets the unknown-shop hint (which lists only the asker's shops); as
// the channel's shop (a channel shared between two workspaces), the channel
// counts as unbound. "Belongs to another workspace" would be plainer, but
// it would let any workspace that installs the bot probe which shop IDs
// exist, and an agency's shop IDs name its clients. A shop of no
// workspace yet is answered with how to claim it, which is what the admin
// trying the bot needs, and says nothing of the shop but that it exists.
func (b *Bot) resolveShop(ctx context.Context, c Command, req Request) (*storage.Shop, error) {
	if c.Shop != "" {
		return b.namedShop(ctx, c.Shop, req)
	}
	if req.Channel == "" {
		return nil, nil
	}
	s, err := b.Store.ShopForChannel(ctx, req.Channel)
	if isCode(err, storage.ENOTFOUND) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := b.allowed(s, req); err != nil {
		if errors.Is(err, errForeign) {
			return nil, nil
		}
		return nil, err
	}
	return s, nil
}

// namedShop is the shop a person named: by its ID as it is, else, among
// the shops the request may see, by its ID in any case, by its whole name,
// by the start of its name, or by a part of it ("潮衣馆 Trend Closet",
// "潮衣馆", "Trend Closet"), ignoring case and spaces. The first of these
// that matches decides: an exact ID always names its shop, whatever other
// shops are called, and a name that fits several gets a hint that lists
// them rather than a guess. Nothing matching gets the unknown-shop hint.
// A shop of another workspace is never matched, by ID or by name.
func (b *Bot) namedShop(ctx context.Context, name string, req Request) (*storage.Shop, error) {
	s, err := b.Store.FindShop(ctx, name)
	switch {
	case err == nil:
		err := b.allowed(s, req)
		if err == nil {
			return s, nil
		}
		if !errors.Is(err, errForeign) {
			return nil, err
		}
	case !isCode(err, storage.ENOTFOUND):
		return nil, err
	}
	shops, err := b.Store.ListShopsIn(ctx, req.scope())
	if err != nil {
		return nil, err
	}
	matches := shopsNamed(shops, name)
	switch {
	case len(matches) == 1:
		return &matches[0], nil
	case len(matches) == 0:
		return nil, b.noShop(ctx, name, req)
	}
	l := langOf(b.channelShop(ctx, req))
	var names []string
	for i, m := range matches {
		if i == maxShopHint {
			names = append(names, l.t("more", len(matches)-maxShopHint))
			break
		}
		names = append(names, l.t("shop.named", m.ID, m.Name))
	}
	return nil, &userError{l.t("err.shopmany", said(name), strings.Join(names, l.t("list.sep")))}
}

// maxShopHint is how many shops a hint for an ambiguous name lists.
const maxShopHint = 10

// shopsNamed are the shops that name matches at the first of the ways
// namedShop tries that matches any.
func shopsNamed(shops []storage.Shop, name string) []storage.Shop {
	key := nameKey(name)
	if key == "" {
		return nil
	}
	for _, fits := range []func(s *storage.Shop) bool{
		func(s *storage.Shop) bool { return strings.EqualFold(s.ID, name) },
		func(s *storage.Shop) bool { return nameKey(s.Name) == key },
		func(s *storage.Shop) bool { return strings.HasPrefix(nameKey(s.Name), key) },
		func(s *storage.Shop) bool { return strings.Contains(nameKey(s.Name), key) },
	} {
		var out []storage.Shop
		for i := range shops {
			if fits(&shops[i]) {
				out = append(out, shops[i])
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// nameKey is a shop name as compared: folded to half width and lower
// case, without spaces or separators, since the grammar splits a name
// typed as "潮衣馆Trend Closet" into words that are joined again with
// spaces.
func nameKey(s string) string {
	return strings.Map(func(r rune) rune {
		if isSeparator(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, width.Fold.String(s))
}

// channelShop is the shop bound to the request's channel, or nil: a
// mistake typed in a Chinese shop's channel is answered in Chinese. A shop
// the request may not see does not lend it its language either.
func (b *Bot) channelShop(ctx context.Context, req Request) *storage.Shop {
	if req.Channel == "" {
		return nil
	}
	s, err := b.Store.ShopForChannel(ctx, req.Channel)
	if err != nil || req.scope().Allows(s) != nil {
		return nil
	}
	return s
}

// mistakeShop is the shop a command that did not parse was about, for the
// language of the hint: the channel's shop, else the shop of the review it
// names ("done R123 bogus" about a Chinese shop's review is answered in
// Chinese wherever it is typed), else none. Only a shop the request may
// see lends its language.
func (b *Bot) mistakeShop(ctx context.Context, c Command, req Request) *storage.Shop {
	if s := b.channelShop(ctx, req); s != nil || c.Review == "" || (!req.Local && req.Team == "") {
		return s
	}
	rv, err := b.Store.FindReviewIn(ctx, req.scope(), "", c.Review)
	if err != nil {
		return nil
	}
	s, err := b.Store.FindShop(ctx, rv.ShopID)
	if err != nil || req.scope().Allows(s) != nil {
		return nil
	}
	return s
}

// errForeign is a shop of another workspace. Each caller turns it into
// what it answers: an unknown shop or review where the asker named it, a
// plain refusal where the shop was on the message the asker acted on.
var errForeign = errors.New("shop of another workspace")

// allowed maps the storage rule (Scope.Allows, EUNAUTHORIZED) to what the
// asker reads: without a workspace, a sentence that says so; for a shop of
// no workspace yet, how an admin claims it for the asker's workspace, in
// the shop's language; for another workspace's shop, errForeign.
func (b *Bot) allowed(shop *storage.Shop, req Request) error {
	err := req.scope().Allows(shop)
	if !isCode(err, storage.EUNAUTHORIZED) {
		return err
	}
	l := langOf(shop)
	switch {
	case req.Team == "":
		return &userError{l.t("err.noteam")}
	case shop.TeamID == "":
		return &userError{l.t("err.unclaimed", shop.ID, req.Team)}
	}
	return errForeign
}

// noShop is the hint for an unknown shop ID: it lists the real ones the
// request may see, and none of another workspace's.
func (b *Bot) noShop(ctx context.Context, id string, req Request) error {
	shops, err := b.Store.ListShopsIn(ctx, req.scope())
	if err != nil {
		return err
	}
	if len(shops) == 0 && !req.Local {
		return &parseError{key: "err.noshop.team", args: []any{said(id), req.Team}}
	}
	return &parseError{key: "err.noshop", args: []any{said(id), shopIDs(shops)}}
}

// shopIDs are the IDs of shops, for a hint that lists them; failure joins
// them in the reader's language.
func shopIDs(shops []storage.Shop) []string {
	ids := make([]string, len(shops))
	for i, s := range shops {
		ids[i] = s.ID
	}
	return ids
}

// failure turns an error into a one-line reply, in the language of the
// shop it is about or else of the request, by explain: only errors made
// for users are shown; anything else is logged with its cause and
// answered with a generic sentence.
func (b *Bot) failure(ctx context.Context, req Request, shop *storage.Shop, err error) Message {
	l := b.langFor(shop, req)
	text := b.explain(ctx, l, req, err)
	d := &doc{lang: l, sections: []section{{lines: []line{{txt(text)}}}}}
	return d.message()
}

func (b *Bot) log() *slog.Logger {
	if b.Log == nil {
		return slog.Default()
	}
	return b.Log
}

func (b *Bot) now() time.Time {
	if b.Now == nil {
		return time.Now()
	}
	return b.Now()
}

func (b *Bot) location() *time.Location {
	if b.Location == nil {
		return time.UTC
	}
	return b.Location
}

// shopsFor returns the shop if there is one, else every shop the request
// may see: list answers outside a shop's channel span the agency's shops,
// and only its own.
func (b *Bot) shopsFor(ctx context.Context, shop *storage.Shop, req Request) ([]storage.Shop, error) {
	if shop != nil {
		return []storage.Shop{*shop}, nil
	}
	return b.Store.ListShopsIn(ctx, req.scope())
}
