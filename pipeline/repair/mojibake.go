package repair

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Mojibake: UTF-8 bytes that were decoded with a single-byte code page, so
// that "för" (c3 b6) reads "fÃ¶r" as Windows-1252 or Latin-1, "fÃƒÂ¶r" when
// it happened twice, "f√∂r" as Mac Roman, "f├Âr" as CP850 and "f├╢r" as
// CP437. A repair maps a run of characters back to bytes with the code page
// and decodes the bytes as UTF-8.
//
// Not every such run is mojibake: "100 Â£" can be a real quote, "Ã’s" a
// real plural, "MÄ£ÄM" leetspeak. Runs are graded:
//   - certain: the lead character of c3 (Ã, √, ├) plus a continuation giving
//     a Latin-1 letter (Ã¶ → ö, √∂ → ö, ├╢ → ö), the lead of e2 with the
//     character of 80 (â€, ‚Ä, ÔÇ, ΓÇ) giving punctuation (â€“ → –), any
//     run holding a C1 control character (Latin-1 reading), ï¿½ → U+FFFD,
//     and in the DOS code pages a box-drawing lead (┬º → §);
//   - possible: every other valid run (Â£ → £, Ä° → İ).
//
// Each whitespace-separated chunk is repaired with the code page whose
// repair leaves it least odd (symbols inside words, C1 controls, scripts
// mixed in a word, lower case inside upper case, archaic letters): a certain
// repair must not make the chunk odder, a possible one must make it less
// odd, or as odd when the same text holds a certain repair of the same code
// page. Up to three layers are undone (mojibake of mojibake).
//
// Speed: repairMojibake reads the text twice. The first pass skips ASCII
// eight bytes at a time to the chunks with non-ASCII characters and adds up
// the evidence (the certain runs and stray characters of each code page);
// the second decides and writes. Words recur, so each distinct chunk is
// looked at once, and chunks of one shape (mojiShape: "fÃ¶r" and
// "fÃ¶rteckning" are both "aÃ¶a") are decided once. The stats Text needs
// next are updated chunk by chunk rather than scanned again (textStats).

// codePage is one single-byte code page as mojibake sees it.
type codePage struct {
	name  string
	index int // in pages
	dec   [256]rune
	enc   [encLimit]uint16 // rune → 0x100|byte; 0: not in the code page
	high  map[rune]byte    // runes ≥ encLimit
	c3    rune             // the character of byte c3 (lead of Latin-1 letters)
	e2    rune             // the character of byte e2 (lead of punctuation)
	x80   rune             // the character of byte 80
	dos   bool             // a DOS code page with box-drawing characters
}

// encLimit bounds the flat rune tables (box drawing and ⌐ are below it).
const encLimit = 0x2600

// byteOf maps r back to its byte in the code page.
func (p *codePage) byteOf(r rune) (byte, bool) {
	if r >= 0 && r < encLimit {
		v := p.enc[r]
		return byte(v), v != 0
	}
	b, ok := p.high[r]
	return b, ok
}

// Code page indexes in pages.
const (
	cpWin1252 = iota // sloppy Windows-1252, also covering Latin-1 (C1 controls)
	cpMac
	cpCP850
	cpCP437
	numPages
)

var pages [numPages]*codePage

// sloppy1252 maps each byte to the character Windows-1252 gives it, with the
// five undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) kept as the C1 control
// of the same number, as browsers and ftfy do.
var sloppy1252 [256]rune

// mojiClass holds, per rune below encLimit, bit i set when the rune is the
// character of a UTF-8 lead byte (c2–f4) in code page i, and bit 4+i when it
// is the character of a continuation byte (80–bf).
var mojiClass [encLimit]uint8

