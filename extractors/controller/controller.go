// Package controller finds the controller (personuppgiftsansvarig) of a
// document or of one section of it: the municipality or region
// ("Luleå kommun", "Region Norrbotten") and the organ, the board that is
// the controller ("Kommunstyrelsen", "Barn- och utbildningsnämnden").
//
// It weighs the evidence a text gives, strongest first: a sentence that
// says who is personuppgiftsansvarig ("Kulturnämnden är
// personuppgiftsansvarig", "Personuppgiftsansvarig: Socialnämnden"), the
// title ("Kommunstyrelsens personuppgiftsbehandlingar"), "Inom Luleå kommun",
// the most frequent mention, and, for the municipality only when nothing
// better is found, the town of a postal address ("776 30 Hedemora").
// E-mail domains are not used: they are too weak.
//
// Names are normalised: case ("Luleå Kommun" → "Luleå kommun"), genitive
// ("Kommunstyrelsens" → "Kommunstyrelsen", "Luleå kommuns" → "Luleå
// kommun") and indefinite forms ("Socialnämnd" → "Socialnämnden").
// Municipality names are checked against the list of Sweden's 290
// municipalities and 21 regions, which also lets a name whose å/ä/ö OCR
// destroyed ("Sodertélje kommun") be recognised and written correctly.
package controller

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/extractors"
)

// Kinds of evidence, strongest first.
const (
	EvidenceResponsible = "responsible" // "X är personuppgiftsansvarig", "Personuppgiftsansvarig: X"
	EvidenceTitle       = "title"       // the document's first line or a heading
	EvidenceWithin      = "within"      // "Inom Luleå kommun"
	EvidenceMention     = "mention"     // the most frequent mention
	EvidencePostal      = "postal"      // the town of a postal address
)

// Evidence says where a controller fact was found.
type Evidence struct {
	Kind string // one of the Evidence* kinds
	Line int    // 1-based line number (Doc line N, or index+1 into the lines given)
	Text string // the words as written in the source
}

// Result is the controller of a text with the evidence for each part.
// An empty Municipality or Organ means the text does not say.
type Result struct {
	Municipality         string
	Organ                string
	MunicipalityEvidence Evidence
	OrganEvidence        Evidence
}

// Find returns the municipality (or region) and the organ that is the
// controller of the text lines. Either is "" when the text does not say.
func Find(lines []string) (municipality, organ string) {
	r := Analyze(lines)
	return r.Municipality, r.Organ
}

// Analyze is Find with the evidence. Line numbers in the evidence are the
// 1-based indexes of lines.
func Analyze(lines []string) Result {
	ls := make([]line, len(lines))
	for i, t := range lines {
		ls[i] = line{n: i + 1, text: t}
	}
	return analyze(ls, nil)
}

// FromDoc analyses a whole document: evidence lines are the Doc's line
// numbers, and lines the container declared as headings (Doc.Headings)
// count as titles.
func FromDoc(doc *extractors.Doc) Result {
	if doc == nil {
		return Result{}
	}
	ls := make([]line, len(doc.Lines))
	for i, l := range doc.Lines {
		ls[i] = line{n: l.N, text: l.Text}
	}
	return analyze(ls, doc.Headings)
}

// Organ returns the organ named in s ("Socialnämndens" → "Socialnämnden"),
// or "" when s names none. It is meant for a label's value, such as the
// text after "Personuppgiftsansvarig:".
func Organ(s string) string {
	for _, m := range organMentions(s) {
		return m.name
	}
	return ""
}

// Municipality returns the municipality or region named in s
// ("Luleå kommuns" → "Luleå kommun"), or "" when s names none.
func Municipality(s string) string {
	for _, m := range municipalityMentions(s) {
		return m.name
	}
	return ""
}

type line struct {
	n    int
	text string
}

// Evidence weights. A kind's weight is added once per mention, so many
// plain mentions can outweigh one title, but never a statement of
// responsibility.
const (
	weightResponsible = 10
	weightTitle       = 5
	weightWithin      = 5
	weightHeading     = 3
	weightMention     = 1
	weightAssembly    = 0.3 // kommunfullmäktige is rarely the controller
	weightRegion      = 0.5 // a region mentioned in a municipality's text is usually a partner
)

type tally struct {
	score    float64
	best     Evidence
	bestRank int
	first    int // order of first sighting, for ties
}

var kindRank = map[string]int{
	EvidenceResponsible: 5, EvidenceTitle: 4, EvidenceWithin: 3, EvidenceMention: 2, EvidencePostal: 1,
}

