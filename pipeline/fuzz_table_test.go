package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/sheet"
)

// fuzzTableReader feeds arbitrary bytes to a table reader and, when it
// accepts them, the sheet extractor: neither may panic, a refusal is a
// quarantine with a reason, and accepted grids are well formed.
func fuzzTableReader(f *testing.F, kind, name string, read func(context.Context, *Env, *Item, *extractors.Doc) error, seeds ...string) {
	for _, s := range seeds {
		if b, err := os.ReadFile(filepath.Join("..", "testdata", "tables-csv", s)); err == nil {
			f.Add(b)
		}
	}
	env := DefaultEnv()
	x := sheet.New()
	f.Fuzz(func(t *testing.T, b []byte) {
		it := &Item{Rel: name, Bytes: b, Kind: kind}
		doc := &extractors.Doc{Path: name, Format: kind, Repair: env.Repair}
		err := read(context.Background(), env, it, doc)
		if err != nil {
			var q *QuarantineError
			if !errors.As(err, &q) || q.Reason == "" {
				t.Fatalf("error %v is not a quarantine with a reason", err)
			}
			return
		}
		for _, s := range doc.Sheets {
			for _, m := range s.Merge {
				if m.Row0 < 0 || m.Col0 < 0 || m.Row1 < m.Row0 || m.Col1 < m.Col0 {
					t.Fatalf("merge %+v out of order", m)
				}
			}
		}
		if x.Detect(doc) > 0 {
			if _, err := x.Extract(doc); err != nil {
				t.Logf("extract: %v", err)
			}
		}
	})
}

// FuzzReadCSV: go test -run '^$' -fuzz FuzzReadCSV ./pipeline/
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("Behandling;Ändamål;Laglig grund\r\nA;\"b\"\"c\";Avtal\r\n;fortsättning;\r\n"))
	f.Add([]byte("\xff\xfeB\x00;\x00\"\x00"))
	fuzzTableReader(f, "csv", "f.csv", readCSV, "register_cp850_semicolon.csv", "register_utf16le_tab.tsv", "register_double_comma.csv")
}

// FuzzReadXLSX: go test -run '^$' -fuzz FuzzReadXLSX ./pipeline/
func FuzzReadXLSX(f *testing.F) {
	fuzzTableReader(f, "xlsx", "f.xlsx", readXLSX, "register.xlsx", "merged.xlsx")
}
