// Package memo extracts tjänsteskrivelser (officials' reports to a board:
// a memo proposing a decision) as one document record each.
//
// A tjänsteskrivelse has a header (addressee board, title, often a date,
// diary number and the administration that wrote it) followed by headed
// sections: Sammanfattning (summary), Beslutsunderlag (decision basis), "X:s
// förslag till beslut" (the administration's proposed decision, in "att ..."
// clauses), "Beslutet skickas till" (distribution), Ärendet (the matter),
// Bakgrund (background) and others. The extractor finds the header facts and
// the sections; it does not normalize them.
package memo

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
const Name = "memo"

// Extractor is the tjänsteskrivelse extractor. The zero value is ready to use.
type Extractor struct{}

// New returns a memo extractor.
func New() *Extractor { return &Extractor{} }

// Name returns "memo".
func (*Extractor) Name() string { return Name }

// heading is one kind of section heading.
type heading struct {
	re *regexp.Regexp
	// detect: counts towards Detect (the typical memo headings).
	detect bool
	// marker: a document-type line ("Tjänsteskrivelse") when it stands
	// before the first section; a section heading after it.
	marker bool
}

// opt matches an optional trailing colon.
const opt = `\s*:?$`

var headings = []heading{
	{re: regexp.MustCompile(`(?i)^sammanfattning(?: av ärendet)?` + opt), detect: true},
	{re: regexp.MustCompile(`(?i)^beslutsunderlag` + opt), detect: true},
	{re: regexp.MustCompile(`(?i)^(?:[\p{L}-]+(?: (?:och|[\p{L}-]+)){0,4}s )?förslag till beslut` + opt), detect: true},
	{re: regexp.MustCompile(`(?i)^(?:beslutet (?:ska |skall )?(?:skickas|expedieras) till|expedieras till|expediering|sändlista)` + opt), detect: true},
	{re: regexp.MustCompile(`(?i)^(?:ärendet|ärendebeskrivning|beskrivning av ärendet|ärendets beredning)` + opt), detect: true},
	{re: regexp.MustCompile(`(?i)^tjänsteskrivelse` + opt), detect: true, marker: true},
	{re: regexp.MustCompile(`(?i)^beslut` + opt), detect: true, marker: true},
	{re: regexp.MustCompile(`(?i)^bakgrund` + opt), detect: true},
	{re: regexp.MustCompile(`(?i)^yttrande` + opt), detect: true, marker: true},
	{re: regexp.MustCompile(`(?i)^(?:(?:[\p{L}-]+s )?bedömning|analys|överväganden|motivering|slutsats(?:er)?|konsekvensanalys|` +
		`(?:ekonomiska|juridiska|miljömässiga|sociala|verksamhetsmässiga) konsekvenser|konsekvenser|barnperspektiv(?:et)?|` +
		`barnkonsekvensanalys|finansiering|uppföljning|(?:facklig )?samverkan|bilagor?|förslag|beredning|lagstiftning|ärendets behandling)` + opt)},
}

// match returns the heading kind that line (trimmed) is, or nil.
func match(line string) *heading {
	if line == "" || utf8.RuneCountInString(line) > 80 {
		return nil
	}
	for i := range headings {
		if headings[i].re.MatchString(line) {
			return &headings[i]
		}
	}
	return nil
}

// Detect scores by the memo headings present as heading lines: 0.8 for
// three, rising by 0.05 for each further one to 0.95; 0.5 for two, 0.2 for one.
func (*Extractor) Detect(doc *extractors.Doc) float64 {
	seen := map[*heading]bool{}
	for _, l := range doc.Lines {
		if h := match(strings.TrimSpace(l.Text)); h != nil && h.detect {
			seen[h] = true
		}
	}
	switch n := len(seen); {
	case n >= 3:
		return min(0.8+0.05*float64(n-3), 0.95)
	case n == 2:
		return 0.5
	case n == 1:
		return 0.2
	}
	return 0
}

// line is one trimmed line with its position.
type line struct {
	n, page int
	text    string
}

// section is a heading and the lines under it.
type section struct {
	heading line
	lines   []line
}

