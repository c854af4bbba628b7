package index

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"testing"
)

// collectIndex is an index of several segments with deleted records and
// many tied scores: the seeds and 3,000 synthetic records in five batches,
// less one file.
func collectIndex(t testing.TB) *Bleve {
	t.Helper()
	b, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ctx := context.Background()
	if err := b.Index(ctx, seedRecords(t)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3000; i += 600 {
		if err := b.Index(ctx, synthetic(t, i, i+600)); err != nil {
			t.Fatal(err)
		}
	}
	del := synthetic(t, 0, 1)[0].Provenance.File
	if err := b.DeleteFile(ctx, del); err != nil {
		t.Fatal(err)
	}
	b.noCache = true
	return b
}

// pages are the pages each query of the tests below is asked for.
var pages = [][2]int{{0, 20}, {37, 15}, {0, MaxSize}, {5000, 10}}

// searchWays runs q as bleve alone (the reference) and as each faster way.
func searchWays(t *testing.T, b *Bleve, q Query) (want *Result, got map[string]*Result) {
	t.Helper()
	ways := []struct {
		name                 string
		bleveSearch, collect bool
	}{
		{"bleve", true, true},
		{"hitCollector", true, false},
		{"term scorer", false, false},
	}
	got = map[string]*Result{}
	for _, w := range ways {
		b.bleveSearch, b.bleveCollect = w.bleveSearch, w.collect
		res, err := b.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if w.name == "bleve" {
			want = res
		} else {
			got[w.name] = res
		}
	}
	b.bleveSearch, b.bleveCollect = false, false
	return want, got
}

// TestFasterSearchesAgree checks that hitCollector and the term scorer give
// bleve's totals, facet counts, pages (by score, ties in index order) and
// scores (to 1e-9: the sums are added in another order), on an index of
// several segments with deleted records and many tied scores.
func TestFasterSearchesAgree(t *testing.T) {
	b := collectIndex(t)
	queries := []Query{
		{Text: "personnummer"},
		{Text: "personnummer namn", Facets: []string{KeyOrgan, KeyQuality, KeyFormat}},
		{Text: `"allmänt intresse"`},
		{Text: "personn"},
		{Text: "skateverket"},
		{Text: ""},
		{Text: "hälsa -barn", Filters: map[string][]string{KeyOrgan: {"Kommunstyrelsen"}}},
		{Text: "halsa fardtjanst -legal_basis:avtal kind:activity"},
		{Text: "personal_data:personnummer municipality:luleå"},
		{Text: "kontaktuppgifter medarbetare -\"skyddad identitet\""},
		{Text: "e-post vårdnadshavare"},
		{Text: "zzzxqy"},
		{Text: "och"},
	}
	terms := 0
	for _, q := range queries {
		for _, pg := range pages {
			q.From, q.Size = pg[0], pg[1]
			want, got := searchWays(t, b, q)
			for way, res := range got {
				name := fmt.Sprintf("%s: %q from %d size %d", way, q.Text, q.From, q.Size)
				sameResult(t, name, res, want)
			}
		}
		if p, _ := b.exp.build(q, nil); p.terms != nil {
			terms++
		}
	}
	if terms < 8 {
		t.Errorf("the term scorer ran %d of %d queries, want ≥ 8", terms, len(queries))
	}
}

// sameResult reports where got differs from want: total, facets, the IDs
// of the page in order and their records, and scores to 1e-9. Hits whose
// scores are within 1e-9 of each other may change places, and a tie group
// cut by the end of the page may end with other hits.
func sameResult(t *testing.T, name string, got, want *Result) {
	t.Helper()
	if got.Total != want.Total {
		t.Errorf("%s: total %d, bleve %d", name, got.Total, want.Total)
	}
	if !reflect.DeepEqual(got.Facets, want.Facets) {
		t.Errorf("%s: facets\n%v\nbleve\n%v", name, got.Facets, want.Facets)
	}
	if len(got.Hits) != len(want.Hits) {
		t.Errorf("%s: %d hits, bleve %d", name, len(got.Hits), len(want.Hits))
		return
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }
	wantScore := map[string]float64{}
	for _, h := range want.Hits {
		wantScore[h.ID] = h.Score
	}
	for i, g := range got.Hits {
		w := want.Hits[i]
		if !near(g.Score, w.Score) {
			t.Errorf("%s: hit %d: %s score %g, bleve %s %g", name, i, g.ID, g.Score, w.ID, w.Score)
			return
		}
		if g.ID == w.ID {
			if !reflect.DeepEqual(g.Record, w.Record) {
				t.Errorf("%s: hit %d %s: record differs", name, i, g.ID)
			}
			continue
		}
		// A near tie in another order (the same score at this place):
		// g is elsewhere on bleve's page with the same score, or off the
		// page when its tie group is cut by the page's end.
		if s, ok := wantScore[g.ID]; ok && !near(s, g.Score) {
			t.Errorf("%s: hit %d is %s (%g), bleve %s (%g)", name, i, g.ID, g.Score, w.ID, w.Score)
			return
		}
		if _, ok := wantScore[g.ID]; !ok && !near(g.Score, want.Hits[len(want.Hits)-1].Score) {
			t.Errorf("%s: hit %d is %s (%g), not on bleve's page", name, i, g.ID, g.Score)
			return
		}
	}
}

// TestExpandPrefix checks that expandPrefix, which walks each segment's
// dictionary, expands a prefix to the terms bleve's merged dictionary
// gives, and prefixEnd.
func TestExpandPrefix(t *testing.T) {
	rd := snapshotReader(t, collectIndex(t))
	n := 0
	for _, f := range searchFields {
		for _, p := range []string{"person", "~hals", "upp", "s", "vård", "\xff"} {
			skip := map[string]bool{"personnumm": true}
			got, want := map[string]bool{}, map[string]bool{}
			expandPrefix(rd, f.Name, p, skip, got)
			d, err := rd.FieldDictPrefix(f.Name, []byte(p))
			expand(d, err, skip, want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %q: %v, bleve %v", f.Name, p, sortedKeys(got), sortedKeys(want))
			}
			n += len(got)
		}
	}
	if n == 0 {
		t.Error("no prefix expanded")
	}
	for p, want := range map[string]string{"ab": "ac", "a\xff": "b", "\xff\xff": "", "": ""} {
		if got := string(prefixEnd([]byte(p))); got != want {
			t.Errorf("prefixEnd(%q) = %q, want %q", p, got, want)
		}
	}
}
