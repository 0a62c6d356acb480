package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/dsrbot/dsrbot/bot"
	"github.com/dsrbot/dsrbot/bot/slack"
	"github.com/dsrbot/dsrbot/jobs"
	"github.com/dsrbot/dsrbot/storage"
	slackapi "github.com/slack-go/slack"
)

// digests is the digest job on this Main's store, rendering with bot.
// With a client each digest shows its shop's chart, uploaded through it;
// nil (no bot token: a preview) is the text digest.
func (m *Main) digests(client *slack.Client) *jobs.Digests {
	d := &jobs.Digests{Store: m.db, Render: renderer{}, Log: m.log.With("job", "digest")}
	if client != nil {
		d.Charts, d.Upload = digestCharts{m.db}, chartUploads{client, m.sleep}
	}
	return d
}

// digestCharts draws a digest's chart as /dsr chart draws it.
type digestCharts struct{ db *storage.DB }

func (c digestCharts) DigestChart(ctx context.Context, s *storage.Shop, now time.Time) (*jobs.Chart, error) {
	h, err := c.db.ChartHistory(ctx, s, now, bot.DigestChartDays)
	if err != nil {
		return nil, err
	}
	img, err := bot.ChartImage(h, bot.DigestChartDays)
	if err != nil || img == nil {
		return nil, err
	}
	return &jobs.Chart{Name: img.Name, PNG: img.PNG, Alt: img.Alt}, nil
}

// uploadRetry paces a digest chart's upload: the chart is worth a short
// wait and no more, and the digest goes out as text past it. Three tries
// on the one policy (Slack's Retry-After on 429, backoff on a server or
// network error), a 429 asking for more than 30 s not waited for.
var uploadRetry = storage.RetryPolicy{First: time.Second, Ceiling: 10 * time.Second, MaxAttempts: 3, MaxWait: 30 * time.Second}

// uploadTimeLimit bounds one chart's upload whole, so a Slack whose file
// endpoints hang holds up the 09:00 sweep (which uploads shop after shop)
// by at most that per shop.
const uploadTimeLimit = 45 * time.Second

// chartUploads uploads a digest's chart unshared: the digest shows it by
// its file ID (see bot.RenderDigestChart), so the file appears in the one
// message the outbox posts, never as a message of its own.
type chartUploads struct {
	c     *slack.Client
	sleep func(context.Context, time.Duration) error
}

func (u chartUploads) UploadChart(ctx context.Context, c jobs.Chart) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, uploadTimeLimit)
	defer cancel()
	var id string
	// An attempt refused midway leaves at most an unshared file that
	// nobody sees; the next one uploads afresh.
	err := uploadRetry.Do(ctx, u.sleep, func(int) error {
		var err error
		id, err = u.c.Upload(ctx, "", "", bot.Image{Name: c.Name, PNG: c.PNG, Alt: c.Alt})
		return err
	}, nil)
	if err != nil {
		return "", err
	}
	return id, nil
}

// sleep is Main's Sleep, or a real one.
func (m *Main) sleep(ctx context.Context, d time.Duration) error {
	if m.Sleep != nil {
		return m.Sleep(ctx, d)
	}
	return storage.Sleep(ctx, d)
}

// shipments is the shipment warnings job, rendering with bot.
func (m *Main) shipments() *jobs.Shipments {
	return &jobs.Shipments{Store: m.db, Render: renderer{}, Log: m.log.With("job", "shipments")}
}

// reminders is the follow-up reminders job, rendering with bot.
func (m *Main) reminders() *jobs.Reminders {
	return &jobs.Reminders{Store: m.db, Render: renderer{}, Log: m.log.With("job", "reminders")}
}

// renderer is the one adapter between the jobs and bot: each job declares
// the renderer it needs, and this type is all of them, each method calling
// bot's Render function for the message and converting it the same way.
type renderer struct{}

var (
	_ jobs.DigestRenderer   = renderer{}
	_ jobs.ShipmentRenderer = renderer{}
	_ jobs.ReminderRenderer = renderer{}
)

func (renderer) Digest(r *storage.DigestReport, chartFile string, scheduled time.Time, late bool) (jobs.Rendered, error) {
	return rendered(bot.RenderDigestChart(r, chartFile, scheduled, late))
}

func (renderer) Shipments(r *storage.ShipmentReport) (jobs.Rendered, error) {
	return rendered(bot.RenderShipments(r))
}

