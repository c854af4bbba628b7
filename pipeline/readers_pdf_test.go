package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/table"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/score"
)

const tablesDir = "../testdata/tables"

func readPDFFile(t *testing.T, env *Env, path string) (*extractors.Doc, *Item, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	it := &Item{Path: path, Rel: filepath.Base(path), Bytes: b, Kind: "pdf"}
	doc := &extractors.Doc{Path: it.Rel, Format: "pdf", Repair: env.Repair}
	return doc, it, readPDF(context.Background(), env, it, doc)
}

// TestReadPDF checks the PDF reader: pages from the text layer with their
// source, one Line per physical line with its page, words tied to lines;
// scans marked for OCR; broken files quarantined with a clear reason.
func TestReadPDF(t *testing.T) {
	env := DefaultEnv()
	for _, f := range []string{"pdf/reg_a.pdf", "pdf/reg_b.pdf", "words/ocrmypdf.pdf", "words/std14.pdf"} {
		t.Run(f, func(t *testing.T) {
			doc, _, err := readPDFFile(t, env, filepath.Join(tablesDir, f))
			if err != nil {
				t.Fatalf("readPDF: %v", err)
			}
			if len(doc.Pages) == 0 || len(doc.Lines) == 0 {
				t.Fatalf("%d pages, %d lines", len(doc.Pages), len(doc.Lines))
			}
			for _, p := range doc.Pages {
				if p.Source != SourceTextLayer {
					t.Errorf("page %d source %q, want %q", p.N, p.Source, SourceTextLayer)
				}
				for _, w := range p.Words {
					if w.Line < 1 || w.Line > len(doc.Lines) || doc.Lines[w.Line-1].Page != p.N ||
						!strings.Contains(doc.Lines[w.Line-1].Text, w.Text) {
						t.Fatalf("word %q on page %d: line %d does not hold it", w.Text, p.N, w.Line)
					}
				}
			}
			for i, l := range doc.Lines {
				if l.N != i+1 || l.Page < 1 {
					t.Fatalf("line %d: N %d page %d", i+1, l.N, l.Page)
				}
			}
		})
	}
	if PDFPageOCR == nil {
		t.Run("scan without OCR", func(t *testing.T) {
			doc, _, err := readPDFFile(t, env, filepath.Join(tablesDir, "scans/reg_b_200bw.pdf"))
			q := asQuarantine(err)
			if err == nil || q.Reason != ReasonEmpty || !strings.Contains(q.Detail, "OCR") {
				t.Fatalf("err = %v, want %q about OCR", err, ReasonEmpty)
			}
			for _, p := range doc.Pages {
				if p.Source != SourceNone {
					t.Errorf("page %d source %q, want %q", p.N, p.Source, SourceNone)
				}
			}
		})
	}
	for _, tt := range []struct{ file, reason, detail string }{
		{"encrypted.pdf", ReasonEncrypted, "password"},
		{"truncated.pdf", ReasonCorrupt, "EOF"},
		{"malformed.pdf", ReasonCorrupt, "startxref"},
		{"lzw.pdf", ReasonUnsupported, "LZWDecode"},
		{"zero_pages.pdf", ReasonEmpty, "no pages"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			_, _, err := readPDFFile(t, env, filepath.Join(tablesDir, "bad", tt.file))
			if err == nil {
				t.Fatal("no error")
			}
			q := asQuarantine(err)
			if q.Reason != tt.reason || !strings.Contains(q.Detail, tt.detail) {
				t.Errorf("quarantine %q / %q, want %q with %q", q.Reason, q.Detail, tt.reason, tt.detail)
			}
		})
	}
}

// TestIngestPDFTables runs the whole pipeline over the register PDFs and
// the broken ones together: the tables give their records (scored against
// the gold), each broken file is quarantined, and the batch goes on.
func TestIngestPDFTables(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"pdf/reg_a.pdf", "pdf/reg_b.pdf", "bad/encrypted.pdf", "bad/truncated.pdf", "bad/malformed.pdf", "bad/lzw.pdf", "bad/zero_pages.pdf"} {
		b, err := os.ReadFile(filepath.Join(tablesDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := DefaultEnv()
	env.Extractors = append([]extractors.Extractor{table.New()}, env.Extractors...)
	out := t.TempDir()
	sum, err := Run(context.Background(), Config{Inputs: []string{dir}, Out: out, Workers: 2, Env: env, NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Quarantined != 5 || sum.WithRecords != 2 {
		t.Errorf("quarantined %d (%v), with records %d; want 5 and 2", sum.Quarantined, sum.ByReason, sum.WithRecords)
	}
	for _, r := range []string{ReasonEncrypted, ReasonCorrupt, ReasonUnsupported, ReasonEmpty} {
		if sum.ByReason[r] == 0 {
			t.Errorf("no file quarantined as %q: %v", r, sum.ByReason)
		}
	}
	recs, err := ReadRecords(filepath.Join(out, RecordsFile))
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string][]record.Record{}
	for _, r := range recs {
		if r.Provenance.Extractor != "table" || r.Provenance.Page == 0 || r.Provenance.Line == 0 {
			t.Errorf("%s: extractor %q page %d line %d", r.Activity, r.Provenance.Extractor, r.Provenance.Page, r.Provenance.Line)
		}
		byFile[r.Provenance.File] = append(byFile[r.Provenance.File], r)
	}
	for _, name := range []string{"reg_a", "reg_b"} {
		gold := readGold(t, filepath.Join("..", "tables", "gold", name+".json"))
		res := score.Compare(byFile[name+".pdf"], gold)
		var sb strings.Builder
		res.Write(&sb, name+".pdf")
		t.Log("\n" + sb.String())
		if res.Found != len(gold) {
			t.Errorf("%s: %d of %d rows found", name, res.Found, len(gold))
		}
		for _, f := range res.Fields {
			if f != "legal_basis" && res.Mean[f] < 0.99 {
				t.Errorf("%s: %s F1 %.3f < 0.99", name, f, res.Mean[f])
			}
		}
	}
}
