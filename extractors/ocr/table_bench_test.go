package ocr_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/ocr"
	"github.com/registerlyft/registerlyft/extractors/table"
	"github.com/registerlyft/registerlyft/pipeline"
	"github.com/registerlyft/registerlyft/pipeline/normalize"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/score"
)

// BenchmarkScanTableF1 runs the scanned register tables of testdata/tables
// end to end as the pipeline reads a scan: every page OCR'd (PDFPage),
// lines and repair (pipeline.SetOCRPages), table reconstruction
// (extractors/table), normalization, and reports the mean field F1 against
// the gold per scan (bar: 300 dpi ≥ 0.95, 200 dpi black and white ≥ 0.93).
// A benchmark, not a test: full A4 pages cost ~4 CPU-seconds each.
func BenchmarkScanTableF1(b *testing.B) {
	scans, _ := filepath.Glob("../../testdata/tables/scans/*.pdf")
	if len(scans) == 0 {
		b.Skip("no scans in testdata/tables/scans")
	}
	p := newPool(b, ocr.Config{Workers: 2})
	env := pipeline.DefaultEnv()
	for i := 0; i < b.N; i++ {
		for _, s := range scans {
			base := strings.TrimSuffix(filepath.Base(s), ".pdf")
			name := strings.Join(strings.SplitN(base, "_", 3)[:2], "_")
			var pages []extractors.Page
			for n := 1; ; n++ {
				r, err := p.PDFPage(context.Background(), s, n)
				if err != nil {
					break
				}
				pages = append(pages, r.Page)
			}
			doc := &extractors.Doc{Path: filepath.Base(s), Format: "scan", Repair: env.Repair}
			pipeline.SetOCRPages(env, &pipeline.Item{}, doc, pages)
			raws, err := table.New().Extract(doc)
			if err != nil {
				b.Fatalf("%s: %v", s, err)
			}
			var got []record.Record
			for _, r := range raws {
				rec := normalize.Record(r)
				rec.ID = strings.Repeat("x", len(got)+1)
				got = append(got, rec)
			}
			gb, err := os.ReadFile("../../testdata/tables/gold/" + name + ".json")
			if err != nil {
				b.Fatal(err)
			}
			var gold []record.Record
			if err := json.Unmarshal(gb, &gold); err != nil {
				b.Fatal(err)
			}
			res := score.Compare(got, gold)
			sum, k := 0.0, 0
			for _, f := range res.Fields {
				if f == "legal_basis" {
					continue
				}
				sum += res.Mean[f]
				k++
			}
			var sb strings.Builder
			res.Write(&sb, base)
			b.Logf("%s: %d pages, rows found %d/%d, %d extra\n%s", base, len(pages), res.Found, len(gold), len(res.Extra), sb.String())
			if i == 0 {
				b.ReportMetric(sum/float64(k), "F1-"+base)
			}
		}
	}
}
