package normalize

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// The normalized article 6(1) bases (shared/record-format.md).
const (
	BasisConsent       = "samtycke"               // 6.1 a
	BasisContract      = "avtal"                  // 6.1 b
	BasisLegalDuty     = "rättslig förpliktelse"  // 6.1 c
	BasisVitalInterest = "grundläggande intresse" // 6.1 d
	BasisPublicTask    = "allmänt intresse"       // 6.1 e
	BasisAuthority     = "myndighetsutövning"     // 6.1 e (Swedish practice splits e in two)
	BasisLegitimate    = "intresseavvägning"      // 6.1 f
)

// Quality codes, names and severities that normalization raises itself.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// basisPattern maps one spelling family, matched on Fold-ed text, to a basis.
type basisPattern struct {
	re    *regexp.Regexp
	basis string
}

// Patterns run on Fold-ed text (lower case, å/ä/ö → a/o, hyphens joined), so
// OCR residue like "Allmént", "Allméant", "Rattslig forpliktelse",
// "rättsligförpliktelse" and "Intresseav-vagning" match as well.
var basisPatterns = []basisPattern{
	{regexp.MustCompile(`\bsamtyck(e|et|en|ena)?\b`), BasisConsent},
	{regexp.MustCompile(`\bavtal(et|en)?\b`), BasisContract},
	{regexp.MustCompile(`\br\w{1,3}tts?liga?\s*f\w{1,3}rplikt\w*`), BasisLegalDuty},
	{regexp.MustCompile(`\br\w{1,3}tts?lig(a|e)?\s+skyldighet\w*`), BasisLegalDuty},
	{regexp.MustCompile(`\bskyldighet(er)? som (aligger|avilar)\b`), BasisLegalDuty},
	{regexp.MustCompile(`\bgrundl\w{1,3}ggande\s+(intresse|betydelse)\w*`), BasisVitalInterest},
	{regexp.MustCompile(`\bvitala\s+intressen?\b`), BasisVitalInterest},
	{regexp.MustCompile(`\ballm\w{1,4}\s*intresse\w*`), BasisPublicTask},
	{regexp.MustCompile(`\bmyndighets\s*ut\w{1,2}vning\w*`), BasisAuthority},
	{regexp.MustCompile(`\bintresse\s*av\s*v\w{1,2}gning\w*`), BasisLegitimate},
	{regexp.MustCompile(`\bberattigade?\s+intressen?\b`), BasisLegitimate},
}

// articleRef matches "6.1 e", "6.1e", "6 (1) e", "6(1)(e)", "art. 6.1 c",
// "artikel 6.1 c" on Fold-ed text. Group 1 or 2 holds the letter.
var articleRef = regexp.MustCompile(`\b6\s*(?:\.\s*1|\(\s*1\s*\))\s*\.?\s*(?:\(\s*([a-f])\s*\)|([a-f])\b)`)

var letterBasis = map[string]string{
	"a": BasisConsent,
	"b": BasisContract,
	"c": BasisLegalDuty,
	"d": BasisVitalInterest,
	"f": BasisLegitimate,
}

// negation words that make a clause deny a basis ("samtycke ... inte
// nödvändigt", "kan inte stödja sin behandling på en intresseavvägning").
var negWord = regexp.MustCompile(`\b(inte|ej|icke|aldrig)\b`)

// negFollow matches a clause that denies the basis named just before it:
// "Intresseavvägning – Får inte användas som laglig grund ...".
var negFollow = regexp.MustCompile(`^\s*(som |men )?(far|kan|ska|skall|anvands|tillampas|galler|bor)\s+(inte|ej|icke)\b`)

