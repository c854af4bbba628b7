package pipeline

// Readers for tabular inputs: CSV/TSV (sniff.CSV), XLSX workbooks
// (sniff.XLSX), and legacy .xls and OpenDocument files (sniff.XLS,
// sniff.ODF), which are converted with LibreOffice when it is installed.
//
// Each fills doc.Sheets with the cell grids as shown (numbers and dates
// formatted, merged ranges listed, line breaks inside cells kept as "\n")
// and doc.Lines with a readable rendering, one line per row and the sheets
// one after another, cells joined with " | ", so that a record's provenance
// line points at its row: row r (0-based) of sheet s is line
// rows(sheets before s) + r + 1. Lines of a workbook carry the sheet's
// 1-based index as their page, CSV lines page 0.
//
// Every cell goes through the repair stage (double-encoded UTF-8, OCR
// damage) and CSV bytes through its decoder (BOM, UTF-16, UTF-8,
// Windows-1252, CP850, CP437, Mac Roman); the repairs are kept with the
// row's line. Hostile inputs end in quarantine with a reason: limits on
// line length, rows, columns, cell size and unpacked bytes keep a 100 MB
// line, a zip bomb or a million-row sheet from exhausting memory or time.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html/charset"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/sniff"
)

// Limits of the table readers. An input past one is quarantined as
// ReasonTooLarge with the limit in the detail.
const (
	// MaxTableRows is the most non-empty rows read from one file (all
	// sheets together).
	MaxTableRows = 250_000
	// MaxTableColumns is the most columns of one row.
	MaxTableColumns = 1_000
	// MaxTableCells is the most non-empty cells read from one file.
	MaxTableCells = 5_000_000
	// MaxCellBytes is the longest cell (Excel itself stops at 32,767
	// characters).
	MaxCellBytes = 128 << 10
	// MaxCSVLineBytes is the longest physical line of a CSV file.
	MaxCSVLineBytes = 1 << 20
	// MaxUnzipBytes is the most bytes an XLSX may unpack to.
	MaxUnzipBytes = 512 << 20
	// maxUnzipXMLBytes is the size above which excelize streams a worksheet
	// through a temporary file instead of memory.
	maxUnzipXMLBytes = 16 << 20
	// ConvertTimeout bounds one LibreOffice conversion.
	ConvertTimeout = 2 * time.Minute
)

func init() {
	registerReader(readCSV, sniff.CSV)
	registerReader(readXLSX, sniff.XLSX)
	registerReader(readLegacyOffice, sniff.XLS, sniff.ODF)
}

// errTooLarge builds a ReasonTooLarge quarantine.
func errTooLarge(format string, args ...any) error {
	return quarantine(ReasonTooLarge, format, args...)
}

// readCSV reads a CSV or TSV file: decode the bytes (any supported
// encoding), find the delimiter, parse with encoding/csv, repair each cell.
func readCSV(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error {
	// A line many times longer than any register row: refuse before
	// decoding (UTF-16 lines are twice as long in bytes).
	if n, at := longestLine(it.Bytes); n > 2*MaxCSVLineBytes+4 {
		return errTooLarge("CSV line %d is %d bytes long; the longest accepted is %d: not a register table", at, n, MaxCSVLineBytes)
	}
	text, enc, err := env.Repair.Decode(it.Bytes)
	if err != nil {
		return &QuarantineError{Reason: ReasonUndecodable, Detail: err.Error(), Err: err}
	}
	it.Encoding = enc
	if i := strings.IndexByte(text, 0); i >= 0 {
		return quarantine(ReasonCorrupt, "CSV has a NUL character on line %d: a binary or damaged file, not text", strings.Count(text[:i], "\n")+1)
	}
	if n, at := longestLine([]byte(text)); n > MaxCSVLineBytes {
		return errTooLarge("CSV line %d is %d bytes long; the longest accepted is %d: not a register table", at, n, MaxCSVLineBytes)
	}
	if !strings.Contains(text, "\n") && strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r", "\n") // classic Mac line ends; encoding/csv knows only LF and CRLF
	}
	delim := sniffDelimiter(text)
	rows, err := parseCSV(ctx, text, delim)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(filepath.Base(it.Rel), filepath.Ext(it.Rel))
	sh := extractors.Sheet{Name: name, Rows: rows}
	repairSheet(env, it, &sh, 0)
	doc.Sheets = []extractors.Sheet{sh}
	doc.Lines = renderLines(doc.Sheets, false)
	return nil
}

