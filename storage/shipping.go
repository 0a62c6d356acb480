package storage

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// ShipState is where an order stands against its ship-by promise.
type ShipState string

// The shipping states. Cancelled orders are none of the others.
const (
	StateOnTime        ShipState = "on_time"         // not shipped, not yet due within the window
	StateAtRisk        ShipState = "at_risk"         // not shipped, due within the window
	StateLate          ShipState = "late"            // not shipped, past due
	StateShippedOnTime ShipState = "shipped_on_time" // shipped by the deadline
	StateShippedLate   ShipState = "shipped_late"    // shipped after it
	StateCancelled     ShipState = "cancelled"
)

// State returns the order's state at now, with the shop's warning window.
func (o *Order) State(now time.Time, window time.Duration) ShipState {
	switch {
	case o.Cancelled:
		return StateCancelled
	case o.Shipped() && o.ShipTime().After(o.ShipBy):
		return StateShippedLate
	case o.Shipped():
		return StateShippedOnTime
	case now.After(o.ShipBy):
		return StateLate
	case !o.ShipBy.After(now.Add(window)):
		return StateAtRisk
	}
	return StateOnTime
}

// compensationTier is one row of the platform's late-shipment compensation
// table: for orders whose promise was at most promisedUpTo after payment
// and that are more than lateOver late, percent of the amount, between min
// and max (in fen).
type compensationTier struct {
	promisedUpTo time.Duration
	lateOver     time.Duration
	percent      int64
	minFen       int64
	maxFen       int64
}

// forever stands for "no upper bound" in the table.
const forever = time.Duration(1<<63 - 1)

// compensationTable is the compensation a shop owes a buyer for a late
// shipment, the one place these numbers live. Within a promise band the
// rows go from least to most late.
var compensationTable = []compensationTier{
	// Promised within 48 h: 1% (2-50 CNY) once more than 48 h late.
	{48 * time.Hour, 48 * time.Hour, 1, 200, 5000},
	// Promised in 48-240 h: 1% (2-50) when late, 3% (3-50) beyond 48 h.
	{240 * time.Hour, 0, 1, 200, 5000},
	{240 * time.Hour, 48 * time.Hour, 3, 300, 5000},
	// Promised beyond 240 h: 1% (3-50) when late, 5% (5-50) beyond 48 h.
	{forever, 0, 1, 300, 5000},
	{forever, 48 * time.Hour, 5, 500, 5000},
}

// Compensation returns what an order shipped (or still unshipped) at t owes
// for its lateness, in fen: zero when it is on time or not late enough.
func Compensation(o *Order, t time.Time) int64 {
	if o.Cancelled {
		return 0
	}
	promised := o.ShipBy.Sub(o.PaidAt)
	late := t.Sub(o.ShipBy)
	if late <= 0 {
		return 0
	}
	band := bandOf(promised)
	var owed int64
	for _, tier := range compensationTable {
		if tier.promisedUpTo == band && late > tier.lateOver {
			owed = tier.amount(o.AmountFen)
		}
	}
	return owed
}

// Stake is the compensation a late or at-risk order faces, so a warning can
// say what is owed and when more would be: "¥2.99 if still unshipped at
// 11-26 14:00" rather than a bare "¥2.99 at stake" that reads as owed now.
type Stake struct {
	// Owed is what the order owes at now, if it shipped now.
	Owed int64
	// Next is what it will owe once it is late past From, the next step
	// of the table; zero when no step is left.
	Next int64
	From time.Time
}

// StakeOf returns an unshipped order's stake at now.
func StakeOf(o *Order, now time.Time) Stake {
	st := Stake{Owed: Compensation(o, now)}
	if o.Cancelled {
		return st
	}
	band := bandOf(o.ShipBy.Sub(o.PaidAt))
	for _, tier := range compensationTable {
		// A tier applies once the order is more than lateOver late.
		if from := o.ShipBy.Add(tier.lateOver); tier.promisedUpTo == band && !from.Before(now) {
			st.Next, st.From = tier.amount(o.AmountFen), from
			break
		}
	}
	return st
}

// bandOf returns the promise band (a table row's promisedUpTo) of a promise.
func bandOf(promised time.Duration) time.Duration {
	for _, tier := range compensationTable {
		if promised <= tier.promisedUpTo {
			return tier.promisedUpTo
		}
	}
	return forever
}

