package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Seed files, relative to this package.
const (
	gold002 = "../testdata/gold/002_64d63baee2f0a659.json"
	gold004 = "../testdata/gold/004_670afb2e98eb9082.json"
	seed001 = "../testdata/seeds/001_2fbdfe8ee2a62f19.txt"
	seed003 = "../testdata/seeds/003_6d22029d34f76304.txt"
)

// annotatorSensitive is the gold README's expected sensitive_data beyond
// personnummer (which the test derives from personal_data), by record ID.
var annotatorSensitive = map[string][]string{
	"002-13": {"facklig tillhörighet", "skyddad identitet"},
	"002-18": {"hälsa"},
	"004-01": {"politiska åsikter"},
	"004-07": {"politiska åsikter"},
	"004-09": {"hälsa", "facklig tillhörighet"},
	"004-10": {"hälsa"},
	"004-11": {"facklig tillhörighet"},
	"004-13": {"hälsa"},
}

// annotatorPersonnummer is the gold README's list of records with
// personnummer.
var annotatorPersonnummer = []string{
	"002-04", "002-06", "002-07", "002-08", "002-13", "002-14", "002-18", "002-19", "002-20",
	"004-01", "004-02", "004-03", "004-07", "004-08", "004-09", "004-10", "004-12", "004-13",
	"004-14", "004-15", "004-22", "004-23",
}

// loadGold decodes a gold file into activity records of file seeds/<name>.txt.
func loadGold(t testing.TB, path, format string) []record.Record {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []record.Record
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	base := strings.TrimSuffix(filepath.Base(path), ".json")
	for i := range recs {
		r := &recs[i]
		r.ID = fmt.Sprintf("%s-%02d", base[:3], i+1)
		r.Kind = record.KindActivity
		r.Provenance = record.Provenance{File: "seeds/" + base + ".txt", Format: format, Extractor: "gold", Confidence: 1}
		for _, pd := range r.PersonalData {
			if strings.Contains(strings.ToLower(pd), "personnummer") {
				r.SensitiveData = []string{"personnummer"}
				r.Quality.Warnings = []record.Warning{{Code: "Q7", Name: "personnummer_without_need", Severity: "info", Message: "personnummer"}}
				break
			}
		}
		r.SensitiveData = append(r.SensitiveData, annotatorSensitive[r.ID]...)
	}
	return recs
}

func loadDoc(t testing.TB, id, path string, r record.Record) record.Record {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r.ID = id
	r.Kind = record.KindDocument
	r.Text = string(data)
	r.Provenance = record.Provenance{File: "seeds/" + filepath.Base(path), Format: "txt", Extractor: "document", Confidence: 1}
	return r
}

// seedRecords are the 43 gold activities and the documents of seeds 001 and
// 003 (only 003's text mentions personnummer).
func seedRecords(t testing.TB) []record.Record {
	recs := append(loadGold(t, gold002, "scan"), loadGold(t, gold004, "html")...)
	recs = append(recs,
		loadDoc(t, "001-doc", seed001, record.Record{Organ: "Kommunstyrelsen", Title: "Personuppgiftsincidenter till KS 2020", Date: "2020-10-26"}),
		loadDoc(t, "003-doc", seed003, record.Record{Municipality: "Hedemora kommun", Organ: "Kommunstyrelsen", Title: "Kommunstyrelsens hantering av personuppgifter", Date: "2022-10-27"}),
	)
	return recs
}

func openSeeded(t *testing.T) (*Bleve, string, []record.Record) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	recs := seedRecords(t)
	if err := b.Index(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	return b, dir, recs
}

