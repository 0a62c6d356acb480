package storage

import (
	"context"
	"fmt"
)

// migrations are applied in order, each once; PRAGMA user_version records how
// many have run. Append only: never edit a migration that has shipped.
//
// The schema is written out rather than derived by AutoMigrate because the
// queries that must stay fast rely on partial indexes (open orders, open bad
// reviews) and on the unique keys that make re-imports idempotent.
var migrations = []string{
	`CREATE TABLE shops (
		id               TEXT PRIMARY KEY,
		name             TEXT NOT NULL,
		platform         TEXT NOT NULL CHECK (platform IN ('douyin', 'taobao')),
		channel          TEXT NOT NULL DEFAULT '',
		tz               TEXT NOT NULL,
		lang             TEXT NOT NULL DEFAULT 'en',
		weight_product   INTEGER NOT NULL DEFAULT 50,
		weight_logistics INTEGER NOT NULL DEFAULT 15,
		weight_service   INTEGER NOT NULL DEFAULT 35,
		digest_cron      TEXT NOT NULL DEFAULT '0 9 * * *',
		created_at       DATETIME NOT NULL
	);
	CREATE INDEX idx_shops_channel ON shops(channel) WHERE channel <> '';

	CREATE TABLE scores (
		shop_id   TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		date      TEXT NOT NULL,
		overall   REAL,
		product   REAL NOT NULL,
		logistics REAL NOT NULL,
		service   REAL NOT NULL,
		PRIMARY KEY (shop_id, date)
	) WITHOUT ROWID;

	CREATE TABLE reviews (
		id         INTEGER PRIMARY KEY,
		shop_id    TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		review_id  TEXT NOT NULL,
		order_id   TEXT NOT NULL DEFAULT '',
		product_id TEXT NOT NULL DEFAULT '',
		product    TEXT NOT NULL DEFAULT '',
		rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
		created_at DATETIME NOT NULL,
		content    TEXT NOT NULL DEFAULT '',
		aspects    TEXT NOT NULL DEFAULT '',
		owner      TEXT NOT NULL DEFAULT '',
		status     TEXT NOT NULL DEFAULT '',
		outcome    TEXT NOT NULL DEFAULT '',
		note       TEXT NOT NULL DEFAULT '',
		closed_at  DATETIME,
		UNIQUE (shop_id, review_id)
	);
	CREATE INDEX idx_reviews_shop_created ON reviews(shop_id, created_at);
	CREATE INDEX idx_reviews_open_bad ON reviews(shop_id, created_at) WHERE status = 'open';
	CREATE INDEX idx_reviews_owner_open ON reviews(owner, created_at) WHERE status = 'open';

	CREATE TABLE orders (
		id          INTEGER PRIMARY KEY,
		shop_id     TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		order_id    TEXT NOT NULL,
		product     TEXT NOT NULL DEFAULT '',
		amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
		paid_at     DATETIME NOT NULL,
		promise     TEXT NOT NULL,
		ship_by     DATETIME NOT NULL,
		shipped_at  DATETIME,
		tracking_no TEXT NOT NULL DEFAULT '',
		UNIQUE (shop_id, order_id)
	);
	CREATE INDEX idx_orders_shop_paid ON orders(shop_id, paid_at);
	CREATE INDEX idx_orders_open ON orders(shop_id, ship_by) WHERE shipped_at IS NULL;`,

	// Slack event IDs already acted on: Slack retries an event it thinks was
	// not acknowledged, and a restart must not forget what was done.
	`CREATE TABLE slack_events (
		event_id    TEXT PRIMARY KEY,
		received_at DATETIME NOT NULL
	) WITHOUT ROWID;
	CREATE INDEX idx_slack_events_received ON slack_events(received_at);`,

	// The outbox: every scheduled message is written here first, under a
	// unique key, in the same transaction that marks its contents as
	// reported; a sender then delivers it. reported_at marks the bad
	// reviews a digest has already announced.
	`CREATE TABLE outbox (
		id              INTEGER PRIMARY KEY,
		key             TEXT NOT NULL UNIQUE,
		shop_id         TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		kind            TEXT NOT NULL,
		channel         TEXT NOT NULL,
		text            TEXT NOT NULL,
		blocks          TEXT NOT NULL DEFAULT '',
		created_at      DATETIME NOT NULL,
		next_attempt_at DATETIME NOT NULL,
		attempts        INTEGER NOT NULL DEFAULT 0,
		claimed_by      TEXT NOT NULL DEFAULT '',
		claimed_until   DATETIME,
		sent_at         DATETIME,
		ts              TEXT NOT NULL DEFAULT '',
		failed_at       DATETIME,
		last_error      TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX idx_outbox_pending ON outbox(channel, id) WHERE sent_at IS NULL AND failed_at IS NULL;
	ALTER TABLE reviews ADD COLUMN reported_at DATETIME;
	CREATE INDEX idx_reviews_unreported ON reviews(shop_id, created_at) WHERE rating <= 2 AND reported_at IS NULL;`,

	// Shipping warnings: a per-shop warning window, cancelled orders (no
	// longer open), and the state each order was last warned about, so a
	// warning is posted once per state. The open-orders index now leaves
	// cancelled orders out; the warned index finds warned orders that ship.
	`ALTER TABLE shops ADD COLUMN warn_hours INTEGER NOT NULL DEFAULT 6;
	ALTER TABLE orders ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE orders ADD COLUMN warned TEXT NOT NULL DEFAULT '';
	DROP INDEX idx_orders_open;
	CREATE INDEX idx_orders_open ON orders(shop_id, ship_by) WHERE shipped_at IS NULL AND cancelled = 0;
	CREATE INDEX idx_orders_warned ON orders(shop_id) WHERE warned IN ('at_risk', 'late');`,

	// Follow-ups: the history of every change, owners per aspect (and a
	// default rota), a shop's own aspect keywords, the follow-up deadline,
	// the Slack workspace that owns the shop, and what the reminders job
	// has already said about each review.
	`CREATE TABLE review_events (
		id        INTEGER PRIMARY KEY,
		review_pk INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
		at        DATETIME NOT NULL,
		actor     TEXT NOT NULL,
		action    TEXT NOT NULL,
		detail    TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX idx_review_events ON review_events(review_pk, id);
	CREATE TABLE shop_owners (
		shop_id TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		aspect  TEXT NOT NULL,
		users   TEXT NOT NULL,
		next    INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (shop_id, aspect)
	) WITHOUT ROWID;
	CREATE TABLE aspect_keywords (
		shop_id TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		word    TEXT NOT NULL,
		aspect  TEXT NOT NULL,
		PRIMARY KEY (shop_id, word)
	) WITHOUT ROWID;
	ALTER TABLE shops ADD COLUMN followup_hours INTEGER NOT NULL DEFAULT 24;
	ALTER TABLE shops ADD COLUMN team_id TEXT NOT NULL DEFAULT '';
	ALTER TABLE reviews ADD COLUMN reminded_at DATETIME;
	ALTER TABLE reviews ADD COLUMN escalated_at DATETIME;
	ALTER TABLE reviews ADD COLUMN noted_at DATETIME;`,

	// Platform exports: the main order a sub-order belongs to.
	`ALTER TABLE orders ADD COLUMN main_order_id TEXT NOT NULL DEFAULT '';`,

	// The platform's own truth: a Douyin score carries its stage (formal or
	// growth) as the platform states it, and a growth-stage day has no
	// dimension scores, so they become nullable (SQLite cannot drop NOT
	// NULL in place: the table is rebuilt). Every Douyin row so far was
	// imported with its overall and dimensions, which is a formal score.
	// Shops get their own named gates (empty: the defaults); orders the
	// carrier's pickup time, which the platform counts as shipped; reviews
	// the grade an export gives when it gives no stars.
	`CREATE TABLE scores_new (
		shop_id   TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		date      TEXT NOT NULL,
		stage     TEXT NOT NULL DEFAULT '' CHECK (stage IN ('', 'formal', 'growth')),
		overall   REAL,
		product   REAL,
		logistics REAL,
		service   REAL,
		PRIMARY KEY (shop_id, date)
	) WITHOUT ROWID;
	INSERT INTO scores_new (shop_id, date, stage, overall, product, logistics, service)
		SELECT s.shop_id, s.date, CASE WHEN p.platform = 'douyin' THEN 'formal' ELSE '' END,
			s.overall, s.product, s.logistics, s.service
		FROM scores s JOIN shops p ON p.id = s.shop_id;
	DROP TABLE scores;
	ALTER TABLE scores_new RENAME TO scores;
	ALTER TABLE shops ADD COLUMN gates TEXT NOT NULL DEFAULT '';
	ALTER TABLE orders ADD COLUMN picked_up_at DATETIME;
	ALTER TABLE reviews ADD COLUMN grade TEXT NOT NULL DEFAULT '';`,

	// A follow-up's deadline runs from when it was opened: its arrival,
	// or its latest reopening. Counting from the arrival made a review
	// reopened after weeks "overdue by 74 days" at once. The partial index
	// serves the overdue queries of the digest and the reminders.
	`ALTER TABLE reviews ADD COLUMN opened_at DATETIME;
	UPDATE reviews SET opened_at = created_at;
	CREATE INDEX idx_reviews_open_due ON reviews(shop_id, opened_at) WHERE status = 'open';`,

	// Signatures of the Slack requests accepted within the signature
	// window: a request replayed byte for byte inside the window carries
	// the same signature and is refused, on every replica of one database.
	// signed_at is the request's own timestamp; rows older than the window
	// are swept, since the window alone refuses those requests.
	`CREATE TABLE slack_signatures (
		signature TEXT PRIMARY KEY,
		signed_at DATETIME NOT NULL
	) WITHOUT ROWID;
	CREATE INDEX idx_slack_signatures_signed ON slack_signatures(signed_at);`,

	// Review IDs are found whatever their case (a person types r3496 for
	// R3496): FindReviewIn compares lower(review_id), and this index on that
	// expression keeps it a search rather than a scan of every review. The
	// shop follows, so a lookup narrowed to one shop is served by it too.
	`CREATE INDEX idx_reviews_review_id_lower ON reviews(lower(review_id), shop_id);`,

	// The digest's week of outcomes reads a shop's follow-ups closed in a
	// range of days; without this it read every review of the shop.
	`CREATE INDEX idx_reviews_closed ON reviews(shop_id, closed_at) WHERE status = 'done';`,

	// The 体验分 indicators a scores file may carry (storage.Indicators),
	// so "why did it fall" can start from the one that moved; nullable:
	// most files carry none of them. The late orders (shipped after their
	// ship-by time, or not yet shipped) get a partial index: the card's
	// cause counts a shop's in the window without reading every order;
	// so do the bad reviews, which it groups by product and aspects from
	// the index alone.
	`ALTER TABLE scores ADD COLUMN product_rating REAL;
	ALTER TABLE scores ADD COLUMN quality_return_rate REAL;
	ALTER TABLE scores ADD COLUMN pickup_hours REAL;
	ALTER TABLE scores ADD COLUMN delivery_on_time_rate REAL;
	ALTER TABLE scores ADD COLUMN logistics_return_rate REAL;
	ALTER TABLE scores ADD COLUMN aftersale_review_hours REAL;
	ALTER TABLE scores ADD COLUMN im_response_seconds REAL;
	ALTER TABLE scores ADD COLUMN dissatisfaction_rate REAL;
	ALTER TABLE scores ADD COLUMN platform_help_rate REAL;
	CREATE INDEX idx_orders_late ON orders(shop_id, paid_at)
		WHERE cancelled = 0 AND (shipped_at IS NULL OR picked_up_at > ship_by OR (picked_up_at IS NULL AND shipped_at > ship_by));
	CREATE INDEX idx_reviews_bad_window ON reviews(shop_id, created_at, product_id, product, aspects) WHERE rating <= 2;`,

	// The chart a digest shows, uploaded to Slack (unshared) before the
	// digest is enqueued, by the digest's outbox key: a job that runs
	// again before its digest is in the outbox shows the file it already
	// uploaded rather than uploading a second. A table of its own, not an
	// outbox column: the outbox row is written once, with its rendered
	// blocks, in the transaction that marks the reviews announced, and a
	// placeholder row before it would be a message for the sender.
	`CREATE TABLE digest_charts (
		key        TEXT PRIMARY KEY,
		file_id    TEXT NOT NULL,
		created_at DATETIME NOT NULL
	) WITHOUT ROWID;`,
}

// migrate brings the schema up to date inside one transaction.
func (db *DB) migrate(ctx context.Context) error {
	if db.d.postgres {
		return db.migratePostgres(ctx)
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var version int
	if err := conn.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this dsrbot (%d)", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, i+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}