// Extract returns one document record for the memo.
func (*Extractor) Extract(doc *extractors.Doc) ([]extractors.RawRecord, error) {
	var lines []line
	for _, l := range doc.Lines {
		lines = append(lines, line{n: l.N, page: l.Page, text: strings.TrimSpace(l.Text)})
	}
	first, last := -1, -1
	for i, l := range lines {
		if l.text != "" {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil, nil
	}
	lines = lines[first : last+1]

	header, sections, markers := split(lines, doc.Headings)
	rec := &record.Record{
		Kind:         record.KindDocument,
		Municipality: doc.Municipality,
		Organ:        doc.Organ,
		DocumentType: "tjänsteskrivelse",
	}

	var title string
	organFound := false
	for _, l := range header {
		switch t := l.text; {
		case t == "" || isMeta(t):
		case isOrgan(t):
			if !organFound {
				rec.Organ, organFound = organName(t), true
			}
		case isAdministration(t):
			if rec.Administration == "" {
				rec.Administration = t
			}
		case municipalityRE.MatchString(t):
			if rec.Municipality == "" {
				rec.Municipality = t
			}
		case title == "":
			title = t
		}
	}
	if title == "" {
		title = doc.Title
	}
	rec.Title = title
	if !hasWord(lines, "tjänsteskrivelse") {
		for _, m := range markers {
			if strings.HasPrefix(strings.ToLower(m), "yttrande") {
				rec.DocumentType = "yttrande"
			}
		}
	}

	for _, s := range sections {
		h := strings.TrimSuffix(strings.TrimSpace(s.heading.text), ":")
		rec.Sections = append(rec.Sections, record.Section{Heading: h, Text: paragraphs(s.lines, doc.Repair, " "), Line: s.heading.n})
		low := strings.ToLower(h)
		switch {
		case strings.HasSuffix(low, "förslag till beslut"):
			if a := administration(h); a != "" && rec.Administration == "" {
				rec.Administration = a
			}
			if rec.ProposedDecision == "" {
				rec.ProposedDecision = proposal(s.lines, doc.Repair)
			}
		case strings.Contains(low, "till") && strings.Contains(low, "beslutet") || low == "expedieras till" || low == "expediering" || low == "sändlista":
			if rec.DecisionSentTo == "" {
				rec.DecisionSentTo = firstParagraph(s.lines)
			}
		}
	}

	rec.Date = memoDate(lines)
	rec.IncidentsReported = incidents(lines)
	if from, to, ok := reportPeriod(lines); ok {
		rec.ReportPeriod = &record.Period{From: from, To: to}
	}

	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.text
	}
	rec.Text = strings.Join(texts, "\n")

	conf := 0.9
	for _, v := range []string{rec.Title, rec.Organ, rec.Date} {
		if v == "" {
			conf -= 0.15
		}
	}
	if len(sections) == 0 {
		conf -= 0.3
	}
	return []extractors.RawRecord{{
		Kind:       record.KindDocument,
		Fields:     map[string]string{},
		Page:       lines[0].page,
		Line:       lines[0].n,
		EndLine:    lines[len(lines)-1].n,
		Confidence: max(conf, 0.1),
		Document:   rec,
	}}, nil
}

// split cuts the lines into the header (before the first section heading),
// the sections, and the document-type marker lines of the header.
func split(lines []line, marked map[int]bool) (header []line, sections []section, markers []string) {
	inHeader := true
	for _, l := range lines {
		h := match(l.text)
		isHeading := h != nil || marked[l.n] && l.text != "" && !isMeta(l.text)
		if inHeader && h != nil && h.marker {
			markers = append(markers, l.text)
			continue
		}
		if inHeader && h == nil && isHeading && len(sections) == 0 && !hasText(header) {
			header = append(header, l) // a marked title line, not a section
			continue
		}
		if isHeading {
			inHeader = false
			sections = append(sections, section{heading: l})
			continue
		}
		if inHeader {
			header = append(header, l)
		} else {
			s := &sections[len(sections)-1]
			s.lines = append(s.lines, l)
		}
	}
	return header, sections, markers
}

func hasText(lines []line) bool {
	for _, l := range lines {
		if l.text != "" && !isMeta(l.text) && !isOrgan(l.text) {
			return true
		}
	}
	return false
}

// metaRE matches header lines that carry document metadata, not the title.
var metaRE = regexp.MustCompile(`(?i)^(?:datum|dnr|diarienummer|diarienr|vår beteckning|er beteckning|ärendenummer|handläggare|` +
	`handläggning|referens|ref|sida|sid|telefon|tel|e-post|till|från|kopia|dokumentnamn|dokumenttyp|version|beslutsinstans|` +
	`sammanträdesdatum|mötesdatum|ansvarig)\b\.?:?|^\d{4}-\d{2}-\d{2}$|^(?:sida|sid)?\s*\d+\s*(?:\(|av)\s*\d+\)?$|^[A-ZÅÄÖ]{1,4}\s?\d{4}/\d+`)

func isMeta(t string) bool {
	if strings.HasPrefix(strings.ToLower(t), "till ") && isOrgan(strings.TrimSpace(t[len("till "):])) {
		return false // "Till Kommunstyrelsen" names the addressee
	}
	return metaRE.MatchString(t)
}

