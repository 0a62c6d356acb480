package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/storage"
)

// Main is the whole program with its inputs made explicit, so tests run it
// end to end on a temp database with their own clock and streams.
type Main struct {
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Now is the clock of every rule; tests fix it.
	Now func() time.Time
	// Sleep is how `dsrbot run` waits for a retry; it must move the clock
	// Now reads, so tests pass a fake clock's and never sleep. Nil sleeps
	// for real.
	Sleep func(ctx context.Context, d time.Duration) error
	// Interactive says whether stdin is a person at a terminal (prompt,
	// quieter logs); nil asks the terminal.
	Interactive func() bool

	// Ready, when set, is told the address serve listens on (tests listen
	// on port 0).
	Ready func(addr string)
	// Listening, when set, is told the address serve listens on as soon
	// as it does, before the database is open (tests of /readyz).
	Listening func(addr string)

	// open opens the database (storage.Open when nil); tests slow it
	// down to watch serve while migrations run.
	open func(path string) (*storage.DB, error)
	// grace is how long serve finishes its work on SIGTERM
	// (DefaultShutdownGrace when 0).
	grace time.Duration

	config Config
	db     *storage.DB
	log    *slog.Logger
}

// NewMain returns a Main on the process's environment and streams.
func NewMain() *Main {
	return &Main{
		Getenv: defaultGetenv,
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Now:    time.Now,
		Interactive: func() bool {
			return term.IsTerminal(int(os.Stdin.Fd()))
		},
	}
}

// usageError is a wrong command line: main prints the usage after it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

const usageText = `usage:
  dsrbot                          local chat shell (the demo if the database is empty)
  dsrbot serve                    the bot: HTTP endpoints and the scheduler
  dsrbot demo [--seed N] [--shops N] [--orders N]
  dsrbot shop add ID --name NAME --platform douyin|taobao [--channel C] [--tz TZ] [--lang en|zh]
                  [--gates 精选联盟=70,千川投放=60] [--team T…]
  dsrbot shop set ID [--name N] [--channel C] [--tz TZ] [--lang en|zh] [--weights 50,15,35]
                  [--warn-hours 6] [--followup-hours 24] [--gates NAME=SCORE,...|default]
                  [--team T…|-]   the Slack workspace that owns the shop ('-': none)
  dsrbot shop list
  dsrbot import scores|reviews|orders FILE [--shop ID]
                                  canonical CSV, or a platform export (抖店, Taobao; UTF-8, GBK, XLSX)
  dsrbot run digest|shipments|reminders [--shop ID] [--wait 2m]
                                  a job once, now (printed when no Slack token is set);
                                  waits up to --wait for Slack's retries (0: one attempt)
  dsrbot schedule ID CRON         a shop's digest schedule, 5-field cron in its zone
  dsrbot keyword ID ASPECT WORD   a shop's own word for a review aspect (logistics or 物流, ...)
  dsrbot chart [ID] [--days 30|90] [--out FILE]
                                  the shop's score trend as a PNG (./ID-30d-DATE.png); prints its path
  dsrbot backup FILE [--force]    a consistent copy of the database, also while the bot runs
  dsrbot restore FILE             a backup in place of the database (stop the bot first)
  dsrbot migrate-to URL           copy this SQLite database into an empty PostgreSQL one
                                  (postgres://USER:PASSWORD@HOST/DB?sslmode=…; stop the bot first)
environment: DSRBOT_DB (./dsrbot.db, or postgres://…), DSRBOT_ADDR (:8080), DSRBOT_TZ (Asia/Shanghai),
  DSRBOT_LANG (en|zh: en), SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL,
  DSRBOT_INGEST_TOKEN, DSRBOT_INGEST_WAIT (30s)
`

