// Package infopage extracts general privacy information pages — a board's
// web page on how it handles personal data, usually written as questions
// and answers ("Varför behandlar vi dina personuppgifter?") — as one
// document record each.
//
// Such a page has no per-activity structure (that is the notice extractor's
// layout: "Syfte/ändamål:", "Rättslig grund:" labels per activity), so the
// page becomes one record: title, controller facts (organ, municipality,
// organisationsnummer, postal address, phone), the date it was last updated,
// its headed sections and its text without site chrome. The text of the
// sections on legal basis, recipients, sources and automated decisions is
// handed on in RawRecord.Fields for the normalize stage to map.
package infopage

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Name is the extractor's name in provenance.
const Name = "infopage"

// Extractor is the information-page extractor. The zero value is ready to use.
type Extractor struct{}

// New returns an information-page extractor.
func New() *Extractor { return &Extractor{} }

// Name returns "infopage".
func (*Extractor) Name() string { return Name }

// Scores returned by Detect.
const (
	ScorePage     = 0.5  // a privacy page without per-activity labels
	ScoreLabelled = 0.25 // a privacy page whose activities carry labels: a notice
	ScoreMention  = 0.05 // mentions personal data, but is no privacy page
)

// labelRE matches a notice's per-activity field label at a line start, and
// registerColumnRE a register table's column names; either means the page
// lists activities and is not a general information page.
var (
	labelRE = regexp.MustCompile(`(?i)^(?:[•\-–*]\s*)?(?:syfte/ändamål|syfte|ändamål(?:et)?(?: med behandlingen)?|rättslig grund|laglig grund|` +
		`lagring/gallring|lagringstid|gallring|personuppgifterna har vi fått (?:från|ifrån)|(?:följande )?kategorier av (?:personuppgifter|registrerade)[^:]{0,20}|` +
		`mottagare|automati(?:skt|serat) beslutsfattande(?:/profilering)?|behandlingsaktivitet|personuppgiftsansvarig nämnd)\s*:`)
	registerColumnRE = regexp.MustCompile(`(?i)behandlingsaktivitet|kategorier av registrerade|kategorier av personuppgifter|lagringstid|mottagare|tredje land|ndamål med behandlingen`)
	privacyRE        = regexp.MustCompile(`(?i)dataskyddsförordningen|gdpr|dataskyddsombud|personuppgiftsansvarig|laglig grund|rättslig grund|dina rättigheter|registerutdrag`)
)

// Detect scores ScorePage for a page that is about personal data (at least
// three "personuppgift…" words, and questions or data-protection terms) and
// has no per-activity labels (fewer than three label lines, no line naming
// three register columns); ScoreLabelled when it has them; ScoreMention
// when it only mentions personal data; 0 otherwise.
func (*Extractor) Detect(doc *extractors.Doc) float64 {
	words, questions, labels, terms := 0, 0, 0, false
	for _, l := range doc.Lines {
		t := strings.TrimSpace(l.Text)
		low := strings.ToLower(t)
		words += strings.Count(low, "personuppgift")
		if strings.HasSuffix(t, "?") && utf8.RuneCountInString(t) <= 120 {
			questions++
		}
		if labelRE.MatchString(t) {
			labels++
		}
		if len(registerColumnRE.FindAllString(t, -1)) >= 3 {
			labels += 3 // a register table's header row
		}
		if !terms && privacyRE.MatchString(t) {
			terms = true
		}
	}
	switch {
	case words >= 3 && (questions >= 2 || terms) && labels < 3:
		return ScorePage
	case words >= 3 && (questions >= 2 || terms):
		return ScoreLabelled
	case words > 0:
		return ScoreMention
	}
	return 0
}

// line is one trimmed line with its position.
type line struct {
	n, page int
	text    string
	heading bool // declared by the container (HTML h1–h6)
}

