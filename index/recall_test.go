package index

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// plantedRow is one row of ../testdata/search/recall.tsv.
type plantedRow struct {
	id, query, class, source, field, text string
}

func readRecallSet(t *testing.T) []plantedRow {
	t.Helper()
	data, err := os.ReadFile("../testdata/search/recall.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var rows []plantedRow
	for i, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			t.Fatalf("recall.tsv line %d: %d columns, want 6", i+1, len(f))
		}
		rows = append(rows, plantedRow{f[0], f[1], f[2], f[3], f[4], f[5]})
	}
	return rows
}

// plantedRecord makes the record that carries a row's text in its field.
func plantedRecord(r plantedRow) record.Record {
	rec := record.Record{ID: r.id, Kind: record.KindActivity, Municipality: "Testby kommun", Organ: "Kommunstyrelsen",
		Activity: "Registrering " + r.id, Provenance: record.Provenance{File: "recall/" + r.id + ".txt", Format: "txt"}}
	switch r.field {
	case "personal_data":
		rec.PersonalData = []string{"namn", r.text}
	case "purpose":
		rec.Purpose = r.text
	case "text":
		rec.Kind = record.KindDocument
		rec.Activity = ""
		rec.Title = "Dokument " + r.id
		rec.Text = r.text
	}
	return rec
}

