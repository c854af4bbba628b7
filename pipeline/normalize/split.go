package normalize

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitList splits the text of a list field (data_subjects, personal_data,
// recipients, sources) into items, following the annotator's conventions
// (shared/seeds/gold/README.md, "List items"):
//
//   - split on line breaks, bullets, commas and semicolons, and into
//     sentences where the field holds several;
//   - split on "och"/"samt" where they join two items; a shared determiner
//     stays with the first ("Andra aktörer och intressenter" → "Andra
//     aktörer", "intressenter");
//   - never inside parentheses, inside a complement ("Uppgifter om skatt,
//     lön och pension", "kontaktuppgifter i form av telefonnummer och
//     e-postadress"), inside an elliptic compound ("Namn- och
//     kontaktuppgifter"), on a slash, or on "eller"/"alternativt";
//   - a prose sentence (one with a finite main verb) stays whole;
//   - a lead-in that only announces the list ("Personuppgifter som kan komma
//     att behandlas är …") is dropped;
//   - items are trimmed, lose bullet glyphs, list dashes and a
//     sentence-final period; abbreviations keep theirs ("etc.").
//
// The item text is otherwise kept as written. SplitList does not drop
// placeholders; Record does.
func SplitList(text string) []string {
	var out []string
	text = listBreaks.Replace(text)
	for _, line := range strings.Split(text, "\n") {
		line = cleanLine(line)
		if line == "" {
			continue
		}
		for _, sent := range sentences(line) {
			for _, item := range splitSentence(sent) {
				if item = cleanItem(item); item != "" {
					out = append(out, item)
				}
			}
		}
	}
	return out
}

// listBreaks turns bullets and line ends into LF.
var listBreaks = strings.NewReplacer("•", "\n", "●", "\n", "▪", "\n", "◦", "\n", "\r\n", "\n", "\r", "\n")

var (
	spaceRun    = regexp.MustCompile(`[ \t\x{00a0}\x{2007}\x{202f}]+`)
	bulletLead  = regexp.MustCompile(`^(?:[-–—*·]+\s*|\d{1,2}[.)]\s+|[a-z]\)\s+)`)
	labelLead   = regexp.MustCompile(`(?i)^(?:internt|externt)\s*:\s*`)
	debrisEdges = regexp.MustCompile(`^[|_\s]+|[|_\s]+$`)
)

// cleanLine trims a source line, collapses white space and drops a leading
// bullet, list dash or Internt:/Externt: label.
func cleanLine(s string) string {
	s = strings.TrimSpace(spaceRun.ReplaceAllString(s, " "))
	s = debrisEdges.ReplaceAllString(s, "")
	for {
		t := labelLead.ReplaceAllString(bulletLead.ReplaceAllString(s, ""), "")
		t = strings.TrimSpace(t)
		if t == s {
			return s
		}
		s = t
	}
}

// cleanItem trims an item and drops trailing separators and a
// sentence-final period (not an abbreviation's).
func cleanItem(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, ",;: ")
	for {
		t := strings.TrimRight(s, ",;: ")
		if strings.HasSuffix(t, ".") && !strings.HasSuffix(t, "..") && !endsWithAbbrev(t) {
			t = strings.TrimRight(strings.TrimSuffix(t, "."), " ")
		}
		if t == s {
			break
		}
		s = t
	}
	return cleanLine(s)
}

// Abbreviations. Those in introAbbrev introduce what follows ("t.ex. AFA")
// and never end a sentence; those in endAbbrev may end one ("… etc.
// Leverantörerna …") and keep their period when they end an item.
var (
	introAbbrev = setOf("t.ex", "bl.a", "s.k", "dvs", "d.v.s", "p.g.a", "pga", "ca", "resp", "nr",
		"jfr", "inkl", "exkl", "f.d", "m.a.o", "t.o.m", "fr.o.m", "kap", "st", "tel", "ang", "enl",
		"avd", "org", "fd", "kl", "ex", "mfl", "s", "p", "bl", "t", "m", "e", "f", "o", "art", "ev", "prop", "sfs")
	endAbbrev = setOf("etc", "m.m", "mm", "m.fl", "osv", "o.s.v", "o.d", "e.d", "m.m.", "usw")
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// tokenBefore returns the run of letters and dots that ends at byte i
// (exclusive), lower-cased and without a trailing dot.
func tokenBefore(s string, i int) string {
	j := i
	for j > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:j])
		if !(unicode.IsLetter(r) || r == '.') {
			break
		}
		j -= size
	}
	return strings.TrimSuffix(strings.ToLower(s[j:i]), ".")
}

func endsWithAbbrev(s string) bool {
	if !strings.HasSuffix(s, ".") {
		return false
	}
	tok := tokenBefore(s, len(s)-1)
	return endAbbrev[tok] || endAbbrev[tok+"."]
}

