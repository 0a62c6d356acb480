package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// isPostgres says whether DSRBOT_DB names a PostgreSQL database rather
// than a SQLite file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// errPostgresBackup is the answer to backup and restore on PostgreSQL,
// whose own tools copy a live database better than dsrbot could.
var errPostgresBackup = storage.Errorf(storage.EINVALID, "DSRBOT_DB is a PostgreSQL database: back it up with pg_dump (pg_dump -Fc -f dsrbot.dump URL) and restore it with pg_restore; dsrbot backup and restore copy SQLite files")

// backup is `dsrbot backup FILE [--force]`. It runs on the database file
// directly, not through storage.Open: a backup must not migrate a database
// that an older bot is serving, and must work whatever its schema.
func (m *Main) backup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	force := fs.Bool("force", false, "replace FILE if it exists")
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		return usagef("backup needs one file to write, such as: dsrbot backup /backups/dsrbot-$(date +%%F).db")
	}
	if isPostgres(m.config.DB) {
		return errPostgresBackup
	}
	res, err := storage.Backup(ctx, m.config.DB, pos[0], *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "backed up %s to %s: %s; %s in %s\n", m.config.DB, res.Path, holds(res), megabytes(res.Bytes), res.Elapsed.Round(time.Millisecond))
	return nil
}

// restore is `dsrbot restore FILE`: the backup in place of DSRBOT_DB, which
// no process may have open.
func (m *Main) restore(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		return usagef("restore needs the backup file to restore, such as: dsrbot restore /backups/dsrbot-2026-11-24.db")
	}
	if isPostgres(m.config.DB) {
		return errPostgresBackup
	}
	res, err := storage.Restore(ctx, pos[0], m.config.DB, m.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "restored %s into %s: %s\n", pos[0], m.config.DB, holds(res))
	if res.MigratedFrom != 0 {
		fmt.Fprintf(m.Stdout, "the backup had schema version %d; it is now %d\n", res.MigratedFrom, res.SchemaVersion)
	}
	if res.Kept != "" {
		fmt.Fprintf(m.Stdout, "the database it replaced is kept as %s\n", res.Kept)
	}
	return nil
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, and returns those.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return pos, nil
}

// holds says what a database holds.
func holds(r *storage.BackupResult) string {
	return fmt.Sprintf("%d shops, %d reviews, %d orders (schema %d)", r.Shops, r.Reviews, r.Orders, r.SchemaVersion)
}

func megabytes(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
