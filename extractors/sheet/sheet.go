// Package sheet extracts register entries from cell grids: CSV/TSV files and
// the sheets of XLSX workbooks (Doc.Sheets), as registrators and old
// register systems export them.
//
// In every sheet it finds the header row (not necessarily the first: title
// rows may stand above it) and maps its columns to contract keys through the
// shared header table (extractors/header). Each following row is one
// register entry (behandling), except that
//
//   - a row whose key cell is empty continues the entry above it (the key
//     column is the activity column, or the first headed column when the
//     sheet has none); so does a row whose key cell is covered by a merged
//     activity cell that starts above it;
//   - blank rows and repeated header rows are skipped;
//   - a cell covered by a vertical merge (a board, nämnd, merged over
//     several entries) gives its value to every entry that starts inside it.
//
// Cell text is handed on as written, with its line breaks ("\n", the items
// of a list) kept and a continuation row's cells joined to the entry's with
// "\n". A column that maps to no contract key is kept under
// normalize.ExtraPrefix + its header (an unheaded column under "Kolumn C"),
// so that normalization stores it in the record's Extra and nothing is lost.
//
// A sheet written by registerlyft's own export (pipeline/export; it has the
// columns "Id" and "Kvalitetsvarningar") is read back to the same records:
// its derived columns (Känsliga personuppgifter, Kvalitetsvarningar, Fil,
// Sida, Rad, Typ, Id, and the normalized Rättslig grund beside Rättslig
// grund (text)) are recomputed rather than read, and a record that appears
// on several sheets (the per-organ sheets) is taken once.
//
// Line numbers: the reader renders one Doc line per row, the sheets one
// after another, so row r (0-based) of sheet s is line
// rows(sheet 0..s-1) + r + 1. Records of a workbook carry the sheet's
// 1-based index as their page; CSV records have no page.
package sheet

