package header

import (
	"reflect"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		text  string
		field string
		ok    bool
	}{
		{"Behandlingsaktivitet", record.FieldActivity, true},
		{"Behandling", record.FieldActivity, true},
		{"Namn på behandlingen", record.FieldActivity, true},
		{"namn pa behandling", record.FieldActivity, true},
		{"Avser behandlingen", record.FieldActivity, true},
		{"Ändamål med behandlingen", record.FieldPurpose, true},
		{"Andamal med behandlingen", record.FieldPurpose, true},
		{"SYFTE", record.FieldPurpose, true},
		{"Syfte/ändamål:", record.FieldPurpose, true},
		{"Kategorier av registrerade", record.FieldDataSubjects, true},
		{"Registrerade", record.FieldDataSubjects, true},
		{"Personkategori", record.FieldDataSubjects, true},
		{"Kategorier av personuppgifter", record.FieldPersonalData, true},
		{"Personuppgifter", record.FieldPersonalData, true},
		{"Rättslig grund", record.FieldLegalBasis, true},
		{"Réttslig grund", record.FieldLegalBasis, true},
		{"Rattslig grund", record.FieldLegalBasis, true},
		{"Laglig grund", record.FieldLegalBasis, true},
		{"Lagringstid", record.FieldRetention, true},
		{"Gallring", record.FieldRetention, true},
		{"Gallringsfrist", record.FieldRetention, true},
		{"Lagring/gallring", record.FieldRetention, true},
		{"Mottagare", record.FieldRecipients, true},
		{"Mottagare av uppgifterna", record.FieldRecipients, true},
		{"Källa", record.FieldSources, true},
		{"Ké&lla", record.FieldSources, true},
		{"Källa som personuppgifter samlas in från", record.FieldSources, true},
		{"Ké&lla som person-\nuppgifter samlas in fran", record.FieldSources, true},
		{"Överföring till tredje land", record.FieldThirdCountry, true},
		{"Overforing", record.FieldThirdCountry, true},
		{"Tredjeland", record.FieldThirdCountry, true},
		{"tredje land", record.FieldThirdCountry, true},
		{"System", record.FieldSystem, true},
		{"IT-stöd", record.FieldSystem, true},
		{"Ansvarig", record.FieldOrgan, true},
		{"Nämnd", record.FieldOrgan, true},
		{"[Mottagare|", record.FieldRecipients, true},
		// Not headers.
		{"", "", false},
		{"Kategorier", "", false}, // begins two different headers
		{"Allmänt intresse", "", false},
		{"Nej", "", false},
		{"Avtal", "", false},
		{"Samtycke", "", false},
		{"Gallras efter 3 år", "", false},
	}
	for _, tt := range tests {
		field, ok := Match(tt.text)
		if field != tt.field || ok != tt.ok {
			t.Errorf("Match(%q) = %q, %v; want %q, %v", tt.text, field, ok, tt.field, tt.ok)
		}
	}
}

