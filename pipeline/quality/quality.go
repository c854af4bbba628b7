// Package quality checks a normalized record against the defects of
// shared/domain.md §3 (Q1–Q14, Q16) and fills its Quality: the article 30
// keys not stated, the keys stated as none ("Nej", "Inga externa
// mottagare", "Förekommer ej"), and one warning per defect with a code,
// a snake_case name, a severity (error breaks art. 30/6/9/44, warning is
// likely wrong, info is worth a human look), the field, and a short English
// message naming the value.
//
// Q15 (inconsistent across registers) needs all records at once and is not
// checked here.
//
// A Checker, kept per input file, gives the same results as Check and
// examines each distinct text once (see Checker).
package quality

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/registerlyft/registerlyft/pipeline/memoize"
	"github.com/registerlyft/registerlyft/pipeline/normalize"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Severities.
const (
	Error   = "error"
	Warning = "warning"
	Info    = "info"
)

// Checker checks the records of one file. It gives the same results as
// Check, but remembers what it computed for a text (folded forms, pattern
// matches, legal-basis mapping, statute references, borderline terms)
// through a normalize.Memo and its own tables, so that a register whose
// cells repeat on thousands of rows has each distinct text examined once.
// Texts that contain the activity name, which is different on every row
// of a register, are examined afresh each time rather than remembered.
//
// A Checker serves one goroutine. A nil *Checker is valid and remembers
// nothing.
type Checker struct {
	memo    *normalize.Memo
	matches memoize.Table[matchKey, bool]
	finds   memoize.Table[matchKey, []string]
	facts   memoize.Table[string, purposeFacts]
}

// matchKey is a pattern and the text it is matched against.
type matchKey struct {
	re   *regexp.Regexp
	text string
}

// NewChecker returns a Checker that remembers through m (normally the Memo
// that normalized the same file's records).
func NewChecker(m *normalize.Memo) *Checker { return &Checker{memo: m} }

// Check fills r.Quality. Missing and None are computed afresh. Warnings the
// record already carries are kept — normalization records there the Q2
// placeholders it dropped from the record, which Check could no longer
// see — and Check's own warnings are appended after them, without
// duplicates, so Check may run twice on a record.
//
// A field whose value was a placeholder counts as neither stated nor
// missing: it carries its Q2 warning instead of Q1. Document records (kind
// "document") are not checked for the activity fields (Q1, Q10, Q13).
func Check(r *record.Record) { (*Checker)(nil).Check(r) }

// Check is the package's Check, with k's memory.
func (k *Checker) Check(r *record.Record) {
	c := checker{k: k, r: r, placeholder: map[string]bool{}}
	for _, w := range r.Quality.Warnings {
		if w.Code == "Q2" && w.Field != "" {
			c.placeholder[w.Field] = true
		}
	}
	c.none()
	c.placeholders()
	if r.Kind != record.KindDocument {
		c.missing()
	}
	c.legalBasis()
	c.basisUnsuitable()
	c.sensitive()
	c.transfer()
	if r.Kind != record.KindDocument {
		c.retentionMissing()
	}
	c.retention()
	if r.Kind != record.KindDocument {
		c.purpose()
	}
	c.statute()
	c.repairs()

	r.Quality.Missing = c.missingKeys
	r.Quality.None = c.noneKeys
	have := make(map[warningKey]bool, len(r.Quality.Warnings)+len(c.out))
	for _, w := range r.Quality.Warnings {
		have[key(w)] = true
	}
	for _, w := range c.out {
		if !have[key(w)] {
			have[key(w)] = true
			r.Quality.Warnings = append(r.Quality.Warnings, w)
		}
	}
}

// warningKey is what makes a warning a duplicate of another.
type warningKey struct{ code, field, message string }

func key(w record.Warning) warningKey { return warningKey{w.Code, w.Field, w.Message} }

type checker struct {
	k           *Checker
	r           *record.Record
	placeholder map[string]bool // fields whose value was a placeholder (Q2 from normalize)
	noneSet     map[string]bool
	missingKeys []string
	noneKeys    []string
	out         []record.Warning
}

