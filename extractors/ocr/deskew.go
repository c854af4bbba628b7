package ocr

import (
	"math"
	"sort"

	"github.com/registerlyft/registerlyft/extractors"
)

// Skew limits: a page tilted less than MinSkew degrees is left alone (the
// estimate's own noise), one tilted more than MaxSkew is not a slightly
// crooked scan but a page placed sideways, which straightening word boxes
// cannot mend.
const (
	MinSkew = 0.05
	MaxSkew = 5.0
	// minSkewPairs is the fewest word pairs the estimate needs.
	minSkewPairs = 8
)

// EstimateSkew returns the angle in degrees by which the text lines of an
// OCR'd page rise (negative) or fall (positive) from left to right, and
// whether there was enough evidence to tell. It is the median slope of the
// baselines (bottom edges) of neighbouring words that Tesseract put on one
// line: a scan tilted by half a degree moves a word at the right edge of an
// A4 landscape page 7 points up or down against one at the left, half a
// text line, enough to put table cells into the wrong row.
func EstimateSkew(p extractors.Page) (deg float64, ok bool) {
	type key struct{ block, line int }
	lines := map[key][]extractors.Word{}
	for _, w := range p.Words {
		if w.Block == 0 && w.Line == 0 {
			continue
		}
		k := key{w.Block, w.Line}
		lines[k] = append(lines[k], w)
	}
	var slopes []float64
	for _, ws := range lines {
		if len(ws) < 2 {
			continue
		}
		sort.Slice(ws, func(i, j int) bool { return ws[i].X0 < ws[j].X0 })
		for i := 1; i < len(ws); i++ {
			a, b := ws[i-1], ws[i]
			dx := (b.X0 + b.X1 - a.X0 - a.X1) / 2
			ha, hb := a.Y1-a.Y0, b.Y1-b.Y0
			// Neighbours of one size only: a descender-less word beside one
			// with descenders differs by less than this.
			if dx < 10 || ha <= 0 || hb <= 0 || math.Abs(ha-hb) > 0.35*max(ha, hb) {
				continue
			}
			slopes = append(slopes, (b.Y1-a.Y1)/dx)
		}
	}
	if len(slopes) < minSkewPairs {
		return 0, false
	}
	sort.Float64s(slopes)
	m := slopes[len(slopes)/2]
	if len(slopes)%2 == 0 {
		m = (slopes[len(slopes)/2-1] + m) / 2
	}
	return math.Atan(m) * 180 / math.Pi, true
}

// Deskew straightens the word boxes of an OCR'd page that was scanned
// slightly tilted: it estimates the skew (EstimateSkew) and, when it lies
// between MinSkew and MaxSkew degrees, rotates every word's centre about the
// page's centre by the opposite angle, keeping each box's size. Table
// reconstruction then finds rows as horizontal bands and columns as vertical
// ones, as on a page that was never tilted. It returns the angle it undid
// (0 when it left the page alone).
func Deskew(p *extractors.Page) float64 {
	deg, ok := EstimateSkew(*p)
	if !ok || math.Abs(deg) < MinSkew || math.Abs(deg) > MaxSkew {
		return 0
	}
	th := deg * math.Pi / 180
	sin, cos := math.Sin(th), math.Cos(th)
	cx, cy := p.Width/2, p.Height/2
	for i := range p.Words {
		w := &p.Words[i]
		x, y := (w.X0+w.X1)/2-cx, (w.Y0+w.Y1)/2-cy
		nx, ny := cx+x*cos+y*sin, cy-x*sin+y*cos
		dx, dy := nx-(w.X0+w.X1)/2, ny-(w.Y0+w.Y1)/2
		w.X0, w.X1, w.Y0, w.Y1 = w.X0+dx, w.X1+dx, w.Y0+dy, w.Y1+dy
	}
	return deg
}
