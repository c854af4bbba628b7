package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s in lower case with diacritics removed (å, ä → a, ö → o,
// é → e, ...) and words split by a hyphen joined ("intresseav-vägning" →
// "intresseavvagning"), so that matching tolerates OCR residue such as
// "Allmént" or "Rattslig forpliktelse". Fold keeps one output rune per
// letter, but its result is for matching only, never for output.
func Fold(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(-1) // the rune of s before r, -1 at the start
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		// A hyphen between two letters, possibly followed by spaces (a
		// line-end hyphen that was joined badly), is dropped.
		if r == '-' || r == '\u2010' || r == '\u00ad' {
			j := i + size
			for j < len(s) && s[j] == ' ' {
				j++
			}
			if prev >= 0 && unicode.IsLetter(prev) && j < len(s) {
				if next, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsLower(next) {
					if j > i+size {
						prev = ' '
					} else {
						prev = r
					}
					i = j
					continue
				}
			}
		}
		b.WriteRune(foldRune(r))
		prev = r
		i += size
	}
	return b.String()
}

// foldRune maps one rune to its lower-case ASCII base letter where there is one.
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'å', 'ä', 'à', 'á', 'â', 'ã', 'æ':
		return 'a'
	case 'ö', 'ø', 'ó', 'ò', 'ô', 'õ':
		return 'o'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'ü', 'ú', 'ù', 'û':
		return 'u'
	case 'í', 'ì', 'î', 'ï':
		return 'i'
	case 'ç':
		return 'c'
	case 'ñ':
		return 'n'
	case '\u00a0', '\t':
		return ' '
	case '\u2013', '\u2014', '\u2010', '\u2011':
		return '-'
	}
	return r
}
