package jobs

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"sync"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// KindDigest is the outbox kind of the morning digest.
const KindDigest = "digest"

// LateAfter is how long after its scheduled time a digest counts as late
// and says so (the bot was down, or Slack was).
const LateAfter = 10 * time.Minute

// DigestStore is what the digest job needs of the database.
type DigestStore interface {
	ListShops(ctx context.Context) ([]storage.Shop, error)
	FindShop(ctx context.Context, id string) (*storage.Shop, error)
	DigestReport(ctx context.Context, shop *storage.Shop, now time.Time) (*storage.DigestReport, error)
	EnqueueDigest(ctx context.Context, r *storage.DigestReport, m storage.OutboxMessage, now time.Time) (bool, error)
	OutboxHas(ctx context.Context, key string) (bool, error)
	// ReadConcurrency is how many digests are worth reading at once.
	ReadConcurrency() int
	// The chart uploaded for a digest, by its outbox key (see Charts).
	DigestChartFile(ctx context.Context, key string) (string, error)
	RecordDigestChart(ctx context.Context, key, fileID string, now time.Time) (string, error)
}

// DigestRenderer is what the digest job needs of a renderer.
type DigestRenderer interface {
	// Digest turns a digest into a message. chartFile is the uploaded
	// chart the message shows, empty for none; scheduled is the time the
	// digest was due, zero when it was asked for by hand; late says it
	// comes after LateAfter.
	Digest(r *storage.DigestReport, chartFile string, scheduled time.Time, late bool) (Rendered, error)
}

// Chart is a picture to upload: a PNG, its file name and the text a
// screen reader says.
type Chart struct {
	Name string
	PNG  []byte
	Alt  string
}

// DigestCharter draws the chart a shop's digest shows, as of now; nil
// when there is nothing to draw (no score in the period).
type DigestCharter interface {
	DigestChart(ctx context.Context, s *storage.Shop, now time.Time) (*Chart, error)
}

// ChartUploader puts a chart in Slack without sharing it anywhere and
// returns its file ID, for a message to show in an image block.
type ChartUploader interface {
	UploadChart(ctx context.Context, c Chart) (string, error)
}

// Digests is the morning digest job.
type Digests struct {
	Store  DigestStore
	Render DigestRenderer
	// Charts and Upload, both set, give each digest its 30-day chart as
	// an image (see chartFile); without them (no bot token: a preview)
	// the digest is text, with its week's sparkline.
	Charts DigestCharter
	Upload ChartUploader
	Log    *slog.Logger
}

// Sweep enqueues the digest of every shop whose schedule has fired today
// and whose digest for today is not in the outbox yet. It returns how many
// it enqueued. A shop that fails is logged and skipped, so one bad shop
// does not hold up the others.
//
// The digests are read (and, without charts, rendered) on several
// connections at once, as many as the store says are worth it: on
// PostgreSQL each digest is a dozen round trips, and 300 shops one after
// another miss the 09:00 tick's second. Everything that writes stays in
// this goroutine, shop after shop in the shops' order as before: the chart
// uploads (Slack paces them, and their record must precede the digest)
// and the enqueues (on SQLite one writer at a time).
func (d *Digests) Sweep(ctx context.Context, now time.Time) (int, error) {
	shops, err := boundShops(ctx, d.Store, "")
	if err != nil {
		return 0, err
	}
	var due []dueDigest
	for i := range shops {
		s := &shops[i]
		fired, ok, err := LastFireToday(s.DigestCron, now, s.Location())
		if err != nil {
			d.log().ErrorContext(ctx, "bad digest schedule", "shop", s.ID, "err", err)
			continue
		}
		if ok {
			due = append(due, dueDigest{shop: s, scheduled: fired})
		}
	}
	n := 0
	for p := range d.prepare(ctx, due, now) {
		added, err := d.finish(ctx, p, now)
		if err != nil {
			d.log().ErrorContext(ctx, "cannot enqueue a digest", "shop", p.shop.ID, "err", err)
			continue
		}
		if added {
			n++
		}
	}
	return n, nil
}

// dueDigest is a shop whose digest schedule fired today at scheduled.
type dueDigest struct {
	shop      *storage.Shop
	scheduled time.Time
}

