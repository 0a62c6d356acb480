package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB is a handle on the dsrbot database. It is safe for concurrent use.
type DB struct {
	gdb *gorm.DB
	sql *sql.DB
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

// Open opens (creating if needed) the SQLite database at path and brings its
// schema up to date. WAL lets the bot read while an import writes; the busy
// timeout makes a second writer wait rather than fail; immediate transactions
// take the write lock up front so two writers never deadlock on an upgrade.
func Open(path string) (*DB, error) {
	dsn := path + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate&_synchronous=NORMAL&_cache_size=-48000"
	gdb, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Second) },
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{gdb: gdb, sql: sqlDB}
	if err := db.migrate(context.Background()); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return db, nil
}

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
