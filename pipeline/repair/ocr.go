package repair

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// OCR repair of å/ä/ö, one word at a time.
//
// A damaged word is cut into units: characters (or two-character sequences)
// that OCR is known to make of å/ä/ö, and plain characters. Each unit has
// options, written in folded space (lower case, å/ä → a, ö → o) together
// with the real characters each folded character may stand for:
//
//	a → a|ä|å    o → o|ö    d → d, or a (ä), or o (ö)    é → é, a (ä), o (ö)
//	& → a (ä), o (ö)    6, 0 → o (ö)    éa, é& → a (ä)    oé → o (ö)
//
// The folded spellings of a word are few (only d, é, &, ... branch), and
// each is looked up in the lexicon's fold index, which lists every form with
// å/ä/ö under its folded spelling; a form is a candidate when each of its
// characters is one the unit allows. A whole-word candidate beats a
// compound of known parts (found by dynamic programming over the units,
// with Hunspell's compound flags, or, leniently, any known words of four or
// more letters with an optional linking s).

// fopt is one option of a unit in folded space: fold is what it contributes
// to the folded spelling, allowed[i] the real (lower-case) characters that
// fold[i] may stand for.
type fopt struct {
	fold    []rune
	allowed []string
	changed bool // the option differs from the unit as written
}

type unit struct {
	src  []rune // the characters as written
	opts []fopt
	// strong: the unit is a character that correct Swedish words rarely
	// have (é, &, digits inside a word), so it is evidence of damage.
	strong bool
}

// single-character confusions: written character → real characters it may
// stand for (besides itself, where itself is a letter).
var weakConf = map[rune]string{
	'a': "äå", 'o': "ö", 'd': "äö",
	'A': "ÄÅ", 'O': "Ö",
}

var strongConf = map[rune]string{
	'é': "äö", 'É': "ÄÖ", 'è': "ä", 'È': "Ä", 'à': "åä", 'À': "ÅÄ", 'á': "åä", 'Á': "ÅÄ",
	'&': "äö", '6': "ö", '0': "ö",
}

// two-character confusions: written pair → one real character.
var pairConf = map[string]rune{
	"éa": 'ä', "é&": 'ä', "oé": 'ö', "Oé": 'Ö', "ÉA": 'Ä', "OÉ": 'Ö', "Éa": 'Ä',
}

// unitOpts is optionsFor's answer for one character.
type unitOpts struct {
	opts   []fopt
	strong bool
}

// optsLimit bounds the characters whose options are computed once, at
// start-up: every word repair asks them for each of its characters.
const optsLimit = 0x250

// knownOpts holds optionsFor's answers below optsLimit, [0] for weak=false
// and [1] for weak=true. They are shared: nothing may change them.
var knownOpts = func() (t [2][optsLimit]unitOpts) {
	for w := range t {
		for r := range t[w] {
			opts, strong := computeOptions(rune(r), w == 1)
			t[w][r] = unitOpts{opts, strong}
		}
	}
	return
}()

// optionsFor returns the options of one written character. The options
// are shared: the caller must not change them.
func optionsFor(r rune, weak bool) (opts []fopt, strong bool) {
	if r >= 0 && r < optsLimit {
		u := &knownOpts[b2i(weak)][r]
		return u.opts, u.strong
	}
	return computeOptions(r, weak)
}

// computeOptions computes optionsFor.
func computeOptions(r rune, weak bool) (opts []fopt, strong bool) {
	lr := unicode.ToLower(r)
	keep := unicode.IsLetter(r)
	alts := ""
	if s, ok := strongConf[r]; ok {
		alts, strong = s, true
	} else if s, ok := weakConf[r]; ok && weak {
		alts = s
	}
	// Group the real characters by folded spelling.
	type group struct {
		fold    rune
		allowed string
		changed bool
	}
	var groups []group
	addReal := func(real rune, changed bool) {
		lreal := unicode.ToLower(real)
		f := foldRune(lreal)
		for i := range groups {
			if groups[i].fold == f {
				groups[i].allowed += string(lreal)
				groups[i].changed = groups[i].changed && changed
				return
			}
		}
		groups = append(groups, group{f, string(lreal), changed})
	}
	if keep {
		addReal(lr, false)
	}
	for _, a := range alts {
		addReal(a, true)
	}
	for _, g := range groups {
		opts = append(opts, fopt{fold: []rune{g.fold}, allowed: []string{g.allowed}, changed: g.changed})
	}
	return opts, strong
}

