package storage

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A dash is how exports and people write "nothing", in every encoding:
// an unshipped order stays open, an unpaid one is skipped, an empty 追评
// adds nothing, an empty 售后状态 changes nothing.
func TestExportDashIsEmpty(t *testing.T) {
	for _, enc := range exportEncodings {
		for _, dash := range []string{"-", "--", "—", "－"} {
			t.Run(enc+" "+dash, func(t *testing.T) {
				db := newTestDB(t)
				mustCreateShop(t, db, "dy", Douyin)
				orders := buildExport(t, enc, doudianOrderHeader, [][]any{
					doudianOrder(1, map[string]any{"发货时间": dash, "售后状态": dash, "快递信息": dash}),
					doudianOrder(2, map[string]any{"支付完成时间": dash, "承诺发货时间": dash, "订单状态": "待支付"}),
					doudianOrder(3, map[string]any{"发货时间": "2026-11-23 18:30:00", "快递信息": "SF123", "订单状态": "已发货"}),
				})
				res, err := importExport(db, KindOrders, enc, "dy", orders)
				if err != nil {
					t.Fatal(err)
				}
				if res.Rows != 2 || res.Skipped != 1 || res.Inserted != 2 {
					t.Fatalf("result = %+v; want 2 orders and the unpaid one skipped", res)
				}
				if n := tableCounts(t, db)["orders"]; n != 2 {
					t.Fatalf("orders rows = %d, want 2", n)
				}
				open := takeOrder(t, db, subOrderID(1))
				if open.ShippedAt != nil || open.Cancelled || open.TrackingNo != "" {
					t.Errorf("order with 发货时间 %q = shipped %v cancelled %v tracking %q; want open", dash, open.ShippedAt, open.Cancelled, open.TrackingNo)
				}
				if shipped := takeOrder(t, db, subOrderID(3)); shipped.ShippedAt == nil {
					t.Errorf("shipped order is open")
				}

				reviews := buildExport(t, enc, doudianReviewHeader, [][]any{
					doudianReview(1, map[string]any{"评价内容": "尺码偏小", "追评内容": dash, "追评时间": dash}),
				})
				if _, err := importExport(db, KindReviews, enc, "dy", reviews); err != nil {
					t.Fatal(err)
				}
				r, err := db.FindReview(context.Background(), "dy", subOrderID(1)+"-3581001")
				if err != nil {
					t.Fatal(err)
				}
				if r.Content != "尺码偏小" {
					t.Errorf("content = %q; a 追评 of %q must add nothing", r.Content, dash)
				}
			})
		}
	}
}

// A dash is empty in canonical CSV and JSON lines too; an amount of "-"
// is then missing.
func TestCanonicalDashIsEmpty(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	csvFile := ordersHeader + "dy,O1,裙,9.9,2026-11-23 10:00:00,48h,-,—,－\n"
	if _, err := importCSV(db, KindOrders, "o.csv", csvFile); err != nil {
		t.Fatal(err)
	}
	jsonl := `{"shop":"dy","order_id":"O2","amount":"9.9","paid_at":"2026-11-23 10:00:00","shipped_at":"-","tracking_no":"--"}` + "\n"
	if _, err := db.ImportFile(ctx, ImportRequest{Kind: KindOrders, Name: "o.jsonl", Reader: strings.NewReader(jsonl), JSONLines: true}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"O1", "O2"} {
		if o := takeOrder(t, db, id); o.ShippedAt != nil || o.TrackingNo != "" {
			t.Errorf("%s = shipped %v tracking %q; want open", id, o.ShippedAt, o.TrackingNo)
		}
	}

	before := snapshot(t, db)
	_, err := importCSV(db, KindOrders, "o.csv", ordersHeader+"dy,O3,裙,-,2026-11-23 10:00:00,,,,\n")
	if err == nil || err.Error() != "o.csv:2: amount: required" {
		t.Errorf("amount -: err = %v, want o.csv:2: amount: required", err)
	}
	if snapshot(t, db) != before {
		t.Error("a refused import changed the database")
	}
}

