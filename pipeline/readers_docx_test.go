package pipeline

// Tests of the DOCX reader: the fixtures of testdata/docx (made by
// LibreOffice, see its README) read alone and through the whole pipeline
// and scored against their gold records; WordprocessingML features that
// LibreOffice does not write (tracked moves, field codes, hidden text,
// text boxes, nested tables, Swedish style names) on small hand-written
// documents; hostile files quarantined with a reason; and a fuzz test.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/score"
)

const docxDir = "../testdata/docx"

// readDOCXBytes runs the DOCX reader alone over b.
func readDOCXBytes(t testing.TB, name string, b []byte) (*extractors.Doc, *Item, error) {
	t.Helper()
	env := DefaultEnv()
	it := &Item{Path: name, Rel: name, Bytes: b, Kind: "docx"}
	doc := &extractors.Doc{Path: name, Format: "docx", Repair: env.Repair}
	return doc, it, readDOCX(context.Background(), env, it, doc)
}

// lineTexts returns the texts of doc's lines.
func lineTexts(doc *extractors.Doc) []string {
	out := make([]string, len(doc.Lines))
	for i, l := range doc.Lines {
		out[i] = l.Text
	}
	return out
}

// headingTexts returns the texts of the lines marked as headings, in order.
func headingTexts(doc *extractors.Doc) []string {
	var out []string
	for _, l := range doc.Lines {
		if doc.Headings[l.N] {
			out = append(out, l.Text)
		}
	}
	return out
}