// splitUnits cuts a word into units. weak allows the a/o/d confusions.
func splitUnits(word string, weak bool) []unit {
	rs := []rune(word)
	var us []unit
	for i := 0; i < len(rs); i++ {
		if i+1 < len(rs) {
			if real, ok := pairConf[string(rs[i:i+2])]; ok {
				u := unit{src: rs[i : i+2], strong: true}
				lreal := unicode.ToLower(real)
				u.opts = append(u.opts, fopt{fold: []rune{foldRune(lreal)}, allowed: []string{string(lreal)}, changed: true})
				// ... or the two characters read one by one.
				o1, _ := optionsFor(rs[i], weak)
				o2, _ := optionsFor(rs[i+1], weak)
				for _, a := range o1 {
					for _, b := range o2 {
						u.opts = append(u.opts, fopt{
							fold:    append(append([]rune{}, a.fold...), b.fold...),
							allowed: append(append([]string{}, a.allowed...), b.allowed...),
							changed: a.changed || b.changed,
						})
					}
				}
				us = append(us, u)
				i++
				continue
			}
		}
		opts, strong := optionsFor(rs[i], weak)
		us = append(us, unit{src: rs[i : i+1], opts: opts, strong: strong})
	}
	return us
}

// cand is a repair candidate for a run of units.
type cand struct {
	text    string // with the casing of the written word
	in      info
	changes int
}

// maxWordLen bounds the words repair looks at; longer runs of letters are
// not words (the longest compounds in registers have about 35 letters).
const maxWordLen = 48

// maxPartLen bounds one compound part.
const maxPartLen = 30

// maxFoldCombos bounds the folded spellings tried for one segment.
const maxFoldCombos = 256

// wordSearch finds candidates for one word.
type wordSearch struct {
	lx      lookuper
	units   []unit
	segMemo map[[2]int][]cand
}

// lookuper is what the search needs from the lexicon (plus learned words).
type lookuper interface {
	lookup(w string) info
	lookupExact(w string) info
	foldForms(f string, fn func(form string))
}

// segment returns the candidates (known forms, any info) for units[i:j].
func (ws *wordSearch) segment(i, j int) []cand {
	key := [2]int{i, j}
	if c, ok := ws.segMemo[key]; ok {
		return c
	}
	var out []cand
	combos := 1
	for _, u := range ws.units[i:j] {
		combos *= len(u.opts)
		if combos > maxFoldCombos || len(u.opts) == 0 {
			ws.segMemo[key] = nil
			return nil
		}
	}
	var src []rune // written character for each folded position
	var allowed []string
	var fold []rune
	changes := 0
	seen := map[string]bool{}
	var rec func(k int)
	rec = func(k int) {
		if k == j {
			f := string(fold)
			try := func(form string) {
				if seen[form] {
					return
				}
				text, ok := matchForm(form, src, allowed)
				if !ok {
					return
				}
				in := ws.lx.lookupExact(form)
				if in == 0 || in&infoForbidden != 0 {
					return
				}
				seen[form] = true
				out = append(out, cand{text: text, in: in, changes: changes + countChanges(text, src)})
			}
			try(f)
			if i == 0 && len(src) > 0 && unicode.IsUpper(src[0]) {
				try(capitalize(f))
			}
			ws.lx.foldForms(f, try)
			return
		}
		u := ws.units[k]
		for _, o := range u.opts {
			n := len(fold)
			fold = append(fold, o.fold...)
			allowed = append(allowed, o.allowed...)
			// Source characters: one per folded character; a pair read
			// as one character maps to its first written character.
			if len(o.fold) == len(u.src) {
				src = append(src, u.src...)
			} else {
				src = append(src, u.src[0])
			}
			extra := 0
			if len(o.fold) != len(u.src) {
				extra = 1 // a pair collapsed to one character
			}
			changes += extra
			rec(k + 1)
			changes -= extra
			fold, allowed, src = fold[:n], allowed[:n], src[:n]
		}
	}
	rec(i)
	ws.segMemo[key] = out
	return out
}

