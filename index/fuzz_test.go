package index

import (
	"context"
	"fmt"
	"testing"
)

// FuzzSearch runs arbitrary query text through the term scorer and bleve's
// searchers on collectIndex (several segments, a deleted file, many ties):
// neither may fail or panic, and they must agree (sameResult) on the
// total, the facets and the first page.
func FuzzSearch(f *testing.F) {
	for _, q := range []string{
		"personnummer", "personnummer namn", `"allmänt intresse"`, "personn", "skateverket",
		"hälsa -barn", "halsa fardtjanst -legal_basis:avtal kind:activity",
		`personal_data:personnummer municipality:"Luleå kommun"`, `"uppgifter om hälsa"`,
		"e-post -\"skyddad identitet\"", "och", `"`, "-", "a:b", "personnummer*", "😀 ÅÄÖ",
	} {
		f.Add(q)
	}
	b := collectIndex(f)
	ctx := context.Background()
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
