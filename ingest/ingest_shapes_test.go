package ingest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// doudianHeader is the 抖店 order export's header, as the backend writes it.
const doudianHeader = "主订单编号,子订单编号,选购商品,商品规格,订单应付金额,支付完成时间,承诺发货时间,发货时间,订单状态,售后状态\n"

// TestIngestExportShapes: a push of an export as merchants have it (`-` in
// empty cells, times as Excel re-saves them) imports through
// POST /ingest/orders as from the CLI; an ID Excel turned into 6.9E+18 is
// refused with the reason, and nothing of the request is written.
func TestIngestExportShapes(t *testing.T) {
	srv, db := ingestServer(t, "tok", 1<<20)
	url := srv.URL + "/ingest/orders?shop=dy"
	export := doudianHeader +
		"6921345678901234567,6921345678901234568,连衣裙,L 黑色,149.00,2026/9/22 0:54,2026/9/24 0:54,-,待发货,-\n" +
		"6921345678901234570,6921345678901234571,针织开衫,M,89.00,2026年9月21日 10:00:00,2026-09-23,2026/9/22 08:10:00,已发货,-\n" +
		"6921345678901234572,6921345678901234573,裤子,S,59.00,-,-,-,待支付,-\n"
	code, out := post(t, url, "tok", "text/csv", export)
	if code != http.StatusOK || out["rows"] != 2.0 || out["skipped"] != 1.0 {
		t.Fatalf("export with dashes and Excel times: %d %v", code, out)
	}
	if n := countOrders(t, db); n != 1 {
		t.Fatalf("%d open orders, want 1: the unshipped 待发货 order with 发货时间 '-'", n)
	}
	o, _, err := db.OpenOrders(context.Background(), "dy", oneTime("2000-01-01T00:00:00Z"), oneTime("2100-01-01T00:00:00Z"), 5)
	if err != nil || len(o) != 1 || o[0].OrderID != "6921345678901234568" || o[0].PaidAt.UTC().Format("2006-01-02 15:04") != "2026-09-21 16:54" {
		t.Fatalf("open orders = %+v, %v; want sub-order …568 paid 2026/9/22 0:54 China time", o, err)
	}

	mangled := doudianHeader +
		"6921345678901234580,6921345678901234581,连衣裙,L,149.00,2026-11-20 10:00:00,,,待发货,\n" +
		"6.91793E+18,6.91793E+18,连衣裙,L,149.00,2026-11-20 10:00:00,,,待发货,\n"
	code, out = post(t, url, "tok", "text/csv", mangled)
	e, _ := out["error"].(map[string]any)
	if code != http.StatusUnprocessableEntity || e["line"] != 3.0 || !strings.Contains(e["reason"].(string), "lost its digits in Excel") {
		t.Fatalf("scientific-notation IDs: %d %v", code, out)
	}
	if n := countOrders(t, db); n != 1 {
		t.Fatalf("%d open orders after a refused request, want 1", n)
	}
}

func oneTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
