package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// findReview looks a review up for a follow-up command, turning "not
// found" and "which shop?" into hints, and refusing a change the request's
// workspace may not make.
func (b *Bot) findReview(ctx context.Context, shop *storage.Shop, id string, req Request) (*storage.Review, *storage.Shop, error) {
	rv, shop, err := b.lookupReview(ctx, shop, id, req)
	if err != nil {
		return nil, nil, err
	}
	l := langOf(shop)
	if !rv.Bad() {
		return nil, nil, &userError{l.t("notbad", rv.ReviewID, stars(l, rv))}
	}
	if err := b.mayChange(shop, req); err != nil {
		return nil, nil, err
	}
	return rv, shop, nil
}

// lookupReview finds a review by its ID among the shops the request may
// see, and its shop. A review of another workspace's shop is "no review",
// as a shop of another workspace is "no shop" (resolveShop says why).
func (b *Bot) lookupReview(ctx context.Context, shop *storage.Shop, id string, req Request) (*storage.Review, *storage.Shop, error) {
	shopID := ""
	if shop != nil {
		shopID = shop.ID
	}
	rv, err := b.Store.FindReviewIn(ctx, req.scope(), shopID, id)
	var shared *storage.SharedReviewError
	switch {
	case err == nil:
	case isCode(err, storage.ENOTFOUND):
		if err := b.unclaimedReview(ctx, shopID, id, req); err != nil {
			return nil, nil, err
		}
		return nil, nil, &userError{b.langFor(shop, req).t("err.noreview", said(id))}
	case errors.As(err, &shared):
		return nil, nil, b.whichReview(ctx, shop, shared)
	default:
		return nil, nil, err
	}
	if shop == nil || shop.ID != rv.ShopID {
		if shop, err = b.Store.FindShop(ctx, rv.ShopID); err != nil {
			return nil, nil, err
		}
	}
	return rv, shop, nil
}

// whichReview answers a review ID that several of the asker's shops hold
// with the exact words to type, "R100 is in dy-home, dy-kids: say
// dy-home/R100 or dy-kids/R100", since "name the shop" alone left people
// guessing at a form. It is in the language of the channel's shop, else
// in Chinese when every shop it names is Chinese.
func (b *Bot) whichReview(ctx context.Context, shop *storage.Shop, e *storage.SharedReviewError) error {
	if len(e.In) == 0 {
		// Not a conflict storage makes: logged, not shown, so not
		// wrapped, or explain would take it for a conflict to explain.
		return fmt.Errorf("a shared review ID that names no shop: %v", e)
	}
	l := langOf(shop)
	var shops, forms []string
	allZh := shop == nil
	for _, r := range e.In {
		forms = append(forms, r.ShopID+"/"+r.ReviewID)
		if len(shops) > 0 && shops[len(shops)-1] == r.ShopID {
			continue // one shop with the ID in two cases
		}
		shops = append(shops, r.ShopID)
		if allZh {
			s, err := b.Store.FindShop(ctx, r.ShopID)
			if err != nil {
				return err
			}
			allZh = langOf(s) == zh
		}
	}
	if allZh {
		l = zh
	}
	// Say the ID as the shops spell it ("r100" typed is R100), unless
	// they spell it differently from each other.
	id := e.In[0].ReviewID
	for _, r := range e.In {
		if r.ReviewID != id {
			id = e.ReviewID
			break
		}
	}
	list := strings.Join(shops, l.t("list.sep"))
	if e.More {
		list += l.t("list.sep") + "…"
	}
	return &userError{l.t("err.whichreview", said(id), list, strings.Join(forms, l.t("list.or")))}
}

// unclaimedReview is how to claim the shop, when a review the request's
// workspace cannot see is a review of a shop of no workspace yet: an admin
// trying the bot on the demo types a review ID, and should learn what to
// do, as naming the shop would tell. Anything else (no such review, a
// review of another workspace, an ID two shops share) returns nil, and the
// caller answers "no review".
func (b *Bot) unclaimedReview(ctx context.Context, shopID, id string, req Request) error {
	if req.Local || req.Team == "" {
		return nil
	}
	rv, err := b.Store.FindReviewIn(ctx, storage.AllShops, shopID, id)
	if err != nil {
		return nil
	}
	shop, err := b.Store.FindShop(ctx, rv.ShopID)
	if err != nil || shop.TeamID != "" {
		return nil
	}
	return b.allowed(shop, req)
}

