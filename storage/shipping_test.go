package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

var paid = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// orderPromised is an order of amount fen paid at paid and due promised later.
func orderPromised(promised time.Duration, fen int64) *Order {
	return &Order{PaidAt: paid, ShipBy: paid.Add(promised), AmountFen: fen}
}

// TestCompensationTable has a case per row of the table, and its edges.
func TestCompensationTable(t *testing.T) {
	h := time.Hour
	tests := []struct {
		name     string
		promised time.Duration
		late     time.Duration
		fen      int64
		want     int64
	}{
		// Promised within 48 h: nothing until more than 48 h late, then 1% (2-50).
		{"≤48h promise, 47h late: nothing yet", 48 * h, 47 * h, 100000, 0},
		{"≤48h promise, exactly 48h late: nothing yet", 48 * h, 48 * h, 100000, 0},
		{"≤48h promise, 49h late: 1%", 24 * h, 49 * h, 100000, 1000},
		{"≤48h promise, 1% below the 2 CNY floor", 48 * h, 49 * h, 5000, 200},
		{"≤48h promise, 1% above the 50 CNY cap", 48 * h, 49 * h, 9000000, 5000},
		// Promised in 48-240 h: 1% (2-50) up to 48 h late, 3% (3-50) beyond.
		{"48-240h promise, 1h late: 1%", 72 * h, h, 100000, 1000},
		{"48-240h promise, floor 2", 240 * h, h, 1000, 200},
		{"48-240h promise, 48h late: still 1%", 72 * h, 48 * h, 100000, 1000},
		{"48-240h promise, 49h late: 3%", 72 * h, 49 * h, 100000, 3000},
		{"48-240h promise, 3% floor 3", 72 * h, 49 * h, 1000, 300},
		{"48-240h promise, 3% cap 50", 72 * h, 49 * h, 9000000, 5000},
		// Promised beyond 240 h: 1% (3-50), then 5% (5-50) beyond 48 h late.
		{">240h promise, 1h late: 1% floor 3", 241 * h, h, 1000, 300},
		{">240h promise, 1h late: 1%", 300 * h, h, 100000, 1000},
		{">240h promise, 49h late: 5%", 300 * h, 49 * h, 100000, 5000},
		{">240h promise, 5% floor 5", 300 * h, 49 * h, 1000, 500},
		{">240h promise, 5% cap 50", 300 * h, 49 * h, 200000, 5000},
		// On time owes nothing.
		{"on time", 48 * h, 0, 100000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := orderPromised(tt.promised, tt.fen)
			if got := Compensation(o, o.ShipBy.Add(tt.late)); got != tt.want {
				t.Fatalf("Compensation = %d fen, want %d", got, tt.want)
			}
		})
	}
	o := orderPromised(72*time.Hour, 100000)
	o.Cancelled = true
	if got := Compensation(o, o.ShipBy.Add(100*time.Hour)); got != 0 {
		t.Fatalf("a cancelled order owes %d", got)
	}
}

func TestStakeOf(t *testing.T) {
	at := func(o *Order, late time.Duration) time.Time { return o.ShipBy.Add(late) }
	o48 := orderPromised(48*time.Hour, 100000)
	o72 := orderPromised(72*time.Hour, 100000)
	o300 := orderPromised(300*time.Hour, 29900)
	tests := []struct {
		name string
		o    *Order
		now  time.Time
		want Stake
	}{
		// 48 h promise: nothing until 48 h late, then 1%.
		{"48h, due in 2h", o48, at(o48, -2*time.Hour), Stake{Next: 1000, From: at(o48, 48*time.Hour)}},
		{"48h, 3h late", o48, at(o48, 3*time.Hour), Stake{Next: 1000, From: at(o48, 48*time.Hour)}},
		{"48h, 49h late", o48, at(o48, 49*time.Hour), Stake{Owed: 1000}},
		// 72 h promise: 1% from the deadline, 3% beyond 48 h late.
		{"72h, due in 1h", o72, at(o72, -time.Hour), Stake{Next: 1000, From: o72.ShipBy}},
		{"72h, 3h late", o72, at(o72, 3*time.Hour), Stake{Owed: 1000, Next: 3000, From: at(o72, 48*time.Hour)}},
		{"72h, 50h late", o72, at(o72, 50*time.Hour), Stake{Owed: 3000}},
		// Beyond 240 h: 1% (3-50) then 5% (5-50): floors apply to ¥299.
		{"300h, 1h late", o300, at(o300, time.Hour), Stake{Owed: 300, Next: 1495, From: at(o300, 48*time.Hour)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := StakeOf(tt.o, tt.now)
			if got.Owed != tt.want.Owed || got.Next != tt.want.Next || !got.From.Equal(tt.want.From) {
				t.Errorf("StakeOf = %+v, want %+v", got, tt.want)
			}
		})
	}
	cancelled := *o72
	cancelled.Cancelled = true
	if got := StakeOf(&cancelled, at(o72, 50*time.Hour)); got != (Stake{}) {
		t.Errorf("a cancelled order's stake = %+v", got)
	}
}