// LegalBasis maps legal-basis text as written to the normalized article 6
// bases, in order of first mention. It also returns the national provision
// the text cites (legal_basis_ref: "Skollagen kap 20", "arkivlagen"), and the
// warnings the text gives: Q3 legal_basis_unmapped when nothing maps, Q3b
// ambiguous_6_1_e when a bare "6.1 e" had to stand for both allmänt intresse
// and myndighetsutövning. Negated mentions ("samtycke från dig i de flesta
// fall inte nödvändigt", "Får inte användas som laglig grund") do not map.
func LegalBasis(text string) (bases []string, ref string, warnings []record.Warning) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, "", nil
	}
	folded := Fold(text)
	clauses := splitClauses(folded)

	type hit struct {
		pos   int
		basis string
	}
	var hits []hit
	for _, p := range basisPatterns {
		for _, m := range p.re.FindAllStringIndex(folded, -1) {
			if negated(folded, clauses, m[0], m[1]) {
				continue
			}
			hits = append(hits, hit{m[0], p.basis})
		}
	}
	named := map[string]bool{}
	for _, h := range hits {
		named[h.basis] = true
	}
	ambiguous := false
	for _, m := range articleRef.FindAllStringSubmatchIndex(folded, -1) {
		letter := ""
		switch {
		case m[2] >= 0:
			letter = folded[m[2]:m[3]]
		case m[4] >= 0:
			letter = folded[m[4]:m[5]]
		}
		if negated(folded, clauses, m[0], m[1]) {
			continue
		}
		if letter == "e" {
			if named[BasisPublicTask] || named[BasisAuthority] {
				continue // the words say which half of 6.1 e is meant
			}
			ambiguous = true
			hits = append(hits, hit{m[0], BasisPublicTask}, hit{m[0], BasisAuthority})
			continue
		}
		if b, ok := letterBasis[letter]; ok {
			hits = append(hits, hit{m[0], b})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].pos < hits[j].pos })
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.basis] {
			seen[h.basis] = true
			bases = append(bases, h.basis)
		}
	}
	ref = StatuteRef(text)

	if ambiguous {
		warnings = append(warnings, record.Warning{
			Code: "Q3b", Name: "ambiguous_6_1_e", Severity: SeverityInfo, Field: record.FieldLegalBasis,
			Message: fmt.Sprintf("legal basis %s cites article 6.1 e without saying allmänt intresse or myndighetsutövning; both assumed", quote(text)),
		})
	}
	if len(bases) == 0 {
		msg := fmt.Sprintf("legal basis %s maps to no article 6 basis", quote(text))
		if ref != "" {
			msg = fmt.Sprintf("legal basis %s names a statute (%s) but no article 6 basis", quote(text), ref)
		}
		warnings = append(warnings, record.Warning{
			Code: "Q3", Name: "legal_basis_unmapped", Severity: SeverityWarning, Field: record.FieldLegalBasis,
			Message: msg,
		})
	}
	return bases, ref, warnings
}

// splitClauses returns the [start, end) byte spans of the clauses of folded
// text: parts separated by sentence punctuation, commas, semicolons, colons,
// dashes between spaces, and "utan" (which turns a negation around:
// "inte samtycke utan allmänt intresse").
func splitClauses(s string) [][2]int {
	var spans [][2]int
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		cut, skip := false, 0
		switch c {
		case '.', '!', '?', ';', ',', ':', '(', ')', '/', '\n':
			// A period inside a number or an abbreviation ("6.1", "t.ex.") is
			// not a clause end; only one followed by space or the end is.
			if c == '.' && i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\n' {
				break
			}
			cut, skip = true, 1
		case '-':
			if i > 0 && s[i-1] == ' ' && i+1 < len(s) && s[i+1] == ' ' {
				cut, skip = true, 1
			}
		case ' ':
			if strings.HasPrefix(s[i:], " utan ") {
				cut, skip = true, len(" utan")
			}
		}
		if cut {
			spans = append(spans, [2]int{start, i})
			start = i + skip
			i += skip - 1
		}
	}
	spans = append(spans, [2]int{start, len(s)})
	return spans
}

// negated reports whether the match [from, to) sits in a clause that has a
// negation word, or is directly followed by a clause that denies it.
func negated(s string, clauses [][2]int, from, to int) bool {
	if without(s, from) {
		return true
	}
	for k, c := range clauses {
		if from < c[0] || from >= c[1] {
			continue
		}
		if negWord.MatchString(s[c[0]:c[1]]) {
			return true
		}
		if k+1 < len(clauses) && to <= c[1] {
			next := s[clauses[k+1][0]:clauses[k+1][1]]
			if negFollow.MatchString(next) {
				return true
			}
		}
		return false
	}
	return false
}