// longestLine returns the length of the longest run of bytes without a
// line end (LF, CRLF or a lone CR), and its 1-based line number.
func longestLine(b []byte) (n, line int) {
	ln := 1
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			i = len(b)
		}
		if i > n {
			n, line = i, ln
		}
		if i == len(b) {
			break
		}
		if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			i++
		}
		b = b[i+1:]
		ln++
	}
	return n, line
}

// delimiters are the CSV delimiters tried, in the order ties are broken.
var delimiters = []rune{';', '\t', ',', '|'}

// sniffDelimiter chooses the delimiter under which the first rows of text
// split most consistently: the most rows with the same number of fields
// (at least two), weighted by that number. Excel pads title rows with
// delimiters ("Registerförteckning;;;;"), so a title above the header does
// not disturb it.
func sniffDelimiter(text string) rune {
	sample := text
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
		if i := strings.LastIndexByte(sample, '\n'); i > 0 {
			sample = sample[:i]
		}
	}
	best, bestScore := ',', 0
	for _, d := range delimiters {
		r := csv.NewReader(strings.NewReader(sample))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = d, -1, true
		counts := map[int]int{}
		for rows := 0; rows < 200; rows++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if n := len(rec); n >= 2 {
				counts[n]++
			}
		}
		score := 0
		for n, c := range counts {
			if s := c * 10 * min(n, 12); s > score {
				score = s
			}
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// parseCSV parses text strictly (RFC 4180 quoting). A stray quote inside
// an unquoted cell is accepted on a second, lenient pass, unless that pass
// swallows rows into one cell; an unterminated quoted cell is not.
func parseCSV(ctx context.Context, text string, delim rune) ([][]string, error) {
	rows, err := readAllCSV(ctx, text, delim, false)
	if errors.Is(err, csv.ErrBareQuote) {
		rows, err = readAllCSV(ctx, text, delim, true)
	}
	if err != nil {
		var pe *csv.ParseError
		var q *QuarantineError
		switch {
		case errors.As(err, &q):
			return nil, q
		case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote):
			return nil, quarantine(ReasonCorrupt, "CSV has an unbalanced quote: the quoted cell that starts on line %d never ends", pe.StartLine)
		case errors.As(err, &pe):
			return nil, quarantine(ReasonCorrupt, "CSV line %d, column %d: %v", pe.Line, pe.Column, pe.Err)
		}
		return nil, err
	}
	if line, ok := swallowedRows(rows, delim); ok {
		return nil, quarantine(ReasonCorrupt, "CSV has an unbalanced quote: the cell on row %d holds whole rows of the table", line)
	}
	return rows, nil
}

func readAllCSV(ctx context.Context, text string, delim rune, lazy bool) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = delim, -1, lazy
	var rows [][]string
	nonEmpty, cells := 0, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		rec = trimRow(rec)
		if len(rec) > MaxTableColumns {
			line, _ := r.FieldPos(0)
			return nil, errTooLarge("CSV row at line %d has %d columns; the most accepted is %d", line, len(rec), MaxTableColumns)
		}
		for i, v := range rec {
			if len(v) > MaxCellBytes {
				line, _ := r.FieldPos(i)
				return nil, errTooLarge("CSV cell at line %d is %d bytes long; the longest accepted is %d", line, len(v), MaxCellBytes)
			}
			if v != "" {
				cells++
			}
		}
		if len(rec) > 0 {
			nonEmpty++
			if nonEmpty > MaxTableRows {
				return nil, errTooLarge("CSV has more than %d rows", MaxTableRows)
			}
			if cells > MaxTableCells {
				return nil, errTooLarge("CSV has more than %d cells", MaxTableCells)
			}
			if nonEmpty%4096 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
		rows = append(rows, rec)
	}
	return trimRows(rows), nil
}

