// Package header is the shared table-header vocabulary of registerlyft: it
// maps the column headers that Swedish registers (registerförteckningar) use
// to the contract keys of package record ("Rättslig grund" → legal_basis,
// "Lagringstid" → retention, ...). Flat OCR'd tables, PDF/scan tables and
// CSV/XLSX imports all use it.
//
// Matching is case-insensitive and tolerates the OCR damage of å/ä/ö seen
// in scanned registers ("Réttslig grund", "Ké&lla", "Andamal",
// "Overforing"), and headers that wrap over two physical lines ("Källa som
// person-" / "uppgifter samlas in från").
package header

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Column is one column header found in a header line.
type Column struct {
	Field  string // contract key (record.Field* constant)
	Text   string // the header text as written in the line
	Offset int    // byte offset of the header's first character in the line
	End    int    // byte offset just past the header's last character
}

// variants maps each contract key to the header texts that name it. The
// texts are written with å/ä/ö; they are folded before comparison.
var variants = map[string][]string{
	record.FieldActivity: {
		"Behandlingsaktivitet", "Behandlingsaktiviteter", "Behandling", "Behandlingar",
		"Namn på behandling", "Namn på behandlingen", "Behandlingens namn",
		"Avser behandlingen", "Aktivitet", "Personuppgiftsbehandling",
		"Typ av behandling",
	},
	record.FieldPurpose: {
		"Ändamål", "Ändamål med behandlingen", "Ändamålet med behandlingen",
		"Ändamål med personuppgiftsbehandlingen", "Syfte", "Syftet med behandlingen",
		"Syfte/ändamål", "Ändamål/syfte", "Syfte och ändamål", "Ändamål och syfte",
		"Behandlingens ändamål", "Ändamål med personuppgiftsbehandling",
	},
	record.FieldDataSubjects: {
		"Kategorier av registrerade", "Kategori av registrerade", "Registrerade",
		"De registrerade", "Registrerade personer", "Personkategori", "Personkategorier",
		"Kategorier av registrerade personer",
	},
	record.FieldPersonalData: {
		"Kategorier av personuppgifter", "Kategori av personuppgifter", "Personuppgifter",
		"Personuppgifter som behandlas", "Typ av personuppgifter", "Personuppgiftskategorier",
	},
	record.FieldLegalBasis: {
		"Rättslig grund", "Laglig grund", "Rättslig grund för behandlingen",
		"Laglig grund för behandlingen", "Rättsliga grunder", "Rättslig grund enligt GDPR",
	},
	record.FieldRetention: {
		"Lagringstid", "Gallring", "Gallringsfrist", "Lagring/gallring", "Lagring",
		"Lagring och gallring", "Bevarande/gallring", "Bevarande och gallring",
		"Lagringstid/gallring", "Gallringsregler", "Gallringsfrist/lagringstid",
		"Lagringstid/gallringsfrist", "Lagringstid och gallring",
	},
	record.FieldRecipients: {
		"Mottagare", "Mottagare av uppgifterna", "Mottagare av personuppgifterna",
		"Mottagare av personuppgifter", "Kategorier av mottagare", "Utlämnas till",
	},
	record.FieldSources: {
		"Källa", "Källor", "Källa som personuppgifter samlas in från",
		"Källa till personuppgifterna", "Källa till uppgifterna", "Uppgiftskälla",
	},
	record.FieldThirdCountry: {
		"Överföring till tredje land", "Överföring tredje land", "Tredje land",
		"Tredjeland", "Överföring till tredjeland", "Överföring",
		"Överföring till land utanför EU/EES", "Tredjelandsöverföring",
		"Överföring till tredje land/internationell organisation",
	},
	record.FieldSystem: {"System", "IT-stöd", "IT-system", "Verksamhetssystem", "IT-stöd/system", "System/IT-stöd"},
	record.FieldOrgan: {
		"Ansvarig", "Nämnd", "Ansvarig nämnd", "Personuppgiftsansvarig",
		"Personuppgiftsansvarig nämnd",
	},
	record.FieldAutomatedDecisions: {
		"Automatiserat beslutsfattande", "Automatiserade beslut", "Profilering",
		"Automatiserat beslutsfattande/profilering",
	},
	record.FieldSecurityMeasures: {"Säkerhetsåtgärder", "IT-säkerhetsåtgärder", "Skyddsåtgärder"},
}

type variant struct {
	field string
	words []string // folded
}

var table = buildTable()

const maxWords = 8

func buildTable() []variant {
	var t []variant
	for field, vs := range variants {
		for _, v := range vs {
			t = append(t, variant{field: field, words: strings.Fields(Fold(v))})
		}
	}
	return t
}

// Fields returns the contract keys the vocabulary knows.
func Fields() []string {
	out := make([]string, 0, len(variants))
	for f := range variants {
		out = append(out, f)
	}
	return out
}

type word struct {
	text       string // as written (debris stripped)
	key        string // folded, trailing punctuation stripped
	start, end int    // byte offsets in the line
	hyphenEnd  bool   // ends with "-": a split word's left part
}

