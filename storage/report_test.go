package storage

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// scoreRows writes one Douyin score line per date, each with a distinct overall.
func scoreRows(shop string, dates ...string) string {
	var b strings.Builder
	b.WriteString(scoresHeader)
	for i, d := range dates {
		fmt.Fprintf(&b, "%s,%s,%d,80,80,80\n", shop, d, 70+i)
	}
	return b.String()
}

func TestDayReportScores(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name               string
		dates              []string
		latest, prev, week string // "" is nil
		stale              bool
		today              string
	}{
		{"today, yesterday and a week ago", []string{"2026-11-16", "2026-11-17", "2026-11-23", "2026-11-24"}, "2026-11-24", "2026-11-23", "2026-11-17", false, "2026-11-24"},
		{"a future date is ignored", []string{"2026-11-17", "2026-11-23", "2026-11-24", "2026-11-25"}, "2026-11-24", "2026-11-23", "2026-11-17", false, "2026-11-24"},
		{"today missing: stale, compared from the latest", []string{"2026-11-15", "2026-11-16", "2026-11-22", "2026-11-23"}, "2026-11-23", "2026-11-22", "2026-11-16", true, "2026-11-24"},
		{"gaps stay nil", []string{"2026-11-10", "2026-11-24"}, "2026-11-24", "", "", false, "2026-11-24"},
		{"no scores", nil, "", "", "", false, "2026-11-24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "dy1", Douyin)
			if len(tt.dates) > 0 {
				mustImport(t, db, KindScores, scoreRows("dy1", tt.dates...), len(tt.dates))
			}
			// now given in UTC: the report must still use the shop's day.
			r, err := db.DayReport(ctx, shopOf(t, db, "dy1"), testNow.UTC())
			if err != nil {
				t.Fatal(err)
			}
			date := func(s *Score) string {
				if s == nil {
					return ""
				}
				return s.Date
			}
			if date(r.Latest) != tt.latest || date(r.Prev) != tt.prev || date(r.WeekAgo) != tt.week {
				t.Errorf("Latest/Prev/WeekAgo = %q/%q/%q, want %q/%q/%q", date(r.Latest), date(r.Prev), date(r.WeekAgo), tt.latest, tt.prev, tt.week)
			}
			if r.Stale() != tt.stale {
				t.Errorf("Stale() = %v, want %v", r.Stale(), tt.stale)
			}
			if r.Today != tt.today || r.Now.Location().String() != "Asia/Shanghai" || !r.Now.Equal(testNow) {
				t.Errorf("Today = %q, Now = %v; want %q at %v", r.Today, r.Now, tt.today, testNow)
			}
		})
	}
}

