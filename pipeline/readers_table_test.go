package pipeline

import (
	"bytes"
	"context"
	"errors"
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
