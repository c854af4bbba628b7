package notice

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Compile-time check that Extractor is an extractors.Extractor.
var _ extractors.Extractor = Extractor{}

type expectedRecord struct {
	Line             int               `json:"line"`
	ActivityInferred bool              `json:"activity_inferred"`
	Fields           map[string]string `json:"fields"`
}

// TestFamilies runs the extractor on the notice of each family in
// testdata/ (question headings, e-service blocks, labelled sections, one
// sentence per activity, prose) and compares every record with the
// expected JSON beside it.
func TestFamilies(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) < 5 {
		t.Fatalf("want 5 fixtures or more, got %v (%v)", files, err)
	}
	for _, txt := range files {
		t.Run(filepath.Base(txt), func(t *testing.T) {
			doc := loadDoc(t, txt)
			b, err := os.ReadFile(strings.TrimSuffix(txt, ".txt") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var want []expectedRecord
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			var ex Extractor
			if d := ex.Detect(doc); d <= 0.5 {
				t.Errorf("Detect = %.2f, want > 0.5", d)
			}
			got, err := ex.Extract(doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				for _, g := range got {
					t.Logf("got line %d: %q", g.Line, g.Fields)
				}
				t.Fatalf("got %d records, want %d", len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				if g.Kind != record.KindActivity {
					t.Errorf("record %d: kind %q", i+1, g.Kind)
				}
				if g.Line != w.Line || g.ActivityInferred != w.ActivityInferred {
					t.Errorf("record %d: line %d inferred %v, want line %d inferred %v", i+1, g.Line, g.ActivityInferred, w.Line, w.ActivityInferred)
				}
				if g.Confidence <= 0 || g.Confidence > 1 {
					t.Errorf("record %d: confidence %v", i+1, g.Confidence)
				}
				if !reflect.DeepEqual(g.Fields, w.Fields) {
					for k := range mergeKeys(g.Fields, w.Fields) {
						if g.Fields[k] != w.Fields[k] {
							t.Errorf("record %d %s:\n got  %q\n want %q", i+1, k, g.Fields[k], w.Fields[k])
						}
					}
				}
			}
		})
	}
}

func mergeKeys(a, b map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// TestDetectSeeds checks that the other seeds do not pass for notices: the
// memo (001) and the OCR'd table (002) score near 0, and the general
// question-and-answer page (003), which answers the questions once and
// describes no activity, scores below a document extractor's 0.5.
func TestDetectSeeds(t *testing.T) {
	tests := []struct {
		file     string
		min, max float64
	}{
		{"001_2fbdfe8ee2a62f19.txt", 0, 0.1},
		{"002_64d63baee2f0a659.txt", 0, 0.2},
		{"003_6d22029d34f76304.txt", 0, 0.45},
		{"004_670afb2e98eb9082.txt", 0.9, 1},
	}
	var ex Extractor
	for _, tt := range tests {
		d := ex.Detect(loadDoc(t, "../../testdata/seeds/"+tt.file))
		if d < tt.min || d > tt.max {
			t.Errorf("%s: Detect = %.2f, want in [%.2f, %.2f]", tt.file, d, tt.min, tt.max)
		}
		t.Logf("%s: Detect = %.2f", tt.file, d)
	}
}

func TestDetectEmpty(t *testing.T) {
	var ex Extractor
	if d := ex.Detect(&extractors.Doc{}); d != 0 {
		t.Errorf("Detect(empty) = %v", d)
	}
	if d := ex.Detect(nil); d != 0 {
		t.Errorf("Detect(nil) = %v", d)
	}
	if rs, err := ex.Extract(nil); rs != nil || err != nil {
		t.Errorf("Extract(nil) = %v, %v", rs, err)
	}
}

// TestExtractUsesDocController checks that the controller the pipeline
// found for the whole document is used, and that a section's own
// "Personuppgiftsansvarig:" overrides it.
func TestExtractUsesDocController(t *testing.T) {
	text := "Bygglov\n\nÄndamål: Handlägga ansökan.\nRättslig grund: Myndighetsutövning.\n\n" +
		"Förskola\n\nPersonuppgiftsansvarig: Barn- och utbildningsnämnden\nÄndamål: Placera barn.\nLagringstid: Två år.\n"
	doc := &extractors.Doc{Municipality: "Ale kommun", Organ: "Miljö- och byggnämnden"}
	for i, l := range strings.Split(text, "\n") {
		doc.Lines = append(doc.Lines, extractors.Line{N: i + 1, Text: l})
	}
	got, err := Extractor{}.Extract(doc)
	if err != nil || len(got) != 2 {
		t.Fatalf("Extract = %d records, %v", len(got), err)
	}
	if o := got[0].Fields[record.FieldOrgan]; o != "Miljö- och byggnämnden" {
		t.Errorf("record 1 organ = %q", o)
	}
	if o := got[1].Fields[record.FieldOrgan]; o != "Barn- och utbildningsnämnden" {
		t.Errorf("record 2 organ = %q", o)
	}
	if m := got[1].Fields[record.FieldMunicipality]; m != "Ale kommun" {
		t.Errorf("record 2 municipality = %q", m)
	}
	if got[1].Line != 6 || got[1].EndLine != 10 {
		t.Errorf("record 2 lines %d–%d, want 6–10", got[1].Line, got[1].EndLine)
	}
}

func TestMatchLabel(t *testing.T) {
	tests := []struct {
		line, key, value string
	}{
		{"Syfte/ändamål: Att hantera.", record.FieldPurpose, "Att hantera."},
		{"Syfte/Ändamål: Om du blir anställd", record.FieldPurpose, "Om du blir anställd"},
		{"Syfte med behandlingen", record.FieldPurpose, ""},
		{"Ändamålet med behandlingen: X", record.FieldPurpose, "X"},
		{"Varför behandlar vi dina personuppgifter?", record.FieldPurpose, ""},
		{"Personuppgifterna har vi fått ifrån: Besökare/kund.", record.FieldSources, "Besökare/kund."},
		{"Personuppgifter har vi fått från:", record.FieldSources, ""},
		{"Vi får uppgifterna från: Skatteverket", record.FieldSources, "Skatteverket"},
		{"Varifrån kommer personuppgifterna?", record.FieldSources, ""},
		{"Källa: Den registrerade", record.FieldSources, "Den registrerade"},
		{"Rättslig grund: Allmänt intresse", record.FieldLegalBasis, "Allmänt intresse"},
		{"Laglig grund", record.FieldLegalBasis, ""},
		{"Lagliga grunden: Avtal", record.FieldLegalBasis, "Avtal"},
		{"Rättslig grund för behandlingen: Samtycke", record.FieldLegalBasis, "Samtycke"},
		{"Följande kategorier av personuppgifter behandlas: Namn.", record.FieldPersonalData, "Namn."},
		{"Följande kategorier av personuppgifter kan komma att behandlas:", record.FieldPersonalData, ""},
		{"Personuppgifter som behandlas: Namn", record.FieldPersonalData, "Namn"},
		{"Vilka personuppgifter behandlar vi?", record.FieldPersonalData, ""},
		{"Vilka hanterar dina personuppgifter/vilka vi lämnar ut dina personuppgifter till:", record.FieldRecipients, ""},
		{"Vilka hanterar dina uppgifter/vilka lämnas ut dina personuppgifter till: Leverantör.", record.FieldRecipients, "Leverantör."},
		{"Mottagare: Skatteverket", record.FieldRecipients, "Skatteverket"},
		{"Vem lämnar vi uppgifterna till?", record.FieldRecipients, ""},
		{"Automatiskt beslutsfattande/profilering: Förekommer ej.", record.FieldAutomatedDecisions, "Förekommer ej."},
		{"Automatisk beslutsfattande/profilering: Nej.", record.FieldAutomatedDecisions, "Nej."},
		{"Lagring/gallring: Bevaras.", record.FieldRetention, "Bevaras."},
		{"Lagring: Gallras vid inaktualitet.", record.FieldRetention, "Gallras vid inaktualitet."},
		{"Lagringstid (gallring): 2 år", record.FieldRetention, "2 år"},
		{"Hur länge sparar vi dina uppgifter?", record.FieldRetention, ""},
		{"Kategorier av registrerade: Elever", record.FieldDataSubjects, "Elever"},
		{"Överföring till tredje land: Nej", record.FieldThirdCountry, "Nej"},
		{"Personuppgiftsansvarig: Socialnämnden", keyController, "Socialnämnden"},
		{"Vem är personuppgiftsansvarig?", keyController, ""},
	}
	for _, tt := range tests {
		key, value, ok := matchLabel(tt.line)
		if !ok || key != tt.key || value != tt.value {
			t.Errorf("matchLabel(%q) = %q, %q, %v; want %q, %q", tt.line, key, value, ok, tt.key, tt.value)
		}
	}
	notLabels := []string{
		"Syftet med inspelningen är dels att vid hot kunna lämna ett bra underlag.",
		"Behandling av personuppgifter sker i syfte att hantera.",
		"Personuppgiftsbehandling inom Kommunstyrelsens förvaltning",
		"Lagring sker i vårt system.",
		"Har du frågor? Kontakta oss.",
		"Personuppgifterna har du oftast lämnat själv",
	}
	for _, l := range notLabels {
		if key, _, ok := matchLabel(l); ok {
			t.Errorf("matchLabel(%q) = %q, want no label", l, key)
		}
	}
}

func TestCleanHeading(t *testing.T) {
	tests := []struct {
		in, want string
		repaired bool
	}{
		{"Anställningsuppgifter (lön, pension, skatt m.m>", "Anställningsuppgifter (lön, pension, skatt m.m.)", true},
		{"Rekryteringar (när du söker jobb hos oss)>", "Rekryteringar (när du söker jobb hos oss)", false},
		{"Foto/film:", "Foto/film", false},
		{"Nyhetsbrev", "Nyhetsbrev", false},
		{"Anställning (lön>", "Anställning (lön)", true},
	}
	for _, tt := range tests {
		got, rep := cleanHeading(tt.in)
		if got != tt.want || rep != tt.repaired {
			t.Errorf("cleanHeading(%q) = %q, %v; want %q, %v", tt.in, got, rep, tt.want, tt.repaired)
		}
	}
}

func TestNameFromPurpose(t *testing.T) {
	tests := []struct{ in, want string }{
		{"För att kunna administrera besök i stadshusets reception. Vi använder ett IT-stöd.", "Administrera besök i stadshusets reception"},
		{"Kommunstyrelsen är arkivmyndighet och huvudman för stadsarkivet.\nStadsarkivet bevarar.", "Arkivmyndighet och huvudman för stadsarkivet"},
		{"Vi behandlar dina personuppgifter i samband med\nräddningsinsatser vid olyckor för att förhindra skador,", "Räddningsinsatser vid olyckor"},
		{"Syftet är att hantera inkommande samtal till kommunens olika verksamheter samt att ta emot synpunkter.", "Hantera inkommande samtal till kommunens olika verksamheter"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := nameFromPurpose(tt.in); got != tt.want {
			t.Errorf("nameFromPurpose(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValueItems(t *testing.T) {
	text := "Heading\n\nSyfte: Administrera.\nMottagare:\nExternt: • Bank.\n • Försäkringskassan.\nInternt: Handläggare\n-\nLöneenheten.\n"
	doc := &extractors.Doc{}
	for i, l := range strings.Split(text, "\n") {
		doc.Lines = append(doc.Lines, extractors.Line{N: i + 1, Text: l})
	}
	got, _ := Extractor{}.Extract(doc)
	if len(got) != 1 {
		t.Fatalf("got %d records", len(got))
	}
	want := "Handläggare\nLöneenheten.\nBank.\nFörsäkringskassan."
	if r := got[0].Fields[record.FieldRecipients]; r != want {
		t.Errorf("recipients = %q, want %q (internal first, glyphs dropped)", r, want)
	}
}

// FuzzExtract checks that no input makes the extractor or the controller
// finder panic; go test runs the seed corpus.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"", "\n\n", ":", "?", "-", "•", ">", "Syfte:", "Syfte/ändamål:\n\n-\n", "Rekryteringar (>\n\nSyfte: x",
		"Bygglov: Vi behandlar dina uppgifter för att x med stöd av y.\nA: vi behandlar z.",
		"Internt:\nExternt:\n", "Varför behandlar vi?\n...\n", "Region", "kommun", "Ab kommun", "123 45 A",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := &extractors.Doc{}
		for i, l := range strings.Split(s, "\n") {
			doc.Lines = append(doc.Lines, extractors.Line{N: i + 1, Text: l})
		}
		var ex Extractor
		if d := ex.Detect(doc); d < 0 || d > 1 {
			t.Errorf("Detect = %v", d)
		}
		if _, err := ex.Extract(doc); err != nil {
			t.Error(err)
		}
	})
}
