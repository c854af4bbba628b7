package repair

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// info describes what a word form may be used as.
type info uint8

const (
	infoWord      info = 1 << iota // a word on its own
	infoBegin                      // first part of a compound
	infoMiddle                     // middle part of a compound
	infoEnd                        // last part of a compound
	infoForbidden                  // listed as forbidden: never accept
	infoExtra                      // from the domain, common or learned list
)

const infoAnyPart = infoBegin | infoMiddle | infoEnd

//go:embed data/*.txt
var dataFS embed.FS

// HunspellDirEnv names the environment variable that overrides where the
// sv_SE Hunspell dictionary (sv_SE.dic, sv_SE.aff) is read from.
const HunspellDirEnv = "REGISTERLYFT_HUNSPELL_DIR"

// hunspellDirs are searched in order when HunspellDirEnv is not set.
var hunspellDirs = []string{"/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell"}

// lexicon is the word list the repair stage checks candidates against. It is
// immutable once loaded and shared by all Repairers.
type lexicon struct {
	forms formStore // every form, sorted: exact lookup
	fold  foldIndex // forms with å/ä/ö by folded spelling

	extra     map[string]info     // domain and common words (lower case) and their inflections
	extraFold map[string][]string // folded spelling → extra forms with å/ä/ö

	confusables map[string]string // real word that OCR often makes of another → its usual reading

	source string
	roots  int
}

var (
	lexOnce sync.Once
	lexVal  *lexicon
)

// sharedLexicon loads the lexicon once per process.
func sharedLexicon() *lexicon {
	lexOnce.Do(func() { lexVal = loadLexicon() })
	return lexVal
}

// LexiconSource says which word lists the repair lexicon was built from, e.g.
// "hunspell sv_SE (/usr/share/hunspell, 152173 roots, 1.2M forms) + embedded
// domain/common lists (2345 forms)". When hunspell-sv is missing it starts
// with "embedded only" and names what was looked for: OCR repair then only
// knows the embedded register vocabulary and common words.
func LexiconSource() string { return sharedLexicon().source }

// HunspellAvailable reports whether the Hunspell sv_SE dictionary was found
// and loaded.
func HunspellAvailable() bool { return sharedLexicon().roots > 0 }

func loadLexicon() *lexicon {
	lx := &lexicon{extra: map[string]info{}, extraFold: map[string][]string{}}
	lx.loadExtra()
	dir, err := lx.loadHunspell()
	extraNote := fmt.Sprintf("embedded domain/common lists (%d forms)", len(lx.extra))
	if err != nil {
		lx.source = "embedded only: " + extraNote + "; hunspell sv_SE not loaded: " + err.Error()
	} else {
		lx.source = fmt.Sprintf("hunspell sv_SE (%s, %d roots, %d forms) + %s", dir, lx.roots, lx.forms.len(), extraNote)
	}
	return lx
}

func (lx *lexicon) loadHunspell() (string, error) {
	dirs := hunspellDirs
	if d := os.Getenv(HunspellDirEnv); d != "" {
		dirs = []string{d}
	}
	var tried []string
	for _, d := range dirs {
		affPath := filepath.Join(d, "sv_SE.aff")
		dicPath := filepath.Join(d, "sv_SE.dic")
		affB, err1 := os.ReadFile(affPath)
		dicB, err2 := os.ReadFile(dicPath)
		if err1 != nil || err2 != nil {
			tried = append(tried, d)
			continue
		}
		aff, err := parseAffix(bytes.NewReader(affB))
		if err != nil {
			return "", fmt.Errorf("%s: %w", affPath, err)
		}
		var b formBuilder
		roots, err := expandDic(bytes.NewReader(dicB), aff, b.add)
		if err != nil {
			return "", fmt.Errorf("%s: %w", dicPath, err)
		}
		lx.forms, lx.fold = b.build()
		lx.roots = roots
		return d, nil
	}
	return "", fmt.Errorf("sv_SE.dic/.aff not found in %s (install hunspell-sv or set %s)", strings.Join(tried, ", "), HunspellDirEnv)
}

// genericSuffixes inflect the embedded domain and common words, which carry
// no Hunspell flags. Over-generation is harmless here: a form is only ever
// used to accept a repair candidate that differs from the damaged text in
// å/ä/ö alone.
var genericSuffixes = []string{
	"s", "n", "ns", "t", "ts", "r", "rs", "rna", "rnas", "na", "nas", "a", "e",
	"en", "ens", "et", "ets", "er", "ers", "erna", "ernas", "ar", "ars", "arna",
	"arnas", "or", "ors", "orna", "ornas", "de", "des", "te", "des",
}

