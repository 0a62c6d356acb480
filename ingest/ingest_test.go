package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/dsrbot/dsrbot/ingest"
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
	srv := httptest.NewServer((&ingest.Endpoint{Store: db, Token: token, MaxBody: maxBody}).Handler())
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

// trackedBody is a request body that counts the bytes the client sent, so
// a test can tell whether the server read a body to its end before it
// answered.
type trackedBody struct {
	r    io.Reader
	read atomic.Int64
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read.Add(int64(n))
	return n, err
}

// ingestAnswer is what a client got.
type ingestAnswer struct {
	status     int
	retryAfter string
	body       map[string]any
	sent, size int64 // bytes of the body the server had read when it answered, of all
	err        error // a transport error: a broken pipe, a reset
}

// ingestRaw posts body to url with the token and reports the answer and
// how much of the body had been read by then.
func ingestRaw(url, token, body string) ingestAnswer {
	tb := &trackedBody{r: strings.NewReader(body)}
	req, _ := http.NewRequest("POST", url, tb)
	req.ContentLength = int64(len(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	a := ingestAnswer{sent: tb.read.Load(), size: int64(len(body)), err: err}
	if err != nil {
		return a
	}
	defer resp.Body.Close()
	a.status, a.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	raw, _ := io.ReadAll(resp.Body)
	json.Unmarshal(raw, &a.body)
	return a
}

// orderRows is a canonical orders file of n orders of shop dy, IDs from
// first.
func orderRows(first, n int) string {
	var b strings.Builder
	b.WriteString("shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,tracking_no\n")
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, "dy,C%08d,连衣裙 L 黑色,159,2026-11-24 08:00:00,,,,\n", i)
	}
	return b.String()
}

// TestIngestConcurrent: concurrent imports into one database are each
// served by the single writer in turn or told to come back with 503 and
// Retry-After, their bodies read; none fails with "database is locked", and
// exactly the served ones are written.
func TestIngestConcurrent(t *testing.T) {
	const clients, rows = 4, 3000
	for _, tt := range []struct {
		name    string
		wait    time.Duration
		all200  bool
		logWait bool
	}{
		{"queued", 0, true, false},
		{"impatient", time.Millisecond, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, err := storage.Open(filepath.Join(t.TempDir(), "dsrbot.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.CreateShop(context.Background(), storage.Shop{ID: "dy", Name: "潮衣馆", Platform: storage.Douyin}, "Asia/Shanghai", time.Now()); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer((&ingest.Endpoint{Store: db, Token: "tok", Wait: tt.wait}).Handler())
			defer srv.Close()

			answers := make([]ingestAnswer, clients)
			var wg sync.WaitGroup
			for c := 0; c < clients; c++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					answers[c] = ingestRaw(srv.URL+"/ingest/orders", "tok", orderRows(c*rows, rows))
				}()
			}
			wg.Wait()
			served := 0
			for c, a := range answers {
				switch {
				case a.err != nil:
					t.Errorf("client %d: %v", c, a.err)
				case a.status == http.StatusOK && a.body["inserted"] == float64(rows):
					served++
				case a.status == http.StatusServiceUnavailable && !tt.all200:
					if a.retryAfter == "" || a.sent != a.size {
						t.Errorf("client %d: 503 with Retry-After %q after reading %d of %d bytes", c, a.retryAfter, a.sent, a.size)
					}
				default:
					t.Errorf("client %d: %d %v", c, a.status, a.body)
				}
			}
			if n := countOrders(t, db); n != served*rows {
				t.Errorf("%d orders in the database, want %d (%d requests served)", n, served*rows, served)
			}
			if tt.logWait {
				t.Logf("%d of %d served, the rest told to retry", served, clients)
			}
		})
	}
}

// blockingStore is an Importer whose imports read a little of the body and
// then wait for release, or fail as planned.
type blockingStore struct {
	entered chan struct{}
	release chan struct{}
	fail    error
}

