package normalize

import (
	"strings"
)

// placeholders are values that state nothing (shared/domain.md §3, Q2),
// compared after Fold and without trailing punctuation.
var placeholders = setOf("-", "--", "---", "?", "??", "x", "xx", "xxx", "n/a", "na", "tbd", "ej ifyllt",
	"ej ifylld", "uppgift saknas", "uppgifter saknas", "saknas", "se ovan", "...", "…", "beroende pa behandling",
	"ej angivet", "ej angiven", "ifylls senare", "fylls i senare", "todo", "0")

// fieldLabels are the column headers and labels a field is known by; a value
// equal to its own header was copied from the header row (Q2).
var fieldLabels = map[string][]string{
	"municipality":        {"kommun", "region", "personuppgiftsansvarig"},
	"organ":               {"personuppgiftsansvarig", "namnd", "organ", "ansvarig namnd"},
	"activity":            {"behandlingsaktivitet", "behandling", "namn pa behandlingen", "avser behandlingen", "aktivitet"},
	"purpose":             {"andamal", "syfte", "syfte/andamal", "andamal med behandlingen", "andamal/syfte"},
	"data_subjects":       {"kategorier av registrerade", "registrerade", "personkategori", "kategori av registrerade"},
	"personal_data":       {"kategorier av personuppgifter", "personuppgifter som behandlas", "personuppgifter", "typ av personuppgifter"},
	"legal_basis":         {"rattslig grund", "laglig grund", "lagliga grunden", "rattslig grund for behandlingen", "rattslig grund for behandling"},
	"retention":           {"lagringstid", "gallring", "lagring/gallring", "gallringsfrist", "lagring"},
	"recipients":          {"mottagare", "mottagare av personuppgifter"},
	"sources":             {"kalla", "kallor", "kalla som personuppgifter samlas in fran"},
	"third_country":       {"overforing till tredje land", "overforing tredje land", "tredje land", "tredjeland"},
	"automated_decisions": {"automatiserat beslutsfattande", "automatiserat beslutsfattande/profilering", "automatiskt beslutsfattande/profilering", "profilering"},
	"system":              {"system", "it-stod", "itstod", "verksamhetssystem"},
	"security_measures":   {"sakerhetsatgarder", "it-sakerhetsatgarder", "itsakerhetsatgarder"},
}

// Placeholder reports whether text, the value of field (a record.Field*
// key), states nothing: it is only "-", "?", "x", "N/A", "TBD", "Ej
// ifyllt", "Uppgift saknas", "Se ovan", "...", "Beroende på behandling" (and
// the like), or it equals the field's column header.
func Placeholder(field, text string) bool {
	f := strings.TrimSpace(Fold(text))
	if f == "" {
		return false
	}
	if placeholders[f] {
		return true
	}
	f = strings.TrimRight(f, ".:;, ")
	if f == "" || placeholders[f] {
		return true
	}
	for _, l := range fieldLabels[field] {
		if f == l {
			return true
		}
	}
	return false
}