// TestReadDOCX reads each fixture with the reader alone: sheets, merged
// ranges, lines with their pages, headings and title.
func TestReadDOCX(t *testing.T) {
	for _, tt := range []struct {
		file     string
		title    string
		sheets   []int // rows per sheet
		merges   []extractors.Merge
		cells    map[[2]int]string // sheet 0: row, column → text
		lines    map[int]string    // line number → text
		headings []string
		absent   []string // text that must not appear in any line
	}{
		{
			file:   "reg_a.docx",
			sheets: []int{11},
			cells: map[[2]int]string{
				{0, 0}: "Behandlingsaktivitet", {0, 7}: "Överföring till tredje land",
				{10, 0}: "Bidrag till föreningar",
			},
			lines: map[int]string{
				1:  "Behandlingsaktivitet | Ändamål med behandlingen | Kategorier av registrerade | Kategorier av personuppgifter | Rättslig grund | Lagringstid | Mottagare av uppgifterna | Överföring till tredje land",
				12: "",
				13: "Registerförteckning för Kommunstyrelsen i Exempelby kommun",
			},
			// Soft hyphens (w:softHyphen) are not text.
			absent: []string{"\u00ad", "personuppgifts incidenter"},
		},
		{
			file:  "notice.docx",
			title: "Personuppgiftsbehandling inom Kommunstyrelsens förvaltning",
			headings: []string{
				"Personuppgiftsbehandling inom Kommunstyrelsens förvaltning", "Personuppgiftsansvarig",
				"Besöker vår reception i stadshuset", "Telefonsamtal till Luleå kommuns kundcenter", "Visselblåsarfunktion",
			},
			lines: map[int]string{
				1:  "Personuppgiftsbehandling inom Kommunstyrelsens förvaltning",
				2:  "",
				27: "Internt: Kommunens olika medarbetare och verksamheter.", // a w:br inside the paragraph
				28: "Externt: Kontaktuppgifter till kommunens personal/förvaltning delas med de personer som söker kontakt samt med berörd systemleverantör av vårt IT-stöd i samband med support.",
				50: "• Kontaktuppgifter till kommunens personal delas med de personer som söker kontakt.", // list items, no blank between
				51: "• Leverantör av extern telefonitjänst: Vissa samtal kan komma att hanteras av en extern leverantör via webbformulär som går till Luleå kommuns kundcenters ärendehanteringssystem för att kunna hantera medborgarnas, kundernas samt anställdas frågor och ärenden. Det gäller främst samtal som Luleå kommuns kundcenter inte hunnit omhänderta.",
				66: "Rättslig grund: Rättslig förpliktelse.", // w:tab as a space
				75: "Lagring/gallring: Bevaras.",             // w:ins kept
			},
			absent: []string{"Gallras efter två år"}, // w:del left out
		},
		{
			file:   "merged.docx",
			sheets: []int{7},
			merges: []extractors.Merge{
				{Row0: 0, Col0: 0, Row1: 0, Col1: 7}, {Row0: 1, Col0: 0, Row1: 1, Col1: 7}, // title rows (w:gridSpan)
				{Row0: 3, Col0: 1, Row1: 4, Col1: 1}, {Row0: 3, Col0: 2, Row1: 4, Col1: 2}, // Bibliotekslån (w:vMerge)
				{Row0: 3, Col0: 5, Row1: 4, Col1: 5}, {Row0: 3, Col0: 6, Row1: 4, Col1: 6},
				{Row0: 3, Col0: 7, Row1: 4, Col1: 7},
				{Row0: 3, Col0: 0, Row1: 6, Col1: 0}, // the board over every entry
			},
			cells: map[[2]int]string{
				{0, 0}: "Registerförteckning enligt artikel 30 dataskyddsförordningen", {0, 1}: "",
				{3, 0}: "Kultur- och fritidsnämnden", {3, 4}: "Namn\nLånekortsnummer",
				{4, 0}: "", {4, 1}: "", {4, 3}: "Vårdnadshavare",
				{6, 4}: "Namn\nÅlder\nAllergier",
			},
			lines: map[int]string{
				1: "Registerförteckning enligt artikel 30 dataskyddsförordningen",
				4: "Kultur- och fritidsnämnden | Bibliotekslån | Hantera lån och reservationer. | Låntagare | Namn / Lånekortsnummer | Allmänt intresse | Tas bort 3 år efter senaste lån | Låg",
				5: " |  |  | Vårdnadshavare | Kontaktuppgifter",
				8: "",
				9: "Senast uppdaterad 2023-05-17 av registratorn.",
			},
		},
	} {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(docxDir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, _, err := readDOCXBytes(t, tt.file, b)
			if err != nil {
				t.Fatalf("readDOCX: %v", err)
			}
			if doc.Title != tt.title {
				t.Errorf("title %q, want %q", doc.Title, tt.title)
			}
			var rows []int
			for _, sh := range doc.Sheets {
				rows = append(rows, len(sh.Rows))
			}
			if !reflect.DeepEqual(rows, tt.sheets) {
				t.Errorf("rows per sheet %v, want %v", rows, tt.sheets)
			}
			if tt.merges != nil && !sameMerges(doc.Sheets[0].Merge, tt.merges) {
				t.Errorf("merges %+v\nwant %+v", doc.Sheets[0].Merge, tt.merges)
			}
			for rc, want := range tt.cells {
				if got := cellOf(doc, rc[0], rc[1]); got != want {
					t.Errorf("cell row %d col %d = %q, want %q", rc[0], rc[1], got, want)
				}
			}
			for i, l := range doc.Lines {
				if l.N != i+1 {
					t.Fatalf("line %d numbered %d", i+1, l.N)
				}
				// Table rows carry their table's index as page, the body 0.
				wantPage := 0
				if i < sheetRows(doc) {
					wantPage = 1
				}
				if l.Page != wantPage {
					t.Errorf("line %d page %d, want %d", l.N, l.Page, wantPage)
				}
				for _, a := range tt.absent {
					if strings.Contains(l.Text, a) {
						t.Errorf("line %d holds %q: %q", l.N, a, l.Text)
					}
				}
			}
			for n, want := range tt.lines {
				if n > len(doc.Lines) || doc.Lines[n-1].Text != want {
					t.Errorf("line %d = %q, want %q", n, at(lineTexts(doc), n-1), want)
				}
			}
			if got := headingTexts(doc); !reflect.DeepEqual(got, tt.headings) {
				t.Errorf("headings %q, want %q", got, tt.headings)
			}
		})
	}
}

