package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/dsrbot/dsrbot/storage"
)

// The image's size in pixels (at 72 dpi a point is a pixel): wide enough
// for 90 days, and readable when Slack shows it at half size.
const (
	Width  = 900
	Height = 500
)

// fontSize is the text's size in pixels: 16 reads as 8 in Slack's preview.
const fontSize = 16

// The colours, each with one meaning; the message names them.
var (
	// GateColor draws the gate lines, and nothing else.
	GateColor = color.RGBA{R: 230, G: 120, B: 0, A: 255}
	// BadColor marks the days bad reviews arrived.
	BadColor = color.RGBA{R: 210, G: 30, B: 30, A: 255}
	// seriesColors are the lines' colours by series key.
	seriesColors = map[string]color.RGBA{
		Overall:                      {R: 20, G: 20, B: 20, A: 255},
		string(storage.DimProduct):   {R: 40, G: 100, B: 220, A: 255},
		string(storage.DimLogistics): {R: 30, G: 160, B: 80, A: 255},
		string(storage.DimService):   {R: 150, G: 60, B: 190, A: 255},
	}
)

// SeriesColor is the colour word of a series ("black", "blue", "green",
// "purple"), a catalogue key's last part for the message's legend.
func SeriesColor(key string) string {
	switch key {
	case Overall:
		return "black"
	case string(storage.DimProduct):
		return "blue"
	case string(storage.DimLogistics):
		return "green"
	}
	return "purple"
}

// PNG draws the chart.
func (d Data) PNG() ([]byte, error) {
	img, _, err := d.draw()
	if err != nil {
		return nil, err
	}
	return encode(img)
}

// draw renders the chart and returns the image and the pixel row of a
// value, for tests that look for a line where it should be.
func (d Data) draw() (image.Image, func(v float64) int, error) {
	p := newPlot()
	p.X.Min, p.X.Max = -0.5, float64(max(len(d.Days), 2))-0.5
	p.Y.Min, p.Y.Max = d.YMin, d.YMax
	p.X.Tick.Marker = dayTicks(d.Days)
	p.Y.Tick.Marker = valueTicks(d.Platform)
	p.Add(plotter.NewGrid())
	for _, g := range d.Gates {
		if g.Value < d.YMin || g.Value > d.YMax {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: g.Value}, {X: p.X.Max, Y: g.Value}})
		if err != nil {
			return nil, nil, err
		}
		l.Color, l.Width, l.Dashes = GateColor, 3, []vg.Length{12, 6}
		p.Add(l)
	}
	// Dimensions under the overall, which is drawn last and thickest.
	for i := len(d.Series) - 1; i >= 0; i-- {
		s := d.Series[i]
		xys := make(plotter.XYs, len(s.Points))
		for j, pt := range s.Points {
			xys[j] = plotter.XY{X: float64(pt.Day), Y: pt.Value}
		}
		l, sc, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, nil, err
		}
		l.Color, l.Width = seriesColors[s.Key], 2
		if s.Key == Overall {
			l.Width = 4
		}
		sc.Color, sc.Radius, sc.Shape = l.Color, 2, draw.CircleGlyph{}
		p.Add(l, sc)
	}
	p.Add(overlay{d})
	return render(p)
}

// overlay draws what plotters do not: the gates' numbers, the bad-review
// markers with their counts, and the last value of each series.
type overlay struct{ d Data }

func (o overlay) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	label := draw.TextStyle{Color: GateColor, Font: p.X.Tick.Label.Font, Handler: p.X.Tick.Label.Handler, XAlign: draw.XLeft, YAlign: draw.YBottom}
	for _, g := range o.d.Gates {
		if g.Value < o.d.YMin || g.Value > o.d.YMax {
			continue
		}
		c.FillText(label, vg.Point{X: c.Min.X + 4, Y: ty(g.Value) + 3}, strconv.FormatFloat(g.Value, 'f', -1, 64))
	}
	bad := label
	bad.Color, bad.XAlign = BadColor, draw.XCenter
	for _, m := range o.d.Bad {
		x, y := tx(float64(m.Day)), c.Min.Y+4
		c.FillPolygon(BadColor, []vg.Point{{X: x - 7, Y: y}, {X: x + 7, Y: y}, {X: x, Y: y + 12}})
		c.FillText(bad, vg.Point{X: x, Y: y + 14}, strconv.Itoa(m.Count))
	}
	// The last values, pushed apart where lines end close together, so
	// each stays readable.
	ys := make([]vg.Length, len(o.d.Series))
	order := make([]int, len(o.d.Series))
	for i, s := range o.d.Series {
		ys[i], order[i] = ty(s.Last.Value)+12, i
	}
	sort.SliceStable(order, func(a, b int) bool { return ys[order[a]] < ys[order[b]] })
	for k := 1; k < len(order); k++ {
		if prev, cur := ys[order[k-1]], ys[order[k]]; cur-prev < fontSize+4 {
			ys[order[k]] = prev + fontSize + 4
		}
	}
	for i, s := range o.d.Series {
		last := label
		last.Color, last.XAlign, last.YAlign = seriesColors[s.Key], draw.XRight, draw.YCenter
		text := fmt.Sprintf("%.1f", s.Last.Value)
		if o.d.Platform == storage.Taobao {
			text = fmt.Sprintf("%.2f", s.Last.Value)
		}
		c.FillText(last, vg.Point{X: tx(float64(s.Last.Day)) - 8, Y: ys[i]}, text)
	}
}

// valueTicks label the value axis every 2 points on Douyin's scale (every
// 5 past 30 points of range), every 0.1 on Taobao's.
func valueTicks(p storage.Platform) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		step := 2.0
		switch {
		case p == storage.Taobao:
			step = 0.1
		case hi-lo > 30:
			step = 5
		}
		var ticks []plot.Tick
		for v := roundUp(lo, step); v <= hi+1e-9; v = storage.Round1(v + step) {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
		return ticks
	})
}

// dayTicks label about seven days of the period with their month and day.
func dayTicks(days []string) plot.Ticker {
	step := max(1, (len(days)+6)/7)
	var ticks plot.ConstantTicks
	for i, day := range days {
		t := plot.Tick{Value: float64(i)}
		if (len(days)-1-i)%step == 0 && len(day) == len(storage.DateLayout) {
			t.Label = day[5:]
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// newPlot is a plot with the bot's text size and no title: titles are the
// message's, in the shop's language.
func newPlot() *plot.Plot {
	p := plot.New()
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label.Font.Variant = "Sans"
		a.Tick.Label.Font.Size = fontSize
		a.Padding = 0
	}
	p.BackgroundColor = color.White
	return p
}

// render draws a plot on a Width×Height image; y maps a value to its pixel
// row.
func render(p *plot.Plot) (image.Image, func(v float64) int, error) {
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(Width), vg.Length(Height)), vgimg.UseDPI(72))
	// A margin round the plot, so no label touches the edge.
	dc := draw.Crop(draw.New(c), 8, -16, 8, -12)
	p.Draw(dc)
	da := p.DataCanvas(dc)
	_, ty := p.Transforms(&da)
	y := func(v float64) int { return Height - int(ty(v)+0.5) }
	return c.Image(), y, nil
}

// encode writes an image as PNG.
func encode(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
