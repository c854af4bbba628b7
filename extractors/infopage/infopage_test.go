package infopage

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/htmltext"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

const seedDir = "../../testdata/seeds"

func load(t *testing.T, path string) *extractors.Doc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return docOf(strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), nil)
}

func docOf(lines []string, headings map[int]bool) *extractors.Doc {
	doc := &extractors.Doc{Format: "txt", Headings: headings}
	for i, l := range lines {
		doc.Lines = append(doc.Lines, extractors.Line{N: i + 1, Text: l})
	}
	return doc
}

func seed(t *testing.T, prefix string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(seedDir, prefix+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed %s: %v %v", prefix, m, err)
	}
	return m[0]
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		path string
		want float64
	}{
		{"seed 003 information page", seed(t, "003"), ScorePage},
		{"fixture Östby information page", "testdata/ostby_bun.txt", ScorePage},
		{"seed 004 per-activity notice", seed(t, "004"), ScoreLabelled},
		{"seed 002 register table", seed(t, "002"), ScoreLabelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New().Detect(load(t, tt.path)); got != tt.want {
				t.Errorf("Detect = %.2f, want %.2f", got, tt.want)
			}
		})
	}
	for text, want := range map[string]float64{
		"":                                0,
		"Bygglov\n\nSå söker du bygglov.": 0,
		"Vi sparar dina personuppgifter i ett år.": ScoreMention,
	} {
		if got := New().Detect(docOf(strings.Split(text, "\n"), nil)); got != want {
			t.Errorf("Detect(%q) = %.2f, want %.2f", text, got, want)
		}
	}
}

// want is what an information page's record must hold.
type want struct {
	municipality, organ, title, date, orgNr, address, phone, dpo string
	fields                                                       map[string][]string // key: substrings its text must contain
	notFields                                                    []string            // keys that must be absent
	headings                                                     []string
	line, endLine                                                int
	textStart, textEnd                                           string
	notInText                                                    []string
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name string
		path string
		want want
	}{
		{
			name: "seed 003 Hedemora (gold README example)",
			path: seed(t, "003"),
			want: want{
				municipality: "Hedemora kommun", // from the postcode: the page never names it
				organ:        "Kommunstyrelsen",
				title:        "Kommunstyrelsens hantering av personuppgifter",
				date:         "2022-10-27",
				orgNr:        "212000-2254", // value on the line after its label
				address:      "Box 201, 776 30 Hedemora",
				phone:        "0225-340 00",
				fields: map[string][]string{
					record.FieldLegalBasis: {
						"samtycke från dig i de flesta fall inte nödvändigt", // kept: negation is the normalizer's job
						"(rättslig förpliktelse).",
						"ett så kallat allmänt intresse.",
						"för att kunna fullgöra avtalet.",
					},
					record.FieldRecipients: {"Kommunanställda som behöver", "såsom Skatteverket eller Försäkringskassan", "personuppgiftsbiträden"},
					record.FieldSources:    {"kommer från den registrerade själv", "Skatteverket, Kronofogden, andra kommuner, Regionen, Bolagsverket eller andra allmänna källor."},
					record.FieldAutomatedDecisions: {
						"Kommunen använder inte automatiserande beslutsfattande inom kommunstyrelseförvaltningen.",
					},
				},
				headings: []string{
					"Varför behandlar vi dina personuppgifter?",
					"Personuppgifterna har du oftast lämnat själv",
					"Uppgifter som vi behöver hämta",
					"När får vi behandla dina personuppgifter?",
					"Laglig grund till att behandla dina personuppgifter",
					"Vem eller vilka får ta del av dina personuppgifter?",
					"Hur länge sparar vi dina uppgifter?",
					"Använder vi automatiserande beslutsfattande eller profilering?",
				},
				line: 10, endLine: 64,
				textStart: "Kommunstyrelsens hantering av personuppgifter\n\nKommunstyrelseförvaltningen ansvarar för dina personuppgifter som du lämnar in vid kontakt.\n\nEn personuppgift är",
				textEnd:   "inom kommunstyrelseförvaltningen.\n\nSenast uppdaterad: 2022-10-27",
				notInText: []string{"Fortsätt till huvudinnehållet", "Blev du hjälpt", "Dela denna sidan", "Servicecenter", "Organisationsnummer", "Box 201"},
			},
		},
		{
			name: "fixture Östby (footer contact box, text date, DPO)",
			path: "testdata/ostby_bun.txt",
			want: want{
				municipality: "Östby kommun",
				organ:        "Barn- och utbildningsnämnden",
				title:        "Barn- och utbildningsnämndens behandling av personuppgifter",
				date:         "2023-03-14",
				orgNr:        "212000-9999",
				address:      "Östby kommun, 891 88 Östby",
				phone:        "0660-880 00",
				dpo:          "dataskyddsombud@ostby.se",
				fields: map[string][]string{
					record.FieldLegalBasis:         {"uppgift av allmänt intresse enligt skollagen", "särskilt stöd. Vissa uppgifter", "rättslig förpliktelse"},
					record.FieldRecipients:         {"Skolverket, Statistiska centralbyrån och andra skolhuvudmän"},
					record.FieldSources:            {"från dig som vårdnadshavare och från Skatteverket"},
					record.FieldAutomatedDecisions: {"Nej, vi fattar inga automatiserade beslut om dig."},
				},
				headings: []string{
					"Varför behandlar vi dina personuppgifter?",
					"Vilken rättslig grund har vi?",
					"Varifrån får vi dina uppgifter?",
					"Vem delar vi uppgifterna med?",
					"Förekommer automatiserade beslut?",
					"Dataskyddsombud",
				},
				line: 5, endLine: 41,
				textStart: "Barn- och utbildningsnämndens behandling av personuppgifter\n\nBarn- och utbildningsnämnden i Östby kommun",
				textEnd:   "via kommunens växel.\n\nSidan uppdaterades: 14 mars 2023",
				notInText: []string{"Hoppa till", "Lyssna", "Skriv ut", "Var sidan till hjälp", "\nJa\n", "Kontakta oss", "0660-880 00", "\n\n\n"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := New().Extract(load(t, tt.path))
			if err != nil {
				t.Fatal(err)
			}
			check(t, recs, tt.want)
		})
	}
}