// Run runs one subcommand.
func (m *Main) Run(ctx context.Context, args []string) error {
	cfg, err := ConfigFromEnv(m.Getenv)
	if err != nil {
		return err
	}
	m.config = cfg
	level := slog.LevelInfo
	if len(args) == 0 && m.config.BotToken == "" {
		// In the shell, log lines would interleave with the chat.
		level = slog.LevelWarn
	}
	m.log = slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level}))

	if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(m.Stdout, usageText)
		return nil
	}
	// Backup and restore work on the file itself, never through Open,
	// which would migrate (or, for restore, hold) the database.
	if len(args) > 0 && args[0] == "backup" {
		return m.backup(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "restore" {
		return m.restore(ctx, args[1:])
	}
	// serve opens the database itself, once it listens, so that /readyz
	// can tell a load balancer that migrations are running.
	if (len(args) == 0 && m.config.BotToken != "") || (len(args) > 0 && args[0] == "serve") {
		return m.serve(ctx)
	}
	if m.db, err = m.openDB(); err != nil {
		return err
	}
	if len(args) == 0 {
		return m.shell(ctx)
	}
	switch args[0] {
	case "demo":
		return m.demo(ctx, args[1:])
	case "shop":
		return m.shop(ctx, args[1:])
	case "import":
		return m.importFile(ctx, args[1:])
	case "run":
		return m.run(ctx, args[1:])
	case "schedule":
		return m.schedule(ctx, args[1:])
	case "keyword":
		return m.keyword(ctx, args[1:])
	case "chart":
		return m.chart(ctx, args[1:])
	case "migrate-to":
		return m.migrateTo(ctx, args[1:])
	}
	return usagef("unknown command %q", args[0])
}

// Close releases the database.
func (m *Main) Close() error {
	if m.db == nil {
		return nil
	}
	return m.db.Close()
}

// bot returns the chat surface on this Main's store and clock.
func (m *Main) bot() *bot.Bot {
	loc, _ := time.LoadLocation(m.config.TZ)
	return &bot.Bot{Store: m.db, Now: m.Now, Location: loc, Lang: m.config.Lang, Log: m.log}
}

// shell runs the local chat, loading the demo first into an empty database
// so that a first `go run ./cmd/dsrbot` has something to show.
func (m *Main) shell(ctx context.Context) error {
	shops, err := m.db.ListShops(ctx)
	if err != nil {
		return err
	}
	if len(shops) == 0 {
		res, err := m.db.Demo(ctx, storage.DefaultDemo, m.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "The database %s was empty, so it now holds the demo: %d shops, %d days of scores, %d reviews, %d orders.\n",
			storage.Redact(m.config.DB), res.Shops, storage.DemoDays, res.Reviews, res.Orders)
	}
	fmt.Fprintln(m.Stdout, "dsrbot local shell: type /dsr today, /dsr help or @dsrbot mine; Ctrl-D leaves.")
	sh := &bot.Shell{Bot: m.bot(), In: m.Stdin, Out: m.Stdout, User: shellUser(m.Getenv)}
	if m.Interactive != nil && m.Interactive() {
		sh.Prompt = "dsr> "
	}
	return sh.Run(ctx)
}

// shellUser is who types in the shell: "@dsrbot mine" and assignments to
// "@name" line up when the name is the login name.
func shellUser(getenv func(string) string) string {
	if u := getenv("USER"); u != "" {
		return u
	}
	return "me"
}

func (m *Main) demo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opt := storage.DefaultDemo
	opt.TZ = m.config.TZ
	fs.Uint64Var(&opt.Seed, "seed", opt.Seed, "random seed; the same seed gives the same demo")
	fs.IntVar(&opt.Shops, "shops", opt.Shops, "number of shops (at least 4)")
	fs.IntVar(&opt.Orders, "orders", opt.Orders, "orders over 90 days, across all shops")
	if err := fs.Parse(args); err != nil {
		return usagef("demo: %v", err)
	}
	if fs.NArg() > 0 {
		return usagef("demo takes only --seed, --shops and --orders")
	}
	// The demo tells four shops' stories; fewer is not a demo.
	if opt.Shops < 4 || opt.Orders < 1 {
		return usagef("demo --shops takes 4 or more and --orders 1 or more, not %d and %d", opt.Shops, opt.Orders)
	}
	res, err := m.db.Demo(ctx, opt, m.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "demo loaded into %s: %d new shops, %d scores, %d reviews, %d orders\n", storage.Redact(m.config.DB), res.Shops, res.Scores, res.Reviews, res.Orders)
	return nil
}

