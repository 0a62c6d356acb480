package bot

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

func trendHistory(lang string) *storage.ChartHistory {
	return &storage.ChartHistory{
		Shop: cardShop(lang), First: "2026-11-22", Last: "2026-11-24",
		Scores: []storage.Score{
			*formalScore("2026-11-22", 70.6, 72.0, 65.0, 71.2),
			*formalScore("2026-11-24", 69.1, 70.4, 61.0, 71.2),
		},
		Bad: []storage.DayCount{{Day: "2026-11-23", Count: 3}, {Day: "2026-11-24", Count: 1}},
	}
}

func TestChartGoldenFiles(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		d, err := ShopChart(trendHistory(lang), 30)
		if err != nil {
			t.Fatal(err)
		}
		m := d.message()
		if m.Image == nil {
			t.Fatalf("%s: no image", lang)
		}
		img, err := png.Decode(bytes.NewReader(m.Image.PNG))
		if err != nil || img.Bounds().Dx() == 0 {
			t.Fatalf("%s: image does not decode: %v", lang, err)
		}
		if m.Image.Name != "dy-fashion-30d-2026-11-24.png" || m.Image.Alt == "" {
			t.Errorf("%s: image %q alt %q", lang, m.Image.Name, m.Image.Alt)
		}
		goldenMessage(t, "chart_"+lang, m)
	}
}

func TestChartNoScores(t *testing.T) {
	h := trendHistory("en")
	h.Scores = nil
	d, err := ShopChart(h, 90)
	if err != nil {
		t.Fatal(err)
	}
	m := d.message()
	if m.Image != nil || !strings.Contains(m.Plain, "No scores in the last 90 days") {
		t.Errorf("image %v, text %q: want no image and a sentence", m.Image != nil, m.Plain)
	}
}

func TestParseChart(t *testing.T) {
	tests := []struct {
		text, shop string
		days       int
		bad        bool
	}{
		{"chart", "", 30, false},
		{"chart 90d", "", 90, false},
		{"趋势 dy-fashion 90天", "dy-fashion", 90, false},
		{"chart 30 潮衣馆 Trend Closet", "潮衣馆 Trend Closet", 30, false},
		{"chart dy-fashion 45d", "", 0, true},
		{"chart dy-fashion 45 天", "", 0, true},
		{"chart dy-fashion 90 天", "dy-fashion", 90, false},
		{"chart 90days", "", 90, false},
		// 抖店's shop IDs are numbers: a bare one other than 30 or 90
		// is the shop, not a period.
		{"chart 12345678", "12345678", 30, false},
		{"chart 12345678 90d", "12345678", 90, false},
		{"趋势 90 12345678", "12345678", 90, false},
	}
	for _, tt := range tests {
		c, err := Parse(tt.text)
		if (err != nil) != tt.bad {
			t.Errorf("%q: err %v", tt.text, err)
			continue
		}
		if !tt.bad && (c.Verb != verbChart || c.Shop != tt.shop || c.Days != tt.days) {
			t.Errorf("%q: %+v, want shop %q days %d", tt.text, c, tt.shop, tt.days)
		}
	}
}

// TestShellWritesChart runs /dsr chart in the shell on the demo: the PNG
// is written where the shell says.
func TestShellWritesChart(t *testing.T) {
	b := newDemoBot(t).Bot
	dir := t.TempDir()
	var out bytes.Buffer
	sh := &Shell{Bot: b, In: strings.NewReader("/dsr chart dy-fashion 90d\n"), Out: &out, ImageDir: dir}
	if err := sh.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	// A file of its own each time (never one planted under a name known in
	// advance), named for the shop, period and day.
	prefix := filepath.Join(dir, "dy-fashion-90d-"+b.now().In(mustZone("Asia/Shanghai")).Format(storage.DateLayout)+"-")
	m := regexp.MustCompile(`Chart written to (\S+\.png)`).FindStringSubmatch(out.String())
	if m == nil || !strings.HasPrefix(m[1], prefix) {
		t.Fatalf("shell said:\n%s\nwant a path starting %s", out.String(), prefix)
	}
	path := m[1]
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Errorf("written file is not a PNG: %v", err)
	}
}