func init() {
	for b := 0; b < 256; b++ {
		r := charmap.Windows1252.DecodeByte(byte(b))
		if r == utf8.RuneError {
			r = rune(b)
		}
		sloppy1252[b] = r
	}
	mk := func(name string, dec func(byte) rune, dos bool) *codePage {
		p := &codePage{name: name, high: map[rune]byte{}, dos: dos}
		for b := 0; b < 256; b++ {
			p.dec[b] = dec(byte(b))
		}
		for b := 255; b >= 0; b-- { // lower bytes win
			r := p.dec[b]
			if r == utf8.RuneError {
				continue
			}
			if r < encLimit {
				p.enc[r] = 0x100 | uint16(b)
			} else {
				p.high[r] = byte(b)
			}
		}
		p.c3, p.e2, p.x80 = p.dec[0xc3], p.dec[0xe2], p.dec[0x80]
		return p
	}
	pages[cpWin1252] = mk("windows-1252", func(b byte) rune { return sloppy1252[b] }, false)
	// Latin-1: the C1 controls map to their own byte too.
	for b := 0x80; b < 0xa0; b++ {
		if pages[cpWin1252].enc[b] == 0 {
			pages[cpWin1252].enc[b] = 0x100 | uint16(b)
		}
	}
	pages[cpMac] = mk("macintosh", charmap.Macintosh.DecodeByte, false)
	pages[cpCP850] = mk("cp850", charmap.CodePage850.DecodeByte, true)
	pages[cpCP437] = mk("cp437", charmap.CodePage437.DecodeByte, true)
	for i, p := range pages {
		p.index = i
	}
	for i, p := range pages {
		for r := rune(0x80); r < encLimit; r++ {
			b, ok := p.byteOf(r)
			if !ok {
				continue
			}
			if b >= 0xc2 && b <= 0xf4 {
				mojiClass[r] |= 1 << i
			}
			if b >= 0x80 && b <= 0xbf {
				mojiClass[r] |= 1 << (4 + i)
			}
		}
	}
	initCrossChars()
	initScanClass()
}

// classOf returns the mojiClass bits of r.
func classOf(r rune) uint8 {
	if r < encLimit {
		return mojiClass[r]
	}
	var c uint8
	for i, p := range pages {
		if b, ok := p.high[r]; ok {
			if b >= 0xc2 && b <= 0xf4 {
				c |= 1 << i
			}
			if b >= 0x80 && b <= 0xbf {
				c |= 1 << (4 + i)
			}
		}
	}
	return c
}

// isC1 reports whether r is a C1 control character.
func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// seqLen returns the length of the UTF-8 sequence a lead byte starts.
func seqLen(b byte) int {
	switch {
	case b >= 0xc2 && b <= 0xdf:
		return 2
	case b >= 0xe0 && b <= 0xef:
		return 3
	case b >= 0xf0 && b <= 0xf4:
		return 4
	}
	return 0
}

type mojiGrade int

const (
	mojiNone mojiGrade = iota
	mojiPossible
	mojiCertain
)