// organRE matches a line that is only a board's name, optionally after
// "Till": Kommunstyrelsen, Socialnämnden, Kultur- och fritidsnämnden,
// Kommunfullmäktige, Kommunstyrelsens arbetsutskott.
var organRE = regexp.MustCompile(`(?i)^(?:till:?\s+)?(` + compound + `(?:nämnd(?:en)?|styrelse(?:n)?|fullmäktige|direktion(?:en)?)|` +
	`[\p{L}-]+s\s+[\p{L}-]*utskott(?:et)?)\.?$`)

// compound matches the start of a one-word name, with an elliptic
// coordination before it: "Kultur- och fritids", "Bygg-, miljö- och ".
const compound = `(?:[\p{L}]+-(?:,\s*[\p{L}]+-)*\s+(?:och|&)\s+)?[\p{L}-]*`

func isOrgan(t string) bool { return organRE.MatchString(t) }

func organName(t string) string {
	if m := organRE.FindStringSubmatch(t); m != nil {
		return upperFirst(m[1])
	}
	return t
}

// adminRE matches an administration's name (förvaltning, kontor, ...).
var adminRE = regexp.MustCompile(`(?i)^` + compound + `(?:förvaltning(?:en)?|kontor(?:et)?|avdelning(?:en)?|` +
	`sektor(?:n)?|stab(?:en)?|enhet(?:en)?)$`)

func isAdministration(t string) bool {
	return adminRE.MatchString(t) && !strings.EqualFold(t, "förvaltningen") && !strings.EqualFold(t, "förvaltning")
}

// administration returns the administration named in a "X:s förslag till
// beslut" heading with the genitive s removed, or "" when the proposer is not
// an administration (a board, the chair) or is only "Förvaltningens".
func administration(h string) string {
	i := strings.LastIndex(strings.ToLower(h), "förslag till beslut")
	if i <= 0 {
		return ""
	}
	name := strings.TrimSpace(h[:i])
	name = strings.TrimSuffix(name, ":s")
	if strings.HasSuffix(name, "s") && !strings.HasSuffix(name, "ss") {
		name = name[:len(name)-1]
	}
	if !isAdministration(name) {
		return ""
	}
	return upperFirst(name)
}

// attRE matches the start of an "att" clause, after an optional item marker
// ("1.", "-", "•").
var attRE = regexp.MustCompile(`(?i)^(?:(?:\d+[.)]|[-–•*])\s*)?(att\s.*)$`)

// proposal returns the "att ..." clauses of a proposed decision, each
// without its closing punctuation or linking "samt"/"och", one per line; the
// section's text when it has none.
func proposal(ls []line, rep extractors.Repairer) string {
	var clauses []string
	var cur []line
	flush := func() {
		if len(cur) > 0 {
			c := paragraphs(cur, rep, " ")
			c = strings.TrimRight(c, " .,;")
			for _, w := range []string{" samt", " och", ","} {
				c = strings.TrimSuffix(c, w)
			}
			clauses = append(clauses, strings.TrimSpace(c))
			cur = nil
		}
	}
	for _, l := range ls {
		if m := attRE.FindStringSubmatch(l.text); m != nil {
			flush()
			cur = append(cur, line{n: l.n, text: m[1]})
			continue
		}
		if l.text == "" {
			flush()
			continue
		}
		if cur != nil {
			cur = append(cur, l)
		}
	}
	flush()
	if len(clauses) == 0 {
		return paragraphs(ls, rep, " ")
	}
	return strings.Join(clauses, "\n")
}

// firstParagraph returns the lines of the section's first paragraph, one per
// line (a distribution list names one recipient a line).
func firstParagraph(ls []line) string {
	var out []string
	for _, l := range ls {
		if l.text == "" {
			if len(out) > 0 {
				break
			}
			continue
		}
		out = append(out, l.text)
	}
	return strings.Join(out, "\n")
}

