package web

import (
	"encoding/json"
	"html"
	"log"
	"net/http"
	"strings"

	"github.com/registerlyft/registerlyft/index"
)

// SearchResponse is the JSON answer of /api/search and /api/facets.
type SearchResponse struct {
	Query QueryEcho `json:"query"` // the query as run, after cleaning
	*index.Result
	// Hints tell the user what was read differently from what was typed
	// (a shortened query, an unbalanced quote).
	Hints []string `json:"hints,omitempty"`
}

// QueryEcho is the cleaned request.
type QueryEcho struct {
	Text    string              `json:"q"`
	Filters map[string][]string `json:"filters,omitempty"`
	From    int                 `json:"from"`
	Size    int                 `json:"size"`
}

// ErrorResponse is the JSON body of an error.
type ErrorResponse struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		log.Printf("web: write JSON: %v", err)
	}
}

// search runs r against the index, with sanitized fragments.
func (s *Server) search(req *http.Request, r request, highlight bool) (*index.Result, error) {
	res, err := s.backend.Search(req.Context(), r.query(highlight))
	if err != nil {
		return nil, err
	}
	for i := range res.Hits {
		for f, frags := range res.Hits[i].Fragments {
			for j := range frags {
				frags[j] = SanitizeFragment(frags[j])
			}
			res.Hits[i].Fragments[f] = frags
		}
	}
	return res, nil
}

func (s *Server) handleSearch(w http.ResponseWriter, req *http.Request) {
	r := parseRequest(req.URL.Query(), index.DefaultSize)
	res, err := s.search(req, r, true)
	if err != nil {
		log.Printf("web: search %q: %v", r.Text, err)
		writeJSON(w, http.StatusInternalServerError, ErrorResponse{"search failed: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, SearchResponse{Query: echo(r), Result: res, Hints: hints(r, res)})
}

func (s *Server) handleFacets(w http.ResponseWriter, req *http.Request) {
	r := parseRequest(req.URL.Query(), 1)
	r.From, r.Size = 0, 1
	res, err := s.search(req, r, false)
	if err != nil {
		log.Printf("web: facets %q: %v", r.Text, err)
		writeJSON(w, http.StatusInternalServerError, ErrorResponse{"search failed: " + err.Error()})
		return
	}
	res.Hits = nil
	writeJSON(w, http.StatusOK, SearchResponse{Query: echo(r), Result: res, Hints: hints(r, res)})
}

func echo(r request) QueryEcho {
	e := QueryEcho{Text: r.Text, From: r.From, Size: r.Size}
	if len(r.Filters) > 0 {
		e.Filters = r.Filters
	}
	return e
}

func (s *Server) handleRecord(w http.ResponseWriter, req *http.Request) {
	id := req.PathValue("id")
	rec, ok, err := s.backend.Get(req.Context(), id)
	switch {
	case err != nil:
		log.Printf("web: get %q: %v", id, err)
		writeJSON(w, http.StatusInternalServerError, ErrorResponse{"could not read the record"})
	case !ok:
		writeJSON(w, http.StatusNotFound, ErrorResponse{"no record with this id"})
	default:
		writeJSON(w, http.StatusOK, rec)
	}
}

func (s *Server) handleReport(w http.ResponseWriter, req *http.Request) {
	d, err := s.data()
	if err != nil {
		log.Printf("web: report: %v", err)
		writeJSON(w, http.StatusInternalServerError, ErrorResponse{"could not read the records"})
		return
	}
	writeJSON(w, http.StatusOK, d.report)
}

func (s *Server) handleNotFound(w http.ResponseWriter, req *http.Request) {
	if strings.HasPrefix(req.URL.Path, "/api/") {
		writeJSON(w, http.StatusNotFound, ErrorResponse{"no such endpoint"})
		return
	}
	s.notFound(w, "There is no page at this address.")
}

// SanitizeFragment returns a highlighted fragment (HTML with matches in
// <mark>) in which nothing but <mark> and </mark> is markup: the text
// between the tags is unescaped and escaped again, so a fragment made from
// "<script>" text can only show it. Invalid UTF-8 (a fragment cut inside a
// character) is replaced.
func SanitizeFragment(frag string) string {
	frag = strings.ToValidUTF8(frag, "\uFFFD")
	var b strings.Builder
	open := false
	for frag != "" {
		tag := "<mark>"
		if open {
			tag = "</mark>"
		}
		i := strings.Index(frag, tag)
		if i < 0 {
			break
		}
		b.WriteString(html.EscapeString(html.UnescapeString(frag[:i])))
		b.WriteString(tag)
		frag = frag[i+len(tag):]
		open = !open
	}
	b.WriteString(html.EscapeString(html.UnescapeString(frag)))
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}
