package index_test

// These tests run the real pipeline on the seed documents and search the
// index it writes, as a data protection officer would.

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/registerlyft/registerlyft/index"
	"github.com/registerlyft/registerlyft/pipeline"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

var (
	seedOnce sync.Once
	seedDir  string
	seedErr  error
)

// seedIndex ingests ../testdata/seeds once per test binary.
func seedIndex(t *testing.T) (index.Backend, []record.Record) {
	t.Helper()
	seedOnce.Do(func() {
		seedDir, seedErr = os.MkdirTemp("", "registerlyft-index-seeds")
		if seedErr != nil {
			return
		}
		_, seedErr = pipeline.Run(context.Background(), pipeline.Config{Inputs: []string{"../testdata/seeds"}, Out: seedDir, Workers: 2})
	})
	if seedErr != nil {
		t.Fatalf("ingest seeds: %v", seedErr)
	}
	recs, err := pipeline.ReadRecords(filepath.Join(seedDir, pipeline.RecordsFile))
	if err != nil {
		t.Fatal(err)
	}
	b, err := index.Open(filepath.Join(seedDir, pipeline.IndexDir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b, recs
}

func TestMain(m *testing.M) {
	code := m.Run()
	if seedDir != "" {
		os.RemoveAll(seedDir)
	}
	os.Exit(code)
}

func hasPersonnummer(r record.Record) bool {
	return r.Kind == record.KindActivity && strings.Contains(strings.ToLower(strings.Join(r.PersonalData, " ")), "personnummer")
}

// TestSeedsPersonnummer: "personnummer" finds the 22 activities of seeds 002
// and 004 that process it (9 + 13, as in the gold records) and no activity
// without it ranks above any of them.
func TestSeedsPersonnummer(t *testing.T) {
	b, recs := seedIndex(t)
	want := map[string]int{"002": 0, "004": 0}
	for _, r := range recs {
		if hasPersonnummer(r) {
			want[filepath.Base(r.Provenance.File)[:3]]++
		}
	}
	if want["002"] != 9 || want["004"] != 13 {
		t.Fatalf("the pipeline's records have personnummer in %v activities, want 002: 9, 004: 13 (extraction changed?)", want)
	}
	for _, q := range []string{"personnummer", "Personnummer", "personnumret", "pnr", "personal_data:personnummer"} {
		res, err := b.Search(context.Background(), index.Query{Text: q, Size: 500})
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]int{}
		lastTrue, firstOther := -1, -1
		for i, h := range res.Hits {
			switch {
			case hasPersonnummer(h.Record):
				found[filepath.Base(h.Record.Provenance.File)[:3]]++
				lastTrue = i
			case h.Record.Kind == record.KindActivity && firstOther < 0:
				firstOther = i
			}
		}
		if found["002"] != 9 || found["004"] != 13 {
			t.Errorf("%q: found %v, want 002: 9, 004: 13", q, found)
		}
		if firstOther >= 0 && firstOther < lastTrue {
			t.Errorf("%q: activity %s without personnummer ranks %d, above a true hit at %d", q, res.Hits[firstOther].ID, firstOther+1, lastTrue+1)
		}
	}
}

// TestSeedsFilterCounts: legal_basis:samtycke and the municipality facet
// count exactly the records that have them.
func TestSeedsFilterCounts(t *testing.T) {
	b, recs := seedIndex(t)
	samtycke := 0
	mun := map[string]int{}
	for _, r := range recs {
		if slices.Contains(r.LegalBasis, "samtycke") {
			samtycke++
		}
		if r.Municipality != "" {
			mun[r.Municipality]++
		}
	}
	if samtycke != 6 {
		t.Errorf("pipeline records with samtycke: %d, gold has 6", samtycke)
	}
	for _, q := range []string{"legal_basis:samtycke", "legal_basis:Samtycke", `legal_basis:"samtycke"`} {
		res, err := b.Search(context.Background(), index.Query{Text: q, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		if int(res.Total) != samtycke {
			t.Errorf("%q: total %d, want %d", q, res.Total, samtycke)
		}
	}
	res, err := b.Search(context.Background(), index.Query{Facets: []string{index.KeyMunicipality}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, fc := range res.Facets[index.KeyMunicipality] {
		got[fc.Term] = fc.Count
	}
	if len(got) != len(mun) {
		t.Errorf("municipality facet %v, want %v", got, mun)
	}
	for m, n := range mun {
		if got[m] != n {
			t.Errorf("municipality facet %q = %d, want %d", m, got[m], n)
		}
		// The facet's value used as a filter selects as many.
		fr, err := b.Search(context.Background(), index.Query{Text: `municipality:"` + m + `"`, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if int(fr.Total) != n {
			t.Errorf("municipality:%q: total %d, want %d", m, fr.Total, n)
		}
		folded := index.Fold(m)
		if fr2, _ := b.Search(context.Background(), index.Query{Text: `municipality:"` + folded + `"`, NoFacets: true}); fr2 == nil || fr2.Total != fr.Total {
			t.Errorf("municipality:%q (folded) gives another count than %q", folded, m)
		}
	}
	if res.Total != uint64(len(recs)) {
		t.Errorf("empty query: total %d, want all %d records", res.Total, len(recs))
	}
}
