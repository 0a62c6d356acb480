package bot

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/text/width"

	"github.com/dsrbot/dsrbot/storage"
)

// Callback IDs of the views and the shortcut dsrbot answers.
const (
	// ResolveCallback is the resolve form's callback_id: its submission
	// comes back as a view_submission carrying it.
	ResolveCallback = "dsr_resolve"
	// ReviewCallback is the shortcut's modal, showing one review.
	ReviewCallback = "dsr_review"
	// FollowUpShortcut is the callback_id of the message shortcut "Follow
	// up this review", as the app manifest declares it.
	FollowUpShortcut = "dsr_follow_up"
)

// Block and action IDs of the resolve form's inputs; a field error is
// answered under the block ID.
const (
	formOutcome = "outcome"
	formAmount  = "amount"
	formNote    = "note"
)

// Back is where the result of a form goes once it is submitted: the
// message the Resolve was pressed on (its channel and ts, its thread, and
// the response_url of the press, for an ephemeral message that only that
// reaches), or the App Home. The form carries it in its private_metadata,
// since a view_submission says nothing of the message it started from.
type Back struct {
	Channel     string `json:"c,omitempty"`
	TS          string `json:"ts,omitempty"`
	Thread      string `json:"th,omitempty"`
	ResponseURL string `json:"u,omitempty"`
	Ephemeral   bool   `json:"e,omitempty"`
	// Drawn is the message as the press of Resolve carried it (its text
	// and blocks, packed by the transport), for a direct message: the
	// submission redraws the review's line in it from this copy, since
	// reading a DM back needs im:history, which the app does not ask for.
	// A channel's message is read back instead (channels:history), which
	// also keeps what other presses redrew in it meanwhile. Dropped when
	// it would not fit in the form's private_metadata.
	Drawn string `json:"d,omitempty"`
}

// maxPrivateMetadata is Slack's limit on a view's private_metadata.
const maxPrivateMetadata = 3000

// formState is the form's private_metadata: the action it completes, the
// language its errors are in (so a submission is checked without a query,
// well inside Slack's 3 seconds), and where the result goes.
type formState struct {
	Shop    string `json:"s"`
	Review  string `json:"r"`
	Version string `json:"v,omitempty"`
	Filter  string `json:"f"`
	Scope   string `json:"sc"`
	Lang    string `json:"l"`
	Back    Back   `json:"b"`
}

// ResolveForm is the resolve form of a press of Resolve: the review, then
// an outcome, an amount (for compensation) and a note. It is in the shop's
// language. A press the presser may not act on (another workspace's shop,
// a review changed since it was drawn, a closed one) gets the refusal
// instead (Perform's kind of Result, Stale when the press was), to show
// beside the message, or on the App Home as its notice.
func (b *Bot) ResolveForm(ctx context.Context, a Action, back Back) (*slack.ModalViewRequest, *Result) {
	shop, rv, refusal := b.resolvable(ctx, a)
	if refusal != nil {
		return nil, refusal
	}
	l := langOf(shop)
	st := formState{Shop: shop.ID, Review: rv.ReviewID, Version: reviewVersion(rv), Filter: a.Filter, Scope: a.Scope, Lang: langCode(l), Back: back}
	return resolveForm(l, rv, b.now(), st), nil
}

// resolvable is the shop and review a press of Resolve is on, or its
// refusal (ResolveForm says which).
func (b *Bot) resolvable(ctx context.Context, a Action) (*storage.Shop, *storage.Review, *Result) {
	req := Request{User: a.User, Channel: a.Channel, Team: a.Team}
	refuse := func(shop *storage.Shop, err error) (*storage.Shop, *storage.Review, *Result) {
		r := b.refuse(ctx, req, shop, a, err)
		r.Stale = true
		return nil, nil, &r
	}
	shop, err := b.Store.FindShop(ctx, a.Shop)
	if err != nil {
		return refuse(nil, err)
	}
	if err := b.mayChange(shop, req); err != nil {
		return refuse(shop, err)
	}
	rv, found, err := b.findReview(ctx, shop, a.Review, req)
	if err != nil {
		return refuse(shop, err)
	}
	shop = found
	l := langOf(shop)
	if a.Version != "" && reviewVersion(rv) != a.Version {
		return refuse(shop, staleError(l, rv))
	}
	if rv.Status != storage.StatusOpen {
		return refuse(shop, alreadyClosed(l, rv))
	}
	return shop, rv, nil
}