// swallowedRows reports a cell that holds lines with as many delimiters
// as a row of the table has: a quote that opened and never closed where
// it should.
func swallowedRows(rows [][]string, delim rune) (row int, ok bool) {
	counts := map[int]int{}
	for _, r := range rows {
		counts[len(r)]++
	}
	width, most := 0, 0
	for n, c := range counts {
		if n >= 2 && (c > most || c == most && n > width) {
			width, most = n, c
		}
	}
	if width < 3 {
		return 0, false
	}
	for i, r := range rows {
		for _, v := range r {
			if !strings.ContainsRune(v, '\n') || strings.Count(v, string(delim)) < width-1 {
				continue
			}
			for _, l := range strings.Split(v, "\n") {
				if strings.Count(l, string(delim)) >= width-1 {
					return i + 1, true
				}
			}
		}
	}
	return 0, false
}

// trimRow drops a row's trailing empty cells and turns "\r\n" inside
// cells into "\n".
func trimRow(rec []string) []string {
	n := len(rec)
	for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
		n--
	}
	rec = rec[:n]
	for i, v := range rec {
		if strings.IndexByte(v, '\r') >= 0 {
			rec[i] = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
		}
	}
	return rec
}

// trimRows drops trailing empty rows.
func trimRows(rows [][]string) [][]string {
	n := len(rows)
	for n > 0 && len(rows[n-1]) == 0 {
		n--
	}
	return rows[:n]
}

// repairSheet repairs every cell of sh (mojibake, OCR damage) and keeps
// the repairs in it.Fixes with their row's line (lineOffset + row + 1).
// Registers repeat their cells ("Nej", "Elever", "Allmänt intresse"), so
// each distinct text is repaired once per sheet.
func repairSheet(env *Env, it *Item, sh *extractors.Sheet, lineOffset int) {
	type repaired struct {
		text  string
		fixes []record.Fix
	}
	memo := map[string]repaired{}
	for r, row := range sh.Rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			rep, ok := memo[v]
			if !ok {
				rep.text, rep.fixes = env.Repair.Text(v)
				if len(memo) < 1<<16 {
					memo[v] = rep
				}
			}
			row[c] = rep.text
			for _, f := range rep.fixes {
				f.Line = lineOffset + r + 1
				it.Fixes = append(it.Fixes, f)
			}
		}
	}
}

// renderLines renders the sheets as readable lines, one per row, cells
// joined with " | " and a cell's own line breaks shown as " / ".
func renderLines(sheets []extractors.Sheet, paged bool) []extractors.Line {
	n := 0
	for _, sh := range sheets {
		n += len(sh.Rows)
	}
	lines := make([]extractors.Line, 0, n)
	var b strings.Builder
	for s, sh := range sheets {
		page := 0
		if paged {
			page = s + 1
		}
		for _, row := range sh.Rows {
			b.Reset()
			for c, v := range row {
				if c > 0 {
					b.WriteString(" | ")
				}
				b.WriteString(strings.ReplaceAll(v, "\n", " / "))
			}
			lines = append(lines, extractors.Line{N: len(lines) + 1, Page: page, Text: strings.TrimRight(b.String(), " |")})
		}
	}
	return lines
}