// mayChange refuses a change the request's workspace may not make: every
// change goes through it, so a request without a workspace, or from one
// that does not own the shop, changes nothing. The local shell is the
// operator's and changes any shop.
func (b *Bot) mayChange(shop *storage.Shop, req Request) error {
	err := b.allowed(shop, req)
	if errors.Is(err, errForeign) {
		return sayIn(langOf(shop), "err.team", shop.ID)
	}
	return err
}

// change is who is changing a follow-up, now.
func (b *Bot) change(req Request, note string) storage.Change {
	actor := req.User
	if actor == "" {
		actor = "unknown"
	}
	return storage.Change{Actor: actor, At: b.now(), Note: note}
}

// assign is `assign REVIEW @user` (and `claim REVIEW`, which assigns the
// review to whoever says it).
//
// Taking a follow-up from someone says so ("R1980 was @bo's; now yours")
// and tells them. The answer alone would not: a slash command's answer and
// a button's are ephemeral, shown to the asker only, and a mention in them
// notifies nobody; a mention in a thread reaches only members of the
// channel. So the previous owner gets a direct message, through the
// outbox, written in the same transaction as the change (see handover).
func (b *Bot) assign(ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	rv, shop, err := b.findReview(ctx, shop, c.Review, req)
	if err != nil {
		return nil, err
	}
	l := langOf(shop)
	previous, err := b.Store.Reassign(ctx, rv.ID, c.User, b.change(req, ""), b.handover(ctx, shop, rv, c.User, req))
	if err != nil {
		return nil, onCodeSay(err, storage.ECONFLICT, sayIn(l, "assign.closed", rv.ReviewID, rv.ReviewID))
	}
	b.log().InfoContext(ctx, "review assigned", "shop", rv.ShopID, "review", rv.ReviewID, "owner", c.User, "previous", previous, "by", req.User)
	switch {
	case previous == "" || previous == c.User:
		return reply(l, line{bold(rv.ReviewID), txt(" → "), mentionOf(c.User), txt(l.t("assign.ok"))}), nil
	case c.User == req.User:
		return reply(l, sentence(l, "claim.taken", bold(rv.ReviewID), mentionOf(previous))), nil
	}
	return reply(l, sentence(l, "assign.taken", bold(rv.ReviewID), mentionOf(c.User), mentionOf(previous))), nil
}

// handoverKind is the outbox kind of the direct message that tells a
// person a follow-up they owned is someone else's now.
const handoverKind = "handover"

// handover is what Reassign enqueues for the previous owner of a review
// given to owner: a direct message in the shop's language, naming who took
// it, the shop and the review. Nobody is told when there was no owner, the
// owner stays the same, the previous owner made the change themselves, or
// the previous owner is a name typed in the shell rather than a Slack user
// (there is no one to message), nor from the shell itself, which has no
// Slack behind it: a message queued there would be sent, stale, the next
// time the bot runs with Slack.
func (b *Bot) handover(ctx context.Context, shop *storage.Shop, rv *storage.Review, owner string, req Request) func(previous string) *storage.OutboxMessage {
	return func(previous string) *storage.OutboxMessage {
		if req.Local || previous == "" || previous == owner || previous == req.User || !storage.IsSlackUserID(previous) {
			return nil
		}
		m := handoverDoc(shop, rv, owner, req.User, b.now()).message()
		blocks, err := json.Marshal(m.Blocks)
		if err != nil {
			// The text says it all; Slack shows it without blocks.
			b.log().ErrorContext(ctx, "cannot render a handover's blocks", "review", rv.ReviewID, "err", err)
			blocks = nil
		}
		return &storage.OutboxMessage{ShopID: shop.ID, Kind: handoverKind, Channel: previous, Text: m.Text, Blocks: string(blocks)}
	}
}

// handoverDoc is the direct message to the previous owner of a review
// that by gave to owner (by == owner: they claimed it): who, which review
// of which shop, and the review as it stands now.
func handoverDoc(shop *storage.Shop, rv *storage.Review, owner, by string, now time.Time) *doc {
	l := langOf(shop)
	var head line
	if by == owner {
		head = sentence(l, "handover.claimed", mentionOf(owner), bold(rv.ReviewID), shop.Name, shop.ID)
	} else {
		head = sentence(l, "handover.assigned", mentionOf(by), bold(rv.ReviewID), shop.Name, shop.ID, mentionOf(owner))
	}
	after := *rv
	after.Owner = owner
	return &doc{lang: l, title: l.t("handover.title", rv.ReviewID), sections: []section{{lines: []line{head, reviewLine(l, &after, now, true)}}}}
}

