package index

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"

	"github.com/registerlyft/registerlyft/index/qparse"
)

// Tier weights multiply the field boosts. Each tier is weighted far below
// the one before it, so that a hit found only by a weaker tier never
// outranks one found by a stronger tier, whatever the field boosts, term
// rarity (idf) and field lengths: an exact or inflected match comes first,
// then folded (å/ä/ö typed as a/a/o, OCR damage), decompounded, prefix and
// fuzzy matches last. Look-alikes ("Personalnummer", "Halsband") can only be
// found by the last tiers.
const (
	tierExact  = 1
	tierFolded = 1e-3 // also decompounded: the parts are marked like folded words
	tierPrefix = 1e-5
	tierFuzzy  = 3e-6
)

// synonymBoost weighs the other terms of a synonym group against the word
// the user typed.
const synonymBoost = 0.9

// Limits on user input, so that a pasted page cannot make a slow query.
const (
	maxClauses     = 32  // clauses searched; the rest are dropped with a hint
	maxClauseRunes = 200 // runes of one word or phrase
	minPrefixRunes = 5   // shortest word searched as a prefix (a 4-letter one is mostly look-alikes: "namn" → "nämnd")
	minFuzzyRunes  = 4   // shortest word searched with one edit
	minFuzzy2Runes = 9   // shortest word searched with two edits
)

// Hints given in Result.Hints.
const (
	hintTooLong   = "query has more than %d words or phrases: only the first %d were searched"
	hintCut       = "a word or phrase longer than %d characters was cut"
	hintStopWords = "%q has only stop words or punctuation and was ignored"
)

// expander builds bleve queries from parsed query clauses. It splits words
// as the index's analyzer does and computes their terms in each tier.
type expander struct {
	filter  analysis.Analyzer // AnalyzerFilter, for the terms of filters
	table   map[rune]string
	tok     analysis.Tokenizer
	groups  []synGroup
	restore map[string]string
}

// synGroup is one line of data/synonyms.txt with the keys it is found by.
type synGroup struct {
	terms  []string
	folded map[string]bool // Fold(term)
	stems  map[string]bool // folded stems of term, joined by spaces
}

func newExpander(table map[rune]string, filter analysis.Analyzer) *expander {
	e := &expander{filter: filter, table: table, tok: unicodetok.NewUnicodeTokenizer(), restore: restoreTable()}
	for _, g := range synonymGroups(synonymData) {
		sg := synGroup{terms: g, folded: map[string]bool{}, stems: map[string]bool{}}
		for _, t := range g {
			sg.folded[Fold(t)] = true
			if s := e.stemKey(t); s != "" {
				sg.stems[s] = true
			}
		}
		e.groups = append(e.groups, sg)
	}
	return e
}

// qword is one word of a query with its terms.
type qword struct {
	pos    int    // position, as the index counts them
	text   string // lower case, as typed
	exact  string // exact-tier term
	folded string // stem of the folded word (= exact when folding changes nothing)
}

// foldedTerms are the folded-tier terms of w: the marked folded stem (a
// folded or decompounded word in a document) and the plain folded stem (a
// document that has the word without å/ä/ö), minus the exact term.
func (w qword) foldedTerms() []string {
	out := []string{FoldedMark + w.folded}
	if w.folded != w.exact {
		out = append(out, w.folded)
	}
	return out
}

// words splits s as AnalyzerText does, without stop words.
func (e *expander) words(s string) []qword {
	var out []qword
	for _, t := range e.tok.Tokenize([]byte(s)) {
		w := strings.ToLower(string(t.Term))
		exact, folded, stop := wordTerms(e.table, w)
		if stop {
			continue
		}
		if folded == "" {
			folded = exact
		}
		out = append(out, qword{pos: t.Position, text: w, exact: exact, folded: folded})
	}
	return out
}

func (e *expander) stemKey(s string) string {
	var k []string
	for _, w := range e.words(s) {
		k = append(k, w.folded)
	}
	return strings.Join(k, " ")
}

