package storage

import (
	"fmt"
	"strings"
)

// format is a kind of file dsrbot can import: the canonical CSV of a kind,
// or a platform's own export. Each turns a source row into a canonical
// record, so one set of row parsers checks every format alike.
type format struct {
	name string
	kind Kind
	// platform exports carry no shop column: the shop comes from --shop.
	needsShop bool
	// platform is the marketplace whose export this is; a shop of the
	// other one cannot take it. Empty for the canonical CSV.
	platform Platform
	// detect lists header names that, all present, identify the format.
	detect []string
	// columns maps canonical fields to the export's column names (the
	// first is the one named in errors); absent fields stay empty.
	columns map[string][]string
	// required are canonical fields whose column must be in the header.
	required []string
	// together are groups of fields whose columns come all or none (the
	// three dimensions of a score, which a growth-stage file lacks).
	together [][]string
	// convert adjusts a mapped record; skip drops the row (an unpaid
	// order is not an order to ship).
	convert func(get func(string) string, set func(string, string)) (skip bool, err *fieldError)
}

// fieldError is a value problem found while converting, named by field.
type fieldError struct{ field, reason string }

// fields returns the canonical fields of a kind: the documented header
// and the optional extras a platform export can fill.
func fields(k Kind) []string {
	switch k {
	case KindScores:
		return append(append(k.Columns(), "stage"), indicatorColumns()...)
	case KindReviews:
		return append(k.Columns(), "grade")
	case KindOrders:
		return append(k.Columns(), "status", "picked_up_at", "main_order_id")
	}
	return k.Columns()
}

// canonicalFormat is the contract's CSV of a kind.
func canonicalFormat(k Kind) *format {
	cols := map[string][]string{}
	for _, f := range fields(k) {
		cols[f] = []string{f}
	}
	if k == KindScores {
		// The indicators are also read under the platform's own headers.
		for _, ind := range Indicators {
			cols[ind.Column] = append(cols[ind.Column], ind.Chinese)
		}
	}
	// The shop column is required unless the import names the shop.
	var required []string
	for _, f := range k.required() {
		if f != "shop" {
			required = append(required, f)
		}
	}
	f := &format{name: "canonical " + string(k) + " CSV", kind: k, columns: cols, required: required}
	if k == KindScores {
		f.together = [][]string{{"product", "logistics", "service"}}
	}
	return f
}

// platformFormats are the exports of the merchant backends, detected by
// their header row.
var platformFormats = []*format{
	{
		name: "抖店 order export (订单导出)", kind: KindOrders, needsShop: true, platform: Douyin,
		detect: []string{"主订单编号", "子订单编号"},
		columns: map[string][]string{
			"order_id":         {"子订单编号"},
			"main_order_id":    {"主订单编号"},
			"product":          {"选购商品", "商品名称"},
			"amount":           {"订单应付金额", "商品金额"},
			"paid_at":          {"支付完成时间"},
			"promised_ship_by": {"承诺发货时间"},
			"shipped_at":       {"发货时间"},
			"picked_up_at":     {"揽收时间", "快递揽收时间", "物流揽收时间"},
			"tracking_no":      {"快递信息", "快递单号"},
			"status":           {"订单状态"},
			"spec":             {"商品规格"},
		},
		required: []string{"order_id", "amount", "paid_at"},
		convert: func(get func(string) string, set func(string, string)) (bool, *fieldError) {
			if get("paid_at") == "" {
				return true, nil // not paid: nothing to ship, nothing to score
			}
			if spec := get("spec"); spec != "" {
				set("product", strings.TrimSpace(get("product")+" "+spec))
			}
			// The export states the promise as a time: a custom promise.
			if get("promised_ship_by") != "" {
				set("promise", string(PromiseCustom))
			}
			switch st := get("status"); st {
			case "已关闭", "已取消", "交易关闭":
				set("status", "cancelled")
			default:
				set("status", "")
			}
			return false, nil
		},
	},
	{
		name: "抖店 review export (评价管理)", kind: KindReviews, needsShop: true, platform: Douyin,
		detect: []string{"评价日期", "商品评价得分"},
		columns: map[string][]string{
			"order_id":   {"订单ID", "订单编号"},
			"product_id": {"商品ID"},
			"product":    {"商品名称"},
			"rating":     {"商品评价得分"},
			"grade":      {"评价等级"},
			"created_at": {"评价日期"},
			"content":    {"评价内容"},
			"spec":       {"商品规格"},
			"followup":   {"追评内容"},
		},
		required: []string{"order_id", "product_id", "rating", "created_at"},
		convert: func(get func(string) string, set func(string, string)) (bool, *fieldError) {
			// The export has no review ID: one review per order and product.
			set("review_id", get("order_id")+"-"+get("product_id"))
			if spec := get("spec"); spec != "" {
				set("product", strings.TrimSpace(get("product")+" "+spec))
			}
			if f := get("followup"); f != "" {
				set("content", strings.TrimSpace(get("content")+" 追评："+f))
			}
			return false, nil
		},
	},
	{
		name: "Taobao DSR history", kind: KindScores, needsShop: true, platform: Taobao,
		detect: []string{"描述相符", "服务态度", "物流服务"},
		columns: map[string][]string{
			"date":      {"日期", "统计日期", "date"},
			"product":   {"描述相符"},
			"service":   {"服务态度"},
			"logistics": {"物流服务"},
		},
		// Its dates (2026/11/20, 2026-11-20 00:00:00, a workbook's date
		// cells) are read by parseScoreRow's day, as every scores file's.
		required: []string{"date", "product", "service", "logistics"},
	},
	{
		name: "Taobao review export", kind: KindReviews, needsShop: true, platform: Taobao,
		detect: []string{"宝贝ID", "评价内容"},
		columns: map[string][]string{
			"review_id":  {"评价ID"},
			"order_id":   {"订单编号", "订单号"},
			"product_id": {"宝贝ID"},
			"product":    {"宝贝名称", "宝贝标题"},
			"rating":     {"评分", "评价得分", "宝贝与描述相符"},
			"created_at": {"评价时间", "评价日期"},
			"content":    {"评价内容"},
		},
		required: []string{"order_id", "product_id", "rating", "created_at"},
		convert: func(get func(string) string, set func(string, string)) (bool, *fieldError) {
			if get("review_id") == "" {
				set("review_id", get("order_id")+"-"+get("product_id"))
			}
			return false, nil
		},
	},
}

// detectFormat picks the format of a header: a platform export whose
// columns are all there, else the canonical CSV of the kind asked for.
func detectFormat(header map[string]int, want Kind) (*format, error) {
	for _, f := range platformFormats {
		if hasAll(header, f.detect) {
			if want != "" && f.kind != want {
				return nil, fmt.Errorf("this is a %s, which holds %s; import it with: dsrbot import %s FILE --shop ID", f.name, f.kind, f.kind)
			}
			return f, nil
		}
	}
	return canonicalFormat(want), nil
}

func hasAll(header map[string]int, names []string) bool {
	for _, n := range names {
		if _, ok := header[normaliseHeader(n)]; !ok {
			return false
		}
	}
	return true
}

// normaliseHeader is how header names are compared: trimmed, lower case
// (canonical names), without a BOM or the quotes some exports add.
func normaliseHeader(h string) string {
	h = strings.TrimPrefix(h, "\ufeff")
	return strings.ToLower(strings.Trim(cleanCell(h), `"`))
}
