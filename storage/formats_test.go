package storage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		r.Aspects != "logistics,packaging,quality" { // the order named; the 追评 adds 掉色: quality
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
	if err != nil || r.Rating != 1 || r.Aspects != "quality,description" { // 霉味 first, then 描述不符
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
		{"unknown --shop", "orders", "nope", "主订单编号\n", "--shop: unknown shop \"nope\" (add it first: dsrbot shop add nope"},
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

// TestReviewGradeWithoutStars: an export that gives a grade (评价等级) and
// no stars still makes a bad review a bad review: counted, routed and
// followed up as one, with the grade kept for display.
func TestReviewGradeWithoutStars(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	export := "评价日期,订单ID,商品ID,商品名称,商品评价得分,评价等级,评价内容\n" +
		"2026-11-23 10:00:00,6921345678901234571,3581004,牛仔裤,,差评,尺码偏小\n" +
		"2026-11-23 11:00:00,6921345678901234572,3581004,牛仔裤,,中评,一般\n" +
		"2026-11-23 12:00:00,6921345678901234573,3581004,牛仔裤,,好评,很好\n"
	res, err := db.ImportFile(ctx, ImportRequest{Kind: KindReviews, Name: "reviews.csv", Reader: strings.NewReader(export), Shop: "dy"})
	if err != nil || res.Rows != 3 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	for _, tt := range []struct {
		id     string
		grade  Grade
		rating int
		status string
	}{
		{"6921345678901234571-3581004", GradeBad, 2, StatusOpen},
		{"6921345678901234572-3581004", GradeNeutral, 3, ""},
		{"6921345678901234573-3581004", GradeGood, 5, ""},
	} {
		r, err := db.FindReview(ctx, "dy", tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Grade != tt.grade || r.Rating != tt.rating || r.Status != tt.status {
			t.Errorf("%s: grade %q, rating %d, status %q; want %q, %d, %q", tt.id, r.Grade, r.Rating, r.Status, tt.grade, tt.rating, tt.status)
		}
	}
	if r, _ := db.FindReview(ctx, "dy", "6921345678901234571-3581004"); r.Aspects != "size" {
		t.Errorf("the bad review was not classified: aspects %q", r.Aspects)
	}

	// Neither stars nor a grade, or a grade nobody writes: refused.
	for _, tt := range []struct{ row, want string }{
		{"2026-11-23 10:00:00,1,2,x,,,text", "reviews.csv:2: 商品评价得分: required"},
		{"2026-11-23 10:00:00,1,2,x,,还行,text", `reviews.csv:2: 评价等级: "还行" is not a grade`},
	} {
		_, err := db.ImportFile(ctx, ImportRequest{Kind: KindReviews, Name: "reviews.csv", Shop: "dy",
			Reader: strings.NewReader("评价日期,订单ID,商品ID,商品名称,商品评价得分,评价等级,评价内容\n" + tt.row + "\n")})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.row, err, tt.want)
		}
	}
}

// TestPickupIsShipTime: where the data carries the carrier's pickup (揽收),
// that is when the platform counts the order as shipped; a pickup alone
// ships the order.
func TestPickupIsShipTime(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	// Paid 11-20 10:00, 48 h promise: due 11-22 10:00.
	content := "shop,order_id,amount,paid_at,shipped_at,picked_up_at\n" +
		"dy,clicked-in-time-picked-late,10,2026-11-20 10:00:00,2026-11-22 09:00:00,2026-11-22 15:00:00\n" +
		"dy,clicked-and-picked-in-time,10,2026-11-20 10:00:00,2026-11-21 09:00:00,2026-11-21 18:00:00\n" +
		"dy,picked-only,10,2026-11-20 10:00:00,,2026-11-21 12:00:00\n" +
		"dy,clicked-only-late,10,2026-11-20 10:00:00,2026-11-22 11:00:00,\n" +
		"dy,unshipped,10,2026-11-20 10:00:00,,\n"
	mustImport(t, db, KindOrders, content, 5)
	for _, tt := range []struct {
		id    string
		state ShipState
	}{
		{"clicked-in-time-picked-late", StateShippedLate},
		{"clicked-and-picked-in-time", StateShippedOnTime},
		{"picked-only", StateShippedOnTime},
		{"clicked-only-late", StateShippedLate},
		{"unshipped", StateLate},
	} {
		var o Order
		if err := db.gdb.WithContext(ctx).Where("order_id = ?", tt.id).Take(&o).Error; err != nil {
			t.Fatal(err)
		}
		if got := o.State(testNow, 6*time.Hour); got != tt.state {
			t.Errorf("%s: %s, want %s", tt.id, got, tt.state)
		}
	}
	_, err := importCSV(db, KindOrders, "orders.csv", "shop,order_id,amount,paid_at,picked_up_at\ndy,x,10,2026-11-20 10:00:00,2026-11-20 09:00:00\n")
	if err == nil || !strings.HasPrefix(err.Error(), "orders.csv:2: picked_up_at: is before paid_at") {
		t.Errorf("a pickup before payment: %v", err)
	}
}

// TestExportForTheWrongPlatform: a 抖店 export named into a Taobao shop (or
// the reverse) is refused with both names, not imported.
func TestExportForTheWrongPlatform(t *testing.T) {
	db := newTestDB(t)
	mustCreateShop(t, db, "dy-kids", Douyin)
	mustCreateShop(t, db, "tb-bags", Taobao)
	for _, tt := range []struct {
		kind       Kind
		file, shop string
		want       string
	}{
		{KindOrders, "doudian_orders.csv", "tb-bags", "doudian_orders.csv:1: --shop: this is a 抖店 order export (订单导出), but tb-bags is a Taobao shop; name a Douyin (抖店) shop"},
		{KindReviews, "doudian_reviews.csv", "tb-bags", "doudian_reviews.csv:1: --shop: this is a 抖店 review export (评价管理), but tb-bags is a Taobao shop"},
		{KindScores, "taobao_dsr.csv", "dy-kids", "taobao_dsr.csv:1: --shop: this is a Taobao DSR history, but dy-kids is a Douyin (抖店) shop; name a Taobao shop"},
		{KindReviews, "taobao_reviews.csv", "dy-kids", "taobao_reviews.csv:1: --shop: this is a Taobao review export, but dy-kids is a Douyin (抖店) shop"},
	} {
		_, err := importSample(t, db, tt.kind, tt.file, tt.shop)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s into %s: %v, want %q", tt.file, tt.shop, err, tt.want)
		}
	}
	for table, n := range tableCounts(t, db) {
		if n != 0 && table != "shops" {
			t.Errorf("%d rows in %s after refused imports", n, table)
		}
	}
}
