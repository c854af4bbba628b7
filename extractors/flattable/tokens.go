package flattable

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/extractors/header"
)

// token is one word of a body line.
type token struct {
	text      string  // as written, table-border debris stripped
	key       string  // folded, surrounding punctuation and inner hyphens removed
	width     float64 // printed width in em (Helvetica metrics)
	boundary  bool    // border debris or a wide gap stands before it: a likely cell start
	cap       bool    // starts with an upper-case letter and is not an acronym
	acronym   bool    // two or more letters, all upper case (IT, GDPR, EU-)
	afterEnd  bool    // the previous token ends a sentence (. ; : ! ?)
	prevComma bool    // the previous token ends with a comma
	prevCap   bool    // the previous token is capitalised
	letter    bool    // starts with a letter
	aff       string  // the column the word typically belongs to (soft vocabulary)
	affW      float64 // how strongly (cost when placed there, negative)
	modal     bool    // a finite verb that marks prose ("ska", "kan")
}

// tline is one physical line, tokenized.
type tline struct {
	n, page int
	text    string
	toks    []token
	anchors []anchor // closed-vocabulary phrases found in the line
}

func (l *tline) blank() bool { return len(l.toks) == 0 }

const debris = "[|]_"

// tokenize splits a line into tokens. Tokens made only of border debris
// are dropped; they mark the next token as a cell start.
func tokenize(s string) []token {
	var out []token
	gap := false
	mark := false
	spaces := 0
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			spaces++
			i += n
			continue
		}
		if spaces >= 2 && len(out) > 0 {
			gap = true
		}
		spaces = 0
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		raw := s[i:j]
		i = j
		lead := len(raw) - len(strings.TrimLeft(raw, debris))
		txt := strings.Trim(raw, debris)
		if txt == "" {
			mark = true
			continue
		}
		t := token{text: txt, boundary: gap || mark || lead > 0}
		gap, mark = false, false
		out = append(out, t)
	}
	for k := range out {
		t := &out[k]
		t.key = keyOf(t.text)
		t.width = textWidth(t.text)
		t.aff, t.affW = affinity(t.key)
		t.modal = modalVerbs[t.key]
		r, _ := utf8.DecodeRuneInString(t.text)
		t.letter = unicode.IsLetter(r)
		t.acronym = isAcronym(t.text)
		t.cap = unicode.IsUpper(r) && !t.acronym
		if k > 0 {
			p := out[k-1].text
			t.afterEnd = strings.ContainsAny(p[len(p)-1:], ".;:!?")
			t.prevComma = strings.HasSuffix(p, ",")
			t.prevCap = out[k-1].cap || out[k-1].acronym
		}
	}
	return out
}

// keyOf folds a word for vocabulary matching: lower case, å/ä/ö folded,
// surrounding punctuation and inner hyphens removed ("Intresseav-vagning"
// → "intresseavvagning").
func keyOf(s string) string {
	s = strings.Trim(s, ".,;:!?()\"'”“/")
	s = strings.ReplaceAll(s, "-", "")
	return header.Fold(s)
}

func isAcronym(s string) bool {
	letters, upper := 0, 0
	for _, r := range s {
		if r == '-' {
			break
		}
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 2 && upper == letters
}

// helvetica holds Helvetica advance widths (1/1000 em) for printable ASCII
// from space (32) to tilde (126). Proportional widths predict where a cell
// wrapped far better than character counts.
var helvetica = [...]int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space../
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
}

const spaceWidth = 0.278

// textWidth is the printed width of s in em.
func textWidth(s string) float64 {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return float64(w) / 1000
}

func runeWidth(r rune) int {
	if r >= 32 && r <= 126 {
		return helvetica[r-32]
	}
	f := []rune(header.Fold(string(r)))
	if len(f) == 1 && f[0] >= 32 && f[0] <= 126 {
		if unicode.IsUpper(r) {
			return helvetica[unicode.ToUpper(f[0])-32]
		}
		return helvetica[f[0]-32]
	}
	return 556
}

// spanWidth is the printed width of toks[i:j] with single spaces.
func spanWidth(toks []token, i, j int) float64 {
	w := 0.0
	for k := i; k < j; k++ {
		if k > i {
			w += spaceWidth
		}
		w += toks[k].width
	}
	return w
}