func (t *tally) add(w float64, ev Evidence) {
	t.score += w
	if r := kindRank[ev.Kind]; r > t.bestRank {
		t.bestRank = r
		t.best = ev
	}
}

type tallies struct {
	m     map[string]*tally
	order int
}

func (ts *tallies) add(name string, w float64, ev Evidence) {
	if ts.m == nil {
		ts.m = map[string]*tally{}
	}
	t := ts.m[name]
	if t == nil {
		ts.order++
		t = &tally{first: ts.order}
		ts.m[name] = t
	}
	t.add(w, ev)
}

func (ts *tallies) best() (string, Evidence) {
	var name string
	var bt *tally
	for n, t := range ts.m {
		if bt == nil || t.score > bt.score || (t.score == bt.score && t.first < bt.first) {
			name, bt = n, t
		}
	}
	if bt == nil {
		return "", Evidence{}
	}
	return name, bt.best
}

func analyze(ls []line, headings map[int]bool) Result {
	var orgs, munis, postal tallies
	firstText := -1
	respNext := false // the previous non-blank line was a bare "Personuppgiftsansvarig" label
	var buf []byte
	for i, l := range ls {
		text := strings.TrimSpace(l.text)
		if text == "" {
			continue
		}
		if firstText < 0 {
			firstText = i
		}
		responsibleLine := respNext
		respNext = bareResponsibleLabel(text)
		if mayPostal(text) {
			for _, m := range postalTowns(text) {
				postal.add(m.name, 1, Evidence{Kind: EvidencePostal, Line: l.n, Text: m.text})
			}
		}
		var may bool
		if may, buf = mayName(text, buf); !may {
			continue // no organ or municipality on this line
		}
		isTitle := i == firstText || headings[l.n]
		isHeading := !isTitle && headings == nil && headingLike(text) &&
			blankAt(ls, i-1) && blankAt(ls, i+1)

		for _, s := range sentences(text) {
			responsible := responsibleLine || mentionsResponsible(s.text)
			for _, m := range organMentions(s.text) {
				ev := Evidence{Line: l.n, Text: m.text}
				w := float64(weightMention)
				switch {
				case responsible:
					ev.Kind, w = EvidenceResponsible, weightResponsible
				case isTitle:
					ev.Kind, w = EvidenceTitle, weightTitle
				case isHeading:
					ev.Kind, w = EvidenceTitle, weightHeading
				default:
					ev.Kind = EvidenceMention
					if strings.HasSuffix(m.name, "fullmäktige") {
						w = weightAssembly
					}
				}
				orgs.add(m.name, w, ev)
			}
			for _, m := range municipalityMentions(s.text) {
				ev := Evidence{Line: l.n, Text: m.text}
				w := float64(weightMention)
				switch {
				case responsible:
					ev.Kind, w = EvidenceResponsible, weightResponsible
				case isTitle:
					ev.Kind, w = EvidenceTitle, weightTitle
				case m.within:
					ev.Kind, w = EvidenceWithin, weightWithin
				case isHeading:
					ev.Kind, w = EvidenceTitle, weightHeading
				default:
					ev.Kind = EvidenceMention
					if m.region {
						w = weightRegion
					}
				}
				munis.add(m.name, w, ev)
			}
		}
	}
	var r Result
	r.Organ, r.OrganEvidence = orgs.best()
	r.Municipality, r.MunicipalityEvidence = munis.best()
	if r.Municipality == "" {
		r.Municipality, r.MunicipalityEvidence = postal.best()
	}
	return r
}

// organKeys are parts every organ word has, lower-cased ASCII: an organ
// word (organWord, standaloneOrgans, "Tekniska nämnden") ends in
// -nämnd/-namnd, -styrelse, -fullmäktige/-fullmaktige or is
// Överförmyndaren, each with its inflections.
var organKeys = []string{"mnd", "styrelse", "fullm", "myndaren"}

// muniKeys are the whole words a municipality or region mention starts
// from (municipalityMentions), lower-cased ASCII.
var muniKeys = []string{"kommun", "kommuns", "stad", "stads", "region", "stra"}

