package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// KindShipments is the outbox kind of shipment warnings.
const KindShipments = "shipments"

// ShipmentStore is what the shipments job needs of the database.
type ShipmentStore interface {
	ListShops(ctx context.Context) ([]storage.Shop, error)
	FindShop(ctx context.Context, id string) (*storage.Shop, error)
	ShipmentChanges(ctx context.Context, shop *storage.Shop, now time.Time) (*storage.ShipmentReport, error)
	EnqueueShipments(ctx context.Context, r *storage.ShipmentReport, m storage.OutboxMessage, now time.Time) (bool, error)
}

// ShipmentRenderer is what the shipments job needs of a renderer.
type ShipmentRenderer interface {
	// Shipments turns a shipments report into a message.
	Shipments(r *storage.ShipmentReport) (Rendered, error)
}

// Shipments is the hourly job that warns a shop's channel before orders
// ship late: orders that became at risk or late since the last run, and
// warned orders that have shipped since.
type Shipments struct {
	Store  ShipmentStore
	Render ShipmentRenderer
	Log    *slog.Logger
}

// Run enqueues the warnings of one shop, or of every bound shop when
// shopID is empty, and returns how many messages it enqueued. Each order's
// new state is recorded with its message, so a second run at once finds
// nothing to say; and each message is keyed by what it announces
// (ShipmentsKey), so a second run with news says it, however soon after.
func (j *Shipments) Run(ctx context.Context, shopID string, now time.Time) (int, error) {
	shops, err := boundShops(ctx, j.Store, shopID)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range shops {
		s := &shops[i]
		added, err := j.runShop(ctx, s, now)
		if err != nil {
			if shopID != "" {
				return n, err
			}
			j.log().ErrorContext(ctx, "shipment warnings failed", "shop", s.ID, "err", err)
			continue
		}
		if added {
			n++
		}
	}
	return n, nil
}

func (j *Shipments) runShop(ctx context.Context, s *storage.Shop, now time.Time) (bool, error) {
	r, msgs, err := j.build(ctx, s, now)
	if err != nil || len(msgs) == 0 {
		return false, err
	}
	added, err := j.Store.EnqueueShipments(ctx, r, msgs[0].OutboxMessage, now)
	if added {
		j.log().InfoContext(ctx, "shipment warnings enqueued", "shop", s.ID, "key", msgs[0].Key, "at_risk", len(r.AtRisk), "late", len(r.Late), "resolved", len(r.Resolved))
	}
	return added, err
}

// build reads a shop's shipment news and renders it as its outbox row,
// changing nothing: runShop records it, Messages shows it. No news is no
// message.
func (j *Shipments) build(ctx context.Context, s *storage.Shop, now time.Time) (*storage.ShipmentReport, []Outgoing, error) {
	r, err := j.Store.ShipmentChanges(ctx, s, now)
	if err != nil || r.Empty() {
		return r, nil, err
	}
	m, err := j.Render.Shipments(r)
	if err != nil {
		return nil, nil, fmt.Errorf("render: %w", err)
	}
	return r, []Outgoing{outgoing(ShipmentsKey(r), s.ID, KindShipments, s.Channel, m)}, nil
}

// Messages returns the warning Run would enqueue for the shop now, if
// any, without enqueuing it or recording any order as warned: `dsrbot run
// shipments` with no Slack token prints it. Like Digests.Messages it
// builds the warning of a shop not bound to a channel too.
func (j *Shipments) Messages(ctx context.Context, s *storage.Shop, now time.Time) ([]Outgoing, error) {
	_, msgs, err := j.build(ctx, s, now)
	return msgs, err
}

func (j *Shipments) log() *slog.Logger {
	if j.Log == nil {
		return slog.Default()
	}
	return j.Log
}
