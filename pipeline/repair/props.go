package repair

import (
	"unicode"
	"unicode/utf8"
)

// Character properties, looked up in a table for the characters below
// encLimit (ASCII, every character of the four code pages, and most of
// what their mojibake decodes to) and asked of package unicode for the
// rest. Package unicode answers most questions about a non-Latin-1
// character with a binary search; mojibake repair asks several about every
// non-ASCII character of every candidate, so the table makes those
// questions one load. The table is built from the same unicode calls, so
// the answers are the same.

// runeProp is a set of character properties.
type runeProp uint16

const (
	propLetter    runeProp = 1 << iota // unicode.IsLetter
	propLatin                          // unicode.Is(unicode.Latin, r)
	propLower                          // unicode.IsLower
	propUpper                          // unicode.IsUpper
	propSpace                          // unicode.IsSpace
	propSym                            // non-ASCII and not a letter, space, mark, digit or soft hyphen (oddity's symbols)
	propOtherMark                      // a mark of a script (not Inherited): unicode.IsMark && !unicode.Is(unicode.Inherited, r)
	propRare                           // rareLetter
	propObsolete                       // obsolete
	propText                           // may be what a mojibake run decodes to (see codePage.at)
)

// runeProps is built by a variable initializer, which runs before every
// init function (mojibake.go's init builds tables that use it).
var runeProps = func() *[encLimit]runeProp {
	var t [encLimit]runeProp
	for r := rune(0); r < encLimit; r++ {
		t[r] = computeProps(r)
	}
	return &t
}()

// propsOf returns the properties of r.
func propsOf(r rune) runeProp {
	if r >= 0 && r < encLimit {
		return runeProps[r]
	}
	return computeProps(r)
}

func computeProps(r rune) runeProp {
	var p runeProp
	set := func(b runeProp, ok bool) {
		if ok {
			p |= b
		}
	}
	letter := unicode.IsLetter(r)
	set(propLetter, letter)
	set(propLatin, unicode.Is(unicode.Latin, r))
	set(propLower, unicode.IsLower(r))
	set(propUpper, unicode.IsUpper(r))
	set(propSpace, unicode.IsSpace(r))
	set(propSym, r >= utf8.RuneSelf && !letter && !unicode.IsSpace(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) && r != 0xad)
	set(propOtherMark, unicode.IsMark(r) && !unicode.Is(unicode.Inherited, r))
	set(propRare, rareLetter(r))
	set(propObsolete, obsolete(r))
	set(propText, !(unicode.IsControl(r) || unicode.Is(unicode.Co, r) || r == 0xFEFF ||
		!unicode.IsPrint(r) && !unicode.IsSpace(r) && !unicode.IsMark(r) && r != 0xad))
	return p
}