func TestDayReportTodayIsLocal(t *testing.T) {
	db := newTestDB(t)
	mustCreateShop(t, db, "dy1", Douyin)
	mustImport(t, db, KindScores, scoreRows("dy1", "2026-11-24", "2026-11-25"), 2)
	// 2026-11-24 16:30 UTC is already 2026-11-25 00:30 in Shanghai.
	r, err := db.DayReport(context.Background(), shopOf(t, db, "dy1"), time.Date(2026, 11, 24, 16, 30, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if r.Today != "2026-11-25" || r.Latest == nil || r.Latest.Date != "2026-11-25" || r.Stale() {
		t.Errorf("Today %q Latest %+v Stale %v; want 2026-11-25, fresh", r.Today, r.Latest, r.Stale())
	}
}

// TestDayReportStage: the stage is the platform's, read from the imported
// score (its stage column, else the score itself), and never from how many
// orders dsrbot happens to hold: a formal 71.2 with five orders imported is
// a formal 71.2.
func TestDayReportStage(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		platform Platform
		row      string // stage,overall,product,logistics,service
		growth   bool
		overall  string // the stored overall, "-" for none
	}{
		{"formal score, few orders", Douyin, ",71.2,72,70,71", false, "71.2"},
		{"stated growth", Douyin, "growth,70,,,", true, "70"},
		{"stated growth in Chinese", Douyin, "成长期,60,,,", true, "60"},
		{"flat 70 without dimensions", Douyin, ",70,,,", true, "70"},
		{"flat 60 after a penalty", Douyin, ",60,,,", true, "60"},
		{"nothing published", Douyin, ",,,,", true, "-"},
		{"70 with dimensions is formal", Douyin, ",70,71,69,70", false, "70"},
		{"71.2 without dimensions is formal", Douyin, ",71.2,,,", false, "71.2"},
		{"stated formal at 70", Douyin, "formal,70,,,", false, "70"},
		{"taobao has no stage", Taobao, ",,4.8,4.7,4.9", false, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "s1", tt.platform)
			mustImport(t, db, KindScores, "shop,date,stage,overall,product,logistics,service\ns1,2026-11-24,"+tt.row+"\n", 1)
			var b strings.Builder
			b.WriteString(ordersHeader)
			for i := 0; i < 5; i++ {
				fmt.Fprintf(&b, "s1,O%d,a,10,%s,48h,,,\n", i, rfc(testNow.Add(-time.Duration(i+1)*time.Hour)))
			}
			mustImport(t, db, KindOrders, b.String(), 5)

			r, err := db.DayReport(ctx, shopOf(t, db, "s1"), testNow)
			if err != nil {
				t.Fatal(err)
			}
			// The paid orders are counted for the growth stage's hint only.
			paid := 0
			if tt.growth {
				paid = 5
			}
			if r.GrowthStage() != tt.growth || r.PaidOrders30d != paid {
				t.Errorf("GrowthStage = %v (paid orders %d), want %v (%d)", r.GrowthStage(), r.PaidOrders30d, tt.growth, paid)
			}
			overall := "-"
			if r.Latest.Overall != nil {
				overall = fmt.Sprint(*r.Latest.Overall)
			}
			if overall != tt.overall {
				t.Errorf("overall = %s, want %s: the imported value, never replaced", overall, tt.overall)
			}
		})
	}
}

// TestImportScoreRefusals: what the platform cannot have published is
// refused with the reason, and nothing of the file is written.
func TestImportScoreRefusals(t *testing.T) {
	for _, tt := range []struct {
		name, row, want string
	}{
		{"formal without overall", "dy1,2026-11-24,formal,,,,", "scores.csv:3: overall: required for a formal-stage score"},
		{"dimensions without overall", "dy1,2026-11-24,,,72,70,71", "scores.csv:3: overall: required for a formal-stage score"},
		{"two of three dimensions", "dy1,2026-11-24,,71,72,,71", "scores.csv:3: logistics: required with the other dimension scores"},
		{"below the Douyin range", "dy1,2026-11-24,,49.9,,,", "scores.csv:3: overall: 49.9 is outside 50-100"},
		{"above it", "dy1,2026-11-24,,100.5,,,", "scores.csv:3: overall: 100.5 is outside 50-100"},
		{"unknown stage", "dy1,2026-11-24,trial,71,,,", `scores.csv:3: stage: "trial" is not a stage`},
		{"a stage on a Taobao shop", "tb1,2026-11-24,growth,,4.8,4.7,4.9", "scores.csv:3: stage: \"growth\": a stage is Douyin's; tb1 is a Taobao shop"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := importFixture(t)
			_, err := importCSV(db, KindScores, "scores.csv", "shop,date,stage,overall,product,logistics,service\ndy1,2026-11-23,,71,,,\n"+tt.row+"\n")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if n := tableCounts(t, db)["scores"]; n != 0 {
				t.Fatalf("%d scores written; an import is all or nothing", n)
			}
		})
	}
}

