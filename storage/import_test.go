package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

const (
	scoresHeader  = "shop,date,overall,product,logistics,service\n"
	reviewsHeader = "shop,review_id,order_id,product_id,product,rating,created_at,content\n"
	ordersHeader  = "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no\n"
)

// importFixture is a database with one Douyin and one Taobao shop.
func importFixture(t *testing.T) *DB {
	t.Helper()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy1", Douyin)
	mustCreateShop(t, db, "tb1", Taobao)
	return db
}

const goodScores = scoresHeader +
	"dy1,2026-11-22,78.5,80.1,70,75.25\n" +
	"dy1,2026-11-23,79,81,71,76\n" +
	"tb1,2026-11-23,,4.8,4.7,4.9\n"

func TestImportScores(t *testing.T) {
	ctx := context.Background()
	db := importFixture(t)
	mustImport(t, db, KindScores, goodScores, 3)

	f := func(v float64) *float64 { return &v }
	want := map[string][]Score{
		"dy1": {
			{ShopID: "dy1", Date: "2026-11-22", Stage: StageFormal, Overall: f(78.5), Product: f(80.1), Logistics: f(70), Service: f(75.25)},
			{ShopID: "dy1", Date: "2026-11-23", Stage: StageFormal, Overall: f(79), Product: f(81), Logistics: f(71), Service: f(76)},
		},
		// Taobao: overall may be empty, DSR values 1-5.
		"tb1": {{ShopID: "tb1", Date: "2026-11-23", Overall: nil, Product: f(4.8), Logistics: f(4.7), Service: f(4.9)}},
	}
	checkScores := func(t *testing.T, want map[string][]Score) {
		t.Helper()
		for shop, ws := range want {
			got, err := db.ScoreHistory(ctx, shop, "2026-11-01", "2026-11-30")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(ws) {
				t.Fatalf("%s: %d scores, want %d: %+v", shop, len(got), len(ws), got)
			}
			for i := range ws {
				g, w := got[i], ws[i]
				if !sameScore(g, w) {
					t.Errorf("%s score %d = %s, want %s", shop, i, scoreString(g), scoreString(w))
				}
			}
		}
	}
	checkScores(t, want)

	// Re-importing the same file changes nothing.
	before := snapshot(t, db)
	mustImport(t, db, KindScores, goodScores, 3)
	if after := snapshot(t, db); after != before {
		t.Fatalf("re-import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// A changed value is updated in place.
	changed := strings.Replace(goodScores, "dy1,2026-11-23,79,81,71,76", "dy1,2026-11-23,79.5,82,71,76", 1)
	mustImport(t, db, KindScores, changed, 3)
	want["dy1"][1].Overall, want["dy1"][1].Product = f(79.5), f(82)
	checkScores(t, want)
	if n := tableCounts(t, db)["scores"]; n != 3 {
		t.Errorf("scores rows = %d after update, want 3", n)
	}
}

const goodReviews = reviewsHeader +
	`dy1,R1,O1,P1,连衣裙 L 黑色,1,2026-11-23 09:15:00,"物流很快但是质量差"` + "\n" +
	`dy1,R2,O2,P1,连衣裙 L 黑色,2,2026-11-23T20:00:00+08:00,"尺码偏小，面料起球"` + "\n" +
	`dy1,R3,O3,P2,针织开衫,5,2026-11-22 08:00:00,"很好, 喜欢"` + "\n" +
	`tb1,R1,T1,P9,牛仔裤,1,2026-11-21 12:00:00,"快递太慢了，包装也压坏了"` + "\n"

func TestImportReviews(t *testing.T) {
	ctx := context.Background()
	db := importFixture(t)
	mustImport(t, db, KindReviews, goodReviews, 4)

	bad, n, err := db.BadReviews(ctx, ReviewFilter{ShopID: "dy1"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || len(bad) != 2 {
		t.Fatalf("dy1 bad reviews = %d (%d listed), want 2", n, len(bad))
	}
	want := []Review{
		{ShopID: "dy1", ReviewID: "R2", OrderID: "O2", ProductID: "P1", Product: "连衣裙 L 黑色", Rating: 2,
			CreatedAt: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC), Content: "尺码偏小，面料起球", Aspects: "size,material", Status: StatusOpen},
		{ShopID: "dy1", ReviewID: "R1", OrderID: "O1", ProductID: "P1", Product: "连衣裙 L 黑色", Rating: 1,
			CreatedAt: time.Date(2026, 11, 23, 1, 15, 0, 0, time.UTC), Content: "物流很快但是质量差", Aspects: "quality", Status: StatusOpen},
	}
	for i, w := range want {
		g := bad[i]
		if g.ShopID != w.ShopID || g.ReviewID != w.ReviewID || g.OrderID != w.OrderID || g.ProductID != w.ProductID ||
			g.Product != w.Product || g.Rating != w.Rating || !g.CreatedAt.Equal(w.CreatedAt) || g.Content != w.Content ||
			g.Aspects != w.Aspects || g.Status != w.Status || g.Owner != "" {
			t.Errorf("bad review %d = %+v\nwant %+v", i, g, w)
		}
	}

	// The good review is stored, with no follow-up.
	var good Review
	if err := db.gdb.Where("shop_id = ? AND review_id = ?", "dy1", "R3").Take(&good).Error; err != nil {
		t.Fatal(err)
	}
	if good.Rating != 5 || good.Status != "" || good.Aspects != "" || good.Content != "很好, 喜欢" {
		t.Errorf("good review = %+v", good)
	}
	// The same review ID in another shop is another review.
	tb, _, err := db.BadReviews(ctx, ReviewFilter{ShopID: "tb1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tb) != 1 || tb[0].Aspects != "logistics,packaging" { // 快递太慢 first: the top aspect
		t.Errorf("tb1 bad reviews = %+v", tb)
	}

	before := snapshot(t, db)
	mustImport(t, db, KindReviews, goodReviews, 4)
	if after := snapshot(t, db); after != before {
		t.Fatalf("re-import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// A changed rating and content are updated, and the aspects follow.
	changed := strings.Replace(goodReviews, `1,2026-11-23 09:15:00,"物流很快但是质量差"`, `1,2026-11-23 09:15:00,"客服不回复"`, 1)
	mustImport(t, db, KindReviews, changed, 4)
	var r1 Review
	if err := db.gdb.Where("shop_id = ? AND review_id = ?", "dy1", "R1").Take(&r1).Error; err != nil {
		t.Fatal(err)
	}
	if r1.Content != "客服不回复" || r1.Aspects != "service" {
		t.Errorf("updated review = %+v", r1)
	}
	if n := tableCounts(t, db)["reviews"]; n != 4 {
		t.Errorf("reviews rows = %d, want 4", n)
	}
}

func TestImportReviewKeepsFollowUp(t *testing.T) {
	ctx := context.Background()
	db := importFixture(t)
	mustImport(t, db, KindReviews, goodReviews, 4)
	closed := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	if err := db.gdb.Exec(`UPDATE reviews SET owner = 'U_ALICE', status = 'done', outcome = 'refund', closed_at = ? WHERE shop_id = 'dy1' AND review_id = 'R1'`, closed).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.gdb.Exec(`UPDATE reviews SET owner = 'U_BOB' WHERE shop_id = 'dy1' AND review_id = 'R2'`).Error; err != nil {
		t.Fatal(err)
	}

	// The platform export is downloaded again with newer text.
	again := strings.NewReplacer("物流很快但是质量差", "质量差，追评：客服也不回复", "尺码偏小，面料起球", "尺码偏小").Replace(goodReviews)
	mustImport(t, db, KindReviews, again, 4)

	tests := []struct {
		id, owner, status, outcome, content string
		closed                              bool
	}{
		{"R1", "U_ALICE", StatusDone, "refund", "质量差，追评：客服也不回复", true},
		{"R2", "U_BOB", StatusOpen, "", "尺码偏小", false},
	}
	for _, tt := range tests {
		var r Review
		if err := db.gdb.WithContext(ctx).Where("shop_id = ? AND review_id = ?", "dy1", tt.id).Take(&r).Error; err != nil {
			t.Fatal(err)
		}
		if r.Owner != tt.owner || r.Status != tt.status || r.Outcome != tt.outcome || r.Content != tt.content {
			t.Errorf("%s after re-import: owner %q status %q outcome %q content %q; want %q %q %q %q",
				tt.id, r.Owner, r.Status, r.Outcome, r.Content, tt.owner, tt.status, tt.outcome, tt.content)
		}
		if tt.closed && (r.ClosedAt == nil || !r.ClosedAt.Equal(closed)) {
			t.Errorf("%s closed_at = %v, want %v", tt.id, r.ClosedAt, closed)
		}
	}
}

const goodOrders = ordersHeader +
	"dy1,O1,连衣裙,129.9,2026-11-24 15:59:00,same_day,,,\n" +
	"dy1,O2,连衣裙,\"¥1,299.00\",2026-11-24 16:00:00,same_day,,,\n" +
	"dy1,O3,开衫,59,2026-11-24 10:00:00,next_day,,2026-11-24 18:30:00,SF123\n" +
	"dy1,O4,大衣,499,2026-11-24 10:00:00,,,,\n" +
	"dy1,O5,定制,88,2026-11-24 10:00:00,custom,2026-11-27 12:00:00,,\n" +
	"tb1,O1,预售款,0.5,2026-11-20T10:00:00+08:00,presale,2026-12-01 00:00:00,,\n"

func TestImportOrders(t *testing.T) {
	db := importFixture(t)
	mustImport(t, db, KindOrders, goodOrders, 6)

	sh := func(d, h, mi, s int) time.Time { return time.Date(2026, 11, d, h, mi, s, 0, shanghai) }
	shipped := sh(24, 18, 30, 0)
	tests := []struct {
		shop, id  string
		amount    int64
		paid      time.Time
		promise   Promise
		shipBy    time.Time
		shippedAt *time.Time
		tracking  string
	}{
		{"dy1", "O1", 12990, sh(24, 15, 59, 0), PromiseSameDay, sh(24, 23, 59, 59), nil, ""},
		{"dy1", "O2", 129900, sh(24, 16, 0, 0), PromiseSameDay, sh(25, 23, 59, 59), nil, ""},
		{"dy1", "O3", 5900, sh(24, 10, 0, 0), PromiseNextDay, sh(25, 23, 59, 59), &shipped, "SF123"},
		{"dy1", "O4", 49900, sh(24, 10, 0, 0), Promise48h, sh(26, 10, 0, 0), nil, ""},
		{"dy1", "O5", 8800, sh(24, 10, 0, 0), PromiseCustom, sh(27, 12, 0, 0), nil, ""},
		{"tb1", "O1", 50, sh(20, 10, 0, 0), PromisePresale, time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai), nil, ""},
	}
	for _, tt := range tests {
		var o Order
		if err := db.gdb.Where("shop_id = ? AND order_id = ?", tt.shop, tt.id).Take(&o).Error; err != nil {
			t.Fatalf("%s/%s: %v", tt.shop, tt.id, err)
		}
		if o.AmountFen != tt.amount || !o.PaidAt.Equal(tt.paid) || o.Promise != tt.promise || !o.ShipBy.Equal(tt.shipBy) || o.TrackingNo != tt.tracking {
			t.Errorf("%s/%s = amount %d paid %v promise %q ship_by %v tracking %q\nwant amount %d paid %v promise %q ship_by %v tracking %q",
				tt.shop, tt.id, o.AmountFen, o.PaidAt, o.Promise, o.ShipBy, o.TrackingNo, tt.amount, tt.paid.UTC(), tt.promise, tt.shipBy.UTC(), tt.tracking)
		}
		if (o.ShippedAt == nil) != (tt.shippedAt == nil) || (o.ShippedAt != nil && !o.ShippedAt.Equal(*tt.shippedAt)) {
			t.Errorf("%s/%s shipped_at = %v, want %v", tt.shop, tt.id, o.ShippedAt, tt.shippedAt)
		}
	}

	// OpenOrders sees the unshipped dy1 orders only, oldest deadline first.
	open, n, err := db.OpenOrders(context.Background(), "dy1", time.Time{}, sh(30, 0, 0, 0), 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range open {
		ids = append(ids, o.OrderID)
	}
	if n != 4 || strings.Join(ids, ",") != "O1,O2,O4,O5" {
		t.Errorf("OpenOrders = %d %v, want 4 [O1 O2 O4 O5]", n, ids)
	}

	before := snapshot(t, db)
	mustImport(t, db, KindOrders, goodOrders, 6)
	if after := snapshot(t, db); after != before {
		t.Fatalf("re-import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// The order ships: the re-import records it, without a new row.
	changed := strings.Replace(goodOrders, "dy1,O4,大衣,499,2026-11-24 10:00:00,,,,", "dy1,O4,大衣,499,2026-11-24 10:00:00,,,2026-11-25 09:00:00,YT9", 1)
	mustImport(t, db, KindOrders, changed, 6)
	var o4 Order
	if err := db.gdb.Where("shop_id = ? AND order_id = ?", "dy1", "O4").Take(&o4).Error; err != nil {
		t.Fatal(err)
	}
	if o4.ShippedAt == nil || !o4.ShippedAt.Equal(sh(25, 9, 0, 0)) || o4.TrackingNo != "YT9" {
		t.Errorf("O4 after re-import: shipped %v tracking %q", o4.ShippedAt, o4.TrackingNo)
	}
	if n := tableCounts(t, db)["orders"]; n != 6 {
		t.Errorf("orders rows = %d, want 6", n)
	}
}

func TestImportBOM(t *testing.T) {
	tests := []struct {
		kind    Kind
		content string
		rows    int
	}{
		{KindScores, goodScores, 3},
		{KindReviews, goodReviews, 4},
		{KindOrders, goodOrders, 6},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			db := importFixture(t)
			mustImport(t, db, tt.kind, "\xef\xbb\xbf"+tt.content, tt.rows)
			if n := tableCounts(t, db)[string(tt.kind)]; n != tt.rows {
				t.Errorf("%s rows = %d, want %d", tt.kind, n, tt.rows)
			}
		})
	}
}

func TestImportBlankLinesAndColumnOrder(t *testing.T) {
	db := importFixture(t)
	// Columns in another order, upper case, optional ones left out, blank lines.
	content := "Service, Product ,LOGISTICS,date,shop\n\n4.9,4.8,4.7,2026-11-23,tb1\n,,,,\n4.8,4.8,4.8,2026-11-24,tb1\n"
	mustImport(t, db, KindScores, content, 2)
	got, err := db.ScoreHistory(context.Background(), "tb1", "2026-11-23", "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Value(DimService) != 4.9 || got[0].Value(DimProduct) != 4.8 || got[0].Value(DimLogistics) != 4.7 || got[0].Overall != nil {
		t.Errorf("scores = %+v", got)
	}
}

// manyGoodOrders returns n good order rows for dy1 (O1..On), each a line.
func manyGoodOrders(n int, amount string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "dy1,O%d,商品,%s,2026-11-20 10:00:00,48h,,,\n", i, amount)
	}
	return b.String()
}

func TestImportBadRowChangesNothing(t *testing.T) {
	tests := []struct {
		name    string
		kind    Kind
		content string
		line    int
		column  string
	}{
		{"unknown shop", KindOrders, ordersHeader + "dy1,O1,a,1,2026-11-24 10:00:00,,,,\nnope,O2,a,1,2026-11-24 10:00:00,,,,\n", 3, "shop"},
		{"empty shop", KindReviews, reviewsHeader + ",R1,,,,1,2026-11-24 10:00:00,差\n", 2, "shop"},
		{"bad score date", KindScores, scoresHeader + "dy1,2026-11-20,80,80,80,80\ndy1,2026-02-30,80,80,80,80\n", 3, "date"},
		{"score date month 13", KindScores, scoresHeader + "dy1,2026-13-5,80,80,80,80\n", 2, "date"},
		{"bad review time", KindReviews, reviewsHeader + "dy1,R1,,,,1,2026-13-01 10:00:00,差\n", 2, "created_at"},
		{"missing review time", KindReviews, reviewsHeader + "dy1,R1,,,,1,,差\n", 2, "created_at"},
		{"bad paid_at", KindOrders, ordersHeader + "dy1,O1,a,1,yesterday,,,,\n", 2, "paid_at"},
		{"rating 0", KindReviews, reviewsHeader + "dy1,R1,,,,0,2026-11-24 10:00:00,差\n", 2, "rating"},
		{"rating 6", KindReviews, reviewsHeader + "dy1,R1,,,,5,2026-11-24 10:00:00,好\ndy1,R2,,,,6,2026-11-24 10:00:00,好\n", 3, "rating"},
		{"rating 4.5", KindReviews, reviewsHeader + "dy1,R1,,,,4.5,2026-11-24 10:00:00,好\n", 2, "rating"},
		{"missing rating column", KindReviews, "shop,review_id,created_at,content\ndy1,R1,2026-11-24 10:00:00,差\n", 1, "rating"},
		{"missing paid_at column", KindOrders, "shop,order_id,amount\ndy1,O1,1\n", 1, "paid_at"},
		{"missing service column", KindScores, "shop,date,overall,product,logistics\ndy1,2026-11-24,80,80,80\n", 1, "service"},
		{"bad promise", KindOrders, ordersHeader + "dy1,O1,a,1,2026-11-24 10:00:00,3d,,,\n", 2, "promise"},
		{"custom without promised_ship_by", KindOrders, ordersHeader + "dy1,O1,a,1,2026-11-24 10:00:00,custom,,,\n", 2, "promised_ship_by"},
		{"presale without promised_ship_by", KindOrders, ordersHeader + "dy1,O1,a,1,2026-11-24 10:00:00,presale,,,\n", 2, "promised_ship_by"},
		{"promised_ship_by before paid_at", KindOrders, ordersHeader + "dy1,O1,a,1,2026-11-24 10:00:00,custom,2026-11-23 10:00:00,,\n", 2, "promised_ship_by"},
		{"shipped_at before paid_at", KindOrders, ordersHeader + "dy1,O1,a,1,2026-11-24 10:00:00,,,2026-11-24 09:59:59,\n", 2, "shipped_at"},
		{"negative amount", KindOrders, ordersHeader + "dy1,O1,a,-1,2026-11-24 10:00:00,,,,\n", 2, "amount"},
		{"amount not a number", KindOrders, ordersHeader + "dy1,O1,a,abc,2026-11-24 10:00:00,,,,\n", 2, "amount"},
		{"bare quote", KindOrders, ordersHeader + "dy1,O1,a,1,2026-11-24 10:00:00,,,,\ndy1,O\"2,a,1,2026-11-24 10:00:00,,,,\n", 3, "csv"},
		{"text after closing quote", KindReviews, reviewsHeader + "dy1,R1,,,,1,2026-11-24 10:00:00,\"差\"评\n", 2, "csv"},
		{"douyin overall empty", KindScores, scoresHeader + "dy1,2026-11-24,,80,80,80\n", 2, "overall"},
		{"douyin overall 101", KindScores, scoresHeader + "dy1,2026-11-24,101,80,80,80\n", 2, "overall"},
		{"taobao product 6", KindScores, scoresHeader + "tb1,2026-11-24,,6,4.8,4.8\n", 2, "product"},
		{"taobao service 0.5", KindScores, scoresHeader + "tb1,2026-11-24,,4.8,4.8,0.5\n", 2, "service"},
		{"taobao logistics not a number", KindScores, scoresHeader + "tb1,2026-11-24,,4.8,高,4.8\n", 2, "logistics"},

		// Several full batches of 256 were flushed inside the transaction
		// before the bad line, and they update rows that already exist.
		{"bad amount after 600 rows", KindOrders, ordersHeader + manyGoodOrders(600, "9.9") + "dy1,O601,a,-5,2026-11-24 10:00:00,,,,\n", 602, "amount"},
		{"bare quote after 600 rows", KindOrders, ordersHeader + manyGoodOrders(600, "9.9") + "dy1,O\"601,a,5,2026-11-24 10:00:00,,,,\n", 602, "csv"},
		{"unknown shop after 600 rows", KindOrders, ordersHeader + manyGoodOrders(600, "9.9") + "dy2,O601,a,5,2026-11-24 10:00:00,,,,\n", 602, "shop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := importFixture(t)
			// Existing data of every kind, some of it keyed like the bad file's rows.
			mustImport(t, db, KindScores, goodScores, 3)
			mustImport(t, db, KindReviews, goodReviews, 4)
			mustImport(t, db, KindOrders, ordersHeader+manyGoodOrders(300, "1.00"), 300)
			beforeCounts := tableCounts(t, db)
			before := snapshot(t, db)

			const file = "bad.csv"
			res, err := importCSV(db, tt.kind, file, tt.content)
			if res != nil {
				t.Errorf("Import result = %+v, want nil", res)
			}
			ie := asImportError(t, err)
			if ie.File != file || ie.Line != tt.line || ie.Column != tt.column {
				t.Errorf("ImportError = %q, want %s:%d: %s: ...", ie.Error(), file, tt.line, tt.column)
			}
			if ie.Reason == "" {
				t.Errorf("ImportError has an empty reason")
			}
			if want := fmt.Sprintf("%s:%d: %s: %s", file, tt.line, tt.column, ie.Reason); ie.Error() != want {
				t.Errorf("Error() = %q, want %q", ie.Error(), want)
			}

			if afterCounts := tableCounts(t, db); fmt.Sprint(afterCounts) != fmt.Sprint(beforeCounts) {
				t.Errorf("row counts changed: before %v, after %v", beforeCounts, afterCounts)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("the failed import changed the database")
			}
		})
	}
}

// TestImportRejectsNaN: strconv.ParseFloat accepts "NaN", and NaN fails
// every comparison, so the range check in csvRow.float lets it through.
// SQLite stores a NaN double as NULL: a Douyin overall of "NaN" is silently
// stored as no score, and a NaN dimension fails the NOT NULL constraint with
// a database error instead of the contract's FILE:LINE: column: reason.
func TestImportRejectsNaN(t *testing.T) {
	tests := []struct {
		name, content, column string
	}{
		{"douyin overall NaN", scoresHeader + "dy1,2026-11-24,NaN,80,80,80\n", "overall"},
		{"douyin product nan", scoresHeader + "dy1,2026-11-24,80,nan,80,80\n", "product"},
		{"taobao service NaN", scoresHeader + "tb1,2026-11-24,,4.8,4.8,NaN\n", "service"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := importFixture(t)
			before := snapshot(t, db)
			_, err := importCSV(db, KindScores, "s.csv", tt.content)
			ie := asImportError(t, err)
			if ie.Line != 2 || ie.Column != tt.column {
				t.Errorf("ImportError = %q, want s.csv:2: %s: ...", ie.Error(), tt.column)
			}
			if after := snapshot(t, db); after != before {
				t.Errorf("the failed import changed the database")
			}
		})
	}
}

// TestImportUnterminatedQuoteLine: a quote opened and never closed swallows
// the rest of the file, and encoding/csv reports the line where it gave up
// (the end of the file) in ParseError.Line and the bad record's first line
// in ParseError.StartLine. Every other import error names the first line of
// the bad record, so this one must too: line 999 of a 3-line record tells a
// merchant nothing.
func TestImportUnterminatedQuoteLine(t *testing.T) {
	db := importFixture(t)
	content := ordersHeader +
		"dy1,O1,a,1,2026-11-24 10:00:00,,,,\n" +
		"dy1,O2,\"unterminated,1,2026-11-24 10:00:00,,,,\n" +
		"dy1,O3,a,1,2026-11-24 10:00:00,,,,\n" +
		"dy1,O4,a,1,2026-11-24 10:00:00,,,,\n"
	before := snapshot(t, db)
	_, err := importCSV(db, KindOrders, "o.csv", content)
	ie := asImportError(t, err)
	if ie.Line != 3 || ie.Column != "csv" {
		t.Errorf("ImportError = %q, want o.csv:3: csv: ...", ie.Error())
	}
	if after := snapshot(t, db); after != before {
		t.Errorf("the failed import changed the database")
	}
}

func TestImportEmptyFile(t *testing.T) {
	db := importFixture(t)
	_, err := importCSV(db, KindOrders, "empty.csv", "")
	ie := asImportError(t, err)
	if ie.Line != 1 || ie.Column != "header" || ie.Reason == "" {
		t.Errorf("ImportError = %q, want empty.csv:1: header: ...", ie.Error())
	}
}

func TestImportMultilineFieldLineNumbers(t *testing.T) {
	tests := []struct {
		name, content string
		line          int
	}{
		// A quoted field over three lines moves the next record to line 5.
		{"next record", reviewsHeader +
			"dy1,R1,,,,1,2026-11-24 10:00:00,\"第一行\n第二行\n第三行\"\n" +
			"dy1,R2,,,,9,2026-11-24 10:00:00,差\n", 5},
		// A bad record that spans lines is named by its first line.
		{"bad record itself", reviewsHeader +
			"dy1,R1,,,,1,2026-11-24 10:00:00,差\n" +
			"dy1,R2,,,\"连衣裙\nL 黑色\",9,2026-11-24 10:00:00,差\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := importFixture(t)
			_, err := importCSV(db, KindReviews, "r.csv", tt.content)
			ie := asImportError(t, err)
			if ie.Line != tt.line || ie.Column != "rating" {
				t.Errorf("ImportError = %q, want r.csv:%d: rating: ...", ie.Error(), tt.line)
			}
		})
	}
}

func TestParseKind(t *testing.T) {
	for _, s := range []string{"scores", "reviews", "orders"} {
		if k, err := ParseKind(s); err != nil || string(k) != s {
			t.Errorf("ParseKind(%q) = %q, %v", s, k, err)
		}
	}
	if _, err := ParseKind("refunds"); ErrorCode(err) != EINVALID {
		t.Errorf("ParseKind(refunds) error code = %q, want %q", ErrorCode(err), EINVALID)
	}
}
