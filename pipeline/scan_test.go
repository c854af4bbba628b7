package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/score"
)

// TestIngestScans ingests the scanned register tables of testdata/tables
// (image-only PDFs printed from the LibreOffice fixtures, rotated and with
// noise) end to end as ingest does: pages without a text layer go to the
// real Tesseract workers, the words to the table extractor. Each scan is
// scored against the gold of the table it was printed from: every row
// found and a mean field F1 of at least 0.95 at 300 dpi and 0.93 at 200
// dpi (black and white or grey). Six A4 pages: about 25 CPU-seconds.
func TestIngestScans(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR of six pages; skipped with -short")
	}
	scans, _ := filepath.Glob(filepath.Join(tablesDir, "scans", "*.pdf"))
	if len(scans) == 0 {
		t.Fatal("no scans in testdata/tables/scans")
	}
	out := t.TempDir()
	sum, err := Run(context.Background(), Config{Inputs: []string{filepath.Join(tablesDir, "scans")}, Out: out, Workers: 2, Env: ocrEnv(t), NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.WithRecords != len(scans) {
		t.Errorf("%d of %d scans gave records (quarantined: %v)", sum.WithRecords, len(scans), sum.ByReason)
	}
	recs, err := ReadRecords(filepath.Join(out, RecordsFile))
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string][]record.Record{}
	for _, r := range recs {
		if r.Provenance.Format != "scan" || r.Provenance.Extractor != "table" || r.Provenance.Page == 0 || r.Provenance.Line == 0 {
			t.Errorf("%s: format %q extractor %q page %d line %d", r.Activity, r.Provenance.Format, r.Provenance.Extractor, r.Provenance.Page, r.Provenance.Line)
		}
		byFile[r.Provenance.File] = append(byFile[r.Provenance.File], r)
	}
	for _, s := range scans {
		base := filepath.Base(s)
		name := strings.Join(strings.SplitN(strings.TrimSuffix(base, ".pdf"), "_", 3)[:2], "_") // reg_a_300gray → reg_a
		bar := 0.93
		if strings.Contains(base, "300") {
			bar = 0.95
		}
		gold := readGold(t, filepath.Join("..", "tables", "gold", name+".json"))
		res := score.Compare(byFile[base], gold)
		var sb strings.Builder
		res.Write(&sb, base)
		mean, k := 0.0, 0
		for _, f := range res.Fields {
			if f != "legal_basis" {
				mean += res.Mean[f]
				k++
			}
		}
		mean /= float64(k)
		t.Logf("\n%smean field F1 %.4f (bar %.2f), %d extra records", sb.String(), mean, bar, len(res.Extra))
		if res.Found != len(gold) {
			t.Errorf("%s: %d of %d rows found", base, res.Found, len(gold))
		}
		if mean < bar {
			var d strings.Builder
			res.WriteDiffs(&d, 0.9)
			t.Errorf("%s: mean field F1 %.4f < %.2f\n%s", base, mean, bar, d.String())
		}
	}
}

// TestBadTextLayerGoesToOCR reads a scan whose hidden text layer is garbage
// (as a bad OCR program leaves it): the reader must not trust the layer,
// but OCR the page, and the records must say they came from a scan.
func TestBadTextLayerGoesToOCR(t *testing.T) {
	env := ocrEnv(t)
	doc, _, err := readPDFFile(t, env, filepath.Join(ocrTestdata, "badlayer.pdf"))
	if err != nil {
		t.Fatalf("readPDF: %v", err)
	}
	if doc.Format != "scan" || len(doc.Pages) != 1 || doc.Pages[0].Source != SourceOCR {
		t.Fatalf("format %q, %d pages, source %q; want scan, 1 page from OCR", doc.Format, len(doc.Pages), doc.Pages[0].Source)
	}
	text := doc.Text()
	for _, w := range []string{"Färdtjänst", "Myndighetsutövning", "förskoleklass", "Rättslig"} {
		if !strings.Contains(text, w) {
			t.Errorf("OCR text lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "zzkrt") {
		t.Errorf("the garbage text layer was kept:\n%s", text)
	}
}

// TestSamplesOfEveryKind ingests testdata/samples, the inputs of every kind that
// `make run` shows beside the seeds: each file gives records, in its own
// format, from the extractor of its layout.
func TestSamplesOfEveryKind(t *testing.T) {
	out := t.TempDir()
	sum, err := Run(context.Background(), Config{Inputs: []string{"../testdata/samples"}, Out: out, Workers: 2, Env: ocrEnv(t), NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Quarantined != 0 {
		t.Errorf("quarantined %v", sum.ByReason)
	}
	recs, err := ReadRecords(filepath.Join(out, RecordsFile))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		format, extractor string
		n                 int
	}
	byFile := map[string]*got{}
	for _, r := range recs {
		g := byFile[r.Provenance.File]
		if g == nil {
			g = &got{format: r.Provenance.Format, extractor: r.Provenance.Extractor}
			byFile[r.Provenance.File] = g
		}
		g.n++
	}
	for file, want := range map[string]got{
		"utbildning-register.pdf":           {"pdf", "table", 10},
		"skannad-tabell.pdf":                {"scan", "table", 3},
		"register-dos-cp850.csv":            {"csv", "sheet", 8},
		"register-sammanslagna-celler.xlsx": {"xlsx", "sheet", 3},
		"kommunstyrelsen-register.docx":     {"docx", "sheet", 10},
	} {
		g := byFile[file]
		if g == nil || *g != want {
			t.Errorf("%s: got %+v, want %+v", file, g, want)
		}
	}
}
