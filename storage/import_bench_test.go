package storage

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkImportOrders imports a 50,000-row canonical orders file across 30
// Douyin shops into a fresh database per iteration: the one-transaction,
// batched path that a million-row export takes.
func BenchmarkImportOrders(b *testing.B) {
	const (
		rows  = 50000
		shops = 30
	)
	promises := []string{"same_day", "next_day", "48h", "", "custom", "presale"}
	var buf bytes.Buffer
	buf.WriteString(ordersHeader)
	for i := 0; i < rows; i++ {
		paid := testNow.Add(-time.Duration(i) * 37 * time.Second)
		p := promises[i%len(promises)]
		given, shipped, tracking := "", "", ""
		if p == "custom" || p == "presale" {
			given = paid.Add(72 * time.Hour).Format("2006-01-02 15:04:05")
		}
		if i%3 == 0 {
			shipped = paid.Add(5 * time.Hour).Format("2006-01-02 15:04:05")
			tracking = fmt.Sprintf("SF%010d", i)
		}
		fmt.Fprintf(&buf, "dy%02d,%d,商品 %d,%d.%02d,%s,%s,%s,%s,%s\n",
			i%shops, 6900000000+i, i%50, 10+i%500, i%100, paid.Format("2006-01-02 15:04:05"), p, given, shipped, tracking)
	}
	data := buf.Bytes()
	dir := b.TempDir()
	ctx := context.Background()

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := Open(filepath.Join(dir, fmt.Sprintf("bench%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		for s := 0; s < shops; s++ {
			mustCreateShop(b, db, fmt.Sprintf("dy%02d", s), Douyin)
		}
		b.StartTimer()
		res, err := db.Import(ctx, KindOrders, "orders.csv", bytes.NewReader(data))
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if res.Rows != rows {
			b.Fatalf("imported %d rows, want %d", res.Rows, rows)
		}
		db.Close()
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
