package storage

import (
	"context"
	"fmt"
)

// pgMigrations are PostgreSQL's schema, applied in order, each once; the
// schema_version table records how many have run. Append only, like the
// SQLite list (migrations), which it parallels rather than shares: the
// SQLite history rebuilds tables SQLite cannot alter in place and is
// written in SQLite's types, while PostgreSQL starts from the schema that
// history ends at. A change to the schema is appended to both lists, each
// in its engine's words, and TestSchemasAgree checks they end alike.
//
// Types: times are TIMESTAMPTZ (stored as UTC, whole seconds, by utc);
// row ids BIGSERIAL; flags BOOLEAN; scores DOUBLE PRECISION; a score's
// date stays TEXT (a local calendar day, compared as text on both).
var pgMigrations = []string{
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
		created_at       TIMESTAMPTZ NOT NULL,
		warn_hours       INTEGER NOT NULL DEFAULT 6,
		followup_hours   INTEGER NOT NULL DEFAULT 24,
		team_id          TEXT NOT NULL DEFAULT '',
		gates            TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX idx_shops_channel ON shops(channel) WHERE channel <> '';

	CREATE TABLE scores (
		shop_id   TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		date      TEXT NOT NULL,
		stage     TEXT NOT NULL DEFAULT '' CHECK (stage IN ('', 'formal', 'growth')),
		overall   DOUBLE PRECISION,
		product   DOUBLE PRECISION,
		logistics DOUBLE PRECISION,
		service   DOUBLE PRECISION,
		product_rating         DOUBLE PRECISION,
		quality_return_rate    DOUBLE PRECISION,
		pickup_hours           DOUBLE PRECISION,
		delivery_on_time_rate  DOUBLE PRECISION,
		logistics_return_rate  DOUBLE PRECISION,
		aftersale_review_hours DOUBLE PRECISION,
		im_response_seconds    DOUBLE PRECISION,
		dissatisfaction_rate   DOUBLE PRECISION,
		platform_help_rate     DOUBLE PRECISION,
		PRIMARY KEY (shop_id, date)
	);

	CREATE TABLE reviews (
		id           BIGSERIAL PRIMARY KEY,
		shop_id      TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		review_id    TEXT NOT NULL,
		order_id     TEXT NOT NULL DEFAULT '',
		product_id   TEXT NOT NULL DEFAULT '',
		product      TEXT NOT NULL DEFAULT '',
		rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
		created_at   TIMESTAMPTZ NOT NULL,
		content      TEXT NOT NULL DEFAULT '',
		aspects      TEXT NOT NULL DEFAULT '',
		owner        TEXT NOT NULL DEFAULT '',
		status       TEXT NOT NULL DEFAULT '',
		outcome      TEXT NOT NULL DEFAULT '',
		note         TEXT NOT NULL DEFAULT '',
		closed_at    TIMESTAMPTZ,
		reported_at  TIMESTAMPTZ,
		reminded_at  TIMESTAMPTZ,
		escalated_at TIMESTAMPTZ,
		noted_at     TIMESTAMPTZ,
		grade        TEXT NOT NULL DEFAULT '',
		opened_at    TIMESTAMPTZ,
		UNIQUE (shop_id, review_id)
	);
	CREATE INDEX idx_reviews_shop_created ON reviews(shop_id, created_at);
	CREATE INDEX idx_reviews_open_bad ON reviews(shop_id, created_at) WHERE status = 'open';
	CREATE INDEX idx_reviews_owner_open ON reviews(owner, created_at) WHERE status = 'open';
	CREATE INDEX idx_reviews_unreported ON reviews(shop_id, created_at) WHERE rating <= 2 AND reported_at IS NULL;
	CREATE INDEX idx_reviews_open_due ON reviews(shop_id, opened_at) WHERE status = 'open';
	CREATE INDEX idx_reviews_review_id_lower ON reviews(lower(review_id), shop_id);
	CREATE INDEX idx_reviews_closed ON reviews(shop_id, closed_at) WHERE status = 'done';
	CREATE INDEX idx_reviews_bad_window ON reviews(shop_id, created_at, product_id, product, aspects) WHERE rating <= 2;

	CREATE TABLE orders (
		id            BIGSERIAL PRIMARY KEY,
		shop_id       TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		order_id      TEXT NOT NULL,
		product       TEXT NOT NULL DEFAULT '',
		amount_fen    BIGINT NOT NULL CHECK (amount_fen >= 0),
		paid_at       TIMESTAMPTZ NOT NULL,
		promise       TEXT NOT NULL,
		ship_by       TIMESTAMPTZ NOT NULL,
		shipped_at    TIMESTAMPTZ,
		tracking_no   TEXT NOT NULL DEFAULT '',
		cancelled     BOOLEAN NOT NULL DEFAULT FALSE,
		warned        TEXT NOT NULL DEFAULT '',
		main_order_id TEXT NOT NULL DEFAULT '',
		picked_up_at  TIMESTAMPTZ,
		UNIQUE (shop_id, order_id)
	);
	CREATE INDEX idx_orders_shop_paid ON orders(shop_id, paid_at);
	CREATE INDEX idx_orders_open ON orders(shop_id, ship_by) WHERE shipped_at IS NULL AND cancelled = FALSE;
	CREATE INDEX idx_orders_warned ON orders(shop_id) WHERE warned IN ('at_risk', 'late');
	CREATE INDEX idx_orders_late ON orders(shop_id, paid_at)
		WHERE cancelled = FALSE AND (shipped_at IS NULL OR picked_up_at > ship_by OR (picked_up_at IS NULL AND shipped_at > ship_by));

	CREATE TABLE slack_events (
		event_id    TEXT PRIMARY KEY,
		received_at TIMESTAMPTZ NOT NULL
	);
	CREATE INDEX idx_slack_events_received ON slack_events(received_at);

	CREATE TABLE slack_signatures (
		signature TEXT PRIMARY KEY,
		signed_at TIMESTAMPTZ NOT NULL
	);
	CREATE INDEX idx_slack_signatures_signed ON slack_signatures(signed_at);

	CREATE TABLE outbox (
		id              BIGSERIAL PRIMARY KEY,
		key             TEXT NOT NULL UNIQUE,
		shop_id         TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		kind            TEXT NOT NULL,
		channel         TEXT NOT NULL,
		text            TEXT NOT NULL,
		blocks          TEXT NOT NULL DEFAULT '',
		created_at      TIMESTAMPTZ NOT NULL,
		next_attempt_at TIMESTAMPTZ NOT NULL,
		attempts        INTEGER NOT NULL DEFAULT 0,
		claimed_by      TEXT NOT NULL DEFAULT '',
		claimed_until   TIMESTAMPTZ,
		sent_at         TIMESTAMPTZ,
		ts              TEXT NOT NULL DEFAULT '',
		failed_at       TIMESTAMPTZ,
		last_error      TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX idx_outbox_pending ON outbox(channel, id) WHERE sent_at IS NULL AND failed_at IS NULL;

	CREATE TABLE review_events (
		id        BIGSERIAL PRIMARY KEY,
		review_pk BIGINT NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
		at        TIMESTAMPTZ NOT NULL,
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
	);
	CREATE TABLE aspect_keywords (
		shop_id TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
		word    TEXT NOT NULL,
		aspect  TEXT NOT NULL,
		PRIMARY KEY (shop_id, word)
	);`,

	// The chart a digest shows, recorded by the digest's outbox key (see
	// the SQLite list's entry for why a table of its own).
	`CREATE TABLE digest_charts (
		key        TEXT PRIMARY KEY,
		file_id    TEXT NOT NULL,
		created_at TIMESTAMPTZ NOT NULL
	);`,
}

// migratePostgres brings a PostgreSQL schema up to date in one
// transaction (PostgreSQL's DDL is transactional: a failed migration
// leaves nothing behind). Replicas starting together all call it: the
// transaction-scoped advisory lock, keyed by the schema, makes the first
// migrate while the others wait, then find nothing left to do.
func (db *DB) migratePostgres(ctx context.Context) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('dsrbot.migrate.' || current_schema()))`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&version); err != nil {
		return err
	}
	if version > len(pgMigrations) {
		return fmt.Errorf("database schema version %d is newer than this dsrbot (%d)", version, len(pgMigrations))
	}
	if version == len(pgMigrations) {
		return nil
	}
	for i := version; i < len(pgMigrations); i++ {
		if _, err := tx.ExecContext(ctx, pgMigrations[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, len(pgMigrations)); err != nil {
		return err
	}
	return tx.Commit()
}
