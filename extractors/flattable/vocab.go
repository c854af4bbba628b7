package flattable

import (
	"strings"
	"unicode"

	"github.com/registerlyft/registerlyft/extractors/header"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Closed vocabularies: the cells of these columns are (almost) always one
// of a few phrases, so a phrase found in a line anchors its column.
// Phrases are written with å/ä/ö and folded before matching, so OCR damage
// ("Allmént intresse", "Individen sjdlv") still matches.
var closedVocab = map[string][]string{
	record.FieldLegalBasis: {
		"allmänt intresse", "uppgift av allmänt intresse", "viktigt allmänt intresse",
		"allmänintresse", "rättslig förpliktelse", "rättsligförpliktelse",
		"rättslig skyldighet", "avtal", "samtycke", "intresseavvägning",
		"berättigat intresse", "berättigade intressen", "myndighetsutövning",
		"grundläggande intresse",
	},
	record.FieldSources: {
		"individen själv", "genereras internt", "tredje part", "den registrerade",
		"den registrerade själv", "registrerade själv", "den enskilde", "den enskilde själv",
	},
	record.FieldThirdCountry: {
		"nej", "ja", "inga", "ingen", "förekommer ej", "förekommer inte",
		"ingen överföring", "överföring", "överföring sker",
	},
}

// freeAnchors are closed-vocabulary phrases that introduce free text in
// their cell ("Överföring till USA förekommer med stöd av ...").
var freeAnchors = map[string]bool{"overforing": true, "overforing sker": true}

// closedWords holds every word of each closed vocabulary, so that a phrase
// wrapped over two lines ("Den registrerade" / "själv") still reads as
// vocabulary on its second line.
var closedWords = buildClosedWords()

func buildClosedWords() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for field, vs := range closedVocab {
		out[field] = map[string]bool{}
		for _, v := range vs {
			for _, w := range strings.Fields(header.Fold(v)) {
				out[field][w] = true
			}
		}
	}
	return out
}

// isClosedWord reports whether key is a word of field's closed vocabulary,
// up to OCR damage.
func isClosedWord(field, key string) bool {
	for w := range closedWords[field] {
		if header.Similar(key, w) {
			return true
		}
	}
	return false
}

type phrase struct {
	field string
	words []string // keys
	free  bool
}

var phrases = buildPhrases()

func buildPhrases() []phrase {
	var ps []phrase
	for field, vs := range closedVocab {
		for _, v := range vs {
			ws := strings.Fields(header.Fold(v))
			for i := range ws {
				ws[i] = strings.ReplaceAll(ws[i], "-", "")
			}
			ps = append(ps, phrase{field: field, words: ws, free: freeAnchors[strings.Join(ws, " ")]})
		}
	}
	return ps
}

// anchor is a closed-vocabulary phrase found at tokens [i, j) of a line.
type anchor struct {
	field  string
	i, j   int
	strong bool // the phrase starts a cell: capitalised, after debris or at the line start
	free   bool
}

