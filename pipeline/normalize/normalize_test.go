package normalize

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

func TestSplitList(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"commas", "Namn, adress, telefonnummer", []string{"Namn", "adress", "telefonnummer"}},
		{"semicolon", "Kontaktuppgifter; namn", []string{"Kontaktuppgifter", "namn"}},
		{"lines and bullets", "• Namn\n • Adress.\n-Telefon\n- E-post", []string{"Namn", "Adress", "Telefon", "E-post"}},
		{"inline bullets", "Namn • adress • telefon", []string{"Namn", "adress", "telefon"}},
		{"numbered", "1. Namn\n2) Adress", []string{"Namn", "Adress"}},
		{"och last item", "Namn, kontaktuppgifter och personnummer.", []string{"Namn", "kontaktuppgifter", "personnummer"}},
		{"determiner stays first", "Andra aktörer och intressenter", []string{"Andra aktörer", "intressenter"}},
		{"samt", "Skatteverket samt Försäkringskassan", []string{"Skatteverket", "Försäkringskassan"}},
		{"parentheses", "kontaktuppgifter (telefonnummer, e-postadress)", []string{"kontaktuppgifter (telefonnummer, e-postadress)"}},
		{"complement av", "Potentiella leverantörer av varor och tjänster", []string{"Potentiella leverantörer av varor och tjänster"}},
		{"complement series", "Uppgifter om skatt, lön och pension", []string{"Uppgifter om skatt, lön och pension"}},
		{"complement i form av", "kontaktuppgifter i form av telefonnummer och e-postadress", []string{"kontaktuppgifter i form av telefonnummer och e-postadress"}},
		{"complement som", "Journaluppgifter som läkemedelslista, remisser och recept", []string{"Journaluppgifter som läkemedelslista, remisser och recept"}},
		{"complement then samt", "Leverantörer av varor och tjänster samt befintliga leverantörer", []string{"Leverantörer av varor och tjänster", "befintliga leverantörer"}},
		{"elliptic compound", "Namn- och kontaktuppgifter", []string{"Namn- och kontaktuppgifter"}},
		{"shared noun", "interna och externa mottagare", []string{"interna och externa mottagare"}},
		{"slash", "Medborgare/kommuninvånare", []string{"Medborgare/kommuninvånare"}},
		{"eller", "Den enskilde eller i vissa fall från extern bildbyrå", []string{"Den enskilde eller i vissa fall från extern bildbyrå"}},
		{"alternativt", "Den registrerade själv alternativt från din personalakt", []string{"Den registrerade själv alternativt från din personalakt"}},
		{"prose stays whole", "Kallelser och protokoll publiceras på kommunens hemsida.", []string{"Kallelser och protokoll publiceras på kommunens hemsida"}},
		{"prose with commas", "Andra parter, så kallade personuppgiftsbiträden, som behandlar personuppgifter kan få ta del av dem.", []string{"Andra parter, så kallade personuppgiftsbiträden, som behandlar personuppgifter kan få ta del av dem"}},
		{"subordinate verb is no prose", "Anställda, sökande, allmänheten i de fall uppgifter publiceras", []string{"Anställda", "sökande", "allmänheten i de fall uppgifter publiceras"}},
		{"relative clause and samt", "Leverantör som tillhandahåller IT-stöd samt leverantör som genomför enkäter.", []string{"Leverantör som tillhandahåller IT-stöd", "leverantör som genomför enkäter"}},
		{"sentences", "Namn och adress. Uppgifter kan även förekomma i fritext.", []string{"Namn", "adress", "Uppgifter kan även förekomma i fritext"}},
		{"lead-in dropped", "Personuppgifter som kan komma att behandlas är namn, adress.", []string{"namn", "adress"}},
		{"lead-in with colon", "Vi behandlar följande personuppgifter: namn, adress", []string{"namn", "adress"}},
		{"meaningful lead-in stays", "Är beroende på typ av handling men det kan handla om namn och adress.", []string{"Är beroende på typ av handling men det kan handla om namn och adress"}},
		{"abbreviation keeps period", "Det handlar om skanning etc. Leverantörerna får endast behandla uppgifterna.", []string{"Det handlar om skanning etc.", "Leverantörerna får endast behandla uppgifterna"}},
		{"t.ex. does not end a sentence", "Försäkringsbolag t.ex. AFA.", []string{"Försäkringsbolag t.ex. AFA"}},
		{"m.m. at end", "Namn, adress m.m.", []string{"Namn", "adress m.m."}},
		{"attributive adjective", "Via inkomna, upprättade ärenden/handlingar.", []string{"Via inkomna, upprättade ärenden/handlingar"}},
		{"apposition", "Dig, den registrerade själv", []string{"Dig, den registrerade själv"}},
		{"labels", "Internt: Handläggare\nExternt: Skatteverket", []string{"Handläggare", "Skatteverket"}},
		{"trailing comma", "Personuppgiftsbiträde,\nMolntjänstleverantör", []string{"Personuppgiftsbiträde", "Molntjänstleverantör"}},
		{"space before comma", "Namn , kontaktuppgifter", []string{"Namn", "kontaktuppgifter"}},
		{"empty bullets", "-\n\n•\nNamn", []string{"Namn"}},
		{"placeholder kept by SplitList", "Beroende på behandling.", []string{"Beroende på behandling"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitList(tt.in); !equal(got, tt.want) {
				t.Errorf("SplitList(%q)\n got  %q\n want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPlaceholder(t *testing.T) {
	tests := []struct {
		field, text string
		want        bool
	}{
		{"retention", "-", true},
		{"retention", "–", true},
		{"retention", "?", true},
		{"recipients", "x", true},
		{"purpose", "N/A", true},
		{"purpose", "TBD", true},
		{"purpose", "Ej ifyllt", true},
		{"retention", "Uppgift saknas.", true},
		{"sources", "Se ovan", true},
		{"purpose", "...", true},
		{"personal_data", "Beroende på behandling", true},
		{"retention", "Lagringstid", true},
		{"legal_basis", "Rättslig grund:", true},
		{"purpose", "Rättslig grund", false}, // another field's header
		{"third_country", "Nej", false},
		{"recipients", "Inga externa mottagare", false},
		{"retention", "Bevaras", false},
		{"personal_data", "x-nummer", false},
		{"purpose", "", false},
	}
	for _, tt := range tests {
		if got := Placeholder(tt.field, tt.text); got != tt.want {
			t.Errorf("Placeholder(%q, %q) = %v, want %v", tt.field, tt.text, got, tt.want)
		}
	}
}

func TestJoinLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Vi behandlar dina personuppgifter i samband med\n\n-räddningsinsatser vid olyckor,\n-hantera tillsynsärenden.", "Vi behandlar dina personuppgifter i samband med räddningsinsatser vid olyckor, hantera tillsynsärenden."},
		{" • Nämnds administration.\n • Arvodering/ersättningar\n", "Nämnds administration. Arvodering/ersättningar"},
		{"Kontaktcenter - felanmälningar", "Kontaktcenter - felanmälningar"},
		{"nämndsammanträde/ styrelsesammanträde", "nämndsammanträde/ styrelsesammanträde"},
		{"  a   b  ", "a b"},
	}
	for _, tt := range tests {
		if got := JoinLines(tt.in); got != tt.want {
			t.Errorf("JoinLines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRecord(t *testing.T) {
	raw := extractors.RawRecord{
		Kind: record.KindActivity,
		Fields: map[string]string{
			record.FieldOrgan:        "Kommunstyrelsen",
			record.FieldActivity:     "Hantering av färdtjänst",
			record.FieldPurpose:      "Ansökan om\nfärdtjänst",
			record.FieldPersonalData: "Personnummer, kontaktuppgifter, uppgift om hälsa",
			record.FieldLegalBasis:   "Allmént\nintresse",
			record.FieldRetention:    "-",
			record.FieldRecipients:   "Region Stockholm, ?",
			record.FieldSources:      "Individen själv",
			record.FieldDataSubjects: "-",
			record.FieldThirdCountry: "Nej",
			"ansvarig":               "Enhetschef",
		},
		ActivityInferred: true,
	}
	r := Record(raw)
	if r.Kind != record.KindActivity || !r.ActivityInferred {
		t.Errorf("kind %q inferred %v", r.Kind, r.ActivityInferred)
	}
	if r.Purpose != "Ansökan om färdtjänst" {
		t.Errorf("purpose %q", r.Purpose)
	}
	if r.LegalBasisText != "Allmént intresse" || !equal(r.LegalBasis, []string{"allmänt intresse"}) {
		t.Errorf("legal basis %q %q", r.LegalBasisText, r.LegalBasis)
	}
	if r.Retention != "" {
		t.Errorf("placeholder retention kept: %q", r.Retention)
	}
	if !equal(r.Recipients, []string{"Region Stockholm"}) {
		t.Errorf("recipients %q", r.Recipients)
	}
	if !equal(r.SensitiveData, []string{"personnummer", "hälsa"}) {
		t.Errorf("sensitive %q", r.SensitiveData)
	}
	if r.Extra["ansvarig"] != "Enhetschef" {
		t.Errorf("extra %v", r.Extra)
	}
	var q2 []string
	for _, w := range r.Quality.Warnings {
		if w.Code == "Q2" {
			q2 = append(q2, w.Field)
		}
	}
	if !equal(q2, []string{"data_subjects", "retention", "recipients"}) {
		t.Errorf("Q2 warnings on %q, want data_subjects, retention, recipients", q2)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["retention"]; ok {
		t.Errorf("JSON has a retention key: %s", b)
	}
	if strings.Contains(string(b), `:[]`) || strings.Contains(string(b), `"-"`) {
		t.Errorf("JSON has an empty list or a placeholder: %s", b)
	}
}

func TestRecordDocument(t *testing.T) {
	doc := &record.Record{
		Kind:           record.KindDocument,
		Organ:          "Kommunstyrelsen",
		Title:          "Kommunstyrelsens hantering av personuppgifter",
		LegalBasisText: "samtycke från dig i de flesta fall inte nödvändigt ... myndighetsutövning ... avtal",
		Sources:        []string{"Skatteverket"},
	}
	r := Record(extractors.RawRecord{Kind: record.KindDocument, Document: doc,
		Fields: map[string]string{"date": "2022-10-27"}})
	if r.Kind != record.KindDocument || r.Title != doc.Title || r.Date != "2022-10-27" {
		t.Errorf("document fields not copied: %+v", r)
	}
	if !equal(r.LegalBasis, []string{"myndighetsutövning", "avtal"}) {
		t.Errorf("legal basis %q", r.LegalBasis)
	}
	r.Sources[0] = "changed"
	if doc.Sources[0] != "Skatteverket" {
		t.Error("Record shares the document's slices")
	}
}

func TestSensitive(t *testing.T) {
	tests := []struct {
		name   string
		r      record.Record
		want   []string
		fields []string
	}{
		{"order of appearance", record.Record{PersonalData: []string{"Namn", "uppgift om hälsa", "personnummer"}},
			[]string{"hälsa", "personnummer"}, []string{"personal_data", "personal_data"}},
		{"personal_data before purpose", record.Record{Purpose: "Hantera personnummer", PersonalData: []string{"diagnos"}},
			[]string{"hälsa", "personnummer"}, []string{"personal_data", "purpose"}},
		{"data subjects", record.Record{DataSubjects: []string{"personer med funktionsnedsättning"}},
			[]string{"hälsa"}, []string{"data_subjects"}},
		{"person-nr and samordningsnummer", record.Record{PersonalData: []string{"person-nr", "samordningsnummer"}},
			[]string{"personnummer"}, []string{"personal_data"}},
		{"pnr", record.Record{PersonalData: []string{"Pnr"}}, []string{"personnummer"}, []string{"personal_data"}},
		{"union from source", record.Record{Sources: []string{"Fackförbund"}},
			[]string{"facklig tillhörighet"}, []string{"sources"}},
		{"weak crime term in purpose", record.Record{Purpose: "Följa upp att medarbetare inte bedriver brottslig aktivitet"}, nil, nil},
		{"crime term in personal data", record.Record{PersonalData: []string{"uppgifter om brott"}},
			[]string{"lagöverträdelser"}, []string{"personal_data"}},
		{"strong crime term in purpose", record.Record{Purpose: "Hantera utdrag ur belastningsregistret"},
			[]string{"lagöverträdelser"}, []string{"purpose"}},
		{"skyddad identitet", record.Record{PersonalData: []string{"sekretessmarkering"}},
			[]string{"skyddad identitet"}, []string{"personal_data"}},
		{"politiska åsikter", record.Record{PersonalData: []string{"partitillhörighet"}},
			[]string{"politiska åsikter"}, []string{"personal_data"}},
		{"religion", record.Record{PersonalData: []string{"trosuppfattning"}},
			[]string{"religiös eller filosofisk övertygelse"}, []string{"personal_data"}},
		{"ethnic", record.Record{PersonalData: []string{"etniskt ursprung"}}, []string{"etniskt ursprung"}, []string{"personal_data"}},
		{"sexual", record.Record{PersonalData: []string{"sexuell läggning"}}, []string{"sexualliv eller sexuell läggning"}, []string{"personal_data"}},
		{"genetic", record.Record{PersonalData: []string{"DNA-prov"}}, []string{"genetiska uppgifter"}, []string{"personal_data"}},
		{"biometric", record.Record{PersonalData: []string{"fingeravtryck"}}, []string{"biometriska uppgifter"}, []string{"personal_data"}},
		{"borderline only", record.Record{PersonalData: []string{"specialkost", "foto", "modersmål", "skadeläge", "födelsedatum", "politiska uppdrag"}}, nil, nil},
		{"word boundary", record.Record{PersonalData: []string{"hälsofrämjande", "personnummerlös", "kontraster"}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			Sensitive(&r)
			if !equal(r.SensitiveData, tt.want) {
				t.Errorf("sensitive %q, want %q", r.SensitiveData, tt.want)
			}
			var fields []string
			for _, h := range r.SensitiveFound {
				fields = append(fields, h.Field)
				if h.Term == "" {
					t.Errorf("hit without term: %+v", h)
				}
			}
			if !equal(fields, tt.fields) {
				t.Errorf("found in %q, want %q", fields, tt.fields)
			}
		})
	}
}

func TestBorderline(t *testing.T) {
	r := record.Record{PersonalData: []string{"Namn", "skadeläge"}, Purpose: "Följa upp att medarbetare inte bedriver brottslig aktivitet"}
	Sensitive(&r)
	got := Borderline(&r)
	var cats []string
	for _, h := range got {
		cats = append(cats, h.Category)
	}
	if !equal(cats, []string{"hälsa", "lagöverträdelser"}) {
		t.Errorf("borderline %+v", got)
	}
	r = record.Record{PersonalData: []string{"diagnos", "skadeläge"}}
	Sensitive(&r)
	if got := Borderline(&r); len(got) != 0 {
		t.Errorf("borderline for a derived category: %+v", got)
	}
}

// TestNoPanic feeds odd input to the exported functions.
func TestNoPanic(t *testing.T) {
	inputs := []string{"", "\n\n", "(", ")", "((((", "och", "samt och", ".", ". . .", "6.1", "6.1 ", "art. 6(1)(",
		"\xff\xfe", "a,,,,b", ";;;", "- - -", "•", "”", "Är", "som som som"}
	for _, in := range inputs {
		SplitList(in)
		LegalBasis(in)
		StatuteRef(in)
		JoinLines(in)
		Placeholder("purpose", in)
		r := Record(extractors.RawRecord{Fields: map[string]string{"purpose": in, "personal_data": in, "legal_basis": in}})
		Sensitive(&r)
	}
}

func TestRecordExtraPrefix(t *testing.T) {
	tests := []struct {
		name string
		key  string
		text string
		want map[string]string
	}{
		{"kept as written", ExtraPrefix + "Kontaktperson", "Anna Andersson", map[string]string{"Kontaktperson": "Anna Andersson"}},
		{"line breaks kept, lines trimmed", ExtraPrefix + "Kommentar", " rad ett \r\n\n  rad  två ", map[string]string{"Kommentar": "rad ett\nrad två"}},
		{"header white space collapsed", ExtraPrefix + " Risk-\nbedömning ", "Låg", map[string]string{"Risk- bedömning": "Låg"}},
		{"empty value dropped", ExtraPrefix + "Kommentar", " \n ", nil},
		{"empty header dropped", ExtraPrefix, "x", nil},
		{"a contract-looking header stays extra", ExtraPrefix + "purpose", "x", map[string]string{"purpose": "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Record(extractors.RawRecord{Fields: map[string]string{
				record.FieldActivity: "Elevhälsa", tt.key: tt.text,
			}})
			if len(r.Extra) != len(tt.want) {
				t.Fatalf("Extra = %q, want %q", r.Extra, tt.want)
			}
			for k, v := range tt.want {
				if r.Extra[k] != v {
					t.Errorf("Extra[%q] = %q, want %q", k, r.Extra[k], v)
				}
			}
			if r.Purpose != "" {
				t.Errorf("purpose set from an extra column: %q", r.Purpose)
			}
		})
	}
}