// done is `done REVIEW OUTCOME [note]`: the follow-up is closed.
func (b *Bot) done(ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	rv, shop, err := b.findReview(ctx, shop, c.Review, req)
	if err != nil {
		return nil, err
	}
	l := langOf(shop)
	if err := b.Store.CloseReview(ctx, rv.ID, c.Outcome, b.change(req, c.Note)); err != nil {
		return nil, onCodeSay(err, storage.ECONFLICT, alreadyClosed(l, rv))
	}
	b.log().InfoContext(ctx, "review closed", "shop", rv.ShopID, "review", rv.ReviewID, "outcome", c.Outcome, "by", req.User)
	return reply(l, line{txt(l.t("done.ok", rv.ReviewID, l.t("outcome."+c.Outcome)))}), nil
}

// alreadyClosed is the refusal to close a closed review, saying how it
// was closed.
func alreadyClosed(l lang, rv *storage.Review) *sentenceError {
	return &sentenceError{lang: l, say: func(l lang) string {
		return l.t("done.already", rv.ReviewID, l.t("outcome."+rv.Outcome))
	}}
}

// reopen is `reopen REVIEW [note]`: a closed follow-up is open again.
func (b *Bot) reopen(ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	rv, shop, err := b.findReview(ctx, shop, c.Review, req)
	if err != nil {
		return nil, err
	}
	l := langOf(shop)
	if err := b.Store.ReopenReview(ctx, rv.ID, b.change(req, c.Note)); err != nil {
		return nil, onCode(err, storage.ECONFLICT, l.t("reopen.open", rv.ReviewID))
	}
	b.log().InfoContext(ctx, "review reopened", "shop", rv.ShopID, "review", rv.ReviewID, "by", req.User)
	return reply(l, line{txt(l.t("reopen.ok", rv.ReviewID))}), nil
}

// status is `status REVIEW`: the review, its follow-up and its history.
func (b *Bot) status(ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	rv, shop, err := b.lookupReview(ctx, shop, c.Review, req)
	if err != nil {
		return nil, err
	}
	l := langOf(shop)
	history, err := b.Store.ReviewHistory(ctx, rv.ID)
	if err != nil {
		return nil, err
	}
	now := b.now()
	d := &doc{lang: l, title: l.t("status.title", rv.ReviewID, shop.ID)}
	head := section{lines: []line{reviewLine(l, rv, now, false), {txt("“" + rv.Content + "”")}}}
	if rv.Bad() && rv.Status == storage.StatusOpen {
		due := rv.Due(shop)
		head.lines = append(head.lines, line{txt(dueLine(l, now, due))})
		head.actions = []*actions{reviewActions(l, rv, "open", "msg"), nil, nil}
	}
	d.sections = append(d.sections, head)
	hist := section{heading: l.t("status.history")}
	if len(history) == 0 {
		hist.lines = append(hist.lines, line{txt(l.t("status.nohistory"))})
	}
	for _, ev := range history {
		hist.lines = append(hist.lines, historyLine(l, shop.Location(), ev))
	}
	d.sections = append(d.sections, hist)
	return d, nil
}

// historyLine is one change of a follow-up: when, who, what, and to whom
// or with which outcome and note, in the reader's language. Storage keeps
// the action and a closing's outcome as keys ("closed", "refund: called
// back"); only the note is the person's own words.
func historyLine(l lang, loc *time.Location, ev storage.ReviewEvent) line {
	action := ev.Action
	if _, ok := catalog["event."+action]; ok {
		action = l.t("event." + action)
	}
	ln := line{txt(ev.At.In(loc).Format("01-02 15:04") + " · "), mentionOf(ev.Actor), txt(" · " + action)}
	if ev.Detail == "" {
		return ln
	}
	switch ev.Action {
	case "assigned", "auto-assigned":
		return append(ln, txt(" → "), mentionOf(ev.Detail))
	case "closed":
		outcome, note, _ := strings.Cut(ev.Detail, ": ")
		if isOutcome(outcome) {
			if note == "" {
				return append(ln, txt(l.t("history.note", l.t("outcome."+outcome))))
			}
			return append(ln, txt(l.t("history.closed", l.t("outcome."+outcome), truncateRunes(note, maxEcho))))
		}
	}
	// A note is what a person typed: quoted, like any echo.
	return append(ln, txt(l.t("history.note", truncateRunes(ev.Detail, maxEcho))))
}

// dueLine says when an open follow-up is due, or how overdue it is.
func dueLine(l lang, now, due time.Time) string {
	if due.After(now) {
		return l.t("followup.due", compact(l, due.Sub(now)))
	}
	return l.t("followup.overdue", compact(l, now.Sub(due)))
}