func (lx *lexicon) addExtra(w string, in info) {
	w = strings.ToLower(w)
	lx.extra[w] |= in | infoExtra
	if hasDiacritic(w) {
		f := fold(w)
		for _, x := range lx.extraFold[f] {
			if x == w {
				return
			}
		}
		lx.extraFold[f] = append(lx.extraFold[f], w)
	}
}

func (lx *lexicon) loadExtra() {
	// Domain words may be compound parts; common words (och, än, så, ...)
	// are words on their own only.
	for _, list := range []struct {
		name  string
		parts bool
	}{{"data/domain.txt", true}, {"data/common.txt", false}} {
		b, err := dataFS.ReadFile(list.name)
		if err != nil {
			continue // cannot happen with go:embed; keep going without it
		}
		forEachDataLine(b, func(f []string) {
			w := f[0]
			if !list.parts {
				lx.addExtra(w, infoWord)
				if len(f) == 1 || f[1] != "=" {
					for _, s := range genericSuffixes {
						lx.addExtra(w+s, infoWord)
					}
				}
				return
			}
			lx.addExtra(w, infoWord|infoAnyPart)
			lx.addExtra(w+"s", infoBegin|infoMiddle)
			if len(f) > 1 && f[1] == "=" {
				return // "word =": no inflection
			}
			for _, s := range genericSuffixes {
				lx.addExtra(w+s, infoWord|infoEnd)
			}
		})
	}
	lx.confusables = map[string]string{}
	if b, err := dataFS.ReadFile("data/confusables.txt"); err == nil {
		forEachDataLine(b, func(f []string) {
			if len(f) >= 2 {
				lx.confusables[f[0]] = f[1]
			}
		})
	}
}

// forEachDataLine calls fn with the fields of each non-comment line.
func forEachDataLine(b []byte, fn func([]string)) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		ln := sc.Text()
		if i := strings.IndexByte(ln, '#'); i >= 0 {
			ln = ln[:i]
		}
		if f := strings.Fields(ln); len(f) > 0 {
			fn(f)
		}
	}
}

// lookupExact returns what w is, exactly as spelled (case included).
func (lx *lexicon) lookupExact(w string) info {
	in := lx.forms.lookup(w)
	if x, ok := lx.extra[w]; ok {
		in |= x
	}
	if in&infoForbidden != 0 {
		return infoForbidden
	}
	return in
}

// lookup returns what w is, trying the lower-case spelling for capitalised
// or upper-case words (a lower-case w never matches a proper noun).
func (lx *lexicon) lookup(w string) info {
	in := lx.lookupExact(w)
	if lw := strings.ToLower(w); lw != w {
		in |= lx.lookupExact(lw)
		if isAllUpper(w) {
			in |= lx.lookupExact(capitalize(lw))
		}
	}
	return in &^ infoForbidden
}

// foldForms calls fn for each form whose folded spelling is f (lower case,
// å/ä → a, ö → o) and that contains å/ä/ö.
func (lx *lexicon) foldForms(f string, fn func(form string)) {
	lx.fold.each(&lx.forms, f, fn)
	for _, x := range lx.extraFold[f] {
		fn(x)
	}
}