// at tries the run starting at rs[i] in code page p; it returns the decoded
// character, the number of characters consumed and the grade.
func (p *codePage) at(rs []rune, i int) (rune, int, mojiGrade) {
	lb, ok := p.byteOf(rs[i])
	if !ok {
		return 0, 0, mojiNone
	}
	n := seqLen(lb)
	if n == 0 || i+n > len(rs) {
		return 0, 0, mojiNone
	}
	var buf [4]byte
	buf[0] = lb
	hasC1 := false
	for k := 1; k < n; k++ {
		b, ok := p.byteOf(rs[i+k])
		if !ok || b < 0x80 || b > 0xbf {
			return 0, 0, mojiNone
		}
		buf[k] = b
		hasC1 = hasC1 || isC1(rs[i+k])
	}
	r, size := utf8.DecodeRune(buf[:n])
	if size != n || (r == utf8.RuneError && string(buf[:n]) != "\xef\xbf\xbd") {
		return 0, 0, mojiNone
	}
	if isC1(r) {
		// Only ever right as a layer of double mojibake ("Â\u009d" in
		// "â€Â\u009d"); the oddity measure weighs the C1 it leaves.
		return r, n, mojiPossible
	}
	if r == utf8.RuneError {
		return r, n, mojiCertain // ï¿½
	}
	if propsOf(r)&propText == 0 {
		return 0, 0, mojiNone // a control, private use or unprintable character
	}
	if hasC1 && p == pages[cpWin1252] {
		return r, n, mojiCertain // C1 controls are never text
	}
	lead := rs[i]
	if p == pages[cpMac] && !(i > 0 && isLatinLetter(rs[i-1]) || i+n < len(rs) && isLatinLetter(rs[i+n])) {
		return r, n, mojiPossible // "√π" is mathematics
	}
	switch {
	case lead == p.c3 && n == 2 && r >= 0xc0 && r <= 0xff && r != 0xd7 && r != 0xf7:
		// A quote as the continuation ("Ã’s") is only certain inside a word.
		if c := rs[i+1]; c == '‘' || c == '’' || c == '“' || c == '”' {
			if !(i > 0 && isLetter(rs[i-1]) && i+2 < len(rs) && isLetter(rs[i+2])) {
				return r, n, mojiPossible
			}
		}
		return r, n, mojiCertain
	case lead == p.e2 && n == 3 && (rs[i+1] == p.x80 || p == pages[cpWin1252]) &&
		(r >= 0x2000 && r <= 0x2bff || r == 0x20ac || r == 0x2122):
		return r, n, mojiCertain
	case lead == p.dec[0xef] && n == 3 && r >= 0xff00 && r <= 0xffef:
		return r, n, mojiCertain // "ï¼Œ" → "，"
	case p.dos && lead >= 0x2500 && lead <= 0x257f && (unicode.IsLetter(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == 0xa0):
		return r, n, mojiCertain
	}
	return r, n, mojiPossible
}

// fixLayer undoes one layer of code page p's mojibake in rs, writing the
// result to dst (reused: dst[:0]). It returns the result, whether it held a
// certain run, whether it changed anything, and whether the result may
// hold another layer: a lead character of p before a continuation
// character, which every run starts with (see mojiClass).
func (p *codePage) fixLayer(dst, rs []rune) (out []rune, certain, changed, again bool) {
	out = dst[:0]
	lead, cont := uint8(1)<<p.index, uint8(1)<<(4+p.index)
	prevLead := false // the last character of out is a lead character of p
	for i := 0; i < len(rs); {
		if rs[i] < utf8.RuneSelf {
			// ASCII is itself in every code page: never part of a run.
			out = append(out, rs[i])
			prevLead = false
			i++
			continue
		}
		r, n, g := p.at(rs, i)
		if g == mojiNone {
			r, n = rs[i], 1
		} else {
			certain = certain || g == mojiCertain
			changed = true
		}
		out = append(out, r)
		cl := classOf(r)
		again = again || prevLead && cl&cont != 0
		prevLead = cl&lead != 0
		i += n
	}
	return out, certain, changed, again
}

// hasCertain reports whether rs holds a certain run of code page p.
func (p *codePage) hasCertain(rs []rune) bool {
	for i := range rs {
		if _, _, g := p.at(rs, i); g == mojiCertain {
			return true
		}
	}
	return false
}

// oddity rates how unlike written text a chunk is; see the package notes.
func oddity(rs []rune) int {
	odd := 0
	latin, other := 0, 0
	symRun := 0
	for i, r := range rs {
		if r < utf8.RuneSelf {
			symRun = 0
			if asciiLetter[r] {
				latin++
			}
			continue
		}
		pr := propsOf(r)
		isSym := pr&propSym != 0
		if isSym {
			symRun++
			if symRun == 2 && i >= 2 && isLatinLetter(rs[i-2]) {
				odd++ // "â™«", "Ã¢â€"
			}
		} else {
			symRun = 0
		}
		switch {
		case isC1(r):
			odd += 3
		case pr&propLetter != 0:
			if pr&propLatin != 0 {
				latin++
			} else {
				other++
			}
			if pr&propRare != 0 {
				odd += 3
			}
			if pr&propObsolete != 0 {
				odd += 100 // "├┤a┼┐a" is line art, not "ôaſa"
			}
			prevL := i > 0 && isLetter(rs[i-1])
			nextL := i+1 < len(rs) && isLetter(rs[i+1])
			if pr&propLower != 0 && prevL && nextL && propsOf(rs[i-1])&propUpper != 0 && propsOf(rs[i+1])&propUpper != 0 {
				odd++ // "MģÄM"
			}
			if pr&propUpper != 0 && prevL && propsOf(rs[i-1])&propLower != 0 {
				odd++ // "voilÃ"
			}
		case !isSym:
			if pr&propOtherMark != 0 {
				other++ // "â۪": an Arabic mark after Latin letters
			}
		default:
			prevL := i > 0 && isLatinLetter(rs[i-1])
			nextL := i+1 < len(rs) && isLatinLetter(rs[i+1])
			switch {
			case prevL && nextL:
				if !strings.ContainsRune("’‐·", r) {
					odd++ // "Ä°stanbul", "HÃ´tel"
				}
			case prevL || nextL:
				if !strings.ContainsRune("–—‘’“”„«»…•§°€£$%‰†‡·™®©¹²³", r) {
					odd++ // "├ñ", "√©"
				}
			}
		}
	}
	if latin > 0 && other > 0 {
		odd += 4 * other // "Bront녔"
	}
	return odd
}

// obsolete reports letters no modern text has.
func obsolete(r rune) bool { return r == 'ſ' || r == 'ŉ' || r == 'ĸ' }

func isLatinLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiLetter[r]
	}
	return propsOf(r)&(propLetter|propLatin) == propLetter|propLatin
}