// words splits line into words, stripping table-border debris ([, |, ], _)
// and trailing punctuation (":", ",", ";", ".").
func words(line string) []word {
	var out []word
	i := 0
	for i < len(line) {
		r, n := utf8.DecodeRuneInString(line[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		j := i
		for j < len(line) {
			r, n := utf8.DecodeRuneInString(line[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		s, e := i, j
		for s < e && strings.ContainsRune("[|]_", rune(line[s])) {
			s++
		}
		for e > s && strings.ContainsRune("[|]_:,;.", rune(line[e-1])) {
			e--
		}
		if s < e {
			txt := line[s:e]
			w := word{text: txt, start: s, end: e}
			if strings.HasSuffix(txt, "-") && len(txt) > 1 {
				w.hyphenEnd = true
				txt = strings.TrimSuffix(txt, "-")
			}
			w.key = Fold(txt)
			out = append(out, w)
		}
		i = j
	}
	return out
}

// matchAt tries the variants against ws[i:i+k]. It reports the field and
// whether the words are a whole variant (full) or only its beginning (the
// header continues on the next line). A beginning counts only when every
// variant it begins names the same field.
func matchAt(ws []word, i, k int) (field string, full, ok bool) {
	seq := ws[i : i+k]
	prefixField := ""
	prefixAmbiguous := false
	for _, v := range table {
		if len(v.words) < k {
			continue
		}
		matched := true
		for x := 0; x < k; x++ {
			w := seq[x]
			if x == k-1 && w.hyphenEnd {
				// "person-": the beginning of the variant's word.
				vw := v.words[x]
				if len(w.key) < 3 || len(vw) <= len(w.key) || !Similar(w.key, vw[:min(len(vw), len(w.key))]) {
					matched = false
				}
				break
			}
			if !Similar(w.key, v.words[x]) {
				matched = false
				break
			}
		}
		if !matched {
			continue
		}
		if len(v.words) == k && !seq[k-1].hyphenEnd {
			return v.field, true, true
		}
		if prefixField == "" {
			prefixField = v.field
		} else if prefixField != v.field {
			prefixAmbiguous = true
		}
	}
	if prefixField != "" && !prefixAmbiguous {
		return prefixField, false, true
	}
	return "", false, false
}

// FindColumns finds the ordered column headers in one header line: at each
// word it takes the longest run of words that names a header (a whole
// variant, or the unambiguous beginning of one whose rest wrapped to the
// next line), and skips words that name none.
func FindColumns(line string) []Column {
	ws := words(line)
	var cols []Column
	for i := 0; i < len(ws); {
		found := false
		for k := min(maxWords, len(ws)-i); k >= 1; k-- {
			field, full, ok := matchAt(ws, i, k)
			if !ok {
				continue
			}
			// A lone word that only begins a longer header ("Kategorier")
			// is too weak unless it ends in a hyphen.
			if !full && k == 1 && !ws[i].hyphenEnd {
				continue
			}
			cols = append(cols, Column{
				Field:  field,
				Text:   line[ws[i].start:ws[i+k-1].end],
				Offset: ws[i].start,
				End:    ws[i+k-1].end,
			})
			i += k
			found = true
			break
		}
		if !found {
			i++
		}
	}
	return cols
}

// Match maps one column header text to its contract key. The whole text
// must name a single header; it may wrap over lines ("Källa som person-\n
// uppgifter samlas in från").
func Match(text string) (field string, ok bool) {
	text = joinWrapped(text)
	ws := words(text)
	if len(ws) == 0 || len(ws) > maxWords {
		return "", false
	}
	field, full, ok := matchAt(ws, 0, len(ws))
	if !ok {
		return "", false
	}
	_ = full // a header cut short is still that header
	return field, true
}

// joinWrapped joins a header that wraps over lines: a line ending in a
// hyphen is joined to the next without the hyphen, other line breaks
// become spaces.
func joinWrapped(text string) string {
	lines := strings.Split(text, "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			s := b.String()
			if strings.HasSuffix(s, "-") && i > 0 && startsLower(l) {
				b.Reset()
				b.WriteString(strings.TrimSuffix(s, "-"))
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(s, "[|_ "))
	return unicode.IsLower(r)
}

// Field keys that only cell headers name (see MatchCell).
const (
	// FieldLegalBasisText is the legal basis as written, when a table holds
	// it beside a column of normalized bases (a registerlyft export).
	FieldLegalBasisText = "legal_basis_text"
)

// cellVariants are headers trusted only as the whole text of a spreadsheet
// cell, never inside a line of flat text: single common words ("Kommun")
// that would make a running sentence look like a header row to FindColumns.
var cellVariants = map[string][]string{
	record.FieldMunicipality: {"Kommun", "Kommunnamn", "Kommunens namn"},
	FieldLegalBasisText: {
		"Rättslig grund (text)", "Rättslig grund, text", "Rättslig grund i text",
		"Laglig grund (text)",
	},
}

var cellTable = buildCellTable()

func buildCellTable() map[string]string {
	m := map[string]string{}
	for field, vs := range cellVariants {
		for _, v := range vs {
			m[cellKey(v)] = field
		}
	}
	return m
}

// cellKey folds a cell header for an exact lookup: case, å/ä/ö and runs of
// white space and trailing punctuation do not count.
func cellKey(s string) string {
	return strings.TrimRight(strings.Join(strings.Fields(Fold(joinWrapped(s))), " "), ":.;,")
}

// MatchCell maps the text of one spreadsheet header cell (CSV, TSV, XLSX)
// to its contract key. It knows what Match knows, and besides the headers
// that are safe only as a whole cell: "Kommun" (municipality) and "Rättslig
// grund (text)" (FieldLegalBasisText, the legal basis as written beside a
// column of normalized bases).
func MatchCell(text string) (field string, ok bool) {
	if f, ok := cellTable[cellKey(text)]; ok {
		return f, true
	}
	return Match(text)
}