func check(t *testing.T, recs []extractors.RawRecord, w want) {
	t.Helper()
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	r := recs[0]
	d := r.Document
	if r.Kind != record.KindDocument || d == nil || d.Kind != record.KindDocument {
		t.Fatalf("kind %q, document %v", r.Kind, d)
	}
	for _, c := range []struct{ key, got, want string }{
		{"municipality", d.Municipality, w.municipality},
		{"organ", d.Organ, w.organ},
		{"title", d.Title, w.title},
		{"date", d.Date, w.date},
		{"org_number", d.OrgNumber, w.orgNr},
		{"postal_address", d.PostalAddress, w.address},
		{"phone", d.Phone, w.phone},
		{"dpo_contact", d.DPOContact, w.dpo},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.key, c.got, c.want)
		}
	}
	for key, subs := range w.fields {
		v, ok := r.Fields[key]
		if !ok {
			t.Errorf("field %s missing", key)
		}
		for _, s := range subs {
			if !strings.Contains(v, s) {
				t.Errorf("field %s = %q, lacks %q", key, v, s)
			}
		}
	}
	for key := range r.Fields {
		if _, ok := w.fields[key]; !ok {
			t.Errorf("unexpected field %s = %q", key, r.Fields[key])
		}
	}
	if lb := r.Fields[record.FieldLegalBasis]; strings.Contains(lb, "?") || strings.Contains(lb, "Vem eller vilka") {
		t.Errorf("legal_basis runs into another section: %q", lb)
	}
	var heads []string
	for _, s := range d.Sections {
		heads = append(heads, s.Heading)
		if s.Text == "" || s.Line == 0 {
			t.Errorf("section %q: empty text or no line", s.Heading)
		}
	}
	if w.headings != nil && !slices.Equal(heads, w.headings) {
		t.Errorf("section headings = %q, want %q", heads, w.headings)
	}
	if w.line != 0 && (r.Line != w.line || r.EndLine != w.endLine) {
		t.Errorf("lines %d–%d, want %d–%d", r.Line, r.EndLine, w.line, w.endLine)
	}
	if !strings.HasPrefix(d.Text, w.textStart) {
		t.Errorf("text starts %q, want %q", d.Text[:min(len(d.Text), len(w.textStart)+20)], w.textStart)
	}
	if !strings.HasSuffix(d.Text, w.textEnd) {
		t.Errorf("text ends %q, want %q", d.Text[max(0, len(d.Text)-len(w.textEnd)-20):], w.textEnd)
	}
	for _, s := range w.notInText {
		if strings.Contains(d.Text, s) {
			t.Errorf("text contains chrome %q", s)
		}
	}
}

// TestExtractHTML runs the extractor on an HTML page as the reader gives it
// (htmltext lines and h1–h6 marks), then with the lines outside the main
// content (where the site keeps its contact box) appended.
func TestExtractHTML(t *testing.T) {
	f, err := os.Open("../htmltext/testdata/article_page.html")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	page, err := htmltext.Extract(f)
	if err != nil {
		t.Fatal(err)
	}
	base := want{
		organ:    "Kommunstyrelsen",
		title:    "Kommunstyrelsens hantering av personuppgifter",
		date:     "2022-10-27",
		headings: []string{"Varför behandlar vi dina personuppgifter?", "Använder vi automatiserande beslutsfattande eller profilering?"},
		fields: map[string][]string{
			record.FieldAutomatedDecisions: {"Kommunen använder inte automatiserande beslutsfattande inom kommunstyrelseförvaltningen."},
		},
		textStart: "Kommunstyrelsens hantering av personuppgifter\n\nKommunstyrelseförvaltningen ansvarar",
		textEnd:   "Senast uppdaterad: 2022-10-27",
		notInText: []string{"Blev du hjälpt", "Dela denna sidan", "Fortsätt till huvudinnehållet"},
	}
	t.Run("main content only", func(t *testing.T) {
		recs, err := New().Extract(docOf(page.Lines, page.Headings))
		if err != nil {
			t.Fatal(err)
		}
		check(t, recs, base)
	})
	t.Run("with the outside lines", func(t *testing.T) {
		lines := append(append(slices.Clone(page.Lines), ""), page.Outside...)
		w := base
		w.municipality = "Hedemora kommun"
		w.orgNr = "212000-2254"
		w.address = "Box 201, 776 30 Hedemora"
		w.phone = "0225-340 00"
		w.textEnd = "© Hedemora kommun"
		w.notInText = append(w.notInText, "Organisationsnummer", "Servicecenter")
		recs, err := New().Extract(docOf(lines, page.Headings))
		if err != nil {
			t.Fatal(err)
		}
		check(t, recs, w)
	})
}