func search(t *testing.T, b Backend, q Query) *Result {
	t.Helper()
	if q.Size == 0 {
		q.Size = 100
	}
	res, err := b.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

func ids(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func TestPersonnummerRanking(t *testing.T) {
	b, _, recs := openSeeded(t)
	// The records whose personal_data mention personnummer, by the gold.
	var want []string
	for _, r := range recs {
		if slices.Contains(r.SensitiveData, "personnummer") {
			want = append(want, r.ID)
		}
	}
	if !reflect.DeepEqual(want, annotatorPersonnummer) {
		t.Fatalf("derived personnummer records %v != annotator's %v", want, annotatorPersonnummer)
	}
	if len(want) != 22 {
		t.Fatalf("want 22 personnummer records, have %d", len(want))
	}
	for _, text := range []string{"personnummer", "Personnummer", "PERSONNUMMER", "personnumret", "pnr", "pers.nr", `"personnummer"`, "personal_data:personnummer"} {
		res := search(t, b, Query{Text: text})
		got := ids(res.Hits)
		if len(got) < 22 {
			t.Errorf("%q: %d hits %v, want at least 22", text, len(got), got)
			continue
		}
		if !reflect.DeepEqual(sorted(got[:22]), want) {
			t.Errorf("%q: top 22 = %v, want %v", text, sorted(got[:22]), want)
		}
		for i, h := range res.Hits[22:] {
			if h.Score >= res.Hits[21].Score {
				t.Errorf("%q: hit %d %s scores %.4f, not below the last personnummer record (%.4f)", text, 23+i, h.ID, h.Score, res.Hits[21].Score)
			}
		}
		if text == "personal_data:personnummer" {
			if res.Total != 22 {
				t.Errorf("%q: total %d, want 22", text, res.Total)
			}
			continue
		}
		// Everything else that mentions it is seed 003's document, ranked last.
		if res.Total != 23 || got[22] != "003-doc" {
			t.Errorf("%q: total %d, hits after the 22: %v; want 23 with 003-doc last", text, res.Total, got[22:])
		}
	}
}

// TestActivitiesBeforeDocuments checks that register entries rank above
// documents that merely mention the words in their text, when both match
// in the same tier ("faktura" is not here: 004-14 has it only as the
// prefix of "fakturaunderlag", which ranks below every exact match,
// including 003-doc's "faktura").
func TestActivitiesBeforeDocuments(t *testing.T) {
	b, _, _ := openSeeded(t)
	for _, text := range []string{"personnummer", "e-post", "e-postadress", "skatteverket", ""} {
		res := search(t, b, Query{Text: text})
		seenDoc := ""
		docs := 0
		for _, h := range res.Hits {
			if h.Record.Kind == record.KindDocument {
				seenDoc = h.ID
				docs++
			} else if seenDoc != "" {
				t.Errorf("%q: activity %s ranked below document %s: %v", text, h.ID, seenDoc, ids(res.Hits))
				break
			}
		}
		if docs == 0 {
			t.Errorf("%q: no document among %v", text, ids(res.Hits))
		}
	}
}

func TestFoldedQueries(t *testing.T) {
	b, _, _ := openSeeded(t)
	tests := []struct {
		queries []string // must all return want
		want    []string
	}{
		{[]string{"sensitive_data:hälsa", "sensitive_data:halsa", "sensitive_data:HÄLSA"}, []string{"002-18", "004-09", "004-10", "004-13"}},
		// Free words also find look-alikes by one edit ("Hålla" in 002-08),
		// ranked last (TestRecall checks the ranking).
		{[]string{"hälsa", "halsa", "HÄLSA"}, nil},
		{[]string{"Försäkringskassan", "forsakringskassan", "försäkringskassan"}, []string{"003-doc", "004-09"}},
		{[]string{"förtroendevalda", "fortroendevalda"}, nil}, // same set, checked below
	}
	for _, tt := range tests {
		first := sorted(ids(search(t, b, Query{Text: tt.queries[0]}).Hits))
		if len(first) == 0 {
			t.Errorf("%q: no hits", tt.queries[0])
		}
		if tt.want != nil && !reflect.DeepEqual(first, tt.want) {
			t.Errorf("%q: %v, want %v", tt.queries[0], first, tt.want)
		}
		for _, q := range tt.queries[1:] {
			if got := sorted(ids(search(t, b, Query{Text: q}).Hits)); !reflect.DeepEqual(got, first) {
				t.Errorf("%q: %v, want the hits of %q: %v", q, got, tt.queries[0], first)
			}
		}
	}
}

func TestFiltersAndFacets(t *testing.T) {
	b, _, recs := openSeeded(t)
	samtycke := 0
	for _, r := range recs {
		if slices.Contains(r.LegalBasis, "samtycke") {
			samtycke++
		}
	}
	if samtycke != 6 {
		t.Fatalf("gold has %d samtycke records, want 6", samtycke)
	}
	tests := []struct {
		name  string
		q     Query
		total uint64
	}{
		{"all", Query{}, 45},
		{"filter samtycke", Query{Filters: map[string][]string{"legal_basis": {"samtycke"}}}, 6},
		{"query samtycke", Query{Text: "legal_basis:samtycke"}, 6},
		{"query Samtycke", Query{Text: "legal_basis:Samtycke"}, 6},
		{"samtycke or avtal", Query{Filters: map[string][]string{"legal_basis": {"samtycke", "avtal"}}}, 13},
		{"samtycke and Luleå", Query{Filters: map[string][]string{"legal_basis": {"samtycke"}, "municipality": {"Luleå kommun"}}}, 5},
		{"folded municipality", Query{Text: `municipality:"lulea kommun"`}, 23},
		{"personnummer and samtycke", Query{Text: "personnummer legal_basis:samtycke"}, 2},
		{"exclude filter", Query{Text: `personnummer -municipality:"Luleå kommun"`}, 10},
		{"exclude word", Query{Text: "personnummer -luleå"}, 10},
		{"kind document", Query{Filters: map[string][]string{"kind": {"document"}}}, 2},
		{"format scan", Query{Filters: map[string][]string{"format": {"scan"}}}, 20},
		{"quality Q7", Query{Filters: map[string][]string{"quality": {"Q7"}}}, 22},
		{"sensitive facklig", Query{Text: `sensitive_data:"facklig tillhörighet"`}, 3},
		{"file", Query{Filters: map[string][]string{"file": {"seeds/002_64d63baee2f0a659.txt"}}}, 20},
		// 004-13 (fakturor), 002-06 (e-faktura), 003-doc (faktura); not
		// 004-14, whose "kundfakturor" is a compound.
		{"two words", Query{Text: "personnummer fakturor"}, 3},
		{"phrase", Query{Text: `"skyddad identitet"`}, 1},
		{"stop words only", Query{Text: "och i att"}, 0},
		{"unbalanced quote", Query{Text: `"personnummer`}, 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, b, tt.q)
			if res.Total != tt.total {
				t.Errorf("total %d, want %d; hits %v", res.Total, tt.total, ids(res.Hits))
			}
		})
	}

	res := search(t, b, Query{})
	wantMun := []FacetCount{{"Luleå kommun", 23}, {"Södertälje kommun", 20}, {"Hedemora kommun", 1}}
	if got := res.Facets["municipality"]; !reflect.DeepEqual(got, wantMun) {
		t.Errorf("municipality facet %v, want %v", got, wantMun)
	}
	wantKind := []FacetCount{{"activity", 43}, {"document", 2}}
	if got := res.Facets["kind"]; !reflect.DeepEqual(got, wantKind) {
		t.Errorf("kind facet %v, want %v", got, wantKind)
	}
	if got := res.Facets["organ"]; len(got) != 1 || got[0] != (FacetCount{"Kommunstyrelsen", 45}) {
		t.Errorf("organ facet %v, want Kommunstyrelsen 45", got)
	}
	sens := map[string]int{}
	for _, fc := range res.Facets["sensitive_data"] {
		sens[fc.Term] = fc.Count
	}
	wantSens := map[string]int{"personnummer": 22, "hälsa": 4, "facklig tillhörighet": 3, "politiska åsikter": 2, "skyddad identitet": 1}
	if !reflect.DeepEqual(sens, wantSens) {
		t.Errorf("sensitive_data facet %v, want %v", sens, wantSens)
	}
	// Facets count the matches, not the index.
	res = search(t, b, Query{Text: "personnummer", Facets: []string{"municipality", "legal_basis"}})
	wantMun = []FacetCount{{"Luleå kommun", 13}, {"Södertälje kommun", 9}, {"Hedemora kommun", 1}}
	if got := res.Facets["municipality"]; !reflect.DeepEqual(got, wantMun) {
		t.Errorf("personnummer municipality facet %v, want %v", got, wantMun)
	}
	if _, ok := res.Facets["kind"]; ok || len(res.Facets) != 2 {
		t.Errorf("asked for 2 facets, got %v", res.Facets)
	}
}

