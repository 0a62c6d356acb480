package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/storage"
)

// chartPeriods are the days `dsrbot chart` draws, as /dsr chart does.
var chartPeriods = []int{30, 90}

// chart is `dsrbot chart [SHOP] [--days 30|90] [--out FILE]`: the shop's
// trend chart, or without a shop every shop's heat map, as /dsr chart
// draws them, written to a PNG file (by default in the current directory,
// named as the shell names it) whose path is printed, so it can be opened
// or attached by hand.
func (m *Main) chart(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("chart", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	days := fs.Int("days", chartPeriods[0], "the period: 30 or 90 days")
	out := fs.String("out", "", "the PNG file to write")
	// The shop may come before the flags or after them.
	var shop string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		shop, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return usagef("chart takes a shop, --days 30|90 and --out FILE: %v", err)
	}
	if shop == "" && fs.NArg() > 0 {
		shop = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return usagef("chart takes a shop, --days 30|90 and --out FILE: %v", err)
		}
	}
	if fs.NArg() > 0 {
		return usagef("chart takes at most one shop ID, such as: dsrbot chart dy-fashion --days 90")
	}
	if !slices.Contains(chartPeriods, *days) {
		return usagef("chart --days is 30 or 90, not %d", *days)
	}
	if shop == "" {
		return m.heatChart(ctx, *days, *out)
	}
	s, err := m.db.FindShop(ctx, shop)
	if err != nil {
		return err
	}
	h, err := m.db.ChartHistory(ctx, s, m.Now(), *days)
	if err != nil {
		return err
	}
	img, err := bot.ChartImage(h, *days)
	if err != nil {
		return err
	}
	if img == nil {
		return storage.Errorf(storage.ENOTFOUND, "shop %s has no score in the last %d days: nothing to draw", s.ID, *days)
	}
	return m.writeChart(img, *out)
}

// heatChart writes every shop's heat map: the operator's /dsr chart, with
// no shop, through the bot (the same request the shell makes).
func (m *Main) heatChart(ctx context.Context, days int, out string) error {
	msg := m.bot().Handle(ctx, bot.Request{Text: fmt.Sprintf("chart %dd", days), Local: true})
	if msg.Image == nil {
		// No shop, or a failure: the bot's sentence says which.
		return errors.New(strings.TrimSpace(msg.Plain))
	}
	return m.writeChart(msg.Image, out)
}

// writeChart writes img to out (by default its own name in the current
// directory) and prints the file's path.
func (m *Main) writeChart(img *bot.Image, out string) error {
	path := out
	if path == "" {
		path = filepath.Base(img.Name)
	}
	if err := os.WriteFile(path, img.PNG, 0o644); err != nil {
		return err
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	fmt.Fprintln(m.Stdout, path)
	return nil
}