// timeShapes are the ways a time reaches the import once Excel has saved
// the file again, each with the instant it means in Shanghai.
var timeShapes = []struct {
	in   string
	want string // UTC
}{
	{"2026-09-22 00:54:12", "2026-09-21T16:54:12Z"},
	{"2026/9/22 0:54", "2026-09-21T16:54:00Z"},
	{"2026/9/22 00:54:12", "2026-09-21T16:54:12Z"},
	{"2026-9-22 0:54", "2026-09-21T16:54:00Z"},
	{"9/22/26 00:54", "2026-09-21T16:54:00Z"},
	{"9/22/2026 0:54", "2026-09-21T16:54:00Z"},
	{"2026年10月03日 09:12:33", "2026-10-03T01:12:33Z"},
	{"2026年10月3日 9:12", "2026-10-03T01:12:00Z"},
	{"2026-10-03", "2026-10-02T16:00:00Z"},
	{"2026/10/3", "2026-10-02T16:00:00Z"},
	{"2026年10月3日", "2026-10-02T16:00:00Z"},
	{"2026-09-22 00:54:12.000", "2026-09-21T16:54:12Z"},
	{"2026/9/22 0:54:12.000", "2026-09-21T16:54:12Z"},
	{"2026-09-22T00:54:12", "2026-09-21T16:54:12Z"},
	{"2026-09-22T00:54:12+08:00", "2026-09-21T16:54:12Z"},
	{"2026-09-21T16:54:12Z", "2026-09-21T16:54:12Z"},
	{"2026-09-22T01:54:12.5+09:00", "2026-09-21T16:54:12Z"},
}

// Every time shape, as the 支付完成时间 of a 抖店 export in each encoding
// (a text cell in the workbook), is stored as its instant.
func TestExportTimeShapes(t *testing.T) {
	for _, enc := range exportEncodings {
		t.Run(enc, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "dy", Douyin)
			var rows [][]any
			for i, tt := range timeShapes {
				rows = append(rows, doudianOrder(i+1, map[string]any{"支付完成时间": tt.in, "承诺发货时间": ""}))
			}
			res, err := importExport(db, KindOrders, enc, "dy", buildExport(t, enc, doudianOrderHeader, rows))
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != len(timeShapes) {
				t.Fatalf("rows = %d, want %d", res.Rows, len(timeShapes))
			}
			for i, tt := range timeShapes {
				o := takeOrder(t, db, subOrderID(i+1))
				if got := o.PaidAt.UTC().Format(time.RFC3339); got != tt.want {
					t.Errorf("支付完成时间 %q stored as %s, want %s", tt.in, got, tt.want)
				}
			}
		})
	}
}

// A time that is not one, or whose parts are out of range, is refused
// with its reason, and nothing is written.
func TestExportTimeRefused(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"2026-13-01 10:00:00", `"2026-13-01 10:00:00" is not a time: there is no month 13`},
		{"2026/9/22 25:00", `"2026/9/22 25:00" is not a time: hour 25 is past 23`},
		{"2026-02-30", `"2026-02-30" is not a time: 2026-02 has no day 30`},
		{"2026-02-29 10:00:00", `"2026-02-29 10:00:00" is not a time: 2026-02 has no day 29`},
		{"2026/9/22 0:61", `"2026/9/22 0:61" is not a time: minute 61 is past 59`},
		{"22/9/2026 0:54", `"22/9/2026 0:54" is not a time: there is no month 22`},
		{"2026年13月3日", `"2026年13月3日" is not a time: there is no month 13`},
		{"昨天", `"昨天" is not a time (` + acceptedTimes + `)`},
		{"2026-09-22 0054", `"2026-09-22 0054" is not a time (` + acceptedTimes + `)`},
		{"46287.0375", `"46287.0375" is not a time (` + acceptedTimes + `)`}, // a serial in a CSV is not a date
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "dy", Douyin)
			data := buildExport(t, asBOM, doudianOrderHeader, [][]any{
				doudianOrder(1, nil),
				doudianOrder(2, map[string]any{"支付完成时间": tt.in, "承诺发货时间": ""}),
			})
			res, err := importExport(db, KindOrders, asBOM, "dy", data)
			if want := "export.csv:3: 支付完成时间: " + tt.reason; err == nil || err.Error() != want {
				t.Fatalf("err = %v\nwant %s", err, want)
			}
			asImportError(t, err)
			if res != nil || tableCounts(t, db)["orders"] != 0 {
				t.Fatal("a refused import wrote orders")
			}
		})
	}
}

