package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/sniff"
)

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		name string
		text string
		want rune
	}{
		{"semicolon with padded title", "Registerförteckning;;;\n;;;\nBehandling;Ändamål;Källa;System\nA;B, C;D;E\nF;G;H;I\n", ';'},
		{"comma, semicolons in cells", "Behandling,Ändamål,Källa\nA,\"b; c; d\",E\nF,\"g; h\",I\n", ','},
		{"tab", "Behandling\tÄndamål\tKälla\nA\tB, C\tD\n", '\t'},
		{"pipe", "Behandling|Ändamål|Källa\nA|B|C\nD|E|F\n", '|'},
		{"quoted line breaks", "Behandling;Personuppgifter;Källa\nA;\"Namn\nAdress, ort\";C\nD;E;F\n", ';'},
	}
	for _, tt := range tests {
		if got := sniffDelimiter(tt.text); got != tt.want {
			t.Errorf("%s: delimiter %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		rows   [][]string
		reason string
	}{
		{"quoted cells, trailing empties trimmed", "a;\"b;c\";\r\n\"d\"\"e\";\"f\r\ng\";;\r\n",
			[][]string{{"a", "b;c"}, {"d\"e", "f\ng"}}, ""},
		{"a stray quote inside a cell is kept", "Behandling;Ändamål;Källa\nA;Lagen \"LSS\" gäller;C\nD;E;F\n",
			[][]string{{"Behandling", "Ändamål", "Källa"}, {"A", "Lagen \"LSS\" gäller", "C"}, {"D", "E", "F"}}, ""},
		{"unterminated quote", "a;b;c\n\"d;e;f\ng;h;i\n", nil, ReasonCorrupt},
		{"a quote that closes rows later", "a;b;c\nd;\"e;f\ng;h;i\nj;k\";l\nm;n;o\n", nil, ReasonCorrupt},
	}
	for _, tt := range tests {
		rows, err := parseCSV(context.Background(), tt.text, ';')
		var q *QuarantineError
		switch {
		case tt.reason != "" && (!errors.As(err, &q) || q.Reason != tt.reason):
			t.Errorf("%s: error %v, want quarantine %q", tt.name, err, tt.reason)
		case tt.reason == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.reason == "" && !reflect.DeepEqual(rows, tt.rows):
			t.Errorf("%s: rows %q, want %q", tt.name, rows, tt.rows)
		}
	}
}

func TestLongestLine(t *testing.T) {
	tests := []struct {
		in      string
		n, line int
	}{
		{"ab\nabcdef\n\nabc", 6, 2},
		{"ab\r\nabcdef\r\nabc", 6, 2},
		{"ab\rabc\rabcd", 4, 3}, // classic Mac line ends
		{"", 0, 0},
	}
	for _, tt := range tests {
		if n, line := longestLine([]byte(tt.in)); n != tt.n || line != tt.line {
			t.Errorf("longestLine(%q) = %d at %d, want %d at %d", tt.in, n, line, tt.n, tt.line)
		}
	}
	if n, _ := longestLine([]byte(strings.Repeat("x", 10))); n != 10 {
		t.Errorf("no newline: %d", n)
	}
}

func TestColumnsLimit(t *testing.T) {
	text := "a" + strings.Repeat(";x", MaxTableColumns+5) + "\n"
	_, err := parseCSV(context.Background(), text, ';')
	var q *QuarantineError
	if !errors.As(err, &q) || q.Reason != ReasonTooLarge {
		t.Errorf("%d columns: %v, want too large", MaxTableColumns+6, err)
	}
}

// TestReadWorkbookShown: numbers and dates come as a spreadsheet shows
// them, line breaks inside cells stay, and merges are listed.
func TestReadWorkbookShown(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Behandling", "Fastställd", "Andel", "Personuppgifter"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Elevhälsa", time.Date(2023, 5, 17, 0, 0, 0, 0, time.UTC), 0.25, "Namn\nPersonnummer"})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
	f.SetCellStyle("Sheet1", "B2", "B2", date)
	f.SetCellStyle("Sheet1", "C2", "C2", pct)
	f.SetCellValue("Sheet1", "D3", "Adress")
	f.MergeCell("Sheet1", "A2", "A3")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	env := DefaultEnv()
	it := &Item{Rel: "x.xlsx", Kind: "xlsx", Bytes: buf.Bytes()}
	doc := &extractors.Doc{}
	if err := readWorkbook(context.Background(), env, it, doc, it.Bytes); err != nil {
		t.Fatal(err)
	}
	row := doc.Sheets[0].Rows[1]
	if row[1] == "45063" || !strings.Contains(row[1], "17") {
		t.Errorf("date shown as %q", row[1])
	}
	if row[2] != "25%" {
		t.Errorf("percentage shown as %q, want 25%%", row[2])
	}
	if row[3] != "Namn\nPersonnummer" {
		t.Errorf("cell with a line break: %q", row[3])
	}
	if want := []extractors.Merge{{Row0: 1, Col0: 0, Row1: 2, Col1: 0}}; !reflect.DeepEqual(doc.Sheets[0].Merge, want) {
		t.Errorf("merges %+v, want %+v", doc.Sheets[0].Merge, want)
	}
	if len(doc.Lines) != 3 || doc.Lines[1].Page != 1 || !strings.Contains(doc.Lines[1].Text, "Elevhälsa | ") {
		t.Errorf("lines %+v", doc.Lines)
	}
}

