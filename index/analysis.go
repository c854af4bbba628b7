package index

import (
	"bufio"
	_ "embed" // embedded analysis data
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
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// Analysis choices. They are stored in the index mapping by name, so an index
// built with them can be reopened by any binary that links this package.
const (
	// AnalyzerText analyzes the text fields: Unicode word segmentation,
	// lower case, Swedish stop words, å/ä/ö folding (data/fold.txt), then
	// the Swedish Snowball stemmer. Folding runs before stemming so that
	// "halsa" and "hälsa" get the same stem.
	AnalyzerText = "sv_fold"
	// AnalyzerFilter analyzes the filter twins of the keyword fields: the
	// whole value as one token, lower-cased and folded, so that the filter
	// municipality:"lulea kommun" selects "Luleå kommun".
	AnalyzerFilter = "keyword_fold"
	// AnalyzerKeyword keeps a value exactly as written (facets, file).
	AnalyzerKeyword = keyword.Name

	// TokenFilterFold is the name of the folding token filter.
	TokenFilterFold = "fold_sv"
)

//go:embed data/fold.txt
var foldData string

//go:embed data/synonyms.txt
var synonymData string

// registerErr is the error from registering the folding token filter; Open
// reports it instead of panicking at init.
var registerErr error

func init() {
	registerErr = registry.RegisterTokenFilter(TokenFilterFold, foldFilterConstructor)
}

// analyzerConfigs returns the custom analyzers that the mapping declares.
func analyzerConfigs() map[string]map[string]any {
	return map[string]map[string]any{
		AnalyzerText: {
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
			"token_filters": []any{lowercase.Name, sv.StopName, TokenFilterFold, sv.SnowballStemmerName},
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
