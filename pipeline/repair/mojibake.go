package repair

import (
	"strings"
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

// codePage is one single-byte code page as mojibake sees it.
type codePage struct {
	name string
	dec  [256]rune
	enc  [encLimit]uint16 // rune → 0x100|byte; 0: not in the code page
	high map[rune]byte    // runes ≥ encLimit
	c3   rune             // the character of byte c3 (lead of Latin-1 letters)
	e2   rune             // the character of byte e2 (lead of punctuation)
	x80  rune             // the character of byte 80
	dos  bool             // a DOS code page with box-drawing characters
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
	if unicode.IsControl(r) || unicode.Is(unicode.Co, r) || r == 0xFEFF || !unicode.IsPrint(r) && !unicode.IsSpace(r) && !unicode.IsMark(r) && r != 0xad {
		return 0, 0, mojiNone
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

// fixLayer undoes one layer of code page p's mojibake in rs. It returns the
// result, whether it held a certain run and whether it changed anything.
func (p *codePage) fixLayer(rs []rune) ([]rune, bool, bool) {
	var out []rune
	certain := false
	for i := 0; i < len(rs); {
		r, n, g := p.at(rs, i)
		if g == mojiNone {
			if out != nil {
				out = append(out, rs[i])
			}
			i++
			continue
		}
		if out == nil {
			out = make([]rune, i, len(rs))
			copy(out, rs[:i])
		}
		out = append(out, r)
		certain = certain || g == mojiCertain
		i += n
	}
	if out == nil {
		return rs, false, false
	}
	return out, certain, true
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
		isSym := r >= utf8.RuneSelf && !unicode.IsLetter(r) && !unicode.IsSpace(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) && r != 0xad
		if isSym {
			symRun++
			if symRun == 2 && i >= 2 && isLatinLetter(rs[i-2]) {
				odd++ // "â™«", "Ã¢â€"
			}
		} else {
			symRun = 0
		}
		switch {
		case r < utf8.RuneSelf:
			if asciiLetter[r] {
				latin++
			}
			continue
		case isC1(r):
			odd += 3
		case unicode.IsLetter(r):
			if unicode.Is(unicode.Latin, r) {
				latin++
			} else {
				other++
			}
			if rareLetter(r) {
				odd += 3
			}
			if obsolete(r) {
				odd += 100 // "├┤a┼┐a" is line art, not "ôaſa"
			}
			prevL := i > 0 && isLetter(rs[i-1])
			nextL := i+1 < len(rs) && isLetter(rs[i+1])
			if unicode.IsLower(r) && prevL && nextL && unicode.IsUpper(rs[i-1]) && unicode.IsUpper(rs[i+1]) {
				odd++ // "MģÄM"
			}
			if unicode.IsUpper(r) && prevL && unicode.IsLower(rs[i-1]) {
				odd++ // "voilÃ"
			}
		case !isSym:
			if unicode.IsMark(r) && !unicode.Is(unicode.Inherited, r) {
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
	return unicode.Is(unicode.Latin, r) && unicode.IsLetter(r)
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
	to   []rune
	conf float64
	lone bool // see evidenceSet.lone
}

// fixChunk repairs the mojibake in one chunk, trying each code page whose
// lead and continuation characters it holds (mask: classOf bits).
func fixChunk(rs []rune, mask uint8, evidence *evidenceSet, text string) (mojiFix, bool) {
	best := mojiFix{}
	odd0 := oddity(rs)
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
		for layer := 0; layer < 3; layer++ {
			next, certain, ok := p.fixLayer(cur)
			if !ok {
				break
			}
			o := oddity(next)
			accept := o < curOdd || o == curOdd && (certain || evidence.has(pi, p, text))
			if !accept || countC1(next) > countC1(rs) {
				break
			}
			if !certain {
				sure = false
			}
			cur, curOdd, changed = next, o, true
		}
		if !changed {
			continue
		}
		if curOdd >= 3 && 2*curOdd > odd0 {
			continue // still garbled: not clearly better
		}
		evidence.count(pi, text)
		if !found || curOdd < bestOdd || curOdd == bestOdd && evidence.certain[pi] > evidence.certain[bestPage] {
			bestPage = pi
			conf := confMojibake
			if !sure {
				conf = confMojibakeSoft
			}
			best, bestOdd, found = mojiFix{to: cur, conf: conf, lone: sure && evidence.lone(pi, text)}, curOdd, true
		}
	}
	return best, found
}

// evidenceSet caches, per code page, what the whole text holds: the number
// of certain runs and of stray non-ASCII characters (outside any run).
type evidenceSet struct {
	done    [numPages]bool
	certain [numPages]int
	stray   [numPages]int
	seen    map[string]chunkEvidence // by chunk: the same word recurs
}

// chunkEvidence is one chunk's share of an evidenceSet.
type chunkEvidence struct {
	certain, stray [numPages]int
}

func (e *evidenceSet) count(pi int, text string) {
	if e.done[pi] {
		return
	}
	e.done[pi] = true
	p := pages[pi]
	rs := []rune(text)
	for i := 0; i < len(rs); {
		_, n, g := p.at(rs, i)
		switch {
		case g == mojiCertain:
			e.certain[pi]++
		case g == mojiNone:
			if rs[i] >= utf8.RuneSelf && !unicode.IsSpace(rs[i]) && !isC1(rs[i]) {
				e.stray[pi]++
			}
			n = 1
		}
		i += n
	}
}

// has reports whether text holds a certain run of code page pi.
func (e *evidenceSet) has(pi int, p *codePage, text string) bool {
	e.count(pi, text)
	return e.certain[pi] > 0
}

// lone reports whether a repair in code page pi stands alone in a text that
// also holds other non-ASCII characters: "Bremer/Mccoy – DrÃ¥ber" may be
// correct text.
func (e *evidenceSet) lone(pi int, text string) bool {
	e.count(pi, text)
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
func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

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

// fill counts the evidence of every code page in one pass over s.
func (e *evidenceSet) fill(s string) {
	for i := 0; i < len(s); {
		if isASCIISpace(s[i]) {
			i++
			continue
		}
		j := chunkAt(s, i)
		chunk := s[i:j]
		i = j
		mask, nonASCII := chunkMask(chunk)
		if nonASCII == 0 {
			continue
		}
		if c, ok := e.seen[chunk]; ok {
			for pi := range pages {
				e.certain[pi] += c.certain[pi]
				e.stray[pi] += c.stray[pi]
			}
			continue
		}
		var c chunkEvidence
		var rs []rune
		for pi, p := range pages {
			if mask&(1<<pi) == 0 {
				c.stray[pi] += nonASCII
				continue
			}
			if rs == nil {
				rs = []rune(chunk)
			}
			for k := 0; k < len(rs); {
				_, n, g := p.at(rs, k)
				switch {
				case g == mojiCertain:
					c.certain[pi]++
				case g == mojiNone:
					if rs[k] >= utf8.RuneSelf && !unicode.IsSpace(rs[k]) && !isC1(rs[k]) {
						c.stray[pi]++
					}
					n = 1
				}
				k += n
			}
		}
		if e.seen == nil {
			e.seen = map[string]chunkEvidence{}
		}
		e.seen[chunk] = c
		for pi := range pages {
			e.certain[pi] += c.certain[pi]
			e.stray[pi] += c.stray[pi]
		}
	}
	for pi := range e.done {
		e.done[pi] = true
	}
}

// aGraveSpace lists what may follow "Ã " where the space is the lost byte a0
// of "à" rather than a word break (Portuguese "àquele", "às"); after ftfy.
var aGraveSpace = []string{" ", "quele", "quela", "quilo", "s "}

// repairMojibake fixes mojibake chunk by chunk (a chunk is a run without
// ASCII white space), then C1 controls left alone by it.
func repairMojibake(v view, s string) (string, []record.Fix) {
	var evidence evidenceSet
	evidence.fill(s)
	// A chunk's decision depends on the chunk and the text's evidence
	// only, so a word that recurs is decided once.
	decided := map[string]chunkDecision{}
	var b strings.Builder
	var fixes []record.Fix
	line := 1
	last := 0 // bytes of s written to b
	lineAt := 0
	emit := func(start, end int, to string, conf float64) {
		if last == 0 {
			b.Grow(len(s))
		}
		line += strings.Count(s[lineAt:start], "\n")
		lineAt = start
		b.WriteString(s[last:start])
		b.WriteString(to)
		last = end
		fixes = append(fixes, record.Fix{From: s[start:end], To: to, Kind: KindMojibake, Confidence: conf, Line: line})
	}
	report := func(start, end int, to string, conf float64) {
		ln := line + strings.Count(s[lineAt:start], "\n")
		fixes = append(fixes, record.Fix{From: s[start:end], To: to, Kind: KindMojibake, Confidence: conf, Line: ln, Applied: new(bool)})
	}
	for i := 0; i < len(s); {
		if isASCIISpace(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && !isASCIISpace(s[j]) {
			j++
		}
		chunk := s[i:j]
		start, end := i, j
		i = j
		mask, _ := chunkMask(chunk)
		if mask == 0 && !strings.HasSuffix(chunk, "Ã") {
			continue
		}
		if d, ok := decided[chunk]; ok {
			if d.ok {
				if d.conf < ApplyThreshold {
					report(start, end, d.to, d.conf)
				} else {
					emit(start, end, d.to, d.conf)
				}
			}
			continue
		}
		rs := []rune(chunk)
		// "Ã " where the space was a0: "voilÃ le", "Ã s crianÃ§as".
		if rs[len(rs)-1] == 'Ã' && end < len(s) && s[end] == ' ' {
			if f, ok := fixAGrave(rs, s, end, &evidence); ok {
				if f.merge {
					end++ // the space was the lost byte
				}
				emit(start, end, f.to, confMojibakeSoft)
				i = end
				continue
			}
		}
		f, ok := fixChunk(rs, mask, &evidence, s)
		if !ok {
			decided[chunk] = chunkDecision{}
			continue
		}
		to, conf := string(f.to), f.conf
		if f.lone && !isKnown(v, strings.TrimFunc(to, func(r rune) bool { return !unicode.IsLetter(r) }), true) {
			conf = confMojibakeLone
		}
		decided[chunk] = chunkDecision{to: to, conf: conf, ok: true}
		if conf < ApplyThreshold {
			report(start, end, to, conf)
			continue
		}
		emit(start, end, to, conf)
	}
	if last == 0 {
		return s, fixes
	}
	b.WriteString(s[last:])
	return b.String(), fixes
}

type chunkDecision struct {
	to   string
	conf float64
	ok   bool
}

type aGraveFix struct {
	to    string
	merge bool
}

// fixAGrave decides a chunk ending in "Ã" before a space.
func fixAGrave(rs []rune, s string, end int, ev *evidenceSet) (aGraveFix, bool) {
	head := rs[:len(rs)-1]
	fixed := []rune(string(head) + "à")
	if m, _ := chunkMask(string(head)); m != 0 {
		if f, ok := fixChunk(head, m, ev, s); ok {
			fixed = append(f.to, 'à')
		}
	}
	evid := ev.has(cpWin1252, pages[cpWin1252], s)
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
