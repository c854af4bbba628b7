package pipeline_test

// End-to-end tests of the table inputs (CSV/TSV/XLSX/XLS/ODS through
// pipeline.Run): the same register in every encoding and dialect gives the
// gold records, a spreadsheet with a title, merged cells and an unknown
// column gives the right records, an export read back gives the same
// records, and hostile files end in quarantine with a reason.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/sheet"
	"github.com/registerlyft/registerlyft/pipeline"
	"github.com/registerlyft/registerlyft/pipeline/export"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/score"
)

const tablesDir = "../testdata/tables-csv"

func runTables(t testing.TB, inputs ...string) (recs []record.Record, quarantined map[string]map[string]string) {
	t.Helper()
	out := t.TempDir()
	if _, err := pipeline.Run(context.Background(), pipeline.Config{Inputs: inputs, Out: out, Workers: 2, NoIndex: true}); err != nil {
		t.Fatalf("ingest %v: %v", inputs, err)
	}
	recs, err := pipeline.ReadRecords(filepath.Join(out, pipeline.RecordsFile))
	if err != nil {
		t.Fatal(err)
	}
	quarantined = map[string]map[string]string{}
	if b, err := os.ReadFile(filepath.Join(out, pipeline.QuarantineFile)); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			var q map[string]string
			if err := json.Unmarshal(sc.Bytes(), &q); err == nil {
				quarantined[q["input"]] = q
			}
		}
	}
	return recs, quarantined
}

