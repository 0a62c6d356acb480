package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// Store is what the chat surface needs of the database. It is declared here,
// by its user, so tests can hand the bot a real SQLite store and nothing
// else has to know which queries the bot runs.
type Store interface {
	FindShop(ctx context.Context, id string) (*storage.Shop, error)
	ListShops(ctx context.Context) ([]storage.Shop, error)
	ShopForChannel(ctx context.Context, channel string) (*storage.Shop, error)
	BindChannel(ctx context.Context, shopID, channel string, team ...string) (*storage.Shop, error)
	DayReport(ctx context.Context, shopID string, now time.Time) (*storage.DayReport, error)
	BadReviews(ctx context.Context, f storage.ReviewFilter) ([]storage.Review, int, error)
	OpenOrders(ctx context.Context, shopID string, from, to time.Time, limit int) ([]storage.Order, int, error)
	FindReview(ctx context.Context, shopID, reviewID string) (*storage.Review, error)
	AssignReview(ctx context.Context, id int64, owner string, by storage.Change) error
	CloseReview(ctx context.Context, id int64, outcome string, by storage.Change) error
	ReopenReview(ctx context.Context, id int64, by storage.Change) error
	ReviewHistory(ctx context.Context, id int64) ([]storage.ReviewEvent, error)
	Mine(ctx context.Context, owner string, limit int) ([]storage.Review, int, error)
	SetOwner(ctx context.Context, shopID, aspect string, users []string) error
	Owners(ctx context.Context, shopID string) ([]storage.ShopOwner, error)
	SetDigestCron(ctx context.Context, shopID, spec string) (*storage.Shop, error)
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
	// Team is the Slack workspace it came from; empty in the local shell.
	Team string
}

// Bot answers requests from the store. The same Bot serves Slack and the
// local shell.
type Bot struct {
	Store Store
	// Now is the clock; every "today", "late" and "overdue" is relative to it.
	Now func() time.Time
	// Location is the zone of answers that span shops (DSRBOT_TZ).
	Location *time.Location
	Log      *slog.Logger
}

// listLimit is how many rows a list answer names before "and N more".
const listLimit = 20

// Handle answers a request. It never fails: a bad command gets a hint, and an
// internal error gets a sentence for the user and the cause in the log.
func (b *Bot) Handle(ctx context.Context, req Request) Message {
	c, err := Parse(req.Text)
	if err != nil {
		return b.failure(ctx, req, b.channelShop(ctx, req), err)
	}
	shop, err := b.resolveShop(ctx, c, req)
	if err != nil {
		return b.failure(ctx, req, b.channelShop(ctx, req), err)
	}
	var d *doc
	switch c.Verb {
	case verbToday:
		if shop != nil {
			d, err = b.today(ctx, shop)
		} else {
			d, err = b.allShops(ctx)
		}
	case verbReviews:
		d, err = b.reviews(ctx, shop, c.Filter, req.User)
	case verbLate:
		d, err = b.late(ctx, shop)
	case verbAssign:
		d, err = b.assign(ctx, shop, c, req)
	case verbDone:
		d, err = b.done(ctx, shop, c, req)
	case verbClaim:
		c.User = req.User
		d, err = b.assign(ctx, shop, c, req)
	case verbReopen:
		d, err = b.reopen(ctx, shop, c, req)
	case verbStatus:
		d, err = b.status(ctx, shop, c, req)
	case verbOwner:
		d, err = b.owner(ctx, shop, c, req)
	case verbBind:
		d, err = b.bind(ctx, shop, req)
	case verbSchedule:
		d, err = b.schedule(ctx, shop, c.Spec, req)
	default:
		d = helpDoc(langOf(shop))
	}
	if err != nil {
		return b.failure(ctx, req, shop, err)
	}
	m := d.message()
	// The score card asked for in the shop's own channel is the team's
	// shared picture; everything else answers only the person who asked.
	m.InChannel = c.Verb == verbToday && c.Shop == "" && shop != nil
	return m
}

// resolveShop finds the shop a command is about: the one it names, else the
// one bound to the channel, else none (an answer across all shops).
func (b *Bot) resolveShop(ctx context.Context, c Command, req Request) (*storage.Shop, error) {
	if c.Shop != "" {
		s, err := b.Store.FindShop(ctx, c.Shop)
		if storage.ErrorCode(err) == storage.ENOTFOUND {
			return nil, b.noShop(ctx, c.Shop)
		}
		return s, err
	}
	if req.Channel == "" {
		return nil, nil
	}
	s, err := b.Store.ShopForChannel(ctx, req.Channel)
	if storage.ErrorCode(err) == storage.ENOTFOUND {
		return nil, nil
	}
	return s, err
}

// channelShop is the shop bound to the request's channel, or nil: a
// mistake typed in a Chinese shop's channel is answered in Chinese.
func (b *Bot) channelShop(ctx context.Context, req Request) *storage.Shop {
	if req.Channel == "" {
		return nil
	}
	s, err := b.Store.ShopForChannel(ctx, req.Channel)
	if err != nil {
		return nil
	}
	return s
}

// userError is an answer that explains what was wrong; it is shown as is.
type userError struct{ text string }

func (e *userError) Error() string { return e.text }

// noShop is the hint for an unknown shop ID: it lists the real ones.
func (b *Bot) noShop(ctx context.Context, id string) error {
	shops, err := b.Store.ListShops(ctx)
	if err != nil {
		return err
	}
	ids := make([]string, len(shops))
	for i, s := range shops {
		ids[i] = s.ID
	}
	return &parseError{key: "err.noshop", args: []any{said(id), strings.Join(ids, ", ")}}
}

// failure turns an error into a one-line reply. Only errors made for users
// are shown; anything else is logged with its cause and answered with a
// generic sentence.
func (b *Bot) failure(ctx context.Context, req Request, shop *storage.Shop, err error) Message {
	l := langOf(shop)
	var text string
	var pe *parseError
	var ue *userError
	switch {
	case errors.As(err, &pe):
		text = l.t(pe.key, pe.args...)
	case errors.As(err, &ue):
		text = ue.text
	default:
		b.log().ErrorContext(ctx, "command failed", "text", req.Text, "user", req.User, "channel", req.Channel, "err", err)
		text = l.t("err.internal")
	}
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

// shopsFor returns the shop if there is one, else every shop: list answers
// outside a shop's channel span the agency's shops.
func (b *Bot) shopsFor(ctx context.Context, shop *storage.Shop) ([]storage.Shop, error) {
	if shop != nil {
		return []storage.Shop{*shop}, nil
	}
	return b.Store.ListShops(ctx)
}
