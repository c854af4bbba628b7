package pdfwords

import (
	"math"
	"strings"

	"github.com/registerlyft/registerlyft/extractors"
)

// Word splitting, as pdftotext does it (fractions of the font size).
const (
	wordBreakSpace   = 0.1  // a gap wider than this ends a word
	backBreakOverlap = 0.2  // moving back more than this ends a word
	baseBreak        = 0.5  // points of baseline change that end a word
	dupDelta         = 0.1  // a repeated glyph this close is fake bold
	ascent           = 0.85 // share of the font size above the baseline
)

// words groups the page's glyphs into words, in drawing order.
func (in *interp) words() []extractors.Word {
	var out []extractors.Word
	var cur []placed
	var text strings.Builder
	flush := func() {
		if len(cur) == 0 {
			return
		}
		out = append(out, box(cur, text.String()))
		cur = cur[:0]
		text.Reset()
	}
	for _, g := range in.glyphs {
		if g.space {
			flush()
			continue
		}
		if n := len(cur); n > 0 {
			last := cur[n-1]
			gap := g.x0 - last.x1
			switch {
			case g.dir != last.dir,
				math.Abs(g.base-last.base) > baseBreak,
				math.Abs(g.size-last.size) > 0.01*last.size:
				flush()
			case g.text == last.text && math.Abs(g.x0-last.x0) < dupDelta*last.size:
				continue // the same glyph drawn again (fake bold, shadow)
			case gap > wordBreakSpace*last.size, gap < -backBreakOverlap*last.size:
				flush()
			}
		}
		cur = append(cur, g)
		text.WriteString(g.text)
	}
	flush()
	return out
}

// box makes the word of glyphs gs in page coordinates.
func box(gs []placed, text string) extractors.Word {
	first, last := gs[0], gs[len(gs)-1]
	lo, hi := first.x0, last.x1
	for _, g := range gs {
		lo, hi = math.Min(lo, math.Min(g.x0, g.x1)), math.Max(hi, math.Max(g.x0, g.x1))
	}
	size := first.size
	b0, b1 := first.base-ascent*size, first.base+(1-ascent)*size+0.05*size
	w := extractors.Word{Text: strings.TrimSpace(text), Conf: 1}
	switch first.dir {
	case 0:
		w.X0, w.X1, w.Y0, w.Y1 = lo, hi, b0, b1
	case 2: // coordinates were negated
		w.X0, w.X1, w.Y0, w.Y1 = -hi, -lo, -b1, -b0
	case 1: // along +y; base = -x
		w.Y0, w.Y1, w.X0, w.X1 = lo, hi, -b1, -b0
	case 3: // along -y; base = x
		w.Y0, w.Y1, w.X0, w.X1 = -hi, -lo, b0, b1
	}
	return w
}