// prepared is a due digest read ahead of its enqueue: done when today's
// is in the outbox already; report, and msg when rendered (no chart to
// wait for), otherwise; or the error that stopped it.
type prepared struct {
	dueDigest
	key    string
	late   bool
	done   bool
	report *storage.DigestReport
	msg    *Outgoing
	err    error
}

// prepare reads the due digests ahead, ReadConcurrency at a time, and
// yields them in due's order. A slot is freed only when its digest has
// been yielded, so no more than ReadConcurrency reports are held at once
// however slowly the caller enqueues.
func (d *Digests) prepare(ctx context.Context, due []dueDigest, now time.Time) iter.Seq[*prepared] {
	return func(yield func(*prepared) bool) {
		slots := make(chan struct{}, max(1, d.Store.ReadConcurrency()))
		ready := make([]chan *prepared, len(due))
		for i := range ready {
			ready[i] = make(chan *prepared, 1)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		defer func() {
			close(stop)
			wg.Wait()
		}()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range due {
				select {
				case slots <- struct{}{}:
				case <-stop:
					return
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					ready[i] <- d.read(ctx, due[i], now)
				}()
			}
		}()
		for i := range due {
			p := <-ready[i]
			<-slots
			if !yield(p) {
				return
			}
		}
	}
}

// read is the part of a due digest that only reads: whether it is in the
// outbox already, its report, and its message when no chart is to be
// uploaded for it.
func (d *Digests) read(ctx context.Context, due dueDigest, now time.Time) *prepared {
	p := &prepared{dueDigest: due, key: digestKeyAt(due.shop, now)}
	// Cheap check first: most ticks of the day find today's digest done.
	if p.done, p.err = d.Store.OutboxHas(ctx, p.key); p.err != nil || p.done {
		return p
	}
	p.late = !due.scheduled.IsZero() && now.Sub(due.scheduled) > LateAfter
	if p.report, p.err = d.Store.DigestReport(ctx, due.shop, now); p.err != nil {
		return p
	}
	if !d.charted() {
		var m Outgoing
		if m, p.err = d.render(due.shop, now, p.report, "", due.scheduled, p.late); p.err == nil {
			p.msg = &m
		}
	}
	return p
}

// finish uploads a prepared digest's chart if it shows one, renders it if
// read did not, and enqueues it.
func (d *Digests) finish(ctx context.Context, p *prepared, now time.Time) (bool, error) {
	if p.err != nil || p.done {
		return false, p.err
	}
	if p.msg == nil {
		m, err := d.render(p.shop, now, p.report, d.chartFile(ctx, p.shop, p.key, now), p.scheduled, p.late)
		if err != nil {
			return false, err
		}
		p.msg = &m
	}
	added, err := d.Store.EnqueueDigest(ctx, p.report, p.msg.OutboxMessage, now)
	if added {
		d.log().InfoContext(ctx, "digest enqueued", "shop", p.shop.ID, "key", p.key, "late", p.late)
	}
	return added, err
}

