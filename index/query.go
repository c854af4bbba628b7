package index

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	blevesearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/registerlyft/registerlyft/index/qparse"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// synonymBoost weighs the other terms of a synonym group against the word
// the user typed.
const synonymBoost = 0.9

// expander builds bleve queries from parsed query clauses. It analyzes
// words with the index's text analyzer to drop stop words, choose between
// term and phrase matching and find synonym groups.
type expander struct {
	analyzer analysis.Analyzer
	groups   []synGroup
}

// synGroup is one line of data/synonyms.txt with the keys it is found by.
type synGroup struct {
	terms  []string
	folded map[string]bool // Fold(term)
	stems  map[string]bool // analyzed tokens of term, joined by spaces
}

func newExpander(a analysis.Analyzer) *expander {
	e := &expander{analyzer: a}
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

// tokens returns the analyzed terms of s.
func (e *expander) tokens(s string) []string {
	var out []string
	for _, t := range e.analyzer.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

func (e *expander) stemKey(s string) string { return strings.Join(e.tokens(s), " ") }

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

// textQuery matches text (a word or phrase) in any of fields, with its
// synonyms. It returns nil when text has no searchable token (stop words,
// punctuation).
func (e *expander) textQuery(text string, fields []searchField) query.Query {
	type variant struct {
		text  string
		boost float64
	}
	vs := []variant{{text, 1}}
	for _, s := range e.synonyms(text) {
		vs = append(vs, variant{s, synonymBoost})
	}
	var qs []query.Query
	seen := map[string]bool{}
	for _, v := range vs {
		toks := e.tokens(v.text)
		n := len(toks)
		key := strings.Join(toks, " ")
		if n == 0 || seen[key] {
			continue // stop words only, or the same terms as an earlier variant
		}
		seen[key] = true
		for _, f := range fields {
			var q query.Query
			if n == 1 {
				mq := bleve.NewMatchQuery(v.text)
				mq.SetField(f.Name)
				mq.Analyzer = AnalyzerText
				mq.SetBoost(f.Boost * v.boost)
				q = mq
			} else {
				pq := bleve.NewMatchPhraseQuery(v.text)
				pq.SetField(f.Name)
				pq.Analyzer = AnalyzerText
				pq.SetBoost(f.Boost * v.boost)
				q = pq
			}
			qs = append(qs, q)
		}
	}
	if len(qs) == 0 {
		return nil
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// isQueryField reports whether name may be used as field:value.
func isQueryField(name string) bool {
	_, ok := textFieldNames[name]
	return ok || isKeywordKey(name)
}

// build turns a Query into a bleve query.
func (e *expander) build(q Query) (query.Query, error) {
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
	var must, mustNot []query.Query
	positive, dropped := 0, 0
	for _, c := range qparse.Parse(q.Text, isQueryField) {
		if isKeywordKey(c.Field) {
			if c.Negated {
				mustNot = append(mustNot, filterQuery(c.Field, []string{c.Text}))
			} else {
				filters[c.Field] = append(filters[c.Field], c.Text)
			}
			continue
		}
		fields := searchFields
		if c.Field != "" {
			fields = []searchField{{textFieldNames[c.Field], 1}}
		}
		tq := e.textQuery(c.Text, fields)
		if !c.Negated {
			positive++
		}
		if tq == nil {
			if !c.Negated {
				dropped++
			}
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
		return bleve.NewMatchNoneQuery(), nil
	default:
		bq.AddMust(bleve.NewMatchAllQuery())
	}
	if len(mustNot) > 0 {
		bq.AddMustNot(mustNot...)
	}
	if len(filters) > 0 {
		bq.AddFilter(filtersQuery(filters))
	}
	// Documents that mention the words rank below the register entries.
	return query.NewCustomScoreQueryWithScorer(bq, weighKind, []string{KeyKind}, nil), nil
}

// documentWeight scales the score of document records (kind "document") so
// that register entries come first.
const documentWeight = 0.1

// weighKind is the custom score of a hit: its score, times documentWeight
// for documents. The hit's doc values for KeyKind are loaded by bleve.
func weighKind(_ context.Context, d *blevesearch.DocumentMatch) (float64, error) {
	if k, _ := d.Fields[KeyKind].(string); k == record.KindDocument {
		return d.Score * documentWeight, nil
	}
	return d.Score, nil
}

// filtersQuery ANDs the keys of filters and ORs the values of each key.
func filtersQuery(filters map[string][]string) query.Query {
	keys := make([]string, 0, len(filters))
	for k := range filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var fq []query.Query
	for _, k := range keys {
		fq = append(fq, filterQuery(k, filters[k]))
	}
	if len(fq) == 1 {
		return fq[0]
	}
	return bleve.NewConjunctionQuery(fq...)
}

// filterQuery matches any of values (case- and diacritic-insensitive, whole
// value) in the filter twin of keyword key k.
func filterQuery(k string, values []string) query.Query {
	var qs []query.Query
	for _, v := range values {
		mq := bleve.NewMatchQuery(strings.TrimSpace(v))
		mq.SetField(k + suffixFilter)
		mq.Analyzer = AnalyzerFilter
		qs = append(qs, mq)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}
