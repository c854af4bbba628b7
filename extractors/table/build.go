package table

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/header"
	"github.com/registerlyft/registerlyft/pipeline/normalize"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// maxHeaderLines is how many physical lines a header row may span.
const maxHeaderLines = 4

// findHeader looks for the first header row of a page: a band of up to
// maxHeaderLines lines whose words, grouped into cells by the space between
// them (and the page's vertical rules), name at least minFields distinct
// columns.
func findHeader(pg *extractors.Page, lines [][]int) *hdr {
	words := pg.Words
	vr := verticalRules(pg)
	var found *hdr
	for i := range lines {
		if found != nil && i > found.first+maxHeaderLines {
			break // a better band would overlap the one found
		}
		var best *hdr
		for n := 1; n <= maxHeaderLines && i+n <= len(lines); n++ {
			if n > 1 {
				// The band must be contiguous: no gap wider than two lines.
				a, b := lineBox(words, lines[i+n-2]), lineBox(words, lines[i+n-1])
				if b[0]-a[1] > 2*(a[1]-a[0]) {
					break
				}
			}
			var ids []int
			for _, l := range lines[i : i+n] {
				ids = append(ids, l...)
			}
			h := matchBand(words, ids, vr, wordGap(pg))
			if h == nil {
				continue
			}
			h.first, h.last = i, i+n-1
			if best == nil || h.fields > best.fields || h.fields == best.fields && h.score() >= best.score() {
				best = h
			}
		}
		if best != nil && best.fields >= minFields &&
			(found == nil || best.fields > found.fields || best.fields == found.fields && best.score() > found.score()) {
			found = best
		}
	}
	return found
}

// score prefers bands whose cells all name a column.
func (h *hdr) score() int {
	n := 0
	for _, c := range h.cols {
		if !strings.HasPrefix(c.field, normalize.ExtraPrefix) {
			n++
		}
	}
	return 2*n - len(h.cols)
}

func lineBox(words []extractors.Word, ids []int) [2]float64 {
	y0, y1 := math.Inf(1), math.Inf(-1)
	for _, i := range ids {
		y0, y1 = math.Min(y0, words[i].Y0), math.Max(y1, words[i].Y1)
	}
	return [2]float64{y0, y1}
}

// matchBand groups the band's words into cells and maps each cell's text to
// a contract key. It returns nil when fewer than minFields keys are named or
// when more than a third of the cells name none (a body line, not a header).
func matchBand(words []extractors.Word, ids []int, vr []extractors.Rule, gap float64) *hdr {
	cells := clusterX(words, ids, vr, gap)
	h := &hdr{bottom: math.Inf(-1)}
	seen := map[string]bool{}
	unnamed := 0
	for _, cell := range cells {
		text := cellText(words, cell, nil)
		field, ok := header.Match(text)
		if !ok {
			unnamed++
			field = normalize.ExtraPrefix + strings.Join(strings.Fields(text), " ")
		} else if seen[field] {
			field = normalize.ExtraPrefix + text
		} else {
			seen[field] = true
		}
		c := column{field: field, x0: math.Inf(1), x1: math.Inf(-1)}
		for _, i := range cell {
			c.x0, c.x1 = math.Min(c.x0, words[i].X0), math.Max(c.x1, words[i].X1)
			h.bottom = math.Max(h.bottom, words[i].Y1)
		}
		h.cols = append(h.cols, c)
	}
	h.fields = len(seen)
	if h.fields < minFields || 3*unnamed > len(cells) {
		return nil
	}
	return h
}

// Word gaps of clusterX, in line heights. A text layer's boxes are the
// glyphs' advance widths, so the space between two words of a cell is about
// a quarter of the line height; OCR boxes hug the ink, which adds the side
// bearings of both glyphs to every gap ("Rättslig grund" at 9 pt: 4 points
// apart, 0.55 line heights), while the gap between two columns' header
// cells is still the cell padding of both cells and more.
const (
	textLayerWordGap = 0.4
	ocrWordGap       = 0.75
)

// wordGap is the largest gap, in line heights, between two words of one
// header cell on page pg.
func wordGap(pg *extractors.Page) float64 {
	if pg.Source == extractors.SourceOCR {
		return ocrWordGap
	}
	return textLayerWordGap
}

