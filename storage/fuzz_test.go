package storage

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzImportFile feeds arbitrary bytes to ImportFile as every kind, as a
// file (CSV of any encoding, XLSX) or as JSON lines, with and without a
// shop. Whatever the bytes, it must not panic, and an import is all or
// nothing: an error leaves the database exactly as it was; a success
// accounts for its rows. Seeds are the platform samples in testdata and
// canonical files of each kind; run it for minutes after changing a
// reader:
//
//	go test ./storage -run '^$' -fuzz FuzzImportFile -fuzztime 2m
func FuzzImportFile(f *testing.F) {
	kinds := []Kind{KindScores, KindReviews, KindOrders}
	for _, s := range []struct {
		file      string
		kind      Kind
		shop, jsl bool
	}{
		{"doudian_orders.csv", KindOrders, true, false},
		{"doudian_orders_gbk.csv", KindOrders, true, false},
		{"doudian_orders.xlsx", KindOrders, true, false},
		{"doudian_reviews.csv", KindReviews, true, false},
		{"taobao_dsr.csv", KindScores, true, false},
		{"taobao_reviews.csv", KindReviews, true, false},
	} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", s.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(kindIndex(kinds, s.kind)), s.shop, s.jsl)
	}
	for _, s := range []struct {
		kind Kind
		data string
		jsl  bool
	}{
		{KindScores, goodScores, false},
		{KindScores, "shop,date,stage,overall\ndy1,2026-11-24,growth,70\n", false},
		{KindReviews, goodReviews, false},
		{KindReviews, reviewsHeader + "dy1,R1,O1,P1,连衣裙,1,2026-11-24 08:00:00,\"尺码偏小, 电话 138 1234 5678\"\n", false},
		{KindOrders, ordersHeader + "dy1,O1,连衣裙,¥1,299.00,2026-11-24 08:00:00,custom,2026-11-25 08:00:00,,\n", false},
		{KindOrders, ordersHeader + manyGoodOrders(3, "9.9") + "dy1,O4,a,-5,2026-11-24 10:00:00,,,,\n", false},
		{KindOrders, `{"shop":"dy1","order_id":"O3","amount":99.5,"paid_at":"2026-11-24T08:00:00+08:00"}` + "\n", true},
		{KindReviews, `{"shop":"dy1","review_id":"R9","rating":1,"created_at":"2026-11-24 08:00:00","content":"差"}` + "\n{", true},
	} {
		f.Add([]byte(s.data), uint8(kindIndex(kinds, s.kind)), false, s.jsl)
	}

	db := newTestDB(f)
	mustCreateShop(f, db, "dy1", Douyin)
	mustCreateShop(f, db, "tb1", Taobao)
	mustImport(f, db, KindOrders, ordersHeader+manyGoodOrders(20, "1.00"), 20)
	mustImport(f, db, KindReviews, goodReviews, 4)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte, kind uint8, withShop, jsonLines bool) {
		req := ImportRequest{Kind: kinds[int(kind)%len(kinds)], Name: "fuzz", Reader: bytes.NewReader(data), JSONLines: jsonLines}
		if withShop {
			req.Shop = "dy1"
		}
		before := snapshot(t, db)
		res, err := db.ImportFile(ctx, req)
		if err != nil {
			if res != nil {
				t.Fatalf("an error (%v) came with a result %+v", err, res)
			}
			if after := snapshot(t, db); after != before {
				t.Fatalf("a failed import (%v) changed the database", err)
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T %q is not an *ImportError: the user gets no FILE:LINE: column: reason", err, err)
			}
			return
		}
		if res.Inserted < 0 || res.Updated < 0 || res.Unchanged < 0 || res.Inserted+res.Updated+res.Unchanged != res.Rows {
			t.Fatalf("result does not add up: %+v", res)
		}
	})
}

func kindIndex(kinds []Kind, k Kind) int {
	for i, x := range kinds {
		if x == k {
			return i
		}
	}
	return 0
}

// TestImportUnreadableIsARowError: a file found damaged while its rows are
// read is the file's fault and reported like a bad row (the ingest
// endpoint answers 422, not 500): a JSON line past the limit here; a broken
// XLSX sheet is in FuzzImportFile's corpus.
func TestImportUnreadableIsARowError(t *testing.T) {
	db := importFixture(t)
	long := `{"shop":"dy1","order_id":"O1","amount":1,"paid_at":"2026-11-24 08:00:00"}` + "\n" +
		`{"shop":"dy1","order_id":"` + strings.Repeat("9", maxJSONLine) + `"}` + "\n"
	_, err := db.ImportFile(context.Background(), ImportRequest{Kind: KindOrders, Name: "push", Reader: strings.NewReader(long), JSONLines: true})
	if ie := asImportError(t, err); ie.Line != 2 || ie.Column != "json" || !strings.Contains(ie.Reason, "over 4 MiB") {
		t.Fatalf("error = %v", err)
	}
}