// readXLSX reads every sheet of an XLSX workbook.
func readXLSX(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error {
	return readWorkbook(ctx, env, it, doc, it.Bytes)
}

// readWorkbook reads the XLSX bytes b into doc. Anything excelize panics
// on is quarantined as a corrupt file.
func readWorkbook(ctx context.Context, env *Env, it *Item, doc *extractors.Doc, b []byte) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = quarantine(ReasonCorrupt, "XLSX could not be read (the reader failed: %v)", p)
		}
	}()
	zc, err := scanZip(b)
	if err != nil {
		return err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit:    MaxUnzipBytes,
		UnzipXMLSizeLimit: maxUnzipXMLBytes,
	})
	if err != nil {
		return xlsxError(err)
	}
	defer f.Close()
	// Merged ranges: excelize reads them only by parsing a whole worksheet
	// into memory a second time, after the rows were streamed, which costs
	// more than the streaming itself. A workbook whose parts never mention
	// a mergeCell has none, and skips that parse; its worksheets are
	// instead checked to be well-formed XML, on the other core while the
	// rows stream, because the streaming reader stops quietly at the
	// first syntax error, and a damaged sheet must be quarantined, not
	// read in part.
	var wellFormed chan error
	if !zc.mayMerge {
		vctx, cancel := context.WithCancel(ctx)
		defer cancel()
		wellFormed = make(chan error, 1)
		go func() { wellFormed <- checkXMLParts(vctx, b, zc.sheetParts) }()
	}
	var sheets []extractors.Sheet
	total, cells := 0, 0
	for _, name := range f.GetSheetList() {
		sh, err := readSheet(ctx, f, name, &total, &cells, zc.mayMerge)
		if err != nil {
			return err
		}
		sheets = append(sheets, sh)
	}
	if wellFormed != nil {
		if err := <-wellFormed; err != nil {
			return err
		}
	}
	offset := 0
	for i := range sheets {
		repairSheet(env, it, &sheets[i], offset)
		offset += len(sheets[i].Rows)
	}
	doc.Sheets = sheets
	doc.Lines = renderLines(sheets, true)
	return nil
}

// checkZip refuses a container that would unpack to more than
// MaxUnzipBytes by the sizes its directory declares, then unpacks every
// part once (to nowhere) to check it: archive/zip stops at a part's
// declared size and checks its CRC, so a part that lies about its size
// (a zip bomb that declares little) or is damaged is caught here with a
// clear reason, and no more than the declared bytes are ever inflated.
func checkZip(b []byte) error {
	_, err := scanZip(b)
	return err
}

// zipContents is what scanZip learns of a workbook's parts.
type zipContents struct {
	// mayMerge: some part mentions "mergeCell", or is not in an
	// ASCII-compatible encoding (so that it could not be searched): a
	// worksheet may have merged ranges.
	mayMerge bool
	// sheetParts are the parts that mention "sheetData": the worksheets
	// (and perhaps a part that holds the word as text).
	sheetParts []string
}

// scanZip is checkZip, and searches the parts as it unpacks them for what
// zipContents tells.
func scanZip(b []byte) (zipContents, error) {
	var zc zipContents
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return zc, quarantine(ReasonCorrupt, "XLSX is not a readable zip container: %v", err)
	}
	if len(zr.File) > 10_000 {
		return zc, errTooLarge("XLSX holds %d parts; the most accepted is 10000", len(zr.File))
	}
	var sum uint64
	for _, zf := range zr.File {
		sum += zf.UncompressedSize64
		if sum > MaxUnzipBytes {
			return zc, errTooLarge("XLSX unpacks to more than %d bytes (%s alone declares %d): a zip bomb, or far larger than any register", MaxUnzipBytes, zf.Name, zf.UncompressedSize64)
		}
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return zc, quarantine(ReasonCorrupt, "XLSX part %s: %v", zf.Name, err)
		}
		words := newWordFinder("mergeCell", "sheetData")
		n, err := io.Copy(words, io.LimitReader(rc, int64(zf.UncompressedSize64)+1))
		rc.Close()
		switch {
		case err != nil:
			return zc, quarantine(ReasonCorrupt, "XLSX part %s does not unpack as its directory says (%v): damaged, or a zip bomb", zf.Name, err)
		case uint64(n) != zf.UncompressedSize64:
			return zc, quarantine(ReasonCorrupt, "XLSX part %s unpacks to %d bytes, its directory says %d: damaged, or a zip bomb", zf.Name, n, zf.UncompressedSize64)
		}
		if words.found[0] || !words.asciiCompatible() {
			zc.mayMerge = true
		}
		if words.found[1] {
			zc.sheetParts = append(zc.sheetParts, zf.Name)
		}
	}
	return zc, nil
}

