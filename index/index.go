// Package index is registerlyft's search index: it stores register records
// and finds them again by free text, with filters, facets and highlighted
// snippets, for a dataskyddsombud (data protection officer) who asks "which
// activities of which board process personnummer?".
//
// The pipeline talks to the Backend interface; Bleve is the embedded
// implementation (github.com/blevesearch/bleve/v2). Another engine (e.g.
// OpenSearch) can implement Backend with the same mapping decisions:
//
//   - Text fields (activity, purpose, data_subjects, personal_data,
//     legal_basis_text, legal_basis_ref, retention, recipients, sources,
//     third_country, system, title, text) use the analyzer "sv_fold": Unicode
//     words, lower case, Swedish stop words, å/ä/ö→a/a/o folding
//     (data/fold.txt), Swedish Snowball stemmer. Folding comes before
//     stemming, so text typed or OCR'd without å/ä/ö stems like repaired
//     text.
//   - Keyword fields (municipality, organ, legal_basis, sensitive_data, kind,
//     format = provenance.format, quality = warning codes, file =
//     provenance.file) are indexed as written with doc values, for facets,
//     plus a lower-cased, folded twin ("<key>_f") for filters. municipality,
//     organ, legal_basis and sensitive_data also have an analyzed twin
//     ("<key>_t") so that free words find them.
//   - The whole record is stored as JSON ("record_json", not indexed) and
//     returned with each hit.
//   - Synonyms (personnummer ~ personnr ~ pnr ~ pers.nr, e-post ~
//     e-postadress ~ mejladress; data/synonyms.txt) are expanded at query
//     time rather than with bleve's synonym sources, which need a separate
//     synonym collection to be indexed.
//
// Ranking: each free word must match somewhere; it is a disjunction over
// the text fields with boosts (personal_data 8, sensitive_data 6, activity 4,
// purpose 3, data_subjects/recipients/sources/title 2,
// retention/legal_basis_text 1.5, others 1, document text 0.5).
package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	htmlhl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Backend is a search index of records. Implementations must be safe for
// concurrent use.
type Backend interface {
	// Index adds records, replacing any with the same ID, in one batch.
	Index(ctx context.Context, recs []record.Record) error
	// DeleteFile removes every record whose provenance.file is file.
	DeleteFile(ctx context.Context, file string) error
	// Search runs a query.
	Search(ctx context.Context, q Query) (*Result, error)
	// Get returns the record with the given ID, and whether it exists.
	Get(ctx context.Context, id string) (*record.Record, bool, error)
	// Count returns the number of records in the index.
	Count() (uint64, error)
	// Close releases the index.
	Close() error
}

// Query is a search request.
type Query struct {
	// Text is the user's query (see package qparse): free words (each must
	// match in some text field), "phrases", field:value for the keyword keys
	// and the text fields, -word to exclude. Empty matches every record.
	Text string
	// Filters selects records by keyword key (municipality, organ,
	// legal_basis, sensitive_data, kind, format, quality, file). Values are
	// OR'ed within a key and the keys AND'ed; matching ignores case and
	// å/ä/ö. field:value terms in Text add to these.
	Filters map[string][]string
	// Facets are the keyword keys to count; empty means DefaultFacets.
	Facets []string
	// From and Size page the hits; Size 0 means 20.
	From, Size int
	// Highlight asks for fragments of the matching text fields, with the
	// matches wrapped in <mark> and the rest HTML-escaped.
	Highlight bool
}

// Result is the answer to a Query.
type Result struct {
	Total  uint64                  `json:"total"`  // records that match
	Hits   []Hit                   `json:"hits"`   // the page asked for, best first
	Facets map[string][]FacetCount `json:"facets"` // counts over all matching records
	Took   time.Duration           `json:"took"`   // nanoseconds in JSON
}

// Hit is one matching record.
type Hit struct {
	ID     string        `json:"id"`
	Score  float64       `json:"score"`
	Record record.Record `json:"record"` // decoded from the stored JSON copy
	// Fragments holds highlighted snippets by record field (JSON key): HTML
	// with the matches in <mark> and everything else escaped.
	Fragments map[string][]string `json:"fragments,omitempty"`
}

