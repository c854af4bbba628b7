package index

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
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
	minPrefixRunes = 4   // shortest word searched as a prefix
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
	match *matcher
	hints []string
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
// the terms up; on a scorch index the one automaton is built once and run
// over the field's dictionary in each segment. autos keeps the automata of
// one query.
func expandFuzzy(rd dictReader, autos map[string]vellum.Automaton, field, term string, edits int, skip, out map[string]bool) {
	if snap, ok := rd.(*scorch.IndexSnapshot); ok {
		key := fmt.Sprint(edits, term)
		a, err := autos[key], error(nil)
		if a == nil {
			a, err = levAutomaton(term, edits)
			autos[key] = a
		}
		if err == nil && a != nil {
			var terms []string
			seen := map[string]bool{}
			for _, seg := range snap.Segments() {
				d, err := seg.Segment().Dictionary(field)
				if err != nil || d == nil {
					continue
				}
				it := d.AutomatonIterator(a, nil, nil)
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
			sort.Strings(terms) // the order of bleve's dictionary, which expand takes the first of
			n := 0
			for _, t := range terms {
				if n >= maxExpansions {
					break
				}
				if !skip[t] && !out[t] {
					out[t] = true
					n++
				}
			}
			return
		}
	}
	d, err := rd.FieldDictFuzzy(field, term, edits, "")
	expand(d, err, skip, out)
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

// clauseQuery matches text (a word or phrase) in fields, with its synonyms,
// in every tier. weak adds the prefix and fuzzy tiers (for words typed by
// the user, not for exclusions), expanded to index terms through rd. It
// returns nil when text has no searchable word (stop words, punctuation).
// The terms are recorded in m under mfield for the highlighter.
func (e *expander) clauseQuery(text string, phrase bool, fields []searchField, weak bool, rd dictReader, m *matcher, mfield string) query.Query {
	type variant struct {
		text  string
		boost float64
	}
	text = e.restoreWord(text)
	vs := []variant{{text, 1}}
	for _, s := range e.synonyms(text) {
		vs = append(vs, variant{s, synonymBoost})
	}
	var exact, folded, prefix, fuzzy []query.Query
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
			fo := make([][]string, ws[len(ws)-1].pos-ws[0].pos+1)
			for _, w := range ws {
				fo[w.pos-ws[0].pos] = append([]string{w.exact}, w.foldedTerms()...)
			}
			for _, f := range fields {
				bq := bleve.NewBooleanQuery()
				bq.AddMust(phraseQuery(fo, f.Name, f.Boost*v.boost*tierFolded))
				for _, w := range ws {
					bq.AddShould(termQuery(w.exact, f.Name, f.Boost*v.boost*tierExact))
				}
				folded = append(folded, bq)
			}
			continue
		}
		w := ws[0]
		for _, f := range fields {
			exact = append(exact, termQuery(w.exact, f.Name, f.Boost*v.boost*tierExact))
			for _, t := range w.foldedTerms() {
				folded = append(folded, termQuery(t, f.Name, f.Boost*v.boost*tierFolded))
			}
		}
		if !weak || i > 0 || phrase || rd == nil {
			continue // prefix and fuzzy only for the word as typed
		}
		skip := map[string]bool{w.exact: true}
		for _, t := range w.foldedTerms() {
			skip[t] = true
		}
		fw := Fold(w.text)
		n := utf8.RuneCountInString(fw)
		autos := map[string]vellum.Automaton{}
		for _, f := range fields {
			pre := map[string]bool{}
			if n >= minPrefixRunes && hasLetters(fw) {
				d, err := rd.FieldDictPrefix(f.Name, []byte(fw))
				expand(d, err, skip, pre)
				d, err = rd.FieldDictPrefix(f.Name, []byte(FoldedMark+fw))
				expand(d, err, skip, pre)
			}
			fuz := map[string]bool{}
			if n >= minFuzzyRunes && hasLetters(fw) {
				edits := 1
				if n >= minFuzzy2Runes {
					edits = 2
				}
				// The stem, and the folded word when the stemmer left a
				// damaged word whole ("hdlsa" is not stemmed like "halsa").
				// Plain terms only: a document word with å/ä/ö is within
				// the same edits of the folded query word, and building
				// the automaton is most of the cost.
				for _, t := range uniq(w.folded, fw) {
					expandFuzzy(rd, autos, f.Name, t, edits, skip, fuz)
				}
			}
			for t := range pre {
				delete(fuz, t)
				prefix = append(prefix, termQuery(t, f.Name, f.Boost*tierPrefix))
				m.add(f.Name, t)
			}
			for t := range fuz {
				fuzzy = append(fuzzy, termQuery(t, f.Name, f.Boost*tierFuzzy))
				m.add(f.Name, t)
			}
		}
	}
	var tiers []query.Query
	for _, t := range [][]query.Query{exact, folded, prefix, fuzzy} {
		switch len(t) {
		case 0:
		case 1:
			tiers = append(tiers, t[0])
		default:
			tiers = append(tiers, bleve.NewDisjunctionQuery(t...))
		}
	}
	switch len(tiers) {
	case 0:
		return nil
	case 1:
		return tiers[0]
	}
	return bleve.NewDisjunctionQuery(tiers...)
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
	positive, dropped := 0, 0
	for _, c := range clauses {
		if utf8.RuneCountInString(c.Text) > maxClauseRunes {
			c.Text = string([]rune(c.Text)[:maxClauseRunes])
			p.hints = appendOnce(p.hints, fmt.Sprintf(hintCut, maxClauseRunes))
		}
		if isKeywordKey(c.Field) {
			if c.Negated {
				mustNot = append(mustNot, e.filterQuery(c.Field, []string{c.Text}))
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
		if c.Negated {
			tq = e.clauseQuery(c.Text, c.Phrase, fields, false, nil, nil, "")
		} else {
			positive++
			tq = e.clauseQuery(c.Text, c.Phrase, fields, true, rd, p.match, mfield)
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
		} else {
			must = append(must, tq)
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
		act := e.filterQuery(KeyKind, []string{"activity"})
		bq.AddMust(bleve.NewDisjunctionQuery(bleve.NewMatchAllQuery(), act))
	}
	if len(mustNot) > 0 {
		bq.AddMustNot(mustNot...)
	}
	if len(filters) > 0 {
		bq.AddFilter(e.filtersQuery(filters))
	}
	p.q = bq
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

// filtersQuery ANDs the keys of filters and ORs the values of each key.
func (e *expander) filtersQuery(filters map[string][]string) query.Query {
	keys := make([]string, 0, len(filters))
	for k := range filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var fq []query.Query
	for _, k := range keys {
		fq = append(fq, e.filterQuery(k, filters[k]))
	}
	if len(fq) == 1 {
		return fq[0]
	}
	return bleve.NewConjunctionQuery(fq...)
}

// filterQuery matches any of values (case- and diacritic-insensitive, whole
// value) of keyword key k: the terms of fieldFilter, or of the kind field.
func (e *expander) filterQuery(k string, values []string) query.Query {
	var qs []query.Query
	for _, v := range values {
		v = strings.TrimSpace(v)
		if k == KeyKind {
			mq := bleve.NewMatchQuery(v)
			mq.SetField(k + suffixFilter)
			mq.Analyzer = AnalyzerFilter
			qs = append(qs, mq)
			continue
		}
		for _, tok := range e.filter.Analyze([]byte(v)) {
			tq := bleve.NewTermQuery(k + facetSep + string(tok.Term))
			tq.SetField(fieldFilter)
			qs = append(qs, tq)
		}
	}
	switch len(qs) {
	case 0:
		return bleve.NewMatchNoneQuery()
	case 1:
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}
