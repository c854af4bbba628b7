// Package flattable extracts register records from a table that OCR
// flattened to plain text: every physical line holds the row's cells side
// by side, without coordinates, cells wrap over several lines, words are
// hyphenated at cell edges and table borders leave debris ("[", "|", "_").
//
// The extractor learns the column order from the header line (package
// header), finds where each row starts by the closed vocabularies of the
// domain (a legal basis, a source such as "Genereras internt", a third-
// country answer such as "Nej"), and places the words of every line into
// columns with a scored segmentation (see segment.go): anchors, border
// debris, capitalisation, column widths learnt from the document, and the
// rule that a cell only continues on the next line if it wrapped.
// Fragments it could not place with confidence lower the record's
// Confidence; no text is dropped except border debris.
package flattable

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/header"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Name is the extractor's name in provenance.
const Name = "flattable"

// minColumns is how many distinct column headers a line needs to be taken
// as the table's header row.
const minColumns = 4

// Extractor reads OCR'd flat register tables. The zero value is ready to use.
type Extractor struct{}

// New returns the flat-table extractor.
func New() *Extractor { return &Extractor{} }

// Name implements extractors.Extractor.
func (*Extractor) Name() string { return Name }

// Detect scores a document: a header line naming at least four register
// columns gives 0.5 to 0.7; body rows anchored by legal bases, sources or
// third-country answers below it raise the score to at most 0.95.
func (*Extractor) Detect(doc *extractors.Doc) float64 {
	if doc == nil {
		return 0
	}
	t := parse(doc)
	if t == nil {
		return 0
	}
	s := 0.5 + 0.05*float64(len(t.m.fields)-minColumns)
	s = math.Min(s, 0.7)
	switch n := len(t.starts); {
	case n >= 2:
		s += 0.25
	case n == 1:
		s += 0.1
	}
	return math.Min(s, 0.95)
}

// Extract returns one raw record per table row, in document order.
func (*Extractor) Extract(doc *extractors.Doc) ([]extractors.RawRecord, error) {
	if doc == nil {
		return nil, nil
	}
	t := parse(doc)
	if t == nil || len(t.starts) == 0 {
		return nil, nil
	}
	rows := t.rows()
	t.learnWidths(rows)
	var out []extractors.RawRecord
	prevActivity := ""
	for _, row := range rows {
		st, margin := t.m.readRow(row)
		cells := collect(st, len(t.m.fields))
		rec := extractors.RawRecord{
			Kind:   record.KindActivity,
			Fields: map[string]string{},
			Page:   row[0].page,
			Line:   row[0].n,
		}
		for _, l := range row {
			if !l.blank() {
				rec.EndLine = l.n
			}
		}
		for c, ps := range cells {
			if txt := joinCell(doc, ps); txt != "" {
				rec.Fields[t.m.fields[c]] = txt
			}
		}
		// The margin to the runner-up reading of the row says how sure the
		// placement is.
		conf := 0.6 + 0.35*math.Min(1, margin/2)
		if st.block || hasBlock(row) {
			conf *= 0.9
		}
		if _, ok := t.m.idx[record.FieldActivity]; ok {
			if rec.Fields[record.FieldActivity] == "" && prevActivity != "" {
				// A row without an activity cell continues the activity of
				// the row above (a merged cell).
				rec.Fields[record.FieldActivity] = prevActivity
				conf -= 0.1
			}
			prevActivity = rec.Fields[record.FieldActivity]
		}
		rec.Confidence = math.Max(0.1, math.Min(0.95, conf))
		out = append(out, rec)
	}
	return out, nil
}

func hasBlock(row []*tline) bool {
	for i, l := range row {
		if i > 0 && l.blank() {
			return true
		}
	}
	return false
}

// table is a parsed document: its header and where rows start.
type table struct {
	m      *model
	lines  []*tline
	head   int   // index of the header line
	starts []int // indexes of the rows' first lines
	skip   map[int]bool
}

// parse finds the header line and the row starts, or returns nil.
func parse(doc *extractors.Doc) *table {
	// Find the header row first: most documents have none, and
	// tokenizing every line is the costly part.
	head := -1
	var fields []string
	for i, dl := range doc.Lines {
		if f := headerFields(dl.Text); len(f) >= minColumns {
			head, fields = i, f
			break
		}
	}
	if head < 0 {
		return nil
	}
	lines := make([]*tline, len(doc.Lines))
	for i, dl := range doc.Lines {
		l := &tline{n: dl.N, page: dl.Page, text: dl.Text}
		if l.n == 0 {
			l.n = i + 1
		}
		l.toks = tokenize(dl.Text)
		l.anchors = findAnchors(l.toks)
		lines[i] = l
	}
	t := &table{m: newModel(fields), lines: lines, head: head, skip: map[int]bool{}}
	inHeader := true // lines after a header row, until a row starts, continue the header
	for i := head + 1; i < len(lines); i++ {
		l := lines[i]
		if f := headerFields(l.text); len(f) >= minColumns {
			// A repeated header (a new page).
			t.skip[i] = true
			inHeader = true
			continue
		}
		if t.isRowStart(l) {
			t.starts = append(t.starts, i)
			inHeader = false
			continue
		}
		if inHeader {
			t.skip[i] = true
		}
	}
	return t
}