func (m *Main) shop(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("shop needs add, set or list")
	}
	switch args[0] {
	case "list":
		shops, err := m.db.ListShops(ctx)
		if err != nil {
			return err
		}
		if len(shops) == 0 {
			fmt.Fprintf(m.Stdout, "no shops in %s yet: add one with dsrbot shop add ID --name NAME --platform douyin|taobao, or load the demo with dsrbot demo\n", storage.Redact(m.config.DB))
			return nil
		}
		for _, s := range shops {
			channel := s.Channel
			if channel == "" {
				channel = "-"
			}
			team := s.TeamID
			if team == "" {
				team = "-"
			}
			fmt.Fprintf(m.Stdout, "%-16s %-7s %-8s %-11s %-3s %-14s %s\n", s.ID, s.Platform, channel, team, s.Lang, s.TZ, s.Name)
		}
		return nil
	case "set":
		return m.shopSet(ctx, args[1:])
	case "add":
	default:
		return usagef("unknown shop command %q", args[0])
	}
	fs := flag.NewFlagSet("shop add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var s storage.Shop
	var platform string
	fs.StringVar(&s.Name, "name", "", "display name")
	fs.StringVar(&platform, "platform", "", "douyin or taobao")
	fs.StringVar(&s.Channel, "channel", "", "Slack channel ID for digests and warnings")
	fs.StringVar(&s.TZ, "tz", "", "IANA time zone (default DSRBOT_TZ)")
	fs.StringVar(&s.Lang, "lang", "", "message language: en or zh (default en)")
	fs.StringVar(&s.Gates, "gates", "", "the shop's gates, such as 精选联盟=70,千川投放=60 (default: those)")
	fs.StringVar(&s.TeamID, "team", "", "the Slack workspace (team ID, T…) that owns the shop")
	rest := args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		s.ID, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return usagef("shop add: %v", err)
	}
	if s.ID == "" && fs.NArg() == 1 {
		s.ID = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usagef("shop add: unexpected %q", fs.Arg(0))
	}
	if s.ID == "" || s.Name == "" || platform == "" {
		return usagef("shop add needs an ID, --name and --platform")
	}
	s.Platform = storage.Platform(platform)
	if s.TeamID != "" {
		team, err := teamFlag(s.TeamID)
		if err != nil {
			return err
		}
		s.TeamID = team
	}
	created, err := m.db.CreateShop(ctx, s, m.config.TZ, m.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "shop %s added (%s, %s, %s, gates %s)\n", created.ID, created.Platform, created.TZ, created.Lang, storage.FormatGates(created.GateList()))
	fmt.Fprintln(m.Stdout, ownerLine(created))
	return nil
}

// ownerLine says who may use a shop from Slack, and for a shop of no
// workspace how to give it one: Slack refuses such a shop until then, and
// the admin should learn that here rather than from a refusal in Slack.
func ownerLine(s *storage.Shop) string {
	if s.TeamID == "" {
		return fmt.Sprintf("shop %s belongs to no Slack workspace: only this machine (the CLI, the local shell) uses it; Slack sees it once an admin runs dsrbot shop set %s --team T…", s.ID, s.ID)
	}
	return fmt.Sprintf("shop %s belongs to Slack workspace %s: only that workspace sees and changes it from Slack", s.ID, s.TeamID)
}

// teamFlag reads --team: a Slack team ID, or "-" for none. The shape is
// checked here too, so the mistake is named by its flag.
func teamFlag(v string) (string, error) {
	if v == "-" {
		return "", nil
	}
	if !storage.ValidTeamID(v) {
		return "", usagef("--team takes a Slack team ID (T and capital letters or digits, such as T024BE7LD; /dsr in Slack tells it), or - for none, not %q", v)
	}
	return v, nil
}

