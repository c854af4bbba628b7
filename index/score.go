package index

import (
	"cmp"
	"container/heap"
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapv17 "github.com/blevesearch/zapx/v17"
)

// The term scorer runs a query (a termPlan: free words, "phrases",
// field:word, -word and filters; every query but the empty one) on the
// segments of a scorch snapshot, with bleve's scoring but not its
// searchers. bleve moves a document at a time through a tree of searchers
// (a conjunction of disjunctions of ~17 fields × tiers × synonyms for each
// word), which costs about a microsecond a posting; for a word found in
// half of a million records that is most of a second. The term scorer
// works a term at a time instead:
//
//  1. The matching documents of a segment are bitmaps: each clause is the
//     OR of its terms' postings and its phrases' matches, the hits the AND
//     of the clauses and the filter groups, minus the excluded and the
//     deleted documents. The total and the facet counts come from these
//     bitmaps (see countFacets). A phrase is looked for (with the term
//     positions) only in the documents that have all its words and can
//     still be hits.
//  2. The terms of the must clauses are read with their frequencies and
//     norms, posting by posting, into dense per-document arrays of the
//     segment, for the hits only.
//  3. The scores of the hits are ranked with a heap of the best from+size.
//
// Segments are scored in parallel, on up to GOMAXPROCS goroutines.
//
// The scores are bleve's (TF-IDF): a leaf scores
// sqrt(freq) × norm × idf² × boost × queryNorm, with idf = 1 +
// ln(docs/(df+1)) over the whole snapshot and queryNorm = 1/sqrt(Σ (boost ×
// idf)²) over every leaf of the must clauses; a disjunction (a tier, a
// clause, a phrase's slot, its optional exact words) scores the sum of its
// matching parts times matched/parts (coord); a phrase the sum of its
// slots, plus its optional words; the clauses add up. Ties are broken by
// index order, as bleve's own collector does (see hitCollector).
// TestFasterSearchesAgree and FuzzSearch check the totals, pages, scores
// and facets against bleve's searchers.

// scoreLeaf is a leaf with its idf and its weight (idf × boost ×
// queryNorm).
type scoreLeaf struct {
	leaf
	idf, weight float64
}

// scoredHit is a hit of the term scorer: its global document number
// (the order of ties), segment, local number and score.
type scoredHit struct {
	score float64
	num   uint64
	seg   int
	local uint32
}

// scoredHeap has the worst hit first.
type scoredHeap []scoredHit

func (h scoredHeap) Len() int           { return len(h) }
func (h scoredHeap) Less(i, j int) bool { return worseHit(h[i], h[j]) }
func (h scoredHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *scoredHeap) Push(x any)        { *h = append(*h, x.(scoredHit)) }
func (h *scoredHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// worseHit reports whether a ranks below b: a lower score, or the same
// score later in the index.
func worseHit(a, b scoredHit) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.num > b.num
}

// scoreTier is a tier of a must clause with the idf and weight of each
// leaf.
type scoreTier struct {
	leaves  []scoreLeaf
	phrases []scorePhrase
}

func (t scoreTier) parts() int { return len(t.leaves) + len(t.phrases) }

// eachLeaves calls f with each list of leaves of t: its terms, each
// phrase's slots and optional words.
func (t scoreTier) eachLeaves(f func([]scoreLeaf)) {
	f(t.leaves)
	for _, p := range t.phrases {
		for _, sl := range p.slots {
			f(sl)
		}
		f(p.should)
	}
}

// scorePhrase is a phraseLeaf with the idf and weight of each leaf.
type scorePhrase struct {
	slots  [][]scoreLeaf
	should []scoreLeaf
}

// termSearch is the result of the term scorer.
type termSearch struct {
	total   uint64
	hits    []scoredHit       // the page, best first
	segHits []*roaring.Bitmap // hits by segment (local numbers); nil entries for none
	segs    []*scorch.SegmentSnapshot
}