func sheetRows(doc *extractors.Doc) int {
	n := 0
	for _, sh := range doc.Sheets {
		n += len(sh.Rows)
	}
	return n
}

func at(ss []string, i int) string {
	if i < 0 || i >= len(ss) {
		return "<none>"
	}
	return ss[i]
}

func cellOf(doc *extractors.Doc, r, c int) string {
	if len(doc.Sheets) == 0 || r >= len(doc.Sheets[0].Rows) || c >= len(doc.Sheets[0].Rows[r]) {
		return ""
	}
	return doc.Sheets[0].Rows[r][c]
}

func sameMerges(got, want []extractors.Merge) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[extractors.Merge]int{}
	for _, m := range got {
		seen[m]++
	}
	for _, m := range want {
		if seen[m] == 0 {
			return false
		}
		seen[m]--
	}
	return true
}

// docxPackage builds a DOCX container from its parts (document.xml's body
// wrapped in the w: namespace when body is not a whole document).
func docxPackage(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := []string{"[Content_Types].xml", "_rels/.rels"}
	for n := range parts {
		if n != "[Content_Types].xml" && n != "_rels/.rels" {
			names = append(names, n)
		}
	}
	base := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
	}
	for _, n := range names {
		body, ok := parts[n]
		if !ok {
			body = base[n]
		}
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

// wordDoc wraps body XML as word/document.xml.
func wordDoc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wordNS + `><w:body>` + body + `</w:body></w:document>`
}

