package web

import (
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/registerlyft/registerlyft/index"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// ExportColumns are the columns of an exported result set: the keys of the
// record contract (shared/record-format.md), with provenance and quality
// spread over plain columns. Lists are joined with "; ".
var ExportColumns = []string{
	"id", "kind", "municipality", "organ", "activity", "purpose",
	"data_subjects", "personal_data", "sensitive_data", "legal_basis", "legal_basis_text",
	"retention", "recipients", "sources", "third_country", "automated_decisions",
	"title", "date", "text",
	"file", "page", "line", "format", "extractor", "confidence",
	"missing", "warnings",
}

// maxCellRunes is the longest text a spreadsheet cell holds (Excel's limit).
const maxCellRunes = 32767

// ExportRow returns rec's values in the order of ExportColumns.
func ExportRow(r *record.Record) []string {
	list := func(v []string) string { return strings.Join(v, "; ") }
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	var warns []string
	for _, w := range r.Quality.Warnings {
		warns = append(warns, fmt.Sprintf("%s %s: %s", w.Code, w.Severity, w.Message))
	}
	return []string{
		r.ID, r.Kind, r.Municipality, r.Organ, r.Activity, r.Purpose,
		list(r.DataSubjects), list(r.PersonalData), list(r.SensitiveData), list(r.LegalBasis), r.LegalBasisText,
		r.Retention, list(r.Recipients), list(r.Sources), r.ThirdCountry, r.AutomatedDecisions,
		r.Title, r.Date, r.Text,
		r.Provenance.File, num(r.Provenance.Page), num(r.Provenance.Line), r.Provenance.Format, r.Provenance.Extractor,
		strconv.FormatFloat(r.Provenance.Confidence, 'f', 2, 64),
		list(r.Quality.Missing), list(warns),
	}
}

// exportBatch is the page size used to collect the hits of an export.
const exportBatch = 1000

// collect returns up to MaxExport records matching r, best first.
func (s *Server) collect(req *http.Request, r request) ([]record.Record, uint64, error) {
	var out []record.Record
	q := r.query(false)
	q.Facets = []string{index.KeyKind}
	q.Size = exportBatch
	for q.From = 0; q.From < MaxExport; q.From += exportBatch {
		res, err := s.backend.Search(req.Context(), q)
		if err != nil {
			return nil, 0, err
		}
		for _, h := range res.Hits {
			if len(out) < MaxExport {
				out = append(out, h.Record)
			}
		}
		if len(res.Hits) < exportBatch || uint64(q.From+exportBatch) >= res.Total {
			return out, res.Total, nil
		}
	}
	return out, uint64(len(out)), nil
}

func (s *Server) handleExport(w http.ResponseWriter, req *http.Request) {
	v := req.URL.Query()
	format := strings.ToLower(strings.TrimSpace(v.Get("format")))
	if format != "xlsx" {
		format = "csv"
	}
	r := parseRequest(v, exportBatch)
	recs, total, err := s.collect(req, r)
	if err != nil {
		log.Printf("web: export %q: %v", r.Text, err)
		writeJSON(w, http.StatusInternalServerError, ErrorResponse{"search failed: " + err.Error()})
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Registerlyft-Total", strconv.FormatUint(total, 10))
	h.Set("X-Registerlyft-Exported", strconv.Itoa(len(recs)))
	switch format {
	case "xlsx":
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		h.Set("Content-Disposition", `attachment; filename="registerlyft-export.xlsx"`)
		if err := WriteXLSX(w, recs); err != nil {
			log.Printf("web: export xlsx: %v", err)
		}
	default:
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="registerlyft-export.csv"`)
		if err := WriteCSV(w, recs); err != nil {
			log.Printf("web: export csv: %v", err)
		}
	}
}

// WriteCSV writes recs as CSV: UTF-8 with a byte-order mark (so that Excel
// reads å/ä/ö right), a header row of ExportColumns, one row per record. A
// cell that a spreadsheet would take for a formula (=, +, -, @ first) is
// prefixed with an apostrophe.
func WriteCSV(w io.Writer, recs []record.Record) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportColumns); err != nil {
		return err
	}
	for i := range recs {
		row := ExportRow(&recs[i])
		for j, c := range row {
			row[j] = defuse(c)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse keeps a spreadsheet from reading a cell as a formula.
func defuse(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}

// WriteXLSX writes recs as an Excel workbook: one sheet "Records" with a
// bold, frozen header row of ExportColumns and an auto-filter. Every cell
// is a string, so no value is read as a formula.
func WriteXLSX(w io.Writer, recs []record.Record) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("export xlsx: %v", v)
		}
	}()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Records"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	for i, c := range ExportColumns {
		width := 18.0
		switch c {
		case "purpose", "personal_data", "activity", "text", "warnings":
			width = 40
		case "page", "line", "kind", "format", "confidence":
			width = 9
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("export xlsx: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	header := make([]any, len(ExportColumns))
	for i, c := range ExportColumns {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	for i := range recs {
		row := ExportRow(&recs[i])
		cells := make([]any, len(row))
		for j, c := range row {
			if rs := []rune(c); len(rs) > maxCellRunes {
				c = string(rs[:maxCellRunes-1]) + "…"
			}
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("export xlsx: row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	last, _ := excelize.CoordinatesToCellName(len(ExportColumns), len(recs)+1)
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export xlsx: %w", err)
	}
	return nil
}
