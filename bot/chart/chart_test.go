package chart

import (
	"bytes"
	"encoding/json"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/dsrbot/dsrbot/storage"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot/chart -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n%s", path, got)
	}
}

func f(v float64) *float64 { return &v }

// douyinHistory is five days of a Douyin shop that slips under its 70 line
// on the fourth, with a day without a score and bad reviews on two days,
// one of them before the period.
func douyinHistory() *storage.ChartHistory {
	score := func(day string, overall, product, logistics, service float64) storage.Score {
		return storage.Score{ShopID: "dy1", Date: day, Stage: storage.StageFormal, Overall: f(overall), Product: f(product), Logistics: f(logistics), Service: f(service)}
	}
	return &storage.ChartHistory{
		Shop:  storage.Shop{ID: "dy1", Name: "潮衣馆", Platform: storage.Douyin},
		First: "2026-11-20", Last: "2026-11-24",
		Scores: []storage.Score{
			score("2026-11-20", 72.04, 70.1, 75.5, 71),
			score("2026-11-21", 71.46, 69.8, 75.5, 70.2),
			score("2026-11-23", 69.91, 67.2, 75.4, 69.9),
			{ShopID: "dy1", Date: "2026-11-24", Stage: storage.StageFormal, Overall: f(69.5), Product: f(66.9), Service: f(69.1)},
		},
		Bad: []storage.DayCount{{Day: "2026-11-19", Count: 9}, {Day: "2026-11-21", Count: 2}, {Day: "2026-11-23", Count: 5}},
	}
}

func TestForShopGolden(t *testing.T) {
	golden(t, "douyin.json", ForShop(douyinHistory()))
	tb := &storage.ChartHistory{
		Shop:  storage.Shop{ID: "tb1", Platform: storage.Taobao},
		First: "2026-11-23", Last: "2026-11-24",
		Scores: []storage.Score{
			{ShopID: "tb1", Date: "2026-11-23", Product: f(4.81), Service: f(4.79), Logistics: f(4.75)},
			{ShopID: "tb1", Date: "2026-11-24", Product: f(4.8), Service: f(4.78), Logistics: f(4.71)},
		},
	}
	golden(t, "taobao.json", ForShop(tb))
}

func TestForShopsGolden(t *testing.T) {
	shops := []storage.Shop{{ID: "dy1", Platform: storage.Douyin}, {ID: "tb1", Platform: storage.Taobao}, {ID: "empty", Platform: storage.Douyin}}
	scores := map[string][]storage.Score{
		"dy1": {{Date: "2026-11-22", Overall: f(74.04)}, {Date: "2026-11-24", Overall: f(63)}},
		"tb1": {{Date: "2026-11-23", Product: f(4.8), Service: f(4.7), Logistics: f(4.6)}, {Date: "2026-11-24", Product: f(4.9)}},
	}
	golden(t, "heat.json", ForShops(shops, scores, "2026-11-22", "2026-11-24"))
}

func TestValueRange(t *testing.T) {
	tests := []struct {
		name   string
		d      Data
		lo, hi float64
	}{
		{"nothing: the whole scale", Data{Platform: storage.Douyin}, 50, 100},
		{"values and gates with a margin", Data{Platform: storage.Douyin, Series: []Series{{Points: []Point{{Value: 66.9}, {Value: 72.3}}}}, Gates: []Gate{{Value: 60}, {Value: 70}}}, 58, 76},
		{"within the scale", Data{Platform: storage.Douyin, Series: []Series{{Points: []Point{{Value: 51}, {Value: 99.5}}}}}, 50, 100},
		{"taobao", Data{Platform: storage.Taobao, Series: []Series{{Points: []Point{{Value: 4.71}, {Value: 4.81}}}}}, 4.6, 5},
	}
	for _, tt := range tests {
		lo, hi := tt.d.valueRange()
		if lo != tt.lo || hi != tt.hi {
			t.Errorf("%s: range %v..%v, want %v..%v", tt.name, lo, hi, tt.lo, tt.hi)
		}
	}
}

// decode checks that b is a PNG of the chart's size and returns it.
func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if s := img.Bounds().Size(); s.X != Width || s.Y != Height {
		t.Fatalf("size %v, want %dx%d", s, Width, Height)
	}
	return img
}

func same(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	return uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(b>>8) == want.B
}

// TestDrawShop decodes the drawn chart and finds its gate lines at their
// heights, and nowhere else; the image is not blank.
func TestDrawShop(t *testing.T) {
	d := ForShop(douyinHistory())
	b, err := d.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, b)
	_, yOf, err := d.draw()
	if err != nil {
		t.Fatal(err)
	}
	rowsWithGate := map[int]int{}
	colours := map[color.RGBA]bool{}
	for y := 0; y < Height; y++ {
		for x := 0; x < Width; x++ {
			c := img.At(x, y)
			r, g, bl, _ := c.RGBA()
			colours[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}] = true
			if same(c, GateColor) {
				rowsWithGate[y]++
			}
		}
	}
	if len(colours) < 10 {
		t.Errorf("only %d colours: the chart is blank", len(colours))
	}
	for _, g := range d.Gates {
		want := yOf(g.Value)
		n := 0
		for y := want - 2; y <= want+2; y++ {
			n += rowsWithGate[y]
		}
		// A dashed line across most of the width: two thirds of it drawn.
		if n < Width/3 {
			t.Errorf("gate %v: %d pixels of its colour at row %d±2, want a dashed line", g.Value, n, want)
		}
		for y, n := range rowsWithGate {
			if n > Width/3 && (y < yOf(d.Gates[0].Value)-2 && y > yOf(d.Gates[len(d.Gates)-1].Value)+2) {
				t.Errorf("a line of the gate colour at row %d, between the gates", y)
			}
		}
	}
}

func TestDrawHeat(t *testing.T) {
	shops := []storage.Shop{{ID: "dy1", Platform: storage.Douyin}, {ID: "dy2", Platform: storage.Douyin}}
	scores := map[string][]storage.Score{"dy1": {{Date: "2026-11-24", Overall: f(60)}}, "dy2": {{Date: "2026-11-24", Overall: f(80)}}}
	b, err := ForShops(shops, scores, "2026-11-20", "2026-11-24").PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decode(t, b)
	found := map[color.RGBA]int{}
	for y := 0; y < Height; y++ {
		for x := 0; x < Width; x++ {
			for _, c := range []color.RGBA{CellColor(-10), CellColor(10), NoScoreColor} {
				if same(img.At(x, y), c) {
					found[c]++
				}
			}
		}
	}
	for _, c := range []color.RGBA{CellColor(-10), CellColor(10), NoScoreColor} {
		if found[c] < 1000 {
			t.Errorf("colour %v: %d pixels, want a cell of it", c, found[c])
		}
	}
}

func TestCellColor(t *testing.T) {
	if c := CellColor(0); c != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("on the line: %v, want white", c)
	}
	if CellColor(-30) != CellColor(-HeatClamp) || CellColor(-5).R <= CellColor(-5).G {
		t.Errorf("under the line: %v %v, want clamped red", CellColor(-30), CellColor(-5))
	}
	if CellColor(5).G <= CellColor(5).R {
		t.Errorf("over the line: %v, want green", CellColor(5))
	}
}
