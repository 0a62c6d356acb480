package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestEnqueueDigestOnce: a digest whose key is in the outbox already is not
// added again and marks nothing; the first one marks the bad reviews it
// read, not one imported after it was read. On PostgreSQL EnqueueDigest is
// one statement, on SQLite a transaction; both must say the same.
func TestEnqueueDigestOnce(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	review := func(id string, age time.Duration) string {
		return reviewsHeader + fmt.Sprintf("dy,%s,,,裙子,1,%s,尺码偏小\n", id, rfc(testNow.Add(-age)))
	}
	mustImport(t, db, KindReviews, review("R1", 2*time.Hour), 1)
	r, err := db.DigestReport(ctx, shopOf(t, db, "dy"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	// R2 lands after the digest was read: it is not announced by it.
	mustImport(t, db, KindReviews, review("R2", time.Hour), 1)
	m := OutboxMessage{Key: "digest:dy:2026-11-24", ShopID: "dy", Kind: "digest", Channel: "C1", Text: "x"}
	if added, err := db.EnqueueDigest(ctx, r, m, testNow); err != nil || !added {
		t.Fatalf("first enqueue: added %v, %v", added, err)
	}
	reported := func() string {
		var out []string
		for _, id := range []string{"R1", "R2"} {
			rv, err := db.FindReview(ctx, "dy", id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s:%v", id, rv.ReportedAt != nil))
		}
		return strings.Join(out, " ")
	}
	if got := reported(); got != "R1:true R2:false" {
		t.Errorf("after the first enqueue: %s, want R1:true R2:false", got)
	}
	// The same key again, from a digest that would announce R2: nothing.
	again, err := db.DigestReport(ctx, shopOf(t, db, "dy"), testNow.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if again.UnreportedCount != 1 {
		t.Fatalf("second digest announces %d, want 1 (R2)", again.UnreportedCount)
	}
	if added, err := db.EnqueueDigest(ctx, again, m, testNow.Add(time.Minute)); err != nil || added {
		t.Fatalf("second enqueue: added %v, %v", added, err)
	}
	if got := reported(); got != "R1:true R2:false" {
		t.Errorf("after the refused enqueue: %s, want R1:true R2:false", got)
	}
	var n int
	if err := db.sql.QueryRow("SELECT count(*) FROM outbox").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("outbox holds %d, want 1", n)
	}
}

// TestDigestWeekAgreesWithHistory: the digest's scores, read in one query
// (latestWeek), are those the separate queries read: the newest on or
// before today, the day before it, seven days before it, and the week from
// WeekStart to today, whatever the gaps, a score after today, or none.
func TestDigestWeekAgreesWithHistory(t *testing.T) {
	ctx := context.Background()
	cases := map[string][]string{
		"every day":    {"2026-11-14", "2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"},
		"gaps":         {"2026-11-10", "2026-11-15", "2026-11-16", "2026-11-20", "2026-11-22"},
		"future score": {"2026-11-16", "2026-11-17", "2026-11-23", "2026-11-25"},
		"only old":     {"2026-10-01", "2026-10-08", "2026-10-09"},
		"none":         nil,
	}
	for name, dates := range cases {
		t.Run(name, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "dy", Douyin)
			if len(dates) > 0 {
				mustImport(t, db, KindScores, scoreRows("dy", dates...), len(dates))
			}
			r, err := db.DigestReport(ctx, shopOf(t, db, "dy"), testNow)
			if err != nil {
				t.Fatal(err)
			}
			latest, err := db.latestScore(ctx, "dy", r.Today)
			if err != nil {
				t.Fatal(err)
			}
			str := func(s *Score) string {
				if s == nil {
					return "nil"
				}
				return scoreString(*s)
			}
			if str(r.Latest) != str(latest) {
				t.Errorf("latest = %s, want %s", str(r.Latest), str(latest))
			}
			if latest != nil {
				prev, week := addDays(latest.Date, -1), addDays(latest.Date, -7)
				m, err := db.scoresByDates(ctx, "dy", prev, week)
				if err != nil {
					t.Fatal(err)
				}
				if str(r.Prev) != str(m[prev]) || str(r.WeekAgo) != str(m[week]) {
					t.Errorf("prev, week ago = %s, %s; want %s, %s", str(r.Prev), str(r.WeekAgo), str(m[prev]), str(m[week]))
				}
			}
			hist, err := db.ScoreHistory(ctx, "dy", r.WeekStart, r.Today)
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, s := range r.Week {
				got = append(got, scoreString(s))
			}
			for _, s := range hist {
				want = append(want, scoreString(s))
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("week = %v, want %v", got, want)
			}
		})
	}
}
