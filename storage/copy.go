package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyOrder is every table of the schema, each after the tables its rows
// refer to. TestCopyToPostgres fails when a table is added to the schema
// and not here.
var copyOrder = []string{
	"shops", "scores", "reviews", "orders", "review_events", "shop_owners",
	"aspect_keywords", "outbox", "slack_events", "slack_signatures", "digest_charts",
}

// serialTables have a BIGSERIAL id whose sequence must start past the
// copied rows, or the next insert would collide with a copied id.
var serialTables = []string{"reviews", "orders", "review_events", "outbox"}

// CopyResult says what CopyTo copied.
type CopyResult struct {
	Tables  []string
	Rows    map[string]int64
	Elapsed time.Duration
}

// CopyTo copies every row of every table of this SQLite database into the
// empty PostgreSQL database at url (migrating it first), in one
// transaction: all of it is copied, ids included (a review's history and
// the outbox refer to them), or nothing is. A target that holds any row
// is refused (ECONFLICT): merging two databases is not a copy. The
// source should not be written meanwhile (stop the bot): rows written
// after a table is read are not copied.
func (db *DB) CopyTo(ctx context.Context, url string) (*CopyResult, error) {
	start := time.Now()
	if db.d.postgres {
		return nil, Errorf(EINVALID, "DSRBOT_DB is PostgreSQL already; migrate-to copies a SQLite database into PostgreSQL")
	}
	if !isPostgresURL(url) {
		return nil, Errorf(EINVALID, "%s is not a PostgreSQL URL: name one as postgres://USER:PASSWORD@HOST/DB?sslmode=…", url)
	}
	dst, err := Open(url)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	srcCols, err := db.columns(ctx)
	if err != nil {
		return nil, err
	}
	dstCols, err := dst.columns(ctx)
	if err != nil {
		return nil, err
	}
	if len(srcCols) != len(copyOrder) {
		return nil, fmt.Errorf("the schema has %d tables, the copy knows %d", len(srcCols), len(copyOrder))
	}
	for _, t := range copyOrder {
		if strings.Join(srcCols[t], ",") != strings.Join(dstCols[t], ",") {
			return nil, fmt.Errorf("table %s differs: %v here, %v in %s", t, srcCols[t], dstCols[t], redact(url))
		}
		var any bool
		if err := dst.sql.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+t+`)`).Scan(&any); err != nil {
			return nil, err
		}
		if any {
			return nil, Errorf(ECONFLICT, "%s is not empty (table %s has rows): migrate-to copies into an empty database only", redact(url), t)
		}
	}

	res := &CopyResult{Tables: copyOrder, Rows: map[string]int64{}}
	conn, err := dst.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for _, t := range copyOrder {
			n, err := copyTable(ctx, db.sql, tx, t, srcCols[t])
			if err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
			res.Rows[t] = n
		}
		for _, t := range serialTables {
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), GREATEST(MAX(id), 1), MAX(id) IS NOT NULL) FROM `+t); err != nil {
				return fmt.Errorf("sequence of %s: %w", t, err)
			}
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// boolColumns are the flags: BOOLEAN on PostgreSQL, 0/1 on SQLite.
var boolColumns = map[string]bool{"orders.cancelled": true}

// copyTable streams one table's rows into PostgreSQL with COPY. SQLite
// hands back a flag as the integer 0 or 1; PostgreSQL's column is BOOLEAN.
func copyTable(ctx context.Context, src *sql.DB, tx pgx.Tx, table string, cols []string) (int64, error) {
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	boolCol := make([]bool, len(cols))
	for i, c := range cols {
		boolCol[i] = boolColumns[table+"."+c]
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	next := pgx.CopyFromFunc(func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out := make([]any, len(vals))
		for i, v := range vals {
			if n, ok := v.(int64); ok && boolCol[i] {
				v = n != 0
			}
			out[i] = v
		}
		return out, nil
	})
	return tx.CopyFrom(ctx, pgx.Identifier{table}, cols, next)
}