// FacetCount is the number of matching records with one keyword value.
type FacetCount struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// markOpen starts a highlighted match in a fragment.
const markOpen = "<mark>"

// Limits.
const (
	DefaultSize = 20
	MaxSize     = 10000 // largest page
	FacetSize   = 100   // terms returned per facet
)

// Bleve is a Backend stored in a bleve (scorch) index directory.
type Bleve struct {
	idx bleve.Index
	exp *expander
	dir string

	closeOnce sync.Once
	closeErr  error
}

var _ Backend = (*Bleve)(nil)

// Open opens the index at dir, creating it with the mapping when dir does
// not exist or is empty.
func Open(dir string) (*Bleve, error) {
	if registerErr != nil {
		return nil, fmt.Errorf("index: register token filter %s: %w", TokenFilterFold, registerErr)
	}
	var idx bleve.Index
	var err error
	if exists(dir) {
		idx, err = bleve.Open(dir)
		if err != nil {
			return nil, fmt.Errorf("index: open %s: %w", dir, err)
		}
	} else {
		if _, err := os.Stat(dir); err == nil && !empty(dir) {
			return nil, fmt.Errorf("index: open %s: %w (directory is not empty)", dir, errNotIndex)
		}
		m, merr := newMapping()
		if merr != nil {
			return nil, merr
		}
		if parent := filepath.Dir(dir); parent != "" {
			if err := os.MkdirAll(parent, 0o755); err != nil {
				return nil, fmt.Errorf("index: create %s: %w", parent, err)
			}
		}
		if empty(dir) {
			if err := os.Remove(dir); err != nil {
				return nil, fmt.Errorf("index: create %s: %w", dir, err)
			}
		}
		idx, err = bleve.New(dir, m)
		if err != nil {
			return nil, fmt.Errorf("index: create %s: %w", dir, err)
		}
	}
	a := idx.Mapping().AnalyzerNamed(AnalyzerText)
	if a == nil {
		idx.Close()
		return nil, fmt.Errorf("index: %s: analyzer %s missing from the mapping (index made by another tool?)", dir, AnalyzerText)
	}
	return &Bleve{idx: idx, exp: newExpander(a), dir: dir}, nil
}

// exists reports whether dir holds a bleve index (its index_meta.json).
func exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "index_meta.json"))
	return err == nil
}

// empty reports whether dir exists as an empty directory.
func empty(dir string) bool {
	es, err := os.ReadDir(dir)
	return err == nil && len(es) == 0
}