func readGoldFile(t *testing.T, path string) []record.Record {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []record.Record
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// contract is a record without what depends on the file it came from (id,
// provenance, repairs, quality), as canonical JSON.
func contract(r record.Record) string {
	r.ID, r.Provenance, r.Fixes, r.Quality, r.SensitiveFound = "", record.Provenance{}, nil, record.Quality{}, nil
	b, _ := json.Marshal(r)
	return string(b)
}

func groupByFile(recs []record.Record) map[string][]record.Record {
	m := map[string][]record.Record{}
	for _, r := range recs {
		m[r.Provenance.File] = append(m[r.Provenance.File], r)
	}
	return m
}

// checkGold compares got with gold: field F1 must be 1.0 for every field
// (pipeline/score), every gold record found, and the contract fields
// (organ, municipality, system, extra included) identical.
func checkGold(t *testing.T, name string, got, gold []record.Record) {
	t.Helper()
	res := score.Compare(got, gold)
	if res.Found != len(gold) || len(res.Extra) != 0 {
		t.Errorf("%s: %d of %d gold records found, %d extra records", name, res.Found, len(gold), len(res.Extra))
	}
	for _, f := range res.Fields {
		if res.Mean[f] != 1 {
			t.Errorf("%s: field %s F1 = %.3f, want 1.0", name, f, res.Mean[f])
		}
	}
	if len(got) != len(gold) {
		return
	}
	for i := range gold {
		if g, w := contract(got[i]), contract(gold[i]); g != w {
			t.Errorf("%s record %d:\n got %s\nwant %s", name, i+1, g, w)
		}
	}
}

// TestTableVariants ingests the register of testdata/tables-csv saved in
// seven encodings × three dialects, as XLSX, and as .xls and .ods (converted
// by LibreOffice when installed): every variant must give the gold records.
func TestTableVariants(t *testing.T) {
	dir := t.TempDir()
	matches, _ := filepath.Glob(filepath.Join(tablesDir, "register*"))
	hasSoffice := false
	if _, err := exec.LookPath("soffice"); err == nil {
		hasSoffice = true
	}
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(m)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if len(matches) < 24 {
		t.Fatalf("%d fixtures in %s, want 21 CSV/TSV + xlsx + xls + ods (go run ./testdata/tables-csv/gen)", len(matches), tablesDir)
	}
	recs, quarantined := runTables(t, dir)
	gold := readGoldFile(t, filepath.Join(tablesDir, "gold.json"))
	byFile := groupByFile(recs)
	for _, m := range matches {
		name := filepath.Base(m)
		if (strings.HasSuffix(name, ".xls") || strings.HasSuffix(name, ".ods")) && !hasSoffice {
			if q := quarantined[name]; q["reason"] != pipeline.ReasonUnsupported || !strings.Contains(q["detail"], "LibreOffice") {
				t.Errorf("%s without LibreOffice: quarantine %v, want unsupported with how to convert", name, q)
			}
			continue
		}
		t.Run(name, func(t *testing.T) {
			if q, ok := quarantined[name]; ok {
				t.Fatalf("quarantined: %v", q)
			}
			checkGold(t, name, byFile[name], gold)
			for _, r := range byFile[name] {
				if r.Provenance.Extractor != "sheet" || r.Provenance.Line == 0 {
					t.Errorf("provenance %+v", r.Provenance)
				}
			}
		})
	}
	// Where the encoding was detected, it is recorded.
	for file, want := range map[string]string{
		"register_cp850_semicolon.csv": "cp850", "register_macroman_tab.tsv": "macintosh",
		"register_utf16le_comma.csv": "utf-16le", "register_cp1252_comma.csv": "windows-1252",
	} {
		if rs := byFile[file]; len(rs) == 0 || rs[0].Provenance.Encoding != want {
			t.Errorf("%s: encoding not recorded as %s", file, want)
		}
	}
	// The double-encoded file's repairs are traced.
	if rs := byFile["register_double_semicolon.csv"]; len(rs) == 0 || len(rs[0].Fixes) == 0 {
		t.Error("double-encoded UTF-8: no repairs recorded on the records")
	}
	t.Logf("%d variants, %d records, every field F1 = 1.0 against gold.json", len(byFile), len(recs))
}

// TestTableMergedTitle: the header on row 4 under a title, a board merged
// over every entry, an activity merged over two rows, an unknown column.
func TestTableMergedTitle(t *testing.T) {
	recs, q := runTables(t, filepath.Join(tablesDir, "merged.xlsx"))
	if len(q) > 0 {
		t.Fatalf("quarantined: %v", q)
	}
	checkGold(t, "merged.xlsx", recs, readGoldFile(t, filepath.Join(tablesDir, "merged_gold.json")))
	if len(recs) > 0 {
		p := recs[0].Provenance
		if p.Page != 1 || p.Line != 5 || p.EndLine != 6 {
			t.Errorf("first record spans page %d lines %d–%d, want page 1 lines 5–6", p.Page, p.Line, p.EndLine)
		}
	}
}

// TestTableRoundTrip: import → export (XLSX with per-organ sheets, and
// CSV) → import gives the same records.
func TestTableRoundTrip(t *testing.T) {
	first, q := runTables(t, filepath.Join(tablesDir, "register.xlsx"), filepath.Join(tablesDir, "merged.xlsx"))
	if len(q) > 0 || len(first) != 11 {
		t.Fatalf("%d records, quarantined %v", len(first), q)
	}
	for _, tt := range []struct {
		format string
		opt    export.Options
	}{{export.XLSX, export.Options{PerOrgan: true}}, {export.XLSX, export.Options{}}, {export.CSV, export.Options{}}} {
		t.Run(fmt.Sprintf("%s per-organ=%v", tt.format, tt.opt.PerOrgan), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "export."+tt.format)
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := export.Write(f, tt.format, first, tt.opt); err != nil {
				t.Fatal(err)
			}
			f.Close()
			again, q := runTables(t, path)
			if len(q) > 0 {
				t.Fatalf("export quarantined: %v", q)
			}
			if len(again) != len(first) {
				t.Fatalf("%d records back, want %d", len(again), len(first))
			}
			for i := range first {
				if g, w := contract(again[i]), contract(first[i]); g != w {
					t.Errorf("record %d:\n got %s\nwant %s", i+1, g, w)
				}
				if !reflect.DeepEqual(again[i].Quality.Warnings, first[i].Quality.Warnings) {
					t.Errorf("record %d quality differs: %v vs %v", i+1, again[i].Quality.Warnings, first[i].Quality.Warnings)
				}
			}
		})
	}
}

