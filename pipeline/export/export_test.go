package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/sheet"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

func sample() []record.Record {
	return []record.Record{
		{
			ID: "a1", Kind: record.KindActivity, Municipality: "Luleå kommun", Organ: "Socialnämnden",
			Activity: "Försörjningsstöd", Purpose: "Handlägga ansökningar om ekonomiskt bistånd.",
			DataSubjects: []string{"Sökande", "Medsökande"}, PersonalData: []string{"Namn", "Personnummer", "Inkomst"},
			SensitiveData: []string{"personnummer"}, LegalBasis: []string{"myndighetsutövning", "allmänt intresse"},
			LegalBasisText: "Myndighetsutövning och allmänt intresse", Retention: "Gallras efter 5 år",
			Recipients: []string{"Försäkringskassan"}, Sources: []string{"Den registrerade"}, ThirdCountry: "Nej",
			Extra:      map[string]string{"Kontaktperson": "Åsa Öberg"},
			Provenance: record.Provenance{File: "soc.xlsx", Page: 1, Line: 4},
			Quality:    record.Quality{Warnings: []record.Warning{{Code: "Q14", Severity: "info", Field: "legal_basis", Message: "no statute"}}},
		},
		{
			ID: "b2", Kind: record.KindActivity, Municipality: "Luleå kommun", Organ: "Kommunstyrelsen/KS",
			Activity: "=HYPERLINK(\"x\")", Purpose: "Löner.",
			Provenance: record.Provenance{File: "ks.csv", Line: 7},
		},
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sample()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 byte-order mark: % x", b.Bytes()[:4])
	}
	if !bytes.Contains(b.Bytes(), []byte("\"Namn\r\nPersonnummer\r\nInkomst\"")) {
		t.Error("list cell not quoted with CRLF between items, as Excel writes it")
	}
	r := csv.NewReader(bytes.NewReader(b.Bytes()[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want header + 2", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{ColActivity, ColPurpose, ColDataSubjects, ColPersonalData, ColSensitive, ColLegalBasis,
		ColLegalBasisText, ColRetention, ColRecipients, ColSources, ColThirdCountry, ColAutomated, ColMunicipality,
		ColOrgan, ColWarnings, ColFile, ColPage, ColLine, ColID, "Kontaktperson"} {
		if _, ok := col[h]; !ok {
			t.Errorf("column %q missing from %q", h, rows[0])
		}
	}
	tests := []struct{ col, want string }{
		{ColPersonalData, "Namn\nPersonnummer\nInkomst"},
		{ColLegalBasis, "myndighetsutövning\nallmänt intresse"},
		{"Kontaktperson", "Åsa Öberg"},
		{ColWarnings, "Q14 info (legal_basis): no statute"},
		{ColPage, "1"},
		{ColLine, "4"},
		{ColID, "a1"},
	}
	for _, tt := range tests {
		if got := rows[1][col[tt.col]]; got != tt.want {
			t.Errorf("%s = %q, want %q", tt.col, got, tt.want)
		}
	}
	if got := rows[2][col[ColActivity]]; got != `'=HYPERLINK("x")` {
		t.Errorf("formula-like cell written as %q, want it quoted with an apostrophe", got)
	}
	if got := rows[2][col[ColPage]]; got != "" {
		t.Errorf("page 0 written as %q, want empty", got)
	}
}

func TestWriteJSONL(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSONL(&b, sample()); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&b)
	n := 0
	for sc.Scan() {
		var r record.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if r.ID != sample()[n].ID {
			t.Errorf("line %d id %q", n+1, r.ID)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d lines, want 2", n)
	}
	if strings.Contains(b.String(), `\u003c`) {
		t.Error("HTML escaping in JSON")
	}
}

func openXLSX(t *testing.T, recs []record.Record, opt Options) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := WriteXLSX(&b, recs, opt); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriteXLSX(t *testing.T) {
	f := openXLSX(t, sample(), Options{PerOrgan: true})
	if got := f.GetSheetList(); strings.Join(got, "|") != "Register|Socialnämnden|Kommunstyrelsen-KS" {
		t.Errorf("sheets %q", got)
	}
	rows, err := f.GetRows(SheetAll)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != ColActivity {
		t.Fatalf("rows %q", rows)
	}
	panes, err := f.GetPanes(SheetAll)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header row not frozen: %+v %v", panes, err)
	}
	// The filter buttons: a table over the whole range, with its autoFilter.
	tables, err := f.GetTables(SheetAll)
	if err != nil || len(tables) != 1 || tables[0].Range != "A1:W3" {
		t.Errorf("register sheet tables %+v (%v), want one over A1:W3", tables, err)
	}
	w, err := f.GetColWidth(SheetAll, "A")
	if err != nil || w < 10 || w > 40 {
		t.Errorf("column A width %v (%v), want set between 10 and 40", w, err)
	}
	style, err := f.GetCellStyle(SheetAll, "D2")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(style)
	if err != nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("body cells do not wrap: %+v %v", st, err)
	}
	v, _ := f.GetCellValue(SheetAll, "D2")
	if v != "Namn\nPersonnummer\nInkomst" {
		t.Errorf("list cell %q", v)
	}
	organRows, _ := f.GetRows("Socialnämnden")
	if len(organRows) != 2 {
		t.Errorf("organ sheet has %d rows, want header + 1", len(organRows))
	}
}

