package index

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
)

// TestHitCollector checks that hitCollector gives bleve's order (score,
// then ID), totals, pages and facet counts, on an index of several
// segments with deleted records and many tied scores.
func TestHitCollector(t *testing.T) {
	b, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	if err := b.Index(ctx, seedRecords(t)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3000; i += 600 {
		if err := b.Index(ctx, synthetic(t, i, i+600)); err != nil {
			t.Fatal(err)
		}
	}
	// Deleted records in the segments: a file of synthetic records.
	del := synthetic(t, 0, 1)[0].Provenance.File
	if err := b.DeleteFile(ctx, del); err != nil {
		t.Fatal(err)
	}
	b.noCache = true
	queries := []Query{
		{Text: "personnummer"},
		{Text: "personnummer namn", Facets: []string{KeyOrgan, KeyQuality, KeyFormat}},
		{Text: `"allmänt intresse"`},
		{Text: "personn"},
		{Text: "skateverket"},
		{Text: ""},
		{Text: "hälsa -barn", Filters: map[string][]string{KeyOrgan: {"Kommunstyrelsen"}}},
		{Text: "zzzxqy"},
	}
	pages := [][2]int{{0, 20}, {37, 15}, {0, MaxSize}, {5000, 10}}
	for _, q := range queries {
		for _, pg := range pages {
			q.From, q.Size = pg[0], pg[1]
			b.bleveCollect = true
			want, err := b.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			b.bleveCollect = false
			got, err := b.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%q from %d size %d", q.Text, q.From, q.Size)
			if got.Total != want.Total {
				t.Errorf("%s: total %d, bleve %d", name, got.Total, want.Total)
			}
			if !reflect.DeepEqual(ids(got.Hits), ids(want.Hits)) {
				t.Errorf("%s: hits\n%v\nbleve\n%v", name, ids(got.Hits), ids(want.Hits))
			}
			for i := range min(len(got.Hits), len(want.Hits)) {
				if got.Hits[i].Score != want.Hits[i].Score || !reflect.DeepEqual(got.Hits[i].Record, want.Hits[i].Record) {
					t.Errorf("%s: hit %d differs", name, i)
					break
				}
			}
			if !reflect.DeepEqual(got.Facets, want.Facets) {
				t.Errorf("%s: facets\n%v\nbleve\n%v", name, got.Facets, want.Facets)
			}
		}
	}
}
