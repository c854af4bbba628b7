package flattable

import (
	"math"
	"sort"
	"strings"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// The segmenter places the words of each physical line of a table row into
// columns. A flat OCR line holds the row's cells side by side, each cut at
// its column's width, so it reads the line as consecutive segments, one
// per column, in header order. Evidence for a segment:
//
//   - closed-vocabulary anchors (legal bases, sources, "Nej") start their
//     column and belong to no other;
//   - border debris ("|", "[") and capitalised words after a word that does
//     not end a sentence are likely cell starts;
//   - widths: a segment is no wider than its column, and a cell continues
//     on the next line only if the continuation's first word would not
//     have fitted on the line before (the column wrapped);
//   - cells are top-aligned: once a column's cell ends, it has no more
//     lines in the row; a cell ending in a comma, "och", a preposition or
//     an open parenthesis goes on;
//   - soft vocabularies ("personnummer", "gallras", "Skatteverket") tilt
//     ties.
//
// A row is read with a beam search over its lines, each line scored by a
// k-best dynamic programme over its segmentations, so that a late line can
// overrule an early guess.

// Tunable weights (costs; negative is evidence for).
const (
	costDebrisStart    = -3.0
	costCapStart       = -1.5
	costCapStartEnd    = -0.6 // capitalised after a sentence end
	costLowerFirst     = 3.0  // first line: cell starting lower case mid-sentence
	costLowerFirstEnd  = 0.6
	costLowerCont      = 0.2
	costLowerContEnd   = 0.1
	costOtherStart     = 0.3
	costListAfterEnd   = 1.0
	costInnerDebris    = 3.0
	costInnerCap       = 1.0
	costInnerCapSoft   = 0.3
	costAnchorStart    = -3.0
	costAnchorElse     = 4.0
	costClosedExtra    = 1.5
	costSoftStart      = -1.0
	costAffinity       = -0.4
	costAffinityStrong = -1.0
	costProse          = 1.5 // a modal verb in a list column
	costProseWord      = 0.8 // a word of running prose in a list or activity cell
	costActivityLine   = 1.0 // each activity line past the third
	costClosedFunc     = 1.0 // a function word in a closed-vocabulary column
	costEmptyCell      = 2.5
	costEndStrong      = 4.0
	costEndWeak        = 0.0
	costEndFull        = 0.15 // a cell ends on a nearly full line without punctuation
	widthTolerance     = 0.04 // proportional fonts: a learnt width is approximate
	fullRatio          = 0.8
	costContAfterEnd   = 0.3
	costParen          = 3.0
	costWidth          = 30.0
	costFull           = 15.0
	costFullCap        = 5.0
)

const (
	beamWidth = 30
	kBest     = 8
)

// unfinished levels of a cell's last line.
const (
	finished = iota
	weak
	strong
)

// cell is what a state remembers of one column's cell in the current row.
type cell struct {
	lines  int     // lines so far
	w      float64 // printed width of its last line segment
	end    int     // unfinished level of its last line
	depth  int     // open parentheses
	free   bool    // started with a free-text anchor (Överföring ...)
	closed bool    // a closed-vocabulary column
	ended  bool
}

// seg places tokens [i, j) of a line in column col.
type seg struct{ col, i, j int }

type state struct {
	score  float64
	cells  []cell
	cur    int // block mode: the column blocks go to
	block  bool
	parent *state
	line   *tline
	segs   []seg
	first  bool // this state is after the row's first line
}

// model holds what is known about the table.
type model struct {
	fields []string  // column fields in header order
	width  []float64 // estimated column widths in em; +Inf when unknown
	idx    map[string]int
}

func newModel(fields []string) *model {
	m := &model{fields: fields, width: make([]float64, len(fields)), idx: map[string]int{}}
	for i, f := range fields {
		m.width[i] = math.Inf(1)
		m.idx[f] = i
	}
	return m
}

func isClosed(field string) bool {
	_, ok := closedVocab[field]
	return ok
}

// endLevel says whether a cell whose line ends with tokens[j-1] must go on.
func endLevel(last token, depth int) int {
	if depth > 0 {
		return strong
	}
	t := last.text
	switch t[len(t)-1] {
	case ',', '-', '/', '(', '&':
		return strong
	case '.', ';', ':', '!', '?', ')':
		return finished
	}
	if functionWords[last.key] || isGenitive(last.key) {
		return strong
	}
	return weak
}

// isGenitive reports a definite genitive ("kommunens", "anställningens"),
// which is followed by the noun it qualifies.
func isGenitive(key string) bool {
	if len(key) < 6 {
		return false
	}
	for _, suf := range []string{"ens", "ets", "arnas", "ernas", "ornas"} {
		if strings.HasSuffix(key, suf) {
			return true
		}
	}
	return false
}

func parenDelta(t string) int {
	return strings.Count(t, "(") - strings.Count(t, ")")
}

// segCost scores tokens [i, j) of line l as a segment of column c, given
// the cell as it stands before this line.
//
// wholeLine: the line is one block line (no segment boundaries inside);
// paragraph: it follows a blank line, so it need not continue the wrapping
// of the line before.
func (m *model) segCost(l *tline, c, i, j int, prev cell, first, wholeLine, paragraph bool, anchorAt []int) float64 {
	toks := l.toks
	field := m.fields[c]
	cost := 0.0
	// Where the segment starts.
	if !wholeLine && i > 0 {
		t := toks[i]
		switch {
		case t.boundary:
			cost += costDebrisStart
		case t.cap && !t.afterEnd && !t.prevCap:
			cost += costCapStart
		case t.cap:
			cost += costCapStartEnd
		case !t.letter:
			cost += costOtherStart
		case first && t.afterEnd:
			cost += costLowerFirstEnd
		case first:
			cost += costLowerFirst
		case t.afterEnd:
			cost += costLowerContEnd
		default:
			cost += costLowerCont
		}
	}
	if first || prev.lines == 0 {
		if toks[i].aff == field {
			cost += costSoftStart
		}
	}
	// Words inside the segment that look like cell starts.
	if !wholeLine {
		for k := i + 1; k < j; k++ {
			t := toks[k]
			switch {
			case t.boundary:
				cost += costInnerDebris
			case t.cap && !t.afterEnd && (t.prevComma || t.prevCap):
				cost += costInnerCapSoft
			case t.cap && !t.afterEnd:
				cost += costInnerCap
			}
		}
	}
	// Anchors.
	free := prev.free
	depth := prev.depth
	for k := i; k < j; {
		a := anchorAt[k]
		if a >= 0 {
			an := l.anchors[a]
			if an.field == field {
				if k == i {
					cost += costAnchorStart
				}
				if an.free {
					free = true
				}
			} else if an.strong {
				if _, ok := m.idx[an.field]; ok {
					cost += costAnchorElse
				}
			}
			k = an.j
			continue
		}
		t := toks[k]
		if isClosed(field) && k == i && prev.lines > 0 && !free && !functionWords[t.key] && isClosedWord(field, t.key) {
			// The rest of a phrase wrapped from the line before.
			cost += costAnchorStart / 2
		} else if isClosed(field) && !free && t.letter {
			if functionWords[t.key] {
				cost += costClosedFunc
			} else {
				cost += costClosedExtra
			}
		}
		if t.aff == field {
			cost += t.affW
		}
		if t.modal && isListField(field) {
			cost += costProse
		}
		if (isListField(field) || field == record.FieldActivity) && !isClosed(field) {
			if proseWords[t.key] || isPassive(t.key) {
				cost += costProseWord
			}
			if k < j-1 && strings.HasSuffix(t.text, ".") && len(t.key) > 3 {
				// A sentence ends inside the segment.
				cost += costProseWord
			}
		}
		d := parenDelta(t.text)
		if depth+d < 0 {
			cost += costParen
			d = -depth
		}
		depth += d
		k++
	}
	// Width and wrapping.
	W := m.width[c]
	if !math.IsInf(W, 1) {
		w := spanWidth(toks, i, j)
		if ex := (w-W)/W - widthTolerance; ex > 0 {
			cost += costWidth * ex
		}
		if !first && prev.lines > 0 && !paragraph {
			need := prev.w + spaceWidth + toks[i].width
			if d := (W - need) / W; d > 0 {
				c := math.Min(costFull*d, costFullCap)
				if toks[i].cap {
					// A new sentence or item often starts on a new line of
					// its cell (a manual line break).
					c *= 0.25
				}
				cost += c
			}
		}
	}
	if !first && prev.lines > 0 && prev.end == finished && !paragraph {
		if isListField(field) {
			// A list that ended with a full stop is complete.
			cost += costListAfterEnd
		} else {
			cost += costContAfterEnd
		}
	}
	if field == record.FieldActivity {
		if prev.lines >= 3 {
			cost += costActivityLine
		}
		if strings.HasSuffix(toks[j-1].text, ".") {
			// Activity names are not sentences.
			cost += costProseWord
		}
	}
	return cost
}

// endCost is the cost of cell c ending after its last line; W is the
// column's width. At the row's end a full last line says nothing.
func endCost(c cell, W float64, rowEnd bool) float64 {
	if c.lines == 0 || c.ended {
		return 0
	}
	switch c.end {
	case strong:
		return costEndStrong
	case weak:
		if !rowEnd && !math.IsInf(W, 1) && c.w >= fullRatio*W && !c.closed {
			return costEndFull
		}
		return costEndWeak
	}
	return 0
}

// apply updates cells for segment s of line l.
func (m *model) apply(cells []cell, l *tline, s seg, anchorAt []int) {
	cells[s.col] = m.after(cells[s.col], s.col, l, s.i, s.j, anchorAt)
}

// after returns cell c of column col after tokens [i, j) of l.
func (m *model) after(c cell, col int, l *tline, i, j int, anchorAt []int) cell {
	c.lines++
	c.closed = isClosed(m.fields[col])
	c.w = spanWidth(l.toks, i, j)
	for k := i; k < j; k++ {
		if a := anchorAt[k]; a >= 0 && l.anchors[a].free && l.anchors[a].field == m.fields[col] {
			c.free = true
		}
		c.depth += parenDelta(l.toks[k].text)
		if c.depth < 0 {
			c.depth = 0
		}
	}
	c.end = endLevel(l.toks[j-1], c.depth)
	return c
}

func anchorIndex(l *tline) []int {
	at := make([]int, len(l.toks))
	for i := range at {
		at[i] = -1
	}
	for a, an := range l.anchors {
		at[an.i] = a
	}
	return at
}

// candidate is one segmentation of a line with its cost.
type candidate struct {
	cost float64
	segs []seg
}

// segmentLine returns up to kBest segmentations of l for a state whose
// open columns are allowed (in header order). first: l is the row's first
// line, where a column without a segment is an empty cell; otherwise a
// column without a segment ends. last: l is the row's last line, so every
// segment ends its cell.
func (m *model) segmentLine(st *state, l *tline, allowed []int, first, last bool) []candidate {
	n := len(l.toks)
	na := len(allowed)
	if n == 0 || na == 0 {
		return nil
	}
	at := anchorIndex(l)
	// skip[a] is the cost of leaving allowed[a] without a segment.
	skip := make([]float64, na)
	for a, c := range allowed {
		if first {
			skip[a] = costEmptyCell
		} else {
			skip[a] = endCost(st.cells[c], m.width[c], false)
		}
	}
	// sc[a][i][j]
	sc := make([][][]float64, na)
	for a, c := range allowed {
		sc[a] = make([][]float64, n)
		for i := 0; i < n; i++ {
			sc[a][i] = make([]float64, n+1)
			for j := i + 1; j <= n; j++ {
				sc[a][i][j] = m.segCost(l, c, i, j, st.cells[c], first, false, false, at)
				if last {
					sc[a][i][j] += endCost(m.after(st.cells[c], c, l, i, j, at), m.width[c], true)
				}
			}
		}
	}
	type entry struct {
		cost      float64
		i, pa, pr int // previous end, previous allowed index, rank
	}
	// dp[j][a]: tokens [0, j) placed, last segment in allowed[a].
	dp := make([][][]entry, n+1)
	for j := range dp {
		dp[j] = make([][]entry, na)
	}
	skipSum := func(from, to int) float64 { // allowed (from, to) exclusive
		s := 0.0
		for x := from + 1; x < to; x++ {
			s += skip[x]
		}
		return s
	}
	for j := 1; j <= n; j++ {
		for a := 0; a < na; a++ {
			// The line's first segment, then longer chains; keep the
			// kBest cheapest.
			es := make([]entry, 0, kBest)
			push := func(e entry) {
				if len(es) == kBest && e.cost >= es[kBest-1].cost {
					return
				}
				if len(es) < kBest {
					es = append(es, e)
				} else {
					es[kBest-1] = e
				}
				for x := len(es) - 1; x > 0 && es[x].cost < es[x-1].cost; x-- {
					es[x], es[x-1] = es[x-1], es[x]
				}
			}
			push(entry{cost: skipSum(-1, a) + sc[a][0][j], i: 0, pa: -1})
			for i := 1; i < j; i++ {
				for pa := 0; pa < a; pa++ {
					base := skipSum(pa, a) + sc[a][i][j]
					for r, e := range dp[i][pa] {
						push(entry{cost: e.cost + base, i: i, pa: pa, pr: r})
					}
				}
			}
			dp[j][a] = es
		}
	}
	var out []candidate
	type fin struct {
		cost float64
		a, r int
	}
	var fins []fin
	for a := 0; a < na; a++ {
		tail := skipSum(a, na)
		for r, e := range dp[n][a] {
			fins = append(fins, fin{e.cost + tail, a, r})
		}
	}
	sort.SliceStable(fins, func(x, y int) bool { return fins[x].cost < fins[y].cost })
	for _, f := range fins {
		if len(out) == kBest {
			break
		}
		var segs []seg
		j, a, r := n, f.a, f.r
		for a >= 0 {
			e := dp[j][a][r]
			segs = append(segs, seg{col: allowed[a], i: e.i, j: j})
			j, a, r = e.i, e.pa, e.pr
		}
		for x, y := 0, len(segs)-1; x < y; x, y = x+1, y-1 {
			segs[x], segs[y] = segs[y], segs[x]
		}
		out = append(out, candidate{cost: f.cost, segs: segs})
	}
	return out
}

// readRow places the words of a row's lines (rows[0] is the row's first
// line) and returns the best final state and the margin to the runner-up.
func (m *model) readRow(lines []*tline) (*state, float64) {
	nc := len(m.fields)
	init := &state{cells: make([]cell, nc)}
	beam := []*state{init}
	lastLine := len(lines) - 1
	for lastLine > 0 && lines[lastLine].blank() {
		lastLine--
	}
	for li, l := range lines {
		if l.blank() {
			if li > 0 {
				for _, st := range beam {
					st.block = true
				}
			}
			continue
		}
		var next []*state
		for _, st := range beam {
			next = append(next, m.expand(st, l, li == 0, li == lastLine, li > 0 && lines[li-1].blank())...)
		}
		sort.SliceStable(next, func(x, y int) bool { return next[x].score < next[y].score })
		if len(next) > beamWidth {
			next = next[:beamWidth]
		}
		if len(next) == 0 {
			// Nothing could be placed (cannot happen: the last column is
			// always open in block mode); keep the beam.
			continue
		}
		beam = next
	}
	// The row ends: every open cell ends here.
	for _, st := range beam {
		for c := range st.cells {
			st.score += endCost(st.cells[c], m.width[c], true)
		}
	}
	sort.SliceStable(beam, func(x, y int) bool { return beam[x].score < beam[y].score })
	margin := 10.0
	if len(beam) > 1 {
		margin = beam[1].score - beam[0].score
	}
	return beam[0], margin
}

// expand returns the states that follow st after line l.
func (m *model) expand(st *state, l *tline, first, last, newBlock bool) []*state {
	nc := len(m.fields)
	if st.block {
		return m.expandBlock(st, l, newBlock)
	}
	var allowed []int
	for c := 0; c < nc; c++ {
		if first || !st.cells[c].ended {
			allowed = append(allowed, c)
		}
	}
	at := anchorIndex(l)
	var out []*state
	for _, cand := range m.segmentLine(st, l, allowed, first, last) {
		ns := &state{score: st.score + cand.cost, cells: append([]cell(nil), st.cells...), parent: st, line: l, segs: cand.segs}
		used := make([]bool, nc)
		for _, s := range cand.segs {
			used[s.col] = true
			m.apply(ns.cells, l, s, at)
		}
		for _, c := range allowed {
			if !used[c] || last {
				// The candidate's cost already counts these ends.
				ns.cells[c].ended = true
			}
		}
		out = append(out, ns)
	}
	return out
}

// expandBlock handles a row whose cells the OCR wrote one after another,
// separated by blank lines: each block of lines is one column's
// continuation, and blocks follow the column order.
func (m *model) expandBlock(st *state, l *tline, newBlock bool) []*state {
	nc := len(m.fields)
	at := anchorIndex(l)
	var out []*state
	lo, hi := st.cur, st.cur
	if newBlock {
		hi = nc - 1
	}
	for c := lo; c <= hi; c++ {
		if st.cells[c].ended {
			continue
		}
		cost := 0.0
		cells := append([]cell(nil), st.cells...)
		for x := st.cur; x < c; x++ {
			cost += endCost(cells[x], m.width[x], false)
			cells[x].ended = true
		}
		cost += m.segCost(l, c, 0, len(l.toks), cells[c], false, true, newBlock, at)
		s := seg{col: c, i: 0, j: len(l.toks)}
		m.apply(cells, l, s, at)
		out = append(out, &state{score: st.score + cost, cells: cells, cur: c, block: true, parent: st, line: l, segs: []seg{s}})
	}
	return out
}

// placed is one line segment of a cell: tokens [i, j) of line.
type placed struct {
	line *tline
	i, j int
}

// collect walks a final state back and returns, per column, the segments
// in line order.
func collect(st *state, nc int) [][]placed {
	var chain []*state
	for s := st; s != nil && s.line != nil; s = s.parent {
		chain = append(chain, s)
	}
	out := make([][]placed, nc)
	for x := len(chain) - 1; x >= 0; x-- {
		s := chain[x]
		for _, g := range s.segs {
			out[g.col] = append(out[g.col], placed{line: s.line, i: g.i, j: g.j})
		}
	}
	return out
}

// isListField reports columns whose cells are lists of short items.
func isListField(f string) bool {
	switch f {
	case record.FieldDataSubjects, record.FieldPersonalData, record.FieldRecipients, record.FieldSources:
		return true
	}
	return false
}
