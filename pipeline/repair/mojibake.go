package repair

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Mojibake: UTF-8 bytes that were decoded as Windows-1252 (or Latin-1), so
// that "för" reads "fÃ¶r", or, decoded twice, "fÃƒÂ¶r". A repair encodes a
// run of characters back to single bytes with the sloppy Windows-1252 table
// and decodes the bytes as UTF-8.
//
// Not every such run is mojibake: "100 Â£" can be a real quote and a name
// may contain "Ã". Sequences are therefore graded:
//   - certain: Ã + a continuation character giving a Latin-1 letter
//     (Ã¶ → ö, Ã… → Å, Ã– → Ö), and â€ + one giving General Punctuation,
//     € or ™ (â€™ → ’, â€“ → –);
//   - possible: every other valid sequence (Â£ → £, Å‚ → ł, ...), repaired
//     only when the same text holds a certain one.

// sloppy1252 maps each byte to the character Windows-1252 gives it, with the
// five undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) kept as the C1 control
// of the same number, as browsers and ftfy do.
var sloppy1252 [256]rune

// sloppyByte maps a character back to its byte: the sloppy Windows-1252
// table, plus every Latin-1 character (so C1 controls from a Latin-1 reading
// map too).
var sloppyByte = map[rune]byte{}

func init() {
	for b := 0; b < 256; b++ {
		r := charmap.Windows1252.DecodeByte(byte(b))
		if r == utf8.RuneError || r == 0xFFFD {
			r = rune(b)
		}
		sloppy1252[b] = r
	}
	for b := 0x80; b < 0x100; b++ {
		sloppyByte[rune(b)] = byte(b) // Latin-1 reading
	}
	for b := 0x80; b < 0x100; b++ {
		sloppyByte[sloppy1252[b]] = byte(b)
	}
}

// isContinuationChar reports whether r encodes to a UTF-8 continuation byte
// (0x80–0xBF) in the sloppy table.
func isContinuationChar(r rune) bool {
	b, ok := sloppyByte[r]
	return ok && b >= 0x80 && b <= 0xBF
}

// leadLen returns how many bytes a UTF-8 sequence starting with the byte of
// r has (2–4), or 0 when r is not such a lead character.
func leadLen(r rune) int {
	if r < 0xC2 || r > 0xF4 {
		return 0
	}
	switch {
	case r <= 0xDF:
		return 2
	case r <= 0xEF:
		return 3
	default:
		return 4
	}
}

type mojiGrade int

const (
	mojiNone mojiGrade = iota
	mojiPossible
	mojiCertain
)

// mojiAt tries the sequence starting at rs[i]; it returns the decoded
// character, the number of characters consumed and the grade.
func mojiAt(rs []rune, i int) (rune, int, mojiGrade) {
	n := leadLen(rs[i])
	if n == 0 || i+n > len(rs) {
		return 0, 0, mojiNone
	}
	buf := make([]byte, 0, 4)
	buf = append(buf, byte(rs[i]))
	for k := 1; k < n; k++ {
		if !isContinuationChar(rs[i+k]) {
			return 0, 0, mojiNone
		}
		buf = append(buf, sloppyByte[rs[i+k]])
	}
	r, size := utf8.DecodeRune(buf)
	if r == utf8.RuneError || size != n {
		return 0, 0, mojiNone
	}
	if r >= 0x80 && r <= 0x9F {
		// A C1 control: only ever right as a layer of double mojibake
		// ("Â\u009d" in "â€Â\u009d"); fixMojibakeWord drops a fix that
		// leaves one behind.
		return r, n, mojiPossible
	}
	if unicode.IsControl(r) || unicode.Is(unicode.Co, r) || r == 0xFEFF {
		return 0, 0, mojiNone
	}
	switch {
	case rs[i] == 'Ã' && r >= 0xC0 && r <= 0xFF && r != 0xD7 && r != 0xF7:
		return r, n, mojiCertain
	case rs[i] == 'â' && n == 3 && (r >= 0x2010 && r <= 0x206F || r == 0x20AC || r == 0x2122):
		return r, n, mojiCertain
	}
	if !unicode.IsLetter(r) && !unicode.IsPunct(r) && !unicode.IsSymbol(r) && !unicode.IsSpace(r) && !unicode.IsMark(r) {
		return 0, 0, mojiNone
	}
	return r, n, mojiPossible
}

// mayHaveMojibake is a cheap test: does s hold a lead character followed by
// a continuation character?
func mayHaveMojibake(s string) bool {
	prevLead := false
	for _, r := range s {
		if prevLead && isContinuationChar(r) {
			return true
		}
		prevLead = leadLen(r) > 0
	}
	return false
}

// fixMojibakeOnce repairs one layer of mojibake in s: certain sequences, and
// possible ones too when allowPossible. It reports whether it changed s and
// whether s held a certain sequence.
func fixMojibakeOnce(s string, allowPossible bool) (string, bool, bool) {
	rs := []rune(s)
	var b strings.Builder
	changed, certain := false, false
	for i := 0; i < len(rs); {
		r, n, g := mojiAt(rs, i)
		if g == mojiCertain || (g == mojiPossible && allowPossible) {
			b.WriteRune(r)
			i += n
			changed = true
			certain = certain || g == mojiCertain
			continue
		}
		b.WriteRune(rs[i])
		i++
	}
	if !changed {
		return s, false, false
	}
	return b.String(), true, certain
}

// hasCertainMojibake reports whether s holds a certain sequence.
func hasCertainMojibake(s string) bool {
	rs := []rune(s)
	for i := range rs {
		if _, _, g := mojiAt(rs, i); g == mojiCertain {
			return true
		}
	}
	return false
}

// fixMojibakeWord repairs up to three layers of mojibake in one
// whitespace-free chunk. evidence says whether the text as a whole holds a
// certain sequence.
func fixMojibakeWord(w string, evidence bool) (string, float64, bool) {
	out := w
	conf := confMojibake
	for layer := 0; layer < 3; layer++ {
		certainHere := hasCertainMojibake(out)
		next, changed, _ := fixMojibakeOnce(out, evidence || certainHere)
		if !changed {
			break
		}
		if !certainHere {
			conf = confMojibakeSoft
		}
		out = next
	}
	if out == w || countC1(out) > countC1(w) {
		return w, 0, false
	}
	return out, conf, true
}

func countC1(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x80 && r <= 0x9F {
			n++
		}
	}
	return n
}