// rareLetter reports letters that correct modern text hardly has: archaic
// ones, most of Latin Extended-B, IPA and phonetic extensions.
func rareLetter(r rune) bool {
	switch r {
	case 'ș', 'ț', 'Ș', 'Ț', 'ơ', 'ư', 'Ơ', 'Ư', 'ǎ', 'ǐ', 'ǒ', 'ǔ':
		return false
	}
	return r >= 0x180 && r <= 0x2af || r >= 0x1d00 && r <= 0x1dbf
}

// mojiFix is the repair of one chunk.
type mojiFix struct {
	to   []rune // mojiScratch.best: valid until the next fixChunk
	conf float64
	lone bool // see evidenceSet.lone
}

// fixChunk repairs the mojibake in one chunk, trying each code page whose
// lead and continuation characters it holds (mask: classOf bits). It works
// in sc's layer buffers and returns its repair in sc.best.
func fixChunk(rs []rune, mask uint8, ev *evidenceSet, sc *mojiScratch) (mojiFix, bool) {
	best := mojiFix{}
	odd0 := oddity(rs)
	c1 := countC1(rs)
	bestOdd := odd0
	bestPage := 0
	found := false
	for pi, p := range pages {
		if mask&(1<<pi) == 0 {
			continue
		}
		cur := rs
		curOdd := odd0
		changed, sure := false, true
		buf := 0     // the layer buffer the next layer goes to (not cur's)
		more := true // cur may hold a layer (the chunk does: see mask)
		for layer := 0; layer < 3 && more; layer++ {
			next, certain, ok, again := p.fixLayer(sc.layer[buf], cur)
			sc.layer[buf] = next
			if !ok {
				break
			}
			more = again
			o := oddity(next)
			accept := o < curOdd || o == curOdd && (certain || ev.has(pi))
			if !accept || countC1(next) > c1 {
				break
			}
			if !certain {
				sure = false
			}
			cur, curOdd, changed = next, o, true
			buf ^= 1
		}
		if !changed {
			continue
		}
		if curOdd >= 3 && 2*curOdd > odd0 {
			continue // still garbled: not clearly better
		}
		if !found || curOdd < bestOdd || curOdd == bestOdd && ev.certain[pi] > ev.certain[bestPage] {
			bestPage = pi
			conf := confMojibake
			if !sure {
				conf = confMojibakeSoft
			}
			sc.best = append(sc.best[:0], cur...)
			best, bestOdd, found = mojiFix{to: sc.best, conf: conf, lone: sure && ev.lone(pi)}, curOdd, true
		}
	}
	return best, found
}

// evidenceSet is, per code page, what the whole text holds: the number of
// certain runs and of stray non-ASCII characters (outside any run). A
// chunk's repair may depend on it, so it is counted over the whole text
// before any chunk is decided.
type evidenceSet struct {
	certain [numPages]int
	stray   [numPages]int
}

// chunkEvidence is one chunk's share of an evidenceSet.
type chunkEvidence struct {
	certain, stray [numPages]int32
}

// chunkEvidenceOf counts the evidence of a chunk with characters rs, code
// page mask mask and nonASCII non-ASCII characters (see chunkMask). A code
// page outside the mask has no run in the chunk: all its non-ASCII
// characters are stray.
func chunkEvidenceOf(rs []rune, mask uint8, nonASCII int) chunkEvidence {
	var c chunkEvidence
	for pi, p := range pages {
		if mask&(1<<pi) == 0 {
			c.stray[pi] += int32(nonASCII)
			continue
		}
		for k := 0; k < len(rs); {
			if rs[k] < utf8.RuneSelf {
				k++ // ASCII: never in a run, never stray
				continue
			}
			_, n, g := p.at(rs, k)
			switch {
			case g == mojiCertain:
				c.certain[pi]++
			case g == mojiNone:
				if propsOf(rs[k])&propSpace == 0 && !isC1(rs[k]) {
					c.stray[pi]++
				}
				n = 1
			}
			k += n
		}
	}
	return c
}

