package storage

import (
	"context"
	"testing"
)

func TestFollowUp(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "a", Douyin)
	mustCreateShop(t, db, "b", Douyin)
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\n"+
		"a,R1,1,2026-11-24 08:00:00,尺码偏小\n"+
		"a,R2,5,2026-11-24 08:00:00,很好\n"+
		"a,R9,2,2026-11-24 08:00:00,物流太慢\n"+
		"b,R9,1,2026-11-24 08:00:00,质量差\n", 4)

	if _, err := db.FindReview(ctx, "", "R404"); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("missing review: code %q", ErrorCode(err))
	}
	// R9 exists in two shops: without a shop it is ambiguous, with one it is not.
	if _, err := db.FindReview(ctx, "", "R9"); ErrorCode(err) != ECONFLICT {
		t.Fatalf("ambiguous review: code %q", ErrorCode(err))
	}
	r9, err := db.FindReview(ctx, "b", "R9")
	if err != nil || r9.ShopID != "b" || r9.Rating != 1 {
		t.Fatalf("FindReview(b, R9) = %+v, %v", r9, err)
	}

	r1, err := db.FindReview(ctx, "", "R1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AssignReview(ctx, r1.ID, "U0ALICE1", Change{Actor: "U0BOSS", At: testNow}); err != nil {
		t.Fatal(err)
	}
	r2, _ := db.FindReview(ctx, "", "R2")
	if err := db.AssignReview(ctx, r2.ID, "U0ALICE1", Change{Actor: "U0BOSS", At: testNow}); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("assigning a 5-star review: code %q", ErrorCode(err))
	}
	mine, n, err := db.BadReviews(ctx, ReviewFilter{ShopID: "a", OpenOnly: true, Owner: "U0ALICE1"})
	if err != nil || n != 1 || mine[0].ReviewID != "R1" {
		t.Fatalf("mine = %v (%d), %v", mine, n, err)
	}

	if err := db.CloseReview(ctx, r1.ID, "refund", Change{Actor: "U0ALICE1", At: testNow, Note: "called back"}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, db)
	if err := db.CloseReview(ctx, r1.ID, "gift", Change{Actor: "U0ALICE1", At: testNow.Add(1), Note: "again"}); ErrorCode(err) != ECONFLICT {
		t.Fatalf("closing twice: code %q", ErrorCode(err))
	}
	if after := snapshot(t, db); after != before {
		t.Fatal("closing a closed review changed the database")
	}
	got, _ := db.FindReview(ctx, "a", "R1")
	if got.Status != StatusDone || got.Outcome != "refund" || got.Note != "called back" || got.ClosedAt == nil || !got.ClosedAt.Equal(testNow) {
		t.Fatalf("closed review = %+v", got)
	}
	if _, n, _ := db.BadReviews(ctx, ReviewFilter{ShopID: "a", OpenOnly: true}); n != 1 {
		t.Fatalf("open bad reviews of a = %d, want 1 (R9)", n)
	}
}

func TestMineOldestFirstAcrossShops(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "a", Douyin)
	mustCreateShop(t, db, "b", Douyin)
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\n"+
		"a,R1,1,2026-11-24 08:00:00,差\n"+
		"b,R2,1,2026-11-22 08:00:00,差\n"+
		"a,R3,1,2026-11-23 08:00:00,差\n"+
		"b,R4,1,2026-11-21 08:00:00,差\n", 4)
	for _, id := range []string{"R1", "R2", "R3"} {
		r, _ := db.FindReview(ctx, "", id)
		if err := db.AssignReview(ctx, r.ID, "U0A", Change{Actor: "U0A", At: testNow}); err != nil {
			t.Fatal(err)
		}
	}
	rows, n, err := db.Mine(ctx, "U0A", 2)
	if err != nil || n != 3 || len(rows) != 2 || rows[0].ReviewID != "R2" || rows[1].ReviewID != "R3" {
		t.Fatalf("Mine = %v (%d), %v; want R2, R3 of 3", rows, n, err)
	}
}
