package sheet

import (
	"reflect"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/normalize"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

func TestExtract(t *testing.T) {
	type rec struct {
		fields    map[string]string
		line, end int
		page      int
	}
	tests := []struct {
		name   string
		format string
		sheets []extractors.Sheet
		want   []rec
		detect float64
	}{
		{
			name:   "title rows, blank and repeated header rows, continuation, unknown and unheaded columns",
			format: "csv",
			sheets: []extractors.Sheet{{Rows: [][]string{
				{"Registerförteckning Socialnämnden"},
				{},
				{"Behandling", "Syfte", "Personuppgifter", "Laglig grund", "Kontakt", ""},
				{"Försörjningsstöd", "Utreda rätt till bistånd.", "Namn\nInkomst", "Myndighetsutövning", "Anna", "x"},
				{"", "", "Bankkonto"},
				{},
				{"Behandling", "Syfte", "Personuppgifter", "Laglig grund", "Kontakt"},
				{"Färdtjänst", "Handlägga färdtjänst.", "Namn", "Myndighetsutövning"},
			}}},
			want: []rec{
				{map[string]string{record.FieldActivity: "Försörjningsstöd", record.FieldPurpose: "Utreda rätt till bistånd.",
					record.FieldPersonalData: "Namn\nInkomst\nBankkonto", record.FieldLegalBasis: "Myndighetsutövning",
					normalize.ExtraPrefix + "Kontakt": "Anna", normalize.ExtraPrefix + "Kolumn F": "x"}, 4, 5, 0},
				{map[string]string{record.FieldActivity: "Färdtjänst", record.FieldPurpose: "Handlägga färdtjänst.",
					record.FieldPersonalData: "Namn", record.FieldLegalBasis: "Myndighetsutövning"}, 8, 8, 0},
			},
			detect: 1,
		},
		{
			name:   "merged activity and board cells; lines counted over sheets",
			format: "xlsx",
			sheets: []extractors.Sheet{
				{Name: "Instruktioner", Rows: [][]string{{"Fyll i"}, {"en rad per behandling"}}},
				{Name: "Register", Rows: [][]string{
					{"Nämnd", "Behandling", "Registrerade", "Rättslig grund"},
					{"Kulturnämnden", "Bibliotek", "Låntagare", "Allmänt intresse"},
					{"", "", "Vårdnadshavare", ""},
					{"", "Simskola", "Barn", "Samtycke"},
				}, Merge: []extractors.Merge{{Row0: 1, Col0: 0, Row1: 3, Col1: 0}, {Row0: 1, Col0: 1, Row1: 2, Col1: 1}, {Row0: 1, Col0: 3, Row1: 2, Col1: 3}}},
			},
			want: []rec{
				{map[string]string{record.FieldOrgan: "Kulturnämnden", record.FieldActivity: "Bibliotek",
					record.FieldDataSubjects: "Låntagare\nVårdnadshavare", record.FieldLegalBasis: "Allmänt intresse"}, 4, 5, 2},
				{map[string]string{record.FieldOrgan: "Kulturnämnden", record.FieldActivity: "Simskola",
					record.FieldDataSubjects: "Barn", record.FieldLegalBasis: "Samtycke"}, 6, 6, 2},
			},
			detect: 1,
		},
		{
			name:   "one sheet per board names the organ",
			format: "xlsx",
			sheets: []extractors.Sheet{
				{Name: "Socialnämnden", Rows: [][]string{{"Behandling", "Ändamål"}, {"Bistånd", "Utreda"}}},
				{Name: "Kommunstyrelsen", Rows: [][]string{{"Behandling", "Ändamål"}, {"Lön", "Betala lön"}}},
			},
			want: []rec{
				{map[string]string{record.FieldOrgan: "Socialnämnden", record.FieldActivity: "Bistånd", record.FieldPurpose: "Utreda"}, 2, 2, 1},
				{map[string]string{record.FieldOrgan: "Kommunstyrelsen", record.FieldActivity: "Lön", record.FieldPurpose: "Betala lön"}, 4, 4, 2},
			},
			detect: 0.8,
		},
		{
			name:   "no header: nothing",
			format: "csv",
			sheets: []extractors.Sheet{{Rows: [][]string{{"Namn", "Telefon"}, {"Anna", "123"}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := &extractors.Doc{Format: tt.format, Sheets: tt.sheets}
			x := New()
			if got := x.Detect(doc); got != tt.detect {
				t.Errorf("Detect = %v, want %v", got, tt.detect)
			}
			raws, err := x.Extract(doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(raws) != len(tt.want) {
				t.Fatalf("%d records, want %d: %+v", len(raws), len(tt.want), raws)
			}
			for i, w := range tt.want {
				r := raws[i]
				if !reflect.DeepEqual(r.Fields, w.fields) {
					t.Errorf("record %d fields\n got %q\nwant %q", i+1, r.Fields, w.fields)
				}
				if r.Line != w.line || r.EndLine != w.end || r.Page != w.page {
					t.Errorf("record %d at page %d lines %d–%d, want page %d lines %d–%d", i+1, r.Page, r.Line, r.EndLine, w.page, w.line, w.end)
				}
			}
		})
	}
}

func TestColumnName(t *testing.T) {
	for c, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := columnName(c); got != want {
			t.Errorf("columnName(%d) = %q, want %q", c, got, want)
		}
	}
}

func TestNoPanic(t *testing.T) {
	docs := []*extractors.Doc{
		{},
		{Sheets: []extractors.Sheet{{}}},
		{Sheets: []extractors.Sheet{{Rows: [][]string{{"Behandling", "Syfte"}}, Merge: []extractors.Merge{{Row0: 5, Col0: 5, Row1: 1, Col1: 1}, {Row0: -1, Col0: -1, Row1: 9, Col1: 9}}}}},
		{Sheets: []extractors.Sheet{{Rows: [][]string{{"Behandling", "Syfte"}, {"", "x"}, {"a"}}, Merge: []extractors.Merge{{Row0: 0, Col0: 0, Row1: 100, Col1: 100}}}}},
	}
	for _, d := range docs {
		New().Detect(d)
		if _, err := New().Extract(d); err != nil {
			t.Error(err)
		}
	}
}
