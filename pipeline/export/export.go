// Package export writes records back out for the people who keep the
// register: one row per record with the contract's fields under Swedish
// column names, as CSV (UTF-8 with a byte-order mark and ";" between
// cells, so that Excel with Swedish settings opens it right), as XLSX (a
// frozen header row with filters, set column widths, wrapped text, the
// quality warnings in a column of their own, and optionally one sheet per
// board, nämnd) or as JSON Lines (the records as they are).
//
// List fields are written one item per line inside their cell ("\n"), the
// way the table readers read lists, so an export read back by registerlyft
// gives the same records (the round trip): the columns that are derived on
// import (Känsliga personuppgifter, the normalized Rättslig grund,
// Kvalitetsvarningar, Typ, Fil, Sida, Rad, Id) are recomputed there, and a
// record repeated on a board's sheet is taken once (by its Id).
//
// The functions take the records and an io.Writer, so a command line
// export and a web server's download share them.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Formats.
const (
	CSV   = "csv"
	XLSX  = "xlsx"
	JSONL = "jsonl"
)

// Formats lists the formats Write knows.
var Formats = []string{CSV, XLSX, JSONL}

// ContentType returns the MIME type of a format ("" for an unknown one).
func ContentType(format string) string {
	switch format {
	case CSV:
		return "text/csv; charset=utf-8"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case JSONL:
		return "application/x-ndjson"
	}
	return ""
}

// Options tune an export.
type Options struct {
	// PerOrgan adds, in an XLSX export, one sheet per board (organ) after
	// the sheet that holds every record.
	PerOrgan bool
}