// Unbound lists the shops that get no digest because no channel is bound,
// for a warning at start.
func (d *Digests) Unbound(ctx context.Context) ([]string, error) {
	shops, err := d.Store.ListShops(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, s := range shops {
		if s.Channel == "" {
			ids = append(ids, s.ID)
		}
	}
	return ids, nil
}

// enqueue builds, renders and enqueues a shop's digest for now's local
// day, unless it is already in the outbox. scheduled is zero for a digest
// asked for by hand.
func (d *Digests) enqueue(ctx context.Context, s *storage.Shop, now, scheduled time.Time) (bool, error) {
	return d.finish(ctx, d.read(ctx, dueDigest{shop: s, scheduled: scheduled}, now), now)
}

// build reads and renders a shop's digest for now's local day as its
// outbox row, changing nothing: enqueue records it, Messages shows it.
func (d *Digests) build(ctx context.Context, s *storage.Shop, now, scheduled time.Time, late bool, chartFile string) (*storage.DigestReport, Outgoing, error) {
	r, err := d.Store.DigestReport(ctx, s, now)
	if err != nil {
		return nil, Outgoing{}, err
	}
	m, err := d.render(s, now, r, chartFile, scheduled, late)
	return r, m, err
}

// render turns a shop's digest for now's local day into its outbox row.
func (d *Digests) render(s *storage.Shop, now time.Time, r *storage.DigestReport, chartFile string, scheduled time.Time, late bool) (Outgoing, error) {
	m, err := d.Render.Digest(r, chartFile, scheduled, late)
	if err != nil {
		return Outgoing{}, fmt.Errorf("render: %w", err)
	}
	return outgoing(digestKeyAt(s, now), s.ID, KindDigest, s.Channel, m), nil
}

// charted says whether digests show an uploaded chart (see chartFile).
func (d *Digests) charted() bool { return d.Charts != nil && d.Upload != nil }

// Messages returns the digest RunNow would enqueue for the shop now (asked
// for by hand, so neither scheduled nor late), without enqueuing it or
// marking anything reported: `dsrbot run digest` with no Slack token
// prints it. It builds the digest whether or not the shop is bound to a
// channel, so a team can read it before binding one.
func (d *Digests) Messages(ctx context.Context, s *storage.Shop, now time.Time) ([]Outgoing, error) {
	_, m, err := d.build(ctx, s, now, time.Time{}, false, "")
	if err != nil {
		return nil, err
	}
	return []Outgoing{m}, nil
}

// chartFile is the Slack file of the chart the digest with the key
// shows: the one uploaded for it already, else one drawn and uploaded now
// and recorded under the key; "" for a text digest.
//
// Exactly once: the digest is one outbox row, posted once by the sender
// (which looks for the key in the channel before posting again), and the
// chart is part of that message, an image block naming the file, never a
// message of its own. The file is uploaded unshared, so nobody sees it
// outside the digest; it is recorded before the digest is enqueued, so a
// job that runs again (a crash, another replica, `dsrbot run digest`
// twice) shows the same file rather than uploading another. A crash
// between the upload and its record leaves one unshared file nobody sees.
//
// A chart that cannot be drawn, uploaded or recorded is logged and the
// digest goes out as text, its sparkline in place: never no digest.
func (d *Digests) chartFile(ctx context.Context, s *storage.Shop, key string, now time.Time) string {
	if !d.charted() {
		return ""
	}
	if id, err := d.Store.DigestChartFile(ctx, key); err != nil || id != "" {
		if err != nil {
			d.log().ErrorContext(ctx, "cannot read the digest's chart; posting the text digest", "shop", s.ID, "key", key, "err", err)
		}
		return id
	}
	c, err := d.Charts.DigestChart(ctx, s, now)
	if err != nil || c == nil {
		if err != nil {
			d.log().ErrorContext(ctx, "cannot draw the digest's chart; posting the text digest", "shop", s.ID, "err", err)
		}
		return ""
	}
	id, err := d.Upload.UploadChart(ctx, *c)
	if err != nil {
		d.log().ErrorContext(ctx, "cannot upload the digest's chart; posting the text digest", "shop", s.ID, "key", key, "err", err)
		return ""
	}
	if id, err = d.Store.RecordDigestChart(ctx, key, id, now); err != nil {
		// Unrecorded, a retry would upload again: show no chart rather
		// than risk two.
		d.log().ErrorContext(ctx, "cannot record the digest's chart; posting the text digest", "shop", s.ID, "key", key, "err", err)
		return ""
	}
	return id
}

// digestKeyAt is the key of a shop's digest of now's local day.
func digestKeyAt(s *storage.Shop, now time.Time) string {
	return DigestKey(s.ID, now.In(s.Location()).Format(storage.DateLayout))
}

// RunNow enqueues today's digest of one shop (or of every bound shop when
// shopID is empty) now, whatever the schedule, through the same path as
// the scheduler: a digest already enqueued today is not enqueued again.
// It returns the keys enqueued and those found already there.
func (d *Digests) RunNow(ctx context.Context, shopID string, now time.Time) (added, existing []string, err error) {
	shops, err := boundShops(ctx, d.Store, shopID)
	if err != nil {
		return nil, nil, err
	}
	for i := range shops {
		s := &shops[i]
		ok, err := d.enqueue(ctx, s, now, time.Time{})
		if err != nil {
			return added, existing, err
		}
		key := digestKeyAt(s, now)
		if ok {
			added = append(added, key)
		} else {
			existing = append(existing, key)
		}
	}
	return added, existing, nil
}

func (d *Digests) log() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}