func (renderer) Reminder(s *storage.Shop, r *storage.Review, now time.Time) (jobs.Rendered, error) {
	return rendered(bot.RenderReminder(s, r, now))
}

func (renderer) FollowUps(r *storage.ReminderReport) (jobs.Rendered, error) {
	return rendered(bot.RenderFollowUps(r))
}

func (renderer) Cluster(s *storage.Shop, c *storage.Cluster, now time.Time) (jobs.Rendered, error) {
	return rendered(bot.RenderCluster(s, c, now))
}

// rendered is a bot message as the jobs keep it: Slack's escaped text and
// the blocks as JSON for the outbox, which posts them as they are, and the
// plain form for a preview.
func rendered(msg bot.Message) (jobs.Rendered, error) {
	blocks, err := json.Marshal(msg.Blocks)
	return jobs.Rendered{Text: msg.Text, Blocks: blocks, Plain: msg.Plain}, err
}

// sender is the outbox sender posting through client.
func (m *Main) sender(client *slack.Client) *jobs.Sender {
	host, _ := os.Hostname()
	return &jobs.Sender{
		Store:    m.db,
		Delivery: delivery{c: client, sleep: m.sleep, log: m.log.With("job", "sender")},
		Owner:    fmt.Sprintf("%s/%d", host, os.Getpid()),
		Lease:    m.config.Lease,
		Now:      m.Now,
		Sleep:    m.Sleep,
		Log:      m.log.With("job", "sender"),
	}
}

// delivery adapts bot's Slack client to the sender's Delivery.
type delivery struct {
	c     *slack.Client
	sleep func(context.Context, time.Duration) error
	log   *slog.Logger
}

// imageSettle is how long a message showing a just-uploaded file waits
// before asking Slack again: Slack refuses an image block (invalid_blocks)
// for a file it has not finished processing.
const imageSettle = 3 * time.Second

// Deliver posts a message. A message with an image block (the digest's
// chart) that Slack refuses as invalid_blocks is asked again once after
// imageSettle, then posted without its images: a refused post posted
// nothing, so posting again is no second message, and the digest goes
// out as text with its sparkline rather than not at all.
func (d delivery) Deliver(ctx context.Context, channel, key string, r jobs.Rendered) (string, error) {
	ts, err := d.c.Deliver(ctx, channel, key, r.Text, r.Blocks)
	if !refusedBlocks(err) {
		return ts, err
	}
	text, ok := withoutImages(r.Blocks)
	if !ok {
		return ts, err
	}
	if serr := d.sleep(ctx, imageSettle); serr != nil {
		return "", err
	}
	if ts, err = d.c.Deliver(ctx, channel, key, r.Text, r.Blocks); !refusedBlocks(err) {
		return ts, err
	}
	d.log.WarnContext(ctx, "Slack refused the message's image; posting it without", "key", key, "channel", channel, "err", err)
	return d.c.Deliver(ctx, channel, key, r.Text, text)
}

// refusedBlocks says Slack refused a message's blocks.
func refusedBlocks(err error) bool {
	var se slackapi.SlackErrorResponse
	return errors.As(err, &se) && se.Err == "invalid_blocks"
}

// withoutImages returns blocks (JSON) less their image blocks, and
// whether there were any.
func withoutImages(blocks []byte) ([]byte, bool) {
	var bs []json.RawMessage
	if err := json.Unmarshal(blocks, &bs); err != nil {
		return nil, false
	}
	kept := bs[:0:0]
	for _, b := range bs {
		var t struct {
			Type string `json:"type"`
		}
		if json.Unmarshal(b, &t) == nil && t.Type == "image" {
			continue
		}
		kept = append(kept, b)
	}
	if len(kept) == len(bs) {
		return nil, false
	}
	out, err := json.Marshal(kept)
	return out, err == nil
}

func (d delivery) Delivered(ctx context.Context, channel, key string, since time.Time) (string, bool, error) {
	return d.c.Delivered(ctx, channel, key, since)
}