// chromeRE matches whole lines that are site chrome, not page content.
var chromeRE = regexp.MustCompile(`(?i)^(?:(?:fortsätt|hoppa|gå direkt|gå|direkt) till (?:huvud)?innehåll(?:et)?|till (?:huvud)?innehållet|` +
	`blev du hjälpt av (?:informationen|innehållet|sidan)(?: på (?:den här )?sidan)?\??|hittade du (?:det|den information|informationen) (?:du sökte|du letade efter)\??|` +
	`var (?:informationen|sidan|innehållet) till hjälp\??|dela(?: (?:denna|den här))?(?: sida(?:n)?)?|dela på (?:facebook|twitter|linkedin|x)|` +
	`skriv ut(?: sidan)?|lyssna(?: på sidan)?|läs upp|tipsa(?: en vän)?|ja|nej|skicka|godkänn(?: alla)? (?:kakor|cookies)|` +
	`(?:länk till annan webbplats|öppnas i nytt fönster)\.?)$`)

// Extract returns one document record for the page.
func (*Extractor) Extract(doc *extractors.Doc) ([]extractors.RawRecord, error) {
	var all []line
	for _, l := range doc.Lines {
		all = append(all, line{n: l.N, page: l.Page, text: strings.TrimSpace(l.Text), heading: doc.Headings[l.N]})
	}

	// Site chrome and contact boxes go; the facts of the boxes are kept.
	var content, boxes []line
	for i := 0; i < len(all); i++ {
		l := all[i]
		if chromeRE.MatchString(l.text) {
			continue
		}
		if end := contactBox(all, i); end > i {
			boxes = append(boxes, all[i:end]...)
			boxes = append(boxes, line{})
			i = end - 1
			continue
		}
		content = append(content, l)
	}
	content = trimBlank(content)
	if len(content) == 0 {
		return nil, nil
	}

	rec := &record.Record{Kind: record.KindDocument}
	facts := append(append([]line(nil), boxes...), content...)
	rec.OrgNumber = orgNumber(facts)
	rec.PostalAddress = postalAddress(facts)
	rec.Phone = phone(facts)
	rec.DPOContact = dpoContact(facts)
	rec.Date = updated(content)

	titleIdx := title(content)
	if titleIdx >= 0 {
		rec.Title = content[titleIdx].text
	} else {
		rec.Title = siteTitle(doc.Title)
	}
	rec.Organ = organ(rec.Title, content)
	if rec.Organ == "" {
		rec.Organ = doc.Organ
	}
	rec.Municipality = municipality(content)
	if rec.Municipality == "" {
		rec.Municipality = doc.Municipality
	}
	if rec.Municipality == "" {
		rec.Municipality = postalTown(rec.PostalAddress)
	}

	fields := map[string]string{}
	for _, s := range sections(content, titleIdx) {
		rec.Sections = append(rec.Sections, record.Section{Heading: s.heading.text, Text: paragraphs(s.lines, doc.Repair, " ", "\n\n"), Line: s.heading.n})
		for _, f := range fieldHeadings {
			if fields[f.key] == "" && f.re.MatchString(s.heading.text) {
				fields[f.key] = paragraphs(s.lines, doc.Repair, " ", "\n")
			}
		}
	}
	for _, f := range fieldHeadings {
		if f.fallback != nil && fields[f.key] == "" {
			for _, s := range sections(content, titleIdx) {
				if f.fallback.MatchString(s.heading.text) {
					fields[f.key] = paragraphs(s.lines, doc.Repair, " ", "\n")
					break
				}
			}
		}
		if fields[f.key] == "" {
			delete(fields, f.key)
		}
	}

	var text []string
	for i, l := range content {
		if l.text == "" && i > 0 && content[i-1].text == "" {
			continue
		}
		text = append(text, l.text)
	}
	rec.Text = strings.Join(text, "\n")

	conf := 0.85
	for _, v := range []string{rec.Title, rec.Organ, rec.Municipality} {
		if v == "" {
			conf -= 0.15
		}
	}
	return []extractors.RawRecord{{
		Kind:       record.KindDocument,
		Fields:     fields,
		Page:       content[0].page,
		Line:       content[0].n,
		EndLine:    content[len(content)-1].n,
		Confidence: max(conf, 0.1),
		Document:   rec,
	}}, nil
}