func TestDayReportNewBadReviews(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy1", Douyin)
	mustCreateShop(t, db, "dy2", Douyin)
	mustImport(t, db, KindReviews, reviewsHeader+
		"dy1,NEW1,,,,1,2026-11-23 00:00:01,质量差\n"+ // just after the start of yesterday
		"dy1,OLD1,,,,2,2026-11-22 23:59:00,尺码偏小\n"+ // just before: older, open
		"dy1,OLD2,,,,1,2026-11-22 10:00:00,客服不回复\n"+ // older, closed below
		"dy1,OLD3,,,,1,2026-11-01 10:00:00,快递太慢\n"+ // older, open
		"dy1,GOOD,,,,5,2026-11-24 09:00:00,很好\n"+ // not bad
		"dy1,MID,,,,3,2026-11-24 09:10:00,一般\n"+ // not bad
		"dy1,NEW2,,,,2,2026-11-24 09:30:00,色差\n"+ // today
		"dy1,NEW3,,,,1,2026-11-23T16:00:00Z,破损\n"+ // 2026-11-24 00:00 local
		"dy2,X1,,,,1,2026-11-24 09:00:00,差\n", // another shop
		9)
	if err := db.gdb.Exec(`UPDATE reviews SET status = 'done', outcome = 'refund' WHERE review_id = 'OLD2'`).Error; err != nil {
		t.Fatal(err)
	}
	// A new bad review already closed is still new.
	if err := db.gdb.Exec(`UPDATE reviews SET status = 'done', owner = 'U1' WHERE review_id = 'NEW1'`).Error; err != nil {
		t.Fatal(err)
	}

	r, err := db.DayReport(ctx, shopOf(t, db, "dy1"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai); !r.NewSince.Equal(want) {
		t.Errorf("NewSince = %v, want %v", r.NewSince, want)
	}
	var ids []string
	for _, rv := range r.NewBad {
		ids = append(ids, rv.ReviewID)
	}
	if got := strings.Join(ids, ","); got != "NEW2,NEW3,NEW1" || r.NewBadCount != 3 {
		t.Errorf("NewBad = %s (count %d), want NEW2,NEW3,NEW1 (count 3)", got, r.NewBadCount)
	}
	if len(r.NewBad) == 3 && r.NewBad[2].Owner != "U1" {
		t.Errorf("NewBad owner = %q, want U1", r.NewBad[2].Owner)
	}
	if r.OlderOpen != 2 {
		t.Errorf("OlderOpen = %d, want 2 (OLD1, OLD3)", r.OlderOpen)
	}
}

// TestDayReportOpenAndOverdue: a report counts every open follow-up of
// the shop, not only new ones, and those past the shop's deadline, which
// runs from the last opening: a review reopened an hour ago is open but
// not overdue, however old it is.
func TestDayReportOpenAndOverdue(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy1", Douyin)
	mustCreateShop(t, db, "dy2", Douyin)
	mustImport(t, db, KindReviews, reviewsHeader+
		"dy1,NEW1,,,,1,2026-11-24 09:00:00,质量差\n"+ // open, 1 h old
		"dy1,NEW2,,,,2,2026-11-23 12:00:00,色差\n"+ // open, 22 h old
		"dy1,OLD1,,,,2,2026-11-22 23:59:00,尺码偏小\n"+ // open, 34 h old
		"dy1,OLD2,,,,1,2026-11-01 10:00:00,快递太慢\n"+ // open, weeks old
		"dy1,DONE,,,,1,2026-11-20 10:00:00,客服不回复\n"+ // closed
		"dy1,BACK,,,,1,2026-10-01 10:00:00,破损\n"+ // closed, then reopened below
		"dy1,GOOD,,,,5,2026-11-01 09:00:00,很好\n"+ // not bad
		"dy2,X1,,,,1,2026-11-01 09:00:00,差\n", // another shop
		8)
	for _, id := range []string{"DONE", "BACK"} {
		rv, err := db.FindReview(ctx, "dy1", id)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CloseReview(ctx, rv.ID, "refund", Change{Actor: "U1", At: testNow.Add(-48 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if id == "BACK" {
			if err := db.ReopenReview(ctx, rv.ID, Change{Actor: "U1", At: testNow.Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tt := range []struct {
		hours, open, overdue int
	}{
		{24, 5, 2},  // OLD1, OLD2
		{12, 5, 3},  // and NEW2
		{48, 5, 1},  // OLD2 only
		{240, 5, 1}, // OLD2, 23 days old
	} {
		if _, err := db.UpdateShop(ctx, "dy1", func(s *Shop) { s.FollowUpHours = tt.hours }); err != nil {
			t.Fatal(err)
		}
		r, err := db.DayReport(ctx, shopOf(t, db, "dy1"), testNow)
		if err != nil {
			t.Fatal(err)
		}
		if r.OpenCount != tt.open || r.OverdueOpen != tt.overdue || r.OlderOpen != 3 {
			t.Errorf("deadline %d h: open %d, overdue %d, older open %d; want %d, %d, 3 (BACK, OLD1, OLD2)",
				tt.hours, r.OpenCount, r.OverdueOpen, r.OlderOpen, tt.open, tt.overdue)
		}
	}
}

func TestDayReportListLimit(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	mustCreateShop(t, db, "dy1", Douyin)
	n := ReportListLimit + 3
	var rb, ob strings.Builder
	rb.WriteString(reviewsHeader)
	ob.WriteString(ordersHeader)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&rb, "dy1,R%d,,,,1,%s,差\n", i, rfc(testNow.Add(-time.Duration(i)*time.Minute)))
		// Late: due i+1 hours ago. At risk: due in i+1 minutes.
		fmt.Fprintf(&ob, "dy1,L%d,a,10,%s,custom,%s,,\n", i, rfc(testNow.Add(-48*time.Hour)), rfc(testNow.Add(-time.Duration(i+1)*time.Hour)))
		fmt.Fprintf(&ob, "dy1,A%d,a,10,%s,custom,%s,,\n", i, rfc(testNow.Add(-48*time.Hour)), rfc(testNow.Add(time.Duration(i+1)*time.Minute)))
	}
	mustImport(t, db, KindReviews, rb.String(), n)
	mustImport(t, db, KindOrders, ob.String(), 2*n)

	r, err := db.DayReport(ctx, shopOf(t, db, "dy1"), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.NewBad) != ReportListLimit || r.NewBadCount != n {
		t.Errorf("NewBad: %d listed, count %d; want %d listed, count %d", len(r.NewBad), r.NewBadCount, ReportListLimit, n)
	}
	if len(r.NewBad) > 0 && r.NewBad[0].ReviewID != "R0" {
		t.Errorf("NewBad[0] = %s, want the newest, R0", r.NewBad[0].ReviewID)
	}
	if len(r.Late) != ReportListLimit || r.LateCount != n {
		t.Errorf("Late: %d listed, count %d; want %d listed, count %d", len(r.Late), r.LateCount, ReportListLimit, n)
	}
	// Oldest deadline first: L(n-1) is the most overdue.
	if len(r.Late) > 0 && r.Late[0].OrderID != fmt.Sprintf("L%d", n-1) {
		t.Errorf("Late[0] = %s, want L%d", r.Late[0].OrderID, n-1)
	}
	if len(r.AtRisk) != ReportListLimit || r.AtRiskCount != n {
		t.Errorf("AtRisk: %d listed, count %d; want %d listed, count %d", len(r.AtRisk), r.AtRiskCount, ReportListLimit, n)
	}
	if len(r.AtRisk) > 0 && r.AtRisk[0].OrderID != "A0" {
		t.Errorf("AtRisk[0] = %s, want the soonest, A0", r.AtRisk[0].OrderID)
	}
}

func TestDayReportShipments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		due     time.Duration // ship-by relative to now
		shipped bool
		want    string // "late", "risk" or ""
	}{
		{"due 1 minute ago", -time.Minute, false, "late"},
		{"due 3 days ago", -72 * time.Hour, false, "late"},
		{"due now", 0, false, "risk"},
		{"due in 5h59m", 5*time.Hour + 59*time.Minute, false, "risk"},
		{"due in 6h01m", 6*time.Hour + time.Minute, false, ""},
		{"shipped, was due 2h ago", -2 * time.Hour, true, ""},
		{"shipped, due in 1h", time.Hour, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "dy1", Douyin)
			mustCreateShop(t, db, "dy2", Douyin)
			paid := testNow.Add(-96 * time.Hour)
			shipped := ""
			if tt.shipped {
				shipped = rfc(paid.Add(time.Hour))
			}
			mustImport(t, db, KindOrders, ordersHeader+
				fmt.Sprintf("dy1,O1,a,10,%s,custom,%s,%s,\n", rfc(paid), rfc(testNow.Add(tt.due)), shipped)+
				// Another shop's late order never appears.
				fmt.Sprintf("dy2,O1,a,10,%s,custom,%s,,\n", rfc(paid), rfc(testNow.Add(-time.Hour))),
				2)
			r, err := db.DayReport(ctx, shopOf(t, db, "dy1"), testNow)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			switch {
			case r.LateCount == 1 && r.AtRiskCount == 0 && len(r.Late) == 1:
				got = "late"
			case r.AtRiskCount == 1 && r.LateCount == 0 && len(r.AtRisk) == 1:
				got = "risk"
			case r.LateCount == 0 && r.AtRiskCount == 0 && len(r.Late) == 0 && len(r.AtRisk) == 0:
				got = ""
			default:
				t.Fatalf("Late %d (%d listed), AtRisk %d (%d listed)", r.LateCount, len(r.Late), r.AtRiskCount, len(r.AtRisk))
			}
			if got != tt.want {
				t.Errorf("order due at now%+v: %q, want %q", tt.due, got, tt.want)
			}
		})
	}
}

// A report is of a shop its caller has read: an unknown shop is
// ENOTFOUND there, before any report.
func TestDayReportUnknownShop(t *testing.T) {
	db := newTestDB(t)
	_, err := db.FindShop(context.Background(), "nope")
	if ErrorCode(err) != ENOTFOUND {
		t.Errorf("FindShop(nope) error = %v (code %q), want %q", err, ErrorCode(err), ENOTFOUND)
	}
}

func TestShopForChannelAndBind(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	if _, err := db.CreateShop(ctx, Shop{ID: "a", Name: "A", Platform: Douyin, Channel: "C1"}, "Asia/Shanghai", testNow); err != nil {
		t.Fatal(err)
	}
	mustCreateShop(t, db, "b", Taobao)

	shopFor := func(channel string) (string, string) {
		s, err := db.ShopForChannel(ctx, channel)
		if err != nil {
			return "", ErrorCode(err)
		}
		return s.ID, ""
	}
	channelOf := func(id string) string {
		s, err := db.FindShop(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return s.Channel
	}
	steps := []struct {
		name              string
		bindShop, bindCh  string
		bindErr           string
		channel           string
		wantShop, wantErr string
		wantA, wantB      string
	}{
		{"bound at creation", "", "", "", "C1", "a", "", "C1", ""},
		{"unbound channel", "", "", "", "C9", "", ENOTFOUND, "C1", ""},
		{"empty channel", "", "", "", "", "", ENOTFOUND, "C1", ""},
		{"binding b to C1 unbinds a", "b", "C1", "", "C1", "b", "", "", "C1"},
		{"binding b to C2 frees C1", "b", "C2", "", "C1", "", ENOTFOUND, "", "C2"},
		{"a takes C2 back", "a", "C2", "", "C2", "a", "", "C2", ""},
		{"unknown shop", "nope", "C2", ENOTFOUND, "C2", "a", "", "C2", ""},
	}
	for _, st := range steps {
		if st.bindShop != "" {
			s, err := db.BindChannel(ctx, st.bindShop, st.bindCh)
			if ErrorCode(err) != st.bindErr {
				t.Fatalf("%s: BindChannel error %v, want code %q", st.name, err, st.bindErr)
			}
			if err == nil && (s.ID != st.bindShop || s.Channel != st.bindCh) {
				t.Errorf("%s: BindChannel returned %s on %q", st.name, s.ID, s.Channel)
			}
		}
		id, code := shopFor(st.channel)
		if id != st.wantShop || code != st.wantErr {
			t.Errorf("%s: ShopForChannel(%q) = %q, %q; want %q, %q", st.name, st.channel, id, code, st.wantShop, st.wantErr)
		}
		if a, b := channelOf("a"), channelOf("b"); a != st.wantA || b != st.wantB {
			t.Errorf("%s: channels a=%q b=%q, want a=%q b=%q", st.name, a, b, st.wantA, st.wantB)
		}
	}
}

func TestCreateShop(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		shop Shop
		tz   string
		code string
	}{
		{"bad ID with a space", Shop{ID: "dy fashion", Name: "n", Platform: Douyin}, "Asia/Shanghai", EINVALID},
		{"empty ID", Shop{ID: "", Name: "n", Platform: Douyin}, "Asia/Shanghai", EINVALID},
		{"ID starting with a dash", Shop{ID: "-dy", Name: "n", Platform: Douyin}, "Asia/Shanghai", EINVALID},
		{"ID of 65 characters", Shop{ID: strings.Repeat("a", 65), Name: "n", Platform: Douyin}, "Asia/Shanghai", EINVALID},
		{"unknown zone", Shop{ID: "dy1", Name: "n", Platform: Douyin, TZ: "Mars/Olympus"}, "Asia/Shanghai", EINVALID},
		{"unknown default zone", Shop{ID: "dy1", Name: "n", Platform: Douyin}, "Asia/Nowhere", EINVALID},
		{"no zone at all", Shop{ID: "dy1", Name: "n", Platform: Douyin}, "", EINVALID},
		{"bad platform", Shop{ID: "dy1", Name: "n", Platform: "jd"}, "Asia/Shanghai", EINVALID},
		{"no name", Shop{ID: "dy1", Name: "  ", Platform: Douyin}, "Asia/Shanghai", EINVALID},
		{"bad language", Shop{ID: "dy1", Name: "n", Platform: Douyin, Lang: "fr"}, "Asia/Shanghai", EINVALID},
		{"weights not 100", Shop{ID: "dy1", Name: "n", Platform: Douyin, WeightProduct: 50, WeightLogistics: 20, WeightService: 20}, "Asia/Shanghai", EINVALID},
		{"negative weight", Shop{ID: "dy1", Name: "n", Platform: Douyin, WeightProduct: 110, WeightLogistics: -10}, "Asia/Shanghai", EINVALID},
		{"bad cron", Shop{ID: "dy1", Name: "n", Platform: Douyin, DigestCron: "every morning"}, "Asia/Shanghai", EINVALID},
		{"duplicate", Shop{ID: "taken", Name: "n", Platform: Taobao}, "Asia/Shanghai", ECONFLICT},
		{"good", Shop{ID: "dy.fashion_2", Name: "n", Platform: Douyin}, "Asia/Shanghai", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newTestDB(t)
			mustCreateShop(t, db, "taken", Douyin)
			before := snapshot(t, db)
			s, err := db.CreateShop(ctx, tt.shop, tt.tz, testNow)
			if code := ErrorCode(err); code != tt.code {
				t.Fatalf("CreateShop error %v (code %q), want code %q", err, code, tt.code)
			}
			if err != nil {
				if s != nil {
					t.Errorf("CreateShop returned a shop with an error")
				}
				if ErrorMessage(err) == "" || ErrorMessage(err) == "Internal error." {
					t.Errorf("error message %q is not a user sentence", ErrorMessage(err))
				}
				if after := snapshot(t, db); after != before {
					t.Errorf("a refused shop changed the database")
				}
			}
		})
	}
}

func TestCreateShopDefaults(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	now := time.Date(2026, 11, 24, 10, 0, 0, 123456789, shanghai)
	if _, err := db.CreateShop(ctx, Shop{ID: "dy1", Name: "潮衣馆", Platform: Douyin}, "Asia/Shanghai", now); err != nil {
		t.Fatal(err)
	}
	s, err := db.FindShop(ctx, "dy1")
	if err != nil {
		t.Fatal(err)
	}
	if s.TZ != "Asia/Shanghai" || s.Lang != LangEnglish || s.WeightProduct != 50 || s.WeightLogistics != 15 || s.WeightService != 35 ||
		s.DigestCron != DefaultDigestCron || s.Channel != "" || s.Name != "潮衣馆" {
		t.Errorf("stored shop = %+v", s)
	}
	if want := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC); !s.CreatedAt.Equal(want) {
		t.Errorf("CreatedAt = %v, want %v (UTC, whole seconds)", s.CreatedAt, want)
	}
	if s.Location().String() != "Asia/Shanghai" {
		t.Errorf("Location = %v", s.Location())
	}

	// An explicit zone wins over the default.
	if _, err := db.CreateShop(ctx, Shop{ID: "ny", Name: "NY", Platform: Taobao, TZ: "America/New_York"}, "Asia/Shanghai", now); err != nil {
		t.Fatal(err)
	}
	shops, err := db.ListShops(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(shops) != 2 || shops[0].ID != "dy1" || shops[1].ID != "ny" || shops[1].TZ != "America/New_York" {
		t.Errorf("ListShops = %+v", shops)
	}
}