// scoreTerms runs tp on snap and returns the page [from, from+size) and the
// hits of each segment (for the facets).
func scoreTerms(ctx context.Context, snap *scorch.IndexSnapshot, tp *termPlan, from, size int) (*termSearch, error) {
	segs := snap.Segments()
	out := &termSearch{segs: segs, segHits: make([]*roaring.Bitmap, len(segs))}
	dicts := newDictCache(segs)

	// The idf of each leaf over the whole snapshot, and queryNorm over the
	// leaves of the must clauses.
	docs, err := snap.DocCount()
	if err != nil {
		return nil, err
	}
	df, err := docFreqs(ctx, dicts, tp)
	if err != nil {
		return nil, err
	}
	sumSq := 0.0
	withIDF := func(ls []leaf, weigh bool) []scoreLeaf {
		out := make([]scoreLeaf, len(ls))
		for i, l := range ls {
			idf := 1 + math.Log(float64(docs)/float64(df[l.key()]+1))
			if weigh {
				sumSq += (l.boost * idf) * (l.boost * idf)
			}
			out[i] = scoreLeaf{leaf: l, idf: idf}
		}
		return out
	}
	scored := func(cs []termClause, weigh bool) [][]scoreTier {
		out := make([][]scoreTier, len(cs))
		for ci, c := range cs {
			out[ci] = make([]scoreTier, len(c))
			for ti, t := range c {
				st := &out[ci][ti]
				st.leaves = withIDF(t.leaves, weigh)
				for _, p := range t.phrases {
					sp := scorePhrase{slots: make([][]scoreLeaf, len(p.slots))}
					for i, sl := range p.slots {
						sp.slots[i] = withIDF(sl, weigh)
					}
					sp.should = withIDF(p.should, weigh)
					st.phrases = append(st.phrases, sp)
				}
			}
		}
		return out
	}
	must, mustNot := scored(tp.must, true), scored(tp.mustNot, false)
	qnorm := 1 / math.Sqrt(sumSq)
	weigh := func(ls []scoreLeaf) {
		for i := range ls {
			ls[i].weight = ls[i].boost * ls[i].idf * qnorm
		}
	}
	for _, c := range must {
		for _, t := range c {
			t.eachLeaves(weigh)
		}
	}
	plan := &segPlan{must: must, mustNot: mustNot, filters: tp.filters}

	// The segments, largest first, on up to GOMAXPROCS workers.
	k := from + size
	// Largest first, so that the last segment a worker takes is a small one.
	order := make([]int, len(segs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(segs[b].FullSize(), segs[a].FullSize()) })
	offsets := make([]uint64, len(segs))
	var off uint64
	for i, s := range segs {
		offsets[i] = off
		off += uint64(s.FullSize())
	}
	var (
		mu    sync.Mutex
		top   scoredHeap
		total uint64
	)
	err = eachSegment(ctx, len(order), func(i int) error {
		si := order[i]
		sc := scorers.get()
		sc.d = dicts
		hits, best, err := sc.run(si, segs[si], plan, k, offsets[si])
		sc.dirty = err != nil // the arrays may not be zero again
		scorers.put(sc)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if hits != nil {
			out.segHits[si] = hits
			total += hits.GetCardinality()
		}
		for _, h := range best {
			pushTop(&top, h, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.total = total
	sorted := make([]scoredHit, len(top))
	for i := len(sorted) - 1; i >= 0; i-- {
		sorted[i] = heap.Pop(&top).(scoredHit)
	}
	if from < len(sorted) {
		out.hits = sorted[from:]
	}
	return out, nil
}

// docFreqs returns the number of documents of each term of the must and
// mustNot clauses of tp (by leaf.key) over every segment, looking the
// segments up in parallel.
func docFreqs(ctx context.Context, dicts dictCache, tp *termPlan) (map[[2]string]uint64, error) {
	var leaves []leaf
	seen := map[[2]string]bool{}
	add := func(ls []leaf) {
		for _, l := range ls {
			if k := l.key(); !seen[k] {
				seen[k] = true
				leaves = append(leaves, l)
			}
		}
	}
	for _, cs := range [][]termClause{tp.must, tp.mustNot} {
		for _, c := range cs {
			c.eachLeaves(add)
		}
	}
	counts := make([]uint64, len(leaves))
	err := eachSegment(ctx, len(dicts), func(si int) error {
		for i, l := range leaves {
			pl, err := dicts.postings(si, l)
			if err != nil {
				return err
			}
			if pl != nil {
				atomic.AddUint64(&counts[i], pl.Count())
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make(map[[2]string]uint64, len(leaves))
	for i, l := range leaves {
		out[l.key()] = counts[i]
	}
	return out, nil
}

// eachSegment calls f for each index below n, in order, on up to
// GOMAXPROCS goroutines (a segment is on one goroutine at a time), and
// returns the first error; after an error or the end of ctx no more calls
// start.
func eachSegment(ctx context.Context, n int, f func(si int) error) error {
	var (
		next atomic.Int64
		mu   sync.Mutex
		ferr error
		wg   sync.WaitGroup
	)
	for w := 0; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				si := int(next.Add(1) - 1)
				if si >= n {
					return
				}
				err := ctx.Err()
				if err == nil {
					err = f(si)
				}
				if err != nil {
					mu.Lock()
					if ferr == nil {
						ferr = err
					}
					mu.Unlock()
					next.Store(int64(n))
					return
				}
			}
		}()
	}
	wg.Wait()
	return ferr
}

// segPlan is the termPlan with idfs and weights, as each segment runs it.
type segPlan struct {
	must, mustNot [][]scoreTier
	filters       [][]leaf
}

// pushTop adds h to the heap of the best k hits.
func pushTop(top *scoredHeap, h scoredHit, k int) {
	if k <= 0 {
		return
	}
	if len(*top) < k {
		heap.Push(top, h)
		return
	}
	if worseHit((*top)[0], h) {
		(*top)[0] = h
		heap.Fix(top, 0)
	}
}

// dictCache opens each field dictionary of each segment once per search
// and keeps the postings lists of the leaves (without the deleted
// documents). A segment's part is used by one goroutine at a time.
type dictCache []*segDicts

// segDicts is the part of a dictCache of one segment.
type segDicts struct {
	seg   *scorch.SegmentSnapshot
	dicts map[string]segment.TermDictionary
	pls   map[[2]string]segment.PostingsList
}

func newDictCache(segs []*scorch.SegmentSnapshot) dictCache {
	d := make(dictCache, len(segs))
	for i, s := range segs {
		d[i] = &segDicts{seg: s, dicts: map[string]segment.TermDictionary{}, pls: map[[2]string]segment.PostingsList{}}
	}
	return d
}

// postings returns the postings list of l in segment si, minus its deleted
// documents; nil when the term is not in the segment.
func (d dictCache) postings(si int, l leaf) (segment.PostingsList, error) {
	sd := d[si]
	pk := [2]string{l.field, l.term}
	if pl, ok := sd.pls[pk]; ok {
		return pl, nil
	}
	dict, ok := sd.dicts[l.field]
	if !ok {
		var err error
		dict, err = sd.seg.Segment().Dictionary(l.field)
		if err != nil {
			return nil, err
		}
		sd.dicts[l.field] = dict
	}
	var pl segment.PostingsList
	if dict != nil {
		p, err := dict.PostingsList([]byte(l.term), sd.seg.Deleted(), nil)
		if err != nil {
			return nil, err
		}
		if p != nil && p.Count() > 0 {
			pl = p
		}
	}
	sd.pls[pk] = pl
	return pl, nil
}

// orInto adds the documents of segment si that have any of the terms to
// bm.
func (d dictCache) orInto(bm *roaring.Bitmap, si int, leaves []scoreLeaf) error {
	for _, l := range leaves {
		pl, err := d.postings(si, l.leaf)
		if err != nil {
			return err
		}
		if err := orPostings(bm, pl); err != nil {
			return err
		}
	}
	return nil
}

// orPostings adds the documents of pl to bm.
func orPostings(bm *roaring.Bitmap, pl segment.PostingsList) error {
	if pl == nil {
		return nil
	}
	it := pl.Iterator(false, false, false, nil)
	if oi, ok := it.(segment.OptimizablePostingsIterator); ok {
		if a := oi.ActualBitmap(); a != nil {
			bm.Or(a)
			return nil
		}
		if n, ok := oi.DocNum1Hit(); ok {
			bm.Add(uint32(n))
			return nil
		}
	}
	for {
		p, err := it.Next()
		if err != nil {
			return err
		}
		if p == nil {
			return nil
		}
		bm.Add(uint32(p.Number()))
	}
}

// scorers keeps segScorers and their arrays (zero between uses) from one
// search to the next: allocating and clearing arrays of a million entries
// for every search costs more than some searches. Unlike a sync.Pool it
// is not emptied by the garbage collector; it keeps at most two scorers a
// core and maxPooledBytes of arrays (a scorer has 28 bytes per
// document of the largest segment it scored).
var scorers scorerList

// maxPooledBytes bounds the arrays kept in scorers.
const maxPooledBytes = 256 << 20

type scorerList struct {
	mu    sync.Mutex
	free  []*segScorer
	bytes int
}

func (l *scorerList) get() *segScorer {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.free); n > 0 {
		sc := l.free[n-1]
		l.free = l.free[:n-1]
		l.bytes -= sc.size()
		return sc
	}
	return &segScorer{}
}

// put returns sc, unless a failed run may have left values in its arrays
// or the list is full.
func (l *scorerList) put(sc *segScorer) {
	sc.d, sc.its = nil, sc.its[:0]
	if sc.dirty {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.free) < 2*runtime.GOMAXPROCS(0) && l.bytes+sc.size() <= maxPooledBytes {
		l.free = append(l.free, sc)
		l.bytes += sc.size()
	}
}

// size is the bytes of sc's arrays.
func (s *segScorer) size() int {
	return cap(s.score)*8*3 + cap(s.ccnt)*2*2 + cap(s.hitSet)*8
}

// segScorer scores one segment at a time; its arrays are reused for the
// segments a worker takes and, through scorers, by later searches.
type segScorer struct {
	d                 dictCache
	dirty             bool // a run failed: the arrays may hold values
	score, csum, tsum []float64
	ccnt, tcnt        []uint16
	hitSet            []uint64 // the hits as a bitset
	its               []termIter
}

func (s *segScorer) grow(n int) {
	if cap(s.score) < n {
		s.score = make([]float64, n)
		s.csum = make([]float64, n)
		s.tsum = make([]float64, n)
		s.ccnt = make([]uint16, n)
		s.tcnt = make([]uint16, n)
		s.hitSet = make([]uint64, (n+63)/64)
	}
	s.score, s.csum, s.tsum = s.score[:n], s.csum[:n], s.tsum[:n]
	s.ccnt, s.tcnt = s.ccnt[:n], s.tcnt[:n]
	s.hitSet = s.hitSet[:(n+63)/64]
}

// phraseCands returns the documents of segment si that have every word
// of p (the candidates of the phrase), within within.
func (s *segScorer) phraseCands(si int, p *scorePhrase, within *roaring.Bitmap) (*roaring.Bitmap, error) {
	var out *roaring.Bitmap
	for _, sl := range p.slots {
		if len(sl) == 0 {
			continue
		}
		bm := roaring.New()
		if err := s.d.orInto(bm, si, sl); err != nil {
			return nil, err
		}
		if out == nil {
			out = bm
		} else {
			out.And(bm)
		}
		if out.IsEmpty() {
			return out, nil
		}
	}
	if out == nil {
		return roaring.New(), nil
	}
	if within != nil {
		out.And(within)
	}
	return out, nil
}

// clauseCands returns the documents of segment si that may match the
// clause: its terms and the candidates of its phrases; and those of its
// terms alone, for clauseMatches.
func (s *segScorer) clauseCands(si int, c []scoreTier, within *roaring.Bitmap) (cands, terms *roaring.Bitmap, err error) {
	terms = roaring.New()
	for _, t := range c {
		if err := s.d.orInto(terms, si, t.leaves); err != nil {
			return nil, nil, err
		}
	}
	cands = terms.Clone()
	for _, t := range c {
		for i := range t.phrases {
			pc, err := s.phraseCands(si, &t.phrases[i], within)
			if err != nil {
				return nil, nil, err
			}
			cands.Or(pc)
		}
	}
	return cands, terms, nil
}

// phraseHit is a document where a phrase was found, and the phrase's score
// there.
type phraseHit struct {
	doc   uint32
	score float64
}

// clauseMatches returns the documents of cand that match the clause (its
// terms, or its phrases where the words stand in order) and, when score,
// the phrase hits of each phrase of each tier. terms are the documents of
// the clause's terms, when clauseCands has found them (nil: not yet).
func (s *segScorer) clauseMatches(si int, c []scoreTier, cand, terms *roaring.Bitmap, score bool) (*roaring.Bitmap, [][][]phraseHit, error) {
	if terms == nil {
		terms = roaring.New()
		for _, t := range c {
			if err := s.d.orInto(terms, si, t.leaves); err != nil {
				return nil, nil, err
			}
		}
	}
	bm := roaring.And(terms, cand) // the phrase hits added below are in cand
	var found [][][]phraseHit
	if score {
		found = make([][][]phraseHit, len(c))
	}
	for ti, t := range c {
		if score {
			found[ti] = make([][]phraseHit, len(t.phrases))
		}
		for pi := range t.phrases {
			pc, err := s.phraseCands(si, &t.phrases[pi], cand)
			if err != nil {
				return nil, nil, err
			}
			if pc.IsEmpty() {
				continue
			}
			hits, err := s.findPhrase(si, &t.phrases[pi], pc, score)
			if err != nil {
				return nil, nil, err
			}
			for _, h := range hits {
				bm.Add(h.doc)
			}
			if score {
				found[ti][pi] = hits
			}
		}
	}
	return bm, found, nil
}

// termIter walks the postings of one leaf in step with a list of
// documents.
type termIter struct {
	l    *scoreLeaf
	it   segment.PostingsIterator
	p    segment.Posting
	done bool
}

// at returns the posting of doc, or nil when the term is not in doc. Calls
// must come in increasing doc order.
func (t *termIter) at(doc uint64) (segment.Posting, error) {
	if t.done {
		return nil, nil
	}
	if t.p == nil || t.p.Number() < doc {
		p, err := t.it.Advance(doc)
		if err != nil {
			return nil, err
		}
		if p == nil {
			t.done = true
			return nil, nil
		}
		t.p = p
	}
	if t.p.Number() == doc {
		return t.p, nil
	}
	return nil, nil
}

// findPhrase looks for p in the documents of cand (which have all its
// words) and returns those where its slots stand at consecutive positions,
// with p's score there when score (the sum of the slots, each a
// disjunction of its terms, plus the disjunction of the optional exact
// words).
func (s *segScorer) findPhrase(si int, p *scorePhrase, cand *roaring.Bitmap, score bool) ([]phraseHit, error) {
	// One iterator for each term of each slot, then the optional words.
	s.its = s.its[:0]
	slotIts := make([][]int, len(p.slots)) // indexes into s.its
	add := func(l *scoreLeaf, locs bool) (int, error) {
		pl, err := s.d.postings(si, l.leaf)
		if err != nil || pl == nil {
			return -1, err
		}
		s.its = append(s.its, termIter{l: l, it: pl.Iterator(true, true, locs, nil)})
		return len(s.its) - 1, nil
	}
	for i := range p.slots {
		for j := range p.slots[i] {
			k, err := add(&p.slots[i][j], true)
			if err != nil {
				return nil, err
			}
			if k >= 0 {
				slotIts[i] = append(slotIts[i], k)
			}
		}
	}
	var shouldIts []int
	if score {
		for j := range p.should {
			k, err := add(&p.should[j], false)
			if err != nil {
				return nil, err
			}
			if k >= 0 {
				shouldIts = append(shouldIts, k)
			}
		}
	}
	var out []phraseHit
	postings := make([][]segment.Posting, len(p.slots))
	cit := cand.Iterator()
	for cit.HasNext() {
		doc := cit.Next()
		for i, ks := range slotIts {
			postings[i] = postings[i][:0]
			for _, k := range ks {
				ps, err := s.its[k].at(uint64(doc))
				if err != nil {
					return nil, err
				}
				if ps != nil {
					postings[i] = append(postings[i], ps)
				}
			}
		}
		if !phraseAt(postings, p.slots) {
			continue
		}
		h := phraseHit{doc: doc}
		if score {
			for i, ps := range postings {
				if len(ps) == 0 {
					continue
				}
				sum := 0.0
				for _, k := range slotIts[i] {
					if ps, _ := s.its[k].at(uint64(doc)); ps != nil {
						sum += postingTfNorm(ps) * s.its[k].l.idf * s.its[k].l.weight
					}
				}
				if len(p.slots[i]) > 1 {
					sum *= float64(len(ps)) / float64(len(p.slots[i]))
				}
				h.score += sum
			}
			sum, m := 0.0, 0
			for _, k := range shouldIts {
				ps, err := s.its[k].at(uint64(doc))
				if err != nil {
					return nil, err
				}
				if ps != nil {
					sum += postingTfNorm(ps) * s.its[k].l.idf * s.its[k].l.weight
					m++
				}
			}
			if m > 0 {
				h.score += sum * (float64(m) / float64(len(p.should)))
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// phraseAt reports whether the postings of each slot (the slot's terms
// found in one document) have a position for slot 0 and each next slot
// one further on, as bleve's phrase searcher looks for them (an empty
// slot is any word).
func phraseAt(postings [][]segment.Posting, slots [][]scoreLeaf) bool {
	for _, first := range postings[0] {
		for _, loc := range first.Locations() {
			if phraseFrom(loc.Pos(), postings, slots, 1) {
				return true
			}
		}
	}
	return false
}

func phraseFrom(pos uint64, postings [][]segment.Posting, slots [][]scoreLeaf, i int) bool {
	if i == len(slots) {
		return true
	}
	if len(slots[i]) == 0 {
		return phraseFrom(pos+1, postings, slots, i+1)
	}
	for _, ps := range postings[i] {
		for _, loc := range ps.Locations() {
			if loc.Pos() == pos+1 && phraseFrom(pos+1, postings, slots, i+1) {
				return true
			}
		}
	}
	return false
}

// run scores segment si and returns its hits and its best k scored hits.
func (s *segScorer) run(si int, seg *scorch.SegmentSnapshot, plan *segPlan, k int, offset uint64) (*roaring.Bitmap, []scoredHit, error) {
	// The candidates: what every must clause and filter may match.
	var cand *roaring.Bitmap
	and := func(bm *roaring.Bitmap) bool {
		if cand == nil {
			cand = bm
		} else {
			cand.And(bm)
		}
		return !cand.IsEmpty()
	}
	for _, g := range plan.filters {
		bm := roaring.New()
		for _, l := range g {
			pl, err := s.d.postings(si, l)
			if err != nil {
				return nil, nil, err
			}
			if err := orPostings(bm, pl); err != nil {
				return nil, nil, err
			}
		}
		if !and(bm) {
			return nil, nil, nil
		}
	}
	terms := make([]*roaring.Bitmap, len(plan.must))
	for ci, c := range plan.must {
		bm, t, err := s.clauseCands(si, c, cand)
		if err != nil {
			return nil, nil, err
		}
		terms[ci] = t
		if !and(bm) {
			return nil, nil, nil
		}
	}
	if cand == nil {
		return nil, nil, nil // no must clause: not a term plan
	}
	if del := seg.Deleted(); del != nil {
		cand.AndNot(del)
	}

	// The hits: the candidates that match every clause (phrases in
	// order) and no excluded one.
	hits := cand
	found := make([][][][]phraseHit, len(plan.must))
	for ci, c := range plan.must {
		bm, f, err := s.clauseMatches(si, c, hits, terms[ci], k > 0)
		if err != nil {
			return nil, nil, err
		}
		hits, found[ci] = bm, f
		if hits.IsEmpty() {
			return nil, nil, nil
		}
	}
	for _, c := range plan.mustNot {
		bm, _, err := s.clauseMatches(si, c, hits, nil, false)
		if err != nil {
			return nil, nil, err
		}
		hits.AndNot(bm)
	}
	if hits.IsEmpty() {
		return nil, nil, nil
	}
	if k == 0 {
		return hits, nil, nil
	}

	// The scores of the hits.
	n := int(seg.FullSize())
	s.grow(n)
	ids := hits.ToArray()
	for _, id := range ids {
		s.hitSet[id>>6] |= 1 << (id & 63)
	}
	defer func() {
		for _, id := range ids {
			s.hitSet[id>>6] = 0
		}
	}()
	var it segment.PostingsIterator
	for ci, c := range plan.must {
		for ti, t := range c {
			parts := float64(t.parts())
			// When one term is all of the tier that this segment has, its
			// score times 1/parts (bleve's coord of one match) goes straight
			// to the clause.
			only := -1
			for li := range t.leaves {
				if pl, _ := s.d.postings(si, t.leaves[li].leaf); pl != nil {
					if only != -1 {
						only = -2
						break
					}
					only = li
				}
			}
			if only >= 0 {
				for _, ph := range found[ci][ti] {
					if len(ph) > 0 {
						only = -2
						break
					}
				}
			}
			read := 0
			for li := range t.leaves {
				l := &t.leaves[li]
				pl, err := s.d.postings(si, l.leaf)
				if err != nil {
					return nil, nil, err
				}
				if pl == nil {
					continue
				}
				it = pl.Iterator(true, true, false, it)
				narrowToHits(it, hits)
				w := l.idf * l.weight
				if only >= 0 {
					coord := 0.0 // none
					if t.parts() > 1 {
						coord = 1 / parts
					}
					if err := s.addPostings(it, w, coord, s.csum, s.ccnt); err != nil {
						return nil, nil, err
					}
					continue
				}
				if err := s.addPostings(it, w, 0, s.tsum, s.tcnt); err != nil {
					return nil, nil, err
				}
				read++
			}
			for _, ph := range found[ci][ti] {
				for _, h := range ph {
					if s.hitSet[h.doc>>6]&(1<<(h.doc&63)) != 0 {
						s.tsum[h.doc] += h.score
						s.tcnt[h.doc]++
						read++
					}
				}
			}
			if read == 0 {
				continue
			}
			for _, id := range ids {
				if m := s.tcnt[id]; m > 0 {
					sum := s.tsum[id]
					if t.parts() > 1 {
						sum *= float64(m) / parts
					}
					s.csum[id] += sum
					s.ccnt[id]++
					s.tsum[id], s.tcnt[id] = 0, 0
				}
			}
		}
		parts := float64(len(c))
		for _, id := range ids {
			if m := s.ccnt[id]; m > 0 {
				sum := s.csum[id]
				if len(c) > 1 {
					sum *= float64(m) / parts
				}
				s.score[id] += sum
				s.csum[id], s.ccnt[id] = 0, 0
			}
		}
	}
	var best scoredHeap
	for _, id := range ids {
		pushTop(&best, scoredHit{score: s.score[id], num: offset + uint64(id), seg: si, local: id}, k)
		s.score[id] = 0
	}
	return hits, best, nil
}

// addPostings adds the score of each posting of it that is a hit, times
// w and then coord (0: none), to sum, and counts it in cnt.
func (s *segScorer) addPostings(it segment.PostingsIterator, w, coord float64, sum []float64, cnt []uint16) error {
	for {
		p, err := it.Next()
		if err != nil {
			return err
		}
		if p == nil {
			return nil
		}
		var doc uint64
		var sc float64
		if zp, ok := p.(*zapv17.Posting); ok {
			doc = zp.Number()
			sc = tfNormLen(zp.Frequency(), zp.NormUint64())
		} else {
			doc = p.Number()
			sc = tfNorm(p.Frequency(), p.Norm())
		}
		if s.hitSet[doc>>6]&(1<<(doc&63)) == 0 {
			continue
		}
		sc *= w
		if coord != 0 {
			sc *= coord
		}
		sum[doc] += sc
		cnt[doc]++
	}
}

// postingTfNorm is tfNorm of p; a zap v17 posting is read without an
// interface call or a square root.
func postingTfNorm(p segment.Posting) float64 {
	if zp, ok := p.(*zapv17.Posting); ok {
		return tfNormLen(zp.Frequency(), zp.NormUint64())
	}
	return tfNorm(p.Frequency(), p.Norm())
}

// normTable holds bleve's norm of each short field length: zap stores the
// length and computes float32(1/sqrt(length)) at every posting.
var normTable = func() [1024]float64 {
	var t [1024]float64
	for i := range t {
		t[i] = float64(float32(1.0 / math.Sqrt(float64(i))))
	}
	return t
}()

// sqrtTable holds sqrt(freq) of small frequencies.
var sqrtTable = func() [64]float64 {
	var t [64]float64
	for i := range t {
		t[i] = math.Sqrt(float64(i))
	}
	return t
}()

// tfNormLen is tfNorm of a posting of zap v17, which keeps the field
// length in place of the norm.
func tfNormLen(freq, length uint64) float64 {
	var tf, norm float64
	if freq < uint64(len(sqrtTable)) {
		tf = sqrtTable[freq]
	} else {
		tf = math.Sqrt(float64(freq))
	}
	if length < uint64(len(normTable)) {
		norm = normTable[length]
	} else {
		norm = float64(float32(1.0 / math.Sqrt(float64(length))))
	}
	return tf * norm
}

// narrowToHits makes it skip the documents that are not hits when the hits
// are fewer than an eighth of its postings: zap then jumps over the chunks
// of postings without a hit and steps over the frequencies and norms of the
// rest instead of decoding them. With more hits than that, walking the
// narrowed list cost as much as reading every posting (measured at 1M).
func narrowToHits(it segment.PostingsIterator, hits *roaring.Bitmap) {
	oi, ok := it.(segment.OptimizablePostingsIterator)
	if !ok {
		return
	}
	a := oi.ActualBitmap()
	if a == nil {
		return
	}
	n, in := a.GetCardinality(), a.AndCardinality(hits)
	if in*8 < n {
		oi.ReplaceActual(roaring.And(a, hits))
	}
}

// tfNorm is bleve's sqrt(freq) × norm.
func tfNorm(freq uint64, norm float64) float64 {
	return math.Sqrt(float64(freq)) * norm
}