// findAnchors finds the closed-vocabulary phrases of a line, longest first
// and without overlaps.
func findAnchors(toks []token) []anchor {
	var out []anchor
	for i := 0; i < len(toks); {
		best := -1
		bestLen := 0
		for p, ph := range phrases {
			k := len(ph.words)
			if k <= bestLen || i+k > len(toks) {
				continue
			}
			ok := true
			for x := 0; x < k; x++ {
				if !header.Similar(toks[i+x].key, ph.words[x]) {
					ok = false
					break
				}
			}
			// A one-word phrase must be the whole token, not its beginning
			// ("Avtalet" is not "Avtal"), and short ones must match exactly
			// but for å/ä/ö damage.
			if ok {
				best, bestLen = p, k
			}
		}
		if best < 0 {
			i++
			continue
		}
		t := toks[i]
		out = append(out, anchor{
			field:  phrases[best].field,
			i:      i,
			j:      i + bestLen,
			strong: t.cap || t.boundary || i == 0 || t.afterEnd && unicode.IsUpper(firstRune(t.text)),
			free:   phrases[best].free,
		})
		i += bestLen
	}
	return out
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// Soft vocabularies: word beginnings typical of a column. They only tilt a
// decision; the words also occur in other columns.
var softStems = map[string][]string{
	record.FieldDataSubjects: {
		"medarbetar", "anstallda", "medborgar", "kommuninvanar", "invanar", "elev",
		"fortroendevald", "leverant", "kund", "konsult", "vardnadshavar", "sokand",
		"patient", "brukar", "besokar", "kontaktperson", "extern", "foraldr",
		"studerand", "deltagar", "ansokand", "personal", "barn", "allmanhet", "intressent",
	},
	record.FieldPersonalData: {
		"namn", "personnummer", "kontaktuppgift", "kontaktinformation", "adress",
		"telefonnummer", "epost", "bild", "foto", "ipadress", "funktion",
		"anstallningsinformation", "inloggningsuppgift", "arendeuppgift",
		"fastighetsbeteckning", "halsa", "loneuppgift", "bankkonto", "kontonummer",
		"alder", "befattning", "uppgift", "personlig", "tekniska", "metadata", "medlemskap",
		"skyddad", "signatur",
	},
	record.FieldRecipients: {
		"personuppgiftsbitrad", "skatteverk", "bolagsverk", "forsakringskass", "myndighet",
		"molntjanstleverantor", "region", "teleoperator", "polis", "kronofogd", "domstol",
		"tredjepartsrevisor", "lekmannarevisor", "revisor",
	},
	record.FieldRetention: {
		"bevar", "gallr", "sparas", "rader", "arkiv", "dokumenthanteringsplan",
		"inaktualitet", "upphor", "avslut", "lagras", "aterkall", "manad", "vecka",
		"dagar", "forstor", "makuler", "bokforingslag", "enlighet",
	},
}

// strongStems are retention words that almost only occur in retention
// cells (passive verbs of keeping and deleting).
var strongStems = map[string]bool{"bevar": true, "gallr": true, "sparas": true, "rader": true, "lagras": true}

// affinity returns the column a word typically belongs to, or "", and the
// cost (negative) of placing it there.
func affinity(key string) (string, float64) {
	if a, b, ok := strings.Cut(key, "/"); ok {
		// "medarbetare/konsulter": either part decides.
		if f, w := affinity(a); f != "" {
			return f, w
		}
		return affinity(b)
	}
	if key == "" {
		return "", 0
	}
	if unicode.IsDigit(firstRune(key)) {
		return record.FieldRetention, costAffinity
	}
	best, bestLen := "", 0
	w := costAffinity
	for field, stems := range softStems {
		for _, s := range stems {
			// The stem plus an inflection ending, not a longer compound
			// ("medborgare", not "medborgarförslaget").
			if len(s) > bestLen && len(key) >= len(s) && len(key)-len(s) <= 4 && stemMatch(key, s) {
				best, bestLen = field, len(s)
				w = costAffinity
				if strongStems[s] {
					w = costAffinityStrong
				}
			}
		}
	}
	return best, w
}

// modalVerbs mark a sentence: list cells (registrerade, personuppgifter)
// rarely hold them.
var modalVerbs = map[string]bool{
	"ska": true, "skall": true, "kan": true, "har": true, "sker": true, "maste": true,
	"bor": true, "far": true, "behovs": true, "utlamnas": true,
}

// functionWords end a line that cannot end a cell ("och", "i", "för", ...),
// folded.
var functionWords = map[string]bool{
	"och": true, "samt": true, "eller": true, "i": true, "av": true, "for": true,
	"med": true, "till": true, "om": true, "pa": true, "som": true, "vid": true,
	"enligt": true, "efter": true, "fran": true, "inom": true, "under": true,
	"mot": true, "att": true, "den": true, "det": true, "de": true, "en": true,
	"ett": true, "hos": true, "utan": true, "sa": true, "an": true, "per": true,
	"kan": true, "ska": true, "skall": true, "dess": true, "deras": true, "via": true,
	"enlighet": true, // "i enlighet" is always followed by "med"
}

// proseWords mark running text (a sentence), which list cells and activity
// names rarely hold.
var proseWords = map[string]bool{
	"att": true, "som": true, "ska": true, "skall": true, "kan": true, "har": true,
	"sker": true, "maste": true, "dessa": true, "detta": true, "vilket": true,
	"eftersom": true, "nar": true, "dar": true, "finns": true, "blir": true,
}

// isPassive reports a Swedish passive verb form ("hanteras", "utreds",
// "återkallats"), a sign of running text.
func isPassive(key string) bool {
	if len(key) < 6 {
		return false
	}
	for _, suf := range []string{"eras", "ras", "ats", "tas", "das", "eds", "ds"} {
		if strings.HasSuffix(key, suf) {
			return true
		}
	}
	return false
}

// stemMatch reports whether key begins with stem, allowing OCR damage of
// å/ä/ö in stems of five letters or more ("upphérande" for "upphörande").
func stemMatch(key, stem string) bool {
	if strings.HasPrefix(key, stem) {
		return true
	}
	if len(stem) < 5 {
		return false
	}
	return header.Similar(key[:len(stem)], stem)
}
