package notice

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/extractors/controller"
)

var abbrevNoDot = regexp.MustCompile(`(^|[^\p{L}])(m\.m|m\.fl|bl\.a|t\.ex|d\.v\.s|o\.s\.v|s\.k|o\.d|p\.g\.a|etc)(\)?)$`)

// cleanHeading turns a heading line into an activity name. It strips a
// trailing colon and the page chevron ">" that web pages print after a
// collapsible heading. Where stripping the chevron leaves a parenthesis
// open, the chevron stood for the closing parenthesis and ")" is restored;
// a dotted abbreviation that lost its final period gets it back
// ("Anställningsuppgifter (lön, pension, skatt m.m>" →
// "Anställningsuppgifter (lön, pension, skatt m.m.)"). repaired reports
// such a repair.
func cleanHeading(s string) (name string, repaired bool) {
	s = strings.TrimSpace(s)
	chevron := false
	for {
		t := strings.TrimSpace(strings.TrimRight(s, ":>›»"))
		if t == s {
			break
		}
		chevron = chevron || strings.ContainsAny(s[len(t):], ">›»")
		s = t
	}
	if chevron && strings.Count(s, "(") > strings.Count(s, ")") {
		s += ")"
		repaired = true
	}
	// A dotted abbreviation closing a parenthesis lost its period.
	if m := abbrevNoDot.FindStringSubmatchIndex(s); m != nil && m[7] > m[6] {
		s = s[:m[5]] + "." + s[m[5]:]
		repaired = true
	}
	return s, repaired
}

// leadIns are the openings of a purpose that say nothing about the
// activity; nameFromPurpose strips them, repeatedly.
var leadIns = regexp.MustCompile(`^(?i)(?:` + strings.Join([]string{
	`behandling(?:en)?\s+av\s+personuppgifter\s+(?:sker|krävs|görs|behövs)\s+(?:i\s+syfte\s+att|för\s+att)\s+`,
	`vi\s+behandlar\s+(?:dina\s+)?(?:person)?uppgifter\s+(?:i\s+samband\s+med|för\s+att|i\s+syfte\s+att|när\s+vi)\s+`,
	`(?:person)?uppgifterna\s+(?:används|behandlas)\s+för\s+att\s+`,
	`(?:syftet|ändamålet)(?:\s+med\s+behandlingen)?\s+är\s+att\s+`,
	`för\s+att\s+(?:kunna\s+)?`,
	`i\s+syfte\s+att\s+`,
	`vi\s+(?:ska|skall)\s+kunna\s+`,
	`att\s+`,
	`(?:exempelvis|bland\s+annat|till\s+exempel)\s+`,
}, "|") + `)`)

// nameCuts end the name phrase: what follows is detail.
var nameCuts = regexp.MustCompile(`(?i),\s|;\s|\s(?:för\s+att|i\s+syfte|men|som|eftersom|då)\s`)

var danglingWords = map[string]bool{
	"och": true, "samt": true, "eller": true, "att": true, "för": true, "i": true, "med": true,
	"till": true, "av": true, "på": true, "om": true, "vid": true, "från": true, "som": true, "en": true, "ett": true,
}

var fillers = regexp.MustCompile(`(?i)\s(?:exempelvis|bland\s+annat|till\s+exempel)\s`)

// nameFromPurpose derives a short activity name from a purpose, for a
// section that lost its heading: the first sentence without its lead-in
// ("För att kunna administrera besök i stadshusets reception. …" →
// "Administrera besök i stadshusets reception"), cut at the first clause
// boundary and to at most eight words. A subject that is the organ itself
// is dropped ("Kommunstyrelsen är arkivmyndighet …" → "Arkivmyndighet …").
func nameFromPurpose(purpose string) string {
	s := strings.Join(strings.Fields(purpose), " ")
	if s == "" {
		return ""
	}
	if i := sentenceEndIndex(s); i > 0 {
		s = s[:i]
	}
	// "Kommunstyrelsen är …": the subject is the controller, not the activity.
	if w := strings.Fields(s); len(w) > 2 && w[1] == "är" && controller.Organ(w[0]) != "" {
		s = strings.Join(w[2:], " ")
	}
	for {
		loc := leadIns.FindStringIndex(s)
		if loc == nil || loc[1] == 0 || loc[1] >= len(s) {
			break
		}
		s = s[loc[1]:]
	}
	s = fillers.ReplaceAllString(s, " ")
	// Cut at the first clause boundary that leaves a phrase of three words
	// or more ("Försörja kommunen som helhet med statistik men …").
	for _, loc := range nameCuts.FindAllStringIndex(s, -1) {
		if len(strings.Fields(s[:loc[0]])) >= 3 || strings.HasPrefix(s[loc[0]:], ",") {
			s = s[:loc[0]]
			break
		}
	}
	if w := strings.Fields(s); len(w) > 8 {
		w = w[:8]
		// Do not end on a word that joins: "… verksamheter samt".
		for len(w) > 1 && danglingWords[strings.ToLower(w[len(w)-1])] {
			w = w[:len(w)-1]
		}
		s = strings.Join(w, " ")
	}
	s = strings.TrimRight(s, " .,:;")
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

var sentenceEndRe = regexp.MustCompile(`[.!?:](?:\s|$)`)

// sentenceEndIndex returns the end of the first sentence of s, skipping
// the periods of common abbreviations.
func sentenceEndIndex(s string) int {
	off := 0
	for {
		loc := sentenceEndRe.FindStringIndex(s[off:])
		if loc == nil {
			return -1
		}
		end := off + loc[0]
		before := s[:end+1]
		if !abbrevEnd.MatchString(before) {
			return end
		}
		off = end + 1
	}
}

var abbrevEnd = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:t\.ex|m\.m|m\.fl|bl\.a|d\.v\.s|dvs|s\.k|t\.ex|osv|etc|ca|nr|kap|jfr|resp)\.$`)
