package bot

import (
	"context"

	"github.com/robfig/cron/v3"

	"github.com/dsrbot/dsrbot/storage"
)

// findReview looks a review up for a follow-up command, turning "not
// found" and "which shop?" into hints.
func (b *Bot) findReview(ctx context.Context, shop *storage.Shop, id string) (*storage.Review, error) {
	shopID := ""
	if shop != nil {
		shopID = shop.ID
	}
	rv, err := b.Store.FindReview(ctx, shopID, id)
	switch storage.ErrorCode(err) {
	case "":
		if !rv.Bad() {
			return nil, &userError{langOf(shop).t("notbad", rv.ReviewID, rv.Rating)}
		}
		return rv, nil
	case storage.ENOTFOUND:
		return nil, &userError{langOf(shop).t("err.noreview", id)}
	case storage.ECONFLICT:
		return nil, &userError{storage.ErrorMessage(err)}
	}
	return nil, err
}

// assign is `assign REVIEW @user`: the person now owns the follow-up.
func (b *Bot) assign(ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	rv, err := b.findReview(ctx, shop, c.Review)
	if err != nil {
		return nil, err
	}
	if err := b.Store.AssignReview(ctx, rv.ID, c.User); err != nil {
		return nil, err
	}
	b.log().InfoContext(ctx, "review assigned", "shop", rv.ShopID, "review", rv.ReviewID, "owner", c.User, "by", req.User)
	l := langOf(shop)
	return reply(l, line{bold(rv.ReviewID), txt(" → "), mentionOf(c.User), txt(l.t("assign.ok"))}), nil
}

// done is `done REVIEW OUTCOME [note]`: the follow-up is closed.
func (b *Bot) done(ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	rv, err := b.findReview(ctx, shop, c.Review)
	if err != nil {
		return nil, err
	}
	l := langOf(shop)
	err = b.Store.CloseReview(ctx, rv.ID, c.Outcome, c.Note, b.now())
	if storage.ErrorCode(err) == storage.ECONFLICT {
		return nil, &userError{l.t("done.already", rv.ReviewID, l.t("outcome."+rv.Outcome))}
	}
	if err != nil {
		return nil, err
	}
	b.log().InfoContext(ctx, "review closed", "shop", rv.ShopID, "review", rv.ReviewID, "outcome", c.Outcome, "by", req.User)
	return reply(l, line{txt(l.t("done.ok", rv.ReviewID, l.t("outcome."+c.Outcome)))}), nil
}

// bind is `/dsr bind SHOP`: the channel gets the shop's digests and warnings.
func (b *Bot) bind(ctx context.Context, shop *storage.Shop, req Request) (*doc, error) {
	l := langOf(shop)
	if req.Channel == "" {
		return reply(l, line{txt(l.t("bind.local", shop.ID))}), nil
	}
	s, err := b.Store.BindChannel(ctx, shop.ID, req.Channel)
	if err != nil {
		return nil, err
	}
	b.log().InfoContext(ctx, "channel bound", "shop", s.ID, "channel", req.Channel, "by", req.User)
	return reply(l, line{txt(l.t("bind.ok", s.Name+" ("+s.ID+")"))}), nil
}

// reply is a short answer of one line.
func reply(l lang, ln line) *doc {
	return &doc{lang: l, sections: []section{{lines: []line{ln}}}}
}

// schedule is `/dsr schedule CRON` in a shop's channel: the digest's time.
func (b *Bot) schedule(ctx context.Context, shop *storage.Shop, spec string, req Request) (*doc, error) {
	l := langOf(shop)
	if shop == nil {
		return nil, &userError{l.t("schedule.unbound")}
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, &userError{l.t("err.usage", usage[verbSchedule])}
	}
	s, err := b.Store.SetDigestCron(ctx, shop.ID, spec)
	if err != nil {
		return nil, err
	}
	b.log().InfoContext(ctx, "digest schedule changed", "shop", s.ID, "spec", spec, "by", req.User)
	next := sched.Next(b.now().In(s.Location()))
	return reply(l, line{txt(l.t("schedule.ok", s.ID, spec, s.TZ, next.Format("2006-01-02 15:04")))}), nil
}
