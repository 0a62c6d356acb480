package storage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importSample imports a file from the project's testdata.
func importSample(t *testing.T, db *DB, kind Kind, name, shop string) (*ImportResult, error) {
	t.Helper()
	path := filepath.Join("..", "testdata", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return db.ImportFile(context.Background(), ImportRequest{Kind: kind, Name: name, Reader: f, Shop: shop})
}

func TestDoudianOrderExport(t *testing.T) {
	for _, tt := range []struct{ file, encoding string }{
		{"doudian_orders.csv", encUTF8},
		{"doudian_orders_gbk.csv", encGBK},
		{"doudian_orders.xlsx", encXLSX},
	} {
		t.Run(tt.file, func(t *testing.T) {
			ctx := context.Background()
			db := newTestDB(t)
			mustCreateShop(t, db, "dy", Douyin)
			res, err := importSample(t, db, KindOrders, tt.file, "dy")
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != "抖店 order export (订单导出)" || res.Encoding != tt.encoding {
				t.Fatalf("detected %q in %s", res.Format, res.Encoding)
			}
			if res.Rows != 4 || res.Skipped != 1 || res.Inserted != 4 {
				t.Fatalf("result = %+v; want 4 orders and the unpaid one skipped", res)
			}
			var o Order
			if err := db.gdb.Where("order_id = ?", "6921345678901234568").Take(&o).Error; err != nil {
				t.Fatal(err)
			}
			if o.MainOrderID != "6921345678901234567" || o.Product != "连衣裙 L 黑色" || o.AmountFen != 14900 ||
				o.Promise != PromiseCustom || o.ShippedAt != nil || o.Cancelled {
				t.Fatalf("sub-order 568 = %+v", o)
			}
			if want := "2026-11-25T02:00:03Z"; o.ShipBy.UTC().Format("2006-01-02T15:04:05Z") != want {
				t.Fatalf("ship-by = %v, want %s (承诺发货时间 in China time)", o.ShipBy.UTC(), want)
			}
			var quoted Order
			db.gdb.Where("order_id = ?", "6921345678901234571").Take(&quoted)
			if quoted.MainOrderID != "6921345678901234570" || quoted.AmountFen != 17800 || quoted.ShippedAt == nil || quoted.TrackingNo != "顺丰速运 SF1234567890123" {
				t.Fatalf("=\"…\" quoted order = %+v", quoted)
			}
			var closed Order
			db.gdb.Where("order_id = ?", "6921345678901234573").Take(&closed)
			if !closed.Cancelled {
				t.Fatal("已关闭 order is not cancelled")
			}
			// Re-importing the same export changes nothing.
			again, err := importSample(t, db, KindOrders, tt.file, "dy")
			if err != nil || again.Unchanged != 4 || again.Inserted != 0 || again.Updated != 0 {
				t.Fatalf("re-import = %+v, %v", again, err)
			}
			_ = ctx
		})
	}
}

func TestDoudianReviewExport(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	res, err := importSample(t, db, KindReviews, "doudian_reviews.csv", "dy")
	if err != nil || res.Rows != 3 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	r, err := db.FindReview(ctx, "dy", "6921345678901234571-3581004")
	if err != nil {
		t.Fatal(err)
	}
	if r.Rating != 2 || r.Product != "牛仔阔腿裤 29码" || !strings.Contains(r.Content, "追评：裤子洗了一次就掉色") ||
		r.Aspects != "quality,packaging,logistics" { // the 追评 adds 掉色: quality
		t.Fatalf("review = %+v", r)
	}
}

func TestTaobaoExports(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "tb", Taobao)
	res, err := importSample(t, db, KindScores, "taobao_dsr.csv", "tb")
	if err != nil || res.Rows != 5 || res.Encoding != encGBK {
		t.Fatalf("DSR import = %+v, %v", res, err)
	}
	hist, _ := db.ScoreHistory(ctx, "tb", "2026-11-18", "2026-11-22")
	if len(hist) != 5 || hist[2].Date != "2026-11-20" || hist[4].Value(DimService) != 4.75 || hist[4].Overall != nil {
		t.Fatalf("DSR history = %+v", hist)
	}
	if _, err := importSample(t, db, KindReviews, "taobao_reviews.csv", "tb"); err != nil {
		t.Fatal(err)
	}
	r, err := db.FindReview(ctx, "tb", "4012345678901234-6120001")
	if err != nil || r.Rating != 1 || r.Aspects != "description" {
		t.Fatalf("review = %+v, %v", r, err)
	}
}

func TestExportErrors(t *testing.T) {
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	imp := func(kind Kind, shop, content string) error {
		_, err := db.ImportFile(context.Background(), ImportRequest{Kind: kind, Name: "x.csv", Reader: strings.NewReader(content), Shop: shop})
		return err
	}
	tests := []struct {
		name, kind, shop, content string
		want                      string
	}{
		{"no --shop", "orders", "", "主订单编号,子订单编号,订单应付金额,支付完成时间\n1,2,3,2026-11-24 10:00:00\n", "x.csv:1: --shop: this is a 抖店 order export"},
		{"wrong kind", "reviews", "dy", "主订单编号,子订单编号,订单应付金额,支付完成时间\n", "x.csv:1: header: this is a 抖店 order export (订单导出), which holds orders"},
		{"missing required column", "orders", "dy", "主订单编号,子订单编号,支付完成时间\n1,2,2026-11-24 10:00:00\n", "x.csv:1: 订单应付金额: missing column"},
		{"bad rating", "reviews", "dy", "评价日期,订单ID,商品ID,商品评价得分\n2026-11-24 10:00:00,1,2,六\n", "x.csv:2: 商品评价得分: \"六\" is not a whole number"},
		{"bad time", "orders", "dy", "主订单编号,子订单编号,订单应付金额,支付完成时间\n1,2,3,昨天\n", "x.csv:2: 支付完成时间: \"昨天\" is not a time"},
		{"unknown --shop", "orders", "nope", "主订单编号\n", "x.csv:0: --shop: unknown shop \"nope\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, db)
			err := imp(Kind(tt.kind), tt.shop, tt.content)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v, want prefix %q", err, tt.want)
			}
			if snapshot(t, db) != before {
				t.Fatal("a refused import changed the database")
			}
		})
	}
}

// A canonical file without a shop column imports into the shop named.
func TestCanonicalFileWithShopFlag(t *testing.T) {
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	csv := "order_id,amount,paid_at\nO1,10,2026-11-24 08:00:00\n"
	res, err := db.ImportFile(context.Background(), ImportRequest{Kind: KindOrders, Name: "o.csv", Reader: strings.NewReader(csv), Shop: "dy"})
	if err != nil || res.Inserted != 1 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	_, err = db.ImportFile(context.Background(), ImportRequest{Kind: KindOrders, Name: "o.csv", Reader: strings.NewReader(csv)})
	if err == nil || err.Error() != "o.csv:1: shop: missing column; the header must be: shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no" {
		t.Fatalf("without --shop: %v", err)
	}
}
