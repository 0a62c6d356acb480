package bot

import (
	"context"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// TestReviewVersionSeesEveryChange: the token a review's actions carry
// changes with every change of its follow-up, including a round trip
// (closed, then reopened to the same owner), which leaves status and
// owner as they were; and a press drawn before the round trip is refused.
func TestReviewVersionSeesEveryChange(t *testing.T) {
	d := newDemoBot(t)
	ctx := context.Background()
	rv := d.openBadReview(t)
	read := func() *storage.Review {
		t.Helper()
		now, err := d.db.FindReview(ctx, rv.ShopID, rv.ReviewID)
		if err != nil {
			t.Fatal(err)
		}
		return now
	}
	at := demoNow
	steps := []struct {
		name   string
		change func() error
	}{
		{"claim", func() error {
			_, err := d.db.Reassign(ctx, rv.ID, "U0ALICE01", storage.Change{Actor: "U0ALICE01", At: at}, nil)
			return err
		}},
		{"reassign", func() error {
			_, err := d.db.Reassign(ctx, rv.ID, "U0BO00001", storage.Change{Actor: "U0ALICE01", At: at}, nil)
			return err
		}},
		{"close", func() error {
			return d.db.CloseReview(ctx, rv.ID, "refund", storage.Change{Actor: "U0BO00001", At: at})
		}},
		{"reopen to the same owner", func() error {
			return d.db.ReopenReview(ctx, rv.ID, storage.Change{Actor: "U0BO00001", At: at})
		}},
		{"close again", func() error {
			return d.db.CloseReview(ctx, rv.ID, "refund", storage.Change{Actor: "U0BO00001", At: at})
		}},
		{"reopen again", func() error {
			return d.db.ReopenReview(ctx, rv.ID, storage.Change{Actor: "U0BO00001", At: at})
		}},
	}
	seen := map[string]string{reviewVersion(read()): "drawn"}
	var afterClaim *storage.Review
	for _, st := range steps {
		at = at.Add(time.Minute)
		if err := st.change(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		now := read()
		v := reviewVersion(now)
		if prev, ok := seen[v]; ok {
			t.Errorf("after %s the version %q is the one of %s", st.name, v, prev)
		}
		seen[v] = st.name
		if v != reviewVersion(read()) {
			t.Errorf("after %s two reads give two versions", st.name)
		}
		if st.name == "reassign" {
			afterClaim = now
		}
	}
	// Open, owned by bo, as drawn after the reassignment: the round trips
	// since make a press on that drawing stale.
	if got := read(); got.Status != storage.StatusOpen || got.Owner != afterClaim.Owner {
		t.Fatalf("the round trip did not come back to the same state: %+v", got)
	}
	a := Action{Verb: verbDone, Outcome: "refund", Shop: rv.ShopID, Review: rv.ReviewID, Scope: "msg", Version: reviewVersion(afterClaim), User: "U0BO00001", Team: demoTeam}
	if r := d.Perform(ctx, a); !r.Stale || r.Changed {
		t.Errorf("a press drawn before a round trip: %+v", r)
	}
	if got := read(); got.Status != storage.StatusOpen {
		t.Errorf("the stale press closed it: %+v", got)
	}
}
