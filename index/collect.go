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
// collector (bsearch.MakeDocumentMatchHandlerKey) on a scorch index. bleve
// sorted by "-_score", "_id" loads the record ID of every hit to compare it
// and visits the doc values of every hit to count facets; both cost more
// than scoring a large result set. The search is run sorted by score only
// and hitCollector:
//
//   - keeps the best k = from+size hits in a heap, ordered by score, then
//     by ID: an ID is loaded only for a hit that enters the heap or ties
//     with its worst hit, so the order is the same as bleve's
//     "-_score", "_id" sort;
//   - records the hits of each segment in a bitmap and, at the end, counts
//     the facet terms as the size of each term's postings within the hits
//     (postings minus the complement of the hits), without visiting a
//     hit's values;
//   - loads the stored records of the page, while the search's snapshot is
//     open.
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
// and a greater ID (both IDs loaded).
func worse(a, b *bsearch.DocumentMatch) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.ID > b.ID
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
	if len(c.top) == c.k {
		w := c.top[0]
		if d.Score < w.Score {
			c.pool.Put(d)
			return nil
		}
	}
	id, err := c.snap.ExternalID(d.IndexInternalID)
	if err != nil {
		return err
	}
	d.ID = id
	if len(c.top) < c.k {
		heap.Push(&c.top, d)
		return nil
	}
	if !worse(c.top[0], d) {
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
		doc, err := c.snap.Document(h.ID)
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
	c.counts = map[string]int{}
	segs := c.snap.Segments()
	for i, hits := range c.segHits {
		if hits == nil || hits.IsEmpty() {
			continue
		}
		except := roaring.Flip(hits, 0, uint64(segs[i].FullSize()))
		dict, err := segs[i].Segment().Dictionary(fieldFacet)
		if err != nil {
			return err
		}
		for _, k := range c.keys {
			it := dict.AutomatonIterator(nil, []byte(k+facetSep), []byte(k+string(rune(facetSep[0]+1))))
			for {
				e, err := it.Next()
				if err != nil {
					return err
				}
				if e == nil {
					break
				}
				pl, err := dict.PostingsList([]byte(e.Term), except, nil)
				if err != nil {
					return err
				}
				if n := pl.Count(); n > 0 {
					c.counts[e.Term] += int(n)
				}
			}
		}
	}
	return nil
}

// facetCounts returns the counts of key's values, as bleve's facet gives
// them (every value with at least one hit).
func (c *hitCollector) facetCounts(key string) []FacetCount {
	var out []FacetCount
	for t, n := range c.counts {
		k, v, ok := strings.Cut(t, facetSep)
		if ok && k == key {
			out = append(out, FacetCount{Term: v, Count: n})
		}
	}
	return out
}