// headerFields returns the distinct fields named in line, in order, when
// the headers make up most of the line.
func headerFields(line string) []string {
	if !maybeHeader(line) {
		return nil
	}
	cols := header.FindColumns(line)
	if len(cols) < minColumns {
		return nil
	}
	covered := 0
	seen := map[string]bool{}
	var fields []string
	for _, c := range cols {
		covered += utf8.RuneCountInString(strings.Join(strings.Fields(c.Text), ""))
		if !seen[c.Field] {
			seen[c.Field] = true
			fields = append(fields, c.Field)
		}
	}
	total := 0
	for _, r := range line {
		if !unicode.IsSpace(r) && !strings.ContainsRune(debris, r) {
			total++
		}
	}
	if total == 0 || float64(covered)/float64(total) < 0.6 {
		return nil
	}
	return fields
}

// isRowStart reports whether l starts a table row: it holds cell-starting
// anchors of at least two closed-vocabulary columns (legal basis, source,
// third country), in column order.
func (t *table) isRowStart(l *tline) bool {
	closed := 0
	for _, f := range t.m.fields {
		if isClosed(f) {
			closed++
		}
	}
	need := min(2, closed)
	if need == 0 {
		return false
	}
	seen := map[string]bool{}
	last := -1
	for _, a := range l.anchors {
		c, ok := t.m.idx[a.field]
		if !ok || !a.strong {
			continue
		}
		if c < last {
			return false
		}
		last = c
		seen[a.field] = true
	}
	return len(seen) >= need
}

// rows returns each row's lines (first line first), without skipped lines
// and trailing blank lines.
func (t *table) rows() [][]*tline {
	var out [][]*tline
	for k, s := range t.starts {
		end := len(t.lines)
		if k+1 < len(t.starts) {
			end = t.starts[k+1]
		}
		var row []*tline
		for i := s; i < end; i++ {
			if !t.skip[i] {
				row = append(row, t.lines[i])
			}
		}
		for len(row) > 1 && row[len(row)-1].blank() {
			row = row[:len(row)-1]
		}
		out = append(out, row)
	}
	return out
}

// learnWidths estimates each column's width from the rows' first lines,
// which hold every cell: first without width evidence, then again with
// the estimate.
func (t *table) learnWidths(rows [][]*tline) {
	firstSeen := make([]int, len(t.m.fields))
	for pass := 0; pass < 2; pass++ {
		seen := make([][]float64, len(t.m.fields))
		for _, row := range rows {
			init := &state{cells: make([]cell, len(t.m.fields))}
			all := make([]int, len(t.m.fields))
			for c := range all {
				all[c] = c
			}
			cands := t.m.segmentLine(init, row[0], all, true, false)
			if len(cands) == 0 {
				continue
			}
			for _, s := range cands[0].segs {
				seen[s.col] = append(seen[s.col], spanWidth(row[0].toks, s.i, s.j))
			}
		}
		for c, ws := range seen {
			t.m.width[c] = robustMax(ws, isClosed(t.m.fields[c]))
			firstSeen[c] = len(ws)
		}
	}
	// First lines give a lower bound; a full read may show wider lines of
	// the same column (few rows, short first lines). Widen, within limits.
	seen := make([][]float64, len(t.m.fields))
	for _, row := range rows {
		st, _ := t.m.readRow(row)
		for c, ps := range collect(st, len(t.m.fields)) {
			for _, p := range ps {
				seen[c] = append(seen[c], spanWidth(p.line.toks, p.i, p.j))
			}
		}
	}
	for c, ws := range seen {
		W := t.m.width[c]
		if math.IsInf(W, 1) {
			continue
		}
		if firstSeen[c] >= minReliable {
			continue // enough first lines: their widest is the width
		}
		if w := robustMax(ws, isClosed(t.m.fields[c])); w > W {
			t.m.width[c] = math.Min(w, W*maxWiden)
		}
	}
}

// maxWiden bounds how far a full read may widen a column learnt from the
// rows' first lines.
const maxWiden = 1.15

// minReliable is how many first-line segments make a column's width
// reliable without widening.
const minReliable = 8

