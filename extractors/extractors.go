// Package extractors defines what an extractor is: a layout-specific piece
// that turns one decoded and repaired document (Doc) into raw records
// (RawRecord). Each input kind or layout lives in its own sub-package
// (notice, flattable, memo, infopage, ...); the pipeline picks the one whose
// Detect score is highest and passes its RawRecords on to normalization.
//
// Extractors never normalize: they find where each field's text is and hand
// it on as written (after repair), with line breaks ("\n") where the source
// had them, so that the normalize stage can split lists the same way for
// every input.
package extractors

import "github.com/registerlyft/registerlyft/pipeline/record"

// Line is one physical line of the extracted text.
type Line struct {
	N    int    // 1-based line number in the extracted text
	Page int    // 1-based page, 0 when the input is not paged
	Text string // repaired text of the line
}

// Doc is one input document after reading, decoding and text repair.
type Doc struct {
	Path   string // path relative to the ingest root
	Format string // txt, html, pdf, scan, csv, xlsx, docx
	Title  string // a title the container gave (HTML <title>), if any
	Lines  []Line // the repaired text, one entry per physical line
	// Headings marks lines that the container itself declared as headings
	// (HTML h1–h6, DOCX heading styles), by line number. Plain text has none.
	Headings map[int]bool

	// Controller facts found in the document as a whole (by the pipeline,
	// before extraction); extractors may override them per record.
	Municipality string
	Organ        string

	// Repair is the text-repair stage, for joins an extractor makes
	// (a word split by a line-end hyphen, cells wrapped over lines).
	Repair Repairer

	// Pages holds words with their positions, for inputs that have a
	// geometry (PDF text layer, OCR of scans). Lines then holds the same
	// text in reading order, one entry per physical line.
	Pages []Page

	// Sheets holds the cell grids of tabular inputs (CSV/TSV, XLSX), one
	// per sheet, with cell text already decoded and repaired.
	Sheets []Sheet
}

// Page sources (Page.Source): where a page's words come from.
const (
	SourceTextLayer = "text layer" // a PDF's text layer
	SourceOCR       = "ocr"        // Tesseract, from a scan
)

// Page is one page of positioned words. Coordinates are in points (1/72
// inch) from the top-left corner of the page, y growing downwards.
type Page struct {
	N             int     // 1-based page number
	Width, Height float64 // page size in points
	Source        string  // SourceTextLayer or SourceOCR
	Words         []Word
	Rules         []Rule // ruling lines (table borders), where known
}

// Word is one word with its bounding box.
type Word struct {
	Text           string
	X0, Y0, X1, Y1 float64 // bounding box, points, top-left origin
	Block, Line    int     // OCR block and line numbers (0 when unknown)
	Conf           float64 // recognition confidence 0–1 (1 for a text layer)
}

// Rule is a horizontal or vertical ruling line of a page.
type Rule struct {
	X0, Y0, X1, Y1 float64
}

// Sheet is one table of cells: a CSV file or one sheet of a workbook.
type Sheet struct {
	Name  string
	Rows  [][]string // rows of cells, as shown (numbers and dates formatted)
	Merge []Merge    // merged cell ranges (XLSX)
}

// Merge is a merged range of cells, 0-based and inclusive.
type Merge struct {
	Row0, Col0, Row1, Col1 int
}

// Repairer is the part of the repair stage that extractors use.
type Repairer interface {
	// JoinHyphen joins a word split by a line-end hyphen: ("Intresseav-",
	// "vägning") gives "Intresseavvägning", while ("EU-", "kommissionens")
	// keeps the hyphen: "EU-kommissionens". left ends with the hyphen.
	JoinHyphen(left, right string) string
}

// Text returns the document's lines joined with "\n".
func (d *Doc) Text() string {
	n := 0
	for _, l := range d.Lines {
		n += len(l.Text) + 1
	}
	b := make([]byte, 0, n)
	for i, l := range d.Lines {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(b, l.Text...)
	}
	return string(b)
}

// RawRecord is what an extractor found for one activity or document, before
// normalization.
type RawRecord struct {
	Kind string // record.KindActivity or record.KindDocument

	// Fields holds each contract field's text as written (after repair),
	// keyed by contract key (record.FieldPurpose, ...). For legal_basis the
	// value is the legal-basis text as written. Line breaks of the source
	// that separate items (bullets, one item per line) are kept as "\n";
	// lines that only wrap a sentence are joined with a space.
	Fields map[string]string

	// ActivityInferred is true when the activity name was derived (e.g. from
	// the purpose) because the source lost its heading.
	ActivityInferred bool

	// Where the record came from in Doc.Lines.
	Page, Line, EndLine int

	// Confidence (0–1) that the fields were placed right; extractors lower
	// it where a fragment could not be placed with confidence.
	Confidence float64

	// Document holds the facts of a document record (title, date, sections,
	// text, org number, ...); normalization copies it as it is. Nil for
	// activities.
	Document *record.Record
}

// Certain is the highest Detect score: the document is this extractor's
// layout beyond doubt, and the layout stage asks no further extractor.
const Certain = 1.0

// Extractor turns a Doc into raw records.
type Extractor interface {
	// Name identifies the extractor in provenance ("notice", "flattable", ...).
	Name() string
	// Detect scores how well the document fits this extractor's layout,
	// from 0 (not at all) to 1 (Certain). Extractors are asked in order and
	// ties go to the earlier one, so a score of Certain ends the search:
	// the extractors after it are not asked (their Detect may scan every
	// line; a cell grid claimed by the sheet extractor need not be read as
	// prose). Return Certain only when no other layout could fit better.
	Detect(doc *Doc) float64
	// Extract returns the records in document order.
	Extract(doc *Doc) ([]RawRecord, error)
}
