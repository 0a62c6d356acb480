package storage

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// What `dsrbot run` reads to wait for its messages: which are pending,
// and when each channel's next message can be tried.
func TestOutboxWaitingQueries(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "a", Douyin)
	mustCreateShop(t, db, "b", Douyin)
	for _, m := range []OutboxMessage{
		{Key: "digest:a:1", ShopID: "a", Kind: "digest", Channel: "C1"},
		{Key: "shipments:a:x", ShopID: "a", Kind: "shipments", Channel: "C1"},
		{Key: "shipments:b:y", ShopID: "b", Kind: "shipments", Channel: "C2"},
	} {
		m.Text, m.Blocks = "x", "[]"
		if _, err := db.Enqueue(ctx, m, testNow); err != nil {
			t.Fatal(err)
		}
	}
	pending := func(shop string, kinds ...string) string {
		keys, err := db.PendingKeys(ctx, shop, kinds...)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(keys)
	}
	if got := pending("", "shipments"); got != "[shipments:a:x shipments:b:y]" {
		t.Errorf("pending shipments = %s", got)
	}
	if got := pending("a", "digest", "shipments"); got != "[digest:a:1 shipments:a:x]" {
		t.Errorf("pending of shop a = %s", got)
	}

	// C1's head is the digest; claimed, it is due when the claim ends.
	claimed, err := db.ClaimOutbox(ctx, "me", testNow, time.Minute, 1)
	if err != nil || len(claimed) != 1 || claimed[0].Key != "digest:a:1" {
		t.Fatalf("claim = %+v, %v", claimed, err)
	}
	head, ok, err := db.NextInChannel(ctx, "C1")
	if err != nil || !ok || head.Key != "digest:a:1" || !head.Due().Equal(testNow.Add(time.Minute)) {
		t.Fatalf("C1 head = %+v (due %v), %v, %v", head, head.Due(), ok, err)
	}
	// Rescheduled, it is due at its next attempt; sent, the next message
	// of the channel is the head.
	if err := db.Reschedule(ctx, head.ID, "me", testNow.Add(5*time.Second), "429"); err != nil {
		t.Fatal(err)
	}
	if head, _, _ = db.NextInChannel(ctx, "C1"); !head.Due().Equal(testNow.Add(5 * time.Second)) {
		t.Fatalf("rescheduled head due %v", head.Due())
	}
	claimed, _ = db.ClaimOutbox(ctx, "me", testNow.Add(5*time.Second), time.Minute, 1)
	if err := db.MarkSent(ctx, claimed[0].ID, "me", "1.0", testNow.Add(5*time.Second)); err != nil {
		t.Fatal(err)
	}
	if head, ok, _ = db.NextInChannel(ctx, "C1"); !ok || head.Key != "shipments:a:x" {
		t.Fatalf("after the digest, C1 head = %+v", head)
	}
	rows, err := db.OutboxByKeys(ctx, []string{"digest:a:1", "shipments:a:x", "nope"})
	if err != nil || len(rows) != 2 || rows[0].Pending() || !rows[1].Pending() {
		t.Fatalf("by keys = %+v, %v", rows, err)
	}
	if _, ok, _ := db.NextInChannel(ctx, "C9"); ok {
		t.Fatal("an empty channel has a head")
	}
}

// The outbox's depth and lag for /metrics, and the claims a stopping
// sender gives back so another replica delivers at once.
func TestOutboxStatsAndReleaseClaims(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "a", Douyin)
	if n, oldest, err := db.OutboxStats(ctx); err != nil || n != 0 || !oldest.IsZero() {
		t.Fatalf("empty outbox stats = %d, %v, %v", n, oldest, err)
	}
	for i, ch := range []string{"C1", "C2", "C3"} {
		m := OutboxMessage{Key: fmt.Sprint("k", i), ShopID: "a", Kind: "digest", Channel: ch, Text: "x", Blocks: "[]"}
		if _, err := db.Enqueue(ctx, m, testNow.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	// C1 (the oldest) is delivered; C2 is claimed by host_1/7's drain,
	// C3 by another process whose name host_1/7 is a LIKE pattern of.
	c, _ := db.ClaimOutbox(ctx, "host_1/7#1", testNow.Add(5*time.Minute), time.Minute, 1)
	if err := db.MarkSent(ctx, c[0].ID, "host_1/7#1", "1.0", testNow.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if c, _ = db.ClaimOutbox(ctx, "host_1/7#2", testNow.Add(5*time.Minute), time.Minute, 1); len(c) != 1 || c[0].Channel != "C2" {
		t.Fatalf("second claim = %+v", c)
	}
	if c, _ = db.ClaimOutbox(ctx, "hostX1/7#1", testNow.Add(5*time.Minute), time.Minute, 1); len(c) != 1 || c[0].Channel != "C3" {
		t.Fatalf("third claim = %+v", c)
	}
	n, oldest, err := db.OutboxStats(ctx)
	if err != nil || n != 2 || !oldest.Equal(testNow.Add(time.Minute).UTC().Truncate(time.Second)) {
		t.Fatalf("stats = %d, %v, %v; want 2 pending since %v", n, oldest, err, testNow.Add(time.Minute))
	}

	released, err := db.ReleaseClaims(ctx, "host_1/7")
	if err != nil || released != 1 {
		t.Fatalf("released %d, %v; want 1 (C2 only)", released, err)
	}
	// Another sender takes C2 at once, well inside the old lease; C3
	// stays with its own sender.
	c, err = db.ClaimOutbox(ctx, "other#1", testNow.Add(5*time.Minute+time.Second), time.Minute, 16)
	if err != nil || len(c) != 1 || c[0].Channel != "C2" || c[0].Attempts != 2 {
		t.Fatalf("claim after release = %+v, %v", c, err)
	}
}