// fieldHeadings maps a section heading to the contract field its text
// states; fallback headings are used only when no primary one is found.
var fieldHeadings = []struct {
	key          string
	re, fallback *regexp.Regexp
}{
	{record.FieldLegalBasis,
		regexp.MustCompile(`(?i)\b(?:laglig|lagliga|rättslig|rättsliga) grund(?:en|er)?\b|\blagstöd\b`),
		regexp.MustCompile(`(?i)när får vi behandla|med (?:vilket|vilken) (?:stöd|rätt)|varför får vi`)},
	{record.FieldRecipients,
		regexp.MustCompile(`(?i)\bta del av\b|\bmottagare\b|\blämnar (?:vi )?ut\b|\bdelar vi\b|\btill vem\b|\bvem får\b|\bvilka får\b`), nil},
	{record.FieldSources,
		regexp.MustCompile(`(?i)\bvarifrån\b|\bhämta(?:r|s)?\b|\binhämta|\bkällor?\b|\bfått (?:uppgifterna |personuppgifterna )?från\b|\bfår vi (?:dina )?(?:uppgifter|personuppgifter)\b`), nil},
	{record.FieldAutomatedDecisions,
		regexp.MustCompile(`(?i)automati(?:serat|serade|serande|skt) beslut|\bprofilering\b`), nil},
}

// contactBox returns the end (exclusive) of a contact box starting at
// all[i], or i when there is none. A box is a "Kontakt" line followed by
// paragraphs of short lines (at most 70 characters, no question) each of
// which holds a phone, organisationsnummer, address or e-mail, separated by
// at most one blank line (HTML renders one <p> per fact). A paragraph with a
// long line ends the box where it stands.
func contactBox(all []line, i int) int {
	if !contactHeadRE.MatchString(all[i].text) {
		return i
	}
	end := i
	for j := i + 1; j < len(all); {
		if all[j].text == "" {
			j++ // one blank line may separate the paragraphs
			if j == len(all) || all[j].text == "" {
				break
			}
		}
		k, facts := j, false
		for ; k < len(all) && all[k].text != ""; k++ {
			t := all[k].text
			if utf8.RuneCountInString(t) > 70 || strings.HasSuffix(t, "?") {
				return end
			}
			if factRE.MatchString(t) {
				facts = true
			}
		}
		if !facts {
			break
		}
		end, j = k, k
	}
	return end
}

var (
	contactHeadRE = regexp.MustCompile(`(?i)^(?:kontakt|kontakta oss|kontaktuppgifter|kontakta kommunen)$`)
	factRE        = regexp.MustCompile(`(?i)organisationsnummer|org\.?\s?nr|postadress|besöksadress|telefon|tel\.?:|växel|servicecenter|kontaktcenter|kundcenter|e-post|@|\b\d{3} ?\d{2} \p{L}`)
)