// synonyms returns the other terms of the groups that word belongs to.
func (e *expander) synonyms(word string) []string {
	f, s := Fold(word), e.stemKey(word)
	var out []string
	seen := map[string]bool{f: true}
	for _, g := range e.groups {
		if !g.folded[f] && (s == "" || !g.stems[s]) {
			continue
		}
		for _, t := range g.terms {
			if ft := Fold(t); !seen[ft] {
				seen[ft] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// restoreWord gives a word typed without å/ä/ö its letters back when
// data/restore.txt lists it ("halsa" → "hälsa").
func (e *expander) restoreWord(w string) string {
	lw := strings.ToLower(w)
	if Fold(lw) != lw {
		return w // has its letters
	}
	if r, ok := e.restore[lw]; ok {
		return r
	}
	return w
}

// matcher is what a query looks for, for the highlighter: the index terms
// of every tier, by field name ("" = every field).
type matcher struct {
	terms map[string]map[string]bool
}

func newMatcher() *matcher { return &matcher{terms: map[string]map[string]bool{}} }

func (m *matcher) add(field string, terms ...string) {
	if m == nil {
		return
	}
	if m.terms[field] == nil {
		m.terms[field] = map[string]bool{}
	}
	for _, t := range terms {
		m.terms[field][t] = true
	}
}

// plan is a compiled Query.
type plan struct {
	q     query.Query
	terms *termPlan // the same query for the term scorer; nil for the empty query
	match *matcher
	hints []string
}

// termPlan is a query as the term scorer runs it: every must clause
// matches, no mustNot clause does, and each filter group has a match (a
// group is the OR of its leaves). mustNot clauses and filters are not
// scored.
type termPlan struct {
	must    []termClause
	mustNot []termClause
	filters [][]leaf
}

// dictReader lists index terms, for prefix and fuzzy expansion.
type dictReader interface {
	FieldDictPrefix(field string, termPrefix []byte) (bleveindex.FieldDict, error)
	FieldDictFuzzy(field string, term string, fuzziness int, prefix string) (bleveindex.FieldDict, error)
}

// maxExpansions bounds the terms one prefix or fuzzy word expands to in
// one field.
const maxExpansions = 64

// expandFuzzy collects, like expand, up to maxExpansions terms of field
// within edits of term. bleve builds the Levenshtein automaton of term
// again for every field it is asked about, which costs more than looking
// the terms up; on a scorch index the automaton comes from levCache and
// is run over the field's dictionary in each segment.
func expandFuzzy(rd dictReader, field, term string, edits int, skip, out map[string]bool) {
	if snap, ok := rd.(*scorch.IndexSnapshot); ok {
		a, err := cachedLevAutomaton(term, edits)
		if err == nil && a != nil {
			takeFirst(segmentTerms(snap, field, a, nil, nil), skip, out)
			return
		}
	}
	d, err := rd.FieldDictFuzzy(field, term, edits, "")
	expand(d, err, skip, out)
}

// expandPrefix collects, like expand, up to maxExpansions terms of field
// that start with prefix, minus skip, in dictionary order. bleve's
// FieldDictPrefix merges the segments' dictionaries through a heap; this
// walks each segment's range and sorts the union, which costs less.
func expandPrefix(rd dictReader, field, prefix string, skip, out map[string]bool) {
	snap, ok := rd.(*scorch.IndexSnapshot)
	if !ok {
		d, err := rd.FieldDictPrefix(field, []byte(prefix))
		expand(d, err, skip, out)
		return
	}
	takeFirst(segmentTerms(snap, field, nil, []byte(prefix), prefixEnd([]byte(prefix))), skip, out)
}

// segmentTerms returns the terms of field in every segment of snap that a
// accepts (nil: any) within [start, end) (nil: open), sorted: the order of
// bleve's merged dictionary.
func segmentTerms(snap *scorch.IndexSnapshot, field string, a vellum.Automaton, start, end []byte) []string {
	var terms []string
	seen := map[string]bool{}
	for _, seg := range snap.Segments() {
		d, err := seg.Segment().Dictionary(field)
		if err != nil || d == nil {
			continue
		}
		it := d.AutomatonIterator(a, start, end)
		for {
			de, err := it.Next()
			if err != nil || de == nil {
				break
			}
			if !seen[de.Term] {
				seen[de.Term] = true
				terms = append(terms, de.Term)
			}
		}
	}
	sort.Strings(terms)
	return terms
}

// takeFirst adds to out the first maxExpansions of terms that are in
// neither skip nor out, as expand does with a dictionary.
func takeFirst(terms []string, skip, out map[string]bool) {
	n := 0
	for _, t := range terms {
		if n >= maxExpansions {
			return
		}
		if !skip[t] && !out[t] {
			out[t] = true
			n++
		}
	}
}

// prefixEnd is the least byte string above every string that starts with
// p (nil: none).
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// levCache keeps the Levenshtein automata of recent query words: building
// one for two edits costs about a millisecond, and a DPO's words repeat.
var levCache = struct {
	sync.Mutex
	m map[string]vellum.Automaton
}{m: map[string]vellum.Automaton{}}

// levCacheSize bounds levCache; when full it is emptied.
const levCacheSize = 512

// cachedLevAutomaton is levAutomaton through levCache.
func cachedLevAutomaton(term string, edits int) (vellum.Automaton, error) {
	key := fmt.Sprint(edits, "\x00", term)
	levCache.Lock()
	a, ok := levCache.m[key]
	levCache.Unlock()
	if ok {
		return a, nil
	}
	a, err := levAutomaton(term, edits)
	if err != nil {
		return nil, err
	}
	levCache.Lock()
	if len(levCache.m) >= levCacheSize {
		levCache.m = map[string]vellum.Automaton{}
	}
	levCache.m[key] = a
	levCache.Unlock()
	return a, nil
}

var (
	levOnce     sync.Once
	levBuilders [3]*levenshtein.LevenshteinAutomatonBuilder
	levErr      error
)

// levAutomaton returns the automaton of the terms within edits (1 or 2) of
// term, with transpositions as one edit, as bleve's fuzzy search builds it.
func levAutomaton(term string, edits int) (vellum.Automaton, error) {
	if edits < 1 || edits > 2 {
		return nil, fmt.Errorf("fuzziness %d", edits)
	}
	levOnce.Do(func() {
		for k := 1; k <= 2 && levErr == nil; k++ {
			levBuilders[k], levErr = levenshtein.NewLevenshteinAutomatonBuilder(uint8(k), true)
		}
	})
	if levErr != nil {
		return nil, levErr
	}
	return levBuilders[edits].BuildDfa(term, uint8(edits))
}

// expand collects up to maxExpansions terms of d that are not in skip.
func expand(d bleveindex.FieldDict, err error, skip map[string]bool, out map[string]bool) {
	if err != nil || d == nil {
		return
	}
	defer d.Close()
	n := 0
	for {
		de, err := d.Next()
		if err != nil || de == nil || n >= maxExpansions {
			return
		}
		if !skip[de.Term] && !out[de.Term] {
			out[de.Term] = true
			n++
		}
	}
}

// leaf is one term of one index field and the boost of a hit in it (field
// boost × synonym boost × tier weight): the unit both bleve's query and
// the term scorer (score.go) are built of.
type leaf struct {
	field, term string
	boost       float64
}

// phraseLeaf is a variant of several words (a phrase typed by the user, or
// a synonym such as "uppgifter om hälsa") in one field: the words at
// consecutive positions, each slot any of its terms (exact and folded; an
// empty slot, left by a stop word, any word), in the folded tier, and the
// exact words as optional terms that add the exact tier's score to a
// phrase hit (bleve: BooleanQuery{Must: MultiPhrase, Should: terms}).
type phraseLeaf struct {
	field  string
	slots  [][]leaf
	should []leaf
}

// query is the bleve query of p.
func (p phraseLeaf) query() query.Query {
	terms := make([][]string, len(p.slots))
	boost := 0.0
	for i, s := range p.slots {
		for _, l := range s {
			terms[i] = append(terms[i], l.term)
			boost = l.boost
		}
	}
	bq := bleve.NewBooleanQuery()
	bq.AddMust(phraseQuery(terms, p.field, boost))
	for _, l := range p.should {
		bq.AddShould(termQuery(l.term, l.field, l.boost))
	}
	return bq
}

// tier is one tier of a clause: a disjunction of terms and phrases.
type tier struct {
	leaves  []leaf
	phrases []phraseLeaf
}

func (t tier) parts() int { return len(t.leaves) + len(t.phrases) }

// query is the bleve query of t: its terms, then its phrases.
func (t tier) query() query.Query {
	qs := make([]query.Query, 0, t.parts())
	for _, l := range t.leaves {
		qs = append(qs, termQuery(l.term, l.field, l.boost))
	}
	for _, p := range t.phrases {
		qs = append(qs, p.query())
	}
	return disjunction(qs)
}

// key identifies l's term in its field.
func (l leaf) key() [2]string { return [2]string{l.field, l.term} }

// termClause is a free word's clause: a disjunction of tiers (exact,
// folded and decompounded, prefix, fuzzy; only those with terms). bleve
// scores a disjunction as the sum of its matching parts times the share
// of its parts that match (coord); the term scorer does the same.
type termClause []tier

// eachLeaves calls f with each list of leaves of c: a tier's terms, a
// phrase's slots and its optional words.
func (c termClause) eachLeaves(f func([]leaf)) {
	for _, t := range c {
		f(t.leaves)
		for _, p := range t.phrases {
			for _, sl := range p.slots {
				f(sl)
			}
			f(p.should)
		}
	}
}

// query is the bleve query of c.
func (c termClause) query() query.Query {
	var tiers []query.Query
	for _, t := range c {
		tiers = append(tiers, t.query())
	}
	return disjunction(tiers)
}

// disjunction is the one query of qs, or their disjunction (nil for none).
func disjunction(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// clauseQuery matches text (a word or phrase) in fields, with its synonyms,
// in every tier. weak adds the prefix and fuzzy tiers (for words typed by
// the user, not for exclusions), expanded to index terms through rd. It
// returns nil when text has no searchable word (stop words, punctuation).
// The terms are recorded in m under mfield for the highlighter. terms is
// the same clause for the term scorer.
func (e *expander) clauseQuery(text string, phrase bool, fields []searchField, weak bool, rd dictReader, m *matcher, mfield string) (q query.Query, terms termClause) {
	type variant struct {
		text  string
		boost float64
	}
	text = e.restoreWord(text)
	vs := []variant{{text, 1}}
	for _, s := range e.synonyms(text) {
		vs = append(vs, variant{s, synonymBoost})
	}
	var exact, folded, prefix, fuzzy []leaf
	var phrases []phraseLeaf // folded tier: the variants of several words
	seen := map[string]bool{}
	for i, v := range vs {
		ws := e.words(v.text)
		var keys []string
		for _, w := range ws {
			keys = append(keys, w.folded)
		}
		key := strings.Join(keys, " ")
		if len(ws) == 0 || seen[key] {
			continue // stop words only, or the same terms as an earlier variant
		}
		seen[key] = true
		for _, w := range ws {
			m.add(mfield, w.exact)
			m.add(mfield, w.foldedTerms()...)
		}
		if len(ws) > 1 {
			// One phrase check a field, in the folded tier (its terms are
			// a superset of the exact ones); the words found as typed add
			// the exact tier's score to a phrase hit.
			for _, f := range fields {
				ph := phraseLeaf{field: f.Name, slots: make([][]leaf, ws[len(ws)-1].pos-ws[0].pos+1)}
				for _, w := range ws {
					slot := &ph.slots[w.pos-ws[0].pos]
					for _, t := range append([]string{w.exact}, w.foldedTerms()...) {
						*slot = append(*slot, leaf{f.Name, t, f.Boost * v.boost * tierFolded})
					}
					ph.should = append(ph.should, leaf{f.Name, w.exact, f.Boost * v.boost * tierExact})
				}
				phrases = append(phrases, ph)
			}
			continue
		}
		w := ws[0]
		for _, f := range fields {
			exact = append(exact, leaf{f.Name, w.exact, f.Boost * v.boost * tierExact})
			for _, t := range w.foldedTerms() {
				folded = append(folded, leaf{f.Name, t, f.Boost * v.boost * tierFolded})
			}
		}
		if !weak || i > 0 || phrase || rd == nil {
			continue // prefix and fuzzy only for the word as typed
		}
		skip := map[string]bool{w.exact: true}
		for _, t := range w.foldedTerms() {
			skip[t] = true
		}
		pre, fuz := expandWeak(rd, fields, w, skip)
		for fi, f := range fields {
			for _, t := range pre[fi] {
				prefix = append(prefix, leaf{f.Name, t, f.Boost * tierPrefix})
				m.add(f.Name, t)
			}
			for _, t := range fuz[fi] {
				fuzzy = append(fuzzy, leaf{f.Name, t, f.Boost * tierFuzzy})
				m.add(f.Name, t)
			}
		}
	}
	for i, t := range [][]leaf{exact, folded, prefix, fuzzy} {
		tr := tier{leaves: t}
		if i == 1 {
			tr.phrases = phrases
		}
		if tr.parts() > 0 {
			terms = append(terms, tr)
		}
	}
	if len(terms) == 0 {
		return nil, nil
	}
	return terms.query(), terms
}

// expandWeak returns the prefix and fuzzy terms of the word w in each of
// fields (sorted; the fuzzy ones without the prefix ones), minus skip (the
// terms of the stronger tiers). The fields are looked up in parallel.
func expandWeak(rd dictReader, fields []searchField, w qword, skip map[string]bool) (pre, fuz [][]string) {
	fw := Fold(w.text)
	n := utf8.RuneCountInString(fw)
	doPrefix := n >= minPrefixRunes && hasLetters(fw)
	doFuzzy := n >= minFuzzyRunes && hasLetters(fw)
	edits := 1
	if n >= minFuzzy2Runes {
		edits = 2
	}
	// The stem, and the folded word when the stemmer left a damaged word
	// whole ("hdlsa" is not stemmed like "halsa"). Plain terms only: a
	// document word with å/ä/ö is within the same edits of the folded
	// query word, and building the automaton is most of the cost (it is
	// built once, in levCache, for every field).
	fuzzyTerms := uniq(w.folded, fw)
	pre = make([][]string, len(fields))
	fuz = make([][]string, len(fields))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(fields)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				fi := int(next.Add(1) - 1)
				if fi >= len(fields) {
					return
				}
				f := fields[fi]
				p := map[string]bool{}
				if doPrefix {
					expandPrefix(rd, f.Name, fw, skip, p)
					expandPrefix(rd, f.Name, FoldedMark+fw, skip, p)
				}
				z := map[string]bool{}
				if doFuzzy {
					for _, t := range fuzzyTerms {
						expandFuzzy(rd, f.Name, t, edits, skip, z)
					}
				}
				for t := range p {
					delete(z, t)
				}
				pre[fi], fuz[fi] = sortedKeys(p), sortedKeys(z)
			}
		}()
	}
	wg.Wait()
	return pre, fuz
}

// sortedKeys returns the keys of m in order, so that a query is built the
// same way every time (the order of a disjunction's parts changes the
// last bits of a sum of scores).
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func uniq(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// hasLetters reports whether s has at least three letters: a word that OCR
// may have damaged ("6vervaka"), not a number.
func hasLetters(s string) bool {
	n := 0
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 0xC0 {
			n++
		}
	}
	return n >= 3
}

func termQuery(term, field string, boost float64) query.Query {
	tq := bleve.NewTermQuery(term)
	tq.SetField(field)
	tq.SetBoost(boost)
	return tq
}

// phraseQuery matches terms at consecutive positions (any of terms[i] at
// position i; an empty slot, left by a stop word, matches any word).
func phraseQuery(terms [][]string, field string, boost float64) query.Query {
	pq := query.NewMultiPhraseQuery(terms, field)
	pq.SetBoost(boost)
	return pq
}

// isQueryField reports whether name may be used as field:value.
func isQueryField(name string) bool {
	_, ok := textFieldNames[name]
	return ok || isKeywordKey(name)
}

// build turns a Query into a bleve query, the highlighter's matcher and the
// hints for the user. Errors come only from the caller's Filters keys, never
// from Text.
func (e *expander) build(q Query, rd dictReader) (*plan, error) {
	filters := map[string][]string{}
	for k, vs := range q.Filters {
		if !isKeywordKey(k) {
			return nil, fmt.Errorf("index: unknown filter key %q (want one of %s)", k, strings.Join(keywordKeys, ", "))
		}
		for _, v := range vs {
			if strings.TrimSpace(v) != "" {
				filters[k] = append(filters[k], v)
			}
		}
	}
	p := &plan{match: newMatcher()}
	clauses, hints := qparse.ParseHints(strings.ToValidUTF8(q.Text, "\uFFFD"), isQueryField)
	p.hints = hints
	if len(clauses) > maxClauses {
		p.hints = append(p.hints, fmt.Sprintf(hintTooLong, len(clauses), maxClauses))
		clauses = clauses[:maxClauses]
	}
	var must, mustNot []query.Query
	tp := &termPlan{}
	termsOnly := true
	positive, dropped := 0, 0
	for _, c := range clauses {
		if utf8.RuneCountInString(c.Text) > maxClauseRunes {
			c.Text = string([]rune(c.Text)[:maxClauseRunes])
			p.hints = appendOnce(p.hints, fmt.Sprintf(hintCut, maxClauseRunes))
		}
		if isKeywordKey(c.Field) {
			if c.Negated {
				fq, leaves := e.filterQuery(c.Field, []string{c.Text})
				mustNot = append(mustNot, fq)
				tp.mustNot = append(tp.mustNot, termClause{{leaves: leaves}})
			} else {
				filters[c.Field] = append(filters[c.Field], c.Text)
			}
			continue
		}
		fields := searchFields
		mfield := ""
		if c.Field != "" {
			name := textFieldNames[c.Field]
			f, _ := fieldByName(name)
			fields = []searchField{f}
			mfield = name
		}
		var tq query.Query
		var terms termClause
		if c.Negated {
			tq, terms = e.clauseQuery(c.Text, c.Phrase, fields, false, nil, nil, "")
		} else {
			positive++
			tq, terms = e.clauseQuery(c.Text, c.Phrase, fields, true, rd, p.match, mfield)
		}
		if tq == nil {
			if !c.Negated {
				dropped++
			}
			p.hints = appendOnce(p.hints, fmt.Sprintf(hintStopWords, c.Text))
			continue
		}
		if c.Negated {
			mustNot = append(mustNot, tq)
			tp.mustNot = append(tp.mustNot, terms)
		} else {
			must = append(must, tq)
			tp.must = append(tp.must, terms)
		}
	}

	bq := bleve.NewBooleanQuery()
	switch {
	case len(must) > 0:
		bq.AddMust(must...)
	case positive > 0 && dropped == positive:
		// Only stop words or punctuation: nothing can match.
		p.q = bleve.NewMatchNoneQuery()
		return p, nil
	default:
		// Every record; register entries before documents.
		act, _ := e.filterQuery(KeyKind, []string{"activity"})
		bq.AddMust(bleve.NewDisjunctionQuery(bleve.NewMatchAllQuery(), act))
		termsOnly = false
	}
	if len(mustNot) > 0 {
		bq.AddMustNot(mustNot...)
	}
	if len(filters) > 0 {
		fq, groups := e.filtersQuery(filters)
		bq.AddFilter(fq)
		tp.filters = groups
	}
	p.q = bq
	if termsOnly {
		p.terms = tp
	}
	return p, nil
}

func appendOnce(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

// filtersQuery ANDs the keys of filters and ORs the values of each key. It
// also returns the leaves of each key (see termPlan.filters).
func (e *expander) filtersQuery(filters map[string][]string) (query.Query, [][]leaf) {
	keys := make([]string, 0, len(filters))
	for k := range filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var fq []query.Query
	var groups [][]leaf
	for _, k := range keys {
		q, leaves := e.filterQuery(k, filters[k])
		fq = append(fq, q)
		groups = append(groups, leaves)
	}
	if len(fq) == 1 {
		return fq[0], groups
	}
	return bleve.NewConjunctionQuery(fq...), groups
}

// filterQuery matches any of values (case- and diacritic-insensitive, whole
// value) of keyword key k: the terms of fieldFilter, or of the kind field.
// It also returns the terms as leaves (none: nothing matches).
func (e *expander) filterQuery(k string, values []string) (query.Query, []leaf) {
	var qs []query.Query
	var leaves []leaf
	for _, v := range values {
		v = strings.TrimSpace(v)
		field, prefix := fieldFilter, k+facetSep
		if k == KeyKind {
			field, prefix = k+suffixFilter, ""
		}
		for _, tok := range e.filter.Analyze([]byte(v)) {
			l := leaf{field, prefix + string(tok.Term), 1}
			leaves = append(leaves, l)
			qs = append(qs, termQuery(l.term, l.field, l.boost))
		}
	}
	if len(qs) == 0 {
		return bleve.NewMatchNoneQuery(), nil
	}
	return disjunction(qs), leaves
}
