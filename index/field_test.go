package index

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// TestTokenFrequencies checks that textField counts terms and collects
// term vectors exactly as bleve's analysis.TokenFrequency does.
func TestTokenFrequencies(t *testing.T) {
	b, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	type occ struct {
		term string
		freq int
		locs []bleveindex.TokenLocation
	}
	flat := func(tfs bleveindex.TokenFrequencies) map[string]occ {
		out := map[string]occ{}
		for k, tf := range tfs {
			o := occ{term: string(tf.Term), freq: tf.Frequency()}
			for _, l := range tf.Locations {
				o.locs = append(o.locs, *l)
			}
			out[k] = o
		}
		return out
	}
	recs := synthetic(t, 0, 300)
	n := 0
	for i := range recs {
		for _, vs := range fieldValues(&recs[i]) {
			v := []byte(joinItems(vs) + " " + joinItems(vs)) // repeated terms
			for _, opts := range []bleveindex.FieldIndexingOptions{
				bleveindex.IndexField | bleveindex.IncludeTermVectors,
				bleveindex.IndexField,
				bleveindex.IndexField | bleveindex.SkipFreqNorm,
				bleveindex.IndexField | bleveindex.SkipFreqNorm | bleveindex.IncludeTermVectors,
			} {
				tokens := b.analyzer.Analyze(append([]byte(nil), v...))
				got := flat(tokenFrequencies(tokens, opts))
				want := flat(analysis.TokenFrequency(tokens, nil, opts))
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%q with options %v:\n got %v\nwant %v", v, opts, got, want)
				}
				n++
			}
		}
	}
	if got := tokenFrequencies(nil, bleveindex.IndexField|bleveindex.IncludeTermVectors); len(got) != 0 {
		t.Errorf("no tokens: %v", got)
	}
	t.Logf("%d values compared", n)
}
