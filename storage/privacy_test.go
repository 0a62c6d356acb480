package storage

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestMaskPhones(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"尺码偏小", "尺码偏小"},
		{"联系我13812345678谢谢", "联系我" + PhoneMask + "谢谢"},
		{"电话 138 1234 5678。", "电话 " + PhoneMask + "。"},
		{"电话 138-1234-5678", "电话 " + PhoneMask},
		{"+86 13812345678", PhoneMask},
		{"8613812345678", PhoneMask},
		{"＋８６１３８１２３４５６７８", PhoneMask},
		{"１３８１２３４５６７８ 打我", PhoneMask + " 打我"},
		{"13812345678,15987654321", PhoneMask + "," + PhoneMask},
		// Not a mobile number: too short, too long, a landline, an order ID.
		{"1381234567", "1381234567"},
		{"138123456789", "138123456789"},
		{"0571-88886666", "0571-88886666"},
		{"订单6921345678901234568", "订单6921345678901234568"},
		{"12812345678", "12812345678"},
	}
	for _, tt := range tests {
		if got := maskPhones(tt.in); got != tt.want {
			t.Errorf("maskPhones(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Recognisable personal data, as a 抖店 export carries it. None of it may be
// found anywhere in the database after an import.
const (
	piiName     = "欧阳小凡"
	piiNick     = "小凡爱买买买"
	piiPhone    = "13957461829"
	piiPhone2   = "15887654321"
	piiProvince = "浙江省"
	piiAddress  = "杭州市西湖区文三路478号华星时代广场B座1203室"
	piiMessage  = "放菜鸟驿站，到了打电话"
)

// piiNeedles are the values searched for: the phone numbers in the forms
// they were written (grouped, and as plain digits), names and addresses.
var piiNeedles = []string{piiName, piiNick, piiPhone, piiPhone2, "139 5746 1829", "158-8765-4321", "87654321", "57461829", piiAddress, "文三路", piiMessage}

// piiExports are a 抖店 order export and a 抖店 review export with every
// personal column filled, in the column order the backend uses.
var piiExports = []struct {
	kind   Kind
	header []string
	rows   [][]string
}{
	{
		KindOrders,
		[]string{"主订单编号", "子订单编号", "选购商品", "商品规格", "商品数量", "商品ID", "订单应付金额", "收件人", "收件人手机号", "收货人", "联系电话", "手机号",
			"省", "市", "区", "街道", "详细地址", "收货地址", "买家昵称", "用户昵称", "买家留言", "商家备注", "支付完成时间", "承诺发货时间", "发货时间", "订单状态", "快递信息"},
		[][]string{
			{"\t6921345678901234567", "\t6921345678901234568", "连衣裙", "L 黑色", "1", "3581001", "￥149.00", piiName, piiPhone, piiName, "139 5746 1829", piiPhone2,
				piiProvince, "杭州市", "西湖区", "文三路", piiAddress, piiProvince + piiAddress, piiNick, piiNick, piiMessage + " " + piiPhone2, "客户说联系 " + piiPhone,
				"2026-11-23 10:00:03", "2026-11-25 10:00:03", "", "待发货", ""},
			{"\t6921345678901234570", "\t6921345678901234571", "牛仔阔腿裤", "29码", "1", "3581004", "￥178.00", piiName, piiPhone, piiName, piiPhone, piiPhone,
				piiProvince, "杭州市", "西湖区", "文三路", piiAddress, piiAddress, piiNick, piiNick, "", "",
				"2026-11-23 11:00:00", "", "2026-11-23 18:00:00", "已发货", "顺丰速运 SF1234567890123"},
		},
	},
	{
		KindReviews,
		[]string{"评价日期", "订单ID", "商品ID", "商品名称", "商品规格", "商品评价得分", "评价内容", "用户昵称", "买家昵称", "收件人", "手机号", "收货地址", "追评内容", "追评时间", "商家是否回复", "回复内容"},
		[][]string{
			{"2026-11-23 20:15:00", "\t6921345678901234568", "3581001", "连衣裙", "L 黑色", "1", "尺码偏小，退货请联系 139 5746 1829", piiNick, piiNick, piiName, piiPhone, piiAddress,
				"客服不回，打" + piiPhone2 + "也没人接", "2026-11-24 09:00:00", "是", "亲，已联系" + piiName},
			{"2026-11-23 21:00:00", "\t6921345678901234571", "3581004", "牛仔阔腿裤", "29码", "5", "很好看，质量不错", piiNick, piiNick, piiName, piiPhone, piiAddress, "", "", "否", ""},
		},
	},
}

// exportBytes writes an export as a file in one of the encodings the
// backend produces.
func exportBytes(t *testing.T, encoding string, header []string, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	switch encoding {
	case encUTF8, encGBK:
		w := csv.NewWriter(&buf)
		w.Write(header)
		w.WriteAll(rows)
		if encoding == encGBK {
			gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			return gbk
		}
	case encXLSX:
		f := excelize.NewFile()
		defer f.Close()
		for i, rec := range append([][]string{header}, rows...) {
			cells := make([]any, len(rec))
			for j, v := range rec {
				cells[j] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// findAnywhere returns "table.column" for every column of every table
// whose text holds needle. The tables and columns come from the schema
// itself, so a column added later is searched too.
func findAnywhere(t *testing.T, db *DB, needle string) []string {
	t.Helper()
	schema, err := db.columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range schema {
		names = append(names, n)
	}
	sort.Strings(names)
	if !contains(names, "reviews") || !contains(names, "orders") {
		t.Fatalf("the schema lists only %v", names)
	}
	var found []string
	for _, table := range names {
		for _, c := range schema[table] {
			var n int
			// strpos is instr on PostgreSQL; a CAST to TEXT reads on both.
			find := "instr"
			if db.d.postgres {
				find = "strpos"
			}
			q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE %s(CAST(%q AS TEXT), ?) > 0`, table, find, c)
			if err := db.sql.QueryRow(db.d.rebind(q), needle).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				found = append(found, table+"."+c)
			}
		}
	}
	return found
}

// TestExportsKeepNoPersonalData imports 抖店 exports whose personal columns
// are all filled, in every encoding, and searches every column of every
// table for any of the values: the buyer's name, nickname, phone numbers
// and address are not stored; a phone number a buyer wrote into a review
// is masked; what the bot needs is there.
func TestExportsKeepNoPersonalData(t *testing.T) {
	for _, ex := range piiExports {
		for _, enc := range []string{encUTF8, encGBK, encXLSX} {
			t.Run(string(ex.kind)+"/"+enc, func(t *testing.T) {
				ctx := context.Background()
				db := newTestDB(t)
				mustCreateShop(t, db, "dy", Douyin)
				data := exportBytes(t, enc, ex.header, ex.rows)
				res, err := db.ImportFile(ctx, ImportRequest{Kind: ex.kind, Name: "export", Reader: bytes.NewReader(data), Shop: "dy"})
				if err != nil {
					t.Fatal(err)
				}
				if res.Rows != 2 || res.Encoding != enc || !strings.HasPrefix(res.Format, "抖店") {
					t.Fatalf("import = %+v", res)
				}
				for _, needle := range piiNeedles {
					if where := findAnywhere(t, db, needle); len(where) > 0 {
						t.Errorf("%q is stored in %v", needle, where)
					}
				}
				// What the bot needs is kept, and the check can find text.
				want := "6921345678901234568"
				if ex.kind == KindReviews {
					want = "尺码偏小，退货请联系 " + PhoneMask + " 追评：客服不回，打" + PhoneMask + "也没人接"
				}
				if where := findAnywhere(t, db, want); len(where) == 0 {
					t.Errorf("%q is not in the database", want)
				}
			})
		}
	}
}

// TestCanonicalReviewMasksPhones: the canonical CSV and JSON lines carry a
// review's content too, and a number in it is masked the same way.
func TestCanonicalReviewMasksPhones(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	mustImport(t, db, KindReviews, reviewsHeader+"dy,R1,O1,P1,连衣裙,1,2026-11-24 08:00:00,太小了 加我微信或打13957461829\n", 1)
	jsonl := `{"shop":"dy","review_id":"R2","rating":2,"created_at":"2026-11-24 08:00:00","content":"电话+86 158-8765-4321"}` + "\n"
	if _, err := db.ImportFile(ctx, ImportRequest{Kind: KindReviews, Name: "r.jsonl", Reader: strings.NewReader(jsonl), JSONLines: true}); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"R1": "太小了 加我微信或打" + PhoneMask, "R2": "电话" + PhoneMask} {
		r, err := db.FindReview(ctx, "dy", id)
		if err != nil || r.Content != want {
			t.Errorf("%s content = %q, %v; want %q", id, r.Content, err, want)
		}
	}
}
