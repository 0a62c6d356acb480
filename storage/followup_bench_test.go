package storage

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

var benchReviews = []string{
	"物流很快但是质量差", "尺码偏小，平时穿M这次L都紧", "面料起球，洗一次就不行了", "色差太大了，和图片不一样",
	"快递太慢了，包装也压坏了", "客服态度很差，问什么都敷衍", "描述不符，货不对板", "质量很好，很满意，下次还来",
	"不好用，失望", "The fabric is rough and the size runs small, delivery was late",
}

// BenchmarkClassify sorts reviews into aspects on one goroutine; the
// reviews/s figure is the one to compare with 100,000. reviews/cpu-s is the
// same count over the process's CPU time: on a shared, loaded machine the
// wall clock mostly measures the neighbours.
func BenchmarkClassify(b *testing.B) {
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		Classify(benchReviews[i%len(benchReviews)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reviews/s")
	b.ReportMetric(float64(b.N)/(cpuTime()-cpu).Seconds(), "reviews/cpu-s")
}

// BenchmarkClassifySet sorts the labelled set (testdata/aspects.tsv), whose
// reviews are longer and more varied than benchReviews.
func BenchmarkClassifySet(b *testing.B) {
	set := loadAspectSet(b)
	cpu := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Classify(set[i%len(set)].text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reviews/s")
	b.ReportMetric(float64(b.N)/(cpuTime()-cpu).Seconds(), "reviews/cpu-s")
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMine is "@dsrbot mine" on 200,000 reviews across 30 shops, each
// shop's bad reviews routed to a rota of five people.
func BenchmarkMine(b *testing.B) {
	ctx := context.Background()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	for s := 0; s < 30; s++ {
		id := fmt.Sprintf("s%02d", s)
		if _, err := db.CreateShop(ctx, Shop{ID: id, Name: id, Platform: Douyin}, "Asia/Shanghai", now); err != nil {
			b.Fatal(err)
		}
		if err := db.SetOwner(ctx, id, OwnerDefault, []string{"U0A", "U0B", "U0C", "U0D", "U0E"}); err != nil {
			b.Fatal(err)
		}
	}
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriter(pw)
		fmt.Fprintln(w, "shop,review_id,product,rating,created_at,content")
		for i := 0; i < 200000; i++ {
			rating := 5
			if i%20 == 0 {
				rating = 1 + i%2
			}
			fmt.Fprintf(w, "s%02d,R%d,商品,%d,%s,%s\n", i%30, i, rating, now.Add(-time.Duration(i)*time.Minute).Format(time.RFC3339), benchReviews[i%len(benchReviews)])
		}
		w.Flush()
		pw.Close()
	}()
	if _, err := db.Import(ctx, KindReviews, "reviews.csv", pr); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, n, err := db.Mine(ctx, "U0C", 20)
		if err != nil || n < 1900 || n > 2100 || len(rows) != 20 {
			b.Fatalf("Mine = %d rows of %d, %v", len(rows), n, err)
		}
	}
}