// ResolveSelect answers a press of Resolve where no form can open: the
// transport has no Web API client for views (no bot token), so the
// press is answered through its response_url with the review's line and
// the outcome select of older messages, which resolves at once (Perform)
// and is answered through its own response_url. The select carries the
// pressed actions' block ID (the list to redraw, the review's version),
// so a pick acts as a pick on the message itself would. A press that may
// not act gets ResolveForm's refusal. Replace is false: the picker is a
// message of its own beside the one pressed.
func (b *Bot) ResolveSelect(ctx context.Context, a Action) Result {
	shop, rv, refusal := b.resolvable(ctx, a)
	if refusal != nil {
		return *refusal
	}
	l := langOf(shop)
	act := &actions{
		blockID:  strings.Join([]string{"review", rv.ShopID, rv.ReviewID, a.Filter, a.Scope, reviewVersion(rv)}, "|"),
		elements: []slack.BlockElement{resolveSelect(l)},
	}
	d := &doc{lang: l, sections: []section{{lines: []line{reviewLine(l, rv, b.now(), true)}, actions: []*actions{act}}}}
	return Result{Message: d.message()}
}

// resolveForm renders the form: the review's line, then the inputs.
func resolveForm(l lang, rv *storage.Review, now time.Time, st formState) *slack.ModalViewRequest {
	meta, _ := json.Marshal(st)
	if len(meta) > maxPrivateMetadata && st.Back.Drawn != "" {
		// Without the copy the form still resolves; only the DM's line
		// is not redrawn.
		st.Back.Drawn = ""
		meta, _ = json.Marshal(st)
	}
	var options []*slack.OptionBlockObject
	for _, o := range outcomes {
		options = append(options, slack.NewOptionBlockObject(o, plainTextObject(l.t("outcome."+o), maxLabelText), nil))
	}
	outcome := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainTextObject(l.t("form.outcome.pick"), maxPlaceholderText), formOutcome, options...)
	amount := slack.NewPlainTextInputBlockElement(plainTextObject(l.t("form.amount.placeholder"), maxPlaceholderText), formAmount)
	amount.MaxLength = 12
	note := slack.NewPlainTextInputBlockElement(nil, formNote)
	note.Multiline = true
	note.MaxLength = maxEcho
	amountBlock := slack.NewInputBlock(formAmount, plainTextObject(l.t("form.amount"), 2000), plainTextObject(l.t("form.amount.hint"), 2000), amount)
	amountBlock.Optional = true
	noteBlock := slack.NewInputBlock(formNote, plainTextObject(l.t("form.note"), 2000), plainTextObject(l.t("form.note.hint"), 2000), note)
	noteBlock.Optional = true
	return &slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      ResolveCallback,
		Title:           plainTextObject(l.t("form.title", rv.ReviewID), maxViewTitle),
		Submit:          plainTextObject(l.t("form.submit"), maxViewTitle),
		Close:           plainTextObject(l.t("form.close"), maxViewTitle),
		PrivateMetadata: string(meta),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(mrkdwnObject(truncateRunes(reviewLine(l, rv, now, true).render(forBlocks), maxSectionText)), nil, nil),
			slack.NewInputBlock(formOutcome, plainTextObject(l.t("form.outcome"), 2000), nil, outcome),
			amountBlock,
			noteBlock,
		}},
	}
}

// maxViewTitle is Slack's limit on a view's title, submit and close.
const maxViewTitle = 24

// Submission is a submitted resolve form, checked: the action it
// completes and where its result goes, or the errors to answer under each
// field (Errors non-empty), which Slack shows in the form.
type Submission struct {
	Action Action
	Back   Back
	Errors map[string]string
}

