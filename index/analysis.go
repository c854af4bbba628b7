package index

import (
	"bufio"
	_ "embed" // embedded analysis data
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/sv"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	keywordtok "github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/registerlyft/registerlyft/index/decompound"
)

// Analysis choices. They are stored in the index mapping by name, so an index
// built with them can be reopened by any binary that links this package.
const (
	// AnalyzerText analyzes the text fields: Unicode word segmentation
	// (TokenizerItems: the items of a list field are one value, separated by
	// ItemSep), lower case, then the token filter TokenFilterTiers, which
	// puts every tier of a word into the one field:
	//
	//   - the exact tier: the word's Swedish Snowball stem ("personnumret" →
	//     "personnumm"), so inflections match;
	//   - the folded tier, marked with FoldedMark: the stem of the word with
	//     å/ä/ö folded (data/fold.txt), only when folding changes it
	//     ("hälsa" → "häls" and "~hals"), so that a word typed or OCR'd
	//     without å/ä/ö, or damaged ("fértroendevalda"), stems like the
	//     repaired one;
	//   - the decompounded tier, also marked: the stems of the dictionary
	//     words a compound starts or ends with (data/compounds.txt;
	//     "personnummeruppgifter" → "~personnumm", "~uppgift").
	//
	// Swedish stop words are dropped by their folded form. All tokens of a
	// word keep its position and byte offsets, so phrases and highlights
	// work in every tier. One field per text instead of a folded twin keeps
	// the index small and makes a word without å/ä/ö cost one posting list.
	AnalyzerText = "sv_tiers"
	// AnalyzerFilter analyzes the keyword values for filters (the terms of
	// the "filter" field, and "kind_f"): the whole value as one token,
	// lower-cased and folded, so that the filter municipality:"lulea
	// kommun" selects "Luleå kommun".
	AnalyzerFilter = "keyword_fold"
	// AnalyzerKeyword keeps a value exactly as written (facets, file, and
	// the "filter" field, whose terms are analyzed before).
	AnalyzerKeyword = keyword.Name

	// TokenizerItems is the tokenizer of AnalyzerText: Unicode word
	// segmentation (bleve's "unicode") of each item of a value whose items
	// are separated by ItemSep, with a gap of ItemGap positions between
	// items so that no phrase matches across two items. A list field (the
	// personal data of an entry, its recipients, ...) is indexed as one
	// value rather than one value per item: the same terms, frequencies and
	// field length, at a fraction of the cost of bleve's per-value fields.
	// Byte offsets are relative to the item, as they were when each item was
	// a value of its own (the highlighter analyzes the items one by one).
	TokenizerItems = "unicode_items"
	// ItemSep separates the items of a list value (ASCII record separator).
	ItemSep = "\x1e"
	// ItemGap is the position gap between items: more than the positions a
	// phrase query can span (maxClauseRunes).
	ItemGap = 256

	// TokenFilterFold is the name of the folding token filter.
	TokenFilterFold = "fold_sv"
	// TokenFilterTiers is the name of the token filter of AnalyzerText.
	TokenFilterTiers = "tiers_sv"

	// FoldedMark starts the terms of the folded and decompounded tiers.
	FoldedMark = "~"
)

//go:embed data/compounds.txt
var compoundData string

//go:embed data/restore.txt
var restoreData string

//go:embed data/fold.txt
var foldData string

//go:embed data/synonyms.txt
var synonymData string

// registerErr is the error from registering the folding token filter; Open
// reports it instead of panicking at init.
var registerErr error

func init() {
	registerErr = errors.Join(
		registry.RegisterTokenizer(TokenizerItems, itemsTokenizerConstructor),
		registry.RegisterTokenFilter(TokenFilterFold, foldFilterConstructor),
		registry.RegisterTokenFilter(TokenFilterTiers, tiersFilterConstructor),
	)
}

var (
	dictOnce sync.Once
	dict     *decompound.Dict
	dictErr  error
)

