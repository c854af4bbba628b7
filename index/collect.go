package index

import (
	"container/heap"
	"sort"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// hitCollector replaces the document match handler of bleve's top-N
// collector (bsearch.MakeDocumentMatchHandlerKey) on a scorch index, for
// the queries the term scorer (score.go) does not run: phrases and the
// empty query. bleve's collector visits the doc values of every hit to
// count facets, which costs more than scoring a large result set. The
// search is run sorted by score only and hitCollector:
//
//   - keeps the best k = from+size hits in a heap, ordered by score, then
//     by index order (bleve's own order of ties): hits come in index
//     order, so a hit that ties with the worst of a full heap is dropped,
//     and no ID is loaded but those of the page;
//   - records the hits of each segment in a bitmap and, at the end, counts
//     the facet terms as the size of each term's postings within the hits
//     (postings minus the complement of the hits), without visiting a
//     hit's values (countFacets);
//   - loads the IDs and stored records of the page, while the search's
//     snapshot is open.
type hitCollector struct {
	k, from int
	keys    []string // facet keys to count; none = no facets

	snap    *scorch.IndexSnapshot
	offsets []uint64          // first global doc number of each segment
	segHits []*roaring.Bitmap // hits by segment, local doc numbers
	top     hitHeap
	pool    *bsearch.DocumentMatchPool

	// Results.
	hits    []*bsearch.DocumentMatch // the page, best first
	sources []string                 // their stored records
	counts  map[string]int           // facet term → hits
	err     error
}

// hitHeap has the worst hit first.
type hitHeap []*bsearch.DocumentMatch

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return worse(h[i], h[j]) }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(*bsearch.DocumentMatch)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// worse reports whether a ranks below b: a lower score, or the same score
// and later in the index.
func worse(a, b *bsearch.DocumentMatch) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.IndexInternalID.Compare(b.IndexInternalID) > 0
}

// maker returns the handler maker to put in the search's context.
func (c *hitCollector) maker() bsearch.MakeDocumentMatchHandler {
	return func(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		snap, ok := sctx.IndexReader.(*scorch.IndexSnapshot)
		if !ok {
			return nil, false, errNotScorch
		}
		c.snap = snap
		c.pool = sctx.DocumentMatchPool
		var off uint64
		for _, s := range snap.Segments() {
			c.offsets = append(c.offsets, off)
			off += uint64(s.FullSize())
		}
		c.segHits = make([]*roaring.Bitmap, len(c.offsets))
		return c.handle, false, nil
	}
}

func (c *hitCollector) handle(d *bsearch.DocumentMatch) error {
	if d == nil {
		return c.finish()
	}
	if len(c.keys) > 0 {
		n := d.IndexInternalID.Value()
		i := sort.Search(len(c.offsets), func(i int) bool { return c.offsets[i] > n }) - 1
		if c.segHits[i] == nil {
			c.segHits[i] = roaring.New()
		}
		c.segHits[i].Add(uint32(n - c.offsets[i]))
	}
	if len(c.top) < c.k {
		heap.Push(&c.top, d)
		return nil
	}
	if c.k == 0 || !worse(c.top[0], d) {
		c.pool.Put(d)
		return nil
	}
	old := c.top[0]
	c.top[0] = d
	heap.Fix(&c.top, 0)
	c.pool.Put(old)
	return nil
}

func (c *hitCollector) finish() error {
	sorted := make([]*bsearch.DocumentMatch, len(c.top))
	for i := len(sorted) - 1; i >= 0; i-- {
		sorted[i] = heap.Pop(&c.top).(*bsearch.DocumentMatch)
	}
	if c.from < len(sorted) {
		c.hits = sorted[c.from:]
	}
	for _, h := range c.hits {
		id, err := c.snap.ExternalID(h.IndexInternalID)
		if err != nil {
			return err
		}
		h.ID = id
		doc, err := c.snap.Document(id)
		if err != nil {
			return err
		}
		var src string
		if doc != nil {
			doc.VisitFields(func(f bleveindex.Field) {
				if f.Name() == fieldSource {
					src = string(f.Value())
				}
			})
		}
		c.sources = append(c.sources, src)
	}
	if len(c.keys) == 0 {
		return nil
	}
	var err error
	c.counts, err = countFacets(c.snap.Segments(), c.segHits, c.keys)
	return err
}

// countFacets counts the facet terms of keys within the hits of each
// segment: the size of each term's postings minus the complement of the
// hits, without visiting a hit's values.
func countFacets(segs []*scorch.SegmentSnapshot, segHits []*roaring.Bitmap, keys []string) (map[string]int, error) {
	counts := map[string]int{}
	for i, hits := range segHits {
		if hits == nil || hits.IsEmpty() {
			continue
		}
		except := roaring.Flip(hits, 0, uint64(segs[i].FullSize()))
		dict, err := segs[i].Segment().Dictionary(fieldFacet)
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			it := dict.AutomatonIterator(nil, []byte(k+facetSep), []byte(k+string(rune(facetSep[0]+1))))
			for {
				e, err := it.Next()
				if err != nil {
					return nil, err
				}
				if e == nil {
					break
				}
				pl, err := dict.PostingsList([]byte(e.Term), except, nil)
				if err != nil {
					return nil, err
				}
				if n := pl.Count(); n > 0 {
					counts[e.Term] += int(n)
				}
			}
		}
	}
	return counts, nil
}

// facetCounts returns the counts of key's values, as bleve's facet gives
// them (every value with at least one hit).
func facetCounts(counts map[string]int, key string) []FacetCount {
	var out []FacetCount
	for t, n := range counts {
		k, v, ok := strings.Cut(t, facetSep)
		if ok && k == key {
			out = append(out, FacetCount{Term: v, Count: n})
		}
	}
	return out
}
