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
	// Assignee is the person picked in the Reassign user picker; empty
	// for Claim, which assigns the review to User.
	Assignee string
	// Note is the resolve form's note (with the amount, for compensation).
	Note string
	// Version is the review's state when the message was drawn
	// (reviewVersion); empty on messages drawn before it was carried,
	// which are acted on as before, unchecked.
	Version string
}

// Action IDs of the review buttons.
const (
	actionClaim   = "claim"
	actionResolve = "resolve"
)

// reviewActions is the actions block under an open review: which review,
// what to redraw after a press, and the review's state when drawn
// (reviewVersion) ride in the block ID. scope is "shop" or "all" for a
// review list (redrawn with filter), "msg" for a single review's message
// (updated in place), "home" for the App Home (published again), "view"
// for the shortcut's modal (updated again).
//
// Resolve is a button that opens the resolve form (a modal with the
// outcome, a note and an amount), except in the shortcut's modal, where a
// form cannot open over the form and the outcome select of older messages
// resolves at once. Reassign is a user picker; Home has none, since what
// is on it is the reader's own.
func reviewActions(l lang, rv *storage.Review, filter, scope string) *actions {
	claim := slack.NewButtonBlockElement(actionClaim, rv.ReviewID, plainTextObject(l.t("action.claim"), maxLabelText))
	elements := []slack.BlockElement{claim}
	if scope == "view" {
		elements = append(elements, resolveSelect(l))
	} else {
		elements = append(elements, slack.NewButtonBlockElement(actionResolveForm, rv.ReviewID, plainTextObject(l.t("action.resolve"), maxLabelText)))
	}
	if scope != "home" {
		pick := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plainTextObject(l.t("action.reassign"), maxPlaceholderText), actionReassign)
		elements = append(elements, pick)
	}
	return &actions{
		blockID:  strings.Join([]string{"review", rv.ShopID, rv.ReviewID, filter, scope, reviewVersion(rv)}, "|"),
		elements: elements,
	}
}

// resolveSelect is the outcome select that resolves a review at once: the
// Resolve of messages drawn before the resolve form, still answered.
func resolveSelect(l lang) *slack.SelectBlockElement {
	var options []*slack.OptionBlockObject
	for _, o := range outcomes {
		options = append(options, slack.NewOptionBlockObject(o, plainTextObject(l.t("outcome."+o), maxLabelText), nil))
	}
	return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainTextObject(l.t("action.resolve"), maxPlaceholderText), actionResolve, options...)
}

// outcomes are the outcome keys in the order a person picks from.
var outcomes = storage.Outcomes

// ParseAction reads a review button press; ok is false for anything else.
func ParseAction(act *slack.BlockAction) (Action, bool) {
	parts := strings.Split(act.BlockID, "|")
	if len(parts) < 5 || len(parts) > 6 || parts[0] != "review" {
		return Action{}, false
	}
	a := Action{Shop: parts[1], Review: parts[2], Filter: parts[3], Scope: parts[4]}
	if len(parts) == 6 {
		a.Version = parts[5]
	}
	switch act.ActionID {
	case actionClaim:
		a.Verb = verbAssign
	case actionReassign:
		a.Verb = verbAssign
		a.Assignee = act.SelectedUser
		if !storage.IsSlackUserID(a.Assignee) {
			return Action{}, false
		}
	case actionResolveForm:
		// Opens the form; the transport asks ResolveForm for it.
		a.Verb = verbDone
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
	r := b.Perform(ctx, a)
	return r.Message, r.Replace
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
