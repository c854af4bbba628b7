package header

import (
	"strings"
	"unicode"
)

// Fold lower-cases s and folds the letters that OCR and encoding damage
// confuse: å, ä, à, á, â → a; ö, ô, ó, ò, ø → o; é, è, ê, ë → e; ü → u.
// "&" (a common OCR reading of ä) is dropped. Other characters are kept.
// Fold("Réttslig") == "rettslig", Fold("Ké&lla") == "kella".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		switch r {
		case 'å', 'ä', 'à', 'á', 'â', 'ã', 'æ':
			r = 'a'
		case 'ö', 'ô', 'ó', 'ò', 'õ', 'ø':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú', 'ù', 'û':
			r = 'u'
		case 'í', 'ì', 'î', 'ï':
			r = 'i'
		case '&':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isLooseVowel reports whether r is a letter that OCR damage of å/ä/ö
// commonly produces or destroys (in folded text).
func isLooseVowel(r rune) bool {
	switch r {
	case 'a', 'e', 'o':
		return true
	}
	return false
}

// stand-ins that OCR writes for å/ä/ö besides vowels: "drenden" (ärenden),
// "6vervaka" (övervaka), "sjdlv" (själv).
func isStandIn(r rune) bool {
	return r == 'd' || r == '6'
}

// Distance is a damage-tolerant edit distance between two folded strings:
// substituting, inserting or deleting one of the loose vowels a/e/o costs
// 0.5, substituting a loose vowel by an OCR stand-in (d, 6) costs 0.75, and
// every other edit costs 1.
func Distance(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	prev := make([]float64, len(rb)+1)
	cur := make([]float64, len(rb)+1)
	for j := 1; j <= len(rb); j++ {
		prev[j] = prev[j-1] + indel(rb[j-1])
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = prev[0] + indel(ra[i-1])
		for j := 1; j <= len(rb); j++ {
			best := prev[j-1] + subst(ra[i-1], rb[j-1])
			if v := prev[j] + indel(ra[i-1]); v < best {
				best = v
			}
			if v := cur[j-1] + indel(rb[j-1]); v < best {
				best = v
			}
			cur[j] = best
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func indel(r rune) float64 {
	if isLooseVowel(r) {
		return 0.5
	}
	return 1
}

func subst(x, y rune) float64 {
	switch {
	case x == y:
		return 0
	case isLooseVowel(x) && isLooseVowel(y):
		return 0.5
	case isLooseVowel(x) && isStandIn(y), isStandIn(x) && isLooseVowel(y):
		return 0.75
	}
	return 1
}

// Similar reports whether the folded strings a and b are equal up to OCR
// damage of å/ä/ö: short strings (up to 6 runes) may differ only in one damaged
// vowel (total cost 0.75); longer ones may differ by about one edit per
// eight characters.
func Similar(a, b string) bool {
	if a == b {
		return true
	}
	n := len([]rune(b))
	if m := len([]rune(a)); m > n {
		n = m
	}
	limit := 0.75
	switch {
	case n > 16:
		limit = 1.0 + float64(n-16)/12
	case n > 6:
		limit = 1.0
	}
	// cheap length filter
	if d := len([]rune(a)) - len([]rune(b)); float64(d) > 2*limit || float64(-d) > 2*limit {
		return false
	}
	return Distance(a, b) <= limit
}
