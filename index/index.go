// Package index is registerlyft's search index: it stores register records
// and finds them again by free text, with filters, facets and highlighted
// snippets, for a dataskyddsombud (data protection officer) who asks "which
// activities of which board process personnummer?".
//
// The pipeline talks to the Backend interface; Bleve is the embedded
// implementation (github.com/blevesearch/bleve/v2). The analysis is
// declarative (analyzer and filter names, word lists in data/), so another
// engine can implement Backend with the same decisions.
//
// # Mapping
//
//   - Text fields (activity, purpose, data_subjects, personal_data,
//     legal_basis_text, legal_basis_ref, retention, recipients, sources,
//     third_country, system, title, text, and the analyzed twins
//     municipality_t, organ_t, legal_basis_t, sensitive_data_t of register
//     entries) use the analyzer "sv_tiers" (AnalyzerText), with term vectors
//     for phrases. It indexes every tier of a word in the one field: the
//     exact Swedish Snowball stem; "~" + the stem of the word with å/ä/ö
//     folded (data/fold.txt), when folding changes it; "~" + the stems of
//     the dictionary words of a compound (data/compounds.txt, package
//     decompound). Stop words are dropped by their folded form. Every token
//     keeps the word's position and byte offsets. The items of a list
//     field (personal_data, recipients, ...) are one value separated by
//     ItemSep, with a gap of ItemGap positions between items so that no
//     phrase spans two items (tokenizer "unicode_items", TokenizerItems).
//     There is no "_all" field.
//   - Keyword values (municipality, organ, legal_basis, sensitive_data,
//     kind, format, quality = warning codes, file = provenance.file) are
//     whole terms. Filters match "key\x1fvalue" in one field, "filter",
//     with the value lower-cased and folded (analyzer "keyword_fold");
//     the kind also has a field of its own, "kind_f", scored so that the
//     empty query lists register entries first. Facets read one doc-values
//     field, "facet", holding "key\x1fvalue" for every keyword value but
//     the file, so that counting five facets visits one field per hit.
//     "file" holds the file as written (DeleteFile).
//   - The whole record is stored (record_json), DEFLATE-compressed, and is
//     what hits return; the highlighter marks matches in it by re-analyzing
//     its fields, so no text is stored twice.
//   - Synonyms (personnummer ~ personnr ~ pnr ~ pers.nr; e-post ~
//     e-postadress ~ mejladress; data/synonyms.txt) are expanded at query
//     time, as are words typed without å/ä/ö (data/restore.txt).
//
// # Ranking
//
// Each free word must match somewhere. It is a disjunction over the text
// fields with field boosts (personal_data 8, sensitive_data 6, activity 4,
// purpose 3, data_subjects/recipients/sources 2, retention/legal_basis_text
// 1.5, others 1, a document's title 1 and text 0.2; a document's
// municipality and organ are filters, not text) times a tier weight: exact
// or inflected 1, folded or decompounded 1e-3, prefix (words of five
// letters or more) 1e-5, fuzzy (from four letters: one edit, two from nine
// letters) 3e-6. The tiers are so far apart that a
// weaker tier never outranks a stronger one, so look-alikes such as
// "Personalnummer", "Telefonnummer" or "Halsband", which only the prefix or
// fuzzy tiers can reach, rank below every true hit. Prefix and fuzzy words
// are expanded to the index's terms (at most 64 a field), minus the terms
// the stronger tiers already search.
//
// Hits of equal score are listed in index order. Results are cached until
// the next change to the index.
//
// # Searching
//
// bleve's query tree (above) defines what matches and how it scores, and
// bleve's searchers run it for the empty query. Every other query runs on
// the index snapshot's segments through the term scorer (score.go): hits
// as bitmaps, scores a term at a time with bleve's formulas, segments in
// parallel. Facets are counted from posting lists within the hits
// (countFacets).
//
// # Indexing
//
// Index builds the documents itself (docMaker, with the options and
// analyzers the index's mapping gives each field) on all cores, and writes
// a large call as up to GOMAXPROCS concurrent bleve batches, because bleve
// builds a batch's segment on one goroutine. The analysis computes the
// terms of each distinct word once (wordCache), segments Latin text itself
// (latinWords, the same words as bleve's "unicode" tokenizer) and counts
// term frequencies with a few allocations per value (textField). The index
// records its layout as MappingVersion; Open refuses an index of another
// version. Options.Bulk trades the per-call durability of Index and
// DeleteFile for speed with many small batches; Sync and Close write what
// is pending.
//
// # OpenSearch
//
// An OpenSearch backend would create one index with the same decisions:
//
//   - analysis: a custom analyzer "sv_tiers" = standard tokenizer,
//     lowercase, and three sub-fields per text field instead of the one
//     tiered field (OpenSearch has no filter that marks a folded copy):
//     "<field>" with the "swedish" stemmer and stop words (exact),
//     "<field>.folded" with a mapping char filter from data/fold.txt before
//     the stemmer, and "<field>.dc" with a dictionary_decompounder token
//     filter on the words of data/compounds.txt (its offsets are not used
//     for highlighting). Synonyms: a synonym_graph search-time filter
//     loaded from data/synonyms.txt. index_options "offsets" on "<field>".
//   - keyword fields: type keyword with a lowercase+asciifolding normalizer
//     for the filters, one field a key; facets are terms aggregations on
//     keyword fields (doc values are the default), so the combined "facet"
//     and "filter" fields are not needed.
//   - queries: a bool query with one should-clause per tier, each a
//     multi_match over "<field>^boost" (exact), "<field>.folded^boost*1e-3",
//     "<field>.dc^boost*1e-3", then prefix and fuzzy (fuzziness 1 or 2,
//     max_expansions 64) clauses with the weakest boosts; phrases as
//     match_phrase; filters as terms queries in the filter context; -word
//     as must_not. record_json becomes _source; the highlighter can stay
//     this package's. List fields: arrays with position_increment_gap
//     ItemGap.
//
// Package qparse parses the query language; package decompound splits
// compounds.
package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
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
	// Sync waits until every change is on disk (see Options.Bulk).
	Sync() error
	// Close releases the index, after Sync.
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
	// NoFacets skips counting facets (a page of hits only).
	NoFacets bool `json:",omitempty"`
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
	// Hints say what was read literally or left out of Text (an unbalanced
	// quote, an unknown field, stop words, a query cut to its first words),
	// in English, for the search box.
	Hints []string `json:"hints,omitempty"`
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

