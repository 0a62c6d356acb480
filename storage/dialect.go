package storage

import (
	"context"
	"errors"
	"net/url"
	"runtime"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// dialect is every piece of SQL that differs between SQLite (the embedded
// default) and PostgreSQL (DSRBOT_DB=postgres://…, for several replicas on
// one database). Everything else is written once, in the SQL both engines
// share: ON CONFLICT upserts, partial and expression indexes, COALESCE,
// IS [NOT] DISTINCT FROM, a derived table always named. Times are stored
// by both as UTC truncated to the second (utc): SQLite as text, which
// compares in time order only because every stored time shares that offset
// and precision; PostgreSQL as TIMESTAMPTZ, which compares the instants.
// Keep engine differences here, each with its reason, so a query elsewhere
// reads the same on both.
type dialect struct {
	postgres bool
}

var (
	sqliteDialect   = dialect{}
	postgresDialect = dialect{postgres: true}
)

// Name is the engine's name, for logs and errors.
func (d dialect) Name() string {
	if d.postgres {
		return "postgres"
	}
	return "sqlite"
}

// ReadConcurrency is how many per-shop reports a caller spanning shops
// builds at once. On PostgreSQL a report is a dozen round trips, each
// mostly waiting on the network and the server, so overlapping them on
// several pooled connections hides the waits. On the 2-core machine the
// README measures on, 4 beat 1 (1.63 s for 300 digests), 2 (1.25 s)
// and 8 (1.63 s: the server's and our own CPU are the limit there); well
// under the pool's size, it leaves connections to the requests and the
// sender meanwhile. SQLite answers
// in process: its reads are CPU on this process, so more than the cores
// only adds connections (each with its own page cache); WAL lets them read
// beside a writer without SQLITE_BUSY.
func (d dialect) ReadConcurrency() int {
	if d.postgres {
		return postgresReadConcurrency
	}
	return min(sqliteReadConcurrency, runtime.GOMAXPROCS(0))
}

// The ReadConcurrency of each engine, measured with the all-shops and sweep
// benchmarks (README, Performance).
const (
	postgresReadConcurrency = 4
	sqliteReadConcurrency   = 2
)

// isPostgresURL says whether a DSRBOT_DB value names a PostgreSQL
// database; anything else is a SQLite file (an optional sqlite: prefix
// is stripped by sqlitePath).
func isPostgresURL(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

// sqlitePath is the file a SQLite target names.
func sqlitePath(target string) string { return strings.TrimPrefix(target, "sqlite:") }

// Redact is a DSRBOT_DB value fit for a log or a message: a PostgreSQL
// URL without its password. A SQLite path is shown as it is.
func Redact(target string) string { return redact(target) }

// redact drops the password of a database URL, so errors and logs can name
// the database without leaking its credentials.
func redact(target string) string {
	if !isPostgresURL(target) {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// False and True are boolean literals. SQLite has no boolean type: the
// flags (orders.cancelled) are 0/1 integers there, and a partial index's
// WHERE is matched by SQLite's planner term for term, so queries must
// write the literal 0 that idx_orders_open and idx_orders_late were
// created with. PostgreSQL has BOOLEAN and refuses comparing it with 0.
func (d dialect) False() string {
	if d.postgres {
		return "FALSE"
	}
	return "0"
}

// True: see False.
func (d dialect) True() string {
	if d.postgres {
		return "TRUE"
	}
	return "1"
}

// hours is the hours from the time expression from to the time expression
// to, as a float. SQLite keeps times as text and does date arithmetic on
// Julian day numbers; PostgreSQL subtracts timestamps to an interval.
func (d dialect) hours(to, from string) string {
	if d.postgres {
		return `(EXTRACT(EPOCH FROM (` + to + `) - (` + from + `)) / 3600.0)::float8`
	}
	return `((julianday(` + to + `) - julianday(` + from + `)) * 24)`
}

// plusHours is the time expression t moved by the integer expression n
// hours, as a stored time. SQLite's datetime() drops the offset, which
// every stored time carries (+00:00), so it is put back.
func (d dialect) plusHours(t, n string) string {
	if d.postgres {
		return `(` + t + ` + (` + n + `) * INTERVAL '1 hour')`
	}
	return `(datetime(` + t + `, '+' || (` + n + `) || ' hours') || '+00:00')`
}

// indexedBy names the index a query must use. SQLite, without statistics,
// can pass over a partial index that answers a query from the index alone
// (see reviewCombos); PostgreSQL has statistics and no such hint.
func (d dialect) indexedBy(index string) string {
	if d.postgres {
		return ""
	}
	return " INDEXED BY " + index
}

// skipLocked ends the select of rows a transaction is about to claim. On
// PostgreSQL, where replicas claim concurrently under READ COMMITTED, it
// locks the rows it returns and passes over rows another replica is
// claiming right now, so two replicas never claim the same row and never
// wait on each other. SQLite needs nothing: a write transaction there is
// immediate (_txlock=immediate), so claims are already one at a time.
func (d dialect) skipLocked(table string) string {
	if d.postgres {
		return " FOR UPDATE OF " + table + " SKIP LOCKED"
	}
	return ""
}

// lockName serialises, until the transaction ends, the transactions that
// check for a row and then write one under the same name, where no unique
// key can make the check and the write one statement (a cluster alerted
// once per window, whatever its key's time part). On PostgreSQL, whose
// transactions run side by side, it is a transaction-scoped advisory lock
// (the statement after it sees what the holder committed: READ COMMITTED
// takes a fresh snapshot per statement); SQLite needs none, its write
// transactions being immediate and so one at a time.
func (d dialect) lockName(tx *gorm.DB, name string) error {
	if !d.postgres {
		return nil
	}
	return tx.Exec(`SELECT pg_advisory_xact_lock(hashtext(?))`, "dsrbot."+name).Error
}

// upsertOnceARow says that one upsert statement may not touch a row twice.
// A file can carry a key twice (an export taken across a refresh; the
// later row wins), and a batch of rows then names it twice: SQLite
// applies the rows in order, PostgreSQL refuses the statement ("ON
// CONFLICT DO UPDATE command cannot affect row a second time"), so there
// the batcher ends the batch before a key it already holds.
func (d dialect) upsertOnceARow() bool { return d.postgres }

// rebind rewrites ? placeholders for the engine. gorm does this for its
// own calls; the bulk path (batcher, imports, event dedup) runs on
// database/sql, where the pgx driver wants $1, $2, …. The queries rebound
// hold no ? inside string literals.
func (d dialect) rebind(q string) string {
	if !d.postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// IsBusy reports whether err is the database refusing a lock that another
// connection held too long. It is a reason to try again later, not a
// fault, and callers say so (HTTP 503 with Retry-After). SQLite says
// busy or locked past the busy timeout; PostgreSQL says lock not
// available, a serialization failure or a deadlock it broke.
func IsBusy(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "55P03", "40001", "40P01":
			return true
		}
	}
	return false
}

// columns lists the tables of the schema, each with its columns in order,
// as the engine's catalogue has them (not schema_version, the PostgreSQL
// migrations' bookkeeping). SQLite keeps its schema in sqlite_master and
// answers pragma_table_info; PostgreSQL answers information_schema, in
// the schema of the connection's search_path.
func (db *DB) columns(ctx context.Context) (map[string][]string, error) {
	q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`
	if db.d.postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'schema_version'
			ORDER BY table_name, ordinal_position`
	}
	rows, err := db.sql.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := make(map[string][]string)
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		m[t] = append(m[t], c)
	}
	return m, rows.Err()
}