// owner is `/dsr owner ASPECT @user` (or `owner default @a @b` for a
// rota): who follows up a shop's bad reviews of an aspect. With no aspect
// it lists the rules.
func (b *Bot) owner(ctx context.Context, shop *storage.Shop, c Command, req Request) (*doc, error) {
	l := b.langFor(shop, req)
	if shop == nil {
		return nil, &userError{l.t("owner.unbound")}
	}
	if c.Aspect != "" {
		if err := b.mayChange(shop, req); err != nil {
			return nil, err
		}
		if err := b.Store.SetOwner(ctx, shop.ID, c.Aspect, c.Users); err != nil {
			return nil, err
		}
		b.log().InfoContext(ctx, "owner set", "shop", shop.ID, "aspect", c.Aspect, "users", c.Users, "by", req.User)
	}
	rules, err := b.Store.Owners(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	d := &doc{lang: l, title: l.t("owner.title", shop.Name, shop.ID)}
	d.sections = []section{{lines: ownerLines(l, rules)}}
	d.footer = l.t("owner.footer")
	return d, nil
}

// ownerLines are a shop's routing rules, one aspect a line ("size →
// @alice"), or the sentence that there are none: `/dsr owner` and
// `/dsr settings` show them alike.
func ownerLines(l lang, rules []storage.ShopOwner) []line {
	var lines []line
	for _, r := range rules {
		ln := line{bold(aspectName(l, r.Aspect)), txt(" → ")}
		for i, u := range strings.Split(r.Users, ",") {
			if i > 0 {
				ln = append(ln, txt(l.t("list.sep")))
			}
			ln = append(ln, mentionOf(u))
		}
		lines = append(lines, ln)
	}
	if len(rules) == 0 {
		lines = append(lines, line{txt(l.t("owner.none"))})
	}
	return lines
}

// aspectName names an aspect key (or the default rota) for a reader.
func aspectName(l lang, a string) string {
	if a == storage.OwnerDefault {
		return l.t("owner.default")
	}
	return l.t("aspect." + a)
}

// bind is `/dsr bind SHOP`: the channel gets the shop's digests and warnings.
func (b *Bot) bind(ctx context.Context, shop *storage.Shop, req Request) (*doc, error) {
	l := langOf(shop)
	if req.Channel == "" {
		return reply(l, line{txt(l.t("bind.local", shop.ID))}), nil
	}
	if err := b.mayChange(shop, req); err != nil {
		return nil, err
	}
	s, err := b.Store.BindChannel(ctx, shop.ID, req.Channel, req.scope())
	if isCode(err, storage.EUNAUTHORIZED) {
		// The shop's owner changed since it was read (an admin's shop
		// set --team in between): the same rule, said the same way.
		if fresh, ferr := b.Store.FindShop(ctx, shop.ID); ferr == nil {
			if err := b.mayChange(fresh, req); err != nil {
				return nil, err
			}
		}
		return nil, &userError{l.t("err.team", shop.ID)}
	}
	if err != nil {
		return nil, onCode(err, storage.ECONFLICT, l.t("bind.taken"))
	}
	b.log().InfoContext(ctx, "channel bound", "shop", s.ID, "channel", req.Channel, "by", req.User)
	return reply(l, line{txt(l.t("bind.ok", s.Name+l.t("paren", s.ID)))}), nil
}

// reply is a short answer of one line.
func reply(l lang, ln line) *doc {
	return &doc{lang: l, sections: []section{{lines: []line{ln}}}}
}

// schedule is `/dsr schedule CRON` in a shop's channel: the digest's time.
func (b *Bot) schedule(ctx context.Context, shop *storage.Shop, spec string, req Request) (*doc, error) {
	l := b.langFor(shop, req)
	if shop == nil {
		return nil, &userError{l.t("schedule.unbound")}
	}
	if err := b.mayChange(shop, req); err != nil {
		return nil, err
	}
	sched, err := storage.ParseSchedule(spec)
	if err != nil {
		return nil, &userError{l.t("err.usage", usageIn(l, verbSchedule))}
	}
	s, err := b.Store.SetDigestCron(ctx, shop.ID, spec)
	if err != nil {
		return nil, err
	}
	b.log().InfoContext(ctx, "digest schedule changed", "shop", s.ID, "spec", spec, "by", req.User)
	next := sched.Next(b.now().In(s.Location()))
	return reply(l, line{txt(l.t("schedule.ok", s.ID, said(spec), s.TZ, next.Format("2006-01-02 15:04")))}), nil
}