func (t compensationTier) amount(fen int64) int64 {
	return min(max(fen*t.percent/100, t.minFen), t.maxFen)
}

// ShipmentReport is what the shipments job tells a shop's channel: the
// orders that became at risk or late since they were last warned about,
// and the warned orders that have shipped since.
type ShipmentReport struct {
	Shop Shop
	Now  time.Time
	// Owner is the shop's logistics owner, who also answers for shipping.
	Owner    string
	AtRisk   []Order
	Late     []Order
	Resolved []Order
}

// Empty reports whether there is nothing to say.
func (r *ShipmentReport) Empty() bool {
	return len(r.AtRisk) == 0 && len(r.Late) == 0 && len(r.Resolved) == 0
}

// ShipmentChanges returns a shop's orders whose warning state changed. It
// reads the open orders due within the warning window through the partial
// index of open orders, and warned orders through theirs: never the whole
// table. It takes the shop its caller holds (see DayReport).
func (db *DB) ShipmentChanges(ctx context.Context, shop *Shop, now time.Time) (*ShipmentReport, error) {
	shopID := shop.ID
	r := &ShipmentReport{Shop: *shop, Now: now.In(shop.Location())}
	var err error
	if r.Owner, err = db.OwnerOf(ctx, shopID, string(AspectLogistics)); err != nil {
		return nil, err
	}
	var open []Order
	err = db.gdb.WithContext(ctx).
		Where("shop_id = ? AND shipped_at IS NULL AND cancelled = "+db.d.False()+" AND ship_by <= ?", shopID, utc(now.Add(shop.WarnWindow()))).
		Order("ship_by, id").Find(&open).Error
	if err != nil {
		return nil, err
	}
	for _, o := range open {
		switch st := o.State(now, shop.WarnWindow()); {
		case st == StateLate && o.Warned != string(StateLate):
			r.Late = append(r.Late, o)
		case st == StateAtRisk && o.Warned == "":
			r.AtRisk = append(r.AtRisk, o)
		}
	}
	err = db.gdb.WithContext(ctx).
		Where("shop_id = ? AND warned IN ('at_risk', 'late') AND (shipped_at IS NOT NULL OR cancelled = "+db.d.True()+")", shopID).
		Order("ship_by, id").Find(&r.Resolved).Error
	return r, err
}

// errAlreadySaid rolls back a message whose news another run recorded
// between reading it and writing it.
var errAlreadySaid = errors.New("already said by another run")

// markAll sets column on the rows q selects, which must be exactly n: fewer
// means another run recorded them first, and the caller's message would
// repeat it.
func markAll(q *gorm.DB, n int, column string, value any) error {
	res := q.Update(column, value)
	if res.Error != nil {
		return res.Error
	}
	if int(res.RowsAffected) != n {
		return errAlreadySaid
	}
	return nil
}

// Resolved is the warned state of an order that shipped (or was cancelled)
// after a warning.
const Resolved = "resolved"

// EnqueueShipments writes the shipments message to the outbox and records
// each order's new warned state in one transaction, so every order is
// warned about once per state and its resolution said once. It reports
// whether the message was added.
//
// A taken key means this very announcement was made before (keys name what
// a message announces): nothing is added, and the states are recorded all
// the same, so that an order whose data went back and forth is not stuck
// announcing what was already said. When another run recorded the states
// first, this one writes nothing.
func (db *DB) EnqueueShipments(ctx context.Context, r *ShipmentReport, m OutboxMessage, now time.Time) (bool, error) {
	var added bool
	err := db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if added, err = enqueue(tx, &m, now); err != nil {
			return err
		}
		for _, set := range []struct {
			orders []Order
			state  string
		}{{r.AtRisk, string(StateAtRisk)}, {r.Late, string(StateLate)}, {r.Resolved, Resolved}} {
			if len(set.orders) == 0 {
				continue
			}
			ids := make([]int64, len(set.orders))
			for i, o := range set.orders {
				ids[i] = o.ID
			}
			// Only orders still short of the new state change: if another
			// run recorded them first, this message would repeat it.
			if err := markAll(tx.Model(&Order{}).Where("id IN ? AND warned <> ?", ids, set.state), len(ids), "warned", set.state); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errAlreadySaid) {
		return false, nil
	}
	return added, err
}