// sentences splits a line into sentences at ".", "!" or "?" outside
// parentheses that is followed by white space and an upper-case letter,
// unless the period belongs to an abbreviation that introduces what follows
// or to an initial.
func sentences(line string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range line {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case '.', '!', '?':
			if depth > 0 || !capitalFollows(line[i+1:]) {
				continue
			}
			if r == '.' {
				tok := tokenBefore(line, i)
				if introAbbrev[tok] || (utf8.RuneCountInString(tok) == 1 && !endAbbrev[tok]) {
					continue
				}
			}
			out = append(out, line[start:i+1])
			start = i + 1
		}
	}
	if rest := strings.TrimSpace(line[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// capitalFollows reports whether s starts with white space and then an
// upper-case letter (possibly after an opening quote or parenthesis).
func capitalFollows(s string) bool {
	t := strings.TrimLeft(s, " ")
	if len(t) == len(s) {
		return false
	}
	t = strings.TrimLeft(t, "\"”“'(")
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsUpper(r)
}

// Lead-ins that only announce a list.
var leadIns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^(?:följande\s+)?(?:(?:kategorier|typer|slags)\s+av\s+)?(?:person)?uppgifter(?:na)?\s+som\s+(?:(?:kan|får|ska|skall|kommer\s+att)\s+)?(?:komma\s+att\s+)?(?:behandlas|hanteras|registreras|samlas\s+in|lagras|inhämtas)(?:\s+(?:är|kan\s+vara)\s*:?|\s*:)\s+`),
	regexp.MustCompile(`(?i)^(?:vi|kommunen|nämnden|styrelsen|förvaltningen)\s+(?:behandlar|hanterar|registrerar|samlar\s+in)\s+(?:följande|dessa)\s+(?:(?:kategorier|typer)\s+av\s+)?(?:person)?uppgifter\s*:\s*`),
	regexp.MustCompile(`(?i)^följande\s+(?:(?:kategorier|typer)\s+av\s+)?(?:personuppgifter|uppgifter|registrerade|mottagare)(?:\s+\p{L}+){0,4}\s*:\s*`),
}

func dropLeadIn(s string) string {
	for _, re := range leadIns {
		if loc := re.FindStringIndex(s); loc != nil && loc[1] < len(s) {
			return s[loc[1]:]
		}
	}
	return s
}

// splitSentence splits one sentence into list items.
func splitSentence(s string) []string {
	s = strings.TrimSpace(dropLeadIn(s))
	if s == "" {
		return nil
	}
	if isProse(s) {
		return []string{s}
	}
	segs := splitTop(s)
	if len(segs) > 1 {
		// "Dig, den registrerade själv": a pronoun and its apposition.
		if pronouns[strings.ToLower(strings.TrimSpace(segs[0]))] {
			return []string{s}
		}
		// "Uppgifter om skatt, lön och pension": the whole series is the
		// complement of the first item.
		if hasComplement(segs[0]) && conjunctionIn(segs[1:]) {
			return []string{s}
		}
		segs = joinAttributive(segs)
	}
	var out []string
	for _, seg := range segs {
		out = append(out, splitConj(seg)...)
	}
	return out
}

var pronouns = setOf("dig", "du", "mig", "jag", "oss", "vi", "er", "ni", "dem", "de")

// splitTop splits s on commas and semicolons outside parentheses and quotes.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case ',', ';':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// words returns the words of s outside parentheses, in order.
func words(s string) []string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(' || r == '[':
			depth++
			b.WriteRune(' ')
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
			b.WriteRune(' ')
		case depth > 0:
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/':
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Fields(b.String())
}

// Complement openers: a preposition or "som" ("such as") after which an
// "och" joins parts of the complement, not list items.
var complementWords = setOf("av", "om", "för", "till", "i", "på", "med", "från", "inom", "hos", "vid",
	"under", "över", "genom", "enligt", "angående", "gällande", "rörande", "avseende", "kopplat",
	"kopplad", "kopplade", "som", "via", "mot", "åt", "efter", "inför", "mellan", "bland")

func hasComplement(seg string) bool {
	ws := words(seg)
	for i, w := range ws {
		if i > 0 && complementWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

func conjunctionIn(segs []string) bool {
	for _, seg := range segs {
		for _, w := range words(seg) {
			switch strings.ToLower(w) {
			case "och", "samt", "eller", "alternativt":
				return true
			}
		}
	}
	return false
}

// attributive matches a segment that is only a (participle) adjective, as
// in "Via inkomna, upprättade ärenden/handlingar": it qualifies the noun of
// the next segment and is not an item of its own.
var attributive = regexp.MustCompile(`^(?i:(?:via|från|genom|med|av)\s+)?\p{Ll}+(?:na|ade)$`)

func joinAttributive(segs []string) []string {
	var out []string
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		for i+1 < len(segs) && attributive.MatchString(strings.TrimSpace(seg)) && startsLower(segs[i+1]) {
			seg += "," + segs[i+1]
			i++
		}
		out = append(out, seg)
	}
	return out
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(s))
	return unicode.IsLower(r)
}

// splitConj splits a comma-free segment on "samt", and on "och" where it
// joins two items: not after an elliptic compound ("Namn- och"), not
// inside a complement ("för e-post och ärendehantering"), and not between
// two adjectives sharing a noun ("interna och externa mottagare").
func splitConj(seg string) []string {
	toks := strings.Fields(seg)
	var out []string
	depth, start := 0, 0
	complement := false
	for i, t := range toks {
		lt := strings.ToLower(t)
		if depth == 0 && i > start && i+1 < len(toks) && (lt == "samt" || lt == "och") {
			split := lt == "samt"
			if lt == "och" {
				prev := toks[i-1]
				split = !complement && !strings.HasSuffix(prev, "-") &&
					!(i-start == 1 && i+2 < len(toks) && adjectiveLike(prev))
			}
			if split {
				out = append(out, strings.Join(toks[start:i], " "))
				start = i + 1
				complement = false
				continue
			}
		}
		if depth == 0 && i > start && complementWords[lt] {
			complement = true
		}
		depth += strings.Count(t, "(") + strings.Count(t, "[") - strings.Count(t, ")") - strings.Count(t, "]")
		if depth < 0 {
			depth = 0
		}
	}
	return append(out, strings.Join(toks[start:], " "))
}

// adjectiveLike reports whether a lone word looks like an attributive
// adjective (interna, externa, befintliga, svenska).
func adjectiveLike(w string) bool {
	w = strings.ToLower(w)
	for _, suf := range []string{"na", "ska", "iga", "ella", "ala", "ra"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// Finite verbs that make a sentence prose rather than a list of nouns.
var finiteVerbs = setOf(
	"är", "var", "blir", "blev", "kan", "kunde", "ska", "skall", "skulle", "får", "fick", "måste",
	"bör", "behöver", "har", "hade", "finns", "fanns", "sker", "skedde", "gäller", "innebär",
	"handlar", "kommer", "tar", "går", "ger", "gör", "ingår", "övergår", "används", "använder",
	"behandlar", "hanterar", "delar", "lämnar", "presenterar", "sparar", "bevarar", "skickar",
	"hämtar", "samlar", "registrerar", "tillhandahåller", "tillhandahålls", "administrerar",
	"deltar", "söker", "utför", "utförs", "genomför", "genomförs", "reglerar", "tecknar",
	"skyddar", "bestämmer", "ansvarar", "syftar", "avser", "omfattar", "innehåller", "rör",
	"förekommer", "inkommer", "krävs", "kräver", "behövs", "görs", "ges", "ses", "fås", "utgör",
	"erbjuds", "erbjuder", "förs", "anges", "anger", "framgår", "överförs", "begärs", "observera",
	"bedömer", "beslutar", "lagrar", "inhämtar", "utreds", "stödjer", "håller", "hålls", "läggs",
	"lägger", "följer", "följs", "skapar", "sköts", "sköter", "levererar", "förvarar", "granskar",
	"ringer", "kontaktar", "besöker", "väljer", "vill", "brukar", "betyder", "står", "ligger",
	"menas", "avses", "saknas", "vet", "tror", "delas", "lämnas", "skyddas", "bildas", "tas",
)

// Passive -as forms that are nouns or genitives, not verbs.
var notPassive = setOf("alias", "ananas", "atlas", "kanvas")

func isFiniteVerb(w string, first bool) bool {
	lw := strings.ToLower(w)
	if w != lw && !first {
		return false // a capitalized word inside a sentence is a name
	}
	if finiteVerbs[lw] {
		return true
	}
	// Passive "-as": behandlas, publiceras, delas, hanteras, genereras.
	// Genitive plurals ("medborgarnas", "anställdas") end in -nas/-das.
	return utf8.RuneCountInString(lw) >= 6 && strings.HasSuffix(lw, "as") &&
		!strings.HasSuffix(lw, "nas") && !strings.HasSuffix(lw, "das") &&
		!strings.HasSuffix(lw, "bas") && !notPassive[lw]
}

// Words that open a subordinate clause; the first finite verb after one
// belongs to that clause ("som administrerar", "i de fall kontaktuppgifter
// publiceras").
var subordinators = setOf("som", "att", "om", "när", "då", "eftersom", "vilket", "vilka", "vilken",
	"där", "fall", "medan", "innan", "tills", "ifall", "vars", "såvida", "ju", "än")

// Sentence-initial subjects after which Swedish word order puts the verb.
var subjects = setOf("vi", "du", "det", "man", "jag", "ni", "här", "detta", "dessa")

// isProse reports whether s has a finite verb in its main clause.
func isProse(s string) bool {
	ws := words(s)
	if len(ws) >= 3 && subjects[strings.ToLower(ws[0])] {
		return true
	}
	pending := false
	for i, w := range ws {
		lw := strings.ToLower(w)
		if subordinators[lw] {
			pending = true
			continue
		}
		if isFiniteVerb(w, i == 0) {
			if pending {
				pending = false
				continue
			}
			return true
		}
	}
	return false
}