// wordFinder is an io.Writer that notes which of its words the bytes
// written hold (a word may straddle two writes), and keeps the first
// bytes written.
type wordFinder struct {
	words [][]byte
	found []bool
	tail  []byte // the last bytes written, shorter than the longest word
	head  []byte // the first 4 bytes written
}

func newWordFinder(words ...string) *wordFinder {
	w := &wordFinder{found: make([]bool, len(words))}
	for _, s := range words {
		w.words = append(w.words, []byte(s))
	}
	return w
}

func (w *wordFinder) Write(p []byte) (int, error) {
	if len(w.head) < 4 {
		w.head = append(w.head, p[:min(len(p), 4-len(w.head))]...)
	}
	longest := 0
	for _, word := range w.words {
		longest = max(longest, len(word))
	}
	// Words across the boundary: the tail and the start of p.
	edge := append(append([]byte(nil), w.tail...), p[:min(len(p), longest-1)]...)
	for i, word := range w.words {
		if !w.found[i] && (bytes.Contains(edge, word) || bytes.Contains(p, word)) {
			w.found[i] = true
		}
	}
	if keep := longest - 1; len(p) >= keep {
		w.tail = append(w.tail[:0], p[len(p)-keep:]...)
	} else {
		w.tail = append(w.tail, p...)
		if len(w.tail) > keep {
			w.tail = w.tail[len(w.tail)-keep:]
		}
	}
	return len(p), nil
}

// asciiCompatible reports whether the bytes written can be searched for
// ASCII words: they do not start as UTF-16 or UTF-32 text does (a byte
// order mark, or a NUL among the first bytes of "<?xml").
func (w *wordFinder) asciiCompatible() bool {
	h := w.head
	if len(h) >= 2 && (h[0] == 0xFE && h[1] == 0xFF || h[0] == 0xFF && h[1] == 0xFE) {
		return false
	}
	return bytes.IndexByte(h, 0) < 0
}

// checkXMLParts checks that the named parts of the zip b are well-formed
// XML: encoding/xml's strict decoder, set up as excelize sets up its own,
// reads each through the end of its root element, as excelize's full parse
// of a worksheet would.
func checkXMLParts(ctx context.Context, b []byte, names []string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = quarantine(ReasonCorrupt, "XLSX could not be read (the XML check failed: %v)", p)
		}
	}()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return quarantine(ReasonCorrupt, "XLSX is not a readable zip container: %v", err)
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for _, zf := range zr.File {
		if !want[zf.Name] {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return quarantine(ReasonCorrupt, "XLSX part %s: %v", zf.Name, err)
		}
		d := xml.NewDecoder(bufio.NewReaderSize(rc, 64<<10))
		d.CharsetReader = charset.NewReaderLabel
		depth := 0
		for n := 0; ; n++ {
			var tok xml.Token
			tok, err = d.Token()
			if err == io.EOF {
				err = nil
				break
			}
			if err != nil {
				break
			}
			switch tok.(type) {
			case xml.StartElement:
				depth++
			case xml.EndElement:
				depth--
			}
			if _, end := tok.(xml.EndElement); end && depth == 0 {
				break // the root element's end: excelize reads no further
			}
			if n%65536 == 0 && ctx.Err() != nil {
				rc.Close()
				return ctx.Err()
			}
		}
		rc.Close()
		if err != nil {
			return quarantine(ReasonCorrupt, "XLSX worksheet %s is not well-formed XML: %v", zf.Name, err)
		}
	}
	return nil
}

// xlsxError turns an excelize open error into a quarantine.
func xlsxError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, excelize.ErrWorkbookPassword), errors.Is(err, excelize.ErrWorkbookFileFormat):
		return &QuarantineError{Reason: ReasonEncrypted, Detail: "the workbook is password-protected; open it in Excel or LibreOffice, remove the password and save it again", Err: err}
	case strings.Contains(msg, "unzip size"):
		return &QuarantineError{Reason: ReasonTooLarge, Detail: "XLSX: " + msg, Err: err}
	}
	return &QuarantineError{Reason: ReasonCorrupt, Detail: "XLSX: " + msg, Err: err}
}

