package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/registerlyft/registerlyft/index"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/report"
)

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode JSON: %v\n%.500s", err, body)
	}
	return v
}

func search(t *testing.T, params url.Values) SearchResponse {
	t.Helper()
	rec := get(t, "/api/search?"+params.Encode())
	if rec.Code != http.StatusOK {
		t.Fatalf("/api/search?%s: status %d: %.300s", params.Encode(), rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	return decode[SearchResponse](t, rec.Body.Bytes())
}

// tally counts the records.jsonl records per value of a keyword key: the
// figures the facets must give for the empty query.
func tally(key string) map[string]int {
	out := map[string]int{}
	for _, r := range fx.records {
		var vs []string
		switch key {
		case "municipality":
			vs = []string{r.Municipality}
		case "organ":
			vs = []string{r.Organ}
		case "legal_basis":
			vs = r.LegalBasis
		case "sensitive_data":
			vs = r.SensitiveData
		case "kind":
			vs = []string{r.Kind}
		}
		seen := map[string]bool{}
		for _, v := range vs {
			if v != "" && !seen[v] {
				seen[v] = true
				out[v]++
			}
		}
	}
	return out
}

func facetMap(fs []index.FacetCount) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Term] = f.Count
	}
	return m
}

func TestFacetsMatchRecords(t *testing.T) {
	res := decode[SearchResponse](t, get(t, "/api/facets").Body.Bytes())
	if int(res.Total) != len(fx.records) {
		t.Errorf("empty query: total %d, records.jsonl has %d", res.Total, len(fx.records))
	}
	if len(res.Hits) != 0 {
		t.Errorf("/api/facets returned %d hits, want none", len(res.Hits))
	}
	for _, key := range []string{"municipality", "organ", "legal_basis", "sensitive_data", "kind"} {
		t.Run(key, func(t *testing.T) {
			want, got := tally(key), facetMap(res.Facets[key])
			if len(want) == 0 {
				t.Fatalf("no %s values in the records", key)
			}
			for v, n := range want {
				if got[v] != n {
					t.Errorf("facet %s=%q: %d, records.jsonl has %d", key, v, got[v], n)
				}
			}
		})
	}
}

func TestSearchAPI(t *testing.T) {
	res := search(t, url.Values{"q": {"personnummer"}})
	if res.Total < 22 {
		t.Fatalf("personnummer: %d hits, want at least the 22 gold activities of seeds 002 and 004", res.Total)
	}
	if len(res.Hits) != index.DefaultSize {
		t.Errorf("page of %d hits, want %d", len(res.Hits), index.DefaultSize)
	}
	marked := 0
	for _, h := range res.Hits {
		for _, frags := range h.Fragments {
			for _, f := range frags {
				if strings.Contains(f, "<mark>") {
					marked++
				}
				if strings.Contains(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f), "<") {
					t.Errorf("hit %s: fragment has markup other than <mark>: %q", h.ID, f)
				}
			}
		}
	}
	if marked == 0 {
		t.Error("no highlighted fragment in the personnummer hits")
	}
	if res.Query.Text != "personnummer" || res.Query.Size != index.DefaultSize {
		t.Errorf("query echo %+v", res.Query)
	}

	// Every facet count is the total of the search filtered by that value.
	for _, fc := range res.Facets["municipality"] {
		sub := search(t, url.Values{"q": {"personnummer"}, "municipality": {fc.Term}})
		if int(sub.Total) != fc.Count {
			t.Errorf("facet municipality=%q says %d, filtered search finds %d", fc.Term, fc.Count, sub.Total)
		}
		for _, h := range sub.Hits {
			if h.Record.Municipality != fc.Term {
				t.Errorf("filter municipality=%q returned a record of %q", fc.Term, h.Record.Municipality)
			}
		}
	}
	if facetMap(res.Facets["municipality"])["Luleå kommun"] == 0 {
		t.Error("no Luleå kommun among the personnummer hits")
	}

	// Paging: from/size walk the same ranking.
	all := search(t, url.Values{"q": {"personnummer"}, "size": {"100"}})
	p2 := search(t, url.Values{"q": {"personnummer"}, "size": {"5"}, "from": {"5"}})
	for i, h := range p2.Hits {
		if h.ID != all.Hits[5+i].ID {
			t.Errorf("page 2 hit %d is %s, full list has %s", i, h.ID, all.Hits[5+i].ID)
		}
	}
}

// TestLegalBasisCounts checks legal_basis:samtycke in the query, the
// legal_basis parameter and records.jsonl agree.
func TestLegalBasisCounts(t *testing.T) {
	want := tally("legal_basis")["samtycke"]
	if want == 0 {
		t.Fatal("no record with legal basis samtycke in the fixture")
	}
	inQuery := search(t, url.Values{"q": {"legal_basis:samtycke"}})
	asParam := search(t, url.Values{"legal_basis": {"samtycke"}})
	if int(inQuery.Total) != want || int(asParam.Total) != want {
		t.Errorf("samtycke: q=legal_basis:samtycke %d, legal_basis=samtycke %d, records.jsonl %d",
			inQuery.Total, asParam.Total, want)
	}
	for _, h := range asParam.Hits {
		if !slices.Contains(h.Record.LegalBasis, "samtycke") {
			t.Errorf("hit %s has legal basis %v", h.ID, h.Record.LegalBasis)
		}
	}
}