// clusterX groups words into horizontal cells: sorted by their left edge, a
// word joins the cell before it when it starts within gap line heights of
// the cell's right edge (or overlaps it) and no vertical rule lies between.
func clusterX(words []extractors.Word, ids []int, vr []extractors.Rule, gap float64) [][]int {
	ids = append([]int(nil), ids...)
	sort.SliceStable(ids, func(a, b int) bool { return words[ids[a]].X0 < words[ids[b]].X0 })
	var out [][]int
	right := math.Inf(-1)
	for _, i := range ids {
		w := words[i]
		if isRuleDebris(w.Text) {
			// A table border that OCR read as "|": it ends the cell.
			right = math.Inf(-1)
			continue
		}
		tol := gap * (w.Y1 - w.Y0)
		if len(out) > 0 && w.X0 <= right+tol && !ruleAcross(vr, right, w.X0, w.Y0, w.Y1) {
			out[len(out)-1] = append(out[len(out)-1], i)
			right = math.Max(right, w.X1)
			continue
		}
		out = append(out, []int{i})
		right = w.X1
	}
	return out
}

// ruleAcross reports whether a vertical rule lies between x0 and x1 at the
// height y0..y1.
func ruleAcross(vr []extractors.Rule, x0, x1, y0, y1 float64) bool {
	if x1 < x0 {
		x0, x1 = x1, x0
	}
	for _, r := range vr {
		x := (r.X0 + r.X1) / 2
		if x > x0-0.5 && x < x1+0.5 && r.Y0 <= y1 && r.Y1 >= y0 {
			return true
		}
	}
	return false
}

// verticalRules returns the page's vertical rules.
func verticalRules(pg *extractors.Page) []extractors.Rule {
	var out []extractors.Rule
	for _, r := range pg.Rules {
		if r.X1-r.X0 <= 3 && r.Y1-r.Y0 > 3 {
			out = append(out, r)
		}
	}
	return out
}

// horizontalRules returns the page's horizontal rules that cross at least
// half of the table's width.
func horizontalRules(pg *extractors.Page, cols []column) []extractors.Rule {
	if len(cols) == 0 {
		return nil
	}
	x0, x1 := cols[0].x0, cols[len(cols)-1].x1
	var out []extractors.Rule
	for _, r := range pg.Rules {
		if r.Y1-r.Y0 <= 3 && r.X1-r.X0 > 3 {
			ov := math.Min(r.X1, x1) - math.Max(r.X0, x0)
			if ov >= 0.5*(x1-x0) {
				out = append(out, r)
			}
		}
	}
	return out
}

func ruleBetween(hr []extractors.Rule, y0, y1 float64) bool {
	if y1 < y0 {
		y0, y1 = y1, y0
	}
	for _, r := range hr {
		y := (r.Y0 + r.Y1) / 2
		if y >= y0-1 && y <= y1+1 {
			return true
		}
	}
	return false
}

// setBoundaries places the boundary between neighbouring columns: on a
// vertical rule between their headers where there is one, else in the
// widest run of white space (x positions crossed by the fewest body words)
// between the start of one header and the start of the next.
func setBoundaries(cols []column, pg *extractors.Page, body []pline, head []pline) {
	words := pg.Words
	vr := verticalRules(pg)
	hy0, hy1 := math.Inf(1), math.Inf(-1)
	for _, l := range head {
		hy0, hy1 = math.Min(hy0, l.y0), math.Max(hy1, l.y1)
	}
	var bw []extractors.Word
	for _, l := range body {
		for _, i := range l.ids {
			bw = append(bw, words[i])
		}
	}
	for k := range cols {
		cols[k].left, cols[k].right = math.Inf(-1), math.Inf(1)
	}
	for k := 0; k+1 < len(cols); k++ {
		a, b := cols[k], cols[k+1]
		x := math.NaN()
		for _, r := range vr {
			rx := (r.X0 + r.X1) / 2
			if rx >= a.x1-2 && rx <= b.x0+2 && r.Y0 <= hy1 && r.Y1 >= hy0 {
				x = rx
				break
			}
		}
		if math.IsNaN(x) {
			x = gutter(bw, a.x0+1, b.x0+0.5)
		}
		cols[k].right, cols[k+1].left = x, x
	}
}

