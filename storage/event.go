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
	return db.firstSeen(ctx, "slack_events", "event_id", "received_at", eventID, now, now.Add(-EventMemory))
}

// firstSeen records key in a table of things seen once (Slack event IDs,
// request signatures) and reports whether it is new. The insert is the
// check, so two processes on one database cannot both see it first. After
// a first sighting, rows whose time is before forget are swept; that is
// housekeeping: if it fails (a busy database) the request must still be
// acted on, and the next one sweeps again. table and columns are the
// callers' constants, never input.
func (db *DB) firstSeen(ctx context.Context, table, keyCol, timeCol, key string, at, forget time.Time) (bool, error) {
	res, err := db.sql.ExecContext(ctx, db.d.rebind(`INSERT INTO `+table+` (`+keyCol+`, `+timeCol+`) VALUES (?, ?) ON CONFLICT DO NOTHING`), key, utc(at))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	if n == 1 {
		db.sql.ExecContext(ctx, db.d.rebind(`DELETE FROM `+table+` WHERE `+timeCol+` < ?`), utc(forget))
	}
	return n == 1, nil
}
