package bot

import (
	"context"
	"hash/fnv"
	"strconv"

	"github.com/dsrbot/dsrbot/storage"
)

// Action IDs of the review actions added for the Slack-native surfaces.
const (
	// actionResolveForm is the Resolve button that opens the resolve form.
	actionResolveForm = "resolve_form"
	// actionReassign is the user picker that gives the review to another.
	actionReassign = "reassign"
)

// OpensForm reports whether the action asks for the resolve form rather
// than a change: the transport opens ResolveForm with the press's trigger.
func (a Action) OpensForm() bool { return a.Verb == verbDone && a.Outcome == "" }

// FromHome reports whether the action was pressed on the App Home, which
// the transport publishes again after it.
func (a Action) FromHome() bool { return a.Scope == "home" }

// InPlace reports whether the message the action came from shows the
// review on its own line (a digest, an alert, a status), so the transport
// updates that line in place (Redraw) rather than redrawing a list.
func (a Action) InPlace() bool { return a.Scope == "msg" }

// InModal reports whether the action was pressed in the shortcut's modal,
// which the transport updates after it (ReviewViewWithNotice).
func (a Action) InModal() bool { return a.Scope == "view" }

// reviewVersion is a review's follow-up state as a short token, carried in
// the block ID of its actions: an action whose token differs from the
// review's now was drawn before someone else changed it, and is refused
// rather than acting on what the person did not see.
//
// Status and owner alone miss a round trip: a review closed and reopened
// to the same owner is open and theirs again, and a press drawn before
// would act on a follow-up that has since been closed once. A reopening
// sets opened_at (a new deadline) and a closing sets closed_at, so both
// are in: every change of state since the drawing changes the token. The
// times are whole seconds, as storage keeps them, so the token drawn from
// one read is the token of the next; two openings within one second are
// the one change it cannot tell apart.
func reviewVersion(rv *storage.Review) string {
	h := fnv.New32a()
	closed := int64(0)
	if rv.ClosedAt != nil {
		closed = rv.ClosedAt.Unix()
	}
	h.Write([]byte(rv.Status + "\x00" + rv.Owner + "\x00" + strconv.FormatInt(rv.OpenedAt.Unix(), 10) + "\x00" + strconv.FormatInt(closed, 10)))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// Result is what a press did: the answer to show, whether it replaces the
// message it came from (a redrawn list), whether the review changed, and
// whether it was refused as stale.
type Result struct {
	Message Message
	Replace bool
	Changed bool
	Stale   bool
	// Notice is the refusal or failure of an action from the App Home, as
	// the one sentence explain gives, in the Home's language: the Home is
	// published again with it at its top (HomeWithNotice), since a Home
	// action has no message to answer beside. The same for an action in
	// the shortcut's modal, in the shop's language (ReviewViewWithNotice).
	// Empty when the action was carried out, and for actions from
	// anywhere else.
	Notice string
	// Told is the one sentence of what was done (the review is now the
	// new owner's, mentioning them), for the transport to post in the
	// message's thread after a reassignment. It is apart from Message
	// because, for a list, Message is the whole redrawn list, which
	// replaces the list: posted in the thread too, it would show the
	// list twice and mention every listed owner again. Nil when nothing
	// was done.
	Told *Message
}

// refuse is the answer to an action refused or failed: explain's sentence
// in the shop's language beside a message; for an action from the App
// Home, the same sentence in the Home's language (the workspace's), as its
// Notice.
func (b *Bot) refuse(ctx context.Context, req Request, shop *storage.Shop, a Action, err error) Result {
	switch {
	case a.FromHome():
		l := b.replyLang(req)
		text := b.explainIn(ctx, l, req, err)
		return Result{Message: reply(l, line{txt(text)}).message(), Notice: text}
	case a.InModal():
		// The shortcut's modal has no message to answer beside either;
		// it is in the shop's language, as the modal is.
		l := b.langFor(shop, req)
		text := b.explainIn(ctx, l, req, err)
		return Result{Message: reply(l, line{txt(text)}).message(), Notice: text}
	}
	return Result{Message: b.failure(ctx, req, shop, err)}
}

// staleError is the refusal of a press drawn before the review changed.
func staleError(l lang, rv *storage.Review) error {
	return sayIn(l, "action.stale", rv.ReviewID)
}

// Perform carries out a review action from any surface: a message's
// buttons, the App Home, the resolve form, the shortcut's modal. It
// re-checks, before anything else, that the presser's workspace owns the
// shop, then that the review is as the message showed it.
func (b *Bot) Perform(ctx context.Context, a Action) Result {
	req := Request{User: a.User, Channel: a.Channel, Team: a.Team}
	shop, err := b.Store.FindShop(ctx, a.Shop)
	if err != nil {
		return b.refuse(ctx, req, nil, a, err)
	}
	// The shop is on the message the button was pressed on, so a refusal
	// may name it: the person sees it already (in a channel shared with
	// another workspace). Checked before anything else is looked up.
	if err := b.mayChange(shop, req); err != nil {
		return b.refuse(ctx, req, shop, a, err)
	}
	if a.Version != "" {
		rv, err := b.Store.FindReviewIn(ctx, req.scope(), shop.ID, a.Review)
		if err != nil {
			return b.refuse(ctx, req, shop, a, err)
		}
		if reviewVersion(rv) != a.Version {
			b.log().InfoContext(ctx, "refused an action on a review changed since it was drawn", "shop", shop.ID, "review", rv.ReviewID, "by", a.User)
			r := b.refuse(ctx, req, shop, a, staleError(langOf(shop), rv))
			r.Stale = true
			return r
		}
	}
	if a.OpensForm() {
		return b.refuse(ctx, req, shop, a, sayIn(langOf(shop), "err.outcome.none"))
	}
	user := a.User
	if a.Assignee != "" {
		user = a.Assignee
	}
	c := Command{Verb: a.Verb, Review: a.Review, User: user, Outcome: a.Outcome, Note: a.Note}
	var done *doc
	if a.Verb == verbAssign {
		done, err = b.assign(ctx, shop, c, req)
	} else {
		done, err = b.done(ctx, shop, c, req)
	}
	if err != nil {
		return b.refuse(ctx, req, shop, a, err)
	}
	told := done.message()
	if a.Scope != "shop" && a.Scope != "all" {
		return Result{Message: told, Changed: true, Told: &told}
	}
	var scope *storage.Shop
	if a.Scope == "shop" {
		scope = shop
	}
	d, err := b.reviews(ctx, scope, a.Filter, req)
	if err != nil {
		r := b.refuse(ctx, req, shop, a, err)
		r.Changed, r.Told = true, &told
		return r
	}
	return Result{Message: d.message(), Replace: true, Changed: true, Told: &told}
}