// mayName reports whether the line s could name an organ or a
// municipality or region: whether it has one of organKeys anywhere, or a
// word that may be one of muniKeys (for "stra": ending in it, as "Västra"
// does). It is a quick test that lets analyze pass over the lines that
// name nothing, most lines of a long document (a register of 100,000
// rows), and it errs only towards true: the line is lower-cased in ASCII
// only, and a rune outside ASCII whose lower case is ASCII (the Kelvin
// sign, a dotted capital I) makes it answer true. buf is scratch space,
// returned for the next call.
func mayName(s string, buf []byte) (bool, []byte) {
	buf = buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.ToLower(r) < utf8.RuneSelf {
				return true, buf
			}
			buf = append(buf, s[i:i+size]...)
			i += size - 1
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	for _, k := range organKeys {
		if bytes.Contains(buf, []byte(k)) {
			return true, buf
		}
	}
	for _, k := range muniKeys {
		for b := buf; ; {
			j := bytes.Index(b, []byte(k))
			if j < 0 {
				break
			}
			// A whole word (for "stra" the end of one): the byte before
			// (unless "stra") and the byte after must not be ASCII letters
			// or digits. Bytes outside ASCII may belong to a letter: the
			// test errs towards true.
			before := k == "stra" || j == 0 || !asciiAlnum(b[j-1])
			after := j+len(k) == len(b) || !asciiAlnum(b[j+len(k)])
			if before && after {
				return true, buf
			}
			b = b[j+1:]
		}
	}
	return false, buf
}

// mayPostal reports whether s could hold a match of postalRe: a digit
// followed by ASCII white space and an upper-case letter ("776 30
// Hedemora"). Like mayName it errs only towards true.
func mayPostal(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if !isDigit(s[i]) || !isSpace(s[i+1]) {
			continue
		}
		j := i + 1
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if r, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsUpper(r) {
			return true
		}
		i = j - 1
	}
	return false
}

// isSpace reports whether c is white space as \s of regexp means it.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func asciiAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// blankAt reports whether line i is blank or outside the text.
func blankAt(ls []line, i int) bool {
	return i < 0 || i >= len(ls) || strings.TrimSpace(ls[i].text) == ""
}

// headingLike reports whether a line looks like a heading: short, not a
// sentence, not a "key: value" line.
func headingLike(s string) bool {
	if strings.ContainsAny(s, ":") || strings.HasSuffix(s, ".") {
		return false
	}
	return len(strings.Fields(s)) <= 10
}

var responsibleRe = regexp.MustCompile(`(?i)personuppgiftsansvarig(a)?([^\p{L}]|$)`)

// mentionsResponsible reports whether a sentence says who is
// personuppgiftsansvarig. "den personuppgiftsansvarige" (generic) does not
// count.
func mentionsResponsible(s string) bool {
	return responsibleRe.MatchString(s)
}

var bareResponsibleRe = regexp.MustCompile(`(?i)^personuppgiftsansvarig( nämnd| myndighet)?\s*:?\s*$`)

func bareResponsibleLabel(s string) bool { return bareResponsibleRe.MatchString(s) }

type span struct{ text string }

var sentenceEnd = regexp.MustCompile(`[.!?]\s+`)

// sentences splits a line into rough sentences (an abbreviation may split
// one in two, which only costs a little evidence).
func sentences(s string) []span {
	var out []span
	start := 0
	for _, loc := range sentenceEnd.FindAllStringIndex(s, -1) {
		out = append(out, span{s[start:loc[1]]})
		start = loc[1]
	}
	if start < len(s) {
		out = append(out, span{s[start:]})
	}
	return out
}

type word struct {
	text       string
	start, end int // byte offsets
}

// words splits s into words of letters, digits and inner hyphens; a
// trailing hyphen stays ("Barn-" in "Barn- och utbildningsnämnden").
func words(s string) []word {
	var out []word
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isWordRune(r) && r != '-' && r != '‐' {
				break
			}
			j += size
		}
		out = append(out, word{text: s[i:j], start: i, end: j})
		i = j
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

type organMention struct {
	name string // normalised: "Barn- och utbildningsnämnden"
	text string // as written
}

// organSuffixes maps the ending of an organ word to its definite form.
// Folded spellings (OCR lost the ä) are included.
var organSuffixes = []struct{ suffix, definite string }{
	{"nämndens", "nämnden"}, {"nämnden", "nämnden"}, {"nämnds", "nämnden"}, {"nämnd", "nämnden"},
	{"namndens", "nämnden"}, {"namnden", "nämnden"}, {"namnd", "nämnden"},
	{"styrelsens", "styrelsen"}, {"styrelsen", "styrelsen"}, {"styrelses", "styrelsen"}, {"styrelse", "styrelsen"},
	{"fullmäktiges", "fullmäktige"}, {"fullmäktige", "fullmäktige"},
	{"fullmaktiges", "fullmäktige"}, {"fullmaktige", "fullmäktige"},
}

// notOrganStems are compound stems that end in -styrelse/-nämnd but are not
// municipal organs.
var notOrganStems = map[string]bool{
	"bolags": true, "förenings": true, "aktiebolags": true, "bostadsrätts": true, "enskild": true,
}

