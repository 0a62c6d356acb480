package bot

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/storage"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -run %s -update to create it)", err, t.Name())
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// goldenMessage checks what Slack gets of a message: the blocks (.json)
// and the top-level text (.txt), both escaped. The plain form a person
// reads is the text unescaped, checked here rather than kept a third time.
func goldenMessage(t *testing.T, name string, m Message) {
	t.Helper()
	blocks, err := json.MarshalIndent(m.Blocks, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, name+".json", append(blocks, '\n'))
	golden(t, name+".txt", []byte(m.Text))
	if got := slackUnescape(m.Text); got != m.Plain {
		t.Errorf("%s: the plain form is not the text unescaped:\n--- text unescaped\n%s\n--- plain\n%s", name, got, m.Plain)
	}
}

var (
	shanghai, _ = time.LoadLocation("Asia/Shanghai")
	cardNow     = time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai)
)

func f64(v float64) *float64 { return &v }

func TestDigestAndWarningsGolden(t *testing.T) {
	day := fellBelow70("en")
	r := &storage.DigestReport{
		DayReport: *day,
		WeekStart: "2026-11-17",
		Week: []storage.Score{
			{Date: "2026-11-17", Overall: f64(72.6)}, {Date: "2026-11-18", Overall: f64(72.4)}, {Date: "2026-11-19", Overall: f64(72.0)}, {Date: "2026-11-20", Overall: f64(71.1)},
			{Date: "2026-11-22", Overall: f64(70.2)}, {Date: "2026-11-23", Overall: f64(69.8)}, {Date: "2026-11-24", Overall: f64(69.1)},
		},
		Unreported: day.NewBad, UnreportedCount: 2,
		Overdue: day.NewBad[1:], OverdueCount: 1,
		Stats: &storage.OutcomeStats{Closed: 5, ByOutcome: map[string]int{"refund": 3, "gift": 2}, MedianToClose: 6 * time.Hour},
	}
	m := RenderDigest(r, time.Date(2026, 11, 24, 9, 0, 0, 0, shanghai), true)
	for _, w := range []string{
		"Late: this digest was due at 09:00",
		"Week: ██▇▅·▃▂▁ 72.6 → 69.1", // from the day the week change compares with
		"5 follow-ups closed in 7 days: 3 refund, 2 gift; median 6h to close.",
	} {
		if !strings.Contains(m.Text, w) {
			t.Errorf("digest lacks %q:\n%s", w, m.Text)
		}
	}
	goldenMessage(t, "digest_late", m)

	ship := &storage.ShipmentReport{
		Shop: fellBelow70("en").Shop, Now: cardNow, Owner: "U0BO0001",
		Late: []storage.Order{
			{OrderID: "A1", Product: "羊毛大衣", AmountFen: 49900, PaidAt: cardNow.Add(-60 * time.Hour), ShipBy: cardNow.Add(-12 * time.Hour)},
			{OrderID: "A2", Product: "羊毛大衣", AmountFen: 99800, PaidAt: cardNow.Add(-58 * time.Hour), ShipBy: cardNow.Add(-10 * time.Hour)},
		},
		AtRisk: []storage.Order{{OrderID: "B1", Product: "连衣裙 L 黑色", AmountFen: 15900, PaidAt: cardNow.Add(-45 * time.Hour), ShipBy: cardNow.Add(3 * time.Hour)}},
	}
	m = RenderShipments(ship)
	for _, w := range []string{ // Money is said with when it becomes owed: the 48 h promise owes
		// 1% once more than 48 h late (A1 from 11-25 22:00).
		"2 × 羊毛大衣 late (first due 12h ago; up to ¥14.97 from 11-25 22:00 if still unshipped): A1、A2",
		"1 × 连衣裙 L 黑色 at risk (first due in 3h; ¥2.00 if still unshipped at 11-26 13:00): B1", "Warehouse: <@U0BO0001>"} {
		if !strings.Contains(strings.ReplaceAll(m.Text, ", ", "、"), w) {
			t.Errorf("warnings lack %q:\n%s", w, m.Text)
		}
	}
	goldenMessage(t, "shipments", m)
}

// jsonOf is the JSON of a value, as a string.
func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