// TestTableHostile: files made to break a table reader end in quarantine
// with a reason.
func TestTableHostile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	head := "Behandling;Ändamål;Personuppgifter;Laglig grund\r\n"
	row := "Elevhälsa;Stöd till elever;Namn;Allmänt intresse\r\n"

	// A 100 MB single line.
	f, err := os.Create(filepath.Join(dir, "line100mb.csv"))
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.WriteString(head)
	chunk := bytes.Repeat([]byte("Namn;"), 1<<12)
	for n := 0; n < 100<<20; n += len(chunk) {
		bw.Write(chunk)
	}
	bw.Flush()
	f.Close()

	write("unbalanced.csv", []byte(head+row+"\"Skolskjuts;Planera skolskjuts;Namn;Myndighetsutövning\r\n"+strings.Repeat(row, 20)))
	write("nul.csv", []byte(head+"Elev\x00hälsa;Stöd;Namn;Avtal\r\n"))
	write("nul_late.csv", []byte(head+strings.Repeat(row, 400)+"Elev\x00hälsa;Stöd;Namn;Avtal\r\n"))
	write("bomb_declared.xlsx", zipBomb(t, false))
	write("bomb_lying.xlsx", zipBomb(t, true))
	write("rows1048576.xlsx", millionRows(t))
	write("password.xlsx", encryptedXLSX(t))

	start := time.Now()
	recs, q := runTables(t, dir)
	if len(recs) != 0 {
		t.Errorf("%d records from hostile files", len(recs))
	}
	want := map[string]string{
		"line100mb.csv":      pipeline.ReasonTooLarge,
		"unbalanced.csv":     pipeline.ReasonCorrupt,
		"nul.csv":            pipeline.ReasonBinary,
		"nul_late.csv":       pipeline.ReasonCorrupt,
		"bomb_declared.xlsx": pipeline.ReasonTooLarge,
		"bomb_lying.xlsx":    pipeline.ReasonCorrupt,
		"rows1048576.xlsx":   pipeline.ReasonTooLarge,
		"password.xlsx":      pipeline.ReasonEncrypted,
	}
	for name, reason := range want {
		got := q[name]
		if got == nil {
			t.Errorf("%s: not quarantined", name)
			continue
		}
		if got["reason"] != reason || got["detail"] == "" {
			t.Errorf("%s: quarantined as %q (%s), want %q with a detail", name, got["reason"], got["detail"], reason)
		}
		t.Logf("%-20s %s: %s", name, got["reason"], got["detail"])
	}
	t.Logf("hostile set ingested in %s", time.Since(start).Round(time.Millisecond))
}

