package jobs

import (
	"context"

	"github.com/dsrbot/dsrbot/storage"
)

// shopFinder is the part of every job's store that picks shops.
type shopFinder interface {
	ListShops(ctx context.Context) ([]storage.Shop, error)
	FindShop(ctx context.Context, id string) (*storage.Shop, error)
}

// boundShops returns the shops a run covers: the one named (an error if it
// has no channel, since `dsrbot run --shop` must not silently do nothing),
// or every shop bound to a channel.
func boundShops(ctx context.Context, store shopFinder, shopID string) ([]storage.Shop, error) {
	if shopID != "" {
		s, err := store.FindShop(ctx, shopID)
		if err != nil {
			return nil, err
		}
		if s.Channel == "" {
			return nil, storage.Errorf(storage.EINVALID, "shop %s has no channel: bind one with /dsr bind %s in Slack", s.ID, s.ID)
		}
		return []storage.Shop{*s}, nil
	}
	all, err := store.ListShops(ctx)
	if err != nil {
		return nil, err
	}
	bound := all[:0]
	for _, s := range all {
		if s.Channel != "" {
			bound = append(bound, s)
		}
	}
	return bound, nil
}
