package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// migrateTo is `dsrbot migrate-to URL`: every row of the SQLite database
// DSRBOT_DB copied into the empty PostgreSQL database at URL, in one
// transaction, so a team moves to PostgreSQL (and to several replicas)
// without losing its follow-ups, their history or the outbox.
func (m *Main) migrateTo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate-to", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		return usagef("migrate-to needs the PostgreSQL database to copy into, such as: dsrbot migrate-to 'postgres://dsrbot:PASSWORD@db.internal/dsrbot?sslmode=require'")
	}
	res, err := m.db.CopyTo(ctx, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "copied %s into %s in %s:\n", storage.Redact(m.config.DB), storage.Redact(pos[0]), res.Elapsed.Round(time.Millisecond))
	for _, t := range res.Tables {
		fmt.Fprintf(m.Stdout, "  %-17s %d rows\n", t, res.Rows[t])
	}
	fmt.Fprintln(m.Stdout, "now set DSRBOT_DB to that URL and start the bot")
	return nil
}
