package pdfwords

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzWords feeds Read mutated PDFs (seeded with the small fixture PDFs:
// the standard-14 page with its Form XObject and the broken ones, plus the
// first pages' worth of a LibreOffice PDF): it must never panic, and what it
// returns must be sane.
//
//	go test -run '^$' -fuzz FuzzWords -fuzztime 60s -fuzzminimizetime 5s ./extractors/pdfwords
func FuzzWords(f *testing.F) {
	for _, pat := range []string{"pdf/*.pdf", "words/*.pdf", "bad/*.pdf"} {
		m, _ := filepath.Glob(filepath.Join(fixtures, pat))
		for _, p := range m {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			if len(b) < 8<<10 { // the fuzzer minimises large inputs very slowly
				f.Add(b)
			}
		}
	}
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Read(data)
		if err != nil {
			if doc != nil {
				t.Fatalf("error %v with a document", err)
			}
			return
		}
		for _, p := range doc.Pages {
			for _, w := range p.Words {
				if w.Text == "" || w.X1 < w.X0 || w.Y1 < w.Y0 {
					t.Fatalf("page %d: bad word %+v", p.N, w)
				}
			}
		}
	})
}
