package index

import (
	"context"
	"reflect"
	"testing"
)

// TestFuzzyExpansion checks that expandFuzzy, which builds one automaton
// for all fields and segments, finds the terms bleve's FieldDictFuzzy finds.
func TestFuzzyExpansion(t *testing.T) {
	b, _, _ := openSeeded(t)
	// More segments: one more batch per file of the synthetic records.
	recs := synthetic(t, 0, 400)
	for i := 0; i < len(recs); i += 100 {
		if err := b.Index(context.Background(), recs[i:i+100]); err != nil {
			t.Fatal(err)
		}
	}
	rd := snapshotReader(t, b)
	// plain hides the scorch snapshot, so that expandFuzzy asks bleve.
	type plain struct{ dictReader }
	compared := 0
	for _, term := range []string{"personumm", "personnumm", "halsa", "hals", "skateverket", "vardnadshavr", "kontaktuppgift", "namn", "~hals"} {
		for _, edits := range []int{1, 2} {
			for _, f := range searchFields {
				got, want := map[string]bool{}, map[string]bool{}
				skip := map[string]bool{term: true}
				expandFuzzy(rd, f.Name, term, edits, skip, got)
				expandFuzzy(plain{rd}, f.Name, term, edits, skip, want)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s~%d in %s: %v, bleve %v", term, edits, f.Name, got, want)
				}
				compared += len(want)
			}
		}
	}
	if compared < 50 {
		t.Errorf("only %d terms compared", compared)
	}
}

// snapshotReader returns a reader of b's current snapshot, closed when the
// test ends.
func snapshotReader(t *testing.T, b *Bleve) dictReader {
	t.Helper()
	adv, err := b.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r.(dictReader)
}
