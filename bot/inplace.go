package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/dsrbot/dsrbot/storage"
)

// Redraw is a posted message that shows a review (a digest, an alert, a
// reminder, a status), with that review's line and actions drawn as the
// review is now: the owner on its line, new actions carrying its new
// version while it is open, and once closed, in place of the actions, who
// closed it and how. Everything else of the message is kept as Slack gave
// it back, so a digest's other lines are untouched. ok is false when the
// message has no actions of the review (nothing to redraw).
//
// The transport sends the result with chat.update to the message's channel
// and ts, so a channel never shows "unassigned" for a review someone owns.
func (b *Bot) Redraw(ctx context.Context, a Action, blocks []slack.Block) ([]slack.Block, bool) {
	prefix := "review|" + a.Shop + "|" + a.Review + "|"
	state := "reviewstate|" + a.Shop + "|" + a.Review
	// at is the review's actions block, or where an earlier redraw put
	// what replaced them (a closed review's state, which a reopening
	// turns back into actions).
	at, drop := -1, 1
	var kept []slack.Block
	for _, bl := range blocks {
		bl = asSent(bl)
		switch {
		case bl.ID() == state && at < 0:
			at, drop = len(kept), 0
			continue
		case bl.ID() == state:
			continue
		case strings.HasPrefix(bl.ID(), prefix) && bl.BlockType() == slack.MBTAction:
			at, drop = len(kept), 1
		}
		kept = append(kept, bl)
	}
	if at < 0 {
		return nil, false
	}
	req := Request{User: a.User, Team: a.Team}
	shop, err := b.Store.FindShop(ctx, a.Shop)
	if err != nil || req.scope().Allows(shop) != nil {
		return nil, false
	}
	rv, err := b.Store.FindReviewIn(ctx, req.scope(), shop.ID, a.Review)
	if err != nil {
		b.log().WarnContext(ctx, "cannot redraw a review's message", "shop", a.Shop, "review", a.Review, "err", err)
		return nil, false
	}
	l := langOf(shop)
	now := b.now()
	if at > 0 {
		if s, ok := kept[at-1].(*slack.SectionBlock); ok && s.Text != nil && strings.HasPrefix(s.Text.Text, "*"+escape(rv.ReviewID)+"*") {
			withText := strings.Contains(s.Text.Text, "“")
			kept[at-1] = slack.NewSectionBlock(mrkdwnObject(truncateRunes(reviewLine(l, rv, now, withText).render(forBlocks), maxSectionText)), nil, nil, slack.SectionBlockOptionBlockID(s.BlockID))
		}
	}
	var swap []slack.Block
	if rv.Status == storage.StatusOpen {
		act := reviewActions(l, rv, a.Filter, a.Scope)
		swap = []slack.Block{slack.NewActionBlock(act.blockID, act.elements...)}
	} else {
		who, note := b.closedBy(ctx, rv)
		ln := closedLine(l, rv, who, note)
		swap = []slack.Block{slack.NewContextBlock(state, mrkdwnObject(ln.render(forBlocks)))}
	}
	out := append(append(append([]slack.Block{}, kept[:at]...), swap...), kept[at+drop:]...)
	if len(out) > maxBlocks {
		return nil, false
	}
	return out, true
}

// closedBy is who closed a review last and the note they gave, from its
// history: the review keeps its outcome and note, not who closed it. who
// is "" when the history cannot say (it failed to read, or holds no
// closing).
func (b *Bot) closedBy(ctx context.Context, rv *storage.Review) (who, note string) {
	history, err := b.Store.ReviewHistory(ctx, rv.ID)
	if err != nil {
		b.log().WarnContext(ctx, "cannot read a review's history to say who closed it", "review", rv.ReviewID, "err", err)
		return "", rv.Note
	}
	for i := len(history) - 1; i >= 0; i-- {
		if ev := history[i]; ev.Action == "closed" {
			_, note, _ := strings.Cut(ev.Detail, ": ")
			return ev.Actor, note
		}
	}
	return "", rv.Note
}

// closedLine is the line that takes a closed review's buttons' place: who
// closed it (when the history says), the outcome and the note.
func closedLine(l lang, rv *storage.Review, who, note string) line {
	outcome := l.t("outcome." + rv.Outcome)
	switch {
	case who == "" && note == "":
		return sentence(l, "inplace.closed.anon", outcome)
	case who == "":
		return sentence(l, "inplace.closed.anon.note", outcome, truncateRunes(note, maxEcho))
	case note == "":
		return sentence(l, "inplace.closed", mentionOf(who), outcome)
	}
	return sentence(l, "inplace.closed.note", mentionOf(who), outcome, truncateRunes(note, maxEcho))
}

// asSent is a block as the app sent it, from the block as Slack gives it
// back. Slack returns an image of an uploaded file (the digest's chart,
// slack_file {id}) with image_url filled in beside slack_file, and refuses
// that same block in chat.update (invalid_blocks: an image names its
// picture one way). So such a block goes back naming the file only, by
// its ID when it has one. Any other block is returned as it is.
func asSent(bl slack.Block) slack.Block {
	img, ok := bl.(*slack.ImageBlock)
	if !ok || img.SlackFile == nil || (img.SlackFile.ID == "" && img.SlackFile.URL == "") {
		return bl
	}
	out := *img
	file := *img.SlackFile
	if file.ID != "" {
		file.URL = ""
	}
	out.SlackFile, out.ImageURL = &file, ""
	return &out
}
