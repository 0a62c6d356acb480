package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

func TestZZScratch(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	if _, err := db.CreateShop(ctx, storage.Shop{ID: "dy-long", Name: "Long", Platform: storage.Douyin}, "Asia/Shanghai", now); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no\n")
	name := "2026秋冬新款韩版宽松显瘦百搭针织开衫女外套加厚毛衣慵懒风上衣潮流时尚气质通勤款"
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "dy-long,692100000000%07d,%s,159,2026-11-20 08:00:00,,,,\n", i, name)
	}
	if _, err := db.Import(ctx, storage.KindOrders, "o.csv", strings.NewReader(b.String())); err != nil {
		t.Fatal(err)
	}
	bt := &Bot{Store: db, Now: func() time.Time { return now }}
	m := bt.Handle(ctx, Request{Text: "late dy-long"})
	fmt.Print(m.Text)
	js, _ := json.MarshalIndent(m.Blocks, "", " ")
	fmt.Println(string(js))
}
