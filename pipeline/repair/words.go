package repair

import (
	"math/bits"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// textStats is what one cheap scan of a text tells. The signs of damage
// are counted (a flag is a count above zero) so that the stats of a text are
// the sums of the stats of its chunks, the runs between ASCII white space:
// the scan starts afresh after white space, and the one sign seen across it
// ("Ã " for "à") belongs to the chunk before. A repair that replaces whole
// chunks can so tell the stats of its result without scanning it again
// (repairMojibake).
type textStats struct {
	letters    int
	diacritics int // å, ä, ö (any case, composed or with a combining mark)
	strong     int // é, è, à, á, or &/6/0 touching a letter
	mojibake   int // a mojibake lead character followed by a continuation one, or a C1 control
	codePage   int // a symbol between letters or a letter Swedish lacks: "f”r", "fšr"
}

// weak reports whether the text lacks å/ä/ö as OCR-damaged Swedish does:
// fewer than 1 in 100 letters (correct Swedish has about 4).
func (st textStats) weak() bool {
	return st.letters > 0 && st.diacritics*100 < st.letters
}

// clean reports whether the text shows no sign of damage: Text's fast path.
func (st textStats) clean() bool {
	return st.mojibake == 0 && st.codePage == 0 && st.strong == 0 && !st.weak()
}

// add adds the stats of a chunk times k (1 or -1).
func (st *textStats) add(o textStats, k int) {
	st.letters += k * o.letters
	st.diacritics += k * o.diacritics
	st.strong += k * o.strong
	st.mojibake += k * o.mojibake
	st.codePage += k * o.codePage
}

var asciiLetter = func() (t [128]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	return
}()

// letterByte is asciiLetter for any byte (false from 0x80 on).
var letterByte = func() (t [256]bool) {
	copy(t[:], asciiLetter[:])
	return
}()

// scanClass holds, per rune below encLimit, what scanText asks of it: the
// mojiClass bits (0–7) and the sc* bits.
var scanClass [encLimit]uint16

const (
	scLetter    = 1 << (8 + iota) // isLetter
	scCross                       // isCrossChar
	scDiacritic                   // å, ä, ö, Å, Ä, Ö
	scStrong                      // é, è, à, á, É, È, À, Á
	scCombining                   // combining diaeresis or ring above
	scC1                          // a C1 control
)

// initScanClass fills scanClass; mojibake.go's init calls it once the
// code pages and crossChars exist.
func initScanClass() {
	for r := rune(0); r < encLimit; r++ {
		scanClass[r] = scanClassOf(r)
	}
}

// scanClassOf computes scanClass for any rune.
func scanClassOf(r rune) uint16 {
	c := uint16(classOf(r))
	set := func(b uint16, ok bool) {
		if ok {
			c |= b
		}
	}
	set(scLetter, isLetter(r))
	set(scCross, isCrossChar(r))
	set(scDiacritic, strings.ContainsRune("åäöÅÄÖ", r))
	set(scStrong, strings.ContainsRune("éèàáÉÈÀÁ", r))
	set(scCombining, r == 0x0308 || r == 0x030A)
	set(scC1, isC1(r))
	return c
}

// asciiLetters returns the top bit of each byte of w (eight bytes of text,
// see load64) that is an ASCII letter: below 0x80 and, with the case bit
// 0x20 set, from 'a' (0x61) to 'z' (0x7a). With the top bits cleared no
// byte can carry into the next, so adding 0x1f sets a byte's top bit when
// it is at least 0x61, and adding 0x05 when it is at least 0x7b.
func asciiLetters(w uint64) uint64 {
	x := (w | 0x2020202020202020) & 0x7f7f7f7f7f7f7f7f
	return (x + 0x1f1f1f1f1f1f1f1f) &^ (x + 0x0505050505050505) &^ w & 0x8080808080808080
}

// hasByte reports whether one of the eight bytes of w is b, that is whether
// x = w^b has a zero byte: (x-0x01…)&^x&0x80… is nonzero exactly then (the
// lowest zero byte becomes 0xff; below it no byte borrows, and a byte that
// did not borrow only gets its top bit from x-1 if x had it set).
func hasByte(w uint64, b byte) bool {
	x := w ^ (0x0101010101010101 * uint64(b))
	return (x-0x0101010101010101)&^x&0x8080808080808080 != 0
}

// letterRunEnd returns the end of the run of ASCII letters from i, eight
// bytes at a time.
func letterRunEnd(s string, i int) int {
	for i+8 <= len(s) {
		letters := asciiLetters(load64(s, i))
		if other := ^letters & 0x8080808080808080; other != 0 {
			return i + bits.TrailingZeros64(other)/8
		}
		i += 8
	}
	for i < len(s) && letterByte[s[i]] {
		i++
	}
	return i
}

// scanText counts the letters, the å/ä/ö and the signs of damage of s.
func scanText(s string) textStats {
	var st textStats
	prevLetter, pendingDigit, pendingSym := false, false, false
	var prevLead uint16
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if i+8 <= len(s) {
				if w := load64(s, i); w&0x8080808080808080 == 0 && !hasByte(w, '&') && !hasByte(w, '6') && !hasByte(w, '0') {
					// Eight ASCII bytes without &, 6 or 0: they only count
					// letters, and only the first byte sees what came
					// before (a space after "Ã" included).
					letters := asciiLetters(w)
					if letters&0x80 != 0 {
						st.strong += b2i(pendingDigit)
						st.codePage += b2i(pendingSym)
					} else if c == ' ' && i >= 2 && s[i-2:i] == "Ã" {
						st.mojibake++ // "voilÃ le"
					}
					st.letters += bits.OnesCount64(letters)
					prevLetter = letters>>63 != 0
					pendingSym, pendingDigit, prevLead = false, false, 0
					i += 8
					continue
				}
			}
			if letterByte[c] {
				// A run of ASCII letters: only its first letter sees what
				// came before, and what it leaves is the same.
				if pendingDigit {
					st.strong++
				}
				if pendingSym {
					st.codePage++
				}
				j := letterRunEnd(s, i+1)
				st.letters += j - i
				i = j
				pendingSym, pendingDigit = false, false
				prevLetter, prevLead = true, 0
				continue
			}
			i++
			pendingSym = false
			pendingDigit = false
			if c == ' ' && i >= 3 && s[i-3:i-1] == "Ã" {
				st.mojibake++ // "voilÃ le"
			}
			if c == '&' || c == '6' || c == '0' {
				if prevLetter {
					st.strong++
				}
				pendingDigit = true
			}
			prevLetter, prevLead = false, 0
			continue
		}
		var r rune
		if c >= 0xc2 && c < 0xe0 && i+1 < len(s) && s[i+1]&0xc0 == 0x80 {
			r = rune(c&0x1f)<<6 | rune(s[i+1]&0x3f) // two bytes, always valid: most of it
			i += 2
		} else {
			var n int
			r, n = utf8.DecodeRuneInString(s[i:])
			i += n
		}
		var cl uint16
		if r < encLimit {
			cl = scanClass[r]
		} else {
			cl = scanClassOf(r)
		}
		pendingDigit = false
		sym := false
		switch {
		case cl&scDiacritic != 0:
			st.diacritics++
			st.letters++
			prevLetter = true
		case cl&scStrong != 0:
			st.strong++
			st.letters++
			prevLetter = true
		case cl&scCombining != 0:
			st.diacritics++
		default:
			wasLetter := prevLetter
			prevLetter = cl&scLetter != 0
			if prevLetter {
				st.letters++
				if pendingSym {
					st.codePage++
				}
			}
			if cl&scCross != 0 {
				if prevLetter || cl&scC1 != 0 {
					st.codePage++ // "fšr", "õ"
				} else if wasLetter {
					sym = true // "f”r" if a letter follows
				}
			}
			if cl&scC1 != 0 {
				st.mojibake++
			}
		}
		if pendingSym && prevLetter {
			st.codePage++
		}
		pendingSym = sym
		if prevLead&(cl>>4) != 0 {
			st.mojibake++
		}
		prevLead = cl & 0xf
	}
	return st
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiLetter[r]
	}
	return propsOf(r)&propLetter != 0
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	}
	return unicode.IsSpace(r)
}