// fold lower-cases s and maps å, ä → a and ö → o.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func foldRune(r rune) rune {
	switch r {
	case 'å', 'ä', 'Å', 'Ä':
		return 'a'
	case 'ö', 'Ö':
		return 'o'
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

func hasDiacritic(s string) bool { return strings.ContainsAny(s, "åäöÅÄÖ") }

func isAllUpper(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n > 1
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// formStore is a sorted, packed list of word forms with their info; it
// holds no pointers, so a million forms cost the garbage collector nothing.
type formStore struct {
	blob  []byte
	off   []uint32 // len = n+1
	info  []info
	start prefixStarts
}

func (s *formStore) len() int { return len(s.info) }

func (s *formStore) at(i int) []byte { return s.blob[s.off[i]:s.off[i+1]] }

func (s *formStore) find(w string) (int, bool) {
	lo, hi := s.start.bounds(w, s.len())
	i := lo + sort.Search(hi-lo, func(i int) bool { return string(s.at(lo+i)) >= w })
	return i, i < hi && string(s.at(i)) == w
}

// prefixStarts narrows a binary search over sorted keys to the keys that
// share the first two bytes of the key sought (a missing byte counts as 0,
// which keeps the order): a lookup among sv_SE's 800,000 forms then makes
// about 12 comparisons instead of 20. Entry k is the index of the first key
// whose prefix is k or more; the last entry is the number of keys. Nil: no
// narrowing.
type prefixStarts []uint32

func prefix2(s string) int {
	switch len(s) {
	case 0:
		return 0
	case 1:
		return int(s[0]) << 8
	}
	return int(s[0])<<8 | int(s[1])
}

// makePrefixStarts indexes n sorted keys.
func makePrefixStarts(n int, key func(int) []byte) prefixStarts {
	st := make(prefixStarts, 1<<16+1)
	k := 0
	for i := 0; i < n; i++ {
		for p := prefix2(string(key(i))); k <= p; k++ {
			st[k] = uint32(i)
		}
	}
	for ; k < len(st); k++ {
		st[k] = uint32(n)
	}
	return st
}

// bounds returns the range of the n keys that may equal w.
func (st prefixStarts) bounds(w string, n int) (int, int) {
	if st == nil {
		return 0, n
	}
	p := prefix2(w)
	return int(st[p]), int(st[p+1])
}

func (s *formStore) lookup(w string) info {
	if i, ok := s.find(w); ok {
		return s.info[i]
	}
	return 0
}

// foldIndex lists the forms with å/ä/ö sorted by folded spelling.
type foldIndex struct {
	blob  []byte // folded spellings
	off   []uint32
	form  []uint32 // index into formStore
	start prefixStarts
}

func (x *foldIndex) key(i int) []byte { return x.blob[x.off[i]:x.off[i+1]] }

func (x *foldIndex) each(s *formStore, f string, fn func(string)) {
	lo, hi := x.start.bounds(f, len(x.form))
	i := lo + sort.Search(hi-lo, func(i int) bool { return string(x.key(lo+i)) >= f })
	for ; i < hi && string(x.key(i)) == f; i++ {
		fn(string(s.at(int(x.form[i]))))
	}
}

// formBuilder collects forms during expansion.
type formBuilder struct {
	forms []string
	infos []info
}

func (b *formBuilder) add(form string, in info) {
	if !strings.ContainsFunc(form, unicode.IsLetter) {
		return
	}
	b.forms = append(b.forms, form)
	b.infos = append(b.infos, in)
}

func (b *formBuilder) build() (formStore, foldIndex) {
	idx := make([]int32, len(b.forms))
	for i := range idx {
		idx[i] = int32(i)
	}
	sort.Slice(idx, func(i, j int) bool { return b.forms[idx[i]] < b.forms[idx[j]] })
	var s formStore
	size := 0
	for _, f := range b.forms {
		size += len(f)
	}
	s.blob = make([]byte, 0, size)
	s.off = append(s.off, 0)
	type fe struct {
		fold string
		i    uint32
	}
	var folds []fe
	prev := ""
	for k, i := range idx {
		f, in := b.forms[i], b.infos[i]
		if k > 0 && f == prev {
			last := len(s.info) - 1
			if in&infoForbidden != 0 || s.info[last]&infoForbidden != 0 {
				s.info[last] = infoForbidden
			} else {
				s.info[last] |= in
			}
			continue
		}
		prev = f
		s.blob = append(s.blob, f...)
		s.off = append(s.off, uint32(len(s.blob)))
		s.info = append(s.info, in)
		if hasDiacritic(f) {
			folds = append(folds, fe{fold(f), uint32(len(s.info) - 1)})
		}
	}
	b.forms, b.infos = nil, nil
	sort.Slice(folds, func(i, j int) bool { return folds[i].fold < folds[j].fold })
	var x foldIndex
	x.off = append(x.off, 0)
	for _, e := range folds {
		x.blob = append(x.blob, e.fold...)
		x.off = append(x.off, uint32(len(x.blob)))
		x.form = append(x.form, e.i)
	}
	s.blob = s.blob[:len(s.blob):len(s.blob)]
	s.start = makePrefixStarts(s.len(), s.at)
	x.start = makePrefixStarts(len(x.form), x.key)
	return s, x
}
