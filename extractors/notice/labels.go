package notice

import (
	"regexp"
	"strings"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// keyController is the field key of a "Personuppgiftsansvarig" label. It is
// not a contract key: its value is resolved into municipality and organ.
const keyController = "controller"

// labelVariant is one way municipalities spell a field label.
type labelVariant struct {
	key string
	re  string // the label words, a regexp matched case-insensitively at line start
	// tail allows up to a few words more before the colon
	// ("Vilka hanterar dina uppgifter/vilka vi lämnar ut dina personuppgifter till:").
	tail bool
}

// labelVariants is the table of field labels seen in Swedish notices. A
// label stands at the start of a line and is followed by a colon and its
// value, by a colon alone, or by nothing (a subheading on its own line).
// Question headings ("Hur länge sparar vi dina uppgifter?") are matched by
// questionKey instead.
var labelVariants = []labelVariant{
	// purpose
	{record.FieldPurpose, `syfte\s*(?:/|och|&)\s*ändamål`, false},
	{record.FieldPurpose, `ändamål\s*(?:/|och|&)\s*syfte`, false},
	{record.FieldPurpose, `(?:syfte|syftet|ändamål|ändamålet|ändamålen)\s+med\s+(?:person(?:uppgifts)?)?behandlingen`, false},
	{record.FieldPurpose, `(?:syfte|syftet|ändamål|ändamålet|ändamålen)`, false},
	// sources
	{record.FieldSources, `(?:person)?uppgift(?:er|erna)\s+har\s+vi\s+fått\s+(?:från|ifrån)`, true},
	{record.FieldSources, `vi\s+får\s+(?:person)?uppgifterna\s+(?:från|ifrån)`, false},
	{record.FieldSources, `(?:person)?uppgifterna\s+(?:kommer|hämtas)\s+(?:från|ifrån)`, false},
	{record.FieldSources, `(?:källa|källor|källan)(?:\s+(?:till|för)\s+(?:person)?uppgifterna)?`, false},
	// legal basis
	{record.FieldLegalBasis, `(?:rättslig|laglig)\s+grund(?:\s+för\s+(?:person(?:uppgifts)?)?behandlingen)?`, false},
	{record.FieldLegalBasis, `(?:rättsliga|lagliga)\s+(?:grunden|grunder)(?:\s+för\s+(?:person(?:uppgifts)?)?behandlingen)?`, false},
	{record.FieldLegalBasis, `(?:lagstöd|rättsligt\s+stöd)`, false},
	// personal data
	{record.FieldPersonalData, `följande\s+(?:kategorier|typer)\s+av\s+personuppgifter\s+(?:kan\s+komma\s+att\s+)?behandlas`, true},
	{record.FieldPersonalData, `(?:kategorier|typer)\s+av\s+personuppgifter(?:\s+som\s+behandlas)?`, false},
	{record.FieldPersonalData, `(?:personuppgifter|uppgifter)\s+som\s+(?:behandlas|vi\s+behandlar)`, false},
	{record.FieldPersonalData, `behandlade\s+personuppgifter`, false},
	// recipients
	{record.FieldRecipients, `vilka\s+hanterar\s+dina\s+(?:person)?uppgifter`, true},
	{record.FieldRecipients, `vilka\s+(?:vi\s+)?lämna[rs]?\s+(?:vi\s+)?ut\s+(?:dina\s+)?(?:person)?uppgifter(?:na)?\s+till`, false},
	{record.FieldRecipients, `(?:kategorier\s+av\s+)?mottagare(?:\s+av\s+(?:person)?uppgifterna)?`, false},
	{record.FieldRecipients, `utlämnande(?:\s+av\s+(?:person)?uppgifter(?:na)?)?`, false},
	// automated decisions
	{record.FieldAutomatedDecisions, `automati\p{L}*\s+beslutsfattande`, true},
	{record.FieldAutomatedDecisions, `(?:profilering|automatiserade\s+beslut)`, false},
	// retention
	{record.FieldRetention, `(?:lagring|gallring|bevarande)\s*(?:/|och|&)\s*(?:gallring|lagring|bevarande)`, false},
	{record.FieldRetention, `(?:lagring|lagringstid|lagringsperiod|gallring|gallringsfrist|bevarandetid)`, false},
	// data subjects
	{record.FieldDataSubjects, `(?:kategorier\s+av\s+registrerade|registrerade|de\s+registrerade|registrerade\s+personer|berörda\s+personer|personkategorier|personkategori)`, false},
	// third country
	{record.FieldThirdCountry, `överföring(?:ar)?\s+(?:av\s+personuppgifter\s+)?(?:till\s+)?tredje\s*land`, false},
	{record.FieldThirdCountry, `(?:tredjelandsöverföring(?:ar)?|tredje\s+land)`, false},
	// controller
	{keyController, `personuppgiftsansvarig(?:\s+(?:nämnd|myndighet|organisation))?`, false},
	// activity
	{record.FieldActivity, `(?:behandlingsaktivitet|behandling|namn\s+på\s+behandlingen|personuppgiftsbehandling|e-tjänst)`, false},
	// system, security measures
	{record.FieldSystem, `(?:system|it-system|it-stöd|verksamhetssystem)`, false},
	{record.FieldSecurityMeasures, `(?:säkerhetsåtgärder|tekniska\s+och\s+organisatoriska\s+säkerhetsåtgärder)`, false},
}

type compiledLabel struct {
	key string
	re  *regexp.Regexp
}

var compiledLabels = func() []compiledLabel {
	out := make([]compiledLabel, 0, len(labelVariants))
	for _, v := range labelVariants {
		// An optional parenthesis after the label: "Lagringstid (gallring):".
		tail := `(?:\s*\([^)]{0,40}\))?`
		if v.tail {
			// A few more words, no sentence end, before a mandatory colon.
			tail = `[^:?.]{0,80}\s*:`
			out = append(out, compiledLabel{v.key, regexp.MustCompile(`^(?i)(?:` + v.re + `)` + tail + `\s*(.*)$`)})
			continue
		}
		out = append(out, compiledLabel{v.key, regexp.MustCompile(`^(?i)(?:` + v.re + `)` + tail + `\s*(?::\s*(.*))?$`)})
	}
	return out
}()

// matchLabel reports whether text (a trimmed line) starts with a field
// label, and returns the field key and the value that follows it on the
// line ("" when the value is on the following lines).
func matchLabel(text string) (key, value string, ok bool) {
	for _, l := range compiledLabels {
		if m := l.re.FindStringSubmatch(text); m != nil {
			return l.key, strings.TrimSpace(m[1]), true
		}
	}
	if k, v, ok := questionLabel(text); ok {
		return k, v, true
	}
	return "", "", false
}

var questionStart = regexp.MustCompile(`^(?i)(?:varför|hur|vem|vilka|vilken|vilket|var|varifrån|vad|när|använder|förekommer|sker|lämnar|delar|får|överförs|med\s+vilk\p{L}*|på\s+vilk\p{L}*|till\s+vem|från\s+vem|finns)\s`)

// questionKeys maps the words of a question heading to its field key, in
// order: the first rule whose words all occur wins.
var questionKeys = []struct {
	key   string
	words *regexp.Regexp
}{
	{keyController, regexp.MustCompile(`(?i)personuppgiftsansvarig`)},
	{record.FieldAutomatedDecisions, regexp.MustCompile(`(?i)automati|profilering`)},
	{record.FieldThirdCountry, regexp.MustCompile(`(?i)tredje\s*land|utanför\s+(?:eu|ees)`)},
	{record.FieldRetention, regexp.MustCompile(`(?i)hur\s+länge|gallra|lagra|spara`)},
	{record.FieldLegalBasis, regexp.MustCompile(`(?i)rättslig|laglig|lagstöd|stöd\s+av|vilken\s+grund|när\s+får\s+vi`)},
	{record.FieldSources, regexp.MustCompile(`(?i)varifrån|var\s+(?:hämtar|får|kommer)|från\s+vem|ifrån\??$`)},
	{record.FieldRecipients, regexp.MustCompile(`(?i)ta\s+del|lämnar\s+vi|lämnas|delar\s+vi|delas|tillgång|mottagare|till\s+vem`)},
	{record.FieldPersonalData, regexp.MustCompile(`(?i)vilka\s+(?:person)?uppgifter|vilka\s+(?:typer|kategorier|sorters?)|vad\s+för\s+(?:person)?uppgifter|vilken\s+information`)},
	{record.FieldDataSubjects, regexp.MustCompile(`(?i)vilka\s+personer|vems\s+(?:person)?uppgifter`)},
	{record.FieldPurpose, regexp.MustCompile(`(?i)varför|syfte|ändamål|vad\s+används|till\s+vad`)},
}

// questionLabel matches a question heading such as "Varför behandlar vi
// dina personuppgifter?", optionally followed by its answer on the line.
func questionLabel(text string) (key, value string, ok bool) {
	q := strings.IndexByte(text, '?')
	if q < 0 {
		return "", "", false
	}
	question := text[:q+1]
	if len(strings.Fields(question)) > 16 || !questionStart.MatchString(question) {
		return "", "", false
	}
	for _, qk := range questionKeys {
		if qk.words.MatchString(question) {
			return qk.key, strings.TrimSpace(text[q+1:]), true
		}
	}
	return "", "", false
}

var subLabelRe = regexp.MustCompile(`^(?i)(internt|externt|interna\s+mottagare|externa\s+mottagare|inom\s+kommunen|utanför\s+kommunen)\s*:\s*(.*)$`)

// matchSubLabel matches the recipient groups "Internt:" and "Externt:".
// internal reports which group it is.
func matchSubLabel(text string) (internal bool, value string, ok bool) {
	m := subLabelRe.FindStringSubmatch(text)
	if m == nil {
		return false, "", false
	}
	g := strings.ToLower(m[1])
	return strings.HasPrefix(g, "intern") || strings.HasPrefix(g, "inom"), strings.TrimSpace(m[2]), true
}

var unknownLabelRe = regexp.MustCompile(`^(\p{Lu}[^:.!?]{1,100}?):\s+\S`)

// isUnknownLabel reports whether a line is "Some other label: text" for a
// label that maps to no contract key ("Begränsning av dataskyddsrättigheter
// …:", "Postadress:"). Its text is left out.
func isUnknownLabel(text string) bool {
	m := unknownLabelRe.FindStringSubmatch(text)
	return m != nil && len(strings.Fields(m[1])) <= 12
}

// topicWords say whether a paragraph that follows a blank line still
// belongs to the field above it: it must speak of the field's subject.
var topicWords = map[string]*regexp.Regexp{
	record.FieldPurpose:            regexp.MustCompile(`(?i)behandl|personuppgift|uppgift|syfte|ändamål|för att|hantera|administrera|registrera|anställ|arbetsgivare`),
	record.FieldRetention:          regexp.MustCompile(`(?i)lagr|gallr|bevar|spar|arkiv|hanteringsplan|radera|rensa|förstör|månad|dagar|vecka|veckor|inaktualitet|(?:^|[^\p{L}])år(?:[^\p{L}]|$)`),
	record.FieldPersonalData:       regexp.MustCompile(`(?i)uppgift|namn|personnummer|adress|telefon|e-post|foto|bild|journal|kontakt|identitet|lön|hälsa`),
	record.FieldRecipients:         regexp.MustCompile(`(?i)lämna|dela|mottag|ta del|tillgång|leverantör|biträde|myndighet|överför|publicer|skicka|intern|extern`),
	record.FieldSources:            regexp.MustCompile(`(?i)från|ifrån|hämta|inhämta|lämna|själv|register`),
	record.FieldLegalBasis:         regexp.MustCompile(`(?i)grund|intresse|förpliktelse|skyldighet|myndighetsutövning|samtycke|avtal|lag|förordning|artikel|art\.`),
	record.FieldAutomatedDecisions: regexp.MustCompile(`(?i)automat|profilering`),
}

// onTopic reports whether text may continue a field of the given key after
// a blank line.
func onTopic(key, text string) bool {
	re := topicWords[key]
	return re != nil && re.MatchString(text)
}