// Date cells of a workbook are read by their serial, whatever number
// format shows them, as wall time in the shop's zone; amounts and ratings
// stored as numbers still read.
func TestXLSXDateCells(t *testing.T) {
	at := time.Date(2026, 9, 22, 0, 54, 12, 0, shanghai)
	tests := []struct {
		name     string
		cell     any
		date1904 bool
		want     string
	}{
		{"built-in m/d/yy h:mm", xlsxDate{t: at, numFmt: 22}, false, "2026-09-21T16:54:12Z"},
		{"built-in m/d/yy h:mm, 1904 dates", xlsxDate{t: at, numFmt: 22}, true, "2026-09-21T16:54:12Z"},
		{"custom 年月日", xlsxDate{t: at, custom: `yyyy"年"m"月"d"日" hh:mm:ss`}, false, "2026-09-21T16:54:12Z"},
		{"custom yyyy/m/d h:mm", xlsxDate{t: at, custom: "yyyy/m/d h:mm"}, false, "2026-09-21T16:54:12Z"},
		{"date-only format keeps the time", xlsxDate{t: at, numFmt: 14}, false, "2026-09-21T16:54:12Z"},
		{"serial as Excel stores it", xlsxNumber("46287.0375"), false, "2026-09-21T16:54:00Z"},
		{"serial off by a rounding error", xlsxNumber("46287.037638888"), false, "2026-09-21T16:54:12Z"},
		{"text cell", "2026/9/22 0:54:12", false, "2026-09-21T16:54:12Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "dy", Douyin)
			rows := [][]any{doudianOrder(1, map[string]any{
				"支付完成时间": tt.cell, "承诺发货时间": xlsxDate{t: at.Add(48 * time.Hour), numFmt: 22},
				"订单应付金额": xlsxFloat(149.9), "商品金额": xlsxFloat(159),
			})}
			res, err := importExport(db, KindOrders, asXLSX, "dy", buildXLSX(t, doudianOrderHeader, rows, tt.date1904))
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != 1 {
				t.Fatalf("rows = %d", res.Rows)
			}
			o := takeOrder(t, db, subOrderID(1))
			if got := o.PaidAt.UTC().Format(time.RFC3339); got != tt.want {
				t.Errorf("paid_at = %s, want %s", got, tt.want)
			}
			if got := o.ShipBy.UTC().Format(time.RFC3339); got != "2026-09-23T16:54:12Z" {
				t.Errorf("ship_by = %s, want 2026-09-23T16:54:12Z", got)
			}
			if o.AmountFen != 14990 {
				t.Errorf("amount = %d fen, want 14990", o.AmountFen)
			}
		})
	}

	// A review's 评价日期 and rating as a workbook holds them.
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	reviews := [][]any{doudianReview(1, map[string]any{
		"评价日期": xlsxDate{t: at, custom: `yyyy"年"m"月"d"日" hh:mm:ss`}, "商品评价得分": xlsxFloat(2), "商品ID": xlsxFloat(3581001),
	})}
	if _, err := importExport(db, KindReviews, asXLSX, "dy", buildXLSX(t, doudianReviewHeader, reviews, false)); err != nil {
		t.Fatal(err)
	}
	r, err := db.FindReview(context.Background(), "dy", subOrderID(1)+"-3581001")
	if err != nil {
		t.Fatal(err)
	}
	if r.Rating != 2 || !r.CreatedAt.Equal(at) {
		t.Errorf("review = rating %d created %v; want 2 at %v", r.Rating, r.CreatedAt, at)
	}

	// A number no date can be is refused, not read as one.
	rows := [][]any{doudianOrder(1, map[string]any{"支付完成时间": xlsxNumber("20260922")})}
	_, err = importExport(db, KindOrders, asXLSX, "dy", buildXLSX(t, doudianOrderHeader, rows, false))
	if want := "export.xlsx:2: 支付完成时间: 20260922 is a number, not a date or time"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// A scores file's date reads in the same shapes, and as a workbook's date