// markOpen and markClose wrap a highlighted match in a fragment.
const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// Limits.
const (
	DefaultSize = 20
	MaxSize     = 10000 // largest page
	FacetSize   = 100   // terms returned per facet
)

// Bleve is a Backend stored in a bleve (scorch) index directory.
type Bleve struct {
	idx      bleve.Index
	exp      *expander
	docs     *docMaker         // records → documents, with the index's mapping
	analyzer analysis.Analyzer // AnalyzerText, for the highlighter
	dir      string
	persist  *persistTracker // Options.Bulk: the batches not yet on disk

	gen     atomic.Uint64 // bumped by every change; cached results of older generations are stale
	cache   resultCache
	noCache bool // benchmarks of the uncached path
	// bleveSearch makes bleve's searchers run every query, not the term
	// scorer; bleveCollect also makes bleve's collector sort and count the
	// facets of every hit instead of hitCollector (tests: all give the
	// same results).
	bleveSearch, bleveCollect bool

	closeOnce sync.Once
	closeErr  error
}

var _ Backend = (*Bleve)(nil)

// Open opens the index at dir, creating it with the mapping when dir does
// not exist or is empty.
func Open(dir string) (*Bleve, error) { return OpenWith(dir, Options{}) }

// OpenWith is Open with options.
func OpenWith(dir string, o Options) (*Bleve, error) {
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
		if err := idx.SetInternal([]byte(versionKey), []byte(MappingVersion)); err != nil {
			idx.Close()
			return nil, fmt.Errorf("index: create %s: %w", dir, err)
		}
	}
	if err := checkVersion(idx, dir); err != nil {
		idx.Close()
		return nil, err
	}
	var persist *persistTracker
	if o.Bulk {
		if err := idx.Close(); err != nil {
			return nil, fmt.Errorf("index: open %s: %w", dir, err)
		}
		persist = newPersistTracker()
		if idx, err = openBulk(dir, persist); err != nil {
			return nil, err
		}
	}
	fail := func(err error) (*Bleve, error) {
		idx.Close()
		if persist != nil {
			persist.forget(dir)
		}
		return nil, err
	}
	a := idx.Mapping().AnalyzerNamed(AnalyzerText)
	if a == nil {
		return fail(fmt.Errorf("index: %s: analyzer %s missing from the mapping (index made by an older version or another tool: delete it and ingest again)", dir, AnalyzerText))
	}
	table, err := loadFold()
	if err != nil {
		return fail(fmt.Errorf("index: %w", err))
	}
	dm, err := newDocMaker(idx.Mapping())
	if err != nil {
		return fail(fmt.Errorf("%w (%s: delete it and ingest again)", err, dir))
	}
	return &Bleve{idx: idx, exp: newExpander(table, dm.filter), docs: dm, analyzer: a, dir: dir, persist: persist}, nil
}

