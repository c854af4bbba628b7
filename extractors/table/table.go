// Package table rebuilds register tables (registerförteckningar printed as a
// table) from positioned words: the words of a PDF's text layer or of OCR,
// in extractors.Doc.Pages. The same code serves both sources.
//
// It finds the header row by its column names (extractors/header, so column
// order and wording may vary: "Behandlingsaktivitet"/"Behandling",
// "Ändamål med behandlingen"/"Syfte", ...), even where header cells wrap
// over several lines; takes the column boundaries from ruling lines where
// the PDF has them, else from the white space between the columns of body
// words; assigns each word to a cell; starts a new row where the first
// column starts a new entry (a ruling line or a wider vertical gap before
// it); joins a cell's wrapped lines and rejoins line-end hyphenation
// (Doc.Repair.JoinHyphen; soft hyphens are always joined); continues a table
// across pages, whether the header is repeated or not, and joins a row that
// a page break split; and skips page headers, footers and page numbers.
package table

import (
	"math"

	"github.com/registerlyft/registerlyft/extractors"
)

// Extractor is the "table" extractor.
type Extractor struct{}

// New returns the table extractor.
func New() *Extractor { return &Extractor{} }

// Name implements extractors.Extractor.
func (*Extractor) Name() string { return "table" }

// minFields is how many distinct contract keys a header row must name.
const minFields = 3

// Detect scores a document whose Pages hold a table header row: 0.98 with
// four or more recognised columns (above the flat-text table reader, which
// sees the same text without positions), 0.8 with three.
func (*Extractor) Detect(doc *extractors.Doc) float64 {
	if doc == nil {
		return 0
	}
	best := 0
	for p := range doc.Pages {
		pg := &doc.Pages[p]
		if len(pg.Words) == 0 {
			continue
		}
		lines := Lines(pg.Words)
		if h := findHeader(pg, lines); h != nil && h.fields > best {
			best = h.fields
		}
	}
	switch {
	case best >= 4:
		return 0.98
	case best >= minFields:
		return 0.8
	}
	return 0
}

// column is one table column.
type column struct {
	field       string  // contract key, or normalize.ExtraPrefix + header
	x0, x1      float64 // the header cell's extent
	left, right float64 // boundaries: a word whose centre lies in [left, right) is in the column
}

// hdr is a header row found on a page.
type hdr struct {
	cols   []column
	fields int     // distinct contract keys named
	first  int     // index of the header's first line
	last   int     // index of its last line
	bottom float64 // lowest edge of its words
}

// pline is one physical line of a page.
type pline struct {
	ids            []int // word indices, left to right
	y0, y1, center float64
}

// Extract implements extractors.Extractor: one raw record per table row,
// in document order.
func (*Extractor) Extract(doc *extractors.Doc) ([]extractors.RawRecord, error) {
	if doc == nil {
		return nil, nil
	}
	b := &builder{doc: doc}
	for p := range doc.Pages {
		b.page(p)
	}
	b.finish()
	return b.out, nil
}

// builder carries the table state across pages.
type builder struct {
	doc  *extractors.Doc
	cols []column // the current table's columns, nil before a header
	row  *row
	out  []extractors.RawRecord
	// hadFirst: the previous body line had text in the first column.
	hadFirst bool
}

// row is a table row being collected.
type row struct {
	page      int
	firstLine int // doc line number of the row's first line (0: unknown)
	lastLine  int
	cells     [][][]string // per column: lines of words
}

func (b *builder) page(p int) {
	pg := &b.doc.Pages[p]
	if len(pg.Words) == 0 {
		return
	}
	words := pg.Words
	lineIDs := Lines(words)
	lines := make([]pline, len(lineIDs))
	for k, ids := range lineIDs {
		l := pline{ids: ids, y0: math.Inf(1), y1: math.Inf(-1)}
		for _, i := range ids {
			l.y0, l.y1 = math.Min(l.y0, words[i].Y0), math.Max(l.y1, words[i].Y1)
		}
		l.center = (l.y0 + l.y1) / 2
		lines[k] = l
	}
	start := 0
	if h := findHeader(pg, lineIDs); h != nil {
		if b.cols == nil || !sameTable(b.cols, h.cols) {
			b.flush() // a new table begins
		}
		b.cols = h.cols
		start = h.last + 1
		setBoundaries(b.cols, pg, lines[start:], lines[h.first:h.last+1])
	} else if b.cols == nil {
		return
	}
	body := b.tableLines(pg, lines, start)
	pitch := linePitch(lines, body)
	hRules := horizontalRules(pg, b.cols)
	for n, k := range body {
		l := lines[k]
		cells := make([][]string, len(b.cols))
		for _, i := range l.ids {
			c := columnOf(b.cols, (words[i].X0+words[i].X1)/2)
			cells[c] = append(cells[c], words[i].Text)
		}
		newRow := false
		switch {
		case b.row == nil:
			newRow = true
		case n == 0:
			// The first body line of a page continues the last row unless
			// its first column starts a new entry: a row that the page
			// break split goes on in lower case ("självservice") or only
			// in other columns.
			newRow = len(cells[0]) > 0 && startsEntry(cells[0][0])
		default:
			prev := lines[body[n-1]]
			ruled := ruleBetween(hRules, prev.y1, l.y0)
			switch {
			case len(hRules) > 0:
				newRow = ruled
			case len(cells[0]) > 0:
				newRow = l.center-prev.center > 1.3*pitch || !b.hadFirst
			}
		}
		if newRow {
			b.flush()
			b.row = &row{page: pg.N, cells: make([][][]string, len(b.cols))}
		}
		b.hadFirst = len(cells[0]) > 0
		dl := docLine(words, l.ids)
		if b.row.firstLine == 0 {
			b.row.firstLine = dl
		}
		if dl > 0 {
			b.row.lastLine = dl
		}
		for c, ws := range cells {
			if len(ws) > 0 {
				b.row.cells[c] = append(b.row.cells[c], ws)
			}
		}
	}
}
