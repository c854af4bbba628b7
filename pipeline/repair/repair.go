// Package repair is the text-repair stage of registerlyft: it decodes a
// file's bytes to UTF-8 text (Decode) and repairs broken Swedish letters
// (Text): mojibake (UTF-8 read as Windows-1252 or Latin-1, once or more:
// "fÃ¶r" → "för"; as Mac Roman "f√∂r", CP850 "f├Âr", CP437 "f├╢r"; a DOS
// or Mac file read as Windows-1252 "f”r" and the reverse "f÷r"; see
// mojibake.go and codepage.go) and OCR damage to å/ä/ö ("fértroendevalda" → "förtroendevalda",
// "drenden" → "ärenden", "6vervaka" → "övervaka", "Andamal" → "Ändamål"),
// and joins words split by a line-end hyphen (JoinHyphen). A change whose
// confidence is below ApplyThreshold is not made but reported (its Fix has
// Applied=false).
//
// The first rule is never to damage correct text. Every change is a
// candidate that the lexicon knows while the written word is unknown; the
// weak confusions (a → ä/å, o → ö, d → ä/ö, and real words such as "for" →
// "för") are only tried in text that lacks å/ä/ö as damaged Swedish does,
// and clean text goes through a single scan with no lookups.
//
// The lexicon is Hunspell's sv_SE dictionary (Debian package hunspell-sv,
// LGPL-3; read at run time from /usr/share/hunspell, never embedded), plus
// register vocabulary (registerförteckning: the GDPR art. 30 register) and
// common words embedded from data/. Without hunspell-sv the package still
// works with the embedded lists alone; LexiconSource says which is in use.
package repair

import (
	"strings"
	"sync"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Fix kinds.
const (
	KindMojibake    = "mojibake"
	KindOCR         = "ocr"
	KindHyphenation = "hyphenation"
)

// Repairer repairs text. It is safe for concurrent use.
type Repairer struct {
	lx *lexicon

	mu        sync.RWMutex
	learned   map[string]bool     // lower-case words with å/ä/ö
	learnFold map[string][]string // folded spelling → learned words
}

// New returns a Repairer. The lexicon is loaded once per process, on the
// first call.
func New() *Repairer {
	return &Repairer{lx: sharedLexicon(), learned: map[string]bool{}, learnFold: map[string][]string{}}
}

// Learn adds the words of text that carry å/ä/ö to this Repairer's lexicon:
// a batch's undamaged documents teach it names and terms the dictionaries
// lack ("Sundbybergs", "Lifecare"). Only words with å/ä/ö are taken, since a
// word without them may be a damaged form that would then pass as known.
func (r *Repairer) Learn(text string) {
	var add []string
	forEachWord(text, func(w string) {
		if len([]rune(w)) >= 3 && hasDiacritic(w) && isPlainWord(w) {
			add = append(add, strings.ToLower(w))
		}
	})
	if len(add) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, w := range add {
		if r.learned[w] {
			continue
		}
		r.learned[w] = true
		f := fold(w)
		r.learnFold[f] = append(r.learnFold[f], w)
	}
}

// forEachWord calls fn for each maximal run of letters in text.
func forEachWord(text string, fn func(string)) {
	start := -1
	for i, c := range text {
		if isLetter(c) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		fn(text[start:])
	}
}

// isPlainWord reports whether w is letters only, with no OCR-suspect letter
// (é, è, à, á).
func isPlainWord(w string) bool {
	for _, c := range w {
		if !isLetter(c) || strings.ContainsRune("éèàáÉÈÀÁ", c) {
			return false
		}
	}
	return true
}

// view is the lexicon as one Text call sees it: the shared lexicon plus the
// Repairer's learned words (read-locked for the call). With a memo, lookup
// remembers its answers: the word pass asks about each word several times
// (looksSwedish, repairWord, confusable), and a text repeats its words.
type view struct {
	lx   *lexicon
	r    *Repairer
	memo map[string]info // lookup's answers; nil: none kept
}

func (v view) lookupExact(w string) info {
	in := v.lx.lookupExact(w)
	if v.r != nil && v.r.learned[w] {
		in |= infoWord | infoEnd | infoExtra
	}
	return in
}

func (v view) lookup(w string) info {
	if in, ok := v.memo[w]; ok {
		return in
	}
	in := v.lx.lookup(w)
	if v.r != nil {
		if lw := strings.ToLower(w); v.r.learned[lw] {
			in |= infoWord | infoEnd | infoExtra
		}
	}
	if v.memo != nil {
		v.memo[w] = in
	}
	return in
}

func (v view) foldForms(f string, fn func(string)) {
	v.lx.foldForms(f, fn)
	if v.r != nil {
		for _, w := range v.r.learnFold[f] {
			fn(w)
		}
	}
}

// Text repairs s and returns the repaired text with one Fix per change. It is
// idempotent, and text that needs no repair comes back byte-identical with no
// fixes. E-mail addresses, URLs and identifiers (letters mixed with digits,
// "AFS 1993:2") are never touched, except a number glued to a time unit as
// OCR does it: "2ar" → "2 år".
func (r *Repairer) Text(s string) (string, []record.Fix) {
	st := scanText(s)
	if st.clean() {
		return s, nil // fast path: clean text
	}
	var fixes []record.Fix
	r.mu.RLock()
	defer r.mu.RUnlock()
	v := view{lx: r.lx, r: r}
	if st.mojibake > 0 {
		s, fixes, st = repairMojibake(v, s, st)
	}
	if st.mojibake > 0 || st.codePage > 0 {
		var fx []record.Fix
		if s, fx = repairCodePageWords(v, s); len(fx) > 0 {
			fixes = append(fixes, fx...)
			st = scanText(s)
		}
	}
	if st.strong == 0 && !st.weak() {
		return s, fixes
	}
	out, ocr := repairWords(v, s, st)
	return out, append(fixes, ocr...)
}

// forEachChunk calls fn with the byte range of each run of non-space
// characters.
func forEachChunk(s string, fn func(start, end int)) {
	start := -1
	for i, c := range s {
		if isSpace(c) {
			if start >= 0 {
				fn(start, i)
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		fn(start, len(s))
	}
}
