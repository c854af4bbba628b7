package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkHandlers measures a request through the handler (no network) on
// the seed fixture: the search page, the JSON search, and the CSV export.
func BenchmarkHandlers(b *testing.B) {
	for _, bm := range []struct{ name, target string }{
		{"page", "/?q=personnummer"},
		{"page-facet", "/?" + url.Values{"q": {"personnummer"}, "municipality": {"Luleå kommun"}}.Encode()},
		{"api-search", "/api/search?q=personnummer"},
		{"api-facets", "/api/facets"},
		{"record", "/record/" + fx.records[0].ID},
		{"source", "/source/004_670afb2e98eb9082.txt?line=286&end=300"},
		{"export-csv", "/api/export?format=csv&q=personnummer"},
		{"export-xlsx", "/api/export?format=xlsx&q=personnummer"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				fx.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, bm.target, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", bm.target, rec.Code)
				}
			}
		})
	}
}