func (e *evidenceSet) add(c *chunkEvidence) {
	for pi := range pages {
		e.certain[pi] += int(c.certain[pi])
		e.stray[pi] += int(c.stray[pi])
	}
}

// has reports whether the text holds a certain run of code page pi.
func (e *evidenceSet) has(pi int) bool { return e.certain[pi] > 0 }

// lone reports whether a repair in code page pi stands alone in a text that
// also holds other non-ASCII characters: "Bremer/Mccoy – DrÃ¥ber" may be
// correct text.
func (e *evidenceSet) lone(pi int) bool {
	return e.certain[pi] <= 1 && e.stray[pi] > 0
}

func countC1(rs []rune) int {
	n := 0
	for _, r := range rs {
		if isC1(r) {
			n++
		}
	}
	return n
}

// isASCIISpace reports the white space that separates mojibake chunks (not
// NBSP or NEL, which are continuation characters in Windows-1252 and
// Latin-1).
func isASCIISpace(c byte) bool { return asciiSpace[c] }

var asciiSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}

// chunkMask returns the code pages (bit i for pages[i]) whose lead
// character followed by a continuation character the chunk holds; a C1
// control counts for Windows-1252 (Latin-1). It also returns the number of
// non-ASCII characters.
func chunkMask(c string) (mask uint8, nonASCII int) {
	var prev uint8
	for _, r := range c {
		if r < utf8.RuneSelf {
			prev = 0
			continue
		}
		nonASCII++
		if isC1(r) {
			mask |= 1 << cpWin1252
		}
		cl := classOf(r)
		mask |= prev & (cl >> 4)
		prev = cl & 0xf
	}
	return mask, nonASCII
}

// chunkAt returns the end of the chunk (run without ASCII white space) that
// starts at i.
func chunkAt(s string, i int) int {
	for i < len(s) && !isASCIISpace(s[i]) {
		i++
	}
	return i
}

// nextNonASCII returns the index of the first byte of s at or after i that
// is not ASCII, or len(s). It tests eight bytes at a time (the compiler
// makes the eight byte loads one).
func nextNonASCII(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		if load64(s, i)&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return i
		}
	}
	return len(s)
}

// load64 returns the eight bytes of s from i as a little-endian number;
// the compiler makes the eight loads one.
func load64(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// appendRunes appends the characters of s to dst.
func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

// A chunk's decision depends on its characters and the text's evidence;
// of its ASCII characters it only ever asks whether they are lower-case
// letters, upper-case letters, '&', '6', '0' or something else, and only
// of those next to a non-ASCII character, or whether there is any letter
// at all. So chunks of the same shape are decided alike: the shape
// (appendShape) keeps the non-ASCII characters and writes each ASCII one
// as its class ('a', 'A', '&', '6', '0' or '.'), a run of one class as one
// character. "fÃ¶rteckning", "fÃ¶r" and "hÃ¶g" all have the shape
// "aÃ¶a", decided once: its repair ("aöa"), confidence and change in stats
// (the ASCII characters are the same before and after, so their share
// cancels, and the ASCII neighbours of a non-ASCII character, which alone
// can tell otherwise, are kept). A repair never mixes ASCII and non-ASCII
// (a run is non-ASCII characters and decodes to one), so the chunk's own
// repair is its ASCII runs with the shape's repaired non-ASCII runs between
// them (writeRepaired). Its evidence (chunkEvidenceOf) is the shape's too.
// TestShapeDecision checks all this against fixChunk on chunks themselves.

// asciiShape maps each ASCII byte to its class in a shape.
var asciiShape = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z':
			t[c] = 'a'
		case 'A' <= c && c <= 'Z':
			t[c] = 'A'
		case c == '&' || c == '6' || c == '0':
			t[c] = byte(c)
		default:
			t[c] = '.'
		}
	}
	return
}()

// appendShape appends the shape of chunk c to dst.
func appendShape(dst []byte, c string) []byte {
	var last byte // the class of the last byte written, 0 after non-ASCII
	for i := 0; i < len(c); i++ {
		b := c[i]
		if b >= utf8.RuneSelf {
			dst = append(dst, b)
			last = 0
			continue
		}
		if k := asciiShape[b]; k != last {
			dst = append(dst, k)
			last = k
		}
	}
	return dst
}

