package jobs

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

// hourNow is the instant of the hourly runs: 10:00 in Shanghai.
var hourNow = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)

// hourlyWorld is a shop bound to C1 with the shipments and reminders jobs
// and a sender on a fake chat.
type hourlyWorld struct {
	db        *storage.DB
	shipments *Shipments
	reminders *Reminders
	sender    *Sender
	chat      *chat
}

func newHourlyWorld(t *testing.T) *hourlyWorld {
	t.Helper()
	db, _ := openDB(t)
	addShop(t, db, "s", "Asia/Shanghai", "C1")
	c := newChat()
	return &hourlyWorld{
		db:        db,
		shipments: &Shipments{Store: db, Render: plainShipments{}, Log: quiet},
		reminders: &Reminders{Store: db, Render: plainReminders{}, Log: quiet},
		sender:    &Sender{Store: db, Delivery: c, Owner: "test", Log: quiet},
		chat:      c,
	}
}

// shop reads the world's shop "s", as a job reads it before its report.
func (w *hourlyWorld) shop(t *testing.T) *storage.Shop {
	t.Helper()
	s, err := w.db.FindShop(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// at writes hourNow moved by d as the CSV files write times.
func at(d time.Duration) string { return hourNow.Add(d).Format(time.RFC3339) }

// orders imports orders "ID,PROMISED_SHIP_BY,SHIPPED_AT", paid two days
// before hourNow with a custom promise, so their deadlines are exact.
func (w *hourlyWorld) orders(t *testing.T, rows ...string) {
	t.Helper()
	csv := "shop,order_id,product,amount,paid_at,promise,promised_ship_by,shipped_at\n"
	for _, r := range rows {
		id, rest, _ := strings.Cut(r, ",")
		csv += fmt.Sprintf("s,%s,裙子,100,%s,custom,%s\n", id, at(-48*time.Hour), rest)
	}
	if _, err := w.db.Import(context.Background(), storage.KindOrders, "orders.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
}

// reviews imports bad reviews "ID,AGE,CONTENT" of product P1.
func (w *hourlyWorld) reviews(t *testing.T, rows ...string) {
	t.Helper()
	csv := "shop,review_id,product_id,product,rating,created_at,content\n"
	for _, r := range rows {
		parts := strings.SplitN(r, ",", 3)
		age, err := time.ParseDuration(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		csv += fmt.Sprintf("s,%s,P1,裙子,1,%s,%s\n", parts[0], at(-age), parts[2])
	}
	if _, err := w.db.Import(context.Background(), storage.KindReviews, "reviews.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
}

// review changes a review's follow-up: "assign OWNER", "reopen".
func (w *hourlyWorld) review(t *testing.T, id, change string) {
	t.Helper()
	ctx := context.Background()
	rv, err := w.db.FindReview(ctx, "s", id)
	if err != nil {
		t.Fatal(err)
	}
	by := storage.Change{Actor: "U0BOSS", At: hourNow}
	verb, arg, _ := strings.Cut(change, " ")
	switch verb {
	case "assign":
		err = w.db.AssignReview(ctx, rv.ID, arg, by)
	case "reopen":
		// "reopen 25h": reopened that long ago (its new deadline runs
		// from then); "reopen": now.
		if arg != "" {
			ago, perr := time.ParseDuration(arg)
			if perr != nil {
				t.Fatal(perr)
			}
			by.At = hourNow.Add(-ago)
		}
		if err = w.db.CloseReview(ctx, rv.ID, "refund", by); err == nil {
			err = w.db.ReopenReview(ctx, rv.ID, by)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
}

// run runs a job ("shipments" or "reminders") at hourNow and returns how
// many messages it enqueued.
func (w *hourlyWorld) run(t *testing.T, job string) int {
	t.Helper()
	var n int
	var err error
	switch job {
	case "shipments":
		n, err = w.shipments.Run(context.Background(), "", hourNow)
	case "reminders":
		n, err = w.reminders.Run(context.Background(), "", hourNow)
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// posted drains the outbox at now and returns every key posted so far,
// direct messages included.
func (w *hourlyWorld) posted(t *testing.T, now time.Time) []string {
	t.Helper()
	drain(t, w.sender, now)
	w.chat.mu.Lock()
	defer w.chat.mu.Unlock()
	var keys []string
	for _, ps := range w.chat.channels {
		for _, p := range ps {
			keys = append(keys, p.key)
		}
	}
	return keys
}

// Two runs in the same second, the second with real news: before, both
// were keyed by that second and the news was rolled back as a repeat.
func TestSameSecondNewsIsSaid(t *testing.T) {
	tests := []struct {
		name    string
		job     string
		setup   func(*testing.T, *hourlyWorld)
		news    func(*testing.T, *hourlyWorld)
		wantOut int // messages of the second run
	}{
		{
			name:  "an order ships after its warning",
			job:   "shipments",
			setup: func(t *testing.T, w *hourlyWorld) { w.orders(t, "A,"+at(3*time.Hour)+",") },
			news:  func(t *testing.T, w *hourlyWorld) { w.orders(t, "A,"+at(3*time.Hour)+","+at(-time.Minute)) },
		},
		{
			name:  "another order turns out late",
			job:   "shipments",
			setup: func(t *testing.T, w *hourlyWorld) { w.orders(t, "A,"+at(3*time.Hour)+",") },
			news:  func(t *testing.T, w *hourlyWorld) { w.orders(t, "B,"+at(-time.Hour)+",") },
		},
		{
			name: "an overdue follow-up is reassigned",
			job:  "reminders",
			setup: func(t *testing.T, w *hourlyWorld) {
				w.reviews(t, "R1,25h,尺码偏小")
				w.review(t, "R1", "assign U0ALICE")
			},
			news: func(t *testing.T, w *hourlyWorld) { w.review(t, "R1", "assign U0BOBBY") },
		},
		{
			name: "a follow-up reopened past its new deadline, same owner",
			job:  "reminders",
			setup: func(t *testing.T, w *hourlyWorld) {
				w.reviews(t, "R1,30h,尺码偏小")
				w.review(t, "R1", "assign U0ALICE")
			},
			news: func(t *testing.T, w *hourlyWorld) { w.review(t, "R1", "reopen 25h") },
		},
		{
			name:  "another bad review waits without an owner",
			job:   "reminders",
			setup: func(t *testing.T, w *hourlyWorld) { w.reviews(t, "R3,3h,尺码偏小") },
			news:  func(t *testing.T, w *hourlyWorld) { w.reviews(t, "R4,3h,质量差") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newHourlyWorld(t)
			tt.setup(t, w)
			if n := w.run(t, tt.job); n != 1 {
				t.Fatalf("first run enqueued %d, want 1", n)
			}
			tt.news(t, w)
			if n := w.run(t, tt.job); n != 1 {
				t.Fatalf("second run in the same second enqueued %d, want its news", n)
			}
			if n := w.run(t, tt.job); n != 0 {
				t.Fatalf("third run enqueued %d, want nothing new", n)
			}
			if got := w.posted(t, hourNow); len(got) != 2 || got[0] == got[1] {
				t.Fatalf("posted %v, want two messages", got)
			}
		})
	}
}

// readFirst is a store whose reports were all read before any run wrote:
// two runs (two processes) computing at the same moment.
type readFirst struct {
	*storage.DB
	shipments []*storage.ShipmentReport
	reminders []*storage.ReminderReport
}

func (s *readFirst) ShipmentChanges(context.Context, *storage.Shop, time.Time) (*storage.ShipmentReport, error) {
	r := s.shipments[0]
	s.shipments = s.shipments[1:]
	return r, nil
}

func (s *readFirst) Reminders(context.Context, *storage.Shop, time.Time) (*storage.ReminderReport, error) {
	r := s.reminders[0]
	s.reminders = s.reminders[1:]
	return r, nil
}

// The same announcement computed twice is enqueued once, and the second
// run records nothing either.
func TestSameNewsTwiceIsSaidOnce(t *testing.T) {
	for _, job := range []string{"shipments", "reminders"} {
		t.Run(job, func(t *testing.T) {
			w := newHourlyWorld(t)
			ctx := context.Background()
			w.orders(t, "A,"+at(3*time.Hour)+",", "B,"+at(-time.Hour)+",")
			// An overdue follow-up, one past twice the deadline, two
			// without an owner, and a size cluster on P1 (R1, R3, R4).
			w.reviews(t, "R1,25h,尺码偏小", "R2,49h,尺码偏大", "R3,3h,尺码不对", "R4,30h,尺码太大")
			w.review(t, "R1", "assign U0ALICE")
			w.review(t, "R2", "assign U0ALICE")
			store := &readFirst{DB: w.db}
			for i := 0; i < 2; i++ {
				sr, err := w.db.ShipmentChanges(ctx, w.shop(t), hourNow)
				if err != nil {
					t.Fatal(err)
				}
				rr, err := w.db.Reminders(ctx, w.shop(t), hourNow)
				if err != nil {
					t.Fatal(err)
				}
				store.shipments = append(store.shipments, sr)
				store.reminders = append(store.reminders, rr)
			}
			w.shipments.Store, w.reminders.Store = store, store
			first := w.run(t, job)
			if first == 0 {
				t.Fatal("first run said nothing")
			}
			if n := w.run(t, job); n != 0 {
				t.Fatalf("second run of the same news enqueued %d", n)
			}
			if got := w.posted(t, hourNow); len(got) != first {
				t.Fatalf("posted %v, want the first run's %d messages once", got, first)
			}
		})
	}
}

// A run whose enqueue committed and whose process died before delivering:
// the next process (or `dsrbot run` again, in the same second) posts each
// message once.
func TestRestartAfterEnqueueDoesNotDoublePost(t *testing.T) {
	for _, job := range []string{"shipments", "reminders"} {
		t.Run(job, func(t *testing.T) {
			w := newHourlyWorld(t)
			w.orders(t, "A,"+at(3*time.Hour)+",", "B,"+at(-time.Hour)+",")
			w.reviews(t, "R1,25h,尺码偏小", "R2,49h,尺码偏大", "R3,3h,尺码不对", "R4,30h,尺码太大")
			w.review(t, "R1", "assign U0ALICE")
			w.review(t, "R2", "assign U0ALICE")
			enqueued := w.run(t, job)
			if enqueued == 0 {
				t.Fatal("nothing enqueued")
			}
			// The process dies here. The new one runs the job again at once
			// and drains.
			restarted := &hourlyWorld{
				db:        w.db,
				shipments: &Shipments{Store: w.db, Render: plainShipments{}, Log: quiet},
				reminders: &Reminders{Store: w.db, Render: plainReminders{}, Log: quiet},
				sender:    &Sender{Store: w.db, Delivery: w.chat, Owner: "new", Log: quiet},
				chat:      w.chat,
			}
			if n := restarted.run(t, job); n != 0 {
				t.Fatalf("the run after the restart enqueued %d again", n)
			}
			restarted.posted(t, hourNow)
			if got := restarted.posted(t, hourNow.Add(time.Hour)); len(got) != enqueued {
				t.Fatalf("posted %v, want the %d messages once each", got, enqueued)
			}
		})
	}
}

// An order whose data goes back and forth (an older export imported after
// a newer one) announces each change of state, and a change it already
// announced in the same words is a true repeat: not posted again, and
// recorded, so the order is not stuck announcing it every hour.
func TestShipmentCorrectionBackAndForth(t *testing.T) {
	w := newHourlyWorld(t)
	due := at(-time.Hour)
	steps := []struct {
		shipped string
		want    int
	}{
		{"", 1},               // late
		{at(-time.Minute), 1}, // shipped: resolved
		{"", 1},               // the old export again: late once more
		{at(-time.Minute), 0}, // shipped again: said before in these words
		{at(-time.Minute), 0}, // and nothing left to say
	}
	for i, s := range steps {
		w.orders(t, "A,"+due+","+s.shipped)
		if n := w.run(t, "shipments"); n != s.want {
			t.Fatalf("step %d enqueued %d, want %d", i+1, n, s.want)
		}
	}
	if r, _ := w.db.ShipmentChanges(context.Background(), w.shop(t), hourNow); !r.Empty() {
		t.Fatalf("the order is stuck: %+v", r)
	}
	if got := w.posted(t, hourNow); len(got) != 3 {
		t.Fatalf("posted %v, want 3 messages", got)
	}
}

func TestKeysNameTheNews(t *testing.T) {
	shop := storage.Shop{ID: "s"}
	due := hourNow.Add(3 * time.Hour)
	order := func(id, warned string) storage.Order {
		return storage.Order{OrderID: id, Warned: warned, ShipBy: due}
	}
	review := func(pk int64, id, owner string) storage.Review {
		return storage.Review{ID: pk, ReviewID: id, Owner: owner}
	}
	ship := func(atRisk, late, resolved []storage.Order) string {
		return ShipmentsKey(&storage.ShipmentReport{Shop: shop, AtRisk: atRisk, Late: late, Resolved: resolved})
	}
	rem := func(cycles map[int64]int64, rv storage.Review) string {
		return ReminderKey(&storage.ReminderReport{Shop: shop, Cycles: cycles}, &rv)
	}
	follow := func(esc, un []storage.Review) string {
		return FollowUpsKey(&storage.ReminderReport{Shop: shop, Escalate: esc, Unassigned: un, Cycles: map[int64]int64{1: 7}})
	}
	a, b := order("A", ""), order("B", "")
	later := a
	later.ShipBy = due.Add(time.Hour)
	r1, r2, r3 := review(1, "R1", "U0A"), review(2, "R2", ""), review(3, "R3", "U0B")
	cluster := func(rs ...storage.Review) string {
		return ClusterKey("s", &storage.Cluster{Key: "P1:size", Reviews: rs})
	}
	tests := []struct {
		name  string
		x, y  string
		equal bool
	}{
		{"orders read in another order", ship([]storage.Order{a, b}, nil, nil), ship([]storage.Order{b, a}, nil, nil), true},
		{"one more order", ship([]storage.Order{a}, nil, nil), ship([]storage.Order{a, b}, nil, nil), false},
		{"at risk, then late", ship([]storage.Order{a}, nil, nil), ship(nil, []storage.Order{a}, nil), false},
		{"late, from at risk or from nothing", ship(nil, []storage.Order{order("A", "at_risk")}, nil), ship(nil, []storage.Order{a}, nil), false},
		{"a new deadline", ship([]storage.Order{a}, nil, nil), ship([]storage.Order{later}, nil, nil), false},
		{"reminder, same cycle", rem(map[int64]int64{1: 7}, r1), rem(map[int64]int64{1: 7}, r1), true},
		{"reminder, next cycle", rem(map[int64]int64{1: 7}, r1), rem(map[int64]int64{1: 9}, r1), false},
		{"reminder, another owner", rem(nil, r1), rem(nil, review(1, "R1", "U0B")), false},
		{"follow-ups read in another order", follow([]storage.Review{r1, r3}, []storage.Review{r2}), follow([]storage.Review{r3, r1}, []storage.Review{r2}), true},
		{"escalated or unassigned", follow([]storage.Review{r2}, nil), follow(nil, []storage.Review{r2}), false},
		{"cluster in another order", cluster(r1, r2), cluster(r2, r1), true},
		{"cluster with one more review", cluster(r1, r2), cluster(r1, r2, r3), false},
	}
	for _, tt := range tests {
		if (tt.x == tt.y) != tt.equal {
			t.Errorf("%s: %s vs %s, want equal=%v", tt.name, tt.x, tt.y, tt.equal)
		}
	}
	// The documented shapes; the cluster keeps the prefix its
	// once-per-window rule looks for.
	shapes := []struct{ key, pattern string }{
		{ship([]storage.Order{a}, nil, nil), `^shipments:s:[0-9a-f]{16}$`},
		{rem(map[int64]int64{1: 7}, r1), `^remind:s:R1:U0A:7$`},
		{follow(nil, []storage.Review{r2}), `^followups:s:[0-9a-f]{16}$`},
		{cluster(r1), `^cluster:s:P1:size:[0-9a-f]{16}$`},
	}
	for _, sh := range shapes {
		if !regexp.MustCompile(sh.pattern).MatchString(sh.key) {
			t.Errorf("key %q does not match %s", sh.key, sh.pattern)
		}
	}
}

// plainShipments renders a shipments report as one line.
type plainShipments struct{}

func (plainShipments) Shipments(r *storage.ShipmentReport) (Rendered, error) {
	ids := func(os []storage.Order) string {
		var out []string
		for _, o := range os {
			out = append(out, o.OrderID)
		}
		return strings.Join(out, ",")
	}
	return Rendered{Text: fmt.Sprintf("at risk %s; late %s; shipped %s", ids(r.AtRisk), ids(r.Late), ids(r.Resolved)), Blocks: []byte(`[]`)}, nil
}

// plainReminders renders the reminders job's messages as one line each.
type plainReminders struct{}

func (plainReminders) Reminder(_ *storage.Shop, r *storage.Review, _ time.Time) (Rendered, error) {
	return Rendered{Text: r.ReviewID + " is overdue", Blocks: []byte(`[]`)}, nil
}

func (plainReminders) FollowUps(r *storage.ReminderReport) (Rendered, error) {
	return Rendered{Text: fmt.Sprintf("%d escalated, %d unassigned", len(r.Escalate), len(r.Unassigned)), Blocks: []byte(`[]`)}, nil
}

func (plainReminders) Cluster(_ *storage.Shop, c *storage.Cluster, _ time.Time) (Rendered, error) {
	return Rendered{Text: fmt.Sprintf("%d bad reviews about %s", len(c.Reviews), c.Aspect), Blocks: []byte(`[]`)}, nil
}

// TestReopenStartsANewDeadline: a follow-up reopened now is due a deadline
// from now, not from the review's arrival: it is not reminded at once, and
// it is when its new deadline passes.
func TestReopenStartsANewDeadline(t *testing.T) {
	w := newHourlyWorld(t)
	w.reviews(t, "R1,74h,尺码偏小")
	w.review(t, "R1", "assign U0ALICE")
	if n := w.run(t, "reminders"); n == 0 {
		t.Fatal("the follow-up 74 h old was not reminded")
	}
	w.review(t, "R1", "reopen")
	if n := w.run(t, "reminders"); n != 0 {
		t.Fatalf("a follow-up reopened now was reminded at once (%d messages)", n)
	}
	rv, err := w.db.FindReview(context.Background(), "s", "R1")
	if err != nil {
		t.Fatal(err)
	}
	shop, err := w.db.FindShop(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	if due := rv.Due(shop); !due.Equal(hourNow.Add(shop.FollowUpDeadline())) {
		t.Errorf("due %v, want a deadline from the reopening", due)
	}
	n, err := w.reminders.Run(context.Background(), "", hourNow.Add(shop.FollowUpDeadline()+time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("past the new deadline: %d messages, %v; want the reminder of the new cycle", n, err)
	}
}
