package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDigestListsEachReviewOnce: a shop's first digest does not announce
// as new the bad reviews the team already closed, and a review that is new
// to the digest and also past its deadline is listed once, as new.
func TestDigestListsEachReviewOnce(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	var csv strings.Builder
	csv.WriteString(reviewsHeader)
	for i, age := range []time.Duration{2 * time.Hour, 30 * time.Hour, 50 * time.Hour, 9 * 24 * time.Hour} {
		fmt.Fprintf(&csv, "dy,R%d,,,裙子,1,%s,尺码偏小\n", i+1, rfc(testNow.Add(-age)))
	}
	mustImport(t, db, KindReviews, csv.String(), 4)
	// The team closed R3 before any digest went out.
	r3, err := db.FindReview(ctx, "dy", "R3")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CloseReview(ctx, r3.ID, "refund", Change{Actor: "U1", At: testNow.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r, err := db.DigestReport(ctx, shopOf(t, db, "dy"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rs []Review) string {
		var out []string
		for _, rv := range rs {
			out = append(out, rv.ReviewID)
		}
		return strings.Join(out, ",")
	}
	// New: R1 and R2 (R3 is closed, R4 is older than the 7-day window).
	// Overdue: R4 only; R2 is overdue too but listed as new.
	if got := ids(r.Unreported); got != "R1,R2" || r.UnreportedCount != 2 {
		t.Errorf("new = %s (%d), want R1,R2 (2)", got, r.UnreportedCount)
	}
	if got := ids(r.Overdue); got != "R4" || r.OverdueCount != 1 {
		t.Errorf("overdue = %s (%d), want R4 (1)", got, r.OverdueCount)
	}
	// Enqueuing marks all of them announced, the closed one included, so
	// the next digest does not bring R3 up either.
	if _, err := db.EnqueueDigest(ctx, r, OutboxMessage{Key: "digest:dy:2026-11-24", ShopID: "dy", Kind: "digest", Channel: "C1", Text: "x"}, testNow); err != nil {
		t.Fatal(err)
	}
	next, err := db.DigestReport(ctx, shopOf(t, db, "dy"), testNow.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if next.UnreportedCount != 0 {
		t.Errorf("the next digest announces %s again", ids(next.Unreported))
	}
	if got := ids(next.Overdue); got != "R2,R1,R4" && got != "R1,R2,R4" {
		t.Errorf("next day's overdue = %s, want R1, R2 and R4", got)
	}
}