// wp is a paragraph of one run of text, with optional paragraph properties.
func wp(pPr, text string) string {
	return `<w:p><w:pPr>` + pPr + `</w:pPr><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

// wtc is a table cell with optional properties and one paragraph per text.
func wtc(tcPr string, texts ...string) string {
	s := `<w:tc><w:tcPr>` + tcPr + `</w:tcPr>`
	for _, x := range texts {
		s += wp("", x)
	}
	if len(texts) == 0 {
		s += `<w:p/>`
	}
	return s + `</w:tc>`
}

// TestReadDOCXMarkup: what Word writes and LibreOffice's fixtures do not
// show, on small hand-written documents.
func TestReadDOCXMarkup(t *testing.T) {
	const swedishStyles = `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + wordNS + `>` +
		`<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Avsnitt"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Underavsnitt"><w:name w:val="Egen rubrik"/><w:basedOn w:val="Avsnitt"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Disposition"><w:name w:val="Disposition"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Punktlista"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>` +
		`<w:style w:type="character" w:styleId="RubrikChar"><w:name w:val="Rubrik Char"/></w:style>` +
		`</w:styles>`
	for _, tt := range []struct {
		name     string
		body     string
		styles   string
		lines    []string
		headings []string
		rows     [][]string
		merges   []extractors.Merge
	}{
		{
			name: "heading styles and outline levels",
			body: wp(`<w:pStyle w:val="Rubrik1"/>`, "Behandlingar") +
				wp(`<w:pStyle w:val="Heading2"/>`, "Elevhälsa") +
				wp(`<w:pStyle w:val="Avsnitt"/>`, "Syfte") + // named "heading 2" in styles.xml
				wp(`<w:pStyle w:val="Underavsnitt"/>`, "Ärvd") + // based on a heading style
				wp(`<w:pStyle w:val="Disposition"/>`, "Med nivå") + // outline level in the style
				wp(`<w:outlineLvl w:val="1"/>`, "Direkt nivå") +
				wp(`<w:pStyle w:val="Heading3"/><w:outlineLvl w:val="9"/>`, "Brödtext trots stil") +
				wp(`<w:pStyle w:val="Normal"/>`, "Vanlig text."),
			styles:   swedishStyles,
			lines:    []string{"Behandlingar", "", "Elevhälsa", "", "Syfte", "", "Ärvd", "", "Med nivå", "", "Direkt nivå", "", "Brödtext trots stil", "", "Vanlig text."},
			headings: []string{"Behandlingar", "Elevhälsa", "Syfte", "Ärvd", "Med nivå", "Direkt nivå"},
		},
		{
			name: "tracked changes, field codes, hidden and symbol runs",
			body: `<w:p><w:r><w:t xml:space="preserve">Lagring: </w:t></w:r>` +
				`<w:del w:id="1" w:author="A"><w:r><w:delText>Gallras efter 2 år.</w:delText></w:r></w:del>` +
				`<w:ins w:id="2" w:author="A"><w:r><w:t>Bevaras.</w:t></w:r></w:ins>` +
				`<w:moveFrom w:id="3" w:author="A"><w:r><w:t>Flyttad härifrån.</w:t></w:r></w:moveFrom></w:p>` +
				`<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://x.se" </w:instrText></w:r>` +
				`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Läs mer</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
				`<w:r><w:rPr><w:vanish/></w:rPr><w:t>dold text</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0E0"/><w:t xml:space="preserve"> här</w:t></w:r></w:p>` +
				`<w:p><w:pPr><w:pStyle w:val="Normal"/><w:pPrChange w:id="4" w:author="A"><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:pPrChange>` +
				`<w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>Stilen var en rubrik</w:t></w:r></w:p>`,
			lines: []string{"Lagring: Bevaras.", "", "Läs mer här", "", "Stilen var en rubrik"},
		},
		{
			name: "tabs, breaks, hyphens and spaces",
			body: `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="2000"/></w:tabs></w:pPr>` +
				`<w:r><w:t>Rättslig grund:</w:t><w:tab/><w:t>Allmänt</w:t><w:t xml:space="preserve">   intresse</w:t><w:br/><w:t>e</w:t><w:noBreakHyphen/><w:t>tjänst med</w:t><w:softHyphen/><w:t>` + "\u00a0" + `</w:t><w:cr/><w:t>person</w:t><w:softHyphen/><w:t>nummer</w:t></w:r></w:p>`,
			lines: []string{"Rättslig grund: Allmänt intresse", "e-tjänst med", "personnummer"},
		},
		{
			name: "lists: direct numbering, a list style, numbering switched off",
			body: wp(`<w:pStyle w:val="Normal"/>`, "Mottagare:") +
				wp(`<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>`, "Skatteverket") +
				wp(`<w:pStyle w:val="Punktlista"/>`, "Försäkringskassan") +
				wp(`<w:pStyle w:val="Punktlista"/><w:numPr><w:numId w:val="0"/></w:numPr>`, "Ingen punkt"),
			styles: swedishStyles,
			lines:  []string{"Mottagare:", "", "• Skatteverket", "• Försäkringskassan", "", "Ingen punkt"},
		},
		{
			name: "text box: the fallback copy is left out",
			body: `<w:p><w:r><w:t xml:space="preserve">Före </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>` +
				wp("", "Text i ruta") + `</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>` + wp("", "Text i ruta") +
				`</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>efter</w:t></w:r></w:p>`,
			lines: []string{"Text i ruta", "", "Före efter"},
		},
		{
			name: "merges: vMerge without a value, gridBefore, a nested table flattened",
			body: `<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` +
				`<w:tr>` + wtc(``, "Behandling") + wtc(``, "Syfte") + wtc(``, "Mottagare") + `</w:tr>` +
				`<w:tr>` + wtc(`<w:vMerge w:val="restart"/>`, "Elevhälsa") + wtc(``, "Stöd") +
				`<w:tc><w:p><w:r><w:t>Regionen</w:t></w:r></w:p><w:tbl><w:tr>` + wtc(``, "Inre A") + wtc(``, "Inre B") + `</w:tr></w:tbl></w:tc></w:tr>` +
				`<w:tr>` + wtc(`<w:vMerge/>`) + wtc(``, "Dokumentation") + wtc(``) + `</w:tr>` +
				`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>` + wtc(`<w:gridSpan w:val="2"/>`, "Spänner två") + `</w:tr>` +
				`</w:tbl>` + wp("", "Efter tabellen."),
			rows: [][]string{
				{"Behandling", "Syfte", "Mottagare"},
				{"Elevhälsa", "Stöd", "Regionen\nInre A\nInre B"},
				{"", "Dokumentation"},
				{"", "Spänner två"}, // the covered column is trimmed as an empty trailing cell
			},
			merges: []extractors.Merge{{Row0: 1, Col0: 0, Row1: 2, Col1: 0}, {Row0: 3, Col0: 1, Row1: 3, Col1: 2}},
			lines: []string{
				"Behandling | Syfte | Mottagare", "Elevhälsa | Stöd | Regionen / Inre A / Inre B", " | Dokumentation", " | Spänner två",
				"", "Efter tabellen.",
			},
		},
		{
			name: "merges: text in a continued cell joins the empty cell it continues",
			body: `<w:tbl><w:tr>` + wtc(``, "A") + wtc(`<w:vMerge w:val="restart"/>`) + `</w:tr>` +
				`<w:tr>` + wtc(``, "B") + wtc(`<w:vMerge/>`, "Fortsättning") + `</w:tr></w:tbl>`,
			rows:   [][]string{{"A", "Fortsättning"}, {"B"}},
			merges: []extractors.Merge{{Row0: 0, Col0: 1, Row1: 1, Col1: 1}},
			lines:  []string{"A | Fortsättning", "B"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			parts := map[string]string{"word/document.xml": wordDoc(tt.body)}
			if tt.styles != "" {
				parts["word/styles.xml"] = tt.styles
			}
			doc, _, err := readDOCXBytes(t, "x.docx", docxPackage(t, parts))
			if err != nil {
				t.Fatalf("readDOCX: %v", err)
			}
			if got := lineTexts(doc); !reflect.DeepEqual(got, tt.lines) {
				t.Errorf("lines\n got %q\nwant %q", got, tt.lines)
			}
			if got := headingTexts(doc); !reflect.DeepEqual(got, tt.headings) {
				t.Errorf("headings %q, want %q", got, tt.headings)
			}
			if tt.rows != nil {
				if len(doc.Sheets) != 1 || !reflect.DeepEqual(doc.Sheets[0].Rows, tt.rows) {
					t.Errorf("sheets %+v, want rows %q", doc.Sheets, tt.rows)
				} else if !sameMerges(doc.Sheets[0].Merge, tt.merges) {
					t.Errorf("merges %+v, want %+v", doc.Sheets[0].Merge, tt.merges)
				}
			}
		})
	}
}

