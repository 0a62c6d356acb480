package storage

import (
	"context"
	"time"
)

// FirstSignature records the signature of a signed request from Slack and
// reports whether this is its first use. A request replayed byte for byte
// carries the same timestamp and body, so the same signature; Slack's own
// retries are signed afresh, with a new timestamp, and are not repeats.
//
// The record is the acceptance: one INSERT on the signature's primary key
// decides, so two replicas on one database that get the same request at
// once cannot both accept it. signedAt is the request's own timestamp; a
// signature signed more than window before now is refused by its age
// anyway, so rows that old are forgotten after a first use.
func (db *DB) FirstSignature(ctx context.Context, signature string, signedAt time.Time, window time.Duration, now time.Time) (bool, error) {
	return db.firstSeen(ctx, "slack_signatures", "signature", "signed_at", signature, signedAt, now.Add(-window))
}
