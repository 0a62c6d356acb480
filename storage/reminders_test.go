package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func reviewIDs(rs []Review) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ReviewID)
	}
	return strings.Join(out, ",")
}

func TestAutoAssignByAspectThenRota(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	db.Now = func() time.Time { return testNow }
	mustCreateShop(t, db, "s", Douyin)
	if err := db.SetOwner(ctx, "s", "logistics", []string{"U0BO"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetOwner(ctx, "s", OwnerDefault, []string{"U0A", "U0B"}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetOwner(ctx, "s", "size", []string{"U0A", "U0B"}); ErrorCode(err) != EINVALID {
		t.Fatalf("a rota for an aspect: %v", err)
	}
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\n"+
		"s,R1,1,2026-11-24 08:00:00,物流太慢了\n"+ // logistics owner
		"s,R2,2,2026-11-24 08:01:00,尺码偏小\n"+ // rota: U0A
		"s,R3,1,2026-11-24 08:02:00,质量差\n"+ // rota: U0B
		"s,R4,5,2026-11-24 08:03:00,很好\n"+ // not bad: no owner
		"s,R5,1,2026-11-24 08:04:00,包装压坏了\n", 5) // rota: U0A again
	want := map[string]string{"R1": "U0BO", "R2": "U0A", "R3": "U0B", "R4": "", "R5": "U0A"}
	for id, owner := range want {
		r, err := db.FindReview(ctx, "s", id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Owner != owner {
			t.Errorf("%s owner = %q, want %q", id, r.Owner, owner)
		}
	}
	// The rota goes on where it stopped, across imports; a re-import of a
	// review that has an owner leaves it alone.
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\n"+
		"s,R2,2,2026-11-24 08:01:00,尺码偏小\n"+
		"s,R6,1,2026-11-24 09:00:00,不好\n", 2)
	if r, _ := db.FindReview(ctx, "s", "R6"); r.Owner != "U0B" {
		t.Fatalf("R6 owner = %q, want U0B (the rota's next turn)", r.Owner)
	}
	if r, _ := db.FindReview(ctx, "s", "R2"); r.Owner != "U0A" {
		t.Fatalf("re-import changed R2's owner to %q", r.Owner)
	}
	r1, _ := db.FindReview(ctx, "s", "R1")
	hist, err := db.ReviewHistory(ctx, r1.ID)
	if err != nil || len(hist) != 1 || hist[0].Action != "auto-assigned" || hist[0].Detail != "U0BO" || !hist[0].At.Equal(testNow) {
		t.Fatalf("R1 history = %+v, %v", hist, err)
	}
}

func TestFollowUpHistoryAndReopen(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "s", Douyin)
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\ns,R1,1,2026-11-24 08:00:00,差\n", 1)
	r, _ := db.FindReview(ctx, "s", "R1")
	at := func(m int) Change { return Change{Actor: "U0BOSS", At: testNow.Add(time.Duration(m) * time.Minute)} }
	steps := []struct {
		name string
		do   func() error
		code string
	}{
		{"assign", func() error { return db.AssignReview(ctx, r.ID, "U0A", at(1)) }, ""},
		{"reassign", func() error { return db.AssignReview(ctx, r.ID, "U0B", at(2)) }, ""},
		{"reopen an open one", func() error { return db.ReopenReview(ctx, r.ID, at(3)) }, ECONFLICT},
		{"close", func() error {
			c := at(4)
			c.Note = "called back"
			return db.CloseReview(ctx, r.ID, "refund", c)
		}, ""},
		{"assign a closed one", func() error { return db.AssignReview(ctx, r.ID, "U0C", at(5)) }, ECONFLICT},
		{"reopen", func() error { return db.ReopenReview(ctx, r.ID, at(6)) }, ""},
		{"close again", func() error { return db.CloseReview(ctx, r.ID, "gift", at(7)) }, ""},
	}
	for _, s := range steps {
		if err := s.do(); ErrorCode(err) != s.code {
			t.Fatalf("%s: %v, want code %q", s.name, err, s.code)
		}
	}
	hist, _ := db.ReviewHistory(ctx, r.ID)
	var got []string
	for _, e := range hist {
		got = append(got, e.Action+" "+e.Detail)
	}
	want := "assigned U0A|assigned U0B|closed refund: called back|reopened |closed gift"
	if strings.Join(got, "|") != want {
		t.Fatalf("history = %q\nwant      %q", strings.Join(got, "|"), want)
	}
	r, _ = db.FindReview(ctx, "s", "R1")
	if r.Status != StatusDone || r.Outcome != "gift" || r.Owner != "U0B" {
		t.Fatalf("review = %+v", r)
	}
}

func TestRemindersSayEachThingOnce(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "s", Douyin) // follow-ups due in 24 h
	now := testNow
	at := func(ago time.Duration) string { return now.Add(-ago).UTC().Format(time.RFC3339) }
	mustImport(t, db, KindReviews, "shop,review_id,product_id,product,rating,created_at,content\n"+
		"s,R1,P1,裙子,1,"+at(25*time.Hour)+",尺码偏小\n"+ // overdue
		"s,R2,P1,裙子,1,"+at(49*time.Hour)+",尺码偏大\n"+ // past twice the deadline
		"s,R3,P2,裤子,2,"+at(3*time.Hour)+",质量差\n"+ // unassigned for 3 h
		"s,R4,P2,裤子,2,"+at(time.Hour)+",质量差\n"+ // unassigned for 1 h: not yet
		"s,R5,P2,裤子,1,"+at(10*time.Hour)+",做工粗糙\n", 5) // with R3, R4: a quality cluster on P2
	for _, id := range []string{"R1", "R2", "R5"} {
		r, _ := db.FindReview(ctx, "s", id)
		if err := db.AssignReview(ctx, r.ID, "U0A", Change{Actor: "U0BOSS", At: now}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := db.Reminders(ctx, shopOf(t, db, "s"), now)
	if err != nil {
		t.Fatal(err)
	}
	if got := reviewIDs(r.Overdue); got != "R2,R1" {
		t.Errorf("overdue = %s, want R2,R1", got)
	}
	if got := reviewIDs(r.Escalate); got != "R2" {
		t.Errorf("escalate = %s, want R2", got)
	}
	if got := reviewIDs(r.Unassigned); got != "R3" {
		t.Errorf("unassigned = %s, want R3", got)
	}
	if len(r.Clusters) != 1 || r.Clusters[0].Aspect != AspectQuality || reviewIDs(r.Clusters[0].Reviews) != "R5,R3,R4" {
		t.Fatalf("clusters = %+v", r.Clusters)
	}
	msgs := []OutboxMessage{{Key: ClusterKeyPrefix("s", r.Clusters[0].Key) + "1", ShopID: "s", Kind: "cluster", Channel: "C", Text: "x"}}
	if n, err := db.EnqueueReminders(ctx, r, msgs, now); err != nil || n != 1 {
		t.Fatalf("EnqueueReminders = %d, %v", n, err)
	}
	// An hour later: R4 is now unassigned for over 2 h; nothing else is said again.
	r, _ = db.Reminders(ctx, shopOf(t, db, "s"), now.Add(time.Hour+time.Minute))
	if reviewIDs(r.Overdue) != "" || reviewIDs(r.Escalate) != "" || reviewIDs(r.Unassigned) != "R4" || len(r.Clusters) != 0 {
		t.Fatalf("second run: overdue %q escalate %q unassigned %q clusters %d",
			reviewIDs(r.Overdue), reviewIDs(r.Escalate), reviewIDs(r.Unassigned), len(r.Clusters))
	}
	// A new owner of an overdue review is reminded afresh.
	r1, _ := db.FindReview(ctx, "s", "R1")
	db.AssignReview(ctx, r1.ID, "U0B", Change{Actor: "U0BOSS", At: now.Add(time.Hour)})
	if r, _ = db.Reminders(ctx, shopOf(t, db, "s"), now.Add(time.Hour)); reviewIDs(r.Overdue) != "R1" {
		t.Fatalf("after reassigning R1, overdue = %q", reviewIDs(r.Overdue))
	}
}

func TestOutcomeStats(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "s", Douyin)
	var csv strings.Builder
	csv.WriteString("shop,review_id,rating,created_at,content\n")
	for i := 1; i <= 4; i++ {
		fmt.Fprintf(&csv, "s,R%d,1,%s,差\n", i, testNow.Add(-10*time.Hour).UTC().Format(time.RFC3339))
	}
	mustImport(t, db, KindReviews, csv.String(), 4)
	closeAfter := map[string]time.Duration{"R1": 2 * time.Hour, "R2": 4 * time.Hour, "R3": 6 * time.Hour}
	outcome := map[string]string{"R1": "refund", "R2": "refund", "R3": "gift"}
	for id, d := range closeAfter {
		r, _ := db.FindReview(ctx, "s", id)
		if err := db.CloseReview(ctx, r.ID, outcome[id], Change{Actor: "U0A", At: r.CreatedAt.Add(d)}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := db.Outcomes(ctx, "s", testNow.Add(-7*24*time.Hour), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if st.Closed != 3 || st.ByOutcome["refund"] != 2 || st.ByOutcome["gift"] != 1 || st.MedianToClose != 4*time.Hour {
		t.Fatalf("stats = %+v", st)
	}
}

func TestShopKeywords(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "s", Douyin)
	mustCreateShop(t, db, "t", Douyin)
	// 跑丝: a word the built-in table does not know.
	if err := db.AddKeyword(ctx, "s", "material", "跑丝"); err != nil {
		t.Fatal(err)
	}
	if err := db.AddKeyword(ctx, "s", "colour", "x"); ErrorCode(err) != EINVALID {
		t.Fatalf("unknown aspect: %v", err)
	}
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\n"+
		"s,R1,1,2026-11-24 08:00:00,穿了一天就跑丝\n"+
		"t,R2,1,2026-11-24 08:00:00,穿了一天就跑丝\n", 2)
	if r, _ := db.FindReview(ctx, "s", "R1"); r.Aspects != "material" {
		t.Fatalf("with the shop's keyword, aspects = %q", r.Aspects)
	}
	if r, _ := db.FindReview(ctx, "t", "R2"); r.Aspects != "other" {
		t.Fatalf("another shop's keyword leaked: aspects = %q", r.Aspects)
	}
}

// Two runs that read the same state at once say it once: the second
// finds the news recorded and writes nothing.
func TestConcurrentRunsSayItOnce(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "s", Douyin)
	now := testNow
	at := func(ago time.Duration) string { return now.Add(-ago).UTC().Format(time.RFC3339) }
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\n"+
		"s,R1,1,"+at(30*time.Hour)+",差\n", 1)
	r1, _ := db.FindReview(ctx, "s", "R1")
	db.AssignReview(ctx, r1.ID, "U0A", Change{Actor: "U0A", At: now})

	first, _ := db.Reminders(ctx, shopOf(t, db, "s"), now)
	second, _ := db.Reminders(ctx, shopOf(t, db, "s"), now)
	msg := func(stamp string) []OutboxMessage {
		return []OutboxMessage{{Key: "remind:s:R1:U0A:" + stamp, ShopID: "s", Kind: "remind", Channel: "U0A", Text: "x"}}
	}
	if n, err := db.EnqueueReminders(ctx, first, msg("1"), now); err != nil || n != 1 {
		t.Fatalf("first run: %d, %v", n, err)
	}
	if n, err := db.EnqueueReminders(ctx, second, msg("2"), now); err != nil || n != 0 {
		t.Fatalf("second run at the same moment: %d, %v", n, err)
	}
	if has, _ := db.OutboxHas(ctx, "remind:s:R1:U0A:2"); has {
		t.Fatal("the second run's reminder was enqueued")
	}

	// Reopened, the review is reminded again (a new cycle).
	db.CloseReview(ctx, r1.ID, "refund", Change{Actor: "U0A", At: now})
	db.ReopenReview(ctx, r1.ID, Change{Actor: "U0A", At: now})
	third, _ := db.Reminders(ctx, shopOf(t, db, "s"), now.Add(time.Hour))
	if n, err := db.EnqueueReminders(ctx, third, msg("3"), now.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("after reopening: %d, %v (overdue %v)", n, err, reviewIDs(third.Overdue))
	}

	// Shipments: the same.
	mustImport(t, db, KindOrders, "shop,order_id,amount,paid_at,promise,promised_ship_by\n"+
		"s,O1,10,"+at(50*time.Hour)+",custom,"+at(time.Hour)+"\n", 1)
	a, _ := db.ShipmentChanges(ctx, shopOf(t, db, "s"), now)
	b, _ := db.ShipmentChanges(ctx, shopOf(t, db, "s"), now)
	ship := func(key string) OutboxMessage {
		return OutboxMessage{Key: key, ShopID: "s", Kind: "shipments", Channel: "C", Text: "x"}
	}
	if ok, err := db.EnqueueShipments(ctx, a, ship("ship:1"), now); !ok || err != nil {
		t.Fatalf("first shipments run: %v, %v", ok, err)
	}
	if ok, err := db.EnqueueShipments(ctx, b, ship("ship:2"), now); ok || err != nil {
		t.Fatalf("second shipments run: %v, %v", ok, err)
	}
}