// robustMax is the widest segment seen in a column, ignoring a few that are
// far wider than the rest (a misplaced segment in the first pass).
func robustMax(ws []float64, closed bool) float64 {
	if len(ws) == 0 {
		return math.Inf(1)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ws)))
	if closed || len(ws) < 4 {
		return ws[0]
	}
	i := 0
	for i < len(ws)/4 && ws[i] > 1.35*ws[i+1] {
		i++
	}
	return ws[i]
}

// joinCell joins a cell's line segments with single spaces, joining words
// split by a line-end hyphen.
func joinCell(doc *extractors.Doc, ps []placed) string {
	var b strings.Builder
	for _, p := range ps {
		words := make([]string, 0, p.j-p.i)
		for k := p.i; k < p.j; k++ {
			words = append(words, repairInnerHyphen(doc, p.line.toks[k].text))
		}
		part := strings.Join(words, " ")
		if part == "" {
			continue
		}
		acc := b.String()
		switch {
		case acc == "":
			b.WriteString(part)
		case strings.HasSuffix(acc, "-") && !strings.HasSuffix(acc, " -"):
			cut := strings.LastIndexByte(acc, ' ') + 1
			left := acc[cut:]
			first, rest, _ := strings.Cut(part, " ")
			joined := joinHyphen(doc, left, first)
			b.Reset()
			b.WriteString(acc[:cut])
			b.WriteString(joined)
			if rest != "" {
				b.WriteByte(' ')
				b.WriteString(rest)
			}
		default:
			b.WriteByte(' ')
			b.WriteString(part)
		}
	}
	return b.String()
}

// joinHyphen joins left (ending in "-") and right. It uses the repair
// stage when the document has one; otherwise the hyphen is dropped when
// the left part is a lower-case word fragment ("person-" + "uppgifter") or
// a long capitalised one ("Intresseav-" + "vägning"), and kept after an
// abbreviation or a short capitalised element ("EU-", "Taxi-").
func joinHyphen(doc *extractors.Doc, left, right string) string {
	if doc.Repair != nil {
		return doc.Repair.JoinHyphen(left, right)
	}
	part := strings.TrimSuffix(left, "-")
	if dropHyphen(part, right) {
		return part + right
	}
	return left + right
}

func dropHyphen(part, right string) bool {
	r, _ := utf8.DecodeRuneInString(right)
	if !unicode.IsLower(r) {
		return false
	}
	letters, upper := 0, 0
	for _, c := range part {
		if unicode.IsDigit(c) {
			return false
		}
		if unicode.IsLetter(c) {
			letters++
			if unicode.IsUpper(c) {
				upper++
			}
		}
	}
	switch {
	case letters == 0 || upper == letters:
		return false
	case upper == 0:
		return true
	}
	first, _ := utf8.DecodeRuneInString(part)
	return unicode.IsUpper(first) && upper == 1 && letters >= 8
}

// repairInnerHyphen joins a word whose line-end hyphen the OCR kept inside
// the word ("kommunikations-material", "sammantrades-hantering"): both
// parts long and lower-case. Short or upper-case first parts ("e-post",
// "IT-system", "ISO-certifierad") are compounds and stay.
func repairInnerHyphen(doc *extractors.Doc, w string) string {
	i := strings.IndexByte(w, '-')
	if i <= 0 || i == len(w)-1 || strings.Count(w, "-") != 1 {
		return w
	}
	left, right := w[:i], w[i+1:]
	if utf8.RuneCountInString(strings.Trim(left, "([")) < 6 || utf8.RuneCountInString(strings.TrimRight(right, ".,;:)")) < 4 {
		return w
	}
	if !dropHyphen(strings.Trim(left, "(["), right) {
		return w
	}
	return joinHyphen(doc, left+"-", right)
}

// headerStems are word beginnings (folded) of which a header row holds at
// least three even after OCR damage; they keep the costly fuzzy header match
// away from ordinary lines.
var headerStems = []string{
	"behandling", "andamal", "syfte", "kategori", "registrerade", "personuppgift",
	"grund", "lagring", "gallring", "mottagare", "kalla", "tredje", "overforing",
	"system", "ansvarig", "namnd", "rattslig", "laglig",
}

// maybeHeader is a cheap test that a line could be a header row.
func maybeHeader(line string) bool {
	var seen [32]bool // by index in headerStems: distinct stems count
	hits := 0
	for _, w := range strings.Fields(header.Fold(line)) {
		w = strings.Trim(w, "[|_()/:;,.")
		for i, st := range headerStems {
			if !seen[i] && strings.HasPrefix(w, st) {
				seen[i] = true
				hits++
				break
			}
		}
		if hits >= 3 {
			return true
		}
	}
	return false
}
