package notice

import (
	"regexp"
	"strings"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// proseActivity is an activity described in sentences rather than labelled
// fields: "Bygglov: Vi behandlar dina uppgifter för att …" (one line per
// activity) or a heading followed by a paragraph.
type proseActivity struct {
	name        string
	text        string
	page        int
	line, end   int
	inlineStyle bool // "Name: sentence" rather than heading and paragraph
}

var inlineActivityRe = regexp.MustCompile(`^(\p{Lu}[^:]{1,80}?):\s+(\S.*)$`)

var processingRe = regexp.MustCompile(`(?i)behandla|personuppgift`)

// addressesReader matches the second person (or "vi") a notice uses; an
// OCR'd table or a memo that only mentions processing has neither.
var addressesReader = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:vi|du|dig|dina|din|ditt)(?:[^\p{L}]|$)`)

// proseActivities finds the activities of a notice written in prose: two
// or more "Name: sentence" lines that speak of processing, or else two or
// more headed paragraphs that speak of processing and state a legal basis
// or a retention.
func proseActivities(doc *extractors.Doc) []proseActivity {
	ls := classify(doc)
	if acts := inlineActivities(ls); len(acts) >= 2 {
		return acts
	}
	if acts := headedParagraphs(ls, doc.Headings); len(acts) >= 2 {
		return acts
	}
	return nil
}

func inlineActivities(ls []cline) []proseActivity {
	var out []proseActivity
	var cur *proseActivity
	for _, c := range ls {
		if c.kind == kBlank || c.kind == kLabel || c.kind == kSubLabel || c.heading {
			cur = nil
			continue
		}
		if m := inlineActivityRe.FindStringSubmatch(c.text); m != nil && len(strings.Fields(m[1])) <= 8 &&
			!c.item && processingRe.MatchString(m[2]) && addressesReader.MatchString(m[2]) {
			out = append(out, proseActivity{name: strings.TrimSpace(m[1]), text: m[2], page: c.page, line: c.n, end: c.n, inlineStyle: true})
			cur = &out[len(out)-1]
			continue
		}
		if cur != nil {
			cur.text += " " + c.text
			cur.end = c.n
		}
	}
	return out
}

func headedParagraphs(ls []cline, declared map[int]bool) []proseActivity {
	// A heading in prose: a short phrase after a blank line, followed by text.
	isHead := func(i int) bool {
		c := ls[i]
		if c.kind != kText || c.item {
			return false
		}
		if declared[c.n] {
			return true
		}
		if !(i == 0 || ls[i-1].kind == kBlank) || !headingShape(c.text) || strings.HasSuffix(c.text, "?") {
			return false
		}
		for j := i + 1; j < len(ls); j++ {
			if ls[j].kind != kBlank {
				return ls[j].kind == kText && !headingShape(ls[j].text)
			}
		}
		return false
	}
	var out []proseActivity
	var cur *proseActivity
	// The paragraph's text, its lines joined with spaces: built once, not
	// by adding each line to a string (quadratic in a long document
	// without headings, such as a rendered sheet of 100,000 rows).
	var text strings.Builder
	flush := func() {
		if cur != nil {
			cur.text = text.String()
		}
		if cur != nil && processingRe.MatchString(cur.text) && addressesReader.MatchString(cur.text) &&
			(legalRe.MatchString(cur.text) || retentionRe.MatchString(cur.text)) {
			out = append(out, *cur)
		}
		cur = nil
	}
	for i, c := range ls {
		switch {
		case c.kind == kBlank:
		case isHead(i):
			flush()
			cur = &proseActivity{name: c.text, page: c.page, line: c.n, end: c.n}
			text.Reset()
		case cur != nil && c.kind != kLabel:
			if text.Len() > 0 {
				text.WriteByte(' ')
			}
			text.WriteString(c.text)
			cur.end = c.n
		case c.kind == kLabel:
			flush()
		}
	}
	flush()
	return out
}

// Sentence cues for prose.
var (
	legalRe      = regexp.MustCompile(`(?i)myndighetsutövning|allmänt\s+intresse|allmänintresse|rättslig(?:a)?\s+(?:förpliktelse|skyldighet|grund)|laglig(?:a)?\s+grund|samtycke|intresseavvägning|berättigat\s+intresse|grundläggande\s+intresse|fullgöra\s+(?:ett\s+)?avtal|avtal\s+med\s+dig`)
	legalCue     = regexp.MustCompile(`(?i)\s(?:med\s+stöd\s+av|som\s+ett\s+led\s+i|eftersom|då\s+det|enligt\s+den\s+rättsliga\s+grunden)\s`)
	retentionRe  = regexp.MustCompile(`(?i)sparas|gallras|bevaras|lagras|raderas|tas\s+bort|rensas|arkiveras|lagringstid`)
	recipientsRe = regexp.MustCompile(`(?i)lämnas\s+(?:ut\s+)?(?:till|vidare)|lämnar\s+vi\s+(?:ut\s+)?|vi\s+lämnar\s+(?:inte\s+)?ut|delas\s+med|får\s+ta\s+del|tar\s+del\s+av|överlämnas\s+till|skickas\s+(?:vidare\s+)?till|har\s+tillgång\s+till`)
	sourcesRe    = regexp.MustCompile(`(?i)hämtar\s+vi|hämtas\s+(?:in\s+)?från|inhämtas\s+från|får\s+vi\s+(?:in\s+)?(?:\p{L}+\s+)?från|kommer\s+från`)
	automatedRe  = regexp.MustCompile(`(?i)automatiserat\s+beslutsfattande|automatiska\s+beslut|profilering`)
	thirdRe      = regexp.MustCompile(`(?i)tredje\s+land|utanför\s+(?:EU|EES)`)
	purposeRe    = regexp.MustCompile(`(?i)för\s+att|i\s+syfte|syftet|ändamålet|används\s+för|behövs\s+för`)
	personalRe   = regexp.MustCompile(`(?i)(?:vi\s+behandlar|behandlar\s+vi|vi\s+registrerar|registrerar\s+vi|vi\s+samlar\s+in|samlar\s+vi\s+in|uppgifter\s+som\s+behandlas\s+är)\s+(.+?)(?:\s+för\s+att|\s+i\s+syfte|\s+när\s|\s+om\s+dig|$)`)
	dataNounRe   = regexp.MustCompile(`(?i)namn|personnummer|adress|telefon|e-post|uppgifter\s+om|fastighet|kontaktuppgifter|inkomst|foto`)
	proseSplitRe = regexp.MustCompile(`[.!?](?:\s+|$)`)
)

// splitSentences splits prose into sentences, keeping their final stop.
func splitSentences(s string) []string {
	var out []string
	start := 0
	for _, loc := range proseSplitRe.FindAllStringIndex(s, -1) {
		if abbrevEnd.MatchString(s[start : loc[0]+1]) {
			continue
		}
		out = append(out, strings.TrimSpace(s[start:loc[1]]))
		start = loc[1]
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

// record classifies the activity's sentences by their cues.
func (pa proseActivity) record() extractors.RawRecord {
	fields := map[string]string{record.FieldActivity: pa.name}
	add := func(key, text string) {
		text = strings.TrimSpace(text)
		if text == "" {
			return
		}
		if fields[key] != "" {
			fields[key] += " " + text
		} else {
			fields[key] = text
		}
	}
	for _, s := range splitSentences(pa.text) {
		used := false
		if automatedRe.MatchString(s) {
			add(record.FieldAutomatedDecisions, s)
			continue
		}
		if thirdRe.MatchString(s) {
			add(record.FieldThirdCountry, s)
			continue
		}
		if recipientsRe.MatchString(s) {
			add(record.FieldRecipients, s)
			used = true
		}
		if sourcesRe.MatchString(s) {
			add(record.FieldSources, s)
			used = true
		}
		if retentionRe.MatchString(s) && !purposeRe.MatchString(s) {
			add(record.FieldRetention, s)
			used = true
		}
		if m := personalRe.FindStringSubmatch(s); m != nil && dataNounRe.MatchString(m[1]) {
			add(record.FieldPersonalData, strings.TrimRight(m[1], ".,"))
		}
		if legalRe.MatchString(s) {
			if loc := legalCue.FindStringIndex(s); loc != nil && fields[record.FieldPurpose] == "" && purposeRe.MatchString(s[:loc[0]]) {
				// "Vi behandlar … för att handlägga din ansökan med stöd av
				// myndighetsutövning.": purpose, then the basis.
				add(record.FieldPurpose, strings.TrimSpace(s[:loc[0]])+".")
				add(record.FieldLegalBasis, strings.TrimSpace(s[loc[0]:]))
				continue
			}
			add(record.FieldLegalBasis, s)
			continue
		}
		if !used && fields[record.FieldPurpose] == "" && (purposeRe.MatchString(s) || processingRe.MatchString(s)) {
			add(record.FieldPurpose, s)
		}
	}
	return extractors.RawRecord{
		Kind:       record.KindActivity,
		Fields:     fields,
		Page:       pa.page,
		Line:       pa.line,
		EndLine:    pa.end,
		Confidence: confProse,
	}
}