// cell, and is stored as YYYY-MM-DD.
func TestScoreDateShapes(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	mustCreateShop(t, db, "tb", Taobao)
	for _, d := range []string{"2026/10/3", "2026年10月3日", "2026-10-3", "10/3/26", "2026/10/3 0:00"} {
		if _, err := importCSV(db, KindScores, "s.csv", scoresHeader+"dy,"+d+",80,80,80,80\n"); err != nil {
			t.Fatalf("date %q: %v", d, err)
		}
		hist, err := db.ScoreHistory(ctx, "dy", "2026-10-01", "2026-10-31")
		if err != nil || len(hist) != 1 || hist[0].Date != "2026-10-03" {
			t.Fatalf("date %q stored as %+v, %v; want 2026-10-03", d, hist, err)
		}
	}
	_, err := importCSV(db, KindScores, "s.csv", scoresHeader+"dy,2026/2/30,80,80,80,80\n")
	if want := `s.csv:2: date: "2026/2/30" is not a date: 2026-02 has no day 30`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}

	// The Taobao DSR history as a workbook, its dates as date cells.
	day := func(d int) xlsxDate { return xlsxDate{t: time.Date(2026, 11, d, 0, 0, 0, 0, shanghai), numFmt: 14} }
	dsr := buildXLSX(t, []string{"日期", "描述相符", "服务态度", "物流服务"}, [][]any{
		{day(20), xlsxFloat(4.81), xlsxFloat(4.84), xlsxFloat(4.77)},
		{"2026/11/21", "4.81", "4.80", "4.77"},
		{"2026-11-22 00:00:00", "4.80", "4.75", "4.76"},
	}, false)
	if _, err := importExport(db, KindScores, asXLSX, "tb", dsr); err != nil {
		t.Fatal(err)
	}
	hist, err := db.ScoreHistory(ctx, "tb", "2026-11-01", "2026-11-30")
	if err != nil || len(hist) != 3 || hist[0].Date != "2026-11-20" || hist[0].Value(DimProduct) != 4.81 || hist[2].Date != "2026-11-22" {
		t.Fatalf("DSR history = %+v, %v", hist, err)
	}
}

// A rating Excel wrote back as 1.0 or 5.0 is that many stars; half stars
// and six stars are refused as before.
func TestRatingWholeStars(t *testing.T) {
	tests := []struct {
		enc    string
		rating any
		want   int
		reason string
	}{
		{asBOM, "1.0", 1, ""},
		{asBOM, "5.0", 5, ""},
		{asGBK, "5.00", 5, ""},
		{asXLSX, "1.0", 1, ""},
		{asXLSX, xlsxFloat(5.0), 5, ""},
		{asXLSX, xlsxNumber("5.0"), 5, ""},
		{asBOM, "4.5", 0, `"4.5" is not a whole number of stars from 1 to 5`},
		{asBOM, "6", 0, `"6" is not a whole number of stars from 1 to 5`},
		{asXLSX, xlsxFloat(4.5), 0, `"4.5" is not a whole number of stars from 1 to 5`},
		{asXLSX, xlsxNumber("6.0"), 0, `"6.0" is not a whole number of stars from 1 to 5`},
	}
	for _, tt := range tests {
		t.Run(tt.enc+" "+csvText(tt.rating), func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "dy", Douyin)
			data := buildExport(t, tt.enc, doudianReviewHeader, [][]any{doudianReview(1, map[string]any{"商品评价得分": tt.rating})})
			_, err := importExport(db, KindReviews, tt.enc, "dy", data)
			if tt.reason != "" {
				if want := exportName(tt.enc) + ":2: 商品评价得分: " + tt.reason; err == nil || err.Error() != want {
					t.Fatalf("err = %v, want %s", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r, err := db.FindReview(context.Background(), "dy", subOrderID(1)+"-3581001")
			if err != nil || r.Rating != tt.want {
				t.Fatalf("rating = %+v, %v; want %d", r, err, tt.want)
			}
		})
	}
}

// An ID that went through a floating point number refuses the whole
// file, naming the export's own column, and nothing is written.
func TestExcelMangledIDRefused(t *testing.T) {
	const reason = " lost its digits in Excel; export again and open it as text"
	tests := []struct {
		name, enc string
		kind      Kind
		data      func(t *testing.T) []byte
		want      string
	}{
		{"E-notation main order, CSV", asBOM, KindOrders, func(t *testing.T) []byte {
			return buildExport(t, asBOM, doudianOrderHeader, [][]any{doudianOrder(1, nil), doudianOrder(2, map[string]any{"主订单编号": "6.91793E+18"})})
		}, "export.csv:3: 主订单编号: 6.91793E+18" + reason},
		{"E-notation with a decimal comma, GBK", asGBK, KindOrders, func(t *testing.T) []byte {
			return buildExport(t, asGBK, doudianOrderHeader, [][]any{doudianOrder(1, nil), doudianOrder(2, map[string]any{"子订单编号": "6,91793E+18"})})
		}, "export.csv:3: 子订单编号: 6,91793E+18" + reason},
		{"decimal point", asBOM, KindOrders, func(t *testing.T) []byte {
			return buildExport(t, asBOM, doudianOrderHeader, [][]any{doudianOrder(1, nil), doudianOrder(2, map[string]any{"子订单编号": "6917930123456789000.0"})})
		}, "export.csv:3: 子订单编号: 6917930123456789000.0" + reason},
		{"number cell in a workbook", asXLSX, KindOrders, func(t *testing.T) []byte {
			return buildExport(t, asXLSX, doudianOrderHeader, [][]any{doudianOrder(1, nil), doudianOrder(2, map[string]any{"子订单编号": xlsxNumber("6.9179301234567803E+18")})})
		}, "export.xlsx:3: 子订单编号: 6.9179301234567803E+18" + reason},
		{"review export order ID", asBOM, KindReviews, func(t *testing.T) []byte {
			return buildExport(t, asBOM, doudianReviewHeader, [][]any{doudianReview(1, nil), doudianReview(2, map[string]any{"订单ID": "6.91793E+18"})})
		}, "export.csv:3: 订单ID: 6.91793E+18" + reason},
		{"review export product ID in a workbook", asXLSX, KindReviews, func(t *testing.T) []byte {
			return buildExport(t, asXLSX, doudianReviewHeader, [][]any{doudianReview(1, nil), doudianReview(2, map[string]any{"商品ID": xlsxNumber("3.5810012345678899E+18")})})
		}, "export.xlsx:3: 商品ID: 3.5810012345678899E+18" + reason},
		{"canonical review_id", asBOM, KindReviews, func(t *testing.T) []byte {
			return []byte(strings.ReplaceAll(reviewsHeader, "shop,", "") + "R1,,,,1,2026-11-23 10:00:00,差\n6.91793E+18,,,,1,2026-11-23 10:00:00,差\n")
		}, "export.csv:3: review_id: 6.91793E+18" + reason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "dy", Douyin)
			before := snapshot(t, db)
			res, err := importExport(db, tt.kind, tt.enc, "dy", tt.data(t))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v\nwant %s", err, tt.want)
			}
			asImportError(t, err)
			if res != nil {
				t.Errorf("result = %+v, want nil", res)
			}
			if n := tableCounts(t, db)[string(tt.kind)]; n != 0 {
				t.Errorf("%s rows = %d after a refused import, want 0", tt.kind, n)
			}
			if snapshot(t, db) != before {
				t.Error("a refused import changed the database")
			}
		})
	}
}

