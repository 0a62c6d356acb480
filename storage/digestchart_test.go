package storage

import (
	"context"
	"testing"
	"time"
)

// A digest's chart is recorded once by its key: a second upload for the
// same digest (two jobs at once) gets the first file back, another day's
// digest is apart, and records older than a week are dropped.
func TestRecordDigestChart(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	const key = "digest:dy-a:2026-11-24"
	if id, err := db.DigestChartFile(ctx, key); err != nil || id != "" {
		t.Fatalf("before any upload: %q, %v; want none", id, err)
	}
	if id, err := db.RecordDigestChart(ctx, key, "F1", testNow); err != nil || id != "F1" {
		t.Fatalf("first record: %q, %v", id, err)
	}
	if id, err := db.RecordDigestChart(ctx, key, "F2", testNow); err != nil || id != "F1" {
		t.Fatalf("second record: %q, %v; want the first file F1", id, err)
	}
	if id, err := db.DigestChartFile(ctx, key); err != nil || id != "F1" {
		t.Fatalf("lookup: %q, %v; want F1", id, err)
	}
	next := "digest:dy-a:2026-11-25"
	if id, err := db.DigestChartFile(ctx, next); err != nil || id != "" {
		t.Fatalf("next day before upload: %q, %v", id, err)
	}
	later := testNow.Add(DigestChartKeep + time.Hour)
	if _, err := db.RecordDigestChart(ctx, "digest:dy-a:2026-12-02", "F9", later); err != nil {
		t.Fatal(err)
	}
	if id, err := db.DigestChartFile(ctx, key); err != nil || id != "" {
		t.Fatalf("a week on: %q, %v; want the old record dropped", id, err)
	}
}