// A bad review imported between reading a digest and enqueuing it is not
// marked as announced: the next digest has it.
func TestDigestDoesNotSwallowALateImport(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "s", Douyin)
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\ns,R1,1,2026-11-24 08:00:00,差\n", 1)
	r, err := db.DigestReport(ctx, shopOf(t, db, "s"), testNow)
	if err != nil || r.UnreportedCount != 1 {
		t.Fatalf("digest = %+v, %v", r, err)
	}
	mustImport(t, db, KindReviews, "shop,review_id,rating,created_at,content\ns,R2,1,2026-11-24 07:00:00,差\n", 1)
	if ok, err := db.EnqueueDigest(ctx, r, OutboxMessage{Key: "digest:s:2026-11-24", ShopID: "s", Kind: "digest", Channel: "C", Text: "x"}, testNow); !ok || err != nil {
		t.Fatalf("enqueue: %v, %v", ok, err)
	}
	next, _ := db.DigestReport(ctx, shopOf(t, db, "s"), testNow.Add(time.Minute))
	if next.UnreportedCount != 1 || next.Unreported[0].ReviewID != "R2" {
		t.Fatalf("next digest's new reviews = %v", reviewIDs(next.Unreported))
	}
}

// TestSlowServiceIsAServiceCluster: three buyers of one product writing that
// customer service answers slowly is a service cluster. It fed a logistics
// cluster when "太慢" alone meant logistics (issue 13).
func TestSlowServiceIsAServiceCluster(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "s", Douyin)
	now := testNow
	at := func(ago time.Duration) string { return now.Add(-ago).UTC().Format(time.RFC3339) }
	mustImport(t, db, KindReviews, "shop,review_id,product_id,product,rating,created_at,content\n"+
		"s,R1,P1,裙子,1,"+at(3*time.Hour)+",客服回复太慢\n"+
		"s,R2,P1,裙子,1,"+at(2*time.Hour)+",问客服半天不回\n"+
		"s,R3,P1,裙子,2,"+at(time.Hour)+",退货退款一直不处理\n", 3)
	r, err := db.Reminders(ctx, shopOf(t, db, "s"), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Clusters) != 1 || r.Clusters[0].Aspect != AspectService || len(r.Clusters[0].Reviews) != 3 {
		t.Fatalf("clusters = %+v, want one service cluster of 3", r.Clusters)
	}
}