// run is a maximal sequence of letters, digits and & inside a chunk.
type run struct {
	start, end int // byte offsets in the text
	text       string
	line       int
	hyphenNext bool // followed directly by "-" and another run
}

func isRunChar(r rune) bool {
	return isLetter(r) || r == '&' || ('0' <= r && r <= '9')
}

// skipChunk reports whether a chunk is an e-mail address, a URL or a domain
// name, which repair never touches.
func skipChunk(c string) bool {
	if strings.ContainsRune(c, '@') || strings.Contains(c, "://") {
		return true
	}
	lc := strings.ToLower(c)
	if strings.HasPrefix(lc, "www.") {
		return true
	}
	return domainRe.MatchString(lc)
}

var domainRe = regexp.MustCompile(`[a-z0-9]\.(se|nu|com|org|net|eu|io|gov|info|fi|no|dk|de|uk)\b`)

// unitRe matches a number glued to a time unit as OCR writes it: "2ar".
var unitRe = regexp.MustCompile(`^([0-9]+)(ar|år|manader|månader|manad|månad|dagar|veckor|vecka)$`)

// timeUnits maps a time unit as OCR writes it to its spelling.
var timeUnits = map[string]string{
	"ar": "år", "år": "år", "manader": "månader", "månader": "månader", "manad": "månad",
	"månad": "månad", "dagar": "dagar", "veckor": "veckor", "vecka": "vecka",
}