// gutter finds, between lo and hi, the x crossed by the fewest words; among
// equals it takes the middle of the run nearest to hi.
func gutter(bw []extractors.Word, lo, hi float64) float64 {
	if hi <= lo {
		return (lo + hi) / 2
	}
	const step = 0.5
	n := int((hi-lo)/step) + 1
	if n > 4000 {
		n = 4000
	}
	counts := make([]int, n)
	for _, w := range bw {
		for j := range counts {
			x := lo + float64(j)*step
			if w.X0 < x && x < w.X1 {
				counts[j]++
			}
		}
	}
	best := math.MaxInt
	for _, c := range counts {
		best = min(best, c)
	}
	// The rightmost run of the minimum.
	end := -1
	for j := n - 1; j >= 0; j-- {
		if counts[j] == best {
			end = j
			break
		}
	}
	start := end
	for start > 0 && counts[start-1] == best {
		start--
	}
	return lo + float64(start+end)/2*step
}

func columnOf(cols []column, x float64) int {
	for k := len(cols) - 1; k > 0; k-- {
		if x >= cols[k].left {
			return k
		}
	}
	return 0
}

// sameTable reports whether a header repeats the current table's columns.
func sameTable(a, b []column) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a[k].field != b[k].field {
			return false
		}
	}
	return true
}

var pageNumber = regexp.MustCompile(`(?i)^(sida|sid|s\.|page|p\.)?\s*\d{1,4}(\s*(av|of|/|\(|\))\s*\d{0,4}\)?)?$|^[-–—]\s*\d{1,4}\s*[-–—]$`)

// tableLines returns the indices of the lines from start on that belong to
// the table: inside the horizontal rules of the table where the page has
// them, and without page headers, footers and page numbers.
func (b *builder) tableLines(pg *extractors.Page, lines []pline, start int) []int {
	words := pg.Words
	hr := horizontalRules(pg, b.cols)
	top, bottom := math.Inf(-1), math.Inf(1)
	if len(hr) >= 2 {
		top, bottom = math.Inf(1), math.Inf(-1)
		for _, r := range hr {
			top, bottom = math.Min(top, r.Y0), math.Max(bottom, r.Y1)
		}
	}
	var out []int
	for k := start; k < len(lines); k++ {
		l := lines[k]
		if l.center < top-1 || l.center > bottom+1 {
			continue
		}
		text := strings.TrimSpace(LineText(words, l.ids))
		if pageNumber.MatchString(text) {
			continue
		}
		out = append(out, k)
	}
	if len(hr) >= 2 || len(out) == 0 {
		return out
	}
	// Without rules: drop lines in the page's top and bottom margins that
	// stand apart from the table by a wide gap.
	pitch := linePitch(lines, out)
	h := pg.Height
	if h <= 0 {
		return out
	}
	for len(out) > 1 {
		last, prev := lines[out[len(out)-1]], lines[out[len(out)-2]]
		if last.center > 0.88*h && last.center-prev.center > 2*pitch {
			out = out[:len(out)-1]
			continue
		}
		break
	}
	for len(out) > 1 {
		first, next := lines[out[0]], lines[out[1]]
		if first.center < 0.08*h && next.center-first.center > 2*pitch {
			out = out[1:]
			continue
		}
		break
	}
	return out
}

// linePitch is the usual distance between the centres of consecutive lines
// of a cell: the lower quartile of the distances between body lines.
func linePitch(lines []pline, body []int) float64 {
	var d []float64
	for n := 1; n < len(body); n++ {
		if v := lines[body[n]].center - lines[body[n-1]].center; v > 0 {
			d = append(d, v)
		}
	}
	if len(d) == 0 {
		if len(body) > 0 {
			l := lines[body[0]]
			return 1.2 * (l.y1 - l.y0)
		}
		return 12
	}
	sort.Float64s(d)
	return d[len(d)/4]
}

// docLine returns the Doc.Lines number of a line's words (Word.Line, set by
// the pipeline), or 0 when unknown.
func docLine(words []extractors.Word, ids []int) int {
	n := 0
	for _, i := range ids {
		if l := words[i].Line; l > 0 && (n == 0 || l < n) {
			n = l
		}
	}
	return n
}