// zipBomb builds a workbook whose sheet unpacks to gigabytes. declared:
// the zip directory states the true size (5 GiB); lying: it states 1 KiB
// while the compressed data holds 64 MiB.
func zipBomb(t *testing.T, lying bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range minimalWorkbook() {
		if name == "xl/worksheets/sheet1.xml" {
			continue
		}
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	// A deflate stream of 64 MiB of spaces, compressed once.
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	sp := bytes.Repeat([]byte(" "), 1<<20)
	crc := crc32.NewIEEE()
	for i := 0; i < 64; i++ {
		fw.Write(sp)
		crc.Write(sp)
	}
	fw.Close()
	size := uint64(5 << 30)
	if lying {
		size = 1 << 10
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CRC32: crc.Sum32(), CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

// minimalWorkbook is the smallest set of parts excelize opens.
func minimalWorkbook() map[string]string {
	return map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	}
}

// millionRows builds a workbook of 1,048,576 non-empty rows (Excel's
// maximum), written as XML straight into the zip.
func millionRows(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range minimalWorkbook() {
		if name == "xl/worksheets/sheet1.xml" {
			continue
		}
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	bw.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>Behandling</t></is></c><c r="B1" t="inlineStr"><is><t>Ändamål</t></is></c></row>`)
	for r := 2; r <= 1<<20; r++ {
		fmt.Fprintf(bw, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>1</v></c></row>`, r, r, r, r)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	bw.Flush()
	zw.Close()
	return buf.Bytes()
}

// encryptedXLSX writes a small register with a password (an encrypted OLE
// container, as Excel saves one).
func encryptedXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]string{"Behandling", "Ändamål", "Laglig grund"})
	f.SetSheetRow("Sheet1", "A2", &[]string{"Elevhälsa", "Stöd", "Allmänt intresse"})
	path := filepath.Join(t.TempDir(), "p.xlsx")
	if err := f.SaveAs(path, excelize.Options{Password: "hemligt"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bigRegister writes a register of n rows (the fixture's 8 activities
// cycled, numbered) as a Windows-1252 CSV and as an XLSX.
func bigRegister(b *testing.B, n int) (csvPath, xlsxPath string) {
	b.Helper()
	return writeBigRegister(b, b.TempDir(), n)
}

func writeBigRegister(b testing.TB, dir string, n int) (csvPath, xlsxPath string) {
	acts := [][]string{
		{"Elevhälsa", "Att ge elever stöd genom skolsköterska och kurator.", "Elever\nVårdnadshavare", "Namn\nPersonnummer\nUppgifter om hälsa", "Myndighetsutövning och allmänt intresse", "Bevaras i 10 år", "Regionen", "Den registrerade", "Nej", "PMO"},
		{"Skolskjuts", "Planera och besluta om skolskjuts.", "Elever", "Namn\nAdress", "Myndighetsutövning", "Gallras efter 2 år", "Trafikföretag", "Vårdnadshavare", "Nej", "Skolskjutsplaneraren"},
		{"Fotografering i skolan", "Skolkatalog och dokumentation.", "Elever\nPersonal", "Namn\nFotografi", "Samtycke", "Tas bort när samtycket återkallas", "Fotoföretag", "Den registrerade", "Nej", "Bildbanken"},
		{"Anställning av lärare", "Rekrytera och anställa personal.", "Sökande", "Namn\nKontaktuppgifter\nMeritförteckning", "Avtal", "Gallras 2 år efter rekryteringen", "Fackliga organisationer", "Den registrerade", "Nej", "Varbi"},
	}
	hdr := []string{"Behandling", "Ändamål", "Kategorier av registrerade", "Personuppgifter", "Laglig grund", "Lagringstid", "Mottagare", "Källa", "Tredjeland", "IT-stöd"}
	var sb strings.Builder
	q := func(s string) string {
		if strings.ContainsAny(s, "\n;\"") {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return s
	}
	sb.WriteString(strings.Join(hdr, ";") + "\r\n")
	fx := excelize.NewFile()
	sw, err := fx.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	row := make([]any, len(hdr))
	for i, h := range hdr {
		row[i] = h
	}
	sw.SetRow("A1", row)
	for i := 0; i < n; i++ {
		a := acts[i%len(acts)]
		cells := make([]string, len(a))
		copy(cells, a)
		cells[0] = fmt.Sprintf("%s %d", a[0], i+1)
		for j, c := range cells {
			if j > 0 {
				sb.WriteByte(';')
			}
			sb.WriteString(q(c))
			row[j] = c
		}
		sb.WriteString("\r\n")
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, row)
	}
	sw.Flush()
	enc, err := charmap.Windows1252.NewEncoder().String(sb.String())
	if err != nil {
		b.Fatal(err)
	}
	csvPath = filepath.Join(dir, "big.csv")
	xlsxPath = filepath.Join(dir, "big.xlsx")
	if err := os.WriteFile(csvPath, []byte(enc), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := fx.SaveAs(xlsxPath); err != nil {
		b.Fatal(err)
	}
	return csvPath, xlsxPath
}

const benchRows = 100_000

var benchFiles struct{ csv, xlsx string }

func benchInputs(b *testing.B) (string, string) {
	if benchFiles.csv == "" || !exists(benchFiles.csv) {
		benchFiles.csv, benchFiles.xlsx = bigRegister(b, benchRows)
	}
	return benchFiles.csv, benchFiles.xlsx
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// benchImport ingests one file (no index) per iteration and reports rows/s.
func benchImport(b *testing.B, path string, env *pipeline.Env) {
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := b.TempDir()
		sum, err := pipeline.Run(context.Background(), pipeline.Config{Inputs: []string{path}, Out: out, Workers: 1, NoIndex: true, Env: env})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Records != benchRows {
			b.Fatalf("%d records, want %d", sum.Records, benchRows)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// sheetOnlyEnv is the default environment with the sheet extractor alone:
// the import without the other extractors' Detect over every line.
func sheetOnlyEnv() *pipeline.Env {
	env := pipeline.DefaultEnv()
	env.Extractors = []extractors.Extractor{sheet.New()}
	return env
}

// BenchmarkTableImport: a 100,000-row register (Windows-1252 CSV, and the
// same as XLSX) through every stage (read, decode and repair, layout,
// extract, normalize, quality, records.jsonl), without the search index;
// "default" asks every extractor's Detect as ingest does, "sheet-only"
// only the sheet extractor's. Both build their environment before the
// timer starts, so that neither pays the repair lexicon's one-time load
// (about 0.5 s, once per process).
func BenchmarkTableImport(b *testing.B) {
	c, x := benchInputs(b)
	for _, in := range []struct{ name, path string }{{"csv", c}, {"xlsx", x}} {
		b.Run(in.name+"/default", func(b *testing.B) { benchImport(b, in.path, pipeline.DefaultEnv()) })
		b.Run(in.name+"/sheet-only", func(b *testing.B) { benchImport(b, in.path, sheetOnlyEnv()) })
	}
}

// BenchmarkTableRepairCSV: the repair stage's part of the CSV import alone
// (Decode of the bytes, then Text of every distinct cell as the reader
// does it); its ns/op over BenchmarkTableImport/csv's is the repair
// stage's share.
func BenchmarkTableRepairCSV(b *testing.B) {
	c, _ := benchInputs(b)
	raw, err := os.ReadFile(c)
	if err != nil {
		b.Fatal(err)
	}
	env := pipeline.DefaultEnv()
	text, _, err := env.Repair.Decode(raw)
	if err != nil {
		b.Fatal(err)
	}
	var cells []string
	for _, l := range strings.Split(text, "\r\n") {
		cells = append(cells, strings.Split(l, ";")...)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := env.Repair.Decode(raw); err != nil {
			b.Fatal(err)
		}
		memo := map[string]string{}
		for _, c := range cells {
			if _, ok := memo[c]; !ok {
				memo[c], _ = env.Repair.Text(c)
			}
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