// TestRecall indexes the planted variants and look-alikes of
// testdata/search/recall.tsv and searches each query: recall over the
// variants must be at least 0.97, no look-alike may be among the first ten
// hits, and the query typed without å/ä/ö must return the same set.
func TestRecall(t *testing.T) {
	rows := readRecallSet(t)
	b, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var recs []record.Record
	byQuery := map[string][]plantedRow{}
	variants := 0
	for _, r := range rows {
		recs = append(recs, plantedRecord(r))
		byQuery[r.query] = append(byQuery[r.query], r)
		if r.class == "variant" {
			variants++
		}
	}
	if variants < 200 {
		t.Fatalf("recall set has %d variants, want at least 200", variants)
	}
	if err := b.Index(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	queries := make([]string, 0, len(byQuery))
	for q := range byQuery {
		queries = append(queries, q)
	}
	sort.Strings(queries)
	found, lookTop := 0, 0
	for _, q := range queries {
		text := q
		if strings.Contains(q, " ") {
			text = `"` + q + `"`
		}
		res, err := b.Search(context.Background(), Query{Text: text, Size: MaxSize, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		rank := map[string]int{}
		for i, h := range res.Hits {
			rank[h.ID] = i + 1
		}
		for _, r := range byQuery[q] {
			switch {
			case r.class == "variant" && rank[r.id] > 0:
				found++
			case r.class == "variant":
				t.Logf("%s: missed %s %q in %s (%s)", q, r.id, r.text, r.field, r.source)
			case rank[r.id] > 0 && rank[r.id] <= 10:
				lookTop++
				t.Errorf("%s: look-alike %q (%s) ranks %d", q, r.text, r.field, rank[r.id])
			}
		}
		// Typed without å/ä/ö: the same set.
		if f := Fold(text); f != strings.ToLower(text) {
			res2, err := b.Search(context.Background(), Query{Text: f, Size: MaxSize, NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
			if a, b := sorted(ids(res.Hits)), sorted(ids(res2.Hits)); !reflect.DeepEqual(a, b) {
				t.Errorf("%q gives %d hits, %q gives %d: not the same set", text, len(a), f, len(b))
			}
		}
	}
	recall := float64(found) / float64(variants)
	t.Logf("recall %d/%d = %.3f; look-alikes in a top 10: %d", found, variants, recall, lookTop)
	if recall < 0.97 {
		t.Errorf("recall %.3f < 0.97", recall)
	}
}

// TestHostileQueries: no user input makes Search fail.
func TestHostileQueries(t *testing.T) {
	b, _, _ := openSeeded(t)
	long := strings.Repeat("personnummer ", 800)[:10000]
	var special strings.Builder
	for r := rune(0); r < 0x250; r++ {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			special.WriteRune(r)
		}
	}
	inputs := []string{
		long,
		strings.Repeat("x", 10000),
		strings.Repeat(`"`, 10000),
		strings.Repeat("-", 10000),
		strings.Repeat("a:", 5000),
		special.String(),
		`!"#$%&'()*+,-./:;<=>?@[\]^_{|}~` + "`",
		`+personnummer~2 AND (hälsa OR "x) NOT y^3 field:* /re.*gex/ \u0000`,
		"\x00\x01\x02\xff\xfe\xfd",
		"<script>alert(1)</script>",
		"personnummer\u200b\u00ad\ufeff",
		`municipality:"Luleå kommun`,
		`legal_basis:`,
		`-`,
		`*`,
		`?`,
		`personal_data:"`,
	}
	for _, in := range inputs {
		for _, hl := range []bool{false, true} {
			res, err := b.Search(context.Background(), Query{Text: in, Highlight: hl})
			if err != nil {
				t.Errorf("Search(%.40q): %v", in, err)
				continue
			}
			if res == nil {
				t.Errorf("Search(%.40q): nil result", in)
			}
		}
	}
	res := search(t, b, Query{Text: long})
	if res.Total == 0 || len(res.Hints) == 0 {
		t.Errorf("10,000-character query: total %d, hints %q; want hits and a hint that it was cut", res.Total, res.Hints)
	}
	res = search(t, b, Query{Text: `"personnummer`})
	if res.Total == 0 || len(res.Hints) != 1 || !strings.Contains(res.Hints[0], "quote") {
		t.Errorf(`unbalanced quote: total %d, hints %q; want hits and a hint`, res.Total, res.Hints)
	}
}

// TestPhrasesAndHighlights: phrases across a dropped stop word, typed with
// or without å/ä/ö, and highlights of folded, decompounded and OCR-damaged
// words at the right offsets.
func TestPhrasesAndHighlights(t *testing.T) {
	b, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	recs := []record.Record{
		{ID: "a", Kind: record.KindActivity, Purpose: "Planering av hälso- och sjukvård för äldre.", PersonalData: []string{"Personnummeruppgifter", "namn"}},
		{ID: "b", Kind: record.KindActivity, Purpose: "Sjukvård och hälsa.", DataSubjects: []string{"Fértroendevalda"}},
		{ID: "c", Kind: record.KindActivity, Purpose: "Halsband och halsdukar säljs.", PersonalData: []string{"Telefonnummer"}},
	}
	if err := b.Index(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{`"hälso- och sjukvård"`, []string{"a"}},
		{`"halso och sjukvard"`, []string{"a"}},
		{`"sjukvård hälso"`, nil},
		{`"sjukvård och hälsa"`, []string{"b"}},
		{`personal_data:personnummer`, []string{"a"}},
		{`förtroendevalda`, []string{"b"}},
	} {
		res := search(t, b, Query{Text: tt.q})
		if got := sorted(ids(res.Hits)); !reflect.DeepEqual(got, sorted(tt.want)) && !(len(got) == 0 && tt.want == nil) {
			t.Errorf("%s: %v, want %v", tt.q, got, tt.want)
		}
	}
	for _, tt := range []struct {
		q, id, field, want string
	}{
		{"personnummer", "a", "personal_data", "<mark>Personnummeruppgifter</mark>"},
		{"hälsa", "a", "purpose", "av <mark>hälso</mark>- och"},
		{"halsa", "b", "purpose", "och <mark>hälsa</mark>."},
		{"förtroendevalda", "b", "data_subjects", "<mark>Fértroendevalda</mark>"},
	} {
		res := search(t, b, Query{Text: tt.q, Highlight: true})
		var frags []string
		for _, h := range res.Hits {
			if h.ID == tt.id {
				frags = h.Fragments[tt.field]
			}
		}
		if !anyContains(frags, tt.want) {
			t.Errorf("%s: %s %s fragments %q, want %q", tt.q, tt.id, tt.field, frags, tt.want)
		}
	}
}
