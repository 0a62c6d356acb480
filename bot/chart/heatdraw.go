package chart

import (
	"image"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// NoScoreColor is a cell without a score.
var NoScoreColor = color.RGBA{R: 225, G: 225, B: 225, A: 255}

// CellColor is a distance's colour: white on the line, deepening to red
// under it and to green over it, deepest at HeatClamp.
func CellColor(dist float64) color.RGBA {
	f := min(1, max(-1, dist/HeatClamp))
	mix := func(a, b uint8, t float64) uint8 { return uint8(float64(a) + (float64(b)-float64(a))*t + 0.5) }
	if f < 0 {
		return color.RGBA{R: mix(255, 200, -f), G: mix(255, 20, -f), B: mix(255, 20, -f), A: 255}
	}
	return color.RGBA{R: mix(255, 20, f), G: mix(255, 150, f), B: mix(255, 60, f), A: 255}
}

// PNG draws the heat map.
func (h Heat) PNG() ([]byte, error) {
	img, err := h.draw()
	if err != nil {
		return nil, err
	}
	return encode(img)
}

func (h Heat) draw() (image.Image, error) {
	p := newPlot()
	n := max(len(h.Rows), 1)
	p.X.Min, p.X.Max = -0.5, float64(max(len(h.Days), 2))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Tick.Marker = dayTicks(h.Days)
	// The first shop on top, labelled with its ID (never its name: the
	// fonts have no Chinese).
	var ticks plot.ConstantTicks
	size := vg.Length(fontSize)
	if n > 20 {
		size = vg.Length(fontSize * 20 / n)
	}
	p.Y.Tick.Label.Font.Size = max(size, 9)
	for i, r := range h.Rows {
		ticks = append(ticks, plot.Tick{Value: float64(n - 1 - i), Label: cut(r.Shop, 16)})
	}
	p.Y.Tick.Marker = ticks
	p.Add(cells{h})
	img, _, err := render(p)
	return img, err
}

// cells draws the heat map's cells.
type cells struct{ h Heat }

func (c cells) Plot(cv draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&cv)
	n := len(c.h.Rows)
	for i, r := range c.h.Rows {
		y0, y1 := ty(float64(n-1-i)-0.5), ty(float64(n-1-i)+0.5)
		for j, v := range r.Cells {
			clr := NoScoreColor
			if v != nil {
				clr = CellColor(*v)
			}
			x0, x1 := tx(float64(j)-0.5), tx(float64(j)+0.5)
			cv.FillPolygon(clr, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		}
	}
}

// cut shortens a label to n runes.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
