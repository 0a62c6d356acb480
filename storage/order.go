package storage

import (
	"context"
	"fmt"
	"time"
)

// Promise is the ship-by promise an order was sold under.
type Promise string

// The promise types of Douyin and Taobao listings.
const (
	PromiseSameDay Promise = "same_day" // 当日发货
	PromiseNextDay Promise = "next_day" // 次日发货
	Promise48h     Promise = "48h"      // 48小时发货, the default
	PromiseCustom  Promise = "custom"   // a merchant-set time
	PromisePresale Promise = "presale"  // a presale date, 2-15 days out
)

// SameDayCutoff is the local hour before which a same_day order must ship the
// same day; paid later, it ships by the end of the next day.
const SameDayCutoff = 16

// ParsePromise reads a promise type; empty means the default, 48h.
func ParsePromise(s string) (Promise, error) {
	switch p := Promise(s); p {
	case "":
		return Promise48h, nil
	case PromiseSameDay, PromiseNextDay, Promise48h, PromiseCustom, PromisePresale:
		return p, nil
	}
	return "", fmt.Errorf("%q is not one of same_day, next_day, 48h, custom, presale", s)
}

// NeedsShipBy reports whether the promise takes its deadline from the data
// rather than from a rule.
func (p Promise) NeedsShipBy() bool { return p == PromiseCustom || p == PromisePresale }

// ShipBy returns the promised ship-by time of an order paid at paid, in the
// shop's zone loc. For custom and presale promises it is given. Local days
// are counted by the time package, so zones with daylight saving are right.
func ShipBy(p Promise, paid time.Time, loc *time.Location, given time.Time) time.Time {
	local := paid.In(loc)
	endOfDay := func(t time.Time, days int) time.Time {
		y, m, d := t.Date()
		return time.Date(y, m, d+days, 23, 59, 59, 0, loc)
	}
	switch p {
	case PromiseSameDay:
		if local.Hour() < SameDayCutoff {
			return endOfDay(local, 0)
		}
		return endOfDay(local, 1)
	case PromiseNextDay:
		return endOfDay(local, 1)
	case PromiseCustom, PromisePresale:
		return given
	default:
		return paid.Add(48 * time.Hour)
	}
}

// Order is one paid order and its shipping promise.
type Order struct {
	ID        int64
	ShopID    string
	OrderID   string
	Product   string
	AmountFen int64 // order amount in fen (0.01 CNY)
	PaidAt    time.Time
	Promise   Promise
	ShipBy    time.Time
	// ShippedAt is when the order counts as shipped: the ship click, or
	// the carrier's pickup when that is all the data has. It is set
	// whenever either is known, so "unshipped" is one column.
	ShippedAt *time.Time
	// PickedUpAt is the carrier's first scan (揽收), where an export or
	// push carries it: the platform counts it, not the click, as shipped.
	PickedUpAt *time.Time
	TrackingNo string
	// Cancelled orders (已关闭) are neither open nor late.
	Cancelled bool
	// MainOrderID groups the sub-orders of one checkout (抖店 主订单编号);
	// OrderID is the sub-order, the unit that ships.
	MainOrderID string
	// Warned is the state the shipments job last warned about: "",
	// at_risk, late, or resolved once a warned order shipped.
	Warned string
}

// Shipped reports whether the order has left the warehouse.
func (o *Order) Shipped() bool { return o.ShippedAt != nil }

// ShipTime is when the platform counts the order as shipped: the carrier's
// pickup where known, else the ship click; nil while unshipped.
func (o *Order) ShipTime() *time.Time {
	if o.PickedUpAt != nil {
		return o.PickedUpAt
	}
	return o.ShippedAt
}

// AtRiskWindow is the default of how long before its ship-by time an
// unshipped order counts as at risk; each shop may set its own.
const AtRiskWindow = 6 * time.Hour

// OpenOrders returns a shop's unshipped orders whose ship-by time is in
// [from, to), oldest deadline first, cut at limit, and how many there are in
// all. It reads the partial index of unshipped orders, never the whole table.
func (db *DB) OpenOrders(ctx context.Context, shopID string, from, to time.Time, limit int) ([]Order, int, error) {
	q := db.gdb.WithContext(ctx).Model(&Order{}).Where("shop_id = ? AND shipped_at IS NULL AND cancelled = "+db.d.False(), shopID)
	if !from.IsZero() {
		q = q.Where("ship_by >= ?", utc(from))
	}
	q = q.Where("ship_by < ?", utc(to))
	return counted[Order](db.d, q, "ship_by, id", limit)
}

// PaidOrders counts a shop's orders paid in [from, to): the Douyin score is
// formal only from FormalStageOrders paid orders in 30 days.
func (db *DB) PaidOrders(ctx context.Context, shopID string, from, to time.Time) (int, error) {
	var n int64
	err := db.gdb.WithContext(ctx).Model(&Order{}).
		Where("shop_id = ? AND paid_at >= ? AND paid_at < ?", shopID, utc(from), utc(to)).Count(&n).Error
	return int(n), err
}
