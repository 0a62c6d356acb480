package jobs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// charts draws a fixed chart for any shop and counts the drawings.
type charts struct{ drawn int }

func (c *charts) DigestChart(_ context.Context, s *storage.Shop, _ time.Time) (*Chart, error) {
	c.drawn++
	return &Chart{Name: s.ID + ".png", PNG: []byte("png"), Alt: "trend"}, nil
}

// uploads is a fake Slack upload: file IDs F1, F2, … or the planned error.
type uploads struct {
	names []string
	fail  error
}

func (u *uploads) UploadChart(_ context.Context, c Chart) (string, error) {
	if u.fail != nil {
		return "", u.fail
	}
	u.names = append(u.names, c.Name)
	return "F" + string(rune('0'+len(u.names))), nil
}

// failsEnqueueOnce fails its first EnqueueDigest, as a process that dies
// after the upload but before the digest is in the outbox.
type failsEnqueueOnce struct {
	*storage.DB
	failed bool
}

func (s *failsEnqueueOnce) EnqueueDigest(ctx context.Context, r *storage.DigestReport, m storage.OutboxMessage, now time.Time) (bool, error) {
	if !s.failed {
		s.failed = true
		return false, errors.New("killed")
	}
	return s.DB.EnqueueDigest(ctx, r, m, now)
}

// The digest's chart is uploaded once and shown by the digest, posted
// once, however often the job runs: a run that dies after the upload and
// before the enqueue is finished by the next with the same file.
func TestDigestChartUploadedOnce(t *testing.T) {
	w := newDigestWorld(t)
	ctx := context.Background()
	c, u := &charts{}, &uploads{}
	store := &failsEnqueueOnce{DB: w.db}
	w.digests.Store, w.digests.Charts, w.digests.Upload = store, c, u
	now := time.Date(2026, 11, 24, 0, 30, 0, 0, time.UTC)
	if _, _, err := w.digests.RunNow(ctx, "sh", now); err == nil {
		t.Fatal("the first run did not fail")
	}
	for i := 0; i < 2; i++ {
		if _, _, err := w.digests.RunNow(ctx, "sh", now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	w.tick(t, now.Add(time.Hour))
	// New York's digest is due by then too: its own chart, F2.
	if strings.Join(u.names, " ") != "sh.png ny.png" || c.drawn != 2 {
		t.Fatalf("uploaded %v, drew %d; want sh.png once, then ny.png", u.names, c.drawn)
	}
	got := w.chat.channels["CSH"]
	if len(got) != 1 || !strings.Contains(got[0].text, "chart=F1") {
		t.Fatalf("CSH got %+v, want one digest showing F1", got)
	}
}

// A failed upload posts the text digest, once, and is not retried: the
// digest is in the outbox.
func TestDigestChartUploadFails(t *testing.T) {
	w := newDigestWorld(t)
	u := &uploads{fail: errors.New("429 after retries")}
	w.digests.Charts, w.digests.Upload = &charts{}, u
	now := time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC) // 09:00 in Shanghai
	w.tick(t, now)
	u.fail = nil
	w.tick(t, now.Add(time.Minute))
	got := w.chat.channels["CSH"]
	if len(got) != 1 || strings.Contains(got[0].text, "chart=") || !strings.Contains(got[0].text, "digest sh") {
		t.Fatalf("CSH got %+v, want one text digest", got)
	}
	if len(u.names) != 0 {
		t.Fatalf("uploaded %v after the digest was enqueued", u.names)
	}
}

// A preview (Messages) never uploads: it changes nothing in Slack either.
func TestDigestPreviewUploadsNothing(t *testing.T) {
	w := newDigestWorld(t)
	c, u := &charts{}, &uploads{}
	w.digests.Charts, w.digests.Upload = c, u
	shop, err := w.db.FindShop(context.Background(), "sh")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := w.digests.Messages(context.Background(), shop, time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC))
	if err != nil || len(msgs) != 1 || strings.Contains(msgs[0].Text, "chart=") || c.drawn+len(u.names) != 0 {
		t.Fatalf("Messages = %+v, %v; drew %d, uploaded %v", msgs, err, c.drawn, u.names)
	}
}