var numberWords = map[string]bool{
	"ett": true, "två": true, "tva": true, "tre": true, "fyra": true, "fem": true, "sex": true,
	"sju": true, "åtta": true, "atta": true, "nio": true, "tio": true, "elva": true, "tolv": true,
	"femton": true, "tjugo": true, "några": true, "nagra": true, "flera": true, "per": true,
	"varje": true, "detta": true, "samma": true, "hela": true, "halvt": true, "halvår": true,
}

// collectRuns splits s into runs, skipping chunks that must not be touched.
// With strongOnly, only chunks holding a strong damage character are taken
// (text that has its å/ä/ö needs no other word looked at).
func collectRuns(s string, strongOnly bool) []run {
	var runs []run
	line := 1
	lastPos := 0
	forEachChunk(s, func(cs, ce int) {
		chunk := s[cs:ce]
		if strongOnly && !strings.ContainsAny(chunk, "éèàáÉÈÀÁ&60") || skipChunk(chunk) {
			return
		}
		line += strings.Count(s[lastPos:cs], "\n")
		lastPos = cs
		start := -1
		for i, c := range chunk {
			if isRunChar(c) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 {
				runs = append(runs, run{start: cs + start, end: cs + i, text: chunk[start:i], line: line})
				start = -1
			}
			if c == '-' && len(runs) > 0 && runs[len(runs)-1].end == cs+i && i+1 < len(chunk) {
				nr, _ := utf8.DecodeRuneInString(chunk[i+1:])
				if isLetter(nr) {
					runs[len(runs)-1].hyphenNext = true
				}
			}
		}
		if start >= 0 {
			runs = append(runs, run{start: cs + start, end: ce, text: chunk[start:], line: line})
		}
	})
	return runs
}

type replacement struct {
	start, end int
	text       string
	fix        record.Fix
}

// runKind classifies a run.
func classifyRun(t string) (letters, digits int, ocrDigits bool) {
	var lettersN, digitsN int
	onlyOCR := true
	rs := []rune(t)
	for i, c := range rs {
		switch {
		case '0' <= c && c <= '9':
			digitsN++
			if c != '6' && c != '0' {
				onlyOCR = false
			}
			// A digit inside a word must touch a letter.
			if !(i > 0 && isLetter(rs[i-1])) && !(i+1 < len(rs) && isLetter(rs[i+1])) {
				onlyOCR = false
			}
		case isLetter(c):
			lettersN++
		}
	}
	return lettersN, digitsN, onlyOCR && digitsN <= 2 && lettersN >= 3
}

