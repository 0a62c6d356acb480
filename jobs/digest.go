package jobs

import (
	"context"
	"fmt"
	"log/slog"
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
func (d *Digests) Sweep(ctx context.Context, now time.Time) (int, error) {
	shops, err := boundShops(ctx, d.Store, "")
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range shops {
		s := &shops[i]
		fired, ok, err := LastFireToday(s.DigestCron, now, s.Location())
		if err != nil {
			d.log().ErrorContext(ctx, "bad digest schedule", "shop", s.ID, "err", err)
			continue
		}
		if !ok {
			continue
		}
		added, err := d.enqueue(ctx, s, now, fired)
		if err != nil {
			d.log().ErrorContext(ctx, "cannot enqueue a digest", "shop", s.ID, "err", err)
			continue
		}
		if added {
			n++
		}
	}
	return n, nil
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
	key := digestKeyAt(s, now)
	// Cheap check first: most ticks of the day find today's digest done.
	if has, err := d.Store.OutboxHas(ctx, key); err != nil || has {
		return false, err
	}
	late := !scheduled.IsZero() && now.Sub(scheduled) > LateAfter
	r, msg, err := d.build(ctx, s, now, scheduled, late, d.chartFile(ctx, s, key, now))
	if err != nil {
		return false, err
	}
	added, err := d.Store.EnqueueDigest(ctx, r, msg.OutboxMessage, now)
	if added {
		d.log().InfoContext(ctx, "digest enqueued", "shop", s.ID, "key", key, "late", late)
	}
	return added, err
}

// build reads and renders a shop's digest for now's local day as its
// outbox row, changing nothing: enqueue records it, Messages shows it.
func (d *Digests) build(ctx context.Context, s *storage.Shop, now, scheduled time.Time, late bool, chartFile string) (*storage.DigestReport, Outgoing, error) {
	r, err := d.Store.DigestReport(ctx, s, now)
	if err != nil {
		return nil, Outgoing{}, err
	}
	m, err := d.Render.Digest(r, chartFile, scheduled, late)
	if err != nil {
		return nil, Outgoing{}, fmt.Errorf("render: %w", err)
	}
	return r, outgoing(digestKeyAt(s, now), s.ID, KindDigest, s.Channel, m), nil
}

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
	if d.Charts == nil || d.Upload == nil {
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