// shopSet is `dsrbot shop set ID [flags]`: change a shop's settings.
func (m *Main) shopSet(ctx context.Context, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usagef("shop set needs a shop ID first")
	}
	id := args[0]
	fs := flag.NewFlagSet("shop set", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("name", "", "display name")
	channel := fs.String("channel", "", "Slack channel ID ('-' unbinds)")
	tz := fs.String("tz", "", "IANA time zone")
	lang := fs.String("lang", "", "en or zh")
	weights := fs.String("weights", "", "商品,物流,服务 weights in percent, such as 50,15,35")
	warn := fs.Int("warn-hours", 0, "hours before its deadline an unshipped order is at risk")
	followup := fs.Int("followup-hours", 0, "hours after a bad review arrives its follow-up is due")
	gates := fs.String("gates", "", "the shop's gates, such as 精选联盟=70,千川投放=60, or default")
	teamArg := fs.String("team", "", "the Slack workspace (team ID, T…) that owns the shop, or - for none")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return usagef("shop set ID [--name N] [--channel C] [--tz TZ] [--lang en|zh] [--weights P,L,S] [--warn-hours N] [--followup-hours N] [--gates NAME=SCORE,...|default] [--team T…|-]")
	}
	var team string
	if *teamArg != "" {
		var err error
		if team, err = teamFlag(*teamArg); err != nil {
			return err
		}
	}
	// A flag given is applied whatever its value, so --warn-hours 0 is
	// checked (and refused) rather than read as "not given".
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var w [3]int
	if *weights != "" {
		if _, err := fmt.Sscanf(*weights, "%d,%d,%d", &w[0], &w[1], &w[2]); err != nil {
			return usagef("--weights takes three numbers, such as 50,15,35")
		}
	}
	s, err := m.db.UpdateShop(ctx, id, func(s *storage.Shop) {
		set := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		set(&s.Name, *name)
		set(&s.TZ, *tz)
		set(&s.Lang, *lang)
		if *channel == "-" {
			s.Channel = ""
		} else {
			set(&s.Channel, *channel)
		}
		if *weights != "" {
			s.WeightProduct, s.WeightLogistics, s.WeightService = w[0], w[1], w[2]
		}
		if given["warn-hours"] {
			s.WarnHours = *warn
		}
		if given["followup-hours"] {
			s.FollowUpHours = *followup
		}
		set(&s.Gates, *gates)
		if *teamArg != "" {
			s.TeamID = team
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "shop %s: %s, %s, %s, weights %d/%d/%d, at risk %d h before the deadline, follow-ups due in %d h, gates %s\n",
		s.ID, s.Name, s.TZ, s.Lang, s.WeightProduct, s.WeightLogistics, s.WeightService, s.WarnHours, s.FollowUpHours, storage.FormatGates(s.GateList()))
	if *teamArg != "" {
		fmt.Fprintln(m.Stdout, ownerLine(s))
	}
	return nil
}

func (m *Main) importFile(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	shop := fs.String("shop", "", "the shop of a platform export")
	// Flags may come after the kind and file: dsrbot import orders FILE --shop ID.
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usagef("import: %v", err)
	}
	if len(pos) != 2 {
		return usagef("import needs a kind (scores, reviews or orders) and a file, and --shop ID for a platform export")
	}
	kind, err := storage.ParseKind(pos[0])
	if err != nil {
		return usagef("%s", storage.ErrorMessage(err))
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", pos[1], errors.Unwrap(err))
	}
	defer f.Close()
	req := storage.ImportRequest{Kind: kind, Name: pos[1], Reader: f, Shop: *shop}
	bar := m.progress(f)
	req.Progress = bar.update
	res, err := m.db.ImportFile(ctx, req)
	bar.done()
	if err != nil {
		return err
	}
	rate := float64(res.Rows) / res.Elapsed.Seconds()
	fmt.Fprintf(m.Stdout, "imported %s from %s (%s, %s): %d rows: %d inserted, %d updated, %d unchanged",
		kind, pos[1], res.Format, res.Encoding, res.Rows, res.Inserted, res.Updated, res.Unchanged)
	if res.Skipped > 0 {
		fmt.Fprintf(m.Stdout, ", %d skipped (unpaid)", res.Skipped)
	}
	fmt.Fprintf(m.Stdout, "; %s, %.0f rows/s\n", res.Elapsed.Round(time.Millisecond), rate)
	return nil
}