// Excel writing IDs back with a "0" format pads them with zeros past the
// 15th digit, and two orders become one: the second row with the same
// padded ID refuses the file. One padded ID alone may be real, and main
// order and product IDs repeat by nature, so neither is refused.
func TestZeroFilledIDMerge(t *testing.T) {
	const padded = "6921345678901230000"
	const reason = padded + " lost its digits in Excel; export again and open it as text"
	asNumber := func(n int) map[string]any {
		return map[string]any{"主订单编号": xlsxFloat(6921345678901234000 + float64(n)), "子订单编号": xlsxFloat(6921345678901234568 + float64(n))}
	}
	tests := []struct {
		name, enc string
		kind      Kind
		header    []string
		rows      [][]any
		want      string // "" = imports
	}{
		{"workbook number cells", asXLSX, KindOrders, doudianOrderHeader,
			[][]any{doudianOrder(1, nil), doudianOrder(2, asNumber(2)), doudianOrder(3, asNumber(3))},
			"export.xlsx:4: 子订单编号: " + reason},
		{"workbook number cells, one order", asXLSX, KindOrders, doudianOrderHeader,
			[][]any{doudianOrder(1, nil), doudianOrder(2, asNumber(2))}, ""},
		{"CSV saved with a 0 format", asGBK, KindOrders, doudianOrderHeader,
			[][]any{doudianOrder(1, map[string]any{"子订单编号": padded}), doudianOrder(2, nil), doudianOrder(3, map[string]any{"子订单编号": padded})},
			"export.csv:4: 子订单编号: " + reason},
		{"sub-orders of one padded main order", asBOM, KindOrders, doudianOrderHeader,
			[][]any{doudianOrder(1, map[string]any{"主订单编号": padded}), doudianOrder(2, map[string]any{"主订单编号": padded})}, ""},
		{"two reviews of one padded order and product", asXLSX, KindReviews, doudianReviewHeader,
			[][]any{doudianReview(1, map[string]any{"订单ID": xlsxFloat(6921345678901234568)}), doudianReview(2, map[string]any{"订单ID": xlsxFloat(6921345678901234570)})},
			"export.xlsx:3: 订单ID: " + reason},
		{"reviews of two products of one padded order", asBOM, KindReviews, doudianReviewHeader,
			[][]any{doudianReview(1, map[string]any{"订单ID": padded, "商品ID": "3581001"}), doudianReview(2, map[string]any{"订单ID": padded, "商品ID": "3581002"})}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "dy", Douyin)
			res, err := importExport(db, tt.kind, tt.enc, "dy", buildExport(t, tt.enc, tt.header, tt.rows))
			if tt.want == "" {
				if err != nil || res.Rows != len(tt.rows) {
					t.Fatalf("import = %+v, %v; want %d rows", res, err, len(tt.rows))
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v\nwant %s", err, tt.want)
			}
			asImportError(t, err)
			if n := tableCounts(t, db)[string(tt.kind)]; n != 0 {
				t.Errorf("%s rows = %d after a refused import, want 0", tt.kind, n)
			}
		})
	}
}

