package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/storage"
)

// Action is a press of a review's Claim button or a pick in its Resolve
// select: it does what the mention would, then redraws the list it was in.
type Action struct {
	Verb    verb // verbAssign (claim) or verbDone (resolve)
	Shop    string
	Review  string
	Outcome string
	// Filter and Scope say which list to redraw: the reviews filter, and
	// whether it covered one shop ("shop") or all ("all"); "msg" redraws
	// nothing and answers with a line.
	Filter string
	Scope  string
	User   string
	// Channel and Team are where the button was pressed.
	Channel string
	Team    string
}

// Action IDs of the review buttons.
const (
	actionClaim   = "claim"
	actionResolve = "resolve"
)

// reviewActions is the actions block under an open review: which review,
// and what to redraw after a press, ride in the block ID. scope is "shop"
// or "all" for a review list (redrawn with filter), "msg" for a single
// review's message (answered with a line instead).
func reviewActions(l lang, rv *storage.Review, filter, scope string) *actions {
	claim := slack.NewButtonBlockElement(actionClaim, rv.ReviewID, plainTextObject(l.t("action.claim"), maxLabelText))
	var options []*slack.OptionBlockObject
	for _, o := range outcomes {
		options = append(options, slack.NewOptionBlockObject(o, plainTextObject(l.t("outcome."+o), maxLabelText), nil))
	}
	resolve := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainTextObject(l.t("action.resolve"), maxPlaceholderText), actionResolve, options...)
	return &actions{
		blockID:  strings.Join([]string{"review", rv.ShopID, rv.ReviewID, filter, scope}, "|"),
		elements: []slack.BlockElement{claim, resolve},
	}
}

// outcomes are the outcome keys in the order a person picks from.
var outcomes = storage.Outcomes

// ParseAction reads a review button press; ok is false for anything else.
func ParseAction(act *slack.BlockAction) (Action, bool) {
	parts := strings.Split(act.BlockID, "|")
	if len(parts) != 5 || parts[0] != "review" {
		return Action{}, false
	}
	a := Action{Shop: parts[1], Review: parts[2], Filter: parts[3], Scope: parts[4]}
	switch act.ActionID {
	case actionClaim:
		a.Verb = verbAssign
	case actionResolve:
		a.Verb = verbDone
		a.Outcome = act.SelectedOption.Value
		if !isOutcome(a.Outcome) {
			return Action{}, false
		}
	default:
		return Action{}, false
	}
	return a, true
}

func isOutcome(o string) bool {
	for _, k := range outcomes {
		if k == o {
			return true
		}
	}
	return false
}

// Act carries out a button press. On success it returns the redrawn list
// and replace = true, so the message the button was on shows the new state;
// on failure, a one-line explanation to show beside it.
func (b *Bot) Act(ctx context.Context, a Action) (Message, bool) {
	req := Request{User: a.User, Channel: a.Channel, Team: a.Team}
	shop, err := b.Store.FindShop(ctx, a.Shop)
	if err != nil {
		return b.failure(ctx, req, nil, err), false
	}
	// The shop is on the message the button was pressed on, so a refusal
	// may name it: the person sees it already (in a channel shared with
	// another workspace). Checked before anything else is looked up.
	if err := b.mayChange(shop, req); err != nil {
		return b.failure(ctx, req, shop, err), false
	}
	c := Command{Verb: a.Verb, Review: a.Review, User: a.User, Outcome: a.Outcome}
	var done *doc
	if a.Verb == verbAssign {
		done, err = b.assign(ctx, shop, c, req)
	} else {
		done, err = b.done(ctx, shop, c, req)
	}
	if err != nil {
		return b.failure(ctx, req, shop, err), false
	}
	if a.Scope == "msg" {
		return done.message(), false
	}
	var scope *storage.Shop
	if a.Scope == "shop" {
		scope = shop
	}
	d, err := b.reviews(ctx, scope, a.Filter, req)
	if err != nil {
		return b.failure(ctx, req, shop, err), false
	}
	return d.message(), true
}

// openActions are the buttons of a review in a posted message (a digest,
// an alert): only an open follow-up has them, and a press answers with a
// line rather than redrawing the message.
func openActions(l lang, rv *storage.Review) *actions {
	if rv.Status != storage.StatusOpen {
		return nil
	}
	return reviewActions(l, rv, "open", "msg")
}
