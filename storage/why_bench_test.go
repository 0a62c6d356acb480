package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
	"github.com/dsrbot/dsrbot/storage/storagetest"
)

var whyBenchNow = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)

// BenchmarkDayReportAllShops is the all-shops view's queries: 30 day
// reports, each with the top cause of the dimension that fell most.
func BenchmarkDayReportAllShops(b *testing.B) {
	db := storagetest.Bench(b, whyBenchNow)
	ctx := context.Background()
	shops, err := db.ListShops(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		causes := 0
		for j := range shops {
			r, err := db.DayReport(ctx, &shops[j], whyBenchNow)
			if err != nil {
				b.Fatal(err)
			}
			if r.Cause != nil {
				causes++
			}
		}
		b.ReportMetric(float64(causes), "causes")
	}
}

// BenchmarkWhyAllShops is Why of the 30 shops.
func BenchmarkWhyAllShops(b *testing.B) {
	db := storagetest.Bench(b, whyBenchNow)
	ctx := context.Background()
	shops, err := db.ListShops(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		falls := 0
		for j := range shops {
			r, err := db.Why(ctx, &shops[j], whyBenchNow)
			if err != nil {
				b.Fatal(err)
			}
			falls += len(r.Falls)
		}
		b.ReportMetric(float64(falls), "falls")
	}
}

var _ = storage.WhyListLimit
