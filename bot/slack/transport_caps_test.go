package slack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dsrbot/dsrbot/storage"
)

// TestTransportLongSlashTextIsQuotedCut: a 100 KB slash command is quoted
// back cut, the same in the answer's text and in its block, not whole in
// the text beside a block that says "and 1 more".
func TestTransportLongSlashTextIsQuotedCut(t *testing.T) {
	e := trNewEnv(t)
	big := strings.Repeat("x", 100_000)
	for _, text := range []string{big, "today " + big, "status " + big} {
		r := e.slash(text, trAlice, "C1", e.fake.ResponseURL("big"))
		if n := utf8.RuneCountInString(r.Text); n > 500 {
			t.Errorf("%.20s…: a %d-character answer", text, n)
		}
		if len(r.Blocks) != 1 {
			t.Fatalf("%.20s…: %d blocks, want 1", text, len(r.Blocks))
		}
		block := trStrings(r.Blocks[0])
		if strings.Contains(block, "more") || !strings.Contains(block, strings.TrimSuffix(r.Text, "\n")) {
			t.Errorf("%.20s…: the block says other than the text:\n--- block\n%s\n--- text\n%s", text, block, r.Text)
		}
		if !strings.Contains(r.Text, strings.Repeat("x", 150)) || !strings.Contains(r.Text, "…") {
			t.Errorf("%.20s…: the answer does not quote the start, cut: %s", text, r.Text)
		}
	}
}

// TestTransportInteractionActsOnFirstActionOnly: Slack sends one action
// per press. A signed payload carrying 2,000 actions (claims and resolves
// of every open review) changes one review, writes one history row and
// answers once; the rest are logged and ignored.
func TestTransportInteractionActsOnFirstActionOnly(t *testing.T) {
	// The default body limit would refuse so large a payload before the
	// cap is reached; the cap must hold on its own.
	e := trNewEnv(t, func(e *trEnv) { e.srv.MaxBody = 8 << 20 })
	ctx := context.Background()
	first := e.openReview("dy-fashion")
	var open []storage.Review
	for _, shop := range []string{"dy-fashion", "dy-beauty", "dy-home", "tb-tea"} {
		rows, _, err := e.db.BadReviews(ctx, storage.ReviewFilter{ShopID: shop, OpenOnly: true, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, rows...)
	}
	historyRows := func() int {
		n := 0
		for _, rv := range open {
			h, err := e.db.ReviewHistory(ctx, rv.ID)
			if err != nil {
				t.Fatal(err)
			}
			n += len(h)
		}
		return n
	}
	before := historyRows()

	actions := []any{trClaim("dy-fashion", first.ReviewID, "shop")}
	for i := 1; len(actions) < 2000; i++ {
		rv := open[i%len(open)]
		if i%2 == 0 {
			actions = append(actions, trClaim(rv.ShopID, rv.ReviewID, "shop"))
		} else {
			actions = append(actions, trResolve(rv.ShopID, rv.ReviewID, "refund"))
		}
	}
	raw, _ := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": trBo, "team_id": "T1"}, "team": map[string]any{"id": "T1"},
		"channel": map[string]any{"id": "C1"}, "response_url": e.fake.ResponseURL("flood"), "actions": actions,
	})
	if code, _, body := e.do(e.request("/slack/interactions", trFormType, trForm("payload", string(raw)))); code != http.StatusOK {
		t.Fatalf("interaction: %d %s", code, body)
	}
	e.srv.Wait()

	if got := historyRows() - before; got != 1 {
		t.Errorf("%d history rows written for one payload, want 1", got)
	}
	if got := e.review("dy-fashion", first.ReviewID); got.Owner != trBo || got.Status != storage.StatusOpen {
		t.Errorf("the first action was not acted on: owner %q, status %q", got.Owner, got.Status)
	}
	for _, rv := range open {
		if rv.ID == first.ID {
			continue
		}
		if got := e.review(rv.ShopID, rv.ReviewID); got.Owner != rv.Owner || got.Status != rv.Status {
			t.Errorf("%s was changed by an action past the first: owner %q, status %q", rv.ReviewID, got.Owner, got.Status)
		}
	}
	if n := e.fake.Calls("response_url"); n != 1 {
		t.Errorf("%d response_url calls, want 1", n)
	}
	if n := e.fake.Calls("chat.postMessage"); n != 0 {
		t.Errorf("%d posts, want none", n)
	}
	if l := e.log.String(); !strings.Contains(l, "acted on the first action") || !strings.Contains(l, "actions=2000") {
		t.Errorf("the ignored actions were not logged:\n%.2000s", l)
	}
}
