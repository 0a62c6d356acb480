package storage

import (
	"context"
	"errors"
	"fmt"
	"github.com/dsrbot/dsrbot/storage/dbtest"
	"reflect"
	"strings"
	"testing"

	"gorm.io/gorm"
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

// TestFindReviewAnyCase: a review is found whatever the case it is typed
// in; an ID several shops share is a SharedReviewError naming each, and a
// spelling that matches exactly wins over one that matches only without
// case.
func TestFindReviewAnyCase(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "a", Douyin)
	mustCreateShop(t, db, "b", Douyin)
	mustCreateShop(t, db, "c", Douyin)
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\n"+
		"a,R3496,1,2026-11-24 08:00:00,差\n"+
		"a,Ab1,1,2026-11-24 08:00:00,差\n"+
		"a,aB1,1,2026-11-24 08:00:00,差\n"+
		"c,R100,1,2026-11-24 08:00:00,差\n"+
		"b,R100,2,2026-11-24 08:00:00,差\n"+
		"a,6921345678901234571-3581004,1,2026-11-24 08:00:00,差\n", 6)

	for _, tt := range []struct{ shop, typed, wantShop, wantID string }{
		{"", "r3496", "a", "R3496"},
		{"", "R3496", "a", "R3496"},
		{"a", "r3496", "a", "R3496"},
		{"", "Ab1", "a", "Ab1"}, // exact spelling wins
		{"", "aB1", "a", "aB1"},
		{"b", "r100", "b", "R100"},
		{"c", "r100", "c", "R100"},
		{"", "6921345678901234571-3581004", "a", "6921345678901234571-3581004"},
	} {
		r, err := db.FindReview(ctx, tt.shop, tt.typed)
		if err != nil || r.ShopID != tt.wantShop || r.ReviewID != tt.wantID {
			t.Errorf("FindReview(%q, %q) = %+v, %v; want %s/%s", tt.shop, tt.typed, r, err, tt.wantShop, tt.wantID)
		}
	}
	if _, err := db.FindReview(ctx, "b", "r3496"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("r3496 in shop b: %v, want ENOTFOUND", err)
	}
	for _, tt := range []struct {
		typed string
		want  []ReviewRef
	}{
		{"R100", []ReviewRef{{"b", "R100"}, {"c", "R100"}}},
		{"r100", []ReviewRef{{"b", "R100"}, {"c", "R100"}}},
		// One shop, two spellings, neither as typed.
		{"AB1", []ReviewRef{{"a", "Ab1"}, {"a", "aB1"}}},
	} {
		_, err := db.FindReview(ctx, "", tt.typed)
		var se *SharedReviewError
		if !errors.As(err, &se) || ErrorCode(err) != ECONFLICT {
			t.Fatalf("FindReview(%q) = %v (%T), want a SharedReviewError that is ECONFLICT", tt.typed, err, err)
		}
		if se.ReviewID != tt.typed || !reflect.DeepEqual(se.In, tt.want) || se.More {
			t.Errorf("FindReview(%q): %+v, want %v", tt.typed, se, tt.want)
		}
	}
	// Another workspace's shop makes no ID ambiguous.
	if _, err := db.UpdateShop(ctx, "c", func(s *Shop) { s.TeamID = "T1" }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateShop(ctx, "b", func(s *Shop) { s.TeamID = "T2" }); err != nil {
		t.Fatal(err)
	}
	if r, err := db.FindReviewIn(ctx, TeamScope("T1"), "", "r100"); err != nil || r.ShopID != "c" {
		t.Errorf("FindReviewIn(T1, r100) = %+v, %v; want c's", r, err)
	}
}

// TestFindReviewUsesTheCaseIndex: the case-blind lookup is an index search
// in every scope, with and without a shop, never a scan of the reviews.
func TestFindReviewUsesTheCaseIndex(t *testing.T) {
	dbtest.SkipOnPostgres(t, "it reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL plans by statistics")
	db := newTestDB(t)
	for _, c := range []struct {
		sc   Scope
		shop string
	}{{AllShops, ""}, {AllShops, "a"}, {TeamScope("T1"), ""}, {TeamScope("T1"), "a"}} {
		q := db.gdb.ToSQL(func(tx *gorm.DB) *gorm.DB {
			var rows []Review
			return reviewsByID(tx, c.sc, c.shop, "r1").Find(&rows)
		})
		rows, err := db.sql.Query("EXPLAIN QUERY PLAN " + q)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "\n")
		if !strings.Contains(all, "SEARCH reviews USING INDEX idx_reviews_review_id_lower") || strings.Contains(all, "SCAN reviews") {
			t.Errorf("%+v shop %q: plan\n%s", c.sc, c.shop, all)
		}
	}
}

// TestReassignTellsThePreviousOwner: Reassign returns who owned the
// follow-up, and what tell returns for them is enqueued with the change,
// keyed by its history event; a change that fails enqueues nothing.
func TestReassignTellsThePreviousOwner(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "a", Douyin)
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\na,R1,1,2026-11-24 08:00:00,差\n", 1)
	r, _ := db.FindReview(ctx, "a", "R1")
	var told []string
	tell := func(previous string) *OutboxMessage {
		told = append(told, previous)
		if previous == "" {
			return nil
		}
		return &OutboxMessage{ShopID: "a", Kind: "handover", Channel: previous, Text: "taken over"}
	}
	prev, err := db.Reassign(ctx, r.ID, "U0BO", Change{Actor: "U0BOSS", At: testNow}, tell)
	if err != nil || prev != "" {
		t.Fatalf("first assignment: previous %q, %v", prev, err)
	}
	prev, err = db.Reassign(ctx, r.ID, "U0ALICE", Change{Actor: "U0ALICE", At: testNow}, tell)
	if err != nil || prev != "U0BO" {
		t.Fatalf("claim: previous %q, %v; want U0BO", prev, err)
	}
	hist, _ := db.ReviewHistory(ctx, r.ID)
	if len(hist) != 2 || hist[1].Detail != "U0ALICE" || hist[1].Actor != "U0ALICE" {
		t.Fatalf("history %+v", hist)
	}
	key := OutboxKey("handover", "a", fmt.Sprint(hist[1].ID))
	m, err := db.FindOutbox(ctx, key)
	if err != nil || m.Channel != "U0BO" || m.Text != "taken over" || !m.Pending() {
		t.Fatalf("outbox %s: %+v, %v", key, m, err)
	}
	if n, _ := db.PendingOutbox(ctx); n != 1 {
		t.Errorf("%d pending messages, want the one", n)
	}
	if err := db.CloseReview(ctx, r.ID, "refund", Change{Actor: "U0ALICE", At: testNow}); err != nil {
		t.Fatal(err)
	}
	told = nil
	if _, err := db.Reassign(ctx, r.ID, "U0MEI", Change{Actor: "U0MEI", At: testNow}, tell); ErrorCode(err) != ECONFLICT {
		t.Fatalf("claiming a closed follow-up: %v", err)
	}
	if n, _ := db.PendingOutbox(ctx); n != 1 || len(told) != 0 {
		t.Errorf("a refused claim told %v and left %d pending", told, n)
	}
}