// TestReadDOCXRepair: mojibake in a paragraph and in a cell is repaired,
// and each repair is kept with its line.
func TestReadDOCXRepair(t *testing.T) {
	body := `<w:tbl><w:tr>` + wtc(``, "Behandling") + wtc(``, "Ändamål") + `</w:tr><w:tr>` + wtc(``, "Elevhälsa") + wtc(``, "StÃ¶d till elever") + `</w:tr></w:tbl>` +
		wp("", "Inledning") + wp("", "RÃ¤ttslig grund: allmÃ¤nt intresse")
	doc, it, err := readDOCXBytes(t, "x.docx", docxPackage(t, map[string]string{"word/document.xml": wordDoc(body)}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Behandling | Ändamål", "Elevhälsa | Stöd till elever", "", "Inledning", "", "Rättslig grund: allmänt intresse"}
	if got := lineTexts(doc); !reflect.DeepEqual(got, want) {
		t.Fatalf("lines %q, want %q", got, want)
	}
	lines := map[int]bool{}
	for _, f := range it.Fixes {
		lines[f.Line] = true
		if f.Line < 1 || f.Line > len(doc.Lines) || !strings.Contains(doc.Lines[f.Line-1].Text, f.To) {
			t.Errorf("fix %+v: line %d does not hold %q", f, f.Line, f.To)
		}
	}
	if !lines[2] || !lines[6] {
		t.Errorf("fixes on lines %v, want 2 (the cell's row) and 6 (the paragraph): %+v", lines, it.Fixes)
	}
}

// docxRecords ingests dir through the whole pipeline and returns the
// records by file and the quarantine entries by file.
func docxRecords(t *testing.T, dir string) (map[string][]record.Record, map[string]map[string]string) {
	t.Helper()
	out := t.TempDir()
	if _, err := Run(context.Background(), Config{Inputs: []string{dir}, Out: out, Workers: 2, NoIndex: true}); err != nil {
		t.Fatal(err)
	}
	recs, err := ReadRecords(filepath.Join(out, RecordsFile))
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string][]record.Record{}
	for _, r := range recs {
		byFile[r.Provenance.File] = append(byFile[r.Provenance.File], r)
	}
	q := map[string]map[string]string{}
	if b, err := os.ReadFile(filepath.Join(out, QuarantineFile)); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			var e map[string]string
			if json.Unmarshal(sc.Bytes(), &e) == nil {
				q[e["input"]] = e
			}
		}
	}
	return byFile, q
}

