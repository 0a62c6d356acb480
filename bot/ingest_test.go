package bot_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/storage"
)

func ingestServer(t *testing.T, token string, maxBody int64) (*httptest.Server, *storage.DB) {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "dsrbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.CreateShop(context.Background(), storage.Shop{ID: "dy", Name: "潮衣馆", Platform: storage.Douyin}, "Asia/Shanghai", time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&bot.Ingest{Store: db, Token: token, MaxBody: maxBody}).Handler())
	t.Cleanup(srv.Close)
	return srv, db
}

func post(t *testing.T, url, token, contentType, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON: %q", raw)
	}
	return resp.StatusCode, out
}

func countOrders(t *testing.T, db *storage.DB) int {
	t.Helper()
	_, n, err := db.OpenOrders(context.Background(), "dy", time.Time{}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const ordersCSV = "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no\n" +
	"dy,O1,连衣裙,159,2026-11-24 08:00:00,,,,\n" +
	"dy,O2,连衣裙,159,2026-11-24 08:00:00,next_day,,,\n"

func TestIngest(t *testing.T) {
	srv, db := ingestServer(t, "s3cret-token", 1<<20)
	url := srv.URL + "/ingest/orders"

	if code, _ := post(t, url, "", "text/csv", ordersCSV); code != http.StatusUnauthorized {
		t.Fatalf("no token: %d", code)
	}
	if code, _ := post(t, url, "s3cret-tokex", "text/csv", ordersCSV); code != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", code)
	}
	if code, _ := post(t, srv.URL+"/ingest/refunds", "s3cret-token", "text/csv", ordersCSV); code != http.StatusNotFound {
		t.Fatalf("unknown kind: %d", code)
	}
	if countOrders(t, db) != 0 {
		t.Fatal("a refused request wrote orders")
	}

	code, out := post(t, url, "s3cret-token", "text/csv", ordersCSV)
	if code != http.StatusOK || out["rows"] != 2.0 || out["inserted"] != 2.0 {
		t.Fatalf("CSV: %d %v", code, out)
	}
	jsonl := `{"shop":"dy","order_id":"O3","product":"裤子","amount":99.5,"paid_at":"2026-11-24T08:00:00+08:00"}` + "\n\n" +
		`{"shop":"dy","order_id":"O1","product":"连衣裙","amount":"159","paid_at":"2026-11-24 08:00:00"}` + "\n"
	code, out = post(t, url, "s3cret-token", "application/x-ndjson", jsonl)
	if code != http.StatusOK || out["rows"] != 2.0 || out["inserted"] != 1.0 || out["unchanged"] != 1.0 {
		t.Fatalf("JSON lines: %d %v", code, out)
	}

	// A bad row: 422 with where and why, and nothing of the request written.
	bad := `{"shop":"dy","order_id":"O4","amount":10,"paid_at":"2026-11-24 08:00:00"}` + "\n" +
		`{"shop":"dy","order_id":"O5","amount":-3,"paid_at":"2026-11-24 08:00:00"}` + "\n"
	code, out = post(t, url, "s3cret-token", "application/x-ndjson", bad)
	e, _ := out["error"].(map[string]any)
	if code != http.StatusUnprocessableEntity || e["line"] != 2.0 || e["column"] != "amount" || e["message"] != "request:2: amount: -3 must not be negative" {
		t.Fatalf("bad row: %d %v", code, out)
	}
	if n := countOrders(t, db); n != 3 {
		t.Fatalf("%d orders after a refused request, want 3", n)
	}

	// Over the size limit: 413, nothing written.
	big := ordersCSV + strings.Repeat("dy,O9,连衣裙,159,2026-11-24 08:00:00,,,,\n", 30000)
	if code, _ := post(t, url, "s3cret-token", "text/csv", big); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", code)
	}

	// A platform export, with the shop in the query.
	export, err := os.ReadFile(filepath.Join("..", "testdata", "doudian_orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	code, out = post(t, url+"?shop=dy", "s3cret-token", "text/csv", string(export))
	if code != http.StatusOK || out["format"] != "抖店 order export (订单导出)" || out["skipped"] != 1.0 {
		t.Fatalf("export: %d %v", code, out)
	}
}

func TestIngestDisabledWithoutToken(t *testing.T) {
	srv, _ := ingestServer(t, "", 0)
	if code, _ := post(t, srv.URL+"/ingest/orders", "anything", "text/csv", ordersCSV); code != http.StatusNotFound {
		t.Fatalf("without a token the endpoint answered %d", code)
	}
}