func trimBlank(ls []line) []line {
	for len(ls) > 0 && ls[0].text == "" {
		ls = ls[1:]
	}
	for len(ls) > 0 && ls[len(ls)-1].text == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// title returns the index of the page's main heading: the first line the
// container marked as a heading, else the first standalone short line
// without closing punctuation; -1 when there is none.
func title(ls []line) int {
	for i, l := range ls {
		if l.heading {
			return i
		}
	}
	for i, l := range ls {
		if l.text == "" || updatedRE.MatchString(l.text) {
			continue
		}
		if standalone(ls, i) && !strings.HasSuffix(l.text, ".") && utf8.RuneCountInString(l.text) <= 120 {
			return i
		}
		return -1
	}
	return -1
}

// siteTitle strips the site name from an HTML title: "X - Hedemora kommun" → "X".
func siteTitle(t string) string {
	for _, sep := range []string{" - ", " – ", " | "} {
		if i := strings.LastIndex(t, sep); i > 0 {
			return strings.TrimSpace(t[:i])
		}
	}
	return strings.TrimSpace(t)
}

// standalone reports whether ls[i] is a paragraph of one line.
func standalone(ls []line, i int) bool {
	return (i == 0 || ls[i-1].text == "") && (i == len(ls)-1 || ls[i+1].text == "")
}

// isHeading reports whether ls[i] heads a section: declared by the
// container (when the container declares headings, only those count), or in
// plain text a standalone line of at most 120 characters
// that is a question or has no closing punctuation, followed by text.
func isHeading(ls []line, i int, declared bool) bool {
	l := ls[i]
	if l.text == "" {
		return false
	}
	if l.heading {
		return true
	}
	if declared {
		return false
	}
	if !standalone(ls, i) || utf8.RuneCountInString(l.text) > 120 || updatedRE.MatchString(l.text) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(l.text); !unicode.IsUpper(r) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(l.text)
	if last != '?' && (unicode.IsPunct(last) && last != ')') {
		return false
	}
	// Followed by a paragraph (not the end of the page).
	for j := i + 1; j < len(ls); j++ {
		if ls[j].text != "" {
			return true
		}
	}
	return false
}

type section struct {
	heading line
	lines   []line
}

// sections splits the content after the title into headed sections.
func sections(ls []line, titleIdx int) []section {
	declared := false
	for _, l := range ls {
		declared = declared || l.heading
	}
	var out []section
	for i := titleIdx + 1; i < len(ls); i++ {
		if isHeading(ls, i, declared) {
			out = append(out, section{heading: ls[i]})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].lines = append(out[len(out)-1].lines, ls[i])
		}
	}
	return out
}

// paragraphs joins the lines of each paragraph with sep (a line-end hyphen
// joined by the repairer) and the paragraphs with psep. A "Senast
// uppdaterad" line is not part of a section's text.
func paragraphs(ls []line, rep extractors.Repairer, sep, psep string) string {
	var paras []string
	var cur string
	for _, l := range ls {
		if l.text == "" || updatedRE.MatchString(l.text) {
			if cur != "" {
				paras = append(paras, cur)
				cur = ""
			}
			continue
		}
		cur = joinLine(cur, l.text, rep, sep)
	}
	if cur != "" {
		paras = append(paras, cur)
	}
	return strings.Join(paras, psep)
}

// joinLine appends next to cur; a word split by a line-end hyphen is joined
// by the repairer (without one, the hyphen is kept and no space added).
func joinLine(cur, next string, rep extractors.Repairer, sep string) string {
	if cur == "" {
		return next
	}
	if len(cur) >= 2 && strings.HasSuffix(cur, "-") {
		before, _ := utf8.DecodeLastRuneInString(cur[:len(cur)-1])
		after, _ := utf8.DecodeRuneInString(next)
		if unicode.IsLetter(before) && unicode.IsLetter(after) {
			if rep == nil {
				return cur + next
			}
			i := strings.LastIndexAny(cur, " \t")
			j := strings.IndexAny(next, " \t")
			if j < 0 {
				j = len(next)
			}
			return cur[:i+1] + rep.JoinHyphen(cur[i+1:], next[:j]) + next[j:]
		}
	}
	return cur + sep + next
}

// Controller facts.
var (
	orgNrRE    = regexp.MustCompile(`\b(\d{6})\s?-\s?(\d{4})\b`)
	orgLabelRE = regexp.MustCompile(`(?i)organisationsnummer|org\.?\s?nr|orgnr|org\. nummer`)
	postcodeRE = regexp.MustCompile(`^(?:SE-)?(\d{3}) ?(\d{2})\s+(\p{Lu}[\p{L}-]*(?:\s\p{Lu}[\p{L}-]*)*)$`)
	addrLabel  = regexp.MustCompile(`(?i)^(?:post)?adress\s*:?\s*(.*)$`)
	phoneLabel = regexp.MustCompile(`(?i)^(?:telefon(?:\s*\(växel\))?|tel\.?|växel|servicecenter|kontaktcenter|kundcenter|medborgarcenter|kommunens växel)\s*:?\s*(.*)$`)
	phoneRE    = regexp.MustCompile(`(?:\+46\s?(?:\(0\))?\s?|\b0)\d[\d \-]{5,14}\d`)
	emailRE    = regexp.MustCompile(`[\p{L}0-9._%+-]+@[\p{L}0-9.-]+\.\p{L}{2,}`)
)