// Index adds or replaces recs by ID in one batch.
func (b *Bleve) Index(ctx context.Context, recs []record.Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	batch := b.idx.NewBatch()
	for i := range recs {
		r := &recs[i]
		if r.ID == "" {
			return fmt.Errorf("index: record %d of %d (file %q): empty id", i+1, len(recs), r.Provenance.File)
		}
		d, err := document(r)
		if err != nil {
			return err
		}
		if err := batch.Index(r.ID, d); err != nil {
			return fmt.Errorf("index: record %s: %w", r.ID, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.idx.Batch(batch); err != nil {
		return fmt.Errorf("index: %s: write batch of %d records: %w", b.dir, len(recs), err)
	}
	return nil
}

// DeleteFile removes every record whose provenance.file is file.
func (b *Bleve) DeleteFile(ctx context.Context, file string) error {
	tq := bleve.NewTermQuery(file)
	tq.SetField(KeyFile)
	const page = 1000
	deleted := map[string]bool{}
	for {
		req := bleve.NewSearchRequestOptions(tq, page, 0, false)
		res, err := b.idx.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("index: find records of %s: %w", file, err)
		}
		if len(res.Hits) == 0 {
			return nil
		}
		batch := b.idx.NewBatch()
		for _, h := range res.Hits {
			if deleted[h.ID] {
				return fmt.Errorf("index: delete records of %s: record %s still found after deletion", file, h.ID)
			}
			deleted[h.ID] = true
			batch.Delete(h.ID)
		}
		if err := b.idx.Batch(batch); err != nil {
			return fmt.Errorf("index: delete records of %s: %w", file, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// Get returns the stored record with the given id.
func (b *Bleve) Get(ctx context.Context, id string) (*record.Record, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	doc, err := b.idx.Document(id)
	if err != nil {
		return nil, false, fmt.Errorf("index: get %s: %w", id, err)
	}
	if doc == nil {
		return nil, false, nil
	}
	var src []byte
	doc.VisitFields(func(f bleveindex.Field) {
		if f.Name() == fieldSource {
			src = f.Value()
		}
	})
	if src == nil {
		return nil, false, nil
	}
	var r record.Record
	if err := json.Unmarshal(src, &r); err != nil {
		return nil, false, fmt.Errorf("index: get %s: decode stored record: %w", id, err)
	}
	return &r, true, nil
}

// Count returns the number of records.
func (b *Bleve) Count() (uint64, error) {
	n, err := b.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count %s: %w", b.dir, err)
	}
	return n, nil
}

// Close closes the index. Closing again is a no-op that returns the first
// call's result.
func (b *Bleve) Close() error {
	b.closeOnce.Do(func() {
		if err := b.idx.Close(); err != nil {
			b.closeErr = fmt.Errorf("index: close %s: %w", b.dir, err)
		}
	})
	return b.closeErr
}

// Search runs q.
func (b *Bleve) Search(ctx context.Context, q Query) (*Result, error) {
	bq, err := b.exp.build(q)
	if err != nil {
		return nil, err
	}
	size := q.Size
	if size <= 0 {
		size = DefaultSize
	}
	size = min(size, MaxSize)
	from := max(q.From, 0)
	req := bleve.NewSearchRequestOptions(bq, size, from, false)
	req.Fields = []string{fieldSource}
	req.SortBy([]string{"-_score", "_id"})
	facets := q.Facets
	if len(facets) == 0 {
		facets = DefaultFacets
	}
	for _, f := range facets {
		if !isKeywordKey(f) {
			return nil, fmt.Errorf("index: unknown facet %q (want one of %s)", f, strings.Join(keywordKeys, ", "))
		}
		req.AddFacet(f, bleve.NewFacetRequest(f, FacetSize))
	}
	if q.Highlight {
		req.Highlight = bleve.NewHighlightWithStyle(htmlhl.Name)
		for _, f := range searchFields {
			req.Highlight.AddField(f.Name)
		}
	}
	res, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: search %q: %w", q.Text, err)
	}
	out := &Result{Total: res.Total, Took: res.Took, Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		hit := Hit{ID: h.ID, Score: h.Score}
		src, _ := h.Fields[fieldSource].(string)
		if src == "" {
			return nil, fmt.Errorf("index: hit %s has no stored record", h.ID)
		}
		if err := json.Unmarshal([]byte(src), &hit.Record); err != nil {
			return nil, fmt.Errorf("index: hit %s: decode stored record: %w", h.ID, err)
		}
		for f, frags := range h.Fragments {
			key := strings.TrimSuffix(f, suffixText)
			for _, fr := range frags {
				// bleve returns the start of a field that did not match;
				// keep only fragments that show a match.
				if !strings.Contains(fr, markOpen) {
					continue
				}
				if hit.Fragments == nil {
					hit.Fragments = map[string][]string{}
				}
				hit.Fragments[key] = append(hit.Fragments[key], fr)
			}
		}
		out.Hits = append(out.Hits, hit)
	}
	for name, fr := range res.Facets {
		var counts []FacetCount
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				counts = append(counts, FacetCount{Term: t.Term, Count: t.Count})
			}
		}
		out.Facets[name] = counts
	}
	return out, nil
}

// errNotIndex is returned when dir exists but holds something else.
var errNotIndex = errors.New("not a bleve index")