// notOrganAdjectives are words ending in -a that stand before "nämnden"
// without naming it ("berörda nämnden").
var notOrganAdjectives = map[string]bool{
	"denna": true, "dessa": true, "samma": true, "berörda": true, "ansvariga": true, "aktuella": true,
	"enskilda": true, "olika": true, "andra": true, "flera": true, "vissa": true, "sådana": true,
	"övriga": true, "hela": true, "egna": true, "nämnda": true, "respektive": true, "ansvarig": true,
	"berörd": true, "kommunala": true, "politiska": true,
}

// standaloneOrgans are organs whose name does not end in -nämnd/-styrelse.
var standaloneOrgans = map[string]string{
	"överförmyndaren": "Överförmyndaren", "överförmyndarens": "Överförmyndaren",
}

func organMentions(s string) []organMention {
	ws := words(s)
	var out []organMention
	for i, w := range ws {
		lw := strings.ToLower(w.text)
		if name, ok := standaloneOrgans[lw]; ok {
			out = append(out, organMention{name: name, text: w.text})
			continue
		}
		stem, definite, ok := organWord(lw)
		if !ok {
			// "Tekniska nämnden": an adjective before a bare "nämnden".
			if i >= 1 && (lw == "nämnden" || lw == "nämndens" || lw == "styrelsen" || lw == "styrelsens") {
				adj := strings.ToLower(ws[i-1].text)
				if strings.HasSuffix(adj, "a") && utf8.RuneCountInString(adj) >= 5 && !notOrganAdjectives[adj] {
					name := capitalize(adj + " " + strings.TrimSuffix(lw, "s"))
					out = append(out, organMention{name: name, text: s[ws[i-1].start:w.end]})
				}
			}
			continue
		}
		// Include a coordinated prefix: "Barn- och", "Kultur-, fritids- och".
		start := i
		if i >= 2 && (ws[i-1].text == "och" || ws[i-1].text == "&") && strings.HasSuffix(ws[i-2].text, "-") {
			start = i - 2
			for start >= 1 && strings.HasSuffix(ws[start-1].text, "-") {
				start--
			}
		}
		prefix := ""
		if start < i {
			prefix = strings.ToLower(s[ws[start].start:w.start])
		}
		name := capitalize(prefix + stem + definite)
		out = append(out, organMention{name: name, text: s[ws[start].start:w.end]})
	}
	return out
}