func TestRecordAPI(t *testing.T) {
	want := fx.records[len(fx.records)/2]
	rec := get(t, "/api/records/"+url.PathEscape(want.ID))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	got := decode[record.Record](t, rec.Body.Bytes())
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if !bytes.Equal(a, b) {
		t.Errorf("/api/records/%s differs from records.jsonl:\n got %s\nwant %s", want.ID, a, b)
	}
	for _, id := range []string{"0000000000000000", "%3Cscript%3E", "..%2F..%2Fetc%2Fpasswd", strings.Repeat("x", 5000)} {
		rec := get(t, "/api/records/"+id)
		if rec.Code != http.StatusNotFound {
			t.Errorf("/api/records/%.40s: status %d, want 404", id, rec.Code)
		}
		decode[ErrorResponse](t, rec.Body.Bytes())
	}
}

func TestReportAPI(t *testing.T) {
	rec := get(t, "/api/report")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	got := decode[report.Report](t, rec.Body.Bytes())
	want := report.Build(fx.records)
	if got.Totals.Records != len(fx.records) || got.Totals.Errors != want.Totals.Errors ||
		got.Totals.Warnings != want.Totals.Warnings || len(got.Municipalities) != len(want.Municipalities) {
		t.Errorf("report totals %+v, want %+v", got.Totals, want.Totals)
	}
}

func TestExport(t *testing.T) {
	q := url.Values{"q": {"personnummer"}, "municipality": {"Luleå kommun"}}
	want := search(t, q)
	if want.Total == 0 {
		t.Fatal("no hits to export")
	}

	t.Run("csv", func(t *testing.T) {
		q := cloneValues(q)
		q.Set("format", "csv")
		rec := get(t, "/api/export?"+q.Encode())
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		body := rec.Body.Bytes()
		if !bytes.HasPrefix(body, []byte("\ufeff")) {
			t.Error("CSV has no UTF-8 byte-order mark")
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0], ExportColumns) {
			t.Errorf("header %v", rows[0])
		}
		if len(rows)-1 != int(want.Total) {
			t.Errorf("%d rows, want %d", len(rows)-1, want.Total)
		}
		for _, r := range rows[1:] {
			if r[2] != "Luleå kommun" {
				t.Errorf("row of municipality %q", r[2])
			}
		}
		if rows[1][0] != want.Hits[0].ID {
			t.Errorf("first row %s, best hit %s", rows[1][0], want.Hits[0].ID)
		}
	})

	t.Run("xlsx", func(t *testing.T) {
		q := cloneValues(q)
		q.Set("format", "xlsx")
		rec := get(t, "/api/export?"+q.Encode())
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		f, err := excelize.OpenReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Records")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0], ExportColumns) || len(rows)-1 != int(want.Total) {
			t.Errorf("xlsx: header %v, %d rows, want %d", rows[0], len(rows)-1, want.Total)
		}
		if rows[1][0] != want.Hits[0].ID || rows[1][2] != "Luleå kommun" {
			t.Errorf("first row %v", rows[1][:3])
		}
	})

	t.Run("formula", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, []record.Record{{ID: "x", Kind: "activity", Activity: "=HYPERLINK(\"http://x\")", Purpose: "@SUM(A1)"}}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), `"'=HYPERLINK(""http://x"")"`) || !strings.Contains(buf.String(), "'@SUM(A1)") {
			t.Errorf("formula cells not defused: %s", buf.String())
		}
	})
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

func TestSanitizeFragment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a <mark>personnummer</mark> b", "a <mark>personnummer</mark> b"},
		{"&lt;script&gt;alert(1)&lt;/script&gt; <mark>pnr</mark>", "&lt;script&gt;alert(1)&lt;/script&gt; <mark>pnr</mark>"},
		{"<script>alert(1)</script><mark>x</mark>", "&lt;script&gt;alert(1)&lt;/script&gt;<mark>x</mark>"},
		{"<mark><img src=x onerror=alert(1)></mark>", "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>"},
		{"<mark>open", "<mark>open</mark>"},
		{"</mark>stray", "&lt;/mark&gt;stray"},
		{"&amp;lt;b&amp;gt; &#34;q&#34;", "&amp;lt;b&amp;gt; &#34;q&#34;"},
		{"cut \xc3", "cut \ufffd"},
	}
	for _, tt := range tests {
		if got := SanitizeFragment(tt.in); got != tt.want {
			t.Errorf("SanitizeFragment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