// matchForm checks that form fits the allowed characters position by
// position, and returns it in the casing of the written characters.
func matchForm(form string, src []rune, allowed []string) (string, bool) {
	if utf8.RuneCountInString(form) != len(allowed) {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(form) + 4)
	k := 0
	for _, r := range form {
		lr := unicode.ToLower(r)
		if !strings.ContainsRune(allowed[k], lr) {
			return "", false
		}
		s := src[k]
		switch {
		case unicode.IsUpper(r) && !unicode.IsUpper(s) && unicode.IsLetter(s):
			return "", false // a proper noun written in lower case
		case unicode.IsUpper(s):
			b.WriteRune(unicode.ToUpper(lr))
		default:
			b.WriteRune(r)
		}
		k++
	}
	return b.String(), true
}

// countChanges counts positions where text differs from the written
// characters.
func countChanges(text string, src []rune) int {
	n, k := 0, 0
	for _, r := range text {
		if k < len(src) && r != src[k] {
			n++
		}
		k++
	}
	return n
}

// Confidence of a repair by how it was found.
const (
	confWord         = 0.9  // the candidate is a known word
	confCompound     = 0.75 // it splits into parts that Hunspell allows in compounds
	confLenient      = 0.6  // it splits into known words (with a linking s)
	confConfusable   = 0.6  // a real word read as its usual damaged neighbour
	confUnitSplit    = 0.85 // "2ar" → "2 år"
	confHyphenJoin   = 0.8
	confMojibake     = 0.95
	confMojibakeSoft = 0.8 // a fix that needed evidence elsewhere in the text
	confMojibakeLone = 0.5 // the only mojibake in text that has other non-ASCII characters, giving an unknown word
)

// ApplyThreshold is the confidence below which a change is not made but
// reported: its Fix has Applied set to false, so a person can look.
const ApplyThreshold = 0.6

// compoundResult is the best split of a word into compound parts.
type compoundResult struct {
	text    string
	parts   int
	changes int
	strict  bool
	ok      bool
}

func better(a, b compoundResult) bool {
	if !b.ok {
		return a.ok
	}
	if !a.ok {
		return false
	}
	if a.strict != b.strict {
		return a.strict
	}
	if a.parts != b.parts {
		return a.parts < b.parts
	}
	return a.changes < b.changes
}

// compound finds the best compound reading of units[0:n]. identity limits
// the search to the word as written. lenient also accepts parts that are
// words of three or more letters, with or without a linking s; parts of four letters or more.
func (ws *wordSearch) compound(identity, lenient bool) compoundResult {
	n := len(ws.units)
	type key struct {
		i     int
		first bool
	}
	memo := map[key]compoundResult{}
	var best func(i int, first bool) compoundResult
	best = func(i int, first bool) compoundResult {
		k := key{i, first}
		if r, ok := memo[k]; ok {
			return r
		}
		var res compoundResult
		for j := i + 2; j <= n && j-i <= maxPartLen; j++ {
			if first && j == n {
				break // a compound has at least two parts
			}
			for _, c := range ws.segment(i, j) {
				if identity && c.changes > 0 {
					continue
				}
				partLen := utf8.RuneCountInString(c.text)
				strict, loose := false, false
				if j == n {
					strict = c.in&infoEnd != 0
					loose = lenient && c.in&infoWord != 0 && partLen >= 4
				} else {
					if first {
						strict = c.in&infoBegin != 0
					} else {
						strict = c.in&infoMiddle != 0
					}
					loose = lenient && c.in&(infoWord|infoBegin|infoMiddle) != 0 && partLen >= 4
				}
				if !strict && !loose {
					continue
				}
				var r compoundResult
				if j == n {
					r = compoundResult{text: c.text, parts: 1, changes: c.changes, strict: strict, ok: true}
				} else {
					rest := best(j, false)
					if !rest.ok {
						// A linking s after a loose part: "förslag" + "s" + "lämnaren".
						if lenient && j < n && (ws.units[j].src[0] == 's') && j+1 < n {
							rest2 := best(j+1, false)
							if rest2.ok {
								r = compoundResult{text: c.text + "s" + rest2.text, parts: 1 + rest2.parts, changes: c.changes + rest2.changes, strict: false, ok: true}
							}
						}
						if better(r, res) {
							res = r
						}
						continue
					}
					r = compoundResult{text: c.text + rest.text, parts: 1 + rest.parts, changes: c.changes + rest.changes, strict: strict && rest.strict, ok: true}
				}
				if better(r, res) {
					res = r
				}
			}
		}
		memo[k] = res
		return res
	}
	return best(0, true)
}

