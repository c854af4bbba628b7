// Package decompound splits Swedish compound words into the dictionary
// words they start or end with, for the search index's decompounded tier
// (package index calls Split from its "tiers_sv" token filter; Filter is
// the same as a standalone bleve token filter): "personnummeruppgifter" gives "personnummer" and "uppgifter",
// "hälsouppgifter" gives "hälsa" (from the linking form "hälso") and
// "uppgifter", so a search for "personnummer" or "hälsa" finds them.
//
// Unlike bleve's dict_compound token filter, which computes the byte offsets
// of the parts and gets them wrong once a token has been changed by an
// earlier filter (å/ä/ö folding), the parts keep the offsets of the whole
// token: a highlight marks the whole compound, never a wrong slice of it.
//
// The dictionary is a reviewed word list (index/data/compounds.txt), not
// code. Only the words of the list are split off; the rest of a compound may
// be any word of at least MinRest letters. Because the list holds the words
// a data protection officer searches for (personnummer, hälsa, …) and not
// their generic parts (person, nummer), look-alikes such as "telefonnummer"
// or "halsband" are never split into a searched word.
package decompound

import (
	"bufio"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// MinRest is the fewest letters the rest of a compound must have once a
// dictionary word is split off (so "personnummers" is not "personnummer"
// plus "s": the stemmer handles inflections).
const MinRest = 3

// Dict maps each form a dictionary word takes inside a compound (its
// linking form, e.g. "hälso") to the word emitted for it ("hälsa").
type Dict struct {
	forms map[string]string
	// lengths of the forms, longest first, for the longest match.
	lengths []int
}

// Parse reads a word list: one entry a line, "form" or "form lemma" (the
// form as it appears in a compound, the word to emit), "#" comments. norm
// is applied to both (the analyzer's lower-casing and folding) so that the
// list can be written with å/ä/ö.
func Parse(data string, norm func(string) string) (*Dict, error) {
	d := &Dict{forms: map[string]string{}}
	seen := map[int]bool{}
	sc := bufio.NewScanner(strings.NewReader(data))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) > 2 {
			return nil, fmt.Errorf("decompound: line %d: want \"form\" or \"form lemma\", got %q", n, line)
		}
		form, lemma := norm(f[0]), norm(f[len(f)-1])
		if utf8.RuneCountInString(form) < 3 {
			return nil, fmt.Errorf("decompound: line %d: form %q shorter than 3 letters", n, f[0])
		}
		d.forms[form] = lemma
		if !seen[len(form)] {
			seen[len(form)] = true
			d.lengths = append(d.lengths, len(form))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("decompound: %w", err)
	}
	// Longest first.
	for i := 1; i < len(d.lengths); i++ {
		for j := i; j > 0 && d.lengths[j] > d.lengths[j-1]; j-- {
			d.lengths[j], d.lengths[j-1] = d.lengths[j-1], d.lengths[j]
		}
	}
	return d, nil
}

// Len returns the number of forms.
func (d *Dict) Len() int { return len(d.forms) }

// Split returns the parts of word (already normalized): the lemma of the
// longest dictionary form it starts with and the rest (itself split again),
// or the rest and the lemma of the longest form it ends with. A word that is
// itself a linking form ("hälso" in "hälso- och sjukvård") gives its lemma
// when that differs; a word with a form of MinInfix letters or more inside
// it ("företagshälsovård") gives that form's lemma. Split returns nil when word is not a compound of the
// dictionary.
func (d *Dict) Split(word string) []string {
	return d.split(word, 0)
}

func (d *Dict) split(word string, depth int) []string {
	if lemma, ok := d.forms[word]; ok {
		if lemma != word {
			return []string{lemma}
		}
		return nil
	}
	if depth > 4 {
		return nil
	}
	for _, n := range d.lengths {
		if n+MinRest > len(word) {
			continue
		}
		if lemma, ok := d.forms[word[:n]]; ok && utf8.ValidString(word[n:]) {
			rest := word[n:]
			if utf8.RuneCountInString(rest) < MinRest {
				continue
			}
			out := []string{lemma}
			if sub := d.split(rest, depth+1); sub != nil {
				return append(out, sub...)
			}
			return append(out, rest)
		}
	}
	for _, n := range d.lengths {
		if n+MinRest > len(word) {
			continue
		}
		cut := len(word) - n
		if lemma, ok := d.forms[word[cut:]]; ok && utf8.ValidString(word[:cut]) && utf8.RuneCountInString(word[:cut]) >= MinRest {
			return []string{word[:cut], lemma}
		}
	}
	// Inside: "företagshälsovård" holds "hälso". Only forms of MinInfix
	// letters or more, so that short forms do not turn up by chance.
	for _, n := range d.lengths {
		if n < MinInfix {
			continue
		}
		for i := MinRest; i+n <= len(word); i++ {
			if lemma, ok := d.forms[word[i:i+n]]; ok {
				return []string{lemma}
			}
		}
	}
	return nil
}

// MinInfix is the shortest dictionary form looked for inside a word.
const MinInfix = 5

// Filter is a bleve token filter that adds the parts of each compound of
// the dictionary after the compound. The parts get the position and byte
// offsets of the whole token, so phrases and highlights stay right.
type Filter struct{ Dict *Dict }

// Filter implements analysis.TokenFilter.
func (f *Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i, tok := range input {
		parts := f.Dict.Split(string(tok.Term))
		if parts == nil {
			if out != nil {
				out = append(out, tok)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, i, len(input)+4)
			copy(out, input[:i])
		}
		out = append(out, tok)
		for _, p := range parts {
			out = append(out, &analysis.Token{
				Start:    tok.Start,
				End:      tok.End,
				Term:     []byte(p),
				Position: tok.Position,
				Type:     tok.Type,
			})
		}
	}
	if out == nil {
		return input
	}
	return out
}
