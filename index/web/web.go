// Package web is registerlyft's search server: a JSON API and a search page
// over an ingest output directory, for a dataskyddsombud (data protection
// officer) who asks "where do we process personnummer, under which legal
// basis, in which board?".
//
// The server reads the directory that "registerlyft ingest --out DIR" wrote:
// the search index (DIR/index), the records (DIR/records.jsonl, for the
// quality report) and the manifest (DIR/manifest.json, which names every
// input file and the absolute root it was read from). Routes:
//
//	GET /                    search page (query box, facets, hits, quality report)
//	GET /record/{id}         one record in full, with its provenance
//	GET /source/{path}       an input file, read-only, from its ingest root
//	GET /api/search          index.Query as URL parameters → hits, facets, hints (JSON)
//	GET /api/records/{id}    one record (JSON)
//	GET /api/facets          facet counts of a query (JSON)
//	GET /api/report          the quality report (JSON, pipeline/report)
//	GET /api/export          the hits of a query as CSV or XLSX
//	GET /static/...          the page's style sheet (embedded)
//
// Everything the page needs is embedded (no CDN, works offline) and the
// page runs no script at all. All document text is escaped by html/template;
// highlighted fragments are re-escaped so that only <mark> survives. Every
// response carries a Content-Security-Policy. User input never produces an
// error page: an overlong query is shortened, an unknown parameter is
// ignored, a bad number is replaced by its default. Source files are served
// only when the manifest names them, through an os.Root opened at the
// entry's root, so "..", absolute paths and symlinks cannot lead out of it.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/registerlyft/registerlyft/index"
	"github.com/registerlyft/registerlyft/pipeline"
	"github.com/registerlyft/registerlyft/pipeline/manifest"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/report"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Limits on user input.
const (
	MaxQueryRunes = 1000  // longer queries are shortened, with a hint
	MaxPageSize   = 100   // hits per page of the search page and the API
	MaxFrom       = 10000 // deepest page start
	MaxExport     = index.MaxSize
)

// Server serves one ingest output directory. Create it with Open; it is an
// http.Handler and safe for concurrent use.
type Server struct {
	dir     string
	backend index.Backend
	owned   bool // backend opened by Open, closed by Close
	mux     *http.ServeMux
	pages   map[string]*template.Template

	mu       sync.Mutex
	stamp    string // records.jsonl and manifest.json mtimes of the cached data
	records  []record.Record
	report   *report.Report
	manifest *manifest.Manifest
}

// Open opens the ingest output directory dir and its search index.
func Open(dir string) (*Server, error) {
	p := filepath.Join(dir, pipeline.IndexDir)
	if _, err := os.Stat(filepath.Join(p, "index_meta.json")); err != nil {
		return nil, fmt.Errorf("web: %s: no search index (run \"registerlyft ingest ... --out %s\" first)", dir, dir)
	}
	// bleve locks the index for one process: say why we wait, rather than
	// hang in silence, while an ingest or another serve holds it.
	type opened struct {
		b   *index.Bleve
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		b, err := index.Open(p)
		ch <- opened{b, err}
	}()
	var o opened
	select {
	case o = <-ch:
	case <-time.After(3 * time.Second):
		log.Printf("web: waiting for %s: another registerlyft process (an ingest or a serve) holds the index lock", p)
		o = <-ch
	}
	b, err := o.b, o.err
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s, err := New(dir, b)
	if err != nil {
		b.Close()
		return nil, err
	}
	s.owned = true
	return s, nil
}

// New serves dir with an index that is already open; Close leaves b open.
func New(dir string, b index.Backend) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("web: %s: %w", dir, err)
	}
	s := &Server{dir: abs, backend: b, mux: http.NewServeMux()}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	if _, err := s.data(); err != nil {
		return nil, err
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, fmt.Errorf("web: embedded static files: %w", err)
	}
	s.mux.HandleFunc("GET /{$}", s.handlePage)
	s.mux.HandleFunc("GET /record/{id}", s.handleRecordPage)
	s.mux.HandleFunc("GET /api/search", s.handleSearch)
	s.mux.HandleFunc("GET /api/records/{id}", s.handleRecord)
	s.mux.HandleFunc("GET /api/facets", s.handleFacets)
	s.mux.HandleFunc("GET /api/report", s.handleReport)
	s.mux.HandleFunc("GET /api/export", s.handleExport)
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("/", s.handleNotFound)
	return s, nil
}

// Close closes the index when Open opened it.
func (s *Server) Close() error {
	if s.owned {
		return s.backend.Close()
	}
	return nil
}

// ServeHTTP sets the security headers and dispatches; a panic in a handler
// becomes a plain 500 response rather than a dropped connection.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	// Input files are looked up before the mux cleans the path, so that a
	// path with ".." is refused here rather than redirected.
	if strings.HasPrefix(r.URL.Path, "/source/") {
		s.handleSource(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// pageCSP allows the page its own style sheet and nothing else: no script
// runs, not even one of ours.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// sourceCSP is sent with input files: a sandbox (a unique origin, no
// scripts, no forms) that loads nothing, so an HTML input renders inert.
const sourceCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

// ListenAndServe serves s on addr until ctx is done, then shuts down,
// letting running requests finish for up to five seconds. ready, when not
// nil, is called with the address listened on.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, ready func(addr string)) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // exports of large result sets
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", addr, err)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return fmt.Errorf("web: shut down: %w", err)
		}
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// cached is the data read from the output directory's files.
type cached struct {
	records  []record.Record
	report   *report.Report
	manifest *manifest.Manifest
}

// data returns the records, report and manifest, reading them again when
// records.jsonl or manifest.json changed (a rerun of ingest).
func (s *Server) data() (cached, error) {
	rp := filepath.Join(s.dir, pipeline.RecordsFile)
	mp := filepath.Join(s.dir, pipeline.ManifestFile)
	stamp := mtime(rp) + "|" + mtime(mp)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.report != nil && stamp == s.stamp {
		return cached{s.records, s.report, s.manifest}, nil
	}
	recs, err := pipeline.ReadRecords(rp)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return cached{}, fmt.Errorf("web: %w", err)
	}
	m, err := manifest.Load(mp)
	if err != nil {
		return cached{}, fmt.Errorf("web: %w", err)
	}
	s.records, s.report, s.manifest, s.stamp = recs, report.Build(recs), m, stamp
	return cached{s.records, s.report, s.manifest}, nil
}

func mtime(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return "-"
	}
	return st.ModTime().Format(time.RFC3339Nano) + fmt.Sprint(st.Size())
}
