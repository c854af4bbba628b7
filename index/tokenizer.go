package index

import (
	"bytes"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// itemsTokenizer is the TokenizerItems tokenizer. Its words are those of
// bleve's "unicode" tokenizer (Unicode word segmentation, UAX #29, by
// github.com/blevesearch/segment), which it calls for any text outside the
// Latin script; Latin text, which is nearly all of a register, is segmented
// here by the same rules at a fraction of the cost (see latinWords).
type itemsTokenizer struct{ unicode *unicodetok.UnicodeTokenizer }

func itemsTokenizerConstructor(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
	return &itemsTokenizer{unicode: unicodetok.NewUnicodeTokenizer()}, nil
}

// scratch is a reusable token buffer of one Tokenize call.
type scratch struct{ toks []analysis.Token }

// maxScratch is the largest buffer (in tokens) kept for reuse: a long
// document's text needs a larger one only once.
const maxScratch = 1 << 14

var scratches = sync.Pool{New: func() any { return &scratch{toks: make([]analysis.Token, 0, 256)} }}

func (t *itemsTokenizer) Tokenize(input []byte) analysis.TokenStream {
	sc := scratches.Get().(*scratch)
	defer scratches.Put(sc)
	toks := sc.toks[:0]
	last := 0 // position of the last token so far
	for len(input) > 0 {
		item := input
		if i := bytes.IndexByte(input, ItemSep[0]); i >= 0 {
			item, input = input[:i], input[i+1:]
		} else {
			input = nil
		}
		base := 0
		if last > 0 {
			base = last + ItemGap - 1
		}
		n := len(toks)
		var ok bool
		if toks, ok = latinWords(toks, item, base); !ok {
			toks = toks[:n]
			for _, tok := range t.unicode.Tokenize(item) {
				tok.Position += base
				toks = append(toks, *tok)
			}
		}
		if len(toks) > n {
			last = toks[len(toks)-1].Position
		}
	}
	if cap(toks) <= maxScratch {
		sc.toks = toks[:0]
	}
	if len(toks) == 0 {
		return nil
	}
	// One allocation for the tokens, one for the stream.
	slab := make([]analysis.Token, len(toks))
	copy(slab, toks)
	out := make(analysis.TokenStream, len(slab))
	for i := range slab {
		out[i] = &slab[i]
	}
	return out
}

// Word break classes of UAX #29 (Unicode 8.0, the tables of
// github.com/blevesearch/segment) for the characters latinWords handles.
const (
	wbOther        = iota // separators: spaces, punctuation, symbols
	wbLetter              // ALetter
	wbNumeric             // Numeric
	wbMidLetter           // : · ‧
	wbMidNum              // , ;
	wbMidNumLet           // . ‘ ’ ․
	wbSingleQuote         // '
	wbExtendNumLet        // _
	wbUnknown             // anything else: left to the segment package
)

// asciiClass is the word break class of each ASCII character.
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			t[c] = wbLetter
		case c >= '0' && c <= '9':
			t[c] = wbNumeric
		case c == ':':
			t[c] = wbMidLetter
		case c == ',', c == ';':
			t[c] = wbMidNum
		case c == '.':
			t[c] = wbMidNumLet
		case c == '\'':
			t[c] = wbSingleQuote
		case c == '_':
			t[c] = wbExtendNumLet
		default:
			t[c] = wbOther
		}
	}
	return t
}()

// wordClass returns the class of the character at b[i] and its length.
func wordClass(b []byte, i int) (uint8, int) {
	if c := b[i]; c < utf8.RuneSelf {
		return asciiClass[c], 1
	}
	r, size := utf8.DecodeRune(b[i:])
	switch {
	case r == utf8.RuneError:
		return wbUnknown, size
	case r < 0x250: // Latin-1 Supplement, Latin Extended-A and -B
		switch {
		case r == 0xAD: // soft hyphen: Format
			return wbUnknown, size
		case r == 0xB7: // middle dot
			return wbMidLetter, size
		case unicode.IsLetter(r):
			return wbLetter, size
		}
		return wbOther, size
	case r == 0x2018, r == 0x2019, r == 0x2024:
		return wbMidNumLet, size
	case r == 0x2027:
		return wbMidLetter, size
	case r >= 0x2010 && r <= 0x2026, r >= 0x2030 && r <= 0x203E, r == 0x20AC, r == 0x2122:
		return wbOther, size // dashes, quotes, bullets, ellipsis, per mille, euro, trade mark
	}
	return wbUnknown, size
}

// latinWords appends the words of b to toks, at positions after base, the
// way bleve's "unicode" tokenizer splits them: the UAX #29 rules WB5–WB13b
// over letters, digits and the punctuation between them ("pers.nr",
// "e-post" → "e", "post", "1.000,50", "kl:a"). It returns false, with toks
// in an unspecified state, when b has a character it does not handle
// (another script, combining marks, format characters, invalid UTF-8); the
// caller then uses the segment package.
func latinWords(toks []analysis.Token, b []byte, base int) ([]analysis.Token, bool) {
	pos := base
	i := 0
	for i < len(b) {
		c, size := wordClass(b, i)
		switch c {
		case wbUnknown:
			return toks, false
		case wbLetter, wbNumeric, wbExtendNumLet:
		default:
			i += size
			continue
		}
		start := i
		letters, digits := c == wbLetter, c == wbNumeric
		prev := c
		i += size
	word:
		for i < len(b) {
			c, size := wordClass(b, i)
			switch c {
			case wbUnknown:
				return toks, false
			case wbLetter, wbNumeric, wbExtendNumLet: // WB5, WB8–WB10, WB13a, WB13b
				letters = letters || c == wbLetter
				digits = digits || c == wbNumeric
				prev = c
				i += size
				continue
			case wbMidLetter, wbMidNum, wbMidNumLet, wbSingleQuote:
				if i+size >= len(b) {
					break word
				}
				next, nsize := wordClass(b, i+size)
				if next == wbUnknown {
					return toks, false
				}
				// WB6, WB7: letter (MidLetter|MidNumLet|Single_Quote) letter.
				// WB11, WB12: digit (MidNum|MidNumLet|Single_Quote) digit.
				if prev == wbLetter && next == wbLetter && c != wbMidNum ||
					prev == wbNumeric && next == wbNumeric && c != wbMidLetter {
					i += size + nsize
					continue
				}
			}
			break
		}
		typ := analysis.AlphaNumeric
		if digits && !letters {
			typ = analysis.Numeric
		}
		pos++
		toks = append(toks, analysis.Token{Start: start, End: i, Term: b[start:i], Position: pos, Type: typ})
	}
	return toks, true
}