// repairWords repairs OCR damage word by word.
func repairWords(v view, s string, st textStats) (string, []record.Fix) {
	v.memo = map[string]info{}
	weak := st.weak()
	runs := collectRuns(s, !weak)
	swedish := st.diacritics > 0 // text with å/ä/ö is Swedish enough
	if weak {
		swedish = looksSwedish(v, runs)
		weak = swedish
	}
	var reps []replacement
	done := make([]bool, len(runs))
	evidence := 0
	for i := 0; i < len(runs); i++ {
		ru := runs[i]
		// A word cut by a line-end hyphen: repair it joined, write it back
		// cut at the same place ("forteck-" + "ning" → "förteck-" + "ning").
		if i+1 < len(runs) && lineEndHyphen(s, ru, runs[i+1]) && (weak || hasStrongChar(ru.text+runs[i+1].text)) {
			nx := runs[i+1]
			if ocrLetters(ru.text) && ocrLetters(nx.text) {
				joined := ru.text + nx.text
				if fixed, ok := repairWord(v, joined, weak); ok {
					k := utf8.RuneCountInString(ru.text)
					if fr := []rune(fixed.to); len(fr) == utf8.RuneCountInString(joined) {
						l, rt := string(fr[:k]), string(fr[k:])
						if l != ru.text {
							reps = append(reps, replacement{ru.start, ru.end, l, record.Fix{From: ru.text, To: l, Kind: KindOCR, Confidence: fixed.conf, Line: ru.line}})
						}
						if rt != nx.text {
							reps = append(reps, replacement{nx.start, nx.end, rt, record.Fix{From: nx.text, To: rt, Kind: KindOCR, Confidence: fixed.conf, Line: nx.line}})
						}
						done[i], done[i+1] = true, true
						evidence++
						i++
						continue
					}
				} else if isKnown(v, joined, weak) {
					done[i], done[i+1] = true, true // a known word: neither half is damaged
					i++
					continue
				}
			}
		}
		// A word split by a hyphen inside the line (OCR joins lines so).
		if weak && ru.hyphenNext && i+1 < len(runs) && runs[i+1].start == ru.end+1 {
			nx := runs[i+1]
			if joined, conf, ok := joinInline(v, ru.text, nx.text); ok {
				from := s[ru.start:nx.end]
				reps = append(reps, replacement{ru.start, nx.end, joined, record.Fix{From: from, To: joined, Kind: KindHyphenation, Confidence: conf, Line: ru.line}})
				done[i], done[i+1] = true, true
				evidence++
				i++
				continue
			}
		}
		letters, digits, ocrDigits := classifyRun(ru.text)
		if letters == 0 {
			continue
		}
		if digits > 0 {
			if m := unitRe.FindStringSubmatch(ru.text); m != nil && weak {
				unitWord := timeUnits[m[2]]
				to := m[1] + " " + unitWord
				reps = append(reps, replacement{ru.start, ru.end, to, record.Fix{From: ru.text, To: to, Kind: KindOCR, Confidence: confUnitSplit, Line: ru.line}})
				done[i] = true
				evidence++
				continue
			}
			if !ocrDigits || !chunkOnlyOCRDigits(s, ru) {
				continue // an identifier
			}
		}
		if utf8.RuneCountInString(ru.text) < 2 || isAbbreviation(ru.text) {
			continue
		}
		if lw := strings.ToLower(ru.text); lw == "ar" || contextRules[lw].to != "" {
			continue // decided by its neighbours below
		}
		if !weak && !hasStrongChar(ru.text) {
			continue
		}
		if !weak && !swedish && utf8.RuneCountInString(ru.text) < 4 {
			continue // "né", "às": French or Portuguese, not damaged Swedish
		}
		fixed, ok := repairWord(v, ru.text, weak)
		if !ok {
			continue
		}
		reps = append(reps, replacement{ru.start, ru.end, fixed.to, record.Fix{From: ru.text, To: fixed.to, Kind: KindOCR, Confidence: fixed.conf, Line: ru.line}})
		done[i] = true
		evidence++
	}
	// Real words that OCR makes of more frequent ones ("for" for "för"):
	// only where the text shows damage elsewhere.
	if weak && (evidence >= 2 || (evidence >= 1 && len(runs) < 20)) {
		for i, ru := range runs {
			if done[i] {
				continue
			}
			to, ok := confusable(v, runs, i)
			if !ok {
				continue
			}
			reps = append(reps, replacement{ru.start, ru.end, to, record.Fix{From: ru.text, To: to, Kind: KindOCR, Confidence: confConfusable, Line: ru.line}})
		}
	}
	if len(reps) == 0 {
		return s, nil
	}
	sort.Slice(reps, func(i, j int) bool { return reps[i].start < reps[j].start })
	var b strings.Builder
	b.Grow(len(s) + 16)
	last := 0
	fixes := make([]record.Fix, 0, len(reps))
	for _, rp := range reps {
		b.WriteString(s[last:rp.start])
		b.WriteString(rp.text)
		last = rp.end
		fixes = append(fixes, rp.fix)
	}
	b.WriteString(s[last:])
	return b.String(), fixes
}