// Write writes recs in the given format.
func Write(w io.Writer, format string, recs []record.Record, opt Options) error {
	switch format {
	case CSV:
		return WriteCSV(w, recs)
	case XLSX:
		return WriteXLSX(w, recs, opt)
	case JSONL:
		return WriteJSONL(w, recs)
	}
	return fmt.Errorf("export: unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// Column names. The order is the order of the columns.
const (
	ColActivity       = "Behandling"
	ColPurpose        = "Ändamål"
	ColDataSubjects   = "Kategorier av registrerade"
	ColPersonalData   = "Kategorier av personuppgifter"
	ColSensitive      = "Känsliga personuppgifter"
	ColLegalBasis     = "Rättslig grund"
	ColLegalBasisText = "Rättslig grund (text)"
	ColRetention      = "Lagringstid"
	ColRecipients     = "Mottagare"
	ColSources        = "Källa"
	ColThirdCountry   = "Överföring till tredje land"
	ColAutomated      = "Automatiserat beslutsfattande"
	ColSystem         = "System"
	ColSecurity       = "Säkerhetsåtgärder"
	ColMunicipality   = "Kommun"
	ColOrgan          = "Nämnd"
	ColWarnings       = "Kvalitetsvarningar"
	ColKind           = "Typ"
	ColFile           = "Fil"
	ColPage           = "Sida"
	ColLine           = "Rad"
	ColID             = "Id"
)

type column struct {
	name  string
	value func(r *record.Record) string
	width float64 // XLSX width ceiling, characters
}

func list(items []string) string { return strings.Join(items, "\n") }

func num(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// leading are the contract columns before the extra ones.
var leading = []column{
	{ColActivity, func(r *record.Record) string {
		if r.Activity == "" && r.Kind == record.KindDocument {
			return r.Title
		}
		return r.Activity
	}, 40},
	{ColPurpose, func(r *record.Record) string { return r.Purpose }, 60},
	{ColDataSubjects, func(r *record.Record) string { return list(r.DataSubjects) }, 40},
	{ColPersonalData, func(r *record.Record) string { return list(r.PersonalData) }, 50},
	{ColSensitive, func(r *record.Record) string { return list(r.SensitiveData) }, 30},
	{ColLegalBasis, func(r *record.Record) string { return list(r.LegalBasis) }, 30},
	{ColLegalBasisText, func(r *record.Record) string { return r.LegalBasisText }, 50},
	{ColRetention, func(r *record.Record) string { return r.Retention }, 40},
	{ColRecipients, func(r *record.Record) string { return list(r.Recipients) }, 40},
	{ColSources, func(r *record.Record) string { return list(r.Sources) }, 40},
	{ColThirdCountry, func(r *record.Record) string { return r.ThirdCountry }, 30},
	{ColAutomated, func(r *record.Record) string { return r.AutomatedDecisions }, 30},
	{ColSystem, func(r *record.Record) string { return r.System }, 30},
	{ColSecurity, func(r *record.Record) string { return r.SecurityMeasures }, 40},
	{ColMunicipality, func(r *record.Record) string { return r.Municipality }, 25},
	{ColOrgan, func(r *record.Record) string { return r.Organ }, 30},
}

// trailing are the derived and provenance columns after the extra ones.
var trailing = []column{
	{ColWarnings, func(r *record.Record) string { return Warnings(r) }, 60},
	{ColKind, func(r *record.Record) string {
		if r.Kind == record.KindDocument {
			return "dokument"
		}
		return "behandling"
	}, 12},
	{ColFile, func(r *record.Record) string { return r.Provenance.File }, 40},
	{ColPage, func(r *record.Record) string { return num(r.Provenance.Page) }, 6},
	{ColLine, func(r *record.Record) string { return num(r.Provenance.Line) }, 6},
	{ColID, func(r *record.Record) string { return r.ID }, 18},
}

// Warnings renders a record's quality warnings, one per line:
// "Q1 error (purpose): purpose is not stated".
func Warnings(r *record.Record) string {
	lines := make([]string, 0, len(r.Quality.Warnings))
	for _, w := range r.Quality.Warnings {
		s := w.Code + " " + w.Severity
		if w.Field != "" {
			s += " (" + w.Field + ")"
		}
		lines = append(lines, s+": "+w.Message)
	}
	return strings.Join(lines, "\n")
}

// table is the header and rows of an export.
type table struct {
	cols []column
}

// newTable lays out the columns for recs: the contract columns, one column
// per key of the records' Extra (sorted), then the derived ones.
func newTable(recs []record.Record) *table {
	seen := map[string]bool{}
	var extras []string
	for i := range recs {
		for k := range recs[i].Extra {
			if !seen[k] {
				seen[k] = true
				extras = append(extras, k)
			}
		}
	}
	sort.Strings(extras)
	t := &table{cols: append([]column(nil), leading...)}
	for _, k := range extras {
		t.cols = append(t.cols, column{k, func(r *record.Record) string { return r.Extra[k] }, 40})
	}
	t.cols = append(t.cols, trailing...)
	return t
}

// Header returns the column names of an export of recs.
func Header(recs []record.Record) []string {
	return newTable(recs).header()
}

func (t *table) header() []string {
	h := make([]string, len(t.cols))
	for i, c := range t.cols {
		h[i] = c.name
	}
	return h
}

func (t *table) row(r *record.Record) []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.value(r)
	}
	return out
}

// WriteCSV writes recs as CSV: UTF-8 with a byte-order mark, ";" between
// cells, CRLF line ends, a header row. A cell that begins like a formula
// ("=", "+", "-", "@") gets a leading apostrophe, so that a spreadsheet
// shows it as text instead of running it.
func WriteCSV(w io.Writer, recs []record.Record) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	t := newTable(recs)
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	if err := cw.Write(t.header()); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	for i := range recs {
		row := t.row(&recs[i])
		for j, v := range row {
			if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
				row[j] = "'" + v
			}
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("export csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export csv: %w", err)
	}
	return nil
}

// WriteJSONL writes recs as JSON Lines, one record per line, as in
// records.jsonl.
func WriteJSONL(w io.Writer, recs []record.Record) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range recs {
		if err := enc.Encode(&recs[i]); err != nil {
			return fmt.Errorf("export jsonl: record %s: %w", recs[i].ID, err)
		}
	}
	return nil
}

// maxCellChars is Excel's limit on a cell's text.
const maxCellChars = 32767

// SheetAll names the XLSX sheet that holds every record.
const SheetAll = "Register"

