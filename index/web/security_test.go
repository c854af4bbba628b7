package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// hostileQueries are search inputs a server must survive without an error
// page: overlong, every special character, broken syntax and encodings.
func hostileQueries() map[string]string {
	special := `!"#$%&'()*+,-./:;<=>?@[\]^_` + "`{|}~ ” “ „ « » § ½ ¤ € ß ø æ"
	var long strings.Builder
	for long.Len() < 10000 {
		long.WriteString(`personnummer "hälsa -x field:value ` + special + " ")
	}
	return map[string]string{
		"10000 chars":          long.String()[:10000],
		"10000 letters":        strings.Repeat("a", 10000),
		"10000 quotes":         strings.Repeat(`"`, 10000),
		"5000 words":           strings.Repeat("ab ", 3333),
		"special":              special,
		"each special":         strings.Join(strings.Split(special, ""), " "),
		"unbalanced quote":     `"personnummer`,
		"field only":           "personal_data: municipality:",
		"unknown field":        "foo:bar baz:",
		"negation only":        "-personnummer",
		"dashes":               "- -- --- -",
		"bleve syntax":         `+personal_data:pers* -kind:document ~2 ^3 /re.*gex/ name:"x"~ AND OR NOT ( )`,
		"script":               `<script>alert(1)</script>`,
		"html entities":        "&lt;script&gt; &amp; &#x3c;",
		"nul and controls":     "person\x00nummer\x01\x1b[31m\r\n",
		"invalid utf-8":        "person\xffnummer\xc3",
		"rtl and zero width":   "\u202epersonnummer\u200b\ufeff",
		"emoji":                "👩‍⚕️ hälsa 🏥",
		"sql":                  `' OR 1=1; DROP TABLE records; --`,
		"path":                 "../../etc/passwd",
		"percent":              "%00 %2e%2e%2f %252e",
		"stop words only":      "och i att det som",
		"wildcards":            "* ? ** *personnummer*",
		"long word":            strings.Repeat("personnummer", 500),
		"json":                 `{"query":{"match_all":{}}}`,
		"municipality: quoted": `municipality:"Luleå kommun" municipality:"`,
	}
}

func TestHostileSearch(t *testing.T) {
	for name, q := range hostileQueries() {
		t.Run(name, func(t *testing.T) {
			params := url.Values{"q": {q}, "municipality": {q}, "organ": {"<b>"}, "size": {"-5"}, "from": {"99999999999999999999"},
				"kind": {"\x00"}, "unknown": {q}}
			enc := params.Encode()
			for _, path := range []string{"/api/search", "/api/facets", "/"} {
				rec := get(t, path+"?"+enc)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: status %d: %.300s", path, rec.Code, rec.Body)
				}
				body := rec.Body.String()
				if strings.HasPrefix(path, "/api/") {
					if !json.Valid(rec.Body.Bytes()) {
						t.Fatalf("%s: invalid JSON", path)
					}
					continue
				}
				if !strings.Contains(body, `id="q"`) || strings.Contains(body, `id="error"`) {
					t.Errorf("page: no search form, or an error shown")
				}
				if strings.Contains(body, "<script") || strings.Contains(body, "<b>") {
					t.Errorf("page carries unescaped markup from the query")
				}
			}
			// The query alone (no impossible filter) on the API.
			res := search(t, url.Values{"q": {q}})
			if len([]rune(res.Query.Text)) > MaxQueryRunes {
				t.Errorf("query of %d runes was run", len([]rune(res.Query.Text)))
			}
		})
	}
	// Exports of hostile queries are files, not error pages.
	for _, f := range []string{"csv", "xlsx", "<x>", ""} {
		rec := get(t, "/api/export?"+url.Values{"format": {f}, "q": {hostileQueries()["10000 chars"]}}.Encode())
		if rec.Code != http.StatusOK {
			t.Errorf("export format %q: status %d", f, rec.Code)
		}
	}
}

func TestHints(t *testing.T) {
	long := search(t, url.Values{"q": {strings.Repeat("hälsa ", 400)}})
	if len(long.Hints) == 0 || !strings.Contains(strings.Join(long.Hints, " "), "shortened") {
		t.Errorf("2400-char query: hints %q, want a note that it was shortened", long.Hints)
	}
	quote := search(t, url.Values{"q": {`"skyddad identitet`}})
	if len(quote.Hints) == 0 {
		t.Error("unbalanced quote: no hint")
	}
	if ok := search(t, url.Values{"q": {`"skyddad identitet"`}}); len(ok.Hints) != 0 {
		t.Errorf("balanced phrase: hints %q", ok.Hints)
	}
}

// TestScriptEscaped checks that the record whose text holds <script> is
// shown as text on every page that shows it.
func TestScriptEscaped(t *testing.T) {
	res := search(t, url.Values{"q": {"idrottshallar"}})
	if res.Total != 1 {
		t.Fatalf("idrottshallar: %d hits, want the hostile notice", res.Total)
	}
	id := res.Hits[0].ID
	if !strings.Contains(res.Hits[0].Record.Purpose, "<script>alert(1)</script>") {
		t.Fatalf("the fixture's purpose lost its <script>: %q", res.Hits[0].Record.Purpose)
	}
	for _, target := range []string{
		"/?q=idrottshallar",
		"/?q=personnummer&organ=Fritidsn%C3%A4mnden",
		"/?q=script+alert",
		"/record/" + id,
		"/source/fritidsnamnden-testby.txt?line=1",
	} {
		rec := get(t, target)
		body := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(rec.Body.String())
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", target, rec.Code)
			continue
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "<img") {
			t.Errorf("%s: markup from the document reached the page unescaped", target)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(body, "&lt;script&gt;alert(1)") {
			t.Errorf("%s: the script text is not shown escaped", target)
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: Content-Security-Policy %q", target, csp)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", target)
		}
	}
}

