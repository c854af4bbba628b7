package index

import (
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// sameTokens reports how got differs from bleve's "unicode" tokenizer on s
// ("" when it does not).
func sameTokens(t *testing.T, got analysis.TokenStream, s string) string {
	t.Helper()
	want := unicodetok.NewUnicodeTokenizer().Tokenize([]byte(s))
	if len(got) != len(want) {
		return fmt.Sprintf("%d tokens, want %d: %s vs %s", len(got), len(want), terms(got), terms(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
			return fmt.Sprintf("token %d: %s vs %s", i, terms(got), terms(want))
		}
	}
	return ""
}

func terms(ts analysis.TokenStream) string {
	var out []string
	for _, t := range ts {
		out = append(out, fmt.Sprintf("%s@%d:%d-%d/%d", t.Term, t.Position, t.Start, t.End, t.Type))
	}
	return "[" + strings.Join(out, " ") + "]"
}

// TestTokenizerMatchesUnicode checks that TokenizerItems splits a value
// without ItemSep exactly as bleve's "unicode" tokenizer does (terms, byte
// offsets, positions, types), on the repository's texts and on random
// strings of the characters where word segmentation has rules.
func TestTokenizerMatchesUnicode(t *testing.T) {
	tok := &itemsTokenizer{unicode: unicodetok.NewUnicodeTokenizer()}
	var texts []string
	for _, root := range []string{"../testdata/seeds", "../testdata/gold", "../testdata/search", "../testdata/corpus"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil || !utf8.Valid(b) {
				return nil
			}
			for _, line := range strings.Split(string(b), "\n") {
				texts = append(texts, line)
			}
			return nil
		})
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d lines of test text", len(texts))
	}
	alphabet := []string{
		"a", "Z", "å", "Ö", "é", "ß", "ł", "ǆ", "ª", "µ", "0", "7", " ", "\t", "\n", "\r",
		".", ",", ";", ":", "'", "_", "-", "/", "(", "\"", "·", "’", "‘", "․", "‧", "–", "…", "€", "§", "\u00a0",
		"\u00ad", "\u0301", "\u200b", "\u200d", "α", "ж", "א", "カ", "漢", "😀", "\xff", "٣", "²", "½", "×",
	}
	latin := 36 // alphabet[:latin] are the characters of the Latin path
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 400000; i++ {
		chars := alphabet
		if i%2 == 0 {
			chars = alphabet[:latin]
		}
		var b strings.Builder
		for n := rng.Intn(12); n >= 0; n-- {
			b.WriteString(chars[rng.Intn(len(chars))])
		}
		texts = append(texts, b.String())
	}
	bad, fast := 0, 0
	for _, s := range texts {
		if _, ok := latinWords(nil, []byte(s), 0); ok {
			fast++
		}
		if d := sameTokens(t, tok.Tokenize([]byte(s)), s); d != "" {
			bad++
			if bad <= 20 {
				t.Errorf("%q: %s", s, d)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d texts split differently", bad, len(texts))
	}
	if fast < len(texts)/2 {
		t.Errorf("only %d of %d texts on the Latin path", fast, len(texts))
	}
	t.Logf("%d texts, %d on the Latin path", len(texts), fast)
}

// TestTokenizerItems checks the position gap between the items of a list
// value and the item-relative offsets.
func TestTokenizerItems(t *testing.T) {
	tok := &itemsTokenizer{unicode: unicodetok.NewUnicodeTokenizer()}
	got := tok.Tokenize([]byte("namn och adress" + ItemSep + ItemSep + "personnummer" + ItemSep + "αβ γ"))
	want := []struct {
		term       string
		pos, start int
	}{
		{"namn", 1, 0}, {"och", 2, 5}, {"adress", 3, 9},
		{"personnummer", 3 + ItemGap, 0},
		{"αβ", 3 + 2*ItemGap, 0}, {"γ", 4 + 2*ItemGap, 5},
	}
	if len(got) != len(want) {
		t.Fatalf("tokens %s", terms(got))
	}
	for i, w := range want {
		if string(got[i].Term) != w.term || got[i].Position != w.pos || got[i].Start != w.start {
			t.Errorf("token %d: %s, want %s@%d:%d", i, terms(got[i:i+1]), w.term, w.pos, w.start)
		}
	}
}

func BenchmarkTokenize(b *testing.B) {
	recs := synthetic(b, 0, 200)
	var vals [][]byte
	for i := range recs {
		for _, vs := range fieldValues(&recs[i]) {
			vals = append(vals, []byte(joinItems(vs)))
		}
	}
	for _, bc := range []struct {
		name string
		tok  analysis.Tokenizer
	}{{"unicode", unicodetok.NewUnicodeTokenizer()}, {"items", &itemsTokenizer{unicode: unicodetok.NewUnicodeTokenizer()}}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				for _, v := range vals {
					bc.tok.Tokenize(v)
				}
			}
		})
	}
}

// TestTiersNumbers checks that the filter's shortcut for numbers gives
// what the tiers give them.
func TestTiersNumbers(t *testing.T) {
	f, err := tiersFilterConstructor(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tf := f.(*tiersFilter)
	for _, n := range []string{"0", "7", "2023", "19121212", "000123", "99999999999999999999"} {
		e := tf.entry(n)
		if e.stop || len(e.terms) != 1 || string(e.terms[0]) != n {
			t.Errorf("%s: stop %v, terms %q", n, e.stop, e.terms)
		}
		out := tf.Filter(analysis.TokenStream{{Term: []byte(n), Position: 1, End: len(n)}})
		if len(out) != 1 || string(out[0].Term) != n {
			t.Errorf("%s: filter gives %s", n, terms(out))
		}
	}
}
