package repair

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Single-byte text read with the wrong single-byte code page: a DOS file
// read as Windows-1252 ("f”r", "h„r"), a Windows file read as a DOS code
// page ("f÷r"), a Mac file read as Windows-1252 ("fšr"), and Latin-1's C1
// controls where Windows-1252 has punctuation ("\x84Handwerk\x93"). A word
// is re-read only when the re-reading is a known word (or compound) and the
// word as written is not; C1 controls that no re-reading explains become
// the Windows-1252 character of their byte.

// crossPairs are the re-readings tried: the text was decoded with from but
// written in to.
var crossPairs = [][2]int{
	{cpWin1252, cpCP850}, {cpWin1252, cpCP437}, {cpWin1252, cpMac},
	{cpCP850, cpWin1252}, {cpCP437, cpWin1252}, {cpMac, cpWin1252},
}

// Confidence of single-byte re-readings.
const (
	confCodePage = 0.9 // the re-read word is known
	confC1       = 0.8 // a C1 control read as Windows-1252
)

// reread maps the non-ASCII characters of w from one code page to another.
func reread(w string, from, to *codePage) (string, bool) {
	var b strings.Builder
	b.Grow(len(w) + 4)
	changed := false
	for _, r := range w {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		c, ok := from.byteOf(r)
		if !ok || c < 0x80 {
			return "", false
		}
		nr := to.dec[c]
		if nr == utf8.RuneError || unicode.IsControl(nr) {
			return "", false
		}
		changed = changed || nr != r
		b.WriteRune(nr)
	}
	return b.String(), changed
}

// wordLike reports whether w is letters with at most inner hyphens.
func wordLike(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			n++
		} else if r != '-' {
			return false
		}
	}
	return n >= 2
}

// crossChars holds the characters that å, ä, ö, Å, Ä, Ö and é become when
// read with the wrong single-byte code page (”, „, †, š, ÷, õ, ...).
var crossChars [encLimit]bool

// initCrossChars fills crossChars; mojibake.go's init calls it once the
// code pages exist.
func initCrossChars() {
	for _, pr := range crossPairs {
		from, to := pages[pr[0]], pages[pr[1]]
		for _, c := range "åäöÅÄÖé" {
			if b, ok := to.byteOf(c); ok {
				if r := from.dec[b]; r < encLimit && r != c {
					crossChars[r] = true
				}
			}
		}
	}
	for r := 0x80; r < 0xa0; r++ {
		crossChars[r] = true // C1 controls
	}
}

func isCrossChar(r rune) bool { return r >= utf8.RuneSelf && r < encLimit && crossChars[r] }

// suspectWord reports whether a chunk core may be a word in the wrong code
// page: a C1 control, or a character that å/ä/ö becomes so, beside a letter.
func suspectWord(rs []rune) bool {
	for i, r := range rs {
		if !isCrossChar(r) {
			continue
		}
		if isC1(r) || i > 0 && isLetter(rs[i-1]) || i+1 < len(rs) && isLetter(rs[i+1]) {
			return true // "f”r", "„ldreomsorg"
		}
	}
	return false
}

// plainCase reports whether w is lower case, Capitalised or UPPER case
// ("fÖr" is none of these).
func plainCase(w string) bool {
	rs := []rune(w)
	upper := 0
	for i, r := range rs {
		if unicode.IsUpper(r) {
			upper++
			if i > 0 && unicode.IsLower(rs[i-1]) {
				return false
			}
		}
	}
	return upper <= 1 || upper == len(rs) || isAllUpper(w)
}

// repairCodePageWords re-reads words written in the wrong single-byte code
// page; see above.
func repairCodePageWords(v view, s string) (string, []record.Fix) {
	var b strings.Builder
	var fixes []record.Fix
	line, lineAt, last := 1, 0, 0
	for i := 0; i < len(s); {
		if isASCIISpace(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && !isASCIISpace(s[j]) {
			j++
		}
		cs, ce := i, j
		i = j
		// The core: the chunk without ASCII punctuation at its edges.
		for cs < ce && s[cs] < utf8.RuneSelf && !asciiLetter[s[cs]] {
			cs++
		}
		for ce > cs && s[ce-1] < utf8.RuneSelf && !asciiLetter[s[ce-1]] {
			ce--
		}
		core := s[cs:ce]
		if core == "" {
			continue
		}
		rs := []rune(core)
		if !suspectWord(rs) || skipChunk(core) {
			continue
		}
		to, conf, ok := rereadWord(v, core)
		if !ok {
			continue
		}
		line += strings.Count(s[lineAt:cs], "\n")
		lineAt = cs
		b.WriteString(s[last:cs])
		b.WriteString(to)
		last = ce
		fixes = append(fixes, record.Fix{From: core, To: to, Kind: KindMojibake, Confidence: conf, Line: line})
	}
	if len(fixes) == 0 {
		return s, nil
	}
	b.WriteString(s[last:])
	return b.String(), fixes
}

// rereadWord finds the one re-reading of w that is a known word, else maps
// its C1 controls through Windows-1252.
func rereadWord(v view, w string) (string, float64, bool) {
	if wordLike(w) && isKnown(v, w, false) {
		return "", 0, false
	}
	found := ""
	n := 0
	for _, pr := range crossPairs {
		t, changed := reread(w, pages[pr[0]], pages[pr[1]])
		if !changed || !wordLike(t) || t == found {
			continue
		}
		if !hasDiacritic(t) || !plainCase(t) || !isKnown(v, t, true) {
			continue
		}
		found = t
		n++
	}
	if n == 1 {
		return found, confCodePage, true
	}
	if !strings.ContainsFunc(w, isC1) {
		return "", 0, false
	}
	var b strings.Builder
	for _, r := range w {
		if isC1(r) {
			if c := sloppy1252[r]; c != r {
				r = c
			}
		}
		b.WriteRune(r)
	}
	if t := b.String(); t != w {
		return t, confC1, true
	}
	return "", 0, false
}