// ErrOldIndex is returned (wrapped) by Open for an index written by another
// version of registerlyft, whose layout this version does not read.
var ErrOldIndex = errors.New("index made by another version of registerlyft")

// checkVersion returns ErrOldIndex when idx was not made with
// MappingVersion.
func checkVersion(idx bleve.Index, dir string) error {
	v, err := idx.GetInternal([]byte(versionKey))
	if err != nil {
		return fmt.Errorf("index: open %s: read version: %w", dir, err)
	}
	if string(v) == MappingVersion {
		return nil
	}
	have := string(v)
	if have == "" {
		have = "1"
	}
	return fmt.Errorf("index: open %s: %w (index format %s, this version reads %s): run ingest again with the same output directory, "+
		"which rebuilds the index from its records.jsonl",
		dir, ErrOldIndex, have, MappingVersion)
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

// Index adds or replaces recs by ID. A call of up to 2×minChunk records is
// one batch, which a search sees whole or not at all; a larger call is
// written as concurrent batches, each of which a concurrent search may see
// before the others (the last record of an ID that comes twice wins, as in
// one batch).
func (b *Bleve) Index(ctx context.Context, recs []record.Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for i := range recs {
		if recs[i].ID == "" {
			return fmt.Errorf("index: record %d of %d (file %q): empty id", i+1, len(recs), recs[i].Provenance.File)
		}
	}
	if len(recs) == 0 {
		return nil
	}
	defer b.gen.Add(1)
	chunks := splitBatch(recs, runtime.GOMAXPROCS(0))
	if len(chunks) == 1 {
		return b.indexBatch(ctx, recs, true)
	}
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.indexBatch(ctx, c, false)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// minChunk is the fewest records of one of the batches that Index writes
// concurrently.
const minChunk = 500

// splitBatch divides recs into at most n parts of at least minChunk records
// each, to be written as concurrent batches: bleve builds the segment of a
// batch on one goroutine, so one batch at a time leaves the other cores
// idle for a third of the time. A record whose ID comes again later in recs
// is left out (the last one wins, as in one batch), so that the parts never
// race for an ID.
func splitBatch(recs []record.Record, n int) [][]record.Record {
	n = min(n, len(recs)/minChunk)
	if n <= 1 {
		return [][]record.Record{recs}
	}
	last := make(map[string]int, len(recs))
	for i := range recs {
		last[recs[i].ID] = i
	}
	if len(last) < len(recs) {
		uniq := make([]record.Record, 0, len(last))
		for i := range recs {
			if last[recs[i].ID] == i {
				uniq = append(uniq, recs[i])
			}
		}
		recs = uniq
	}
	out := make([][]record.Record, 0, n)
	size := (len(recs) + n - 1) / n
	for len(recs) > 0 {
		k := min(size, len(recs))
		out = append(out, recs[:k])
		recs = recs[k:]
	}
	return out
}

// indexBatch writes recs in one bleve batch; parallel builds their
// documents on several goroutines.
func (b *Bleve) indexBatch(ctx context.Context, recs []record.Record, parallel bool) error {
	docs, err := b.documents(recs, parallel)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	batch := b.idx.NewBatch()
	for _, d := range docs {
		if err := batch.IndexAdvanced(d); err != nil {
			return fmt.Errorf("index: record %s: %w", d.ID(), err)
		}
	}
	if err := b.write(batch); err != nil {
		return fmt.Errorf("index: %s: write batch of %d records: %w", b.dir, len(recs), err)
	}
	return nil
}

// parallelDocs is the fewest records whose documents are built on several
// goroutines.
const parallelDocs = 64

// documents maps recs to bleve documents with the index's mapping. The
// stored copy (JSON, compressed) and the mapping cost about as much as the
// analysis, so they are spread over the cores like bleve spreads the
// analysis.
func (b *Bleve) documents(recs []record.Record, parallel bool) ([]*bdoc.Document, error) {
	docs := make([]*bdoc.Document, len(recs))
	errs := make([]error, len(recs))
	one := func(i int) {
		docs[i], errs[i] = b.docs.document(&recs[i])
	}
	workers := 1
	if parallel {
		workers = min(runtime.GOMAXPROCS(0), len(recs)/parallelDocs)
	}
	if workers <= 1 {
		for i := range recs {
			one(i)
		}
	} else {
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(recs); i += workers {
					one(i)
				}
			}()
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return docs, nil
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
		b.gen.Add(1)
		batch := b.idx.NewBatch()
		for _, h := range res.Hits {
			if deleted[h.ID] {
				return fmt.Errorf("index: delete records of %s: record %s still found after deletion", file, h.ID)
			}
			deleted[h.ID] = true
			batch.Delete(h.ID)
		}
		if err := b.write(batch); err != nil {
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
	if err := decodeSource(src, &r); err != nil {
		return nil, false, fmt.Errorf("index: get %s: %w", id, err)
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
		// With Options.Bulk, bleve would drop what it has not written yet.
		serr := b.Sync()
		if err := b.idx.Close(); err != nil {
			b.closeErr = fmt.Errorf("index: close %s: %w", b.dir, err)
		}
		if serr != nil && b.closeErr == nil {
			b.closeErr = serr
		}
		if b.persist != nil {
			b.persist.forget(b.dir)
		}
	})
	return b.closeErr
}

// Search runs q. Results are cached until the next Index or DeleteFile:
// the DPO's questions repeat, and a faceted query over a million records
// costs far more than the lookup.
func (b *Bleve) Search(ctx context.Context, q Query) (*Result, error) {
	start := time.Now()
	key, cacheable := cacheKey(q)
	gen := b.gen.Load()
	if cacheable && !b.noCache {
		if r := b.cache.get(key, gen); r != nil {
			r.Took = time.Since(start)
			return r, nil
		}
	}
	res, err := b.search(ctx, q)
	if err != nil {
		return nil, err
	}
	if cacheable && !b.noCache {
		b.cache.put(key, gen, res)
	}
	res.Took = time.Since(start)
	return res, nil
}

func (b *Bleve) search(ctx context.Context, q Query) (*Result, error) {
	var rd dictReader
	if adv, err := b.idx.Advanced(); err == nil {
		if r, err := adv.Reader(); err == nil {
			defer r.Close()
			if d, ok := r.(dictReader); ok {
				rd = d
			}
		}
	}
	p, err := b.exp.build(q, rd)
	if err != nil {
		return nil, err
	}
	size := q.Size
	if size <= 0 {
		size = DefaultSize
	}
	size = min(size, MaxSize)
	from := max(q.From, 0)
	facets := q.Facets
	if len(facets) == 0 {
		facets = DefaultFacets
	}
	if q.NoFacets {
		facets = nil
	}
	for _, f := range facets {
		if !isFacetKey(f) {
			return nil, fmt.Errorf("index: unknown facet %q (want one of %s)", f, strings.Join(FacetKeys, ", "))
		}
	}
	snap, _ := rd.(*scorch.IndexSnapshot)
	var out *Result
	switch {
	case snap != nil && p.terms != nil && !b.bleveSearch:
		out, err = b.searchTerms(ctx, snap, p, from, size, facets)
	case snap != nil && !b.bleveCollect:
		out, err = b.searchCollect(ctx, p, from, size, facets)
	default:
		out, err = b.searchBleve(ctx, p, from, size, facets)
	}
	if err != nil {
		return nil, fmt.Errorf("index: search %q: %w", q.Text, err)
	}
	out.Hints = p.hints
	if q.Highlight {
		hl := &highlighter{analyzer: b.analyzer, m: p.match}
		for i := range out.Hits {
			out.Hits[i].Fragments = hl.fragments(&out.Hits[i].Record)
		}
	}
	for k, counts := range out.Facets {
		sort.SliceStable(counts, func(i, j int) bool {
			if counts[i].Count != counts[j].Count {
				return counts[i].Count > counts[j].Count
			}
			return counts[i].Term < counts[j].Term
		})
		if len(counts) > FacetSize {
			counts = counts[:FacetSize]
		}
		if len(counts) == 0 {
			delete(out.Facets, k)
			continue
		}
		out.Facets[k] = counts
	}
	return out, nil
}

// searchTerms runs a plan of terms alone with the term scorer (score.go).
func (b *Bleve) searchTerms(ctx context.Context, snap *scorch.IndexSnapshot, p *plan, from, size int, facets []string) (*Result, error) {
	ts, err := scoreTerms(ctx, snap, p.terms, from, size)
	if err != nil {
		return nil, err
	}
	out := &Result{Total: ts.total, Facets: map[string][]FacetCount{}}
	for _, h := range ts.hits {
		var id string
		var src []byte
		err := ts.segs[h.seg].VisitDocument(uint64(h.local), func(field string, _ byte, value []byte, _ []uint64) bool {
			switch field {
			case "_id":
				id = string(value)
			case fieldSource:
				src = append([]byte(nil), value...)
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		if err := out.addHit(id, h.score, src); err != nil {
			return nil, err
		}
	}
	if len(facets) > 0 {
		counts, err := countFacets(ts.segs, ts.segHits, facets)
		if err != nil {
			return nil, err
		}
		for _, f := range facets {
			out.Facets[f] = facetCounts(counts, f)
		}
	}
	return out, nil
}

// searchCollect runs p with bleve's searchers and hitCollector.
func (b *Bleve) searchCollect(ctx context.Context, p *plan, from, size int, facets []string) (*Result, error) {
	hc := &hitCollector{k: from + size, from: from, keys: facets}
	req := bleve.NewSearchRequestOptions(p.q, from+size, 0, false)
	req.SortBy([]string{"-_score"})
	ctx = context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, hc.maker())
	res, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &Result{Total: res.Total, Facets: map[string][]FacetCount{}}
	for i, h := range hc.hits {
		if err := out.addHit(h.ID, h.Score, []byte(hc.sources[i])); err != nil {
			return nil, err
		}
	}
	for _, f := range facets {
		out.Facets[f] = facetCounts(hc.counts, f)
	}
	return out, nil
}

// searchBleve runs p with bleve's searchers and collector (sorted by
// score, ties in index order; facets by bleve): the reference the faster
// paths are tested against.
func (b *Bleve) searchBleve(ctx context.Context, p *plan, from, size int, facets []string) (*Result, error) {
	req := bleve.NewSearchRequestOptions(p.q, size, from, false)
	req.Fields = []string{fieldSource}
	req.SortBy([]string{"-_score"})
	if len(facets) > 0 {
		req.AddFacet(fieldFacet, bleve.NewFacetRequest(fieldFacet, maxFacetTerms))
	}
	res, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &Result{Total: res.Total, Facets: map[string][]FacetCount{}}
	for _, h := range res.Hits {
		src, _ := h.Fields[fieldSource].(string)
		if err := out.addHit(h.ID, h.Score, []byte(src)); err != nil {
			return nil, err
		}
	}
	want := map[string]bool{}
	for _, f := range facets {
		want[f] = true
		out.Facets[f] = nil
	}
	if fr := res.Facets[fieldFacet]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			k, v, ok := strings.Cut(t.Term, facetSep)
			if ok && want[k] {
				out.Facets[k] = append(out.Facets[k], FacetCount{Term: v, Count: t.Count})
			}
		}
	}
	return out, nil
}

// addHit adds the hit id with its score and its record decoded from the
// stored copy src.
func (r *Result) addHit(id string, score float64, src []byte) error {
	if len(src) == 0 {
		return fmt.Errorf("hit %s has no stored record", id)
	}
	hit := Hit{ID: id, Score: score}
	if err := decodeSource(src, &hit.Record); err != nil {
		return fmt.Errorf("hit %s: %w", id, err)
	}
	r.Hits = append(r.Hits, hit)
	return nil
}

// maxFacetTerms bounds the terms of the combined facet field counted in one
// search: every value of every key in facetKeys.
const maxFacetTerms = 100000

// errNotScorch is returned by hitCollector for a reader it cannot count on.
var errNotScorch = errors.New("index: not a scorch index")

// errNotIndex is returned when dir exists but holds something else.
var errNotIndex = errors.New("not a bleve index")