// wordRepair is the outcome for one word.
type wordRepair struct {
	to     string
	conf   float64
	strong bool // the word held a strong damage unit
}

// repairWord proposes a repair for one word (letters, possibly with é, &,
// 6, 0 inside). weak allows the a/o/d confusions and lenient compounds.
// It returns ok=false when the word is known or no candidate is clearly
// best.
func repairWord(lx lookuper, word string, weak bool) (wordRepair, bool) {
	if utf8.RuneCountInString(word) > maxWordLen || lx.lookup(word)&infoWord != 0 {
		return wordRepair{}, false
	}
	units := splitUnits(word, weak)
	strong := false
	branches := false
	for _, u := range units {
		strong = strong || u.strong
		for _, o := range u.opts {
			if o.changed || len(u.opts) > 1 {
				branches = true
			}
			for _, a := range o.allowed {
				if utf8.RuneCountInString(a) > 1 {
					branches = true
				}
			}
		}
	}
	if !branches {
		return wordRepair{}, false
	}
	ws := &wordSearch{lx: lx, units: units, segMemo: map[[2]int][]cand{}}
	// 1. Whole words.
	var best []cand
	for _, c := range ws.segment(0, len(units)) {
		if c.in&infoWord == 0 || c.changes == 0 {
			continue
		}
		switch {
		case len(best) == 0 || c.changes < best[0].changes:
			best = []cand{c}
		case c.changes == best[0].changes:
			best = append(best, c)
		}
	}
	if len(best) > 1 {
		// Prefer the register vocabulary and learned words.
		var ex []cand
		for _, c := range best {
			if c.in&infoExtra != 0 {
				ex = append(ex, c)
			}
		}
		if len(ex) == 1 {
			best = ex
		}
	}
	if len(best) == 1 {
		return wordRepair{to: best[0].text, conf: confWord, strong: strong}, true
	}
	if len(best) > 1 {
		return wordRepair{}, false // ambiguous: leave it
	}
	// 2. Compounds. A word that is already a compound as written stays.
	if ws.compound(true, false).ok {
		return wordRepair{}, false
	}
	if r := ws.compound(false, false); r.ok && r.changes > 0 {
		return wordRepair{to: r.text, conf: confCompound, strong: strong}, true
	}
	if !weak || !lenientOK(lx) {
		return wordRepair{}, false
	}
	if ws.compound(true, true).ok {
		return wordRepair{}, false
	}
	if r := ws.compound(false, true); r.ok && r.changes > 0 {
		return wordRepair{to: r.text, conf: confLenient, strong: strong}, true
	}
	return wordRepair{}, false
}

// isKnown reports whether a word is a known word or a compound of known
// parts as written.
func isKnown(lx lookuper, word string, lenient bool) bool {
	if lx.lookup(word)&infoWord != 0 {
		return true
	}
	ws := &wordSearch{lx: lx, units: splitUnits(word, false), segMemo: map[[2]int][]cand{}}
	if len(ws.units) > maxWordLen {
		return false
	}
	return ws.compound(true, lenient).ok
}

// lenientOK reports whether lenient compounds may be tried: only with the
// full Hunspell lexicon; the small embedded lists leave too many real words
// unknown, which would then pass for damaged ones.
func lenientOK(lx lookuper) bool {
	v, ok := lx.(view)
	return ok && v.lx.roots > 0
}