// TestIngestDOCX runs the fixtures through the pipeline: each gives its
// gold records (every gold record found, no extra one, every field F1
// 1.0), with provenance pointing at the rows and sections.
func TestIngestDOCX(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"reg_a.docx", "notice.docx", "notice_tables.docx", "merged.docx"} {
		b, err := os.ReadFile(filepath.Join(docxDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	byFile, q := docxRecords(t, dir)
	if len(q) > 0 {
		t.Fatalf("quarantined: %v", q)
	}
	for _, tt := range []struct {
		file, gold, extractor string
		page                  int
		lines                 []int // first line of each record
		exact                 bool  // organ, municipality and extra columns as in the gold
	}{
		{"reg_a.docx", "tables/gold/reg_a.json", "sheet", 1, []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, false},
		{"notice.docx", "docx/notice_gold.json", "notice", 0, []int{15, 34, 60}, true},
		// The same sections as "label | text" tables under their headings.
		{"notice_tables.docx", "docx/notice_gold.json", "notice", 0, []int{9, 27, 52}, true},
		{"merged.docx", "tables-csv/merged_gold.json", "sheet", 1, []int{4, 6, 7}, true},
	} {
		t.Run(tt.file, func(t *testing.T) {
			got, gold := byFile[tt.file], readGold(t, filepath.Join("..", tt.gold))
			res := score.Compare(got, gold)
			var sb strings.Builder
			res.Write(&sb, tt.file)
			t.Log("\n" + sb.String())
			if res.Found != len(gold) || len(res.Extra) != 0 || len(got) != len(gold) {
				t.Errorf("%d records: %d of %d gold records found, %d extra", len(got), res.Found, len(gold), len(res.Extra))
			}
			for _, f := range res.Fields {
				if res.Mean[f] != 1 {
					t.Errorf("field %s F1 = %.3f, want 1.0", f, res.Mean[f])
				}
			}
			if slices.Contains(res.Fields, "legal_basis") && res.BasisExact != len(gold) {
				t.Errorf("legal basis exact for %d of %d records", res.BasisExact, len(gold))
			}
			var lines []int
			for i, r := range got {
				p := r.Provenance
				lines = append(lines, p.Line)
				if p.Format != "docx" || p.Extractor != tt.extractor || p.Page != tt.page {
					t.Errorf("%s: provenance %+v, want format docx, extractor %s, page %d", r.Activity, p, tt.extractor, tt.page)
				}
				if tt.exact && i < len(gold) {
					g := gold[i]
					if r.Activity != g.Activity || r.Organ != g.Organ || r.Municipality != g.Municipality || !reflect.DeepEqual(r.Extra, g.Extra) ||
						!reflect.DeepEqual(r.LegalBasis, g.LegalBasis) {
						t.Errorf("record %d: %q %q/%q extra %v basis %v; want %q %q/%q extra %v basis %v", i+1,
							r.Activity, r.Organ, r.Municipality, r.Extra, r.LegalBasis, g.Activity, g.Organ, g.Municipality, g.Extra, g.LegalBasis)
					}
				}
			}
			if !reflect.DeepEqual(lines, tt.lines) {
				t.Errorf("records start on lines %v, want %v", lines, tt.lines)
			}
		})
	}
}

// docxBomb builds a DOCX whose document.xml declares size bytes while its
// data inflates to actual bytes of spaces (after a valid XML start).
func docxBomb(t *testing.T, size uint64, actual int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	crc := crc32.NewIEEE()
	head := []byte(`<w:document ` + wordNS + `><w:body><w:p><w:r><w:t>`)
	fw.Write(head)
	crc.Write(head)
	sp := bytes.Repeat([]byte(" "), 1<<20)
	for n := len(head); n < actual; n += len(sp) {
		fw.Write(sp)
		crc.Write(sp)
	}
	fw.Close()
	wr, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
		CRC32: crc.Sum32(), CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	wr.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

// TestDOCXHostile: damaged, empty, encrypted and hostile DOCX files end in
// quarantine with a reason that says what is wrong, through the whole
// pipeline (sniffing included).
func TestDOCXHostile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"encrypted.docx", "truncated.docx", "nodocument.docx", "empty.docx"} {
		b, err := os.ReadFile(filepath.Join(docxDir, "bad", f))
		if err != nil {
			t.Fatal(err)
		}
		write(f, b)
	}
	write("bomb_declared.docx", docxBomb(t, 5<<30, 1<<20))          // declares 5 GiB
	write("bomb_part.docx", docxBomb(t, MaxDOCXPartBytes+1, 1<<20)) // declares more than a part may hold
	write("bomb_lying.docx", docxBomb(t, 1<<10, 16<<20))            // declares 1 KiB, inflates to 16 MiB
	write("badxml.docx", docxPackage(t, map[string]string{"word/document.xml": wordDoc(`<w:p><w:r><w:t>Elevhälsa</w:r></w:p>`)}))
	write("cut.docx", docxPackage(t, map[string]string{"word/document.xml": `<w:document ` + wordNS + `><w:body><w:p><w:r><w:t>Elevhälsa</w:t>`}))
	write("deep.docx", docxPackage(t, map[string]string{"word/document.xml": wordDoc(strings.Repeat(`<w:sdt><w:sdtContent>`, 2000) + wp("", "Djupt") + strings.Repeat(`</w:sdtContent></w:sdt>`, 2000))}))
	write("pictures.docx", docxPackage(t, map[string]string{"word/document.xml": wordDoc(`<w:p><w:r><w:drawing/></w:r></w:p><w:p/>`)}))
	write("bigcell.docx", docxPackage(t, map[string]string{"word/document.xml": wordDoc(`<w:tbl><w:tr>` + wtc(``, strings.Repeat("Namn ", MaxCellBytes/5+1)) + `</w:tr></w:tbl>`)}))

	byFile, q := docxRecords(t, dir)
	for f, recs := range byFile {
		t.Errorf("%s: %d records from a hostile file", f, len(recs))
	}
	for _, tt := range []struct{ file, reason, detail string }{
		{"encrypted.docx", ReasonEncrypted, "password"},
		{"truncated.docx", ReasonCorrupt, "not a readable zip container"},
		{"nodocument.docx", ReasonCorrupt, "no main document part (word/document.xml)"},
		{"empty.docx", ReasonEmpty, "no paragraph or table cell with text"},
		{"bomb_declared.docx", ReasonTooLarge, "zip bomb"},
		{"bomb_part.docx", ReasonTooLarge, "word/document.xml declares"},
		{"bomb_lying.docx", ReasonCorrupt, "does not unpack as its directory says"},
		{"badxml.docx", ReasonCorrupt, "not well-formed XML at line 1"},
		{"cut.docx", ReasonCorrupt, "word/document.xml"},
		{"deep.docx", ReasonCorrupt, "deeper than 1000"},
		{"pictures.docx", ReasonEmpty, "only pictures or drawings (1)"},
		{"bigcell.docx", ReasonTooLarge, "table 1 row 1 has a cell of"},
	} {
		got := q[tt.file]
		if got == nil {
			t.Errorf("%s: not quarantined", tt.file)
			continue
		}
		if got["reason"] != tt.reason || !strings.Contains(got["detail"], tt.detail) {
			t.Errorf("%s: quarantined as %q (%s), want %q with %q", tt.file, got["reason"], got["detail"], tt.reason, tt.detail)
		}
		t.Logf("%-18s %s: %s", tt.file, got["reason"], got["detail"])
	}
}

// FuzzReadDOCX: arbitrary bytes, as a whole file or as the document.xml
// of a well-formed container, never panic the reader, and every failure
// is a quarantine.
func FuzzReadDOCX(f *testing.F) {
	for _, name := range []string{"reg_a.docx", "notice.docx", "merged.docx", "bad/truncated.docx"} {
		if b, err := os.ReadFile(filepath.Join(docxDir, name)); err == nil {
			f.Add(b, false)
		}
	}
	f.Add([]byte(wordDoc(wp(`<w:pStyle w:val="Rubrik1"/>`, "Elevhälsa")+`<w:tbl><w:tr>`+wtc(`<w:vMerge w:val="restart"/><w:gridSpan w:val="2"/>`, "A")+`</w:tr><w:tr>`+wtc(`<w:vMerge/>`)+`</w:tr></w:tbl>`)), true)
	f.Add([]byte(`<w:document `+wordNS+`><w:body><w:p><w:r><w:t>x</w:t><w:br/></w:r></w:p>`), true)
	env := DefaultEnv()
	f.Fuzz(func(t *testing.T, b []byte, wrap bool) {
		if wrap {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("word/document.xml")
			w.Write(b)
			w, _ = zw.Create("word/styles.xml")
			w.Write(b)
			zw.Close()
			b = buf.Bytes()
		}
		it := &Item{Rel: "f.docx", Bytes: b, Kind: "docx"}
		doc := &extractors.Doc{Path: "f.docx", Format: "docx", Repair: env.Repair}
		err := readDOCX(context.Background(), env, it, doc)
		var q *QuarantineError
		if err != nil && !errors.As(err, &q) {
			t.Fatalf("error %v is not a quarantine", err)
		}
		if err == nil {
			for i, l := range doc.Lines {
				if l.N != i+1 {
					t.Fatalf("line %d numbered %d", i+1, l.N)
				}
			}
		}
	})
}

// TestLabelTable checks which DOCX tables are read as a notice's "label |
// text" rows rather than as a register's sheet.
func TestLabelTable(t *testing.T) {
	for _, tt := range []struct {
		name string
		rows [][]string
		want bool
	}{
		{"notice fields", [][]string{
			{"Syfte/ändamål:", "Att administrera besök."}, {"Personuppgifterna har vi fått från", "Besökaren."},
			{"Rättslig grund", "Myndighetsutövning."}, {"Följande kategorier av personuppgifter behandlas", "Namn."},
			{"Lagring/gallring", "Gallras efter 30 dagar."},
		}, true},
		{"two-column register", [][]string{
			{"Behandling", "Ändamål"}, {"Bibliotekslån", "Hantera lån."}, {"Simskola", "Anmälan och närvaro."},
			{"Föreningsbidrag", "Handlägga ansökningar."},
		}, false},
		{"three columns", [][]string{
			{"Ändamål", "Att administrera besök.", "x"}, {"Rättslig grund", "Myndighetsutövning."},
		}, false},
		{"one label", [][]string{{"Ändamål", "Att administrera besök."}, {"Telefon", "0920-45 30 00"}}, false},
		{"one row", [][]string{{"Ändamål", "Att administrera besök."}}, false},
	} {
		if got := labelTable(tt.rows); got != tt.want {
			t.Errorf("%s: labelTable = %v, want %v", tt.name, got, tt.want)
		}
	}
}