func TestFindColumns(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		fields []string
		texts  []string
	}{
		{
			name: "seed 002 header, OCR damaged and wrapped",
			line: "Behandlingsaktivitet Andamal med behandlingen Kategorier av registrerade Kategorier av personuppgifter Réttslig grund Lagringstid Mottagare Ké&lla som person- Overforing",
			fields: []string{record.FieldActivity, record.FieldPurpose, record.FieldDataSubjects,
				record.FieldPersonalData, record.FieldLegalBasis, record.FieldRetention,
				record.FieldRecipients, record.FieldSources, record.FieldThirdCountry},
			texts: []string{"Behandlingsaktivitet", "Andamal med behandlingen", "Kategorier av registrerade",
				"Kategorier av personuppgifter", "Réttslig grund", "Lagringstid", "Mottagare",
				"Ké&lla som person-", "Overforing"},
		},
		{
			name:   "other order and wording, with borders",
			line:   "| Syfte | Namn på behandling | Laglig grund | Personkategori | Gallring | IT-stöd |",
			fields: []string{record.FieldPurpose, record.FieldActivity, record.FieldLegalBasis, record.FieldDataSubjects, record.FieldRetention, record.FieldSystem},
			texts:  []string{"Syfte", "Namn på behandling", "Laglig grund", "Personkategori", "Gallring", "IT-stöd"},
		},
		{
			name:   "continuation line of a wrapped header",
			line:   "uppgifter samlas in fran  [tredje land",
			fields: []string{record.FieldThirdCountry},
			texts:  []string{"tredje land"},
		},
		{
			name: "body text finds no header row",
			line: "Hantera valinformation For ett okat valdeltagande skickas sms Allmant intresse Nej",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols := FindColumns(tt.line)
			var fields, texts []string
			for _, c := range cols {
				fields = append(fields, c.Field)
				texts = append(texts, c.Text)
				if tt.line[c.Offset:c.End] != c.Text {
					t.Errorf("offsets %d:%d give %q, want %q", c.Offset, c.End, tt.line[c.Offset:c.End], c.Text)
				}
			}
			if !reflect.DeepEqual(fields, tt.fields) {
				t.Errorf("fields = %q, want %q", fields, tt.fields)
			}
			if !reflect.DeepEqual(texts, tt.texts) {
				t.Errorf("texts = %q, want %q", texts, tt.texts)
			}
		})
	}
}

func TestSimilar(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"rettslig", "rattslig", true},
		{"allmeant", "allmant", true},
		{"sjdlv", "sjalv", true},
		{"drenden", "arenden", true},
		{"6vervaka", "overvaka", true},
		{"avtal", "antal", false},
		{"nej", "ja", false},
		{"samtycke", "samtycke", true},
		{"mottagare", "lagringstid", false},
	}
	for _, tt := range tests {
		if got := Similar(Fold(tt.a), Fold(tt.b)); got != tt.want {
			t.Errorf("Similar(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestMatchCell(t *testing.T) {
	tests := []struct {
		text  string
		field string
		ok    bool
	}{
		{"Kommun", record.FieldMunicipality, true},
		{"KOMMUN:", record.FieldMunicipality, true},
		{"Rättslig grund (text)", FieldLegalBasisText, true},
		{"Rättslig grund", record.FieldLegalBasis, true},
		{"Namn på behandling", record.FieldActivity, true},
		{"Registrerade", record.FieldDataSubjects, true},
		{"Kategorier av registrerade", record.FieldDataSubjects, true},
		{"Personuppgifter", record.FieldPersonalData, true},
		{"Laglig grund", record.FieldLegalBasis, true},
		{"Gallring", record.FieldRetention, true},
		{"Gallringsfrist", record.FieldRetention, true},
		{"Källa", record.FieldSources, true},
		{"Tredjeland", record.FieldThirdCountry, true},
		{"Överföring till tredje land", record.FieldThirdCountry, true},
		{"System", record.FieldSystem, true},
		{"IT-stöd", record.FieldSystem, true},
		{"Ansvarig", record.FieldOrgan, true},
		{"Nämnd", record.FieldOrgan, true},
		{"Syfte", record.FieldPurpose, true},
		{"Lagringstid", record.FieldRetention, true},
		{"Behandlingens ändamål", record.FieldPurpose, true},
		{"Kontaktperson", "", false},
		{"Kommunen är ansvarig", "", false},
	}
	for _, tt := range tests {
		field, ok := MatchCell(tt.text)
		if field != tt.field || ok != tt.ok {
			t.Errorf("MatchCell(%q) = %q, %v; want %q, %v", tt.text, field, ok, tt.field, tt.ok)
		}
	}
	// Cell-only headers must stay out of flat text lines.
	if cols := FindColumns("Kommun Behandling Ändamål"); len(cols) != 2 {
		t.Errorf("FindColumns with Kommun = %v, want 2 columns (Kommun is cell-only)", cols)
	}
}
