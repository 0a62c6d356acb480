package jobs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// digestWorld is a database with two bound shops, Shanghai and New York, a
// bad review each, and the digest job and a sender on a fake chat.
type digestWorld struct {
	db      *storage.DB
	digests *Digests
	sender  *Sender
	chat    *chat
}

func newDigestWorld(t *testing.T) *digestWorld {
	t.Helper()
	db, _ := openDB(t)
	addShop(t, db, "sh", "Asia/Shanghai", "CSH")
	addShop(t, db, "ny", "America/New_York", "CNY")
	addShop(t, db, "unbound", "Asia/Shanghai", "")
	ctx := context.Background()
	csv := "shop,review_id,rating,created_at,content\n" +
		"sh,R1,1,2026-11-23T20:00:00Z,尺码偏小\n" +
		"ny,R2,2,2026-11-23T20:00:00Z,物流太慢\n" +
		"unbound,R3,1,2026-11-23T20:00:00Z,质量差\n"
	if _, err := db.Import(ctx, storage.KindReviews, "reviews.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	c := newChat()
	return &digestWorld{
		db:      db,
		digests: &Digests{Store: db, Render: plainRender{}, Log: quiet},
		sender:  &Sender{Store: db, Delivery: c, Owner: "test", Log: quiet},
		chat:    c,
	}
}

// tick is one scheduler tick at now: sweep, then drain.
func (w *digestWorld) tick(t *testing.T, now time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := w.digests.Sweep(ctx, now); err != nil {
		t.Fatal(err)
	}
	w.sender.Now = func() time.Time { return now }
	if _, err := w.sender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestDigestFiresAtLocalNine(t *testing.T) {
	w := newDigestWorld(t)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

	w.tick(t, day.Add(59*time.Minute)) // 08:59 in Shanghai
	if got := w.chat.keys("CSH"); len(got) != 0 {
		t.Fatalf("Shanghai got %v before 09:00", got)
	}
	w.tick(t, day.Add(time.Hour)) // 09:00 in Shanghai, 20:00 the day before in New York
	if got := w.chat.keys("CSH"); len(got) != 1 || got[0] != "digest:sh:2026-11-24" {
		t.Fatalf("Shanghai channel got %v at 01:00 UTC", got)
	}
	// New York's digest of its 23rd fired at 09:00 there (14:00 UTC on the
	// 23rd), before this database existed in the test's story; on its day
	// it is still due, and this first tick posts it, marked late.
	if got := w.chat.keys("CNY"); len(got) != 1 || got[0] != "digest:ny:2026-11-23" {
		t.Fatalf("New York channel got %v", got)
	}
	if strings.Contains(w.chat.channels["CSH"][0].text, "late") {
		t.Fatalf("the on-time digest says late: %q", w.chat.channels["CSH"][0].text)
	}

	// Every later tick of the day finds both done.
	for m := 1; m <= 90; m++ {
		w.tick(t, day.Add(time.Hour+time.Duration(m)*time.Minute))
	}
	if n := w.chat.total(); n != 2 {
		t.Fatalf("%d messages after 90 more ticks, want 2", n)
	}

	// New York's own 09:00 on the 24th is 14:00 UTC.
	w.tick(t, day.Add(13*time.Hour+59*time.Minute))
	if n := len(w.chat.keys("CNY")); n != 1 {
		t.Fatalf("New York got its digest of the 24th before 09:00 there")
	}
	w.tick(t, day.Add(14*time.Hour))
	if got := w.chat.keys("CNY"); len(got) != 2 || got[1] != "digest:ny:2026-11-24" {
		t.Fatalf("New York channel got %v at 14:00 UTC", got)
	}
	if text := w.chat.channels["CNY"][1].text; strings.Contains(text, "late") {
		t.Fatalf("New York's on-time digest says late: %q", text)
	}
}

func TestDigestAfterRestart(t *testing.T) {
	w := newDigestWorld(t)
	nineThirty := time.Date(2026, 11, 24, 1, 30, 0, 0, time.UTC)

	// The bot was down at 09:00 and starts at 09:30: the first tick posts
	// the digest, marked late, and a second start does not post it again.
	w.tick(t, nineThirty)
	restarted := &Digests{Store: w.digests.Store, Render: plainRender{}, Log: quiet}
	if n, err := restarted.Sweep(context.Background(), nineThirty.Add(time.Second)); err != nil || n != 0 {
		t.Fatalf("sweep after restart enqueued %d, %v", n, err)
	}
	w.tick(t, nineThirty.Add(time.Minute))
	got := w.chat.channels["CSH"]
	if len(got) != 1 {
		t.Fatalf("Shanghai channel got %d digests, want 1", len(got))
	}
	if want := "late, due 09:00"; !strings.Contains(got[0].text, want) {
		t.Fatalf("digest after restart = %q, want it marked %q", got[0].text, want)
	}
	if !strings.Contains(got[0].text, "new=1") {
		t.Fatalf("digest = %q, want the one new bad review", got[0].text)
	}

	// Down again from 10:00 until the next day at 08:00: yesterday's
	// digest was sent, and today's is not due before 09:00.
	nextDay := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) // 08:00 in Shanghai
	w.tick(t, nextDay)
	if n := len(w.chat.keys("CSH")); n != 1 {
		t.Fatalf("a digest was posted at 08:00 the next day")
	}
	w.tick(t, nextDay.Add(time.Hour))
	got = w.chat.channels["CSH"]
	if len(got) != 2 || got[1].key != "digest:sh:2026-11-25" || !strings.Contains(got[1].text, "new=0") {
		t.Fatalf("next day's digests = %+v; want today's, with the review not announced again", got)
	}
}

func TestDigestNotPostedOnALaterDay(t *testing.T) {
	w := newDigestWorld(t)
	// Down from before 09:00 on the 24th until 08:00 on the 25th (before
	// that day's digest): nothing of the 24th is posted.
	w.tick(t, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if n := len(w.chat.keys("CSH")); n != 0 {
		t.Fatalf("yesterday's digest was posted the next day: %v", w.chat.keys("CSH"))
	}
}

func TestRunNowOncePerDay(t *testing.T) {
	w := newDigestWorld(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 0, 30, 0, 0, time.UTC) // before the schedule
	added, existing, err := w.digests.RunNow(ctx, "sh", now)
	if err != nil || len(added) != 1 || len(existing) != 0 {
		t.Fatalf("first run: added %v, existing %v, %v", added, existing, err)
	}
	added, existing, err = w.digests.RunNow(ctx, "sh", now.Add(time.Minute))
	if err != nil || len(added) != 0 || len(existing) != 1 {
		t.Fatalf("second run: added %v, existing %v, %v", added, existing, err)
	}
	// The scheduled sweep at 09:00 finds today's digest already there.
	w.tick(t, now.Add(30*time.Minute))
	if n := len(w.chat.keys("CSH")); n != 1 {
		t.Fatalf("Shanghai got %d digests", n)
	}
	if _, _, err := w.digests.RunNow(ctx, "unbound", now); storage.ErrorCode(err) != storage.EINVALID {
		t.Fatalf("run for an unbound shop: %v", err)
	}
	// Messages prints without enqueuing or marking anything reported.
	unbound, err := w.db.FindShop(ctx, "unbound")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := w.digests.Messages(ctx, unbound, now)
	if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0].Text, "new=1") {
		t.Fatalf("Messages = %+v, %v", msgs, err)
	}
	if msgs, _ = w.digests.Messages(ctx, unbound, now); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "new=1") {
		t.Fatalf("Messages marked reviews reported: %+v", msgs)
	}
}

func TestScheduleChangeWithoutRestart(t *testing.T) {
	w := newDigestWorld(t)
	ctx := context.Background()
	if _, err := w.db.SetDigestCron(ctx, "sh", "30 7 * * *"); err != nil {
		t.Fatal(err)
	}
	w.tick(t, time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC)) // 07:30 in Shanghai
	if got := w.chat.keys("CSH"); len(got) != 1 {
		t.Fatalf("the new 07:30 schedule did not fire: %v", got)
	}
}