// ocrLetters reports whether w is letters and the characters OCR writes
// for å/ä/ö (&, 6, 0).
func ocrLetters(w string) bool {
	for _, c := range w {
		if !isLetter(c) && c != '&' && c != '6' && c != '0' {
			return false
		}
	}
	return w != ""
}

// lineEndHyphen reports whether run a ends its line with a hyphen and b
// begins the next line.
func lineEndHyphen(s string, a, b run) bool {
	if b.line != a.line+1 || a.end >= len(s) || s[a.end] != '-' {
		return false
	}
	between := s[a.end+1 : b.start]
	return strings.Count(between, "\n") == 1 && strings.TrimSpace(between) == ""
}

// chunkOnlyOCRDigits reports whether the chunk around ru has no digits
// outside ru: "6vervaka" is a word, "6a:2" is not.
func chunkOnlyOCRDigits(s string, ru run) bool {
	cs, ce := ru.start, ru.end
	for cs > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:cs])
		if isSpace(r) {
			break
		}
		cs -= n
	}
	for ce < len(s) {
		r, n := utf8.DecodeRuneInString(s[ce:])
		if isSpace(r) {
			break
		}
		ce += n
	}
	return !strings.ContainsAny(s[cs:ru.start]+s[ru.end:ce], "0123456789")
}

func hasStrongChar(w string) bool {
	for _, c := range w {
		if _, ok := strongConf[c]; ok {
			return true
		}
	}
	return false
}

