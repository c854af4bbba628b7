package normalize

import (
	"regexp"
	"sort"
	"strings"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Sensitive categories (shared/domain.md §2.2): the art. 9 categories, art.
// 10 (lagöverträdelser) and the Swedish extras personnummer and skyddad
// identitet.
const (
	SensitiveEthnic    = "etniskt ursprung"
	SensitivePolitical = "politiska åsikter"
	SensitiveReligion  = "religiös eller filosofisk övertygelse"
	SensitiveUnion     = "facklig tillhörighet"
	SensitiveHealth    = "hälsa"
	SensitiveSex       = "sexualliv eller sexuell läggning"
	SensitiveGenetic   = "genetiska uppgifter"
	SensitiveBiometric = "biometriska uppgifter"
	SensitiveCriminal  = "lagöverträdelser"
	SensitivePNR       = "personnummer"
	SensitiveProtected = "skyddad identitet"
)

// Article9 reports whether category is one of the special categories of
// article 9(1) (personnummer, skyddad identitet and lagöverträdelser are not).
func Article9(category string) bool {
	switch category {
	case SensitiveEthnic, SensitivePolitical, SensitiveReligion, SensitiveUnion, SensitiveHealth,
		SensitiveSex, SensitiveGenetic, SensitiveBiometric:
		return true
	}
	return false
}

// trigger is one category's set of trigger terms. Terms in weak count only
// in personal_data: in a purpose they are too often about something else
// ("följa upp att medarbetare inte bedriver brottslig aktivitet").
// sourcesToo terms also count in sources (a fackförbund as source of member
// data).
type trigger struct {
	category   string
	strong     *regexp.Regexp
	weak       *regexp.Regexp
	sourcesToo *regexp.Regexp
}

// termRE builds a case-insensitive regexp matching one of alts as a whole
// word (letters and digits, any script, count as word characters).
// Submatch 1 is the term.
func termRE(alts ...string) *regexp.Regexp {
	if len(alts) == 0 {
		return nil
	}
	return regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(` + strings.Join(alts, "|") + `)(?:[^\p{L}\p{N}]|$)`)
}

var triggers = []trigger{
	{category: SensitivePNR, strong: termRE(`personnummer(?:et|en)?`, `personnumret`, `person-?nr`, `pnr`,
		`samordningsnummer(?:et)?`, `samordningsnumret`)},
	{category: SensitiveHealth, strong: termRE(`hälsa`, `hälsan`, `hälsotillstånd(?:et)?`, `hälsouppgifter(?:na)?`,
		`hälsostatus`, `uppgift(?:er)? om (?:\p{L}+ )?hälsa`, `sjukdom(?:ar|en|arna)?`, `diagnos(?:er|en|erna)?`,
		`funktionsnedsättning(?:ar|en|arna)?`, `funktionshinder`, `läkarintyg(?:et|en)?`,
		`journal(?:er|en|uppgift(?:er|erna)?|anteckning(?:ar)?|handling(?:ar)?)?`, `patientjournal(?:er|en)?`,
		`sjukfrånvaro(?:n)?`, `graviditet(?:en)?`, `rehabilitering\p{L}*`, `vaccination(?:er|en|erna)?`,
		`läkemedel\p{L}*`, `elevhälsa(?:n)?`)},
	{category: SensitiveUnion, strong: termRE(`facklig(?:a)? tillhörighet(?:en)?`,
		`medlemskap i (?:en )?(?:fackförening|fackförbund|facket)`, `fackföreningsmedlemskap(?:et)?`,
		`fackligt medlemskap`), sourcesToo: termRE(`fackförbund(?:et|en)?`, `fackförening(?:ar|en|arna)?`)},
	{category: SensitiveEthnic, strong: termRE(`etniskt ursprung`, `etnisk tillhörighet`, `etnicitet(?:en)?`),
		weak: termRE(`ras`)},
	{category: SensitiveReligion, strong: termRE(`religion(?:en)?`, `religiös(?:a)?(?: övertygelse)?`,
		`trosuppfattning(?:en)?`, `filosofisk(?:a)? övertygelse`)},
	{category: SensitivePolitical, strong: termRE(`politisk(?:a)? åsikt(?:er)?`, `partitillhörighet(?:en)?`,
		`partibeteckning(?:en)?`, `partipolitisk(?:a)? tillhörighet`)},
	{category: SensitiveSex, strong: termRE(`sexualliv(?:et)?`, `sexuell läggning`)},
	{category: SensitiveGenetic, strong: termRE(`genetisk(?:a)? uppgift(?:er)?`, `DNA`)},
	{category: SensitiveBiometric, strong: termRE(`biometrisk(?:a)?(?: \p{L}+)?`, `fingeravtryck(?:en)?`,
		`ansiktsigenkänning`)},
	{category: SensitiveCriminal, strong: termRE(`misstanke om brott`, `lagöverträdelse(?:r|n|rna)?`,
		`domar? i brottmål`, `belastningsregist\p{L}*`, `brottmål(?:et)?`),
		weak: termRE(`brott(?:et|en|sligt)?`, `brottslig(?:a|het|heten)?`)},
	{category: SensitiveProtected, strong: termRE(`skyddad(?:e)? identitet(?:er)?`, `skyddade personuppgifter`,
		`sekretessmarkering(?:ar|en)?`, `skyddad folkbokföring`, `kvarskrivning(?:en)?`,
		`fingerade personuppgifter`)},
}

// Sensitive derives r.SensitiveData and r.SensitiveFound from the record's
// text. It looks in personal_data first, then purpose and data_subjects
// (and, for union membership only, in sources), matching the trigger terms
// of shared/domain.md §2.2 as whole words, case-insensitively. Categories
// are listed in order of first appearance, each once; SensitiveFound says
// in which field and by which term each was found. Borderline terms
// (specialkost, foto, modersmål, födelsedatum, politiska uppdrag, ...) do
// not set a category; the quality stage may flag them.
func Sensitive(r *record.Record) {
	setSensitive(r, sensitiveHits(sensitiveTexts(r)))
}

// sensitiveFields names the texts of sensitiveTexts, in the order they are
// searched.
var sensitiveFields = [4]string{record.FieldPersonalData, record.FieldPurpose, record.FieldDataSubjects, record.FieldSources}

// sensitiveTexts returns the texts Sensitive searches: personal_data,
// purpose, data_subjects and sources, lists joined with "\n".
func sensitiveTexts(r *record.Record) [4]string {
	return [4]string{strings.Join(r.PersonalData, "\n"), r.Purpose, strings.Join(r.DataSubjects, "\n"), strings.Join(r.Sources, "\n")}
}

// setSensitive stores the hits of sensitiveHits in r.
func setSensitive(r *record.Record, hits []record.SensitiveHit) {
	r.SensitiveData, r.SensitiveFound = nil, nil
	for _, h := range hits {
		r.SensitiveData = append(r.SensitiveData, h.Category)
		r.SensitiveFound = append(r.SensitiveFound, h)
	}
}

// sensitiveHits finds the sensitive categories in the texts of
// sensitiveTexts, in the order Sensitive lists them.
func sensitiveHits(texts [4]string) []record.SensitiveHit {
	type hit struct {
		rank, pos int
		h         record.SensitiveHit
	}
	var hits []hit
	for _, t := range triggers {
		for rank, text := range texts {
			name := sensitiveFields[rank]
			if text == "" {
				continue
			}
			res := []*regexp.Regexp{t.strong}
			switch name {
			case record.FieldPersonalData:
				res = append(res, t.weak)
			case record.FieldSources:
				res = []*regexp.Regexp{t.sourcesToo}
			}
			best := -1
			term := ""
			for _, re := range res {
				if re == nil {
					continue
				}
				if m := re.FindStringSubmatchIndex(text); m != nil && (best < 0 || m[2] < best) {
					best, term = m[2], text[m[2]:m[3]]
				}
			}
			if best >= 0 {
				hits = append(hits, hit{rank, best, record.SensitiveHit{Category: t.category, Field: name, Term: term}})
				break
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].rank != hits[j].rank {
			return hits[i].rank < hits[j].rank
		}
		return hits[i].pos < hits[j].pos
	})
	var out []record.SensitiveHit
	for _, h := range hits {
		out = append(out, h.h)
	}
	return out
}

// Borderline terms (shared/domain.md §2.2, last column): worth a human look,
// never a category of their own.
var borderlineTerms = []struct {
	category string
	re       *regexp.Regexp
}{
	{SensitiveHealth, termRE(`specialkost(?:en)?`, `allergi(?:er|n)?`, `läsnedsättning(?:ar)?`, `skadeläge(?:t)?`,
		`sjuk`, `sjukskriv\p{L}*`)},
	{SensitiveEthnic, termRE(`modersmål(?:et)?`, `ursprungsland(?:et)?`)},
	{SensitivePolitical, termRE(`politiska uppdrag(?:et)?`, `politiskt uppdrag`)},
	{SensitiveBiometric, termRE(`foto(?:n|t|grafier)?`, `bilder(?:na)?`)},
	{SensitiveCriminal, termRE(`lex sarah`, `disciplinpåföljd(?:er)?`, `brott(?:et|en)?`, `brottslig(?:a|het)?`)},
	{SensitivePNR, termRE(`födelsedatum(?:et)?`, `lma-nummer`)},
	{SensitiveEthnic, termRE(`ras`)},
}

// Borderline returns the borderline sensitive terms in the record's
// personal_data, purpose and data_subjects whose category was not derived,
// as hits (Category is the category the term hints at).
func Borderline(r *record.Record) []record.SensitiveHit {
	return borderline(borderlineKey(r))
}

// borderlineKey returns what Borderline looks at: personal_data, purpose
// and data_subjects (lists joined with "\n"), and the derived categories
// (joined with NUL).
func borderlineKey(r *record.Record) borderKey {
	return borderKey{
		texts: [3]string{strings.Join(r.PersonalData, "\n"), r.Purpose, strings.Join(r.DataSubjects, "\n")},
		have:  strings.Join(r.SensitiveData, "\x00"),
	}
}

func borderline(k borderKey) []record.SensitiveHit {
	have := map[string]bool{}
	if k.have != "" {
		for _, c := range strings.Split(k.have, "\x00") {
			have[c] = true
		}
	}
	var out []record.SensitiveHit
	seen := map[string]bool{}
	for _, b := range borderlineTerms {
		if have[b.category] {
			continue
		}
		for i, text := range k.texts {
			if m := b.re.FindStringSubmatch(text); m != nil {
				term := strings.ToLower(m[1])
				if !seen[term] {
					seen[term] = true
					out = append(out, record.SensitiveHit{Category: b.category, Field: sensitiveFields[i], Term: m[1]})
				}
				break
			}
		}
	}
	return out
}