// orgNumber returns the organisationsnummer given after its label, on the
// same line or the next non-blank one.
func orgNumber(ls []line) string {
	for i, l := range ls {
		loc := orgLabelRE.FindStringIndex(l.text)
		if loc == nil {
			continue
		}
		if m := orgNrRE.FindStringSubmatch(l.text[loc[1]:]); m != nil {
			return m[1] + "-" + m[2]
		}
		if j := nextText(ls, i); j >= 0 {
			if m := orgNrRE.FindStringSubmatch(ls[j].text); m != nil && strings.HasPrefix(ls[j].text, m[0]) {
				return m[1] + "-" + m[2]
			}
		}
	}
	return ""
}

func nextText(ls []line, i int) int {
	for j := i + 1; j < len(ls) && j <= i+2; j++ {
		if ls[j].text != "" {
			return j
		}
	}
	return -1
}

// postalAddress returns the address after a "Postadress:" label (same line
// or the lines below it, up to the postcode line), joined with ", ".
func postalAddress(ls []line) string {
	for i, l := range ls {
		m := addrLabel.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		var parts []string
		if v := strings.TrimSpace(m[1]); v != "" {
			parts = append(parts, v)
			if hasPostcode(v) {
				return v
			}
		}
		for j := i + 1; j < len(ls) && j <= i+4; j++ {
			t := ls[j].text
			if t == "" || strings.Contains(t, ":") || utf8.RuneCountInString(t) > 60 {
				break
			}
			parts = append(parts, t)
			if postcodeRE.MatchString(t) {
				return strings.Join(parts, ", ")
			}
		}
		if len(parts) > 0 {
			return strings.Join(parts, ", ")
		}
	}
	return ""
}

func hasPostcode(s string) bool {
	for _, p := range strings.Split(s, ",") {
		if postcodeRE.MatchString(strings.TrimSpace(p)) {
			return true
		}
	}
	return false
}

// postalTown returns "<Town> kommun" from an address's postcode part.
func postalTown(addr string) string {
	parts := strings.Split(addr, ",")
	for i := len(parts) - 1; i >= 0; i-- {
		if m := postcodeRE.FindStringSubmatch(strings.TrimSpace(parts[i])); m != nil {
			return m[3] + " kommun"
		}
	}
	return ""
}

