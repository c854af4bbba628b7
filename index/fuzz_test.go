package index

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// FuzzSearch runs arbitrary query text through the term scorer and bleve's
// searchers on one index (the seeds and 1,200 synthetic records in two
// segments, less one file): neither may fail or panic, and they must agree
// (sameResult) on the total, the facets and the first page.
func FuzzSearch(f *testing.F) {
	for _, q := range []string{
		"personnummer", "personnummer namn", `"allmänt intresse"`, "personn", "skateverket",
		"hälsa -barn", "halsa fardtjanst -legal_basis:avtal kind:activity",
		`personal_data:personnummer municipality:"Luleå kommun"`, `"uppgifter om hälsa"`,
		"e-post -\"skyddad identitet\"", "och", `"`, "-", "a:b", "personnummer*", "😀 ÅÄÖ",
	} {
		f.Add(q)
	}
	b, err := Open(filepath.Join(f.TempDir(), "idx"))
	if err != nil {
		f.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	if err := b.Index(ctx, seedRecords(f)); err != nil {
		f.Fatal(err)
	}
	for i := 0; i < 1200; i += 600 {
		if err := b.Index(ctx, synthetic(f, i, i+600)); err != nil {
			f.Fatal(err)
		}
	}
	if err := b.DeleteFile(ctx, synthetic(f, 0, 1)[0].Provenance.File); err != nil {
		f.Fatal(err)
	}
	b.noCache = true
	f.Fuzz(func(t *testing.T, text string) {
		q := Query{Text: text, Size: 15}
		b.bleveSearch, b.bleveCollect = true, true
		want, werr := b.Search(ctx, q)
		b.bleveSearch, b.bleveCollect = false, false
		got, gerr := b.Search(ctx, q)
		if werr != nil || gerr != nil {
			t.Fatalf("%q: bleve %v, term scorer %v", text, werr, gerr)
		}
		sameResult(t, fmt.Sprintf("%q", text), got, want)
	})
}