// A shop that reads Chinese is told why in Chinese, for an export (the
// shop from --shop) and for a canonical file (the shop of the row).
func TestLostDigitsChinese(t *testing.T) {
	const want = "6.91793E+18 在 Excel 中丢失了位数；请重新导出，并以文本格式打开"
	db := newTestDB(t)
	mustCreateShopLang(t, db, "zh", Douyin, LangChinese)
	data := buildExport(t, asBOM, doudianOrderHeader, [][]any{doudianOrder(1, map[string]any{"子订单编号": "6.91793E+18"})})
	_, err := importExport(db, KindOrders, asBOM, "zh", data)
	if err == nil || err.Error() != "export.csv:2: 子订单编号: "+want {
		t.Errorf("export: err = %v", err)
	}
	_, err = importCSV(db, KindOrders, "o.csv", ordersHeader+"zh,6.91793E+18,裙,9.9,2026-11-23 10:00:00,,,,\n")
	if err == nil || err.Error() != "o.csv:2: order_id: "+want {
		t.Errorf("canonical: err = %v", err)
	}
	if n := tableCounts(t, db)["orders"]; n != 0 {
		t.Errorf("orders rows = %d, want 0", n)
	}
}

// A pushed JSON line whose ID is a JSON number went through a float on
// the way: refused like the spreadsheet's.
func TestJSONLinesFloatID(t *testing.T) {
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	body := `{"shop":"dy","order_id":"O1","amount":"9.9","paid_at":"2026-11-23 10:00:00"}` + "\n" +
		`{"shop":"dy","order_id":6.91793e+18,"amount":"9.9","paid_at":"2026-11-23 10:00:00"}` + "\n"
	res, err := db.ImportFile(context.Background(), ImportRequest{Kind: KindOrders, Name: "push.jsonl", Reader: strings.NewReader(body), JSONLines: true})
	if want := "push.jsonl:2: order_id: 6.91793e+18 lost its digits in Excel; export again and open it as text"; err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	asImportError(t, err)
	if res != nil || tableCounts(t, db)["orders"] != 0 {
		t.Error("a refused import wrote orders")
	}
}

// shapeOfID is the one check of every ID field.
func TestShapeOfID(t *testing.T) {
	tests := []struct {
		in   string
		want idShape
	}{
		{"6921345678901234568", idText},
		{"O1", idText},
		{"3581001", idText},
		{"4012345678901234-6120001", idText},
		{"SKU-1.2", idText},
		{"1,234", idText},
		{"692134567890123", idText}, // 15 digits: whole
		{"6921345678900000", idZeroFilled},
		{"6921345678901230000", idZeroFilled},
		{"6.91793E+18", idFloat},
		{"6.91793e+18", idFloat},
		{"6,91793E+18", idFloat},
		{"6.9179301234567803E+18", idFloat},
		{"6E18", idFloat},
		{"6917930123456789000.0", idFloat},
		{"3581001.0", idFloat},
		{"6.91793E+", idText},
	}
	for _, tt := range tests {
		if got := shapeOfID(tt.in); got != tt.want {
			t.Errorf("shapeOfID(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