// TestLegacyWithoutLibreOffice: with no LibreOffice on the PATH, .xls and
// .ods are quarantined with a note on how to convert them.
func TestLegacyWithoutLibreOffice(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, name := range []string{"register.xls", "register.ods"} {
		b, err := os.ReadFile(filepath.Join("../testdata/tables-csv", name))
		if err != nil {
			t.Fatal(err)
		}
		kind := sniff.Kind(name, b[:min(len(b), 8192)], b)
		it := &Item{Rel: name, Kind: kind, Bytes: b}
		err = readLegacyOffice(context.Background(), DefaultEnv(), it, &extractors.Doc{})
		var q *QuarantineError
		if !errors.As(err, &q) || q.Reason != ReasonUnsupported || !strings.Contains(q.Detail, "LibreOffice") || !strings.Contains(q.Detail, ".xlsx") {
			t.Errorf("%s (%s): %v, want unsupported with how to convert", name, kind, err)
		}
	}
}

// TestReadCSVMacLineEnds: a Mac Roman file with classic Mac line ends (CR).
func TestReadCSVMacLineEnds(t *testing.T) {
	text := "Behandling;Ändamål;Källa\r\"Elevhälsa\";Stöd åt elever;Vårdnadshavare\rSkolskjuts;Planera;Föräldrar\r"
	b, err := charmap.Macintosh.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	it := &Item{Rel: "mac.csv", Kind: sniff.CSV, Bytes: b}
	doc := &extractors.Doc{}
	if err := readCSV(context.Background(), DefaultEnv(), it, doc); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Behandling", "Ändamål", "Källa"}, {"Elevhälsa", "Stöd åt elever", "Vårdnadshavare"}, {"Skolskjuts", "Planera", "Föräldrar"}}
	if !reflect.DeepEqual(doc.Sheets[0].Rows, want) || it.Encoding != "macintosh" {
		t.Errorf("rows %q (%s), want %q (macintosh)", doc.Sheets[0].Rows, it.Encoding, want)
	}
	if len(doc.Lines) != 3 || doc.Lines[1].Text != "Elevhälsa | Stöd åt elever | Vårdnadshavare" {
		t.Errorf("lines %+v", doc.Lines)
	}
}

// TestReadWorkbookDamagedSheet: a workbook without merged cells skips
// excelize's second, full parse of each worksheet; a worksheet whose XML
// breaks off after some rows (here an illegal character, as a buggy
// exporter writes) must still be quarantined, not read in part.
func TestReadWorkbookDamagedSheet(t *testing.T) {
	sheet := func(row3 string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, body := range map[string]string{
			"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
			"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
			"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>`,
			"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
			"xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
				`<row r="1"><c r="A1" t="inlineStr"><is><t>Behandling</t></is></c><c r="B1" t="inlineStr"><is><t>Ändamål</t></is></c></row>` +
				`<row r="2"><c r="A2" t="inlineStr"><is><t>Elevhälsa</t></is></c><c r="B2" t="inlineStr"><is><t>Stöd</t></is></c></row>` +
				`<row r="3"><c r="A3" t="inlineStr"><is><t>` + row3 + `</t></is></c></row>` +
				`<row r="4"><c r="A4" t="inlineStr"><is><t>Skolskjuts</t></is></c></row>` +
				`</sheetData></worksheet>`,
		} {
			w, _ := zw.Create(name)
			w.Write([]byte(body))
		}
		zw.Close()
		return buf.Bytes()
	}
	read := func(b []byte) (*extractors.Doc, error) {
		it := &Item{Rel: "x.xlsx", Kind: "xlsx", Bytes: b}
		doc := &extractors.Doc{}
		return doc, readWorkbook(context.Background(), DefaultEnv(), it, doc, b)
	}
	doc, err := read(sheet("Fotografering"))
	if err != nil || len(doc.Sheets) != 1 || len(doc.Sheets[0].Rows) != 4 {
		t.Fatalf("sound sheet: err %v, sheets %+v", err, doc.Sheets)
	}
	_, err = read(sheet("Foto\x0bgrafering"))
	var q *QuarantineError
	if !errors.As(err, &q) || q.Reason != ReasonCorrupt {
		t.Errorf("sheet with an illegal character: %v, want quarantined as corrupt", err)
	}
}

// TestWordFinder: a word is found wherever the writes cut it, and the
// encoding of the part is told from its first bytes.
func TestWordFinder(t *testing.T) {
	text := []byte(`<worksheet><sheetData/><mergeCells><mergeCell ref="A1:A2"/></mergeCells></worksheet>`)
	check := func(name string, chunks [][]byte) {
		w := newWordFinder("mergeCell", "sheetData")
		for _, c := range chunks {
			w.Write(c)
		}
		if !w.found[0] || !w.found[1] {
			t.Fatalf("%s: found %v", name, w.found)
		}
	}
	for cut := 0; cut <= len(text); cut++ {
		check(fmt.Sprintf("cut at %d", cut), [][]byte{text[:cut], text[cut:]})
	}
	for size := 1; size <= 12; size++ {
		var chunks [][]byte
		for i := 0; i < len(text); i += size {
			chunks = append(chunks, text[i:min(i+size, len(text))])
		}
		check(fmt.Sprintf("chunks of %d", size), chunks)
	}
	w := newWordFinder("sheetData")
	w.Write([]byte("<work"))
	w.Write([]byte("sheet/>"))
	if w.found[0] || !w.asciiCompatible() {
		t.Errorf("found %v, ASCII-compatible %v", w.found, w.asciiCompatible())
	}
	w = newWordFinder("sheetData")
	w.Write([]byte("\xff\xfe<\x00?\x00"))
	if w.asciiCompatible() {
		t.Error("UTF-16 part taken as ASCII-compatible")
	}
}