func TestOrderState(t *testing.T) {
	w := 6 * time.Hour
	due := paid.Add(48 * time.Hour)
	shipped := func(at time.Time) *time.Time { return &at }
	tests := []struct {
		name  string
		order Order
		now   time.Time
		want  ShipState
	}{
		{"due in 7h", Order{ShipBy: due}, due.Add(-7 * time.Hour), StateOnTime},
		{"due in 6h", Order{ShipBy: due}, due.Add(-6 * time.Hour), StateAtRisk},
		{"due in 1m", Order{ShipBy: due}, due.Add(-time.Minute), StateAtRisk},
		{"due now", Order{ShipBy: due}, due, StateAtRisk},
		{"due 1s ago", Order{ShipBy: due}, due.Add(time.Second), StateLate},
		{"shipped on time", Order{ShipBy: due, ShippedAt: shipped(due)}, due.Add(time.Hour), StateShippedOnTime},
		{"shipped late", Order{ShipBy: due, ShippedAt: shipped(due.Add(time.Second))}, due.Add(time.Hour), StateShippedLate},
		{"cancelled", Order{ShipBy: due, Cancelled: true}, due.Add(time.Hour), StateCancelled},
	}
	for _, tt := range tests {
		if got := tt.order.State(tt.now, w); got != tt.want {
			t.Errorf("%s: State = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestShipmentWarningsOncePerState(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "s", Douyin)
	now := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	// Custom promises make the deadlines exact.
	mustImport(t, db, KindOrders, "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at,status\n"+
		"s,A,裙子,100,"+at(-48*time.Hour)+",custom,"+at(3*time.Hour)+",,\n"+ // at risk
		"s,B,裙子,100,"+at(-48*time.Hour)+",custom,"+at(-time.Hour)+",,\n"+ // late
		"s,C,裤子,100,"+at(-48*time.Hour)+",custom,"+at(10*time.Hour)+",,\n"+ // on time
		"s,D,裤子,100,"+at(-48*time.Hour)+",custom,"+at(-time.Hour)+",,cancelled\n"+ // cancelled
		"s,E,裤子,100,"+at(-48*time.Hour)+",custom,"+at(-time.Hour)+","+at(-2*time.Hour)+",\n", 5) // shipped

	run := func(now time.Time) *ShipmentReport {
		t.Helper()
		r, err := db.ShipmentChanges(ctx, shopOf(t, db, "s"), now)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Empty() {
			if _, err := db.EnqueueShipments(ctx, r, OutboxMessage{Key: fmt.Sprint("ship:", now.Unix()), ShopID: "s", Kind: "shipments", Channel: "C", Text: "x"}, now); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	ids := func(orders []Order) string {
		var out []string
		for _, o := range orders {
			out = append(out, o.OrderID)
		}
		return strings.Join(out, ",")
	}

	r := run(now)
	if ids(r.AtRisk) != "A" || ids(r.Late) != "B" || ids(r.Resolved) != "" {
		t.Fatalf("first run: at risk %q, late %q, resolved %q", ids(r.AtRisk), ids(r.Late), ids(r.Resolved))
	}
	if r = run(now.Add(time.Minute)); !r.Empty() {
		t.Fatalf("second run at once repeated warnings: %+v", r)
	}
	// A becomes late: warned again, once, in its new state; C, due at
	// now+10h, enters its 6-hour window exactly now.
	if r = run(now.Add(4 * time.Hour)); ids(r.Late) != "A" || ids(r.AtRisk) != "C" {
		t.Fatalf("after A's deadline: late %q, at risk %q", ids(r.Late), ids(r.AtRisk))
	}
	// B ships: resolved once.
	mustImport(t, db, KindOrders, "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at\n"+
		"s,B,裙子,100,"+at(-48*time.Hour)+",custom,"+at(-time.Hour)+","+at(5*time.Hour)+"\n", 1)
	if r = run(now.Add(5 * time.Hour)); ids(r.Resolved) != "B" {
		t.Fatalf("after B shipped: resolved %q", ids(r.Resolved))
	}
	if r = run(now.Add(6 * time.Hour)); !r.Empty() {
		t.Fatalf("resolution said twice: %+v", r)
	}
}