// keyword is `dsrbot keyword SHOP ASPECT WORD`: a shop's own word for an
// aspect, used when its bad reviews are sorted from then on. The aspect is
// named in English or Chinese (`物流` as well as `logistics`); `other` (其他)
// makes a word mean nothing in that shop.
func (m *Main) keyword(ctx context.Context, args []string) error {
	if len(args) != 3 {
		return usagef("keyword needs a shop, an aspect and a word, such as: dsrbot keyword dy-fashion material 起毛 (or 材质 起毛)")
	}
	if err := m.db.AddKeyword(ctx, args[0], args[1], args[2]); err != nil {
		return err
	}
	a, _ := storage.ParseAspect(args[1]) // AddKeyword has read it
	fmt.Fprintf(m.Stdout, "shop %s: %q now means %s\n", args[0], args[2], a)
	return nil
}

// DefaultRunWait is how long `dsrbot run` waits for Slack to take what
// it enqueued: long enough for a few Retry-After answers and a short
// outage, short enough for a person at a terminal or a cron job.
const DefaultRunWait = 2 * time.Minute

// jobKinds are the outbox kinds each job enqueues.
var jobKinds = map[string][]string{
	"digest":    {jobs.KindDigest},
	"shipments": {jobs.KindShipments},
	"reminders": {jobs.KindReminder, jobs.KindFollowUps, jobs.KindCluster},
}

// run is `dsrbot run JOB [--shop ID] [--wait D]`: the job once, now, as
// the scheduler runs it. With a bot token it goes through the outbox to
// Slack and waits up to D for the job's messages to be delivered, this
// run's and any an earlier run left waiting; without one it prints what
// would be posted and changes nothing. It fails when a message is still
// undelivered at the end, so a script knows the channel has not heard.
func (m *Main) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("run needs a job: digest, shipments or reminders")
	}
	job := args[0]
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	shop := fs.String("shop", "", "only this shop")
	wait := fs.Duration("wait", DefaultRunWait, "how long to wait for Slack's retries; 0 makes one attempt")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 || *wait < 0 {
		return usagef("run %s takes only --shop ID and --wait DURATION (such as 2m, or 0 for one attempt)", job)
	}
	now := m.Now()
	if _, ok := jobKinds[job]; !ok {
		return usagef("unknown job %q: use digest, shipments or reminders", job)
	}
	if m.config.BotToken == "" {
		return m.preview(ctx, job, *shop, now)
	}
	client := slack.NewClient(m.config.BotToken, m.config.APIURL, nil, m.log)
	var enqueued int
	switch job {
	case "digest":
		added, existing, err := m.digests(client).RunNow(ctx, *shop, now)
		if err != nil {
			return err
		}
		for _, k := range existing {
			fmt.Fprintf(m.Stdout, "%s: already in the outbox today; not posted again\n", k)
		}
		enqueued = len(added)
	case "shipments":
		n, err := m.shipments().Run(ctx, *shop, now)
		if err != nil {
			return err
		}
		enqueued = n
	case "reminders":
		n, err := m.reminders().Run(ctx, *shop, now)
		if err != nil {
			return err
		}
		enqueued = n
	}
	// Wait for all of the job's undelivered messages, not only this run's:
	// after a restart the news is already recorded and in the outbox.
	keys, err := m.db.PendingKeys(ctx, *shop, jobKinds[job]...)
	if err != nil {
		return err
	}
	st, err := m.sender(client).DeliverWithin(ctx, keys, *wait, func(rs []jobs.Retry) {
		for _, r := range rs {
			fmt.Fprintf(m.Stderr, "%s: %s; retrying\n", r.Key, describeRetry(r))
		}
	})
	fmt.Fprintf(m.Stdout, "%s: %d messages enqueued, %d delivered\n", job, enqueued, st.Sent)
	if errors.Is(err, context.Canceled) {
		// Interrupted while waiting: what was enqueued stays in the outbox.
		return errors.New("interrupted while waiting for Slack; `dsrbot serve` delivers what is left")
	}
	if err != nil {
		return err
	}
	if others, err := m.db.PendingOutbox(ctx); err == nil && others > len(st.Pending) {
		fmt.Fprintf(m.Stdout, "%s of other jobs or shops wait for a retry; `dsrbot serve` delivers them\n", messages(others-len(st.Pending)))
	}
	return undelivered(m.Stderr, st, m.Now())
}

// describeRetry says what a retry waits for, in the words of a person at
// the terminal.
func describeRetry(r jobs.Retry) string {
	if r.Asked {
		return fmt.Sprintf("Slack asked to wait %s (429)", roundWait(r.Wait))
	}
	return fmt.Sprintf("Slack could not take it (%v); backing off %s", r.Err, roundWait(r.Wait))
}

