package bot

import (
	"bytes"
	"encoding/json"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/dsrbot/dsrbot/bot/chart"
	"github.com/dsrbot/dsrbot/storage"
)

// digestReport is the golden digest's report, in the language given.
func digestReport(lang string) *storage.DigestReport {
	day := fellBelow70(lang)
	return &storage.DigestReport{
		DayReport: *day,
		WeekStart: "2026-11-17",
		Week: []storage.Score{
			{Date: "2026-11-17", Overall: f64(72.6)}, {Date: "2026-11-18", Overall: f64(72.4)}, {Date: "2026-11-19", Overall: f64(72.0)}, {Date: "2026-11-20", Overall: f64(71.1)},
			{Date: "2026-11-22", Overall: f64(70.2)}, {Date: "2026-11-23", Overall: f64(69.8)}, {Date: "2026-11-24", Overall: f64(69.1)},
		},
		Unreported: day.NewBad, UnreportedCount: 2,
		Stats: &storage.OutcomeStats{},
	}
}

// imageBlocks returns the image blocks of a message as Slack gets them.
func imageBlocks(t *testing.T, m Message) []map[string]any {
	t.Helper()
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []map[string]any
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for i, b := range blocks {
		if b["type"] == "image" {
			if i != 1 {
				t.Errorf("image block at %d, want right under the title", i)
			}
			out = append(out, b)
		}
	}
	return out
}

// The digest with its chart shows the uploaded file in one image block
// under the title, with alt text in the shop's language; the text is the
// text digest's, sparkline and all. Without a file it is RenderDigest's.
func TestDigestChartGolden(t *testing.T) {
	for _, tt := range []struct{ lang, alt string }{{"en", "Score trend of the last 30 days"}, {"zh", "近 30 天评分走势"}} {
		r := digestReport(tt.lang)
		m := RenderDigestChart(r, "F0123ABCD", time.Time{}, false)
		imgs := imageBlocks(t, m)
		if len(imgs) != 1 {
			t.Fatalf("%s: %d image blocks, want 1", tt.lang, len(imgs))
		}
		file, _ := imgs[0]["slack_file"].(map[string]any)
		if file["id"] != "F0123ABCD" || imgs[0]["alt_text"] != tt.alt || imgs[0]["image_url"] != nil {
			t.Errorf("%s: image block %v, want slack_file F0123ABCD with alt %q", tt.lang, imgs[0], tt.alt)
		}
		text := RenderDigest(r, time.Time{}, false)
		if m.Text != text.Text || m.Plain != text.Plain {
			t.Errorf("%s: the text differs from the text digest's:\n%s\n---\n%s", tt.lang, m.Text, text.Text)
		}
		if !strings.Contains(m.Text, "▁") {
			t.Errorf("%s: the sparkline is gone:\n%s", tt.lang, m.Text)
		}
		if tt.lang == "en" {
			goldenMessage(t, "digest_image", m)
		}
		if none := RenderDigestChart(r, "", time.Time{}, false); len(imageBlocks(t, none)) != 0 || len(none.Blocks) != len(text.Blocks) {
			t.Errorf("%s: without a file the digest has an image block", tt.lang)
		}
	}
}

// ChartImage is /dsr chart's picture, nil for a period with no score.
func TestChartImage(t *testing.T) {
	shop := fellBelow70("en").Shop
	h := &storage.ChartHistory{Shop: shop, First: "2026-10-26", Last: "2026-11-24"}
	if img, err := ChartImage(h, 30); err != nil || img != nil {
		t.Fatalf("no scores: %v, %v; want no image", img, err)
	}
	for d := 0; d < 30; d++ {
		h.Scores = append(h.Scores, storage.Score{Date: addDays(h.First, d), Overall: f64(68 + float64(d%5))})
	}
	img, err := ChartImage(h, 30)
	if err != nil || img == nil {
		t.Fatalf("ChartImage: %v, %v", img, err)
	}
	p, err := png.Decode(bytes.NewReader(img.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Bounds().Size(); s.X != chart.Width || s.Y != chart.Height {
		t.Errorf("size %v, want %dx%d", s, chart.Width, chart.Height)
	}
	if !strings.HasPrefix(img.Name, shop.ID+"-30d-2026-11-24") || img.Alt == "" {
		t.Errorf("name %q alt %q", img.Name, img.Alt)
	}
}