// looksSwedish reports whether enough of the text's words are known Swedish
// words for the weak confusions to be safe (English text lacks å/ä/ö too).
func looksSwedish(v view, runs []run) bool {
	words, known, sv, en := 0, 0, 0, 0
	lowerLong := 0 // known lower-case words of five letters or more
	for _, ru := range runs {
		lw := strings.ToLower(ru.text)
		sv += b2i(swedishMarkers[lw])
		en += b2i(englishMarkers[lw] && !isAllUpper(ru.text)) // "IT" is an abbreviation
		if utf8.RuneCountInString(ru.text) < 2 || !isPlainWord(ru.text) {
			continue
		}
		words++
		if v.lookup(ru.text)&infoWord != 0 {
			known++
			if lw == ru.text && utf8.RuneCountInString(lw) >= 5 {
				lowerLong++
			}
		}
	}
	if en >= 2 && en > sv {
		return false
	}
	if words < 8 {
		// Too short to count: a Swedish function word, or known Swedish
		// words and no English one, must tell.
		return sv > 0 && sv >= en || en == 0 && lowerLong > 0 && known*2 >= words
	}
	return known*100 >= words*35
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Function words that tell Swedish from English text.
var (
	swedishMarkers = setOf("och", "att", "av", "med", "som", "den", "det", "till", "en", "ett", "inte", "om", "samt", "eller", "vid", "hos", "efter", "under", "har", "kan", "ska", "de", "sig", "ar", "är", "pa", "på", "för", "fran", "från", "eller", "enligt", "inom")
	englishMarkers = setOf("the", "and", "of", "is", "to", "at", "with", "on", "are", "be", "this", "that", "by", "from", "as", "it", "or", "was", "were", "which", "will", "have", "has", "not", "you", "your", "we", "our")
)

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// confusable returns the usual reading of a real word that OCR often makes
// of another: "for" → "för"; "ar" → "år" after a number, else "är".
func confusable(v view, runs []run, i int) (string, bool) {
	w := runs[i].text
	if isAbbreviation(w) {
		return "", false
	}
	lw := strings.ToLower(w)
	var to string
	if rule, ok := contextRules[lw]; ok {
		prev, prev2, next := neighbour(runs, i, -1), neighbour(runs, i, -2), neighbour(runs, i, 1)
		switch {
		case rule.prev[prev], rule.next[next] && rule.prev2 == nil,
			rule.prev2[prev2] && strings.HasSuffix(prev, "t"):
			if rule.next != nil && rule.prev != nil && !(rule.prev[prev] && rule.next[next]) {
				return "", false
			}
			return matchCase(w, rule.to), true
		}
		return "", false
	}
	if lw == "ar" {
		to = "är"
		if i > 0 && runs[i-1].line >= runs[i].line-1 {
			p := strings.ToLower(runs[i-1].text)
			if isDigits(p) || numberWords[p] {
				to = "år"
			}
		}
	} else if t, ok := v.lx.confusables[lw]; ok {
		to = t
	} else {
		// A real word outside the register and common vocabulary whose
		// å/ä/ö twin is in it: "stod" → "stöd", "rosta" → "rösta".
		if utf8.RuneCountInString(w) < 2 || !isPlainWord(w) || hasDiacritic(w) || v.lookup(w)&infoExtra != 0 {
			return "", false
		}
		if lw, ok := plainASCIIFold(w); ok && !hasFoldForms(v, lw) {
			// Its only folded spelling is lw, which no form with å/ä/ö
			// has: no twin (most words).
			return "", false
		}
		ws := &wordSearch{lx: v, units: splitUnits(w, true), segMemo: map[[2]int][]cand{}}
		var found []cand
		for _, c := range ws.segment(0, len(ws.units)) {
			if c.changes > 0 && c.in&infoWord != 0 && c.in&infoExtra != 0 && (v.lx.roots == 0 || v.lx.forms.lookup(strings.ToLower(c.text))&infoWord != 0) {
				found = append(found, c)
			}
		}
		if len(found) != 1 {
			return "", false
		}
		return found[0].text, true
	}
	return matchCase(w, to), true
}

// plainASCIIFold returns the folded spelling of w when w is ASCII letters
// other than d (whose options fold three ways, see optionsFor): the only
// folded spelling the word search tries, and one it can only turn into a
// different word through a form with å/ä/ö (foldForms).
func plainASCIIFold(w string) (string, bool) {
	for i := 0; i < len(w); i++ {
		if !letterByte[w[i]] || w[i] == 'd' {
			return "", false
		}
	}
	return strings.ToLower(w), true
}

// hasFoldForms reports whether some form with å/ä/ö has folded spelling f.
func hasFoldForms(v view, f string) bool {
	found := false
	v.foldForms(f, func(string) { found = true })
	return found
}

// contextRule reads a real word as its å/ä/ö twin only beside given
// words (lower case, damaged spellings included): "av var" → "av vår", "ett
// lagligt satt" → "ett lagligt sätt". When both prev and next are given,
// both must match; prev2 (with a prev ending in t) is the word before an
// adjective.
type contextRule struct {
	to                string
	prev, prev2, next map[string]bool
}

var prepositions = []string{"i", "av", "på", "pa", "till", "från", "fran", "med", "för", "for", "genom", "hos", "via", "inom", "under"}

var contextRules = map[string]contextRule{
	"var":  {to: "vår", prev: setOf(prepositions...)},
	"vara": {to: "våra", prev: setOf(append([]string{"använder", "anvander", "alla"}, prepositions...)...)},
	"satt": {to: "sätt", prev: setOf("ett", "samma", "vilket", "annat", "detta", "pa", "på"), prev2: setOf("ett", "pa", "på", "samma", "detta", "vilket")},
	"har":  {to: "här", prev: setOf("så", "sa"), next: setOf("gör", "gor", "ser", "fungerar")},
}

// neighbour returns the lower-cased run at offset d from i, or "".
func neighbour(runs []run, i, d int) string {
	if j := i + d; j >= 0 && j < len(runs) {
		return strings.ToLower(runs[j].text)
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// matchCase writes to in the casing of w (lower, Capitalised or UPPER).
func matchCase(w, to string) string {
	switch {
	case isAllUpper(w):
		return strings.ToUpper(to)
	case w != "" && unicode.IsUpper([]rune(w)[0]):
		return capitalize(to)
	}
	return to
}

// isAbbreviation reports whether w is a short upper-case word ("SA", "OSL",
// "GDPR"), which repair leaves alone.
func isAbbreviation(w string) bool {
	return isAllUpper(w) && utf8.RuneCountInString(w) <= 4 && !hasStrongChar(w)
}