func (s *blockingStore) ImportFile(ctx context.Context, req storage.ImportRequest) (*storage.ImportResult, error) {
	io.ReadFull(req.Reader, make([]byte, 1024))
	if s.fail != nil {
		return nil, s.fail
	}
	s.entered <- struct{}{}
	<-s.release
	io.Copy(io.Discard, req.Reader)
	return &storage.ImportResult{Kind: req.Kind}, nil
}

// TestIngestRefusalsReadTheBody: whatever the refusal, the server reads the
// body to its end before it answers, so a client still uploading gets its
// answer rather than a broken pipe.
func TestIngestRefusalsReadTheBody(t *testing.T) {
	big := orderRows(0, 40000) // about 2 MB: more than the socket buffers hold
	srv, _ := ingestServer(t, "tok", 4<<20)
	busy := &blockingStore{entered: make(chan struct{}), release: make(chan struct{})}
	busySrv := httptest.NewServer((&ingest.Endpoint{Store: busy, Token: "tok", Wait: 10 * time.Millisecond}).Handler())
	defer busySrv.Close()
	locked := httptest.NewServer((&ingest.Endpoint{Store: &blockingStore{fail: sqlite3.Error{Code: sqlite3.ErrBusy}}, Token: "tok"}).Handler())
	defer locked.Close()
	small, _ := ingestServer(t, "tok", 1<<20)

	// The busy server's writer is taken by a request that waits for release.
	first := make(chan ingestAnswer)
	go func() { first <- ingestRaw(busySrv.URL+"/ingest/orders", "tok", big) }()
	<-busy.entered

	tests := []struct {
		name, url, token string
		status           int
		retry            bool
	}{
		{"wrong token", srv.URL + "/ingest/orders", "nope", http.StatusUnauthorized, false},
		{"unknown kind", srv.URL + "/ingest/refunds", "tok", http.StatusNotFound, false},
		{"bad row on line 3", srv.URL + "/ingest/orders", "tok", http.StatusUnprocessableEntity, false},
		{"over the size limit", small.URL + "/ingest/orders", "tok", http.StatusRequestEntityTooLarge, false},
		{"writer busy", busySrv.URL + "/ingest/orders", "tok", http.StatusServiceUnavailable, true},
		{"database locked elsewhere", locked.URL + "/ingest/orders", "tok", http.StatusServiceUnavailable, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := big
			if tt.status == http.StatusUnprocessableEntity {
				body = strings.Replace(big, ",159,", ",-1,", 2) // line 3 is the first bad one
			}
			a := ingestRaw(tt.url, tt.token, body)
			if a.err != nil || a.status != tt.status || a.body["error"] == nil {
				t.Fatalf("answer %d %v, transport error %v; want %d", a.status, a.body, a.err, tt.status)
			}
			if a.sent != a.size {
				t.Errorf("answered after reading %d of %d bytes", a.sent, a.size)
			}
			if (a.retryAfter != "") != tt.retry {
				t.Errorf("Retry-After %q", a.retryAfter)
			}
		})
	}
	close(busy.release)
	if a := <-first; a.err != nil || a.status != http.StatusOK {
		t.Fatalf("the request holding the writer: %d %v %v", a.status, a.body, a.err)
	}
}

// TestIngestBodyTimeout: a body that stops arriving is given up on, and the
// writer freed for the next request.
func TestIngestBodyTimeout(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "dsrbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.CreateShop(context.Background(), storage.Shop{ID: "dy", Name: "潮衣馆", Platform: storage.Douyin}, "Asia/Shanghai", time.Now())
	srv := httptest.NewServer((&ingest.Endpoint{Store: db, Token: "tok", BodyTimeout: 100 * time.Millisecond, Wait: time.Minute}).Handler())
	defer srv.Close()
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte(orderRows(0, 10))) // and then nothing more
	req, _ := http.NewRequest("POST", srv.URL+"/ingest/orders", pr)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Fatalf("a stalled body: %d", resp.StatusCode)
	}
	if a := ingestRaw(srv.URL+"/ingest/orders", "tok", orderRows(0, 10)); a.status != http.StatusOK {
		t.Fatalf("the next request: %d %v %v", a.status, a.body, a.err)
	}
}
