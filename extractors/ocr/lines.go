package ocr

import (
	"sort"
	"strings"

	"github.com/registerlyft/registerlyft/extractors"
)

// Line is one visual text line of a page: its words left to right.
type Line struct {
	Words  []extractors.Word
	Y0, Y1 float64
}

// Text returns the line's words joined with spaces.
func (l Line) Text() string {
	parts := make([]string, len(l.Words))
	for i, w := range l.Words {
		parts[i] = w.Text
	}
	return strings.Join(parts, " ")
}

// Lines groups a page's words into visual lines in reading order, top to
// bottom, each left to right. Words Tesseract put on one line (same Block
// and Line) stay together; lines of different blocks (the cells of a table
// row) are joined when they overlap vertically by at least half the smaller
// height, so a table row reads across its cells as it would printed.
func Lines(p extractors.Page) []Line {
	type key struct{ block, line int }
	var order []key
	groups := map[key][]extractors.Word{}
	for i, w := range p.Words {
		k := key{w.Block, w.Line}
		if w.Block == 0 && w.Line == 0 {
			k = key{-1, i} // unknown grouping: one word per group
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], w)
	}
	segs := make([]Line, 0, len(order))
	for _, k := range order {
		ws := groups[k]
		l := Line{Words: ws, Y0: ws[0].Y0, Y1: ws[0].Y1}
		for _, w := range ws[1:] {
			l.Y0, l.Y1 = min(l.Y0, w.Y0), max(l.Y1, w.Y1)
		}
		segs = append(segs, l)
	}
	sort.SliceStable(segs, func(i, j int) bool { return segs[i].Y0+segs[i].Y1 < segs[j].Y0+segs[j].Y1 })
	var out []Line
	for _, s := range segs {
		if n := len(out); n > 0 && overlaps(out[n-1], s) {
			l := &out[n-1]
			l.Words = append(l.Words, s.Words...)
			l.Y0, l.Y1 = min(l.Y0, s.Y0), max(l.Y1, s.Y1)
			continue
		}
		out = append(out, Line{Words: append([]extractors.Word(nil), s.Words...), Y0: s.Y0, Y1: s.Y1})
	}
	for i := range out {
		ws := out[i].Words
		sort.SliceStable(ws, func(a, b int) bool { return ws[a].X0 < ws[b].X0 })
	}
	return out
}

// overlaps reports whether segment s belongs to line l: they overlap
// vertically by at least half of the smaller height. The line's last
// segment decides, so a slightly skewed line does not swallow the next.
func overlaps(l, s Line) bool {
	lo, hi := max(l.Y0, s.Y0), min(l.Y1, s.Y1)
	h := min(l.Y1-l.Y0, s.Y1-s.Y0)
	return h > 0 && hi-lo >= h/2
}