// readSheet reads one worksheet through excelize's streaming row reader,
// counting rows and cells against the limits, and its merged ranges when
// the workbook may have some.
func readSheet(ctx context.Context, f *excelize.File, name string, total, cells *int, mayMerge bool) (extractors.Sheet, error) {
	sh := extractors.Sheet{Name: name}
	rows, err := f.Rows(name)
	if err != nil {
		return sh, quarantine(ReasonCorrupt, "XLSX sheet %q: %v", name, err)
	}
	defer rows.Close()
	var grid [][]string
	last := 0 // rows up to the last non-empty one
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return sh, quarantine(ReasonCorrupt, "XLSX sheet %q row %d: %v", name, len(grid)+1, err)
		}
		cols = trimRow(cols)
		if len(cols) > 0 {
			*total++
			if *total > MaxTableRows {
				return sh, errTooLarge("XLSX has more than %d rows (sheet %q)", MaxTableRows, name)
			}
			if len(cols) > MaxTableColumns {
				return sh, errTooLarge("XLSX sheet %q row %d has %d columns; the most accepted is %d", name, len(grid)+1, len(cols), MaxTableColumns)
			}
			for _, v := range cols {
				if len(v) > MaxCellBytes {
					return sh, errTooLarge("XLSX sheet %q row %d has a cell of %d bytes; the longest accepted is %d", name, len(grid)+1, len(v), MaxCellBytes)
				}
				if v != "" {
					*cells++
				}
			}
			if *cells > MaxTableCells {
				return sh, errTooLarge("XLSX has more than %d cells", MaxTableCells)
			}
			if *total%4096 == 0 && ctx.Err() != nil {
				return sh, ctx.Err()
			}
			// Empty rows between are kept (merges count rows), but only
			// materialised once a non-empty row follows them.
			for len(grid) < last {
				grid = append(grid, nil)
			}
			grid = append(grid, cols)
			last = len(grid)
		} else {
			last++
			if last-len(grid) > 1_048_576 {
				break
			}
		}
	}
	if err := rows.Error(); err != nil {
		return sh, quarantine(ReasonCorrupt, "XLSX sheet %q: %v", name, err)
	}
	sh.Rows = grid
	if !mayMerge {
		return sh, nil
	}
	merges, err := f.GetMergeCells(name, true)
	if err != nil {
		return sh, quarantine(ReasonCorrupt, "XLSX sheet %q merged cells: %v", name, err)
	}
	for _, m := range merges {
		c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r0 > len(grid) {
			continue
		}
		sh.Merge = append(sh.Merge, extractors.Merge{Row0: r0 - 1, Col0: c0 - 1, Row1: min(r1, len(grid)) - 1, Col1: c1 - 1})
	}
	return sh, nil
}

