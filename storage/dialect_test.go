package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage/dbtest"
)

// TestImportRepeatsAKeyInOneFile: a file may carry the same order twice
// (an export taken across a refresh); the later row wins. PostgreSQL
// refuses an upsert that touches one row twice in a statement, which a
// batch of rows would do; both engines must end with one row, the later.
func TestImportRepeatsAKeyInOneFile(t *testing.T) {
	db := newTestDB(t)
	mustCreateShop(t, db, "dy", Douyin)
	res, err := importCSV(db, KindOrders, "orders.csv", ordersHeader+
		"dy,O1,Dress,10.00,2026-11-20 10:00:00,48h,,,\n"+
		"dy,O2,Shirt,20.00,2026-11-20 11:00:00,48h,,,\n"+
		"dy,O1,Dress,12.50,2026-11-20 10:00:00,48h,,,\n")
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 3 || res.Inserted != 2 {
		t.Errorf("import = %+v, want 3 rows, 2 inserted", res)
	}
	var amount int64
	if err := db.gdb.WithContext(context.Background()).Raw(`SELECT amount_fen FROM orders WHERE order_id = 'O1'`).Scan(&amount).Error; err != nil {
		t.Fatal(err)
	}
	if amount != 1250 {
		t.Errorf("O1 amount = %d fen, want the later row's 1250", amount)
	}
}

// TestClaimsNeverOverlap: replicas (here two handles on one database,
// four senders each) claim the outbox at once; every message is claimed
// by exactly one of them. On PostgreSQL this is the FOR UPDATE SKIP
// LOCKED of the claim; on SQLite, the immediate transaction.
func TestClaimsNeverOverlap(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "a", Douyin)
	const channels, perChannel = 60, 2
	for c := 0; c < channels; c++ {
		for i := 0; i < perChannel; i++ {
			m := OutboxMessage{Key: fmt.Sprintf("k:%d:%d", c, i), ShopID: "a", Kind: "digest", Channel: fmt.Sprintf("C%d", c), Text: "x"}
			if _, err := db.Enqueue(ctx, m, testNow); err != nil {
				t.Fatal(err)
			}
		}
	}
	other, err := Open(db.target)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	var mu sync.Mutex
	claimedBy := map[int64][]string{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for r, h := range []*DB{db, other} {
		for s := 0; s < 4; s++ {
			owner := fmt.Sprintf("replica%d/sender%d", r, s)
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				// Each sender delivers what it claims at once, which
				// frees the channel's next message for anyone.
				for empty := 0; empty < 3; {
					got, err := h.ClaimOutbox(ctx, owner, testNow, time.Hour, 5)
					if err != nil {
						if IsBusy(err) {
							continue
						}
						t.Error(err)
						return
					}
					if len(got) == 0 {
						empty++
						time.Sleep(5 * time.Millisecond)
						continue
					}
					for _, m := range got {
						mu.Lock()
						claimedBy[m.ID] = append(claimedBy[m.ID], owner)
						mu.Unlock()
						if err := h.MarkSent(ctx, m.ID, owner, "ts", testNow); err != nil {
							t.Error(err)
						}
					}
				}
			}()
		}
	}
	close(start)
	wg.Wait()
	if len(claimedBy) != channels*perChannel {
		t.Errorf("%d messages claimed, want %d", len(claimedBy), channels*perChannel)
	}
	for id, owners := range claimedBy {
		if len(owners) != 1 {
			t.Errorf("message %d claimed by %v", id, owners)
		}
	}
	if n, err := db.PendingOutbox(ctx); err != nil || n != 0 {
		t.Errorf("pending after the race = %d, %v", n, err)
	}
}

// TestSchemasAgree: the two engines' migrations end in the same tables
// and columns, in the same order (migrate-to copies by name, and a
// column added to one list only would be lost there).
func TestSchemasAgree(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("needs " + dbtest.Env + ": compares the SQLite schema with PostgreSQL's")
	}
	lite, err := Open(filepath.Join(t.TempDir(), "lite.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg := newTestDB(t)
	a, err := lite.columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := pg.columns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("schemas differ:\nsqlite   %v\npostgres %v", a, b)
	}
}