// mojiShape is one distinct shape of the chunks that may hold mojibake.
// Once decided, ok tells whether its chunks are repaired, and to, conf and
// lone how (see mojiFix).
type mojiShape struct {
	key     string
	to      string // the repaired shape
	conf    float64
	delta   textStats // the stats of a repaired chunk less those of the chunk (see textStats)
	ev      chunkEvidence
	mask    uint8
	lone    bool
	decided bool
	ok      bool
}

// mojiChunk is one distinct chunk with a non-ASCII character. It is a
// candidate when it may hold mojibake: it has a code page's lead character
// before a continuation character (mask, see chunkMask), or it ends in "Ã".
// Once a candidate is decided, ok tells whether it is repaired, to what
// (to) and how surely (conf).
type mojiChunk struct {
	to        string
	conf      float64
	shape     int32 // index into mojiScratch.shapes, for a candidate
	nonASCII  int32
	mask      uint8
	candidate bool
	decided   bool
	ok        bool
}

// mojiSite is one place of a mojiChunk in the text.
type mojiSite struct {
	start, end int
	chunk      int32 // index into mojiScratch.chunks
}

// mojiScratch is what one repairMojibake call works in. It comes from a
// pool and goes back to it, so that a call allocates little beyond its
// result: the repaired text and the fixes.
type mojiScratch struct {
	evidence evidenceSet
	index    map[string]int32 // chunk → chunks; the keys are substrings of the text
	chunks   []mojiChunk      // distinct chunks
	sites    []mojiSite       // in text order
	shapeOf  map[string]int32 // shape → shapes
	shapes   []mojiShape      // distinct shapes
	key      []byte           // the shape at hand
	rs       []rune           // the characters of the chunk at hand
	layer    [2][]rune        // fixChunk's layers, used in turn
	best     []rune           // fixChunk's best repair
}

var mojiScratchPool = sync.Pool{New: func() any {
	return &mojiScratch{index: map[string]int32{}, shapeOf: map[string]int32{}}
}}

// Bounds of the scratch kept for reuse: one that a text of many megabytes
// (or a chunk of many kilobytes) grew is left to the garbage collector.
const (
	maxPooledChunks = 1 << 15
	maxPooledSites  = 1 << 17
	maxPooledRunes  = 1 << 14
)

func getMojiScratch() *mojiScratch { return mojiScratchPool.Get().(*mojiScratch) }

func putMojiScratch(sc *mojiScratch) {
	if len(sc.chunks) > maxPooledChunks || cap(sc.sites) > maxPooledSites || cap(sc.rs) > maxPooledRunes ||
		cap(sc.layer[0]) > maxPooledRunes || cap(sc.layer[1]) > maxPooledRunes || cap(sc.best) > maxPooledRunes {
		return
	}
	// Drop every reference to the text and its repair.
	clear(sc.index)
	clear(sc.chunks)
	clear(sc.shapeOf)
	clear(sc.shapes)
	sc.chunks, sc.sites, sc.shapes = sc.chunks[:0], sc.sites[:0], sc.shapes[:0]
	sc.evidence = evidenceSet{}
	mojiScratchPool.Put(sc)
}

// scanMojibake is the first pass of repairMojibake: it finds the chunks
// that may hold mojibake (sc.chunks, sc.sites) and their shapes
// (sc.shapes), and counts the evidence of every code page over the whole
// text (sc.evidence). Only a chunk with a non-ASCII character counts or can
// hold mojibake, so the ASCII between such chunks is skipped eight bytes at
// a time, and a chunk that recurs (words do) is looked at once.
func scanMojibake(s string, sc *mojiScratch) {
	for i := 0; ; {
		k := nextNonASCII(s, i)
		if k == len(s) {
			break
		}
		start := k // all of s[i:k] is ASCII; the chunk starts after its last space
		for start > i && !isASCIISpace(s[start-1]) {
			start--
		}
		end := chunkAt(s, k)
		i = end
		chunk := s[start:end]
		ci, ok := sc.index[chunk]
		if !ok {
			ci = int32(len(sc.chunks))
			sc.index[chunk] = ci
			mask, nonASCII := chunkMask(chunk)
			c := mojiChunk{mask: mask, nonASCII: int32(nonASCII), candidate: mask != 0 || strings.HasSuffix(chunk, "Ã")}
			if c.candidate {
				c.shape = sc.shapeIndex(chunk, mask, nonASCII)
			}
			sc.chunks = append(sc.chunks, c)
		}
		c := &sc.chunks[ci]
		if c.mask == 0 {
			for pi := range pages {
				sc.evidence.stray[pi] += int(c.nonASCII)
			}
		} else {
			sc.evidence.add(&sc.shapes[c.shape].ev)
		}
		if !c.candidate {
			continue
		}
		sc.sites = append(sc.sites, mojiSite{start, end, ci})
	}
}