// readLegacyOffice reads a legacy OLE office file (.xls, .doc) or an
// OpenDocument file (.ods, .odt) by converting it with LibreOffice: a
// spreadsheet to XLSX, a text document to plain text. Without LibreOffice
// the file is quarantined with a note on how to convert it.
func readLegacyOffice(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error {
	kind, ext, err := legacyKind(it)
	if err != nil {
		return err
	}
	soffice := findSoffice()
	if soffice == "" {
		return quarantine(ReasonUnsupported, "%s: LibreOffice is not installed; install it (apt-get install libreoffice-calc libreoffice-writer) or save the file as %s in Excel/Word and ingest it again",
			kind, map[bool]string{true: ".xlsx", false: ".docx or .txt"}[isSheetExt(ext)])
	}
	target := "xlsx"
	if !isSheetExt(ext) {
		target = "txt:Text (encoded):UTF8"
	}
	out, err := convertOffice(ctx, soffice, it.Bytes, ext, target)
	if err != nil {
		return err
	}
	it.Encoding = "converted from " + strings.TrimPrefix(ext, ".") + " by LibreOffice"
	if !isSheetExt(ext) {
		text, _, err := env.Repair.Decode(out)
		if err != nil {
			return &QuarantineError{Reason: ReasonUndecodable, Detail: err.Error(), Err: err}
		}
		setLines(env, it, doc, strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n"))
		return nil
	}
	return readWorkbook(ctx, env, it, doc, out)
}

func isSheetExt(ext string) bool { return ext == ".xls" || ext == ".ods" }

// legacyKind tells what an OLE or OpenDocument container holds, and the
// extension LibreOffice should see. Encrypted files are quarantined here:
// a password-protected XLSX is an OLE container too.
func legacyKind(it *Item) (kind, ext string, err error) {
	b := it.Bytes
	if it.Kind == sniff.ODF {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return "", "", quarantine(ReasonCorrupt, "OpenDocument file is not a readable zip container: %v", err)
		}
		mime := ""
		for _, zf := range zr.File {
			if zf.Name == "mimetype" && zf.UncompressedSize64 < 200 {
				if rc, err := zf.Open(); err == nil {
					m, _ := io.ReadAll(io.LimitReader(rc, 200))
					rc.Close()
					mime = strings.TrimSpace(string(m))
				}
			}
			if zf.Name == "META-INF/manifest.xml" && zf.UncompressedSize64 < 1<<20 {
				if rc, err := zf.Open(); err == nil {
					m, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
					rc.Close()
					if bytes.Contains(m, []byte("encryption-data")) {
						return "", "", quarantine(ReasonEncrypted, "the OpenDocument file is password-protected; open it in LibreOffice, remove the password and save it again")
					}
				}
			}
		}
		switch {
		case strings.Contains(mime, "spreadsheet"):
			return "OpenDocument spreadsheet (.ods)", ".ods", nil
		case strings.Contains(mime, "opendocument.text"):
			return "OpenDocument text (.odt)", ".odt", nil
		}
		return "", "", quarantine(ReasonUnsupported, "OpenDocument file of type %q is not a spreadsheet or text document", mime)
	}
	has := func(stream string) bool {
		u := make([]byte, 0, 2*len(stream))
		for _, c := range []byte(stream) {
			u = append(u, c, 0)
		}
		return bytes.Contains(b, u)
	}
	switch {
	case has("EncryptedPackage") || has("EncryptionInfo"):
		return "", "", quarantine(ReasonEncrypted, "the document is password-protected (an encrypted Office file: a Word document or an Excel workbook); open it in Word, Excel or LibreOffice, remove the password and save it again")
	case has("Workbook") || has("Book"):
		return "legacy Excel workbook (.xls)", ".xls", nil
	case has("WordDocument"):
		return "legacy Word document (.doc)", ".doc", nil
	}
	return "", "", quarantine(ReasonUnsupported, "an OLE office file that is neither an Excel workbook nor a Word document")
}

// findSoffice returns LibreOffice's command, or "" when it is not installed.
func findSoffice() string {
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// convertOffice converts b (a file with extension ext) with LibreOffice
// to target ("xlsx", "txt:…") and returns the result's bytes. Each run
// has its own profile directory, so conversions may run side by side, and
// a time limit; on the limit the whole process group is killed.
func convertOffice(ctx context.Context, soffice string, b []byte, ext, target string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "registerlyft-convert-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "input"+ext)
	if err := os.WriteFile(in, b, 0o600); err != nil {
		return nil, err
	}
	outDir := filepath.Join(dir, "out")
	ctx, cancel := context.WithTimeout(ctx, ConvertTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice,
		"-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--norestore", "--nolockcheck", "--convert-to", target, "--outdir", outDir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	runErr := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return nil, quarantine(ReasonCorrupt, "LibreOffice did not convert the %s file within %s", ext, ConvertTimeout)
	}
	outExt := "." + strings.SplitN(target, ":", 2)[0]
	out, err := os.ReadFile(filepath.Join(outDir, "input"+outExt))
	if err != nil {
		detail := strings.TrimSpace(stderr.String())
		if runErr != nil {
			detail = runErr.Error() + ": " + detail
		}
		return nil, quarantine(ReasonCorrupt, "LibreOffice could not convert the %s file (%s)", ext, firstLine(detail))
	}
	return out, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300]
	}
	if s == "" {
		return "no output"
	}
	return s
}