// paragraphs joins the lines of each paragraph with sep (a line-end hyphen
// joined by the repairer) and the paragraphs with "\n\n".
func paragraphs(ls []line, rep extractors.Repairer, sep string) string {
	var paras []string
	var cur string
	for _, l := range ls {
		if l.text == "" {
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
	return strings.Join(paras, "\n\n")
}

// joinLine appends next to cur; a word split by a line-end hyphen is joined
// by the repairer (without one, the hyphen is kept and no space added).
func joinLine(cur, next string, rep extractors.Repairer, sep string) string {
	if cur == "" {
		return next
	}
	if hyphenated(cur) && startsWithLetter(next) {
		if rep != nil {
			i := strings.LastIndexAny(cur, " \t")
			left := cur[i+1:]
			j := strings.IndexAny(next, " \t")
			if j < 0 {
				j = len(next)
			}
			return cur[:i+1] + rep.JoinHyphen(left, next[:j]) + next[j:]
		}
		return cur + next
	}
	return cur + sep + next
}

func hyphenated(s string) bool {
	if !strings.HasSuffix(s, "-") || len(s) < 2 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:len(s)-1])
	return unicode.IsLetter(r)
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

var (
	isoDateRE = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	// memoDateRE: "Tjänsteskrivelse daterad 2020-10-26", "Tjänsteskrivelse 2021-03-15".
	memoDateRE = regexp.MustCompile(`(?i)^tjänsteskrivelse\b[^\d]{0,40}(\d{4}-\d{2}-\d{2})\b`)
	// headerDateRE: "Datum: 2021-03-15", "Datum 2021-03-15".
	headerDateRE   = regexp.MustCompile(`(?i)^datum\s*:?\s*(\d{4}-\d{2}-\d{2})\b`)
	municipalityRE = regexp.MustCompile(`^[\p{Lu}][\p{L}-]+(?: [\p{Lu}][\p{L}-]+)? (?:kommun|stad|Kommun|Stad)$`)
)

// memoDate returns the date of the tjänsteskrivelse itself: the date given
// with "Tjänsteskrivelse" (in the decision basis or the header), else a
// "Datum" line, else the latest valid date in the text; "" when none.
func memoDate(ls []line) string {
	for _, re := range []*regexp.Regexp{memoDateRE, headerDateRE} {
		for _, l := range ls {
			if m := re.FindStringSubmatch(l.text); m != nil && validDate(m[1]) {
				return m[1]
			}
		}
	}
	latest := ""
	for _, l := range ls {
		for _, d := range isoDateRE.FindAllString(l.text, -1) {
			if validDate(d) && d > latest {
				latest = d
			}
		}
	}
	return latest
}

func validDate(d string) bool {
	if len(d) != 10 {
		return false
	}
	y, _ := strconv.Atoi(d[:4])
	m, _ := strconv.Atoi(d[5:7])
	day, _ := strconv.Atoi(d[8:])
	return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && day >= 1 && day <= 31
}

// periodRE matches a date range: "2020-09-23---2020-10-26", "2020-09-23 – 2020-10-26",
// "2020-09-23 till 2020-10-26", "2020-09-23 t.o.m. 2020-10-26".
var periodRE = regexp.MustCompile(`(\d{4}-\d{2}-\d{2})\s*(?:-{1,3}|–|—|till|t\.o\.m\.?|tom)\s*(\d{4}-\d{2}-\d{2})`)

// reportPeriod returns the period a report covers, from a line that names a
// rapport, redovisning or period and holds a date range.
func reportPeriod(ls []line) (from, to string, ok bool) {
	for _, l := range ls {
		low := strings.ToLower(l.text)
		if !strings.Contains(low, "rapport") && !strings.Contains(low, "redovisning") && !strings.Contains(low, "period") {
			continue
		}
		if m := periodRE.FindStringSubmatch(l.text); m != nil && validDate(m[1]) && validDate(m[2]) && m[1] <= m[2] {
			return m[1], m[2], true
		}
	}
	return "", "", false
}

var numberWords = map[string]int{
	"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
	"nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15,
	"sexton": 16, "sjutton": 17, "arton": 18, "nitton": 19, "tjugo": 20,
}

// incidents returns the number of incidents a report memo says it reports,
// or 0: a number (digits or a word up to tjugo) followed within four words
// by "(personuppgifts)incident(er)", in a sentence that reports (rapport,
// redovisning or anmälan before the number, or rapporterats, inträffat or
// anmälts after it), so that "En personuppgiftsincident är ..." does not
// count.
func incidents(ls []line) int {
	text := paragraphs(ls, nil, " ")
	for _, sentence := range strings.FieldsFunc(text, func(r rune) bool { return r == '.' || r == '\n' || r == '?' || r == '!' }) {
		words := strings.Fields(strings.ToLower(sentence))
		for i, w := range words {
			w = strings.Trim(w, ",;:()")
			n, err := strconv.Atoi(w)
			if err != nil {
				n = numberWords[w]
			}
			if n <= 0 {
				continue
			}
			for j := i + 1; j < len(words) && j <= i+4; j++ {
				x := strings.Trim(words[j], ",;:()")
				if !strings.HasPrefix(x, "personuppgiftsincident") && !strings.HasPrefix(x, "incident") {
					continue
				}
				before := strings.Join(words[:i], " ")
				after := strings.Join(words[j+1:], " ")
				if strings.Contains(before, "rapport") || strings.Contains(before, "redovisning") || strings.Contains(before, "anmälan") ||
					strings.Contains(after, "rapporterats") || strings.Contains(after, "inträffat") || strings.Contains(after, "anmälts") {
					return n
				}
				break
			}
		}
	}
	return 0
}

func hasWord(ls []line, w string) bool {
	for _, l := range ls {
		if strings.Contains(strings.ToLower(l.text), w) {
			return true
		}
	}
	return false
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
