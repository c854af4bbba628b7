package repair

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// ocrPages are the pages generate.py rendered and ran through `tesseract -l eng`.
var ocrPages = []string{"register-3col", "seed003-3col", "seed004-2col"}

// ocrWords splits OCR text into words, joining a word cut by a line-end
// hyphen ("förteck-" + "ning") so that it compares with the clean word.
func ocrWords(s string) []string {
	var out []string
	lines := strings.Split(s, "\n")
	carry := ""
	for _, l := range lines {
		f := strings.Fields(l)
		for i, w := range f {
			w = strings.TrimFunc(w, func(r rune) bool { return !isRunChar(r) })
			if carry != "" {
				w = carry + w
				carry = ""
			}
			if i == len(f)-1 && strings.HasSuffix(strings.TrimSpace(l), "-") && len(w) > 1 && isLetter([]rune(w)[0]) {
				carry = w
				continue
			}
			if w != "" {
				out = append(out, w)
			}
		}
	}
	if carry != "" {
		out = append(out, carry)
	}
	return out
}

func cleanWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		w = strings.TrimFunc(w, func(r rune) bool { return !isRunChar(r) })
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// damageFold maps a word to what OCR without Swedish letters makes of it,
// so that "förteckning" and "fértroendevalda"-style readings compare.
func damageFold(w string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(w) {
		switch r {
		case 'å', 'ä', 'à', 'á', 'é', 'è', '&', 'a':
			r = 'a'
		case 'ö', 'o', '6', '0':
			r = 'o'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// alignWords aligns two word sequences (longest common subsequence on a
// loose key) and returns the pairs (i, j).
func alignWords(a, b []string, key func(string) string) [][2]int {
	ka := make([]string, len(a))
	kb := make([]string, len(b))
	for i, w := range a {
		ka[i] = key(w)
	}
	for j, w := range b {
		kb[j] = key(w)
	}
	n, m := len(a), len(b)
	dp := make([][]int32, n+1)
	for i := range dp {
		dp[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if ka[i] == kb[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	var pairs [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case ka[i] == kb[j]:
			pairs = append(pairs, [2]int{i, j})
			i++
			j++
		case dp[i+1][j] >= dp[i][j+1]:
			i++
		default:
			j++
		}
	}
	return pairs
}

// TestOCRCorpus repairs real Tesseract output (`-l eng`, which has no
// å/ä/ö) of rendered register pages and compares it word by word with the
// text that was rendered. A damaged word is one OCR wrote differently from
// the clean word only where å/ä/ö stood (or as the confusions é, &, 6, 0,
// d); other OCR errors (letters misread otherwise) are counted apart. At
// least 98% of damaged words must come back, and no correct word may be
// changed.
func TestOCRCorpus(t *testing.T) {
	if !HunspellAvailable() {
		t.Skip("needs hunspell-sv")
	}
	r := New()
	var damaged, restored, correct, broken, other int
	var misses, breaks []string
	for _, p := range ocrPages {
		clean := cleanWords(readFile(t, filepath.Join(corpusDir, "ocr", p+".clean.txt")))
		ocrText := readFile(t, filepath.Join(corpusDir, "ocr", p+".txt"))
		fixed, _ := r.Text(ocrText)
		ow := ocrWords(ocrText)
		fw := ocrWords(fixed)
		if len(ow) != len(fw) {
			t.Errorf("%s: repair changed the word count %d → %d", p, len(ow), len(fw))
			continue
		}
		for _, pr := range alignWords(clean, ow, damageFold) {
			c, o, f := clean[pr[0]], ow[pr[1]], fw[pr[1]]
			switch {
			case o == c:
				correct++
				if f != c {
					broken++
					breaks = append(breaks, p+": "+o+" → "+f)
				}
			case hasDiacritic(c) || strings.ContainsAny(o, "é&60àáè"):
				damaged++
				// Case follows the OCR (it read "över" as "Over").
				if strings.EqualFold(f, c) {
					restored++
				} else {
					misses = append(misses, p+": "+o+" → "+f+" (want "+c+")")
				}
			default:
				other++
			}
		}
	}
	sort.Strings(misses)
	t.Logf("OCR corpus: %d damaged words, %d restored (%s); %d correct words, %d changed; %d words with other OCR errors",
		damaged, restored, pct(restored, damaged), correct, broken, other)
	for _, m := range misses {
		t.Logf("  miss %s", m)
	}
	for _, b := range breaks {
		t.Errorf("correct word changed: %s", b)
	}
	if restored*100 < damaged*98 {
		t.Errorf("%d of %d damaged words restored, want ≥ 98%%", restored, damaged)
	}
}

var _ = unicode.IsLetter
var _ = utf8.RuneLen