func TestFacts(t *testing.T) {
	ls := func(text string) []line {
		var out []line
		for i, l := range strings.Split(text, "\n") {
			out = append(out, line{n: i + 1, text: strings.TrimSpace(l)})
		}
		return out
	}
	tests := []struct {
		name, text string
		fn         func([]line) string
		want       string
	}{
		{"org nr same line", "Org.nr: 212000-1234", orgNumber, "212000-1234"},
		{"org nr next line", "Organisationsnummer:\n212000-2254", orgNumber, "212000-2254"},
		{"org nr spaced", "Organisationsnummer 212000 - 2254", orgNumber, "212000-2254"},
		{"no label, no org nr", "Ärende 212000-2254", orgNumber, ""},
		{"phone växel", "Växel: 08-123 456 78", phone, "08-123 456 78"},
		{"phone +46", "Telefon: +46 225 340 00", phone, "+46 225 340 00"},
		{"phone label alone", "Telefon\n0225-340 00", phone, "0225-340 00"},
		{"address one line", "Postadress: Box 201, 776 30 Hedemora", postalAddress, "Box 201, 776 30 Hedemora"},
		{"address lines stop at label", "Postadress:\nStadshuset\n971 85 Luleå\nE-post: a@b.se", postalAddress, "Stadshuset, 971 85 Luleå"},
		{"updated ISO", "Senast uppdaterad: 2022-10-27", updated, "2022-10-27"},
		{"updated text date", "Sidan uppdaterades 3 februari 2021", updated, "2021-02-03"},
		{"updated invalid", "Senast uppdaterad: 2022-13-45", updated, ""},
		{"dpo on label line", "Dataskyddsombud: dso@kommun.se.", dpoContact, "dso@kommun.se"},
		{"municipality from text", "Välkommen till Åre kommun. Varje kommun har ett dataskyddsombud. Åre kommun svarar.", municipality, "Åre kommun"},
		{"sentence start is no name", "Varje kommun har ett ombud.", municipality, ""},
		{"region", "Region Norrbotten ansvarar.", municipality, "Region Norrbotten"},
	}
	for _, tt := range tests {
		if got := tt.fn(ls(tt.text)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestOrgan(t *testing.T) {
	tests := []struct{ title, text, want string }{
		{"Kommunstyrelsens hantering av personuppgifter", "", "Kommunstyrelsen"},
		{"Barn- och utbildningsnämndens behandling av personuppgifter", "", "Barn- och utbildningsnämnden"},
		{"Så behandlar Socialnämnden dina personuppgifter", "", "Socialnämnden"},
		{"Kommunfullmäktiges personuppgifter", "", "Kommunfullmäktige"},
		{"Dina personuppgifter", "Miljö- och byggnadsnämnden är personuppgiftsansvarig för behandlingen.", "Miljö- och byggnadsnämnden"},
		{"Dina personuppgifter", "Kommunen är personuppgiftsansvarig.", ""},
	}
	for _, tt := range tests {
		if got := organ(tt.title, []line{{text: tt.text}}); got != tt.want {
			t.Errorf("organ(%q, %q) = %q, want %q", tt.title, tt.text, got, tt.want)
		}
	}
}

// TestContactBox checks that a "Kontakt" heading over prose is kept as text.
func TestContactBox(t *testing.T) {
	lines := []string{"Dina personuppgifter", "", "Kontakt", "Om du har frågor om hur vi behandlar dina personuppgifter kan du alltid kontakta oss på telefon.", "", "Slut."}
	recs, err := New().Extract(docOf(lines, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(recs[0].Document.Text, "Kontakt\nOm du har frågor") {
		t.Errorf("prose under Kontakt dropped: %q", recs[0].Document.Text)
	}
}

func TestExtractDegenerate(t *testing.T) {
	for _, text := range []string{"", "\n\n", "Fortsätt till huvudinnehållet\nDela denna sidan", "Kontakt\nTelefon: 0225-340 00", "?", "Rubrik?\n\n"} {
		recs, err := New().Extract(docOf(strings.Split(text, "\n"), nil))
		if err != nil {
			t.Errorf("Extract(%q): %v", text, err)
		}
		if len(recs) != 0 {
			if r := recs[0]; r.Document == nil || r.Line < 1 || r.EndLine < r.Line {
				t.Errorf("Extract(%q): bad record %+v", text, r)
			}
		}
	}
}