// CheckResolve reads and checks a submitted resolve form (a
// view_submission's private_metadata and state values), without a query,
// so that the answer, errors or not, is back within Slack's 3 seconds. An
// outcome is needed; compensation needs an amount, in yuan with at most two
// decimals; "no action" needs a note that says why. The amount is recorded
// at the head of the note ("¥12.50 called back"), which history and the
// digest already show: a review has no amount field, and one outcome's
// amount does not earn a column.
func CheckResolve(meta string, values map[string]map[string]slack.BlockAction) (Submission, error) {
	var st formState
	if err := json.Unmarshal([]byte(meta), &st); err != nil || st.Shop == "" || st.Review == "" {
		return Submission{}, errors.New("a resolve form without its review")
	}
	l, _ := parseLang(st.Lang)
	outcome := values[formOutcome][formOutcome].SelectedOption.Value
	amountText := strings.TrimSpace(values[formAmount][formAmount].Value)
	note := strings.TrimSpace(values[formNote][formNote].Value)
	errs := map[string]string{}
	if !isOutcome(outcome) {
		errs[formOutcome] = l.t("form.err.outcome")
	}
	var amount string
	if amountText != "" || outcome == "compensate" {
		var ok bool
		if amount, ok = parseYuan(amountText); !ok {
			errs[formAmount] = l.t("form.err.amount")
		}
	}
	if outcome == "no_action" && note == "" {
		errs[formNote] = l.t("form.err.note")
	}
	if amount != "" {
		note = strings.TrimSpace("¥" + amount + " " + note)
	}
	s := Submission{
		Action: Action{Verb: verbDone, Shop: st.Shop, Review: st.Review, Outcome: outcome, Note: note, Filter: st.Filter, Scope: st.Scope, Version: st.Version},
		Back:   st.Back,
	}
	if len(errs) > 0 {
		s.Errors = errs
	}
	return s, nil
}

// parseYuan reads an amount of money as people type it ("20", "12.5",
// "¥12.50", "１２元"): more than zero, at most two decimals, under a
// million. It returns the amount written with two decimals.
func parseYuan(s string) (string, bool) {
	s = width.Fold.String(strings.TrimSpace(s))
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(s, "¥"), "￥"), "元")
	if !yuanPattern.MatchString(s) {
		return "", false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || v >= 1e6 {
		return "", false
	}
	return strconv.FormatFloat(v, 'f', 2, 64), true
}

var yuanPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]{1,2})?$`)

// reviewIDPattern is a word that may be a review ID: letters, digits,
// dashes and underscores with at least one digit, optionally after its
// shop ("dy-kids/R100").
var reviewIDPattern = regexp.MustCompile(`[A-Za-z0-9_-]*[0-9][A-Za-z0-9_-]*(/[A-Za-z0-9_-]*[0-9][A-Za-z0-9_-]*)?`)

// maxShortcutWords bounds the words of a message the shortcut looks up.
const maxShortcutWords = 20

// FollowUp answers the message shortcut "Follow up this review" on a
// message: a modal showing the first review the message names that the
// presser's workspace sees, with its Claim and Resolve; or, when it names
// none, a line saying so. The language is the review's shop's, else the
// workspace's.
func (b *Bot) FollowUp(ctx context.Context, text string, req Request) (*slack.ModalViewRequest, *Message) {
	if req.Team == "" {
		m := b.failure(ctx, req, nil, &userError{b.replyLang(req).t("err.noteam")})
		return nil, &m
	}
	seen := map[string]bool{}
	for _, word := range reviewIDPattern.FindAllString(text, -1) {
		if len(seen) == maxShortcutWords {
			break
		}
		if seen[word] {
			continue
		}
		seen[word] = true
		shopID, id, ok := strings.Cut(word, "/")
		if !ok {
			shopID, id = "", word
		}
		rv, err := b.Store.FindReviewIn(ctx, req.scope(), shopID, id)
		if err != nil || !rv.Bad() {
			continue
		}
		shop, err := b.Store.FindShop(ctx, rv.ShopID)
		if err != nil {
			m := b.failure(ctx, req, nil, err)
			return nil, &m
		}
		v, err := b.reviewView(ctx, shop, rv, req)
		if err != nil {
			m := b.failure(ctx, req, shop, err)
			return nil, &m
		}
		return v, nil
	}
	l := b.replyLang(req)
	m := reply(l, line{txt(l.t("follow.none"))}).message()
	return nil, &m
}

// ReviewView is the shortcut's modal redrawn after an action in it.
func (b *Bot) ReviewView(ctx context.Context, a Action) (*slack.ModalViewRequest, error) {
	return b.ReviewViewWithNotice(ctx, a, "")
}

// ReviewViewWithNotice is the shortcut's modal redrawn after an action in
// it, with notice (Result.Notice: why the action was refused or failed) at
// its top, under the title: a press in the modal has no message to answer
// beside, so without it a refused press would only redraw the modal. When
// the review cannot be drawn (its shop gone, or not the presser's
// workspace's), a notice is shown alone rather than not at all.
func (b *Bot) ReviewViewWithNotice(ctx context.Context, a Action, notice string) (*slack.ModalViewRequest, error) {
	req := Request{User: a.User, Team: a.Team}
	var shop *storage.Shop
	v, err := func() (*slack.ModalViewRequest, error) {
		var err error
		if shop, err = b.Store.FindShop(ctx, a.Shop); err != nil {
			shop = nil
			return nil, err
		}
		if err := b.mayChange(shop, req); err != nil {
			shop = nil
			return nil, err
		}
		rv, err := b.Store.FindReviewIn(ctx, req.scope(), shop.ID, a.Review)
		if err != nil {
			return nil, err
		}
		return b.reviewView(ctx, shop, rv, req)
	}()
	if notice == "" {
		return v, err
	}
	l := b.langFor(shop, req)
	top := (&doc{lang: l, sections: []section{{lines: []line{{txt(notice)}}}}}).blocks()
	if err != nil {
		b.log().WarnContext(ctx, "cannot redraw the review's modal under a notice", "shop", a.Shop, "review", a.Review, "err", err)
		return &slack.ModalViewRequest{
			Type:       slack.VTModal,
			CallbackID: ReviewCallback,
			Title:      plainTextObject(l.t("follow.title"), maxViewTitle),
			Close:      plainTextObject(l.t("form.done"), maxViewTitle),
			Blocks:     slack.Blocks{BlockSet: top},
		}, nil
	}
	// After the header, before the review: first, so no cut takes it.
	set := v.Blocks.BlockSet
	v.Blocks.BlockSet = append(append(append([]slack.Block{}, set[:1]...), top...), set[1:]...)
	return v, nil
}

// reviewView is one review as `/dsr status` shows it, in a modal, with
// Claim and the outcome select (a form does not open over a form).
func (b *Bot) reviewView(ctx context.Context, shop *storage.Shop, rv *storage.Review, req Request) (*slack.ModalViewRequest, error) {
	d, err := b.status(ctx, shop, Command{Review: rv.ReviewID}, req)
	if err != nil {
		return nil, err
	}
	l := langOf(shop)
	if len(d.sections) > 0 && len(d.sections[0].actions) > 0 && d.sections[0].actions[0] != nil {
		d.sections[0].actions[0] = reviewActions(l, rv, "open", "view")
	}
	title := d.title
	d.title = ""
	return &slack.ModalViewRequest{
		Type:       slack.VTModal,
		CallbackID: ReviewCallback,
		Title:      plainTextObject(l.t("follow.title"), maxViewTitle),
		Close:      plainTextObject(l.t("form.done"), maxViewTitle),
		Blocks:     slack.Blocks{BlockSet: append([]slack.Block{slack.NewHeaderBlock(plainTextObject(title, maxHeaderText))}, d.blocks()...)},
	}, nil
}