func TestPathTraversal(t *testing.T) {
	refused := []string{
		"/source/../../etc/passwd",
		"/source/../../../../../../etc/passwd",
		"/source/%2e%2e/%2e%2e/etc/passwd",
		"/source/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
		"/source/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
		"/source/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
		"/source/%25252e%25252e%25252fetc%25252fpasswd",
		"/source/..%2f..%2fetc%2fpasswd",
		"/source/..%5c..%5cetc%5cpasswd",
		"/source/..\\..\\etc\\passwd",
		"/source//etc/passwd",
		"/source/%2fetc%2fpasswd",
		"/source/%2F%2Fetc%2Fpasswd",
		"/source/C:%5cWindows%5cwin.ini",
		"/source/002_64d63baee2f0a659.txt/../../../etc/passwd",
		"/source/./002_64d63baee2f0a659.txt",
		"/source/002_64d63baee2f0a659.txt%00.html",
		"/source/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
		"/source/",
		"/source/..",
		"/source/not-ingested.txt", // in the root, not in the manifest
		"/source/link.txt",         // in the manifest, a symlink out of the root
		"/source/link.txt?raw=1",
		"/source/" + url.PathEscape("/etc/passwd"),
	}
	for _, target := range refused {
		rec := get(t, target)
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 404 or 403", target, rec.Code)
		}
		body := rec.Body.String()
		if strings.Contains(body, "root:") || strings.Contains(body, secret) {
			t.Errorf("%s: response shows a file outside the roots", target)
		}
	}
	if rec := get(t, "/source/link.txt"); rec.Code != http.StatusForbidden {
		t.Errorf("symlink out of the root: status %d, want 403", rec.Code)
	}

	// Through a real HTTP server too (the client sends the path as given).
	for _, target := range []string{"/source/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/source/link.txt"} {
		resp, err := http.Get(fx.ts.URL + target)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden {
			t.Errorf("HTTP %s: status %d", target, resp.StatusCode)
		}
	}
}

func TestSourceServed(t *testing.T) {
	// A seed file with the record's line span highlighted.
	rec := get(t, "/source/002_64d63baee2f0a659.txt?line=21&end=23")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{`id="L21"`, `class="line mark" id="L22"`, `href="/source/002_64d63baee2f0a659.txt?raw=1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("source view lacks %s", want)
		}
	}
	if strings.Contains(body, `class="line mark" id="L24"`) {
		t.Error("line 24 is marked, the span ends at 23")
	}

	// The cp1252 notice is decoded for the view.
	if body := get(t, "/source/socialnamnden-alingsas-cp1252.txt").Body.String(); !strings.Contains(body, "Socialnämnden") {
		t.Error("cp1252 source not decoded")
	}

	// Raw files go out under a sandbox policy.
	for _, target := range []string{"/source/kulturnamnden-alingsas.html", "/source/002_64d63baee2f0a659.txt?raw=1", "/source/broken-scan.bin"} {
		rec := get(t, target)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", target, rec.Code)
			continue
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") {
			t.Errorf("%s: Content-Security-Policy %q, want a sandbox", target, csp)
		}
	}
	if d := get(t, "/source/broken-scan.bin").Header().Get("Content-Disposition"); !strings.HasPrefix(d, "attachment") {
		t.Errorf("binary input: Content-Disposition %q, want attachment", d)
	}

	// Every provenance link of every hit opens.
	res := search(t, url.Values{"q": {"personnummer"}, "size": {"100"}})
	for _, h := range res.Hits {
		l := newSourceLink(&h.Record)
		if rec := get(t, l.Href); rec.Code != http.StatusOK {
			t.Errorf("hit %s: %s: status %d", h.ID, l.Href, rec.Code)
		}
	}

	// Only GET and HEAD.
	req := httptestRequest(http.MethodPost, "/source/002_64d63baee2f0a659.txt")
	if req.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", req.Code)
	}
}

func TestPages(t *testing.T) {
	tests := []struct {
		target string
		status int
		want   []string
	}{
		{"/", 200, []string{"Quality report", `<details open>`, `data-key="municipality"`}},
		{"/?q=personnummer", 200, []string{"<mark>", `class="source-link"`, "Export these hits", `class="sev-warning"`, "Luleå kommun"}},
		{"/?q=personnummer&municipality=Lule%C3%A5+kommun", 200, []string{`class="chip"`, `class="active"`}},
		{"/?q=zzzzqqqq", 200, []string{"No record matches"}},
		{"/record/" + fx.records[0].ID, 200, []string{`id="provenance"`, fx.records[0].Provenance.File}},
		{"/record/nope", 404, []string{"Not found"}},
		{"/nowhere", 404, []string{"Not found"}},
		{"/api/nowhere", 404, []string{`"error"`}},
		{"/static/style.css", 200, []string{"mark"}},
	}
	for _, tt := range tests {
		rec := get(t, tt.target)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.target, rec.Code, tt.status)
		}
		for _, w := range tt.want {
			if !strings.Contains(rec.Body.String(), w) {
				t.Errorf("%s: lacks %q", tt.target, w)
			}
		}
		if rec.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s: no Content-Security-Policy", tt.target)
		}
	}
}
