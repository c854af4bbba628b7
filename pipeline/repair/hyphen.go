package repair

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// hyphens that may end a line: hyphen-minus, U+2010 HYPHEN, soft hyphen.
const lineHyphens = "-\u2010\u00ad"

// ellipsisWords follow a hyphen that stands for a shared compound part:
// "hälso- och sjukvård".
var ellipsisWords = map[string]bool{"och": true, "eller": true, "samt": true, "resp": true, "respektive": true, "till": true}

// JoinHyphen joins a word split by a line-end hyphen; left ends with the
// hyphen. The parts are joined when they form one word, and OCR damage in the
// joined word is repaired: ("Intresseav-", "vagning") → "Intresseavvägning",
// ("kommunikations-", "material") → "kommunikationsmaterial". The hyphen is
// kept where the left part is an abbreviation, holds a digit, is a single
// letter, or is a capitalised word of its own that does not make one word
// with the right part: ("EU-", "kommissionens") → "EU-kommissionens",
// ("Taxi-", "färdtjänstleverantör") → "Taxi-färdtjänstleverantör", ("e-",
// "tjänst") → "e-tjänst". Before "och"/"eller" the hyphen marks a shared
// part and a space follows: ("hälso-", "och") → "hälso- och".
func (r *Repairer) JoinHyphen(left, right string) string {
	l := strings.TrimRight(left, lineHyphens)
	if l == left || l == "" || right == "" {
		return left + right
	}
	if ellipsisWords[strings.ToLower(right)] {
		return l + "- " + right
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	v := view{lx: r.lx, r: r}
	if keepHyphen(v, l, right) {
		return l + "-" + right
	}
	joined, _ := repairJoined(v, l+right)
	return joined
}

// keepHyphen decides whether a line-end hyphen is part of the word.
func keepHyphen(v view, l, right string) bool {
	rr, _ := utf8.DecodeRuneInString(right)
	if !isLetter(rr) || unicode.IsUpper(rr) {
		return true // "EU-" + "2020", "Stockholms-" + "Uppsala"
	}
	// The left part's last word decides.
	last := l
	if i := strings.LastIndexFunc(l, func(c rune) bool { return !isLetter(c) }); i >= 0 {
		last = l[i+utf8.RuneLen([]rune(l[i:])[0]):]
		if last == "" {
			return true // "2020-" or "(x)-"
		}
	}
	if strings.ContainsAny(l, "0123456789") || utf8.RuneCountInString(last) < 2 || isAllUpper(last) {
		return true
	}
	first, _ := utf8.DecodeRuneInString(last)
	if unicode.IsUpper(first) {
		// A capitalised element that is a word (or name) of its own keeps
		// its hyphen unless the joined text is one known word.
		lastFixed, _ := repairJoined(v, last)
		if v.lookup(lastFixed)&infoWord != 0 {
			joined, _ := repairJoined(v, last+right)
			return v.lookup(joined)&infoWord == 0
		}
	}
	return false
}

// repairJoined repairs OCR damage in a joined word; it reports whether the
// result is a known word or compound.
func repairJoined(v view, w string) (string, bool) {
	if v.lookup(w)&infoWord != 0 {
		return w, true
	}
	if fixed, ok := repairWord(v, w, true); ok {
		return fixed.to, true
	}
	return w, isKnown(v, w, true)
}

// joinInline decides a hyphen inside a line of OCR'd text ("Intresseav-
// vagning", "sammantrades-hantering"): join only when the line-end rules
// would and the joined word is known.
func joinInline(v view, left, right string) (string, float64, bool) {
	if !allLetters(left) || !allLetters(right) || utf8.RuneCountInString(left) < 3 || utf8.RuneCountInString(right) < 3 {
		return "", 0, false
	}
	if keepHyphen(v, left, right) {
		return "", 0, false
	}
	joined, ok := repairJoined(v, left+right)
	if !ok {
		return "", 0, false
	}
	return joined, confHyphenJoin, true
}

// allLetters reports whether w holds letters (and OCR's & for ä) only.
func allLetters(w string) bool {
	for _, c := range w {
		if !isLetter(c) && c != '&' {
			return false
		}
	}
	return w != ""
}