// organWord splits an organ word into its stem and definite ending.
func organWord(lw string) (stem, definite string, ok bool) {
	for _, sx := range organSuffixes {
		if !strings.HasSuffix(lw, sx.suffix) {
			continue
		}
		stem = strings.TrimSuffix(lw, sx.suffix)
		if strings.HasSuffix(sx.definite, "fullmäktige") {
			if stem != "kommun" && stem != "region" && stem != "landstings" {
				return "", "", false
			}
			return stem, sx.definite, true
		}
		if utf8.RuneCountInString(stem) < 3 || notOrganStems[stem] || strings.ContainsAny(stem, "-‐") {
			return "", "", false
		}
		return stem, sx.definite, true
	}
	return "", "", false
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

type muniMention struct {
	name   string // "Luleå kommun", "Region Norrbotten"
	text   string // as written
	within bool   // preceded by "Inom"
	region bool
}

// nameIndex finds a municipality by its folded name, and by its consonant
// skeleton for names OCR damaged.
type nameIndex struct {
	byFold     map[string]string
	bySkeleton map[string]string // "" value: ambiguous skeleton
}

var municipalities = buildIndex(municipalityNames)
var regions = buildIndex(regionNames)

func buildIndex(names []string) nameIndex {
	ix := nameIndex{byFold: map[string]string{}, bySkeleton: map[string]string{}}
	for _, n := range names {
		ix.byFold[fold(n)] = n
		sk := skeleton(n)
		if _, dup := ix.bySkeleton[sk]; dup {
			ix.bySkeleton[sk] = ""
		} else {
			ix.bySkeleton[sk] = n
		}
	}
	return ix
}

// lookup finds the base name for s as written. exact reports a match by
// folded spelling; a skeleton match (OCR damage) needs four consonants at
// least and a length close to the name's.
func (ix nameIndex) lookup(s string) (name string, ok bool) {
	if n, ok := ix.byFold[fold(s)]; ok {
		return n, true
	}
	sk := skeleton(s)
	if utf8.RuneCountInString(sk) < 4 {
		return "", false
	}
	n := ix.bySkeleton[sk]
	if n == "" {
		return "", false
	}
	d := utf8.RuneCountInString(n) - utf8.RuneCountInString(s)
	if d < -2 || d > 2 {
		return "", false
	}
	return n, true
}

var folder = strings.NewReplacer(
	"å", "a", "ä", "a", "ö", "o", "é", "e", "è", "e", "ü", "u", "æ", "a", "ø", "o",
	"‐", "-",
)

func fold(s string) string { return folder.Replace(strings.ToLower(s)) }

// skeleton keeps the consonants of a folded name: OCR turns å/ä/ö into
// é, d, 6, & or plain vowels, so vowels are not compared.
func skeleton(s string) string {
	var b strings.Builder
	for _, r := range fold(s) {
		if strings.ContainsRune("aeiouy6&-' ", r) {
			continue
		}
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isUpperStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func municipalityMentions(s string) []muniMention {
	ws := words(s)
	var out []muniMention
	for i, w := range ws {
		lw := strings.ToLower(w.text)
		switch {
		case lw == "kommun" || lw == "kommuns" || lw == "stad" || lw == "stads":
			if m, ok := muniBefore(s, ws, i); ok {
				out = append(out, m)
			}
		case lw == "region" && isUpperStart(w.text) && i+1 < len(ws):
			if m, ok := regionAfter(s, ws, i); ok {
				out = append(out, m)
			}
		case strings.HasPrefix(lw, "västra götalandsregion") || lw == "västra" && i+1 < len(ws) && strings.HasPrefix(strings.ToLower(ws[i+1].text), "götalandsregion"):
			end := w.end
			if lw == "västra" {
				end = ws[i+1].end
			}
			out = append(out, muniMention{name: "Västra Götalandsregionen", text: s[w.start:end], region: true})
		}
	}
	return out
}

// muniBefore resolves the name before "kommun"/"stad" at ws[i].
func muniBefore(s string, ws []word, i int) (muniMention, bool) {
	unit := "kommun"
	if strings.HasPrefix(strings.ToLower(ws[i].text), "stad") {
		unit = "stad"
	}
	for n := 2; n >= 1; n-- {
		if i-n < 0 {
			continue
		}
		first := ws[i-n]
		if !isUpperStart(first.text) {
			continue
		}
		written := s[first.start:ws[i-1].end]
		name, genS, ok := resolveMunicipality(written)
		if !ok {
			continue
		}
		m := muniMention{name: name + genS + " " + unit, text: s[first.start:ws[i].end]}
		if i-n-1 >= 0 && strings.EqualFold(ws[i-n-1].text, "inom") {
			m.within = true
		}
		return m, true
	}
	return muniMention{}, false
}

// resolveMunicipality finds the base name for the words written before
// "kommun". genS is "s" when the official name takes a linking s
// ("Lilla Edets kommun").
func resolveMunicipality(written string) (name, genS string, ok bool) {
	if _, ok := municipalityAliases[written]; ok {
		return written, "", true // the official stem: "Falu kommun"
	}
	if n, ok := municipalities.byFold[fold(written)]; ok {
		return n, "", true
	}
	if strings.HasSuffix(written, "s") {
		if n, ok := municipalities.byFold[fold(strings.TrimSuffix(written, "s"))]; ok {
			return n, "s", true
		}
	}
	if n, ok := municipalities.lookup(written); ok {
		return n, "", true
	}
	return "", "", false
}

func regionAfter(s string, ws []word, i int) (muniMention, bool) {
	for n := 2; n >= 1; n-- {
		if i+n >= len(ws) {
			continue
		}
		written := s[ws[i+1].start:ws[i+n].end]
		cand := strings.TrimSuffix(written, "s")
		for _, c := range []string{written, cand} {
			if name, ok := regions.byFold[fold(c)]; ok {
				return muniMention{name: "Region " + name, text: s[ws[i].start:ws[i+n].end], region: true}, true
			}
		}
	}
	return muniMention{}, false
}

var postalRe = regexp.MustCompile(`(?:^|[^\d])\d{3} ?\d{2}\s+(\p{Lu}[\p{L}]+(?:[ -]\p{Lu}[\p{L}]+)?)`)

// postalTowns finds the towns of Swedish postal addresses ("776 30
// Hedemora") that are municipality names.
func postalTowns(s string) []muniMention {
	var out []muniMention
	for _, m := range postalRe.FindAllStringSubmatch(s, -1) {
		town := m[1]
		for _, cand := range []string{town, strings.Fields(town)[0]} {
			if n, ok := municipalities.byFold[fold(cand)]; ok {
				out = append(out, muniMention{name: n + " kommun", text: strings.TrimSpace(m[0])})
				break
			}
		}
	}
	return out
}