// phone returns the phone number after a phone label (Telefon, Växel,
// Servicecenter, ...), on the same line or the next.
func phone(ls []line) string {
	for i, l := range ls {
		m := phoneLabel.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		v := m[1]
		if strings.TrimSpace(v) == "" {
			if j := nextText(ls, i); j >= 0 {
				v = ls[j].text
			}
		}
		if p := phoneRE.FindString(v); p != "" && digits(p) >= 7 {
			return strings.TrimSpace(p)
		}
	}
	return ""
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// dpoContact returns the e-mail address of the dataskyddsombud
// (data protection officer): one on a line that names the DPO, or one whose
// local part does.
func dpoContact(ls []line) string {
	for i, l := range ls {
		if !strings.Contains(strings.ToLower(l.text), "dataskyddsombud") {
			continue
		}
		for j := i; j < len(ls) && j <= i+3; j++ {
			if e := emailRE.FindString(ls[j].text); e != "" {
				return strings.TrimRight(e, ".")
			}
		}
	}
	for _, l := range ls {
		for _, e := range emailRE.FindAllString(l.text, -1) {
			local := strings.ToLower(e[:strings.Index(e, "@")])
			if strings.Contains(local, "dataskydd") || local == "dso" || local == "gdpr" {
				return strings.TrimRight(e, ".")
			}
		}
	}
	return ""
}

var (
	updatedRE = regexp.MustCompile(`(?i)^(?:senast (?:uppdaterad|ändrad|granskad)|sidan (?:uppdaterades|ändrades|granskades)|uppdaterad|publicerad|granskad)\s*(?:den)?\s*:?\s*(.+)$`)
	isoDateRE = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	textDate  = regexp.MustCompile(`(?i)\b(\d{1,2})\s+(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\s+(\d{4})\b`)
	months    = map[string]int{"januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
		"augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12}
)

// updated returns the date of a "Senast uppdaterad: ..." line (ISO or
// "27 oktober 2022") as YYYY-MM-DD, the last such line winning; "" when
// none.
func updated(ls []line) string {
	date := ""
	for _, l := range ls {
		m := updatedRE.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		if d := isoDateRE.FindString(m[1]); d != "" && validDate(d) {
			date = d
		} else if t := textDate.FindStringSubmatch(m[1]); t != nil {
			day, _ := strconv.Atoi(t[1])
			d := t[3] + "-" + two(months[strings.ToLower(t[2])]) + "-" + two(day)
			if validDate(d) {
				date = d
			}
		}
	}
	return date
}

func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func validDate(d string) bool {
	if len(d) != 10 {
		return false
	}
	y, _ := strconv.Atoi(d[:4])
	m, _ := strconv.Atoi(d[5:7])
	day, _ := strconv.Atoi(d[8:])
	return y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && day >= 1 && day <= 31
}

// compound matches the start of a one-word name, with an elliptic
// coordination before it: "Kultur- och fritids", "Bygg-, miljö- och ".
const compound = `(?:\p{L}+-(?:,\s*\p{L}+-)*\s+(?:och|&)\s+)?\p{L}*`

var (
	// organGenRE finds a board in the genitive in a title: "Kommunstyrelsens
	// hantering av personuppgifter", "Barn- och utbildningsnämndens ...".
	organGenRE = regexp.MustCompile(`(?i)(` + compound + `(?:nämnden|styrelsen|direktionen|fullmäktige))s(?:$|[^\p{L}])`)
	// organNomRE finds a board in the nominative.
	organNomRE = regexp.MustCompile(`(?i)(` + compound + `(?:nämnden|styrelsen|direktionen|fullmäktige))(?:$|[^\p{L}])`)
	// controllerRE finds "X är personuppgiftsansvarig".
	controllerRE = regexp.MustCompile(`(?i)(` + compound + `(?:nämnden|styrelsen|direktionen|fullmäktige))\s+är\s+personuppgiftsansvarig`)
)

// organ returns the board that is controller: from the title (genitive or
// nominative), else from "X är personuppgiftsansvarig" in the text.
func organ(title string, ls []line) string {
	if m := organGenRE.FindStringSubmatch(title); m != nil {
		return upperFirst(m[1])
	}
	if m := organNomRE.FindStringSubmatch(title); m != nil {
		return upperFirst(m[1])
	}
	for _, l := range ls {
		if m := controllerRE.FindStringSubmatch(l.text); m != nil {
			return upperFirst(m[1])
		}
	}
	return ""
}

// municipalityRE finds a municipality or region named in the text.
// (Go's \b is ASCII-only, so letter boundaries are spelled out.)
var municipalityRE = regexp.MustCompile(`(?:^|[^\p{L}])(?:(\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?)\s([Kk]ommun|[Ss]tad)|(Region)\s(\p{Lu}[\p{L}-]+))(?:$|[^\p{L}])`)

// notNames are capitalised words that begin a sentence before "kommun".
var notNames = map[string]bool{"Varje": true, "Din": true, "Vår": true, "Er": true, "Annan": true, "Samma": true,
	"Denna": true, "Den": true, "En": true, "Hela": true, "Egen": true, "Ansvarig": true, "Aktuell": true, "Berörd": true}

// municipality returns the municipality the page names most often, or "".
func municipality(ls []line) string {
	count := map[string]int{}
	best := ""
	for _, l := range ls {
		for _, m := range municipalityRE.FindAllStringSubmatch(l.text, -1) {
			var name string
			if m[1] != "" {
				first := strings.Fields(m[1])[0]
				if notNames[first] {
					continue
				}
				name = m[1] + " " + strings.ToLower(m[2])
			} else {
				name = m[3] + " " + m[4]
			}
			count[name]++
			if best == "" || count[name] > count[best] {
				best = name
			}
		}
	}
	return best
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
