// Command dsrbot tells a merchant team in Slack what changed in its shops'
// service scores, which bad reviews need a person today and which orders are
// about to ship late. Without a Slack token it opens a local chat shell on
// the same database, grammar and messages.
//
// This package only reads configuration, wires the pieces and runs
// subcommands; the behaviour lives in storage, bot, bot/slack, ingest and
// jobs. It is the only package that imports them all.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // shops' zones must resolve in a minimal container too

	"github.com/dsrbot/dsrbot/storage"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	stop()
	os.Exit(exitCode(m, err))
}

// exitCode prints err for the person at the terminal and picks the exit
// status: 2 for a wrong command line, 1 for anything else.
func exitCode(m *Main, err error) int {
	if err == nil {
		return 0
	}
	var ue *usageError
	var ie *storage.ImportError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintln(m.Stderr, "dsrbot:", ue.msg)
		fmt.Fprint(m.Stderr, usageText)
		return 2
	case errors.As(err, &ie):
		fmt.Fprintln(m.Stderr, ie.Error())
	case storage.ErrorCode(err) != storage.EINTERNAL:
		fmt.Fprintln(m.Stderr, "dsrbot:", storage.ErrorMessage(err))
	default:
		fmt.Fprintln(m.Stderr, "dsrbot:", err)
	}
	return 1
}