// utanBefore matches "utan" (and at most one word) just before a match.
var utanBefore = regexp.MustCompile(`\butan\s+(?:\w+\s+)?$`)

// without reports whether the match at from is governed by "utan" meaning
// "without" ("behandlas utan ditt samtycke"), not "but" as in "inte
// samtycke utan allmänt intresse": the sentence before "utan" then has no
// negation of its own.
func without(s string, from int) bool {
	lo := from - 30
	if lo < 0 {
		lo = 0
	}
	loc := utanBefore.FindStringIndex(s[lo:from])
	if loc == nil {
		return false
	}
	at := lo + loc[0]
	start := strings.LastIndexAny(s[:at], ".!?;\n") + 1
	return !negWord.MatchString(s[start:at])
}

// Statute references: a named Swedish act or ordinance ("Skollagen kap 20",
// "arkivlagen", "lag (2018:218)", "20 kap. 3 § skollagen", "SFS 2010:1011",
// "DSL 3 kap. 3 §") or a well-known act's abbreviation (SoL, LSS, OSL, ...).
// Dataskyddsförordningen (the GDPR itself) is not a national provision and
// is left out.
var statutePatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)(?:\d+\s*kap\.?\s*(?:\d+\s*(?:(?:och|–|-)\s*\d+\s*)?§§?\s*)?)?\b\p{L}{3,}(?:lagen|lag|förordningen|förordning|balken|balk)\b(?:\s*\(\d{4}:\d+\))?(?:,?\s*(?:kap\.?|kapitlet)\s*\d+)?(?:\s*\d+\s*(?:(?:och|–|-)\s*\d+\s*)?§§?)?`),
	regexp.MustCompile(`(?i)\blag(?:en)?\s*\(\d{4}:\d+\)`),
	regexp.MustCompile(`(?i)\bSFS\s*\d{4}:\d+`),
	regexp.MustCompile(`\b(?:SoL|LSS|LVU|LVM|OSL|PDL|HSL|LSO|LBE|LOU|DSL)\b(?:\s*\d{4}:\d+)?(?:\s*\d+\s*kap\.?\s*\d+\s*§)?`),
	regexp.MustCompile(`(?i)\b\d+\s*kap\.?\s*\d+\s*§§?`),
}

// notStatute lists words the statute pattern matches that are no national
// provision.
var notStatute = setOf("dataskyddsförordningen", "dataskyddsförordning", "förordningen", "förordning",
	"lagen", "lag", "underlag", "underlaget", "samlag", "upplag", "utlag")

// StatuteRef returns the national provisions text cites, in order, joined
// with "; ", or "" when it cites none.
func StatuteRef(text string) string {
	type span struct{ a, b int }
	var spans []span
	for _, re := range statutePatterns {
		for _, m := range re.FindAllStringIndex(text, -1) {
			w := strings.ToLower(strings.TrimSpace(text[m[0]:m[1]]))
			if notStatute[w] || strings.HasSuffix(w, "bolag") || strings.HasSuffix(w, "slag") {
				continue
			}
			spans = append(spans, span{m[0], m[1]})
		}
	}
	if len(spans) == 0 {
		return ""
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].a != spans[j].a {
			return spans[i].a < spans[j].a
		}
		return spans[i].b > spans[j].b
	})
	var parts []string
	seen := map[string]bool{}
	end := -1
	for _, s := range spans {
		if s.a < end {
			continue // inside a longer reference already taken
		}
		end = s.b
		p := strings.TrimSpace(text[s.a:s.b])
		if !seen[strings.ToLower(p)] {
			seen[strings.ToLower(p)] = true
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "; ")
}

// quote returns s in double quotes, shortened to about 60 characters.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) > 60 {
		s = string(r[:57]) + "…"
	}
	return `"` + s + `"`
}
