package controller

import (
	"os"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		muni, organ string
	}{
		{"responsible sentence", "Kulturnämnden är personuppgiftsansvarig för behandlingen.\nKontakta Uppsala kommun.", "Uppsala kommun", "Kulturnämnden"},
		{"label", "Ansökan om bistånd\nPersonuppgiftsansvarig: Socialnämnden, Luleå kommun\nÄndamål: Handläggning.", "Luleå kommun", "Socialnämnden"},
		{"bare label then value", "Personuppgiftsansvarig\n\nBarn- och utbildningsnämnden\nSkolan nämner Kulturnämnden och Kulturnämnden.", "", "Barn- och utbildningsnämnden"},
		{"title genitive", "Kommunstyrelsens personuppgiftsbehandlingar\nSocialnämnden nämns här.", "", "Kommunstyrelsen"},
		{"title inom", "Personuppgiftsbehandling inom Kommunstyrelsens förvaltning\nText.", "", "Kommunstyrelsen"},
		{"case normalised", "Postadress: Stadshuset, Luleå Kommun, 971 85 Luleå", "Luleå kommun", ""},
		{"genitive municipality", "Telefonsamtal till Luleå kommuns kundcenter", "Luleå kommun", ""},
		{"inom beats mentions", "Inom Piteå kommun gäller detta.\nVi samarbetar med Luleå kommun och Luleå kommun.", "Piteå kommun", ""},
		{"region", "Region Norrbotten är huvudman. Hälso- och sjukvårdsnämnden är personuppgiftsansvarig.", "Region Norrbotten", "Hälso- och sjukvårdsnämnden"},
		{"region mention loses to kommun", "Hantera färdtjänst\nUppgifter lämnas till Region Stockholm.\nfolkbokförd i Södertälje kommun", "Södertälje kommun", ""},
		{"ocr damaged name", "ar nodvandig for att sdkerstalla att forslagslamnaren ar folkbokford i\nSodertélje kommun samt", "Södertälje kommun", ""},
		{"postal only", "Box 201\n776 30 Hedemora\nKommunstyrelsens hantering av personuppgifter", "Hedemora kommun", "Kommunstyrelsen"},
		{"postal loses to mention", "971 85 Luleå\nBoden kommun ansvarar.", "Boden kommun", ""},
		{"indefinite organ", "Personuppgiftsansvarig är Miljö- och byggnämnd i Ale kommun.", "Ale kommun", "Miljö- och byggnämnden"},
		{"coordinated organ with comma", "Kultur-, fritids- och turismnämnden är personuppgiftsansvarig.", "", "Kultur-, fritids- och turismnämnden"},
		{"generic nämnd/styrelse is no organ", "Inom Luleå kommun är varje enskild nämnd/styrelse personuppgiftsansvarig.", "Luleå kommun", ""},
		{"generic controller word", "Den personuppgiftsansvarige ska kunna fullgöra en rättslig skyldighet. Socialnämnden.", "", "Socialnämnden"},
		{"linking s kept", "Lilla Edets kommun är en kommun.", "Lilla Edets kommun", ""},
		{"e-mail domain ignored", "E-post: info@lulea.se", "", ""},
		{"fullmäktige weak", "Protokoll\nKommunfullmäktige beslutar. Kommunfullmäktige. Valnämnden.", "", "Valnämnden"},
		{"förvaltning is no organ", "Kommunstyrelseförvaltningen ansvarar för dina personuppgifter.", "", ""},
		{"adjective organ", "Personuppgiftsansvarig: Tekniska nämnden", "", "Tekniska nämnden"},
		{"determiner is no organ", "Ärendet går till berörda nämnden.", "", ""},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, o := Find(strings.Split(tt.text, "\n"))
			if m != tt.muni || o != tt.organ {
				t.Errorf("Find = (%q, %q), want (%q, %q)", m, o, tt.muni, tt.organ)
			}
		})
	}
}

func TestSeeds(t *testing.T) {
	tests := []struct {
		file        string
		muni, organ string
		muniKind    string
	}{
		{"001_2fbdfe8ee2a62f19.txt", "", "Kommunstyrelsen", ""},
		{"002_64d63baee2f0a659.txt", "Södertälje kommun", "Kommunstyrelsen", EvidenceMention},
		{"003_6d22029d34f76304.txt", "Hedemora kommun", "Kommunstyrelsen", EvidencePostal},
		{"004_670afb2e98eb9082.txt", "Luleå kommun", "Kommunstyrelsen", EvidenceResponsible},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile("../../testdata/seeds/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			r := Analyze(strings.Split(string(b), "\n"))
			if r.Municipality != tt.muni || r.Organ != tt.organ {
				t.Errorf("Analyze = (%q, %q), want (%q, %q)", r.Municipality, r.Organ, tt.muni, tt.organ)
			}
			if r.MunicipalityEvidence.Kind != tt.muniKind {
				t.Errorf("municipality evidence = %+v, want kind %q", r.MunicipalityEvidence, tt.muniKind)
			}
			t.Logf("municipality %q from %+v; organ %q from %+v", r.Municipality, r.MunicipalityEvidence, r.Organ, r.OrganEvidence)
		})
	}
}

func TestOrganAndMunicipality(t *testing.T) {
	tests := []struct{ in, organ, muni string }{
		{"Socialnämndens", "Socialnämnden", ""},
		{"kommunstyrelsen i Falu kommun", "Kommunstyrelsen", "Falu kommun"},
		{"LULEÅ KOMMUN", "", "Luleå kommun"},
		{"Region Jönköpings län", "", "Region Jönköpings län"},
		{"Västra Götalandsregionen", "", "Västra Götalandsregionen"},
		{"Överförmyndaren i Mora kommun", "Överförmyndaren", "Mora kommun"},
		{"nämndsammanträde", "", ""},
	}
	for _, tt := range tests {
		if got := Organ(tt.in); got != tt.organ {
			t.Errorf("Organ(%q) = %q, want %q", tt.in, got, tt.organ)
		}
		if got := Municipality(tt.in); got != tt.muni {
			t.Errorf("Municipality(%q) = %q, want %q", tt.in, got, tt.muni)
		}
	}
}