import (
	"strings"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/header"
	"github.com/registerlyft/registerlyft/pipeline/memoize"
	"github.com/registerlyft/registerlyft/pipeline/normalize"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Extractor is the cell-grid extractor. The zero value is ready to use.
type Extractor struct{}

// New returns the extractor.
func New() *Extractor { return &Extractor{} }

// Name implements extractors.Extractor.
func (*Extractor) Name() string { return "sheet" }

// headerScanRows is how far down a sheet the header row is looked for.
const headerScanRows = 60

// Columns of registerlyft's own export that are derived from the others
// and recomputed on import (folded header texts).
var exportDerived = map[string]bool{
	"kansliga personuppgifter": true,
	"kvalitetsvarningar":       true,
	"fil":                      true,
	"sida":                     true,
	"rad":                      true,
	"typ":                      true,
	"id":                       true,
}

// layout is what the header row of one sheet says about its columns.
type layout struct {
	head   int      // header row index
	fields []string // per column: raw field key ("" = column ignored)
	texts  []string // per column: folded header text
	mapped int      // distinct contract keys mapped
	key    int      // key column: a non-empty key cell starts an entry
	export bool     // a registerlyft export
	idCol  int      // export: the Id column, -1 if none
	// export: the normalized "Rättslig grund" column, read only where the
	// "Rättslig grund (text)" cell is empty.
	basisCol, basisTextCol int
	// folds remembers fold of the cells compared with the header, when set.
	folds *memoize.Table[string, string]
}

// Detect implements extractors.Extractor: 1 for a sheet whose header names
// the activity or purpose and at least two other keys, 0.8 for two keys
// including one of them, 0.3 for two other keys, else 0.
func (*Extractor) Detect(doc *extractors.Doc) float64 {
	best := 0.0
	for i := range doc.Sheets {
		l := findLayout(&doc.Sheets[i])
		if l == nil {
			continue
		}
		best = max(best, l.score())
	}
	return best
}

func (l *layout) score() float64 {
	core := false
	for _, f := range l.fields {
		if f == record.FieldActivity || f == record.FieldPurpose {
			core = true
		}
	}
	switch {
	case core && l.mapped >= 3:
		return extractors.Certain
	case core:
		return 0.8
	}
	return 0.3
}

// Extract implements extractors.Extractor.
func (*Extractor) Extract(doc *extractors.Doc) ([]extractors.RawRecord, error) {
	var out []extractors.RawRecord
	seenID := map[string]bool{}
	offset := 0
	registers := 0
	for i := range doc.Sheets {
		if findLayout(&doc.Sheets[i]) != nil {
			registers++
		}
	}
	for i := range doc.Sheets {
		sh := &doc.Sheets[i]
		page := i + 1
		if doc.Format == "csv" {
			page = 0
		}
		if l := findLayout(sh); l != nil {
			organ := ""
			if registers > 1 && looksLikeOrgan(sh.Name) {
				organ = strings.TrimSpace(sh.Name)
			}
			out = append(out, extract(sh, l, page, offset, organ, seenID)...)
		}
		offset += len(sh.Rows)
	}
	return out, nil
}

// looksLikeOrgan reports whether a sheet name names a board
// ("Socialnämnden", "Kommunstyrelsen").
func looksLikeOrgan(name string) bool {
	f := header.Fold(strings.TrimSpace(name))
	for _, suf := range []string{"namnden", "namnd", "styrelsen", "styrelse", "utskottet"} {
		if strings.HasSuffix(f, suf) {
			return true
		}
	}
	return false
}

// cell returns row r, column c of sh, "" outside the grid.
func cell(sh *extractors.Sheet, r, c int) string {
	if r < 0 || r >= len(sh.Rows) || c < 0 || c >= len(sh.Rows[r]) {
		return ""
	}
	return sh.Rows[r][c]
}

func fold(s string) string {
	return strings.Join(strings.Fields(header.Fold(s)), " ")
}

// findLayout finds the header row of sh: among the first rows, the one
// whose cells name the most distinct contract keys (at least two, and at
// least half of its non-empty cells must be headers); the earliest wins a
// tie. It returns nil when no row qualifies.
func findLayout(sh *extractors.Sheet) *layout {
	bestRow, bestN := -1, 1
	for r := 0; r < len(sh.Rows) && r < headerScanRows; r++ {
		seen := map[string]bool{}
		nonEmpty, hits := 0, 0
		for _, v := range sh.Rows[r] {
			if strings.TrimSpace(v) == "" {
				continue
			}
			nonEmpty++
			if utf8.RuneCountInString(v) > 80 {
				continue
			}
			if f, ok := header.MatchCell(v); ok {
				hits++
				seen[f] = true
			} else if exportDerived[fold(v)] {
				hits++
			}
		}
		if len(seen) > bestN && hits*2 >= nonEmpty {
			bestRow, bestN = r, len(seen)
		}
	}
	if bestRow < 0 {
		return nil
	}
	return newLayout(sh, bestRow)
}

func newLayout(sh *extractors.Sheet, head int) *layout {
	row := sh.Rows[head]
	l := &layout{head: head, fields: make([]string, len(row)), texts: make([]string, len(row)),
		key: -1, idCol: -1, basisCol: -1, basisTextCol: -1}
	for c, v := range row {
		l.texts[c] = fold(v)
	}
	hasID, hasQ := false, false
	for _, t := range l.texts {
		hasID = hasID || t == "id"
		hasQ = hasQ || t == "kvalitetsvarningar"
	}
	l.export = hasID && hasQ

	// Which columns hold data at all (an unheaded column is kept only if it does).
	used := make([]bool, len(row))
	for r := head + 1; r < len(sh.Rows); r++ {
		for c, v := range sh.Rows[r] {
			if c < len(used) && v != "" {
				used[c] = true
			}
		}
	}
	taken := map[string]bool{}
	for c, v := range row {
		text := strings.Join(strings.Fields(strings.ReplaceAll(v, "\n", " ")), " ")
		if text == "" {
			if used[c] {
				l.fields[c] = normalize.ExtraPrefix + "Kolumn " + columnName(c)
			}
			continue
		}
		if l.export && exportDerived[l.texts[c]] {
			if l.texts[c] == "id" {
				l.idCol = c
			}
			continue
		}
		f, ok := header.MatchCell(text)
		switch {
		case ok && l.export && f == record.FieldLegalBasis:
			l.basisCol = c
			continue
		case ok && f == header.FieldLegalBasisText:
			l.basisTextCol = c
			f = record.FieldLegalBasis
		}
		if !ok || taken[f] {
			l.fields[c] = normalize.ExtraPrefix + text
			continue
		}
		taken[f] = true
		l.fields[c] = f
	}
	if l.export && l.basisTextCol < 0 && l.basisCol >= 0 {
		// An export without the text column: read the normalized one.
		l.fields[l.basisCol] = record.FieldLegalBasis
		taken[record.FieldLegalBasis] = true
		l.basisCol = -1
	}
	if !l.export && l.basisTextCol >= 0 {
		l.basisTextCol = -1 // an ordinary column of its own
	}
	for _, f := range l.fields {
		if f != "" && !strings.HasPrefix(f, normalize.ExtraPrefix) {
			l.mapped++
		}
	}
	for c, f := range l.fields {
		if f == record.FieldActivity {
			l.key = c
		}
	}
	if l.key < 0 {
		for c, t := range l.texts {
			if t != "" && l.fields[c] != "" {
				l.key = c
				break
			}
		}
	}
	return l
}

// columnName is the spreadsheet name of 0-based column c: A, B, …, Z, AA.
func columnName(c int) string {
	name := ""
	for c++; c > 0; c = (c - 1) / 26 {
		name = string(rune('A'+(c-1)%26)) + name
	}
	return name
}

// mergeIndex tells, for every cell inside a merged range other than its
// top-left one, where that range starts.
type mergeIndex map[[2]int][2]int

func newMergeIndex(sh *extractors.Sheet) mergeIndex {
	m := mergeIndex{}
	for _, g := range sh.Merge {
		if g.Row1 < g.Row0 || g.Col1 < g.Col0 || (g.Row1-g.Row0+1)*(g.Col1-g.Col0+1) > 1<<20 {
			continue // malformed or absurd range
		}
		for r := g.Row0; r <= g.Row1; r++ {
			for c := g.Col0; c <= g.Col1; c++ {
				if r != g.Row0 || c != g.Col0 {
					m[[2]int{r, c}] = [2]int{g.Row0, g.Col0}
				}
			}
		}
	}
	return m
}

// extract turns the rows below l.head into raw records.
func extract(sh *extractors.Sheet, l *layout, page, offset int, organ string, seenID map[string]bool) []extractors.RawRecord {
	l.folds = &memoize.Table[string, string]{} // cells repeat: fold each text once
	merges := newMergeIndex(sh)
	var out []extractors.RawRecord
	var cur *extractors.RawRecord
	skipCur := false // the current export record was already taken from another sheet
	flush := func() {
		if cur != nil && !skipCur && len(cur.Fields) > 0 {
			out = append(out, *cur)
		}
		cur = nil
	}
	conf := 0.9
	if l.fields[l.key] != record.FieldActivity || l.mapped < 3 {
		conf = 0.7
	}
	nfields := 1 // organ
	for _, f := range l.fields {
		if f != "" {
			nfields++
		}
	}
	for r := l.head + 1; r < len(sh.Rows); r++ {
		row := sh.Rows[r]
		if blankRow(row) || l.repeatsHeader(row) {
			continue
		}
		line := offset + r + 1
		keyText := strings.TrimSpace(cell(sh, r, l.key))
		origin, keyCovered := merges[[2]int{r, l.key}]
		startsHere := keyText != "" && !(keyCovered && origin[0] < r)
		if startsHere || cur == nil {
			flush()
			cur = &extractors.RawRecord{Kind: record.KindActivity, Fields: make(map[string]string, nfields),
				Page: page, Line: line, EndLine: line, Confidence: conf}
			skipCur = false
			if organ != "" {
				cur.Fields[record.FieldOrgan] = organ
			}
			if l.idCol >= 0 {
				if id := strings.TrimSpace(cell(sh, r, l.idCol)); id != "" {
					skipCur = seenID[id]
					seenID[id] = true
				}
			}
		}
		cur.EndLine = line
		for c := range l.fields {
			if l.fields[c] == "" {
				continue
			}
			v := cell(sh, r, c)
			if o, ok := merges[[2]int{r, c}]; ok {
				// Covered by a merge: a vertical one from above gives its
				// value to an entry that starts here; otherwise the value
				// is already in (or belongs to the row of) its top-left cell.
				if !startsHere || o[0] >= r || o[1] != c {
					continue
				}
				v = cell(sh, o[0], o[1])
			}
			if c == l.basisTextCol && strings.TrimSpace(v) == "" && l.basisCol >= 0 {
				v = cell(sh, r, l.basisCol)
			}
			addText(cur.Fields, l.fields[c], v)
		}
	}
	flush()
	return out
}

// addText appends a cell's text to a field, a line break between.
func addText(fields map[string]string, key, v string) {
	v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
	if v == "" {
		return
	}
	if old := fields[key]; old != "" {
		v = old + "\n" + v
	}
	fields[key] = v
}

// fold is fold, remembered in l.folds when set.
func (l *layout) fold(s string) string {
	if l.folds == nil {
		return fold(s)
	}
	return l.folds.Get(s, fold)
}

func blankRow(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// repeatsHeader reports whether row repeats the header row (a header
// printed again further down, or a second copy pasted under the first):
// at least two of its cells equal the header cells of their columns and
// they are most of its non-empty cells.
func (l *layout) repeatsHeader(row []string) bool {
	same, nonEmpty := 0, 0
	for c, v := range row {
		if strings.TrimSpace(v) == "" {
			continue
		}
		nonEmpty++
		if c < len(l.texts) && l.texts[c] != "" && l.fold(v) == l.texts[c] {
			same++
		}
	}
	return same >= 2 && same*2 > nonEmpty
}