// flush ends the current row and adds its record.
func (b *builder) flush() {
	r := b.row
	b.row = nil
	if r == nil {
		return
	}
	fields := map[string]string{}
	for c, lines := range r.cells {
		if len(lines) == 0 || c >= len(b.cols) {
			continue
		}
		text := joinLines(b.doc.Repair, lines)
		if text == "" {
			continue
		}
		f := b.cols[c].field
		if old, ok := fields[f]; ok {
			text = old + "\n" + text
		}
		fields[f] = text
	}
	if len(fields) == 0 {
		return
	}
	b.out = append(b.out, extractors.RawRecord{
		Kind:       record.KindActivity,
		Fields:     fields,
		Page:       r.page,
		Line:       r.firstLine,
		EndLine:    r.lastLine,
		Confidence: 0.9,
	})
}

func (b *builder) finish() { b.flush() }

// hyphens that may end a line; the soft hyphen is always a break point.
const (
	softHyphen = "\u00ad"
	hardHyphen = "-\u2010"
)

// joinLines joins a cell's lines of words: lines that wrap are joined with
// a space, a word split by a line-end hyphen is rejoined (soft hyphens
// always; hard ones through rep.JoinHyphen, which keeps "EU-kommissionen").
func joinLines(rep extractors.Repairer, lines [][]string) string {
	var ws []string
	for _, l := range lines {
		for k, w := range l {
			if k > 0 && strings.Trim(w, softHyphen) == "" {
				ws[len(ws)-1] += w // a soft hyphen drawn apart from its word
				continue
			}
			if k > 0 && strings.HasSuffix(ws[len(ws)-1], softHyphen) {
				// A soft hyphen inside a line: the word was not broken.
				ws[len(ws)-1] = strings.TrimSuffix(ws[len(ws)-1], softHyphen) + w
				continue
			}
			if k == 0 && len(ws) > 0 {
				last := ws[len(ws)-1]
				switch {
				case strings.HasSuffix(last, softHyphen):
					ws[len(ws)-1] = strings.TrimSuffix(last, softHyphen) + w
					continue
				case len(last) > 1 && strings.ContainsAny(last[len(last)-1:], hardHyphen) || strings.HasSuffix(last, "\u2010"):
					switch {
					case rep != nil:
						ws[len(ws)-1] = rep.JoinHyphen(last, w)
					case startsLower(w):
						ws[len(ws)-1] = strings.TrimRight(last, hardHyphen) + w
					default:
						ws[len(ws)-1] = last + w
					}
					continue
				}
			}
			ws = append(ws, w)
		}
	}
	for i, w := range ws {
		ws[i] = strings.ReplaceAll(w, softHyphen, "")
	}
	return strings.TrimSpace(strings.Join(ws, " "))
}

// cellText is the text of the words ids (one cell), line by line.
func cellText(words []extractors.Word, ids []int, rep extractors.Repairer) string {
	sub := make([]extractors.Word, len(ids))
	for k, i := range ids {
		sub[k] = words[i]
	}
	var lines [][]string
	for _, l := range Lines(sub) {
		var ws []string
		for _, i := range l {
			if !isRuleDebris(sub[i].Text) {
				ws = append(ws, sub[i].Text)
			}
		}
		if len(ws) > 0 {
			lines = append(lines, ws)
		}
	}
	return joinLines(rep, lines)
}

// isRuleDebris reports whether an OCR word is only a table border read as
// text ("|", "[", "]", "_", "¦"): it separates cells and is no cell's text.
// A lone "-" is not debris: it is a cell's (placeholder) value.
func isRuleDebris(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("|[]_¦‖", r) {
			return false
		}
	}
	return true
}

// startsEntry reports whether a first-column word can begin an entry: it
// starts with an upper-case letter, a digit or a bullet, not in lower case.
func startsEntry(w string) bool {
	for _, r := range w {
		return !unicode.IsLower(r)
	}
	return false
}

func startsLower(s string) bool {
	for _, r := range s {
		return unicode.IsLower(r)
	}
	return false
}
