package table

import (
	"sort"

	"github.com/registerlyft/registerlyft/extractors"
)

// Lines groups a page's words into physical lines: words whose boxes share
// at least half of the lower one's height go on one line. It returns the
// indices of words, each line sorted left to right and the lines top to
// bottom. The same grouping serves the pipeline (Doc.Lines of a PDF or a
// scan) and the table reconstruction, so that a row's line numbers match.
func Lines(words []extractors.Word) [][]int {
	idx := make([]int, 0, len(words))
	for i, w := range words {
		if w.Text != "" && w.Y1 > w.Y0 {
			idx = append(idx, i)
		}
	}
	center := func(i int) float64 { return (words[i].Y0 + words[i].Y1) / 2 }
	sort.SliceStable(idx, func(a, b int) bool { return center(idx[a]) < center(idx[b]) })

	type line struct {
		y0, y1 float64 // running band: the median-ish extent
		sum    float64 // sum of centers
		ids    []int
	}
	var lines []*line
	for _, i := range idx {
		w := words[i]
		h := w.Y1 - w.Y0
		var best *line
		bestOv := 0.0
		// Look back a few lines: words of neighbouring cells may sit a
		// little higher or lower.
		for k := len(lines) - 1; k >= 0 && k >= len(lines)-4; k-- {
			l := lines[k]
			ov := min(l.y1, w.Y1) - max(l.y0, w.Y0)
			lh := l.y1 - l.y0
			if ov >= 0.5*min(h, lh) && ov > bestOv {
				best, bestOv = l, ov
			}
		}
		if best == nil {
			lines = append(lines, &line{y0: w.Y0, y1: w.Y1, sum: center(i), ids: []int{i}})
			continue
		}
		best.ids = append(best.ids, i)
		best.sum += center(i)
		// Keep the band at the line's typical extent, not its union, so
		// that a tall word does not swallow the next line.
		n := float64(len(best.ids))
		best.y0 += (w.Y0 - best.y0) / n
		best.y1 += (w.Y1 - best.y1) / n
	}
	sort.SliceStable(lines, func(a, b int) bool {
		return lines[a].sum/float64(len(lines[a].ids)) < lines[b].sum/float64(len(lines[b].ids))
	})
	out := make([][]int, len(lines))
	for k, l := range lines {
		sort.SliceStable(l.ids, func(a, b int) bool { return words[l.ids[a]].X0 < words[l.ids[b]].X0 })
		out[k] = l.ids
	}
	return out
}

// LineText joins the words of one line with a space, and with three spaces
// across a gap wider than two word spaces (a column gap), so that the text
// keeps a table's columns apart for a reader.
func LineText(words []extractors.Word, ids []int) string {
	var b []byte
	for k, i := range ids {
		w := words[i]
		if k > 0 {
			p := words[ids[k-1]]
			h := min(w.Y1-w.Y0, p.Y1-p.Y0)
			if w.X0-p.X1 > 0.9*h {
				b = append(b, "   "...)
			} else {
				b = append(b, ' ')
			}
		}
		b = append(b, w.Text...)
	}
	return string(b)
}
