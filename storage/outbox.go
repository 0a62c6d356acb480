package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// OutboxMessage is a scheduled message on its way to a channel. It is
// written once, under a unique Key (such as "digest:dy-fashion:2026-11-24"),
// and delivered by a sender that records the outcome. The message itself is
// opaque here: text and the rendered blocks as the chat surface made them.
type OutboxMessage struct {
	ID            int64
	Key           string
	ShopID        string
	Kind          string
	Channel       string
	Text          string
	Blocks        string
	CreatedAt     time.Time
	NextAttemptAt time.Time
	// Attempts counts claims; above one, an earlier attempt may have
	// reached the channel and the sender must look before posting again.
	Attempts     int
	ClaimedBy    string
	ClaimedUntil *time.Time
	SentAt       *time.Time
	TS           string
	FailedAt     *time.Time
	LastError    string
}

// TableName keeps gorm from pluralising the table name.
func (OutboxMessage) TableName() string { return "outbox" }

// OutboxHas reports whether a message with the key was ever enqueued.
func (db *DB) OutboxHas(ctx context.Context, key string) (bool, error) {
	var n int64
	err := db.gdb.WithContext(ctx).Model(&OutboxMessage{}).Where("key = ?", key).Count(&n).Error
	return n > 0, err
}

// FindOutbox returns the message with the key, or ENOTFOUND.
func (db *DB) FindOutbox(ctx context.Context, key string) (*OutboxMessage, error) {
	var rows []OutboxMessage
	if err := db.gdb.WithContext(ctx).Where("key = ?", key).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, Errorf(ENOTFOUND, "no outbox message %q", key)
	}
	return &rows[0], nil
}

