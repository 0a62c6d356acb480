package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB is a handle on the dsrbot database. It is safe for concurrent use.
type DB struct {
	gdb *gorm.DB
	sql *sql.DB
	// d is what differs between the engines (dialect.go).
	d dialect
	// target is what Open was given, for tests that open it again.
	target string
	// Now stamps records that an import makes (the history of an
	// automatic assignment); tests fix it. Defaults to time.Now.
	Now func() time.Time
}

func (db *DB) now() time.Time {
	if db.Now == nil {
		return time.Now()
	}
	return db.Now()
}

// Open opens the database DSRBOT_DB names and brings its schema up to
// date: a postgres:// or postgresql:// URL is a PostgreSQL database (the
// one several replicas share); anything else, optionally prefixed sqlite:,
// is a SQLite file, created if needed.
func Open(target string) (*DB, error) {
	if isPostgresURL(target) {
		return openPostgres(target)
	}
	return openSQLite(sqlitePath(target))
}

// gormConfig is the configuration of both engines: gorm stamps times as
// the rest of storage stores them (utc).
func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Second) },
	}
}

// openSQLite opens (creating if needed) the SQLite database at path. WAL
// lets the bot read while an import writes; the busy timeout makes a
// second writer wait rather than fail; immediate transactions take the
// write lock up front so two writers never deadlock on an upgrade.
func openSQLite(path string) (*DB, error) {
	dsn := path + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate&_synchronous=NORMAL&_cache_size=-48000"
	gdb, err := gorm.Open(sqlite.Open(dsn), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return finishOpen(gdb, sqliteDialect, path, path)
}

// postgresMaxConns bounds a replica's pool: several replicas share the
// server's max_connections (100 by default).
const postgresMaxConns = 20

// openPostgres opens the PostgreSQL database at url (pgx underneath). The
// session runs in UTC so that times read back are in UTC as SQLite's are.
func openPostgres(url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(url), err)
	}
	// pgx reads a TIMESTAMPTZ in the process's local zone; storage hands
	// out UTC times on both engines, as SQLite's driver reads them.
	utcTimes := stdlib.OptionAfterConnect(func(_ context.Context, c *pgx.Conn) error {
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID, Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		return nil
	})
	pool := stdlib.OpenDB(*cfg, utcTimes)
	// A bounded pool per replica: several replicas share the server's
	// max_connections (100 by default), and a burst of requests should
	// queue here rather than be refused there.
	pool.SetMaxOpenConns(postgresMaxConns)
	pool.SetMaxIdleConns(postgresMaxConns / 2)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	gdb, err := gorm.Open(postgres.New(postgres.Config{Conn: pool}), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(url), err)
	}
	return finishOpen(gdb, postgresDialect, url, redact(url))
}

func finishOpen(gdb *gorm.DB, d dialect, target, name string) (*DB, error) {
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	db := &DB{gdb: gdb, sql: sqlDB, d: d, target: target}
	if err := db.migrate(context.Background()); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	return db, nil
}

// ReadConcurrency is how many reads spanning many shops (the all-shops
// view, the morning sweep) are worth running at once, each on its own
// connection; see dialect.ReadConcurrency.
func (db *DB) ReadConcurrency() int { return db.d.ReadConcurrency() }

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.d.Name() }

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// utc normalises a time for storage: UTC, whole seconds. SQLite compares the
// stored text, so every stored time must share one offset and one precision.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// utcPtr is utc for optional times.
func utcPtr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := utc(*t)
	return &u
}

// onTx returns a gorm handle that runs on a database/sql transaction, for
// work that mixes the bulk path and gorm queries in one transaction.
func (db *DB) onTx(ctx context.Context, tx *sql.Tx) *gorm.DB {
	// A Session with a Context gets its own Statement; without one it
	// would share the root's, and setting ConnPool would divert every
	// later query of the process into this transaction.
	g := db.gdb.Session(&gorm.Session{NewDB: true, Context: ctx, SkipDefaultTransaction: true})
	g.Statement.ConnPool = tx
	return g
}