// loadDict parses data/compounds.txt once.
func loadDict() (*decompound.Dict, error) {
	dictOnce.Do(func() {
		dict, dictErr = decompound.Parse(compoundData, Fold)
		if dictErr != nil {
			dictErr = fmt.Errorf("index: data/compounds.txt: %w", dictErr)
		}
	})
	return dict, dictErr
}

// stopFolded is the Swedish stop list, folded ("själv" → "sjalv").
var stopFolded = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(string(sv.SwedishStopWords), "\n") {
		if i := strings.IndexByte(line, '|'); i >= 0 {
			line = line[:i]
		}
		for _, w := range strings.Fields(line) {
			m[Fold(w)] = true
		}
	}
	return m
}()

// stemmer is the Swedish Snowball stemmer of bleve's sv package.
var stemmer = sv.NewSwedishStemmerFilter()

// stem returns the Swedish Snowball stem of a lower-case word.
func stem(w string) string {
	tok := &analysis.Token{Term: []byte(w)}
	stemmer.Filter(analysis.TokenStream{tok})
	return string(tok.Term)
}

// wordTerms returns the terms of one lower-case word in each tier: its
// exact stem, and its folded stem ("" when folding does not change the
// word); stop is true for a stop word, which has no terms.
func wordTerms(table map[rune]string, w string) (exact, folded string, stop bool) {
	f := fold(table, w)
	if stopFolded[f] {
		return "", "", true
	}
	exact = stem(w)
	if f != w {
		folded = stem(f)
	}
	return exact, folded, false
}

// tiersFilter is the TokenFilterTiers token filter (see AnalyzerText).
//
// A word's terms depend on the word alone, and a register's vocabulary is
// small (the same few thousand words in every record), so they are computed
// once per distinct word and kept in words: indexing a record costs a map
// lookup per word instead of folding, stemming and decompounding it.
type tiersFilter struct {
	table map[rune]string
	dict  *decompound.Dict
	words wordCache
}

// wordEntry holds the terms of one lower-case word: terms[0] is the exact
// stem, the rest are the marked terms of the other tiers (folded, then the
// decompounded parts), in the order the filter emits them. The slices are
// shared by every token of the word and never written to.
type wordEntry struct {
	stop  bool
	terms [][]byte
}

// entry computes the terms of w.
func (f *tiersFilter) entry(w string) *wordEntry {
	exact, folded, stop := wordTerms(f.table, w)
	if stop {
		return &wordEntry{stop: true}
	}
	e := &wordEntry{terms: [][]byte{[]byte(exact)}}
	if folded != "" {
		e.terms = append(e.terms, []byte(FoldedMark+folded))
	}
	for _, p := range f.dict.Split(fold(f.table, w)) {
		// A dictionary form splits into its own lemma
		// ("kontaktuppgifter" → "kontaktuppgift"); when that stems like
		// the word, the marked part would only repeat the exact term's
		// postings (a query's folded tier finds the word by its exact
		// term anyway), so it is left out.
		if ps := stem(p); ps != exact && ps != folded {
			e.terms = append(e.terms, []byte(FoldedMark+ps))
		}
	}
	return e
}

// digitsEntry is the entry of every number: its one term is itself (the
// stemmer, folding and the dictionary change no digit), filled in by
// Filter.
var digitsEntry = &wordEntry{terms: [][]byte{nil}}

// lookup returns the entry of the word term, from the cache when it is
// there. Numbers, which are many and rarely repeat, are not cached.
func (f *tiersFilter) lookup(term []byte) *wordEntry {
	if allDigits(term) {
		return digitsEntry
	}
	h := f.words.hash(term)
	if e := f.words.get(h, term); e != nil {
		return e
	}
	e := f.entry(string(term))
	f.words.put(h, string(term), e)
	return e
}