// shapeIndex returns the index in sc.shapes of the shape of chunk, a
// candidate with code page mask mask and nonASCII non-ASCII characters,
// adding the shape if it is new.
func (sc *mojiScratch) shapeIndex(chunk string, mask uint8, nonASCII int) int32 {
	sc.key = appendShape(sc.key[:0], chunk)
	if si, ok := sc.shapeOf[string(sc.key)]; ok {
		return si
	}
	key := string(sc.key)
	si := int32(len(sc.shapes))
	sc.shapeOf[key] = si
	sh := mojiShape{key: key, mask: mask}
	if mask != 0 {
		sc.rs = appendRunes(sc.rs[:0], key)
		sh.ev = chunkEvidenceOf(sc.rs, mask, nonASCII)
	}
	sc.shapes = append(sc.shapes, sh)
	return si
}

// decide decides the shape: fixChunk on its characters.
func (sh *mojiShape) decide(ev *evidenceSet, sc *mojiScratch) {
	sh.decided = true
	sc.rs = appendRunes(sc.rs[:0], sh.key)
	f, ok := fixChunk(sc.rs, sh.mask, ev, sc)
	if !ok {
		return
	}
	sh.ok, sh.to, sh.conf, sh.lone = true, string(f.to), f.conf, f.lone
	sh.delta = scanText(sh.to)
	sh.delta.add(scanText(sh.key), -1)
}

// writeRepaired writes to w the repair of chunk c whose shape was repaired
// to shapeTo: the ASCII runs of c, and between them the non-ASCII runs of
// shapeTo (see mojiShape).
func writeRepaired(w *strings.Builder, c, shapeTo string) {
	for i, j := 0, 0; i < len(c); {
		k := i
		for i < len(c) && c[i] < utf8.RuneSelf {
			i++
		}
		w.WriteString(c[k:i])
		for j < len(shapeTo) && shapeTo[j] < utf8.RuneSelf {
			j++ // the ASCII run's classes
		}
		for i < len(c) && c[i] >= utf8.RuneSelf {
			i++
		}
		k = j
		for j < len(shapeTo) && shapeTo[j] >= utf8.RuneSelf {
			j++
		}
		w.WriteString(shapeTo[k:j])
	}
}