// roundWait shows a wait in whole seconds, as Retry-After gives it.
func roundWait(d time.Duration) time.Duration {
	return max(d.Round(time.Second), time.Second)
}

// undelivered names on w each awaited message that did not reach Slack, and
// returns the error that makes the exit status say so; nil when all did.
func undelivered(w io.Writer, st jobs.Settled, now time.Time) error {
	for _, o := range st.Pending {
		why := "last error: " + o.LastError
		if o.LastError == "" {
			why = "behind an earlier message to the same channel"
		}
		fmt.Fprintf(w, "%s (to %s): still undelivered, next try in %s; %s\n",
			o.Key, o.Channel, max(o.NextAttemptAt.Sub(now), 0).Round(time.Second), why)
	}
	for _, o := range st.Failed {
		fmt.Fprintf(w, "%s (to %s): Slack refused it and it will not be retried: %s\n", o.Key, o.Channel, o.LastError)
	}
	var parts []string
	if n := len(st.Pending); n > 0 {
		parts = append(parts, fmt.Sprintf("%s still %s for a retry; `dsrbot serve` delivers %s", messages(n), plural(n, "waits", "wait"), plural(n, "it", "them")))
	}
	if n := len(st.Failed); n > 0 {
		parts = append(parts, fmt.Sprintf("%s could not be delivered", messages(n)))
	}
	if len(parts) == 0 {
		return nil
	}
	return errors.New(strings.Join(parts, "; "))
}

func messages(n int) string { return fmt.Sprintf("%d %s", n, plural(n, "message", "messages")) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// preview prints what a job would post now, changing nothing: without a
// Slack token there is nowhere to post, and a team can still read it. The
// messages are the job's own (its Messages, built by the code its Run
// enqueues with), so the preview leaves out what a run leaves out, such as
// a reminder to an owner who is not a Slack user. It covers every shop,
// bound to a channel or not, so a team can read a digest before binding
// one. It prints each message's plain form: a person reads it, not Slack,
// so a product named "A & B" shows as typed rather than as "A &amp; B".
func (m *Main) preview(ctx context.Context, job, shopID string, now time.Time) error {
	shops, err := m.shopsOrOne(ctx, shopID)
	if err != nil {
		return err
	}
	build := m.jobMessages(job)
	for i := range shops {
		msgs, err := build(ctx, &shops[i], now)
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			continue
		}
		parts := make([]string, len(msgs))
		for i := range msgs {
			parts[i] = msgs[i].Plain
		}
		fmt.Fprintln(m.Stdout, strings.TrimRight(strings.Join(parts, "\n"), "\n"))
		fmt.Fprintln(m.Stdout)
	}
	return nil
}

// jobMessages is how a job (one of jobKinds) builds the messages it would
// enqueue for a shop now, without enqueuing them.
func (m *Main) jobMessages(job string) func(context.Context, *storage.Shop, time.Time) ([]jobs.Outgoing, error) {
	switch job {
	case "digest":
		return m.digests(nil).Messages
	case "shipments":
		return m.shipments().Messages
	case "reminders":
		return m.reminders().Messages
	}
	return func(context.Context, *storage.Shop, time.Time) ([]jobs.Outgoing, error) {
		return nil, usagef("unknown job %q: use digest, shipments or reminders", job)
	}
}

// shopsOrOne returns one shop, or all.
func (m *Main) shopsOrOne(ctx context.Context, id string) ([]storage.Shop, error) {
	if id == "" {
		return m.db.ListShops(ctx)
	}
	s, err := m.db.FindShop(ctx, id)
	if err != nil {
		return nil, err
	}
	return []storage.Shop{*s}, nil
}

// schedule is `dsrbot schedule ID CRON`.
func (m *Main) schedule(ctx context.Context, args []string) error {
	if len(args) < 2 {
		return usagef(`schedule needs a shop ID and a 5-field cron expression, such as: dsrbot schedule dy-fashion "0 9 * * *"`)
	}
	spec := strings.Join(args[1:], " ")
	s, err := m.db.SetDigestCron(ctx, args[0], spec)
	if err != nil {
		return err
	}
	next, err := jobs.NextFire(spec, m.Now(), s.Location())
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "shop %s: digest at %q (%s); next %s\n", s.ID, spec, s.TZ, next.Format("2006-01-02 15:04 MST"))
	return nil
}
