package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// TestImportedScoreIsTheTruth is the case that made the stage the
// platform's: a Douyin shop whose team imported only its scores (75.8 a week
// ago, 71.2 today) and this week's handful of orders. The card and the
// digest show the imported 71.2 and its trend, never a growth-stage 70 that
// the order count would suggest.
func TestImportedScoreIsTheTruth(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.CreateShop(ctx, storage.Shop{ID: "dy-kids", Name: "童装铺", Platform: storage.Douyin, Channel: "C1"}, "Asia/Shanghai", demoNow); err != nil {
		t.Fatal(err)
	}
	scores := "shop,date,overall,product,logistics,service\n"
	for i, v := range []float64{75.8, 75.1, 74.6, 73.9, 73.0, 72.4, 71.9, 71.2} {
		day := demoNow.AddDate(0, 0, i-7).In(mustZone("Asia/Shanghai")).Format(storage.DateLayout)
		scores += fmt.Sprintf("dy-kids,%s,%.1f,%.1f,%.1f,%.1f\n", day, v, v+1, v-2, v)
	}
	if _, err := db.Import(ctx, storage.KindScores, "scores.csv", strings.NewReader(scores)); err != nil {
		t.Fatal(err)
	}
	orders := "shop,order_id,amount,paid_at,shipped_at\n"
	for i := 0; i < 5; i++ {
		paid := demoNow.Add(-time.Duration(i+2) * time.Hour)
		orders += fmt.Sprintf("dy-kids,O%d,99,%s,%s\n", i, paid.Format(time.RFC3339), paid.Add(time.Hour).Format(time.RFC3339))
	}
	if _, err := db.Import(ctx, storage.KindOrders, "orders.csv", strings.NewReader(orders)); err != nil {
		t.Fatal(err)
	}
	b := &Bot{Store: db, Now: func() time.Time { return demoNow }, Location: mustZone("Asia/Shanghai"), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}

	card := b.Handle(ctx, Request{Text: "today dy-kids", User: "U1", Channel: "C9", Local: true}).Text
	digestReport, err := db.DigestReport(ctx, shopOf(t, db, "dy-kids"), demoNow)
	if err != nil {
		t.Fatal(err)
	}
	digest := RenderDigest(digestReport, time.Time{}, false).Text
	for name, text := range map[string]string{"card": card, "digest": digest} {
		for _, want := range []string{
			"商家体验分 71.2 (shows 4.3★)",
			"▼0.7 vs previous day · ▼4.6 vs 7 days before",
			"1.2 above the 70 line (精选联盟)",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, text)
			}
		}
		for _, bad := range []string{"growth", "70.0", "no trend"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s says %q:\n%s", name, bad, text)
			}
		}
	}
	if !strings.Contains(digest, "75.8 → 71.2") {
		t.Errorf("digest lacks the week's sparkline ending at 71.2:\n%s", digest)
	}
}