// repairMojibake fixes mojibake chunk by chunk (a chunk is a run without
// ASCII white space). It makes two passes: scanMojibake finds the chunks
// that may hold mojibake and counts the text's evidence; then each
// distinct shape is decided once, since a decision depends on the chunk's
// shape and the text's evidence only (except a chunk ending in "Ã" before
// a space, see fixAGrave), each distinct chunk is repaired once as its
// shape says, and the repaired text is written.
//
// st is the stats of s; repairMojibake returns those of the repaired text,
// adding what each replaced chunk changes (see textStats).
//
// A repaired chunk is written into the repaired text once, and its To is
// then that part of the text: strings.Builder never changes bytes it has
// written, so the string it returns stays valid as it grows. The fixes so
// share the repaired text's bytes, and From is part of s.
func repairMojibake(v view, s string, st textStats) (string, []record.Fix, textStats) {
	sc := getMojiScratch()
	defer putMojiScratch(sc)
	scanMojibake(s, sc)
	ev := &sc.evidence
	rescan := false // a repair took the space after its chunk: st must be counted afresh
	var b strings.Builder
	var fixes []record.Fix
	line := 1
	last := 0 // bytes of s written to b
	lineAt := 0
	add := func(f record.Fix) {
		if fixes == nil {
			fixes = make([]record.Fix, 0, len(sc.sites)) // at most one per site
		}
		fixes = append(fixes, f)
	}
	// before writes s up to start, where a repair goes.
	before := func(start int) {
		if last == 0 {
			b.Grow(len(s)) // a repair makes the text shorter (unless it holds invalid UTF-8, which becomes U+FFFD)
		}
		line += strings.Count(s[lineAt:start], "\n")
		lineAt = start
		b.WriteString(s[last:start])
	}
	// applied records that s[start:end] was replaced with to (written after
	// before(start)); delta is the change in stats (see textStats, without
	// the sign "Ã " of a space after).
	applied := func(start, end int, to string, conf float64, delta *textStats) {
		st.add(*delta, 1)
		if end < len(s) && s[end] == ' ' {
			// "Ã " belongs to the chunk before the space.
			st.mojibake += b2i(strings.HasSuffix(to, "Ã")) - b2i(strings.HasSuffix(s[start:end], "Ã"))
		}
		last = end
		add(record.Fix{From: s[start:end], To: to, Kind: KindMojibake, Confidence: conf, Line: line})
	}
	report := func(start, end int, to string, conf float64) {
		ln := line + strings.Count(s[lineAt:start], "\n")
		add(record.Fix{From: s[start:end], To: to, Kind: KindMojibake, Confidence: conf, Line: ln, Applied: new(bool)})
	}
	for _, site := range sc.sites {
		start, end := site.start, site.end
		c := &sc.chunks[site.chunk]
		sh := &sc.shapes[c.shape]
		if c.decided {
			switch {
			case !c.ok:
			case c.conf < ApplyThreshold:
				report(start, end, c.to, c.conf)
			default:
				before(start)
				b.WriteString(c.to)
				applied(start, end, c.to, c.conf, &sh.delta)
			}
			continue
		}
		// "Ã " where the space was a0: "voilÃ le", "Ã s crianÃ§as".
		if end < len(s) && s[end] == ' ' && strings.HasSuffix(s[start:end], "Ã") {
			sc.rs = appendRunes(sc.rs[:0], s[start:end])
			if f, ok := fixAGrave(sc.rs, s, end, ev, sc); ok {
				delta := scanText(f.to)
				delta.add(scanText(s[start:end]), -1)
				if f.merge {
					end++ // the space was the lost byte
					rescan = true
				}
				before(start)
				b.WriteString(f.to)
				applied(start, end, f.to, confMojibakeSoft, &delta)
				continue
			}
		}
		if !sh.decided {
			sh.decide(ev, sc)
		}
		c.decided = true
		if !sh.ok {
			continue
		}
		conf := sh.conf
		if sh.lone {
			var w strings.Builder
			writeRepaired(&w, s[start:end], sh.to)
			c.to = w.String()
			if !isKnown(v, strings.TrimFunc(c.to, func(r rune) bool { return !unicode.IsLetter(r) }), true) {
				conf = confMojibakeLone
			}
		}
		c.ok, c.conf = true, conf
		if conf < ApplyThreshold {
			report(start, end, c.to, conf)
			continue
		}
		before(start)
		n := b.Len()
		writeRepaired(&b, s[start:end], sh.to)
		c.to = b.String()[n:]
		applied(start, end, c.to, conf, &sh.delta)
	}
	if last == 0 {
		return s, fixes, st
	}
	b.WriteString(s[last:])
	out := b.String()
	if rescan {
		st = scanText(out)
	}
	return out, fixes, st
}

// aGraveSpace lists what may follow "Ã " where the space is the lost byte a0
// of "à" rather than a word break (Portuguese "àquele", "às"); after ftfy.
var aGraveSpace = []string{" ", "quele", "quela", "quilo", "s "}

type aGraveFix struct {
	to    string
	merge bool
}

// fixAGrave decides a chunk ending in "Ã" before a space.
func fixAGrave(rs []rune, s string, end int, ev *evidenceSet, sc *mojiScratch) (aGraveFix, bool) {
	head := rs[:len(rs)-1]
	fixed := []rune(string(head) + "à")
	if m, _ := chunkMask(string(head)); m != 0 {
		if f, ok := fixChunk(head, m, ev, sc); ok {
			fixed = append(append([]rune(nil), f.to...), 'à')
		}
	}
	evid := ev.has(cpWin1252)
	oldOdd, newOdd := oddity(rs), oddity(fixed)
	if !(newOdd < oldOdd || newOdd == oldOdd && evid) {
		return aGraveFix{}, false
	}
	rest := s[end+1:]
	merge := false
	if evid || newOdd < oldOdd {
		for _, w := range aGraveSpace {
			if strings.HasPrefix(rest, w) {
				merge = true
			}
		}
	}
	to := string(fixed)
	return aGraveFix{to: to, merge: merge}, true
}
