package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

var benchMunicipalities = []string{
	"Södertälje kommun", "Luleå kommun", "Hedemora kommun", "Åre kommun", "Älvdalens kommun",
	"Örebro kommun", "Lilla Edets kommun", "Malmö stad", "Göteborgs stad", "Västerås stad",
	"Umeå kommun", "Jönköpings kommun", "Härnösands kommun", "Region Norrbotten", "Ljusdals kommun",
	"Trollhättans stad", "Skellefteå kommun", "Östersunds kommun", "Sölvesborgs kommun", "Kiruna kommun",
}

var benchOrgans = []string{
	"Kommunstyrelsen", "Socialnämnden", "Barn- och utbildningsnämnden", "Miljö- och byggnadsnämnden",
	"Kultur- och fritidsnämnden", "Tekniska nämnden", "Överförmyndarnämnden", "Valnämnden",
}

// syntheticRecords makes n records from the gold records, with varied
// municipalities, organs, files and activity names.
func syntheticRecords(b testing.TB, n int) []record.Record {
	gold := append(loadGold(b, gold002, "scan"), loadGold(b, gold004, "html")...)
	out := make([]record.Record, 0, n)
	for i := 0; i < n; i++ {
		r := gold[i%len(gold)]
		m := benchMunicipalities[(i/len(gold))%len(benchMunicipalities)]
		o := benchOrgans[(i/(len(gold)*len(benchMunicipalities)))%len(benchOrgans)]
		r.ID = fmt.Sprintf("syn-%06d", i)
		r.Municipality = m
		r.Organ = o
		r.Activity = fmt.Sprintf("%s (%s, nr %d)", r.Activity, o, i)
		r.Provenance.File = fmt.Sprintf("synthetic/%s/%s.txt", m, o)
		out = append(out, r)
	}
	return out
}

// indexAll indexes recs in batches of 1000, as the pipeline does per file.
func indexAll(b testing.TB, be Backend, recs []record.Record) {
	const batch = 1000
	for i := 0; i < len(recs); i += batch {
		if err := be.Index(context.Background(), recs[i:min(i+batch, len(recs))]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndex10k(b *testing.B) {
	recs := syntheticRecords(b, 10000)
	root := b.TempDir()
	iter := 0
	for b.Loop() {
		dir, err := os.MkdirTemp(root, "idx")
		if err != nil {
			b.Fatal(err)
		}
		be, err := Open(filepath.Join(dir, "idx"))
		if err != nil {
			b.Fatal(err)
		}
		indexAll(b, be, recs)
		if n, err := be.Count(); err != nil || n != uint64(len(recs)) {
			b.Fatalf("count %d, %v", n, err)
		}
		be.Close()
		iter++
	}
	b.ReportMetric(float64(iter*len(recs))/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkSearchTerm(b *testing.B) {
	be, err := Open(filepath.Join(b.TempDir(), "idx"))
	if err != nil {
		b.Fatal(err)
	}
	defer be.Close()
	indexAll(b, be, syntheticRecords(b, 10000))
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"personnummer", Query{Text: "personnummer", Facets: []string{KeyKind}}},
		{"personnummer_facets_highlight", Query{Text: "personnummer", Highlight: true}},
		{"halsa_avtal", Query{Text: "halsa legal_basis:avtal"}},
		{"phrase", Query{Text: `"skyddad identitet"`, Highlight: true}},
		{"match_all_facets", Query{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var total uint64
			for b.Loop() {
				res, err := be.Search(context.Background(), bc.q)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}