// WriteXLSX writes recs as an XLSX workbook: the sheet "Register" with
// every record and, when opt.PerOrgan is set, one sheet per board in
// order of first appearance ("Utan nämnd" for records without one).
func WriteXLSX(w io.Writer, recs []record.Record, opt Options) error {
	f := excelize.NewFile()
	defer f.Close()
	t := newTable(recs)
	styles, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	if err := f.SetSheetName("Sheet1", SheetAll); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	if err := writeSheet(f, SheetAll, t, recs, styles); err != nil {
		return err
	}
	if opt.PerOrgan {
		var order []string
		groups := map[string][]record.Record{}
		for _, r := range recs {
			o := r.Organ
			if o == "" {
				o = "Utan nämnd"
			}
			if _, ok := groups[o]; !ok {
				order = append(order, o)
			}
			groups[o] = append(groups[o], r)
		}
		used := map[string]bool{strings.ToLower(SheetAll): true}
		for _, o := range order {
			name := sheetName(o, used)
			if _, err := f.NewSheet(name); err != nil {
				return fmt.Errorf("export xlsx: sheet %q: %w", name, err)
			}
			if err := writeSheet(f, name, t, groups[o], styles); err != nil {
				return err
			}
		}
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}

type sheetStyles struct{ header, body, number int }

func newStyles(f *excelize.File) (sheetStyles, error) {
	var s sheetStyles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	}); err != nil {
		return s, err
	}
	if s.body, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return s, err
	}
	s.number, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	return s, err
}

// sheetName makes a valid, unused sheet name of s: at most 31 characters,
// none of : \ / ? * [ ].
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.Trim(s, "'")
	if s == "" {
		s = "Nämnd"
	}
	base := truncateRunes(s, 31)
	name := base
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = truncateRunes(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// tableName names the table of sheet: "Register", then "Tabell2", ….
func tableName(f *excelize.File, sheet string) string {
	i, _ := f.GetSheetIndex(sheet)
	if i <= 0 {
		return "Register"
	}
	return fmt.Sprintf("Tabell%d", i+1)
}

// writeSheet writes one sheet through excelize's stream writer: widths,
// a frozen header row, the rows, and a table over the whole range that
// gives the header its filter buttons.
func writeSheet(f *excelize.File, name string, t *table, recs []record.Record, st sheetStyles) error {
	fail := func(err error) error { return fmt.Errorf("export xlsx: sheet %q: %w", name, err) }
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fail(err)
	}
	rows := make([][]string, len(recs))
	widths := make([]float64, len(t.cols))
	for i, c := range t.cols {
		widths[i] = float64(utf8.RuneCountInString(c.name)) + 3
	}
	for i := range recs {
		rows[i] = t.row(&recs[i])
		for j, v := range rows[i] {
			for _, l := range strings.Split(v, "\n") {
				widths[j] = max(widths[j], float64(utf8.RuneCountInString(l))+2)
			}
		}
	}
	for j, c := range t.cols {
		if err := sw.SetColWidth(j+1, j+1, min(max(widths[j], 8), c.width)); err != nil {
			return fail(err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return fail(err)
	}
	head := make([]any, len(t.cols))
	for j, h := range t.header() {
		head[j] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fail(err)
	}
	cells := make([]any, len(t.cols))
	for i, row := range rows {
		for j, v := range row {
			switch name := t.cols[j].name; {
			case (name == ColPage || name == ColLine) && v != "":
				n, _ := strconv.Atoi(v)
				cells[j] = excelize.Cell{StyleID: st.number, Value: n}
			default:
				if utf8.RuneCountInString(v) > maxCellChars {
					v = truncateRunes(v, maxCellChars-1) + "…"
				}
				cells[j] = excelize.Cell{StyleID: st.body, Value: v}
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return fail(err)
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return fail(err)
		}
	}
	// The filter buttons come with a table over the whole range (the
	// stream writer keeps no plain autoFilter).
	last, err := excelize.CoordinatesToCellName(len(t.cols), len(rows)+1)
	if err != nil {
		return fail(err)
	}
	noStripes := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: tableName(f, name),
		StyleName: "TableStyleLight1", ShowRowStripes: &noStripes}); err != nil {
		return fail(err)
	}
	if err := sw.Flush(); err != nil {
		return fail(err)
	}
	return nil
}