// enqueue inserts m unless its key exists, inside tx; it reports whether
// it was inserted.
func enqueue(tx *gorm.DB, m *OutboxMessage, now time.Time) (bool, error) {
	m.CreatedAt, m.NextAttemptAt = utc(now), utc(now)
	res := tx.Exec(`INSERT INTO outbox (key, shop_id, kind, channel, text, blocks, created_at, next_attempt_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		m.Key, m.ShopID, m.Kind, m.Channel, m.Text, m.Blocks, m.CreatedAt, m.NextAttemptAt)
	return res.RowsAffected == 1, res.Error
}

// Enqueue adds a message to the outbox unless one with its key exists, and
// reports whether it was added.
func (db *DB) Enqueue(ctx context.Context, m OutboxMessage, now time.Time) (bool, error) {
	return enqueue(db.gdb.WithContext(ctx), &m, now)
}

// ClaimOutbox claims, for up to limit channels, the oldest undelivered
// message of the channel if it is due and not claimed by a live sender,
// and counts the attempt. Only a channel's oldest message is ever claimed,
// so a channel gets its messages in order even across failures. Two
// senders never claim the same message: on SQLite the transaction is
// immediate, so claims run one at a time; on PostgreSQL, where replicas
// claim at once, the select locks the rows it returns FOR UPDATE SKIP
// LOCKED (dialect.skipLocked): a replica passes over a message another
// is claiming instead of waiting for it, and a message whose claim just
// committed is read again, its new lease excluding it.
func (db *DB) ClaimOutbox(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]OutboxMessage, error) {
	var claimed []OutboxMessage
	n := utc(now)
	err := db.gdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ids []int64
		err := tx.Raw(`SELECT o.id FROM outbox o
			WHERE o.sent_at IS NULL AND o.failed_at IS NULL
			  AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.channel = o.channel AND p.sent_at IS NULL AND p.failed_at IS NULL)
			  AND o.next_attempt_at <= ?
			  AND (o.claimed_until IS NULL OR o.claimed_until < ?)
			ORDER BY o.id LIMIT ?`+db.d.skipLocked("o"), n, n, limit).Scan(&ids).Error
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := tx.Exec(`UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1 WHERE id IN ?`,
			owner, utc(now.Add(lease)), ids).Error; err != nil {
			return err
		}
		return tx.Where("id IN ?", ids).Order("id").Find(&claimed).Error
	})
	return claimed, err
}

// RenewClaim extends a claim just before a delivery attempt, so that a
// slow batch never posts under a lease that has run out. It reports false,
// and the sender must leave the message alone, when the claim is no longer
// this owner's or has already expired.
func (db *DB) RenewClaim(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error) {
	res := db.gdb.WithContext(ctx).Model(&OutboxMessage{}).
		Where("id = ? AND claimed_by = ? AND claimed_until >= ? AND sent_at IS NULL", id, owner, utc(now)).
		Update("claimed_until", utc(now.Add(lease)))
	return res.RowsAffected == 1, res.Error
}

// MarkSent records a delivered message and its Slack ts. Only the sender
// holding the claim may record it.
func (db *DB) MarkSent(ctx context.Context, id int64, owner, ts string, now time.Time) error {
	return db.settle(ctx, id, owner, map[string]any{"sent_at": utc(now), "ts": ts, "claimed_until": nil, "last_error": ""})
}

// Reschedule releases a claim after a failed attempt, to be tried at next.
func (db *DB) Reschedule(ctx context.Context, id int64, owner string, next time.Time, cause string) error {
	return db.settle(ctx, id, owner, map[string]any{"next_attempt_at": utc(next), "claimed_until": nil, "last_error": truncate(cause, 500)})
}

// MarkFailed gives up on a message; it stays in the outbox for the record.
func (db *DB) MarkFailed(ctx context.Context, id int64, owner, cause string, now time.Time) error {
	return db.settle(ctx, id, owner, map[string]any{"failed_at": utc(now), "claimed_until": nil, "last_error": truncate(cause, 500)})
}

func (db *DB) settle(ctx context.Context, id int64, owner string, fields map[string]any) error {
	res := db.gdb.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ? AND claimed_by = ? AND sent_at IS NULL", id, owner).Updates(fields)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return Errorf(ECONFLICT, "outbox message %d is not claimed by %s", id, owner)
	}
	return nil
}

// PendingOutbox counts messages not yet delivered or given up on.
func (db *DB) PendingOutbox(ctx context.Context) (int, error) {
	var n int64
	err := db.gdb.WithContext(ctx).Model(&OutboxMessage{}).Where("sent_at IS NULL AND failed_at IS NULL").Count(&n).Error
	return int(n), err
}

// PendingKeys returns the keys of the messages not yet delivered or given
// up on, of one shop (every shop when shopID is empty) and of the kinds
// given, oldest first: what `dsrbot run` waits for, including messages an
// earlier run enqueued and could not deliver.
func (db *DB) PendingKeys(ctx context.Context, shopID string, kinds ...string) ([]string, error) {
	q := db.gdb.WithContext(ctx).Model(&OutboxMessage{}).Where("sent_at IS NULL AND failed_at IS NULL AND kind IN ?", kinds)
	if shopID != "" {
		q = q.Where("shop_id = ?", shopID)
	}
	var keys []string
	err := q.Order("id").Pluck("key", &keys).Error
	return keys, err
}

// OutboxByKeys returns the messages with the keys, oldest first; keys
// not in the outbox are left out.
func (db *DB) OutboxByKeys(ctx context.Context, keys []string) ([]OutboxMessage, error) {
	var rows []OutboxMessage
	if len(keys) == 0 {
		return rows, nil
	}
	err := db.gdb.WithContext(ctx).Where("key IN ?", keys).Order("id").Find(&rows).Error
	return rows, err
}

// NextInChannel returns a channel's oldest undelivered message, the only
// one of the channel a sender may claim (ClaimOutbox), or false when the
// channel has none: a message behind it waits for it.
func (db *DB) NextInChannel(ctx context.Context, channel string) (*OutboxMessage, bool, error) {
	var rows []OutboxMessage
	err := db.gdb.WithContext(ctx).Where("channel = ? AND sent_at IS NULL AND failed_at IS NULL", channel).Order("id").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, false, err
	}
	return &rows[0], true, nil
}

// Due is when a sender can next claim the message, if it is its channel's
// oldest: its next attempt, or the end of a claim that outlasts it.
func (m *OutboxMessage) Due() time.Time {
	if m.ClaimedUntil != nil && m.ClaimedUntil.After(m.NextAttemptAt) {
		return *m.ClaimedUntil
	}
	return m.NextAttemptAt
}

// Pending reports whether the message is neither delivered nor given up on.
func (m *OutboxMessage) Pending() bool { return m.SentAt == nil && m.FailedAt == nil }

// OutboxKey builds a message key from its parts.
func OutboxKey(kind, shopID string, parts ...string) string {
	return fmt.Sprintf("%s:%s:%s", kind, shopID, strings.Join(parts, ":"))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// OutboxStats returns how many messages wait to be delivered or given up
// on, and when the oldest of them was enqueued (zero when none waits): the
// depth and lag of the outbox, read by /metrics at every scrape, so the
// numbers are the database's and agree across replicas.
func (db *DB) OutboxStats(ctx context.Context) (pending int, oldest time.Time, err error) {
	// Two plain queries rather than COUNT and MIN in one: SQLite returns
	// MIN(created_at) as text without the column's type, which the driver
	// would not read back as a time.
	q := func() *gorm.DB {
		return db.gdb.WithContext(ctx).Model(&OutboxMessage{}).Where("sent_at IS NULL AND failed_at IS NULL")
	}
	var n int64
	if err := q().Count(&n).Error; err != nil || n == 0 {
		return 0, time.Time{}, err
	}
	var times []time.Time
	if err := q().Order("created_at").Limit(1).Pluck("created_at", &times).Error; err != nil || len(times) == 0 {
		return int(n), time.Time{}, err
	}
	return int(n), times[0].UTC(), nil
}

// ReleaseClaims gives up the claims a stopping sender still holds on
// undelivered messages, so that another replica takes them at once rather
// than when their lease would have ended. owner is the Sender's Owner; its
// drains claim as owner#N (Sender.drain), and all of them are released.
// Attempts stay counted, so the next sender looks in the channel before
// posting a message this one may have reached Slack with.
func (db *DB) ReleaseClaims(ctx context.Context, owner string) (int, error) {
	res := db.gdb.WithContext(ctx).Model(&OutboxMessage{}).
		Where(`(claimed_by = ? OR claimed_by LIKE ? ESCAPE '\') AND claimed_until IS NOT NULL AND sent_at IS NULL AND failed_at IS NULL`,
			owner, likeEscape(owner)+"#%").
		Updates(map[string]any{"claimed_by": "", "claimed_until": nil})
	return int(res.RowsAffected), res.Error
}

// likeEscape quotes LIKE's wildcards (and its escape character) in s, so a
// host name with an underscore matches only itself.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
