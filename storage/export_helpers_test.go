package storage

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The ways merchants hand over a platform export: the CSV as downloaded
// (UTF-8 with a BOM), the CSV after Excel on Chinese Windows saved it
// (GBK), and the workbook.
const (
	asBOM  = "utf8-bom"
	asGBK  = "gbk"
	asXLSX = "xlsx"
)

var exportEncodings = []string{asBOM, asGBK, asXLSX}

// Cells of a hand-built export. A string is a text cell; the types below
// are what a workbook holds besides text (a CSV gets their text form).
type (
	// xlsxDate is a date cell: t's wall clock as a serial number, shown by
	// a built-in number format (numFmt) or a custom one.
	xlsxDate struct {
		t      time.Time
		numFmt int
		custom string
	}
	// xlsxNumber is a number cell holding exactly this value, as Excel
	// stores it: "6.9179301234567803E+18", "46287.0375".
	xlsxNumber string
	// xlsxFloat is a number cell written by a program (SetCellFloat),
	// which keeps 15 significant digits and pads the rest with zeros.
	xlsxFloat float64
)

// buildExport writes a header and rows in one of exportEncodings.
func buildExport(tb testing.TB, enc string, header []string, rows [][]any) []byte {
	tb.Helper()
	if enc == asXLSX {
		return buildXLSX(tb, header, rows, false)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(header)
	for _, r := range rows {
		rec := make([]string, len(r))
		for i, c := range r {
			rec[i] = csvText(c)
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tb.Fatal(err)
	}
	switch enc {
	case asBOM:
		return append([]byte("\xef\xbb\xbf"), buf.Bytes()...)
	case asGBK:
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes(buf.Bytes())
		if err != nil {
			tb.Fatalf("GBK: %v", err)
		}
		return b
	}
	tb.Fatalf("unknown encoding %q", enc)
	return nil
}

// csvText is how a cell reads in a CSV file.
func csvText(c any) string {
	switch c := c.(type) {
	case string:
		return c
	case xlsxDate:
		return c.t.Format("2006-01-02 15:04:05")
	case xlsxNumber:
		return string(c)
	case xlsxFloat:
		return strconv.FormatFloat(float64(c), 'f', -1, 64)
	case nil:
		return ""
	}
	panic(fmt.Sprintf("cell type %T", c))
}

// buildXLSX writes a workbook whose first sheet holds the header and rows,
// with the 1904 date system when date1904 is set.
func buildXLSX(tb testing.TB, header []string, rows [][]any, date1904 bool) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	if date1904 {
		yes := true
		must(f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
	}
	styles := map[string]int{}
	style := func(d xlsxDate) int {
		key := fmt.Sprint(d.numFmt, d.custom)
		if id, ok := styles[key]; ok {
			return id
		}
		s := &excelize.Style{NumFmt: d.numFmt}
		if d.custom != "" {
			s = &excelize.Style{CustomNumFmt: &d.custom}
		}
		id, err := f.NewStyle(s)
		must(err)
		styles[key] = id
		return id
	}
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		must(f.SetCellStr(sheet, cell, h))
	}
	for r, row := range rows {
		for i, c := range row {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			switch c := c.(type) {
			case string:
				if c != "" {
					must(f.SetCellStr(sheet, cell, c))
				}
			case xlsxDate:
				must(f.SetCellValue(sheet, cell, c.t))
				must(f.SetCellStyle(sheet, cell, cell, style(c)))
			case xlsxNumber:
				must(f.SetCellDefault(sheet, cell, string(c)))
			case xlsxFloat:
				must(f.SetCellFloat(sheet, cell, float64(c), -1, 64))
			case nil:
			default:
				tb.Fatalf("cell type %T", c)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

// doudianOrderHeader is the 抖店 order export's header (订单导出).
var doudianOrderHeader = []string{"主订单编号", "子订单编号", "选购商品", "商品规格", "商品数量", "商品ID", "商家编码",
	"商品金额", "订单应付金额", "订单提交时间", "支付完成时间", "承诺发货时间", "发货时间", "订单状态", "售后状态", "快递信息", "买家留言"}

// doudianReviewHeader is the 抖店 review export's header (评价管理).
var doudianReviewHeader = []string{"评价日期", "订单ID", "商品ID", "商品名称", "商品规格", "商品评价得分", "评价内容",
	"用户昵称", "追评内容", "追评时间", "商家是否回复", "回复内容"}

// subOrderID is the n-th sub-order's ID in hand-built exports; mainOrderID
// its main order's. Both are 19 digits, as the platform's are.
func subOrderID(n int) string  { return fmt.Sprintf("69213456789012%05d", 2*n) }
func mainOrderID(n int) string { return fmt.Sprintf("69213456789012%05d", 2*n+1) }

// doudianOrder is sub-order n of a 抖店 order export, paid and not yet
// shipped; set replaces cells by column name.
func doudianOrder(n int, set map[string]any) []any {
	cells := map[string]any{
		"主订单编号": mainOrderID(n), "子订单编号": subOrderID(n), "选购商品": "连衣裙", "商品规格": "L 黑色",
		"商品数量": "1", "商品ID": "3581001", "商家编码": "QZ-L-BK", "商品金额": "159.00", "订单应付金额": "149.00",
		"订单提交时间": "2026-11-23 09:58:12", "支付完成时间": "2026-11-23 10:00:03", "承诺发货时间": "2026-11-25 10:00:03",
		"订单状态": "待发货",
	}
	for k, v := range set {
		cells[k] = v
	}
	return rowOf(doudianOrderHeader, cells)
}

// doudianReview is a 1-star review of sub-order n in a 抖店 review export;
// set replaces cells by column name.
func doudianReview(n int, set map[string]any) []any {
	cells := map[string]any{
		"评价日期": "2026-11-23 20:15:00", "订单ID": subOrderID(n), "商品ID": "3581001", "商品名称": "连衣裙",
		"商品规格": "L 黑色", "商品评价得分": "1", "评价内容": "尺码偏小", "用户昵称": "买家12**", "商家是否回复": "否",
	}
	for k, v := range set {
		cells[k] = v
	}
	return rowOf(doudianReviewHeader, cells)
}

func rowOf(header []string, cells map[string]any) []any {
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = cells[h]
		delete(cells, h)
	}
	if len(cells) > 0 {
		panic(fmt.Sprintf("cells for columns the export does not have: %v", cells))
	}
	return row
}

// exportName is the file name an encoding's export is imported as.
func exportName(enc string) string {
	if enc == asXLSX {
		return "export.xlsx"
	}
	return "export.csv"
}

// importExport imports a hand-built export into a shop.
func importExport(db *DB, kind Kind, enc, shop string, data []byte) (*ImportResult, error) {
	return db.ImportFile(context.Background(), ImportRequest{Kind: kind, Name: exportName(enc), Reader: bytes.NewReader(data), Shop: shop})
}

// mustCreateShopLang adds a shop whose messages are in lang.
func mustCreateShopLang(tb testing.TB, db *DB, id string, p Platform, lang string) {
	tb.Helper()
	if _, err := db.CreateShop(context.Background(), Shop{ID: id, Name: "Shop " + id, Platform: p, Lang: lang}, "Asia/Shanghai", testNow); err != nil {
		tb.Fatalf("CreateShop(%s): %v", id, err)
	}
}

// takeOrder reads an order of shop dy by its ID.
func takeOrder(tb testing.TB, db *DB, id string) Order {
	tb.Helper()
	var o Order
	if err := db.gdb.Where("shop_id = ? AND order_id = ?", "dy", id).Take(&o).Error; err != nil {
		tb.Fatalf("order %s: %v", id, err)
	}
	return o
}
