package storage

import (
	"context"
	"time"
)

// EventMemory is how long an event ID is remembered. Slack retries an
// unacknowledged event three times within about an hour.
const EventMemory = 24 * time.Hour

// FirstDelivery records a Slack event ID and reports whether this is the
// first time it was seen. A retry of the same event (X-Slack-Retry-Num), in
// this process or after a restart, reports false and must not be acted on.
// IDs older than EventMemory are forgotten in the same statement batch.
func (db *DB) FirstDelivery(ctx context.Context, eventID string, now time.Time) (bool, error) {
	res, err := db.sql.ExecContext(ctx, `INSERT INTO slack_events (event_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, eventID, utc(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	if n == 1 {
		// Forgetting old IDs is housekeeping: if it fails (a busy database),
		// the event must still be acted on, and the next one tries again.
		db.sql.ExecContext(ctx, `DELETE FROM slack_events WHERE received_at < ?`, utc(now.Add(-EventMemory)))
	}
	return n == 1, nil
}
