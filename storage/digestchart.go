package storage

import (
	"context"
	"time"
)

// DigestChartKeep is how long the record of a digest's uploaded chart is
// kept: a digest is enqueued on its own day or not at all, so a record
// older than that is never read again.
const DigestChartKeep = 7 * 24 * time.Hour

// DigestChartFile returns the Slack file ID of the chart uploaded for the
// digest with the outbox key, or "" when none was recorded.
func (db *DB) DigestChartFile(ctx context.Context, key string) (string, error) {
	var ids []string
	err := db.gdb.WithContext(ctx).Raw(`SELECT file_id FROM digest_charts WHERE key = ?`, key).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// RecordDigestChart records the chart uploaded for the digest with the
// outbox key, unless one is recorded already, and returns the one that is:
// of two jobs that uploaded at once, both show the first one's file (the
// other's stays unshared, seen by no one). Records past DigestChartKeep
// are dropped on the way.
func (db *DB) RecordDigestChart(ctx context.Context, key, fileID string, now time.Time) (string, error) {
	tx := db.gdb.WithContext(ctx)
	if err := tx.Exec(`DELETE FROM digest_charts WHERE created_at < ?`, utc(now.Add(-DigestChartKeep))).Error; err != nil {
		return "", err
	}
	if err := tx.Exec(`INSERT INTO digest_charts (key, file_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, fileID, utc(now)).Error; err != nil {
		return "", err
	}
	return db.DigestChartFile(ctx, key)
}