func (f *tiersFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	// First the entries and the number of tokens the other tiers add, so
	// that those are allocated at once.
	var small [32]*wordEntry
	entries := small[:0]
	if len(input) > len(small) {
		entries = make([]*wordEntry, 0, len(input))
	}
	kept, added := 0, 0
	for _, tok := range input {
		e := f.lookup(tok.Term)
		entries = append(entries, e)
		if !e.stop {
			kept++
			added += len(e.terms) - 1
		}
	}
	out := make(analysis.TokenStream, 0, kept+added)
	var slab []analysis.Token
	if added > 0 {
		slab = make([]analysis.Token, added)
	}
	for i, tok := range input {
		e := entries[i]
		if e.stop {
			continue
		}
		if e != digitsEntry {
			tok.Term = e.terms[0]
		}
		out = append(out, tok)
		for _, term := range e.terms[1:] {
			t := &slab[0]
			slab = slab[1:]
			*t = analysis.Token{Start: tok.Start, End: tok.End, Term: term, Position: tok.Position, Type: tok.Type}
			out = append(out, t)
		}
	}
	return out
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

func tiersFilterConstructor(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
	t, err := loadFold()
	if err != nil {
		return nil, err
	}
	d, err := loadDict()
	if err != nil {
		return nil, err
	}
	return &tiersFilter{table: t, dict: d}, nil
}

// restoreTable maps the folded form of each word of data/restore.txt to the
// word ("halsa" → "hälsa").
func restoreTable() map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(restoreData))
	for sc.Scan() {
		w := strings.ToLower(strings.TrimSpace(sc.Text()))
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		if f := Fold(w); f != w {
			m[f] = w
		}
	}
	return m
}

// analyzerConfigs returns the custom analyzers that the mapping declares.
func analyzerConfigs() map[string]map[string]any {
	return map[string]map[string]any{
		AnalyzerText: {
			"type":          custom.Name,
			"tokenizer":     TokenizerItems,
			"token_filters": []any{lowercase.Name, TokenFilterTiers},
		},
		AnalyzerFilter: {
			"type":          custom.Name,
			"tokenizer":     keywordtok.Name,
			"token_filters": []any{lowercase.Name, TokenFilterFold},
		},
	}
}

var (
	foldOnce  sync.Once
	foldTable map[rune]string
	foldErr   error
)

// loadFold parses data/fold.txt once.
func loadFold() (map[rune]string, error) {
	foldOnce.Do(func() {
		foldTable, foldErr = parseFold(foldData)
	})
	return foldTable, foldErr
}

// parseFold reads lines "X Y": the single letter X folds to the string Y.
func parseFold(data string) (map[rune]string, error) {
	m := map[rune]string{}
	sc := bufio.NewScanner(strings.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 || utf8.RuneCountInString(f[0]) != 1 {
			return nil, fmt.Errorf("index: data/fold.txt line %d: want \"<letter> <replacement>\", got %q", n, line)
		}
		r, _ := utf8.DecodeRuneInString(f[0])
		m[r] = f[1]
	}
	return m, sc.Err()
}

// fold replaces each letter of s found in table; it does not change case.
func fold(table map[rune]string, s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if rep, ok := table[r]; ok {
			b.WriteString(rep)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Fold lower-cases s and folds å/ä/ö and the other letters of data/fold.txt,
// the way the index's analyzers do before stemming.
func Fold(s string) string {
	t, err := loadFold()
	if err != nil {
		return strings.ToLower(s)
	}
	return fold(t, strings.ToLower(s))
}

// foldFilter is the "fold_sv" token filter. It changes token terms only, so
// the offsets into the original text (used by highlighting) stay valid.
type foldFilter struct{ table map[rune]string }

func (f *foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		folded := fold(f.table, string(tok.Term))
		if folded != string(tok.Term) {
			tok.Term = []byte(folded)
		}
	}
	return input
}

func foldFilterConstructor(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
	t, err := loadFold()
	if err != nil {
		return nil, err
	}
	return &foldFilter{table: t}, nil
}

// synonymGroups parses data/synonyms.txt: one comma-separated group a line.
func synonymGroups(data string) [][]string {
	var groups [][]string
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var g []string
		for _, t := range strings.Split(line, ",") {
			if t = strings.TrimSpace(t); t != "" {
				g = append(g, t)
			}
		}
		if len(g) > 1 {
			groups = append(groups, g)
		}
	}
	return groups
}