func TestBadRequests(t *testing.T) {
	b, _, _ := openSeeded(t)
	if _, err := b.Search(context.Background(), Query{Filters: map[string][]string{"colour": {"red"}}}); err == nil {
		t.Error("unknown filter key: no error")
	}
	if _, err := b.Search(context.Background(), Query{Facets: []string{"purpose"}}); err == nil {
		t.Error("facet on a text field: no error")
	}
	// User input never errors.
	for _, text := range []string{`"`, `-`, `:`, `legal_basis:`, `-"`, `""`, `purpose:"`, "\xff\xfe", `a:b:c`, `*`, `(`, `\`, `municipality:""`, `-och`, `-personnummer`} {
		if _, err := b.Search(context.Background(), Query{Text: text, Highlight: true}); err != nil {
			t.Errorf("Search(%q): %v", text, err)
		}
	}
	if got := search(t, b, Query{Text: "-personnummer"}).Total; got != 45-23 {
		t.Errorf("-personnummer: total %d, want %d", got, 45-23)
	}
	if err := b.Index(context.Background(), []record.Record{{Kind: "activity"}}); err == nil {
		t.Error("record without id: no error")
	}
}

func TestPaging(t *testing.T) {
	b, _, _ := openSeeded(t)
	all := ids(search(t, b, Query{Text: "personnummer"}).Hits)
	var paged []string
	for from := 0; from < 30; from += 7 {
		paged = append(paged, ids(search(t, b, Query{Text: "personnummer", From: from, Size: 7}).Hits)...)
	}
	if !reflect.DeepEqual(paged, all) {
		t.Errorf("pages %v != all %v", paged, all)
	}
	res, err := b.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != DefaultSize {
		t.Errorf("default size: %d hits, want %d", len(res.Hits), DefaultSize)
	}
}

func TestHighlight(t *testing.T) {
	b, _, _ := openSeeded(t)
	res := search(t, b, Query{Text: "personnummer", Highlight: true})
	byID := map[string]Hit{}
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	// 004 record 12 says it inside a sentence.
	h := byID["004-12"]
	if !anyContains(h.Fragments["personal_data"], "<mark>personnummer</mark>") {
		t.Errorf("004-12 personal_data fragments %q lack <mark>personnummer</mark>", h.Fragments["personal_data"])
	}
	if !anyContains(h.Fragments["sensitive_data"], "<mark>personnummer</mark>") {
		t.Errorf("004-12 sensitive_data fragments %q lack the mark", h.Fragments["sensitive_data"])
	}
	d := byID["003-doc"]
	if !anyContains(d.Fragments["text"], "<mark>personnummer</mark>") {
		t.Errorf("003-doc text fragments %q lack the mark", d.Fragments["text"])
	}
	// Folded query, marked original word.
	res = search(t, b, Query{Text: "forsakringskassan", Highlight: true})
	for _, h := range res.Hits {
		all := strings.Join(slices.Concat(h.Fragments["recipients"], h.Fragments["text"]), " ")
		if !strings.Contains(all, "<mark>Försäkringskassan</mark>") {
			t.Errorf("%s: fragments %q lack <mark>Försäkringskassan</mark>", h.ID, h.Fragments)
		}
	}
	// Only fields that matched have fragments.
	for f := range byID["003-doc"].Fragments {
		if f != "text" {
			t.Errorf("003-doc: fragment of unmatched field %s: %q", f, byID["003-doc"].Fragments[f])
		}
	}
	if h := search(t, b, Query{Text: "personnummer"}).Hits[0]; h.Fragments != nil {
		t.Errorf("fragments without Highlight: %v", h.Fragments)
	}
}

// TestHighlightEscapes indexes a document with markup and checks that only
// the <mark> tags reach the fragment unescaped.
func TestHighlightEscapes(t *testing.T) {
	b, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	text := `<script>alert("personnummer")</script> Vi sparar personnummer & namn <b>här</b>.`
	if err := b.Index(context.Background(), []record.Record{{ID: "x", Kind: record.KindDocument, Text: text, Title: "<i>Personnummer</i>"}}); err != nil {
		t.Fatal(err)
	}
	res := search(t, b, Query{Text: "personnummer", Highlight: true})
	if res.Total != 1 {
		t.Fatalf("total %d, want 1", res.Total)
	}
	frags := slices.Concat(res.Hits[0].Fragments["text"], res.Hits[0].Fragments["title"])
	if len(frags) == 0 {
		t.Fatal("no fragments")
	}
	for _, f := range frags {
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f)
		if strings.ContainsAny(rest, "<>") {
			t.Errorf("fragment %q has unescaped markup", f)
		}
		if !strings.Contains(f, "<mark>") {
			t.Errorf("fragment %q has no mark", f)
		}
	}
	if !anyContains(frags, "&lt;script&gt;") || !anyContains(frags, "&amp;") {
		t.Errorf("fragments %q: markup not escaped", frags)
	}
	if res.Hits[0].Record.Text != text {
		t.Errorf("stored record text changed: %q", res.Hits[0].Record.Text)
	}
}

func anyContains(ss []string, sub string) bool {
	for _, s := range ss {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestDeleteReopenGet(t *testing.T) {
	b, dir, recs := openSeeded(t)
	ctx := context.Background()
	count := func(want uint64) {
		t.Helper()
		n, err := b.Count()
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("count %d, want %d", n, want)
		}
	}
	count(45)

	// Get returns the record as indexed.
	r, ok, err := b.Get(ctx, "004-12")
	if err != nil || !ok {
		t.Fatalf("Get(004-12) = %v, %v", ok, err)
	}
	if !reflect.DeepEqual(*r, recs[20+11]) {
		t.Errorf("Get(004-12) = %+v, want %+v", *r, recs[31])
	}
	if _, ok, err := b.Get(ctx, "nope"); ok || err != nil {
		t.Errorf("Get(nope) = %v, %v; want false, nil", ok, err)
	}

	// Re-indexing an ID replaces the record.
	changed := recs[0]
	changed.Purpose = "Zebrarapportering"
	if err := b.Index(ctx, []record.Record{changed}); err != nil {
		t.Fatal(err)
	}
	count(45)
	if got := ids(search(t, b, Query{Text: "zebrarapportering"}).Hits); !reflect.DeepEqual(got, []string{"002-01"}) {
		t.Errorf("replaced record: hits %v", got)
	}

	if err := b.DeleteFile(ctx, "seeds/002_64d63baee2f0a659.txt"); err != nil {
		t.Fatal(err)
	}
	count(25)
	if _, ok, _ := b.Get(ctx, "002-04"); ok {
		t.Error("002-04 still there after DeleteFile")
	}
	if got := search(t, b, Query{Text: "personnummer"}).Total; got != 14 {
		t.Errorf("personnummer after delete: %d, want 14", got)
	}
	if err := b.DeleteFile(ctx, "no/such/file"); err != nil {
		t.Errorf("DeleteFile(no such file): %v", err)
	}

	// Reopen.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	b = b2
	count(25)
	res := search(t, b2, Query{Text: "personnumret", Highlight: true})
	if res.Total != 14 || res.Hits[13].ID != "003-doc" {
		t.Errorf("after reopen: total %d, hits %v", res.Total, ids(res.Hits))
	}
	if got := res.Facets["municipality"]; !reflect.DeepEqual(got, []FacetCount{{"Luleå kommun", 13}, {"Hedemora kommun", 1}}) {
		t.Errorf("after reopen: municipality facet %v", got)
	}
}

func TestOpenRejectsOtherDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil {
		t.Error("Open of a non-empty non-index directory: no error")
	}
	empty := t.TempDir()
	b, err := Open(empty)
	if err != nil {
		t.Fatalf("Open of an empty directory: %v", err)
	}
	b.Close()
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Hälsa":             "halsa",
		"FÖRSÄKRINGSKASSAN": "forsakringskassan",
		"Allmént":           "allment",
		"Ærø":               "aro",
		"plain":             "plain",
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if _, err := parseFold("åå a"); err == nil {
		t.Error("parseFold: two-letter key accepted")
	}
}

// TestDeleteFileManyRecords deletes more records than one search page.
func TestDeleteFileManyRecords(t *testing.T) {
	b, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	recs := syntheticRecords(t, 1200)
	for i := range recs {
		if i%2 == 0 {
			recs[i].Provenance.File = "big.txt"
		}
	}
	if err := b.Index(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	if err := b.DeleteFile(context.Background(), "big.txt"); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Count(); err != nil || n != 600 {
		t.Errorf("count after delete = %d, %v; want 600", n, err)
	}
	if got := search(t, b, Query{Filters: map[string][]string{"file": {"big.txt"}}}).Total; got != 0 {
		t.Errorf("%d records of big.txt left", got)
	}
}