// TestSheetReadsExport checks that the sheet extractor recognises an
// export: the derived columns are not read as data, "Rättslig grund
// (text)" is the legal basis, and the per-organ sheets add no records.
func TestSheetReadsExport(t *testing.T) {
	f := openXLSX(t, sample(), Options{PerOrgan: true})
	doc := &extractors.Doc{Format: "xlsx"}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		doc.Sheets = append(doc.Sheets, extractors.Sheet{Name: name, Rows: rows})
	}
	x := sheet.New()
	if s := x.Detect(doc); s < 1 {
		t.Errorf("Detect = %v, want 1", s)
	}
	raws, err := x.Extract(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != 2 {
		t.Fatalf("%d records, want 2 (per-organ sheets repeat them)", len(raws))
	}
	got := raws[0].Fields
	want := map[string]string{
		record.FieldActivity: "Försörjningsstöd", record.FieldPurpose: "Handlägga ansökningar om ekonomiskt bistånd.",
		record.FieldDataSubjects: "Sökande\nMedsökande", record.FieldPersonalData: "Namn\nPersonnummer\nInkomst",
		record.FieldLegalBasis: "Myndighetsutövning och allmänt intresse", record.FieldRetention: "Gallras efter 5 år",
		record.FieldRecipients: "Försäkringskassan", record.FieldSources: "Den registrerade", record.FieldThirdCountry: "Nej",
		record.FieldMunicipality: "Luleå kommun", record.FieldOrgan: "Socialnämnden", "extra:Kontaktperson": "Åsa Öberg",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %s = %q, want %q", k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected field %s = %q", k, got[k])
		}
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{"register": true}
	tests := []struct{ in, want string }{
		{"Socialnämnden", "Socialnämnden"},
		{"Register", "Register (2)"},
		{"Bygg- och miljönämnden [BMN]: tillsyn", "Bygg- och miljönämnden -BMN-- t"},
		{"", "Nämnd"},
		{"socialnämnden", "socialnämnden (2)"},
	}
	for _, tt := range tests {
		if got := sheetName(tt.in, used); got != tt.want {
			t.Errorf("sheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "pdf", nil, Options{}); err == nil {
		t.Error("no error for an unknown format")
	}
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Write(&b, f, nil, Options{}); err != nil {
			t.Errorf("%s of no records: %v", f, err)
		}
		if ContentType(f) == "" {
			t.Errorf("no content type for %s", f)
		}
	}
}