func (c *checker) add(code, name, severity, field, format string, args ...any) {
	c.out = append(c.out, record.Warning{Code: code, Name: name, Severity: severity, Field: field,
		Message: fmt.Sprintf(format, args...)})
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

// Stated-as-none values, matched on normalize.Fold-ed text.
var (
	noneTransfer  = regexp.MustCompile(`^(nej|ej|nej,.*|ingen|inga|ingen overforing.*|overforing (sker|forekommer) (ej|inte).*|(sker|forekommer) (ej|inte)|ej (aktuellt|tillampligt)|inte aktuellt)\W*$`)
	noneRecipient = regexp.MustCompile(`^(inga|ingen|inga (externa )?mottagare|lamnas (ej|inte) ut.*|ej aktuellt)\W*$`)
	noneAutomated = regexp.MustCompile(`^(nej|ej|ingen|inget|inga|(forekommer|sker|anvands) (ej|inte))\W*$|\b(anvander|tillampar) (inte|ej|inget|ingen)\b|\bforekommer (inte|ej)\b`)
)

// none records the keys stated as none.
func (c *checker) none() {
	r := c.r
	c.noneSet = map[string]bool{}
	if r.ThirdCountry != "" && c.match(noneTransfer, c.fold(r.ThirdCountry)) {
		c.noneSet[record.FieldThirdCountry] = true
	}
	if len(r.Recipients) > 0 {
		all := true
		for _, it := range r.Recipients {
			if !c.match(noneRecipient, c.fold(it)) {
				all = false
			}
		}
		if all {
			c.noneSet[record.FieldRecipients] = true
		}
	}
	if r.AutomatedDecisions != "" && c.match(noneAutomated, c.fold(r.AutomatedDecisions)) {
		c.noneSet[record.FieldAutomatedDecisions] = true
	}
	for _, f := range []string{record.FieldRecipients, record.FieldThirdCountry, record.FieldAutomatedDecisions} {
		if c.noneSet[f] {
			c.noneKeys = append(c.noneKeys, f)
		}
	}
}

func fold(s string) string { return strings.TrimSpace(normalize.Fold(s)) }

// fold is fold, remembered.
func (c *checker) fold(s string) string {
	if c.k == nil {
		return fold(s)
	}
	return strings.TrimSpace(c.k.memo.Fold(s))
}

// match is re.MatchString(s), remembered.
func (c *checker) match(re *regexp.Regexp, s string) bool {
	if c.k == nil {
		return re.MatchString(s)
	}
	return c.k.matches.Get(matchKey{re, s}, matchString)
}

func matchString(k matchKey) bool { return k.re.MatchString(k.text) }

// find is re.FindStringSubmatch(s), remembered; the result is shared and
// must not be changed.
func (c *checker) find(re *regexp.Regexp, s string) []string {
	if c.k == nil {
		return re.FindStringSubmatch(s)
	}
	return c.k.finds.Get(matchKey{re, s}, findSubmatch)
}

func findSubmatch(k matchKey) []string { return k.re.FindStringSubmatch(k.text) }

// memo is the Checker's normalize.Memo (nil without a Checker, which
// remembers nothing).
func (c *checker) memo() *normalize.Memo {
	if c.k == nil {
		return nil
	}
	return c.k.memo
}

// placeholders re-detects Q2 in values still on the record (a record that
// did not pass through normalize.Record).
func (c *checker) placeholders() {
	r := c.r
	strs := []struct{ field, v string }{
		{record.FieldOrgan, r.Organ}, {record.FieldActivity, r.Activity}, {record.FieldPurpose, r.Purpose},
		{record.FieldLegalBasis, r.LegalBasisText}, {record.FieldRetention, r.Retention},
		{record.FieldThirdCountry, r.ThirdCountry}, {record.FieldAutomatedDecisions, r.AutomatedDecisions},
		{record.FieldSystem, r.System}, {record.FieldSecurityMeasures, r.SecurityMeasures},
	}
	for _, s := range strs {
		if c.memo().Placeholder(s.field, s.v) {
			c.placeholder[s.field] = true
			c.add("Q2", "placeholder", Error, s.field, "%s is only a placeholder: %s", s.field, quote(s.v))
		}
	}
	lists := []struct {
		field string
		v     []string
	}{
		{record.FieldDataSubjects, r.DataSubjects}, {record.FieldPersonalData, r.PersonalData},
		{record.FieldRecipients, r.Recipients}, {record.FieldSources, r.Sources},
	}
	for _, l := range lists {
		for _, it := range l.v {
			if c.memo().Placeholder(l.field, it) {
				c.add("Q2", "placeholder", Error, l.field, "%s is only a placeholder: %s", l.field, quote(it))
			}
		}
	}
}

// Q1: article 30 keys not stated, with severities per field. Retention is
// reported as Q10.
func (c *checker) missing() {
	r := c.r
	stated := map[string]bool{
		record.FieldOrgan:        r.Organ != "",
		record.FieldPurpose:      r.Purpose != "",
		record.FieldDataSubjects: len(r.DataSubjects) > 0,
		record.FieldPersonalData: len(r.PersonalData) > 0,
		record.FieldLegalBasis:   len(r.LegalBasis) > 0 || r.LegalBasisText != "" || r.LegalBasisRef != "",
		record.FieldRecipients:   len(r.Recipients) > 0,
		record.FieldThirdCountry: r.ThirdCountry != "",
		record.FieldRetention:    r.Retention != "",
	}
	fields := []struct{ field, severity string }{
		{record.FieldOrgan, Error},
		{record.FieldPurpose, Error},
		{record.FieldDataSubjects, Warning},
		{record.FieldPersonalData, Error},
		{record.FieldLegalBasis, Error},
		{record.FieldRecipients, Warning},
		{record.FieldThirdCountry, Info},
		{record.FieldRetention, ""},
	}
	for _, f := range fields {
		if stated[f.field] || c.placeholder[f.field] {
			continue
		}
		c.missingKeys = append(c.missingKeys, f.field)
		if f.severity != "" {
			c.add("Q1", "missing_field", f.severity, f.field, "%s is not stated", f.field)
		}
	}
}

// Q3/Q3b: legal-basis text that maps to nothing, or a bare 6.1 e.
func (c *checker) legalBasis() {
	r := c.r
	if r.LegalBasisText == "" || c.placeholder[record.FieldLegalBasis] {
		return
	}
	_, _, warns := c.memo().LegalBasis(r.LegalBasisText)
	for _, w := range warns {
		if w.Code == "Q3" && len(r.LegalBasis) > 0 {
			continue // the bases were given otherwise
		}
		c.out = append(c.out, w)
	}
}

func (c *checker) hasBasis(b string) bool {
	for _, x := range c.r.LegalBasis {
		if x == b {
			return true
		}
	}
	return false
}

var (
	authorityWords = regexp.MustCompile(`namnd|styrelse|kommun|region|forvaltning|myndighet|landsting|fullmaktige`)
	companyWords   = regexp.MustCompile(`\b(ab|aktiebolag|bolag|stiftelse|forening|ekonomisk forening)\b|\bab\b`)
	// coreService names statutory or core services, as words anywhere in
	// the folded text (a plain list, matched with strings.Contains: it is
	// matched against each row's activity name, and the regexp
	// backtracker is many times slower at a long alternation of literals).
	coreService = []string{"ansokan", "handlaggning", "myndighetsutovning", "beslut om", "bistand", "tillsyn",
		"tillstand", "bygglov", "fardtjanst", "skolplacering", "barnomsorg", "forskola", "elevhalsa",
		"socialtjanst", "insats", "utredning", "avgift", "fakturer", "ekonomiskt stod"}
)

// containsAny reports whether s contains one of terms.
func containsAny(s string, terms []string) bool {
	for _, t := range terms {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// isAuthority reports whether the controller is a public authority: a
// municipal nämnd or styrelse, a region or a municipality. Records with no
// controller are assumed to be municipal, which is what registerlyft reads.
func (c *checker) isAuthority() bool {
	s := c.fold(c.r.Organ + " " + c.r.Municipality)
	if strings.TrimSpace(s) == "" {
		return true
	}
	if c.match(companyWords, c.fold(c.r.Organ)) {
		return false
	}
	return c.match(authorityWords, s)
}

// Q4: a basis unsuitable for an authority.
func (c *checker) basisUnsuitable() {
	r := c.r
	if !c.isAuthority() {
		return
	}
	if c.hasBasis(normalize.BasisLegitimate) {
		c.add("Q4", "basis_unsuitable_for_authority", Error, record.FieldLegalBasis,
			"intresseavvägning (%s) is not available to an authority performing its tasks (art. 6(1), last subparagraph)", quote(r.LegalBasisText))
	}
	if len(r.LegalBasis) == 1 && r.LegalBasis[0] == normalize.BasisConsent &&
		(containsAny(fold(r.Activity+" "+r.Purpose), coreService) || r.LegalBasisRef != "") {
		c.add("Q4", "basis_unsuitable_for_authority", Warning, record.FieldLegalBasis,
			"samtycke is the only basis for a statutory or core service %s (recital 43: consent to an authority is rarely free)", quote(firstNonEmpty(r.Activity, r.Purpose)))
	}
	if c.hasBasis(normalize.BasisContract) && c.hasBasis(normalize.BasisAuthority) {
		c.add("Q4", "basis_unsuitable_for_authority", Warning, record.FieldLegalBasis,
			"avtal and myndighetsutövning on the same record (%s)", quote(r.LegalBasisText))
	}
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

var (
	art9Exception   = regexp.MustCompile(`\bart(ikel|\.)?\s*9\b|\b9\s*(\.\s*2|\(\s*2\s*\))|3\s*kap\.?\s*3\s*§|dataskyddslagen|uttryckligt samtycke`)
	explicitConsent = regexp.MustCompile(`uttryckligt samtycke|uttryckligen samtyck`)
	pnrReason       = regexp.MustCompile(`saker(t|a)? identifi|identifiera\s+\p{L}+\s+sakert|klart motiverat|forvaxl`)
	childOrVisitor  = regexp.MustCompile(`\b(barn|barnen|barnet|elev|elever|eleverna|ungdom\w*|minderarig\w*|unga|webbplatsbesokare|webbesokare|besokare pa (webb|hemsid)\w*)\b`)
)

// Q5–Q8 and the borderline sensitive terms.
func (c *checker) sensitive() {
	r := c.r
	has := map[string]bool{}
	var art9 []string
	for _, s := range r.SensitiveData {
		has[s] = true
		if normalize.Article9(s) {
			art9 = append(art9, s)
		}
	}
	cited := c.fold(strings.Join([]string{r.LegalBasisText, r.LegalBasisRef, r.Purpose}, " "))
	statute := r.LegalBasisRef != "" || c.memo().StatuteRef(r.LegalBasisText) != "" || c.memo().StatuteRef(r.Purpose) != ""

	if len(art9) > 0 && !statute && !c.match(art9Exception, cited) {
		sev := Warning
		weak := len(r.LegalBasis) > 0
		for _, b := range r.LegalBasis {
			if b != normalize.BasisConsent && b != normalize.BasisLegitimate {
				weak = false
			}
		}
		if weak && !c.match(explicitConsent, cited) {
			sev = Error
		}
		c.add("Q5", "sensitive_without_exception", sev, "sensitive_data",
			"%s processed (%s) with no art. 9(2) exception, DSL 3 kap. 3 § or sector law cited", strings.Join(art9, ", "), c.foundIn(art9))
	}
	if has[normalize.SensitiveCriminal] {
		c.add("Q6", "criminal_data", Info, "sensitive_data",
			"data on lagöverträdelser (%s): only authorities may process it, and only when necessary", c.foundIn([]string{normalize.SensitiveCriminal}))
	}
	if has[normalize.SensitivePNR] {
		text := c.fold(strings.Join(append([]string{r.Purpose, r.LegalBasisText, r.LegalBasisRef}, r.PersonalData...), " "))
		if !c.match(pnrReason, text) && !statute {
			sev := Info
			who := fold(strings.Join(append([]string{r.Activity, r.Purpose}, r.DataSubjects...), " "))
			if childOrVisitor.MatchString(who) {
				sev = Warning
			}
			c.add("Q7", "personnummer_without_need", sev, record.FieldPersonalData,
				"personnummer (%s) with no stated need (säker identifiering, klart motiverat) or statute", c.foundIn([]string{normalize.SensitivePNR}))
		}
	}
	if has[normalize.SensitiveProtected] {
		c.add("Q8", "skyddad_identitet", Info, "sensitive_data",
			"skyddad identitet (%s): show the routine for protected personal data", c.foundIn([]string{normalize.SensitiveProtected}))
	}
	for _, h := range c.memo().Borderline(r) {
		c.add("Q5b", "sensitive_borderline", Info, h.Field,
			"%s in %s may indicate %s; not derived as sensitive", quote(h.Term), h.Field, h.Category)
	}
}

// foundIn describes where the categories were found ("personnummer" in
// personal_data).
func (c *checker) foundIn(cats []string) string {
	var parts []string
	for _, cat := range cats {
		for _, h := range c.r.SensitiveFound {
			if h.Category == cat {
				parts = append(parts, fmt.Sprintf("%s in %s", quote(h.Term), h.Field))
				break
			}
		}
	}
	if len(parts) == 0 {
		return "derived"
	}
	return strings.Join(parts, "; ")
}

var (
	transferWords  = regexp.MustCompile(`\b(usa|uk|utanfor (eu|ees|eu/ees)|tredje ?land\w*|overfor\w*|forekommer|storbritannien|indien|kina|kanada|japan|schweiz|australien|filippinerna|ukraina|serbien|israel|sydkorea)\b`)
	safeguardWords = regexp.MustCompile(`adekvans\w*|adekvat skyddsniva|data privacy framework|\bdpf\b|standardavtalsklausul\w*|standard contractual|\bscc\b|bindande foretagsbestammelser|\bbcr\b|\bart(ikel|\.)?\s*(45|46|49)\b|lampliga skyddsatgarder`)
	platformWords  = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(facebook|meta|instagram|youtube|twitter|linkedin|tiktok|snapchat|google\p{L}*|gmail|microsoft(?: 365)?|office 365|m365|azure|aws|amazon web services|zoom|dropbox|salesforce|mailchimp|sociala medier|molntjänst\p{L}*)(?:[^\p{L}\p{N}]|$)`)
)

// Q9/Q9b: transfers to third countries.
func (c *checker) transfer() {
	r := c.r
	tc := c.fold(r.ThirdCountry)
	if r.ThirdCountry != "" && !c.noneSet[record.FieldThirdCountry] && c.match(transferWords, tc) {
		switch {
		case strings.Contains(tc, "privacy shield"):
			c.add("Q9", "transfer_without_safeguard", Error, record.FieldThirdCountry,
				"transfer %s relies on Privacy Shield, invalid since 2020 (Schrems II)", quote(r.ThirdCountry))
		case !c.match(safeguardWords, tc):
			c.add("Q9", "transfer_without_safeguard", Error, record.FieldThirdCountry,
				"transfer %s names no safeguard (adequacy decision, DPF, SCC, BCR, art. 45/46/49)", quote(r.ThirdCountry))
		}
	}
	if r.ThirdCountry == "" || c.noneSet[record.FieldThirdCountry] {
		for _, f := range []struct {
			field, text string
			same        bool // the text repeats across rows: remember its match
		}{
			{record.FieldRecipients, strings.Join(r.Recipients, "\n"), true},
			{record.FieldSystem, r.System, true},
			{record.FieldActivity, r.Activity, false},
		} {
			var m []string
			if f.same {
				m = c.find(platformWords, f.text)
			} else {
				m = platformWords.FindStringSubmatch(f.text)
			}
			if m != nil {
				state := "not stated"
				if r.ThirdCountry != "" {
					state = quote(r.ThirdCountry)
				}
				c.add("Q9b", "possible_unstated_transfer", Warning, record.FieldThirdCountry,
					"%s names %s, a non-EU platform, but third_country is %s", f.field, quote(m[1]), state)
				return
			}
		}
	}
}

// Q10: retention not stated.
func (c *checker) retentionMissing() {
	if c.r.Retention == "" && !c.placeholder[record.FieldRetention] {
		c.add("Q10", "retention_not_stated", Warning, record.FieldRetention, "retention is not stated")
	}
}

var (
	period      = regexp.MustCompile(`\d+\s*(ar|arn|manad\w*|man|veck\w*|dag\w*|dygn|tim\w*)\b|\b(ett|en|tva|tre|fyra|fem|sex|sju|atta|nio|tio|elva|tolv|femton|tjugo|trettio)\s+(ar|manad\w*|veck\w*|dag\w*|dygn)\b`)
	permanent   = regexp.MustCompile(`\bbevar(as|ade|ande|a)\b|for evigt|for all framtid|for alltid|\bpermanent\w*|gallras (ej|inte|aldrig)`)
	vagueRet    = regexp.MustCompile(`sa lange (det|de|den|dessa|uppgifterna|personuppgifterna)?\s*(ar nodvandig\w*|behovs|kravs|ar aktuell\w*)|tills vidare|enligt gallande (regler|lag\w*|bestammelser|rutiner)`)
	dhpRef      = regexp.MustCompile(`dokumenthanteringsplan\w*|informationshanteringsplan\w*|gallringsplan\w*|gallringsinstruktion\w*|gallringsbeslut\w*|gallringsregl\w*|arkivlag\w*|arkivreglemente\w*|\bdhp\b|\bihp\b`)
	inactual    = regexp.MustCompile(`inaktu\w*`)
	gallr       = regexp.MustCompile(`\bgallr\w*|\brader\w*|\bforstor\w*|\bavidentifier\w*`)
	typicalGall = regexp.MustCompile(`incident|epost|e post|synpunkt|klagom|kontaktlist|\bsms\b|logg|bildbank|passerkort|passerbrick|passage`)
)

// Q11/Q12: vague or permanent retention.
func (c *checker) retention() {
	r := c.r
	if r.Retention == "" || c.placeholder[record.FieldRetention] {
		return
	}
	t := c.fold(r.Retention)
	hasPeriod := c.match(period, t)
	isPermanent := c.match(permanent, t)
	dhp := c.match(dhpRef, t)
	switch {
	case hasPeriod || isPermanent:
	case c.match(vagueRet, t) && !dhp:
		c.add("Q11", "retention_vague", Warning, record.FieldRetention,
			"retention %s states no period", quote(r.Retention))
	case c.match(inactual, t) || (dhp && c.match(gallr, t)):
		c.add("Q11", "retention_vague", Info, record.FieldRetention,
			"retention %s gives no period (gallring vid inaktualitet/enligt plan is a legitimate archival term)", quote(r.Retention))
	case dhp:
		c.add("Q11", "retention_vague", Warning, record.FieldRetention,
			"retention %s only refers to a plan, with no period or bevarande", quote(r.Retention))
	}
	if isPermanent && !dhp && !hasPeriod && !c.match(gallr, t) {
		sev := Info
		if typicalGall.MatchString(fold(r.Activity + " " + r.Purpose)) {
			sev = Warning
		}
		c.add("Q12", "retention_permanent_check", sev, record.FieldRetention,
			"retention %s keeps the data permanently and cites no gallringsbeslut or plan", quote(r.Retention))
	}
}

var (
	genericPurpose = map[string]bool{
		"administration": true, "kontroll": true, "kontroller": true, "verksamhetens behov": true,
		"handlaggning": true, "statistik": true, "itsakerhet": true, "it sakerhet": true, "forbattra service": true,
		"framtida forskning": true, "uppfoljning": true, "arendehantering": true, "dokumentation": true,
		"planering": true, "kommunikation": true, "forbattra anvandarnas upplevelse": true,
		"verksamhetsutveckling": true, "utveckling": true, "kvalitetssakring": true, "information": true,
		"administrera": true, "hantera": true, "handlaggning av arenden": true,
	}
	purposeSep  = regexp.MustCompile(`\s*(?:[,;.:]|\boch\b|\bsamt\b)\s*`)
	wordRE      = regexp.MustCompile(`\p{L}[\p{L}\p{N}-]*`)
	fillerWords = map[string]bool{"en": true, "ett": true, "av": true, "uppgift": true, "uppgifter": true,
		"arbetsuppgift": true, "for": true, "att": true, "i": true, "och": true, "samt": true, "som": true,
		"led": true, "vår": true, "var": true, "den": true, "det": true, "till": true, "med": true, "stod": true}
)

// Q13: a purpose too short, too generic, equal to the activity name, or
// only legal-basis wording.
func (c *checker) purpose() {
	r := c.r
	if r.Purpose == "" || c.placeholder[record.FieldPurpose] {
		return
	}
	var f purposeFacts
	if c.k == nil {
		f = purposeFactsOf(r.Purpose)
	} else {
		f = c.k.facts.Get(r.Purpose, purposeFactsOf)
	}
	switch {
	case r.Activity != "" && f.trimmed == strings.Trim(fold(r.Activity), " ."):
		c.add("Q13", "purpose_vague", Warning, record.FieldPurpose, "purpose %s only repeats the activity name", quote(r.Purpose))
	case f.generic:
		c.add("Q13", "purpose_vague", Warning, record.FieldPurpose, "purpose %s names only generic aims", quote(r.Purpose))
	case f.basisOnly:
		c.add("Q13", "purpose_vague", Warning, record.FieldPurpose, "purpose %s is only legal-basis wording", quote(r.Purpose))
	case f.words < 6:
		c.add("Q13", "purpose_vague", Warning, record.FieldPurpose, "purpose %s is too short to be specific (%d words)", quote(r.Purpose), f.words)
	}
}

// purposeFacts is what Q13 needs to know of a purpose text; it depends on
// the text alone (the comparison with the activity name is made apart).
type purposeFacts struct {
	trimmed   string // folded, without surrounding spaces and periods
	words     int    // words of the folded text
	generic   bool   // genericOnly
	basisOnly bool   // basisOnly; only computed when not generic
}

func purposeFactsOf(purpose string) purposeFacts {
	p := fold(purpose)
	f := purposeFacts{trimmed: strings.Trim(p, " ."), words: len(wordRE.FindAllString(p, -1))}
	f.generic = genericOnly(f.trimmed)
	if !f.generic {
		f.basisOnly = basisOnly(purpose)
	}
	return f
}

func genericOnly(p string) bool {
	n := 0
	for _, part := range purposeSep.Split(p, -1) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !genericPurpose[part] {
			return false
		}
		n++
	}
	return n > 0
}

// basisOnly reports whether purpose says nothing but a legal basis
// ("Allmänt intresse", "Myndighetsutövning").
func basisOnly(purpose string) bool {
	bases, _, _ := normalize.LegalBasis(purpose)
	if len(bases) == 0 {
		return false
	}
	p := fold(purpose)
	for _, re := range basisStrip {
		p = re.ReplaceAllString(p, " ")
	}
	for _, w := range wordRE.FindAllString(p, -1) {
		if !fillerWords[w] {
			return false
		}
	}
	return true
}

var basisStrip = []*regexp.Regexp{
	regexp.MustCompile(`\ballm\w{1,4}\s*intresse\w*`),
	regexp.MustCompile(`\bmyndighets\s*ut\w{1,2}vning\w*`),
	regexp.MustCompile(`\br\w{1,3}tts?liga?\s*f\w{1,3}rplikt\w*`),
	regexp.MustCompile(`\bsamtyck\w*`),
	regexp.MustCompile(`\bavtal\w*`),
	regexp.MustCompile(`\bintresse\s*av\s*v\w{1,2}gning\w*`),
	regexp.MustCompile(`\bgrundl\w{1,3}ggande\s+intresse\w*`),
}

// Q14: bases c and e need a national provision (DSL 2 kap. 1–2 §§).
func (c *checker) statute() {
	r := c.r
	if r.LegalBasisRef != "" || c.memo().StatuteRef(r.LegalBasisText) != "" {
		return
	}
	var need []string
	for _, b := range r.LegalBasis {
		switch b {
		case normalize.BasisLegalDuty, normalize.BasisPublicTask, normalize.BasisAuthority:
			need = append(need, b)
		}
	}
	if len(need) > 0 {
		c.add("Q14", "basis_without_statute", Info, record.FieldLegalBasis,
			"%s cited with no law or decision behind it (legal_basis_ref)", strings.Join(need, ", "))
	}
}

// LowConfidence is the repair confidence below which Q16 flags a fix.
const LowConfidence = 0.6

// Q16: repairs below the confidence threshold, or not applied.
func (c *checker) repairs() {
	for _, f := range c.r.Fixes {
		if (f.Applied != nil && !*f.Applied) || f.Confidence < LowConfidence {
			state := "applied"
			if f.Applied != nil && !*f.Applied {
				state = "not applied"
			}
			c.add("Q16", "low_confidence_repair", Info, "",
				"%s repair %s → %s (%.2f, %s)", f.Kind, quote(f.From), quote(f.To), f.Confidence, state)
		}
	}
}
