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
	res, err := db.sql.ExecContext(ctx, `INSERT INTO slack_signatures (signature, signed_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, signature, utc(signedAt))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	if n == 1 {
		// Housekeeping, as in FirstDelivery: a failed sweep must not refuse
		// a good request, and the next one sweeps again.
		db.sql.ExecContext(ctx, `DELETE FROM slack_signatures WHERE signed_at < ?`, utc(now.Add(-window)))
	}
	return n == 1, nil
}
