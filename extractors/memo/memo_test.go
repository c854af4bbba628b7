package memo

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/repair"
)

const seedDir = "../../testdata/seeds"

// load reads a text file into a Doc, one Line per physical line.
func load(t *testing.T, path string) *extractors.Doc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return docOf(string(b))
}

func docOf(text string) *extractors.Doc {
	doc := &extractors.Doc{Format: "txt"}
	for i, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
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
		name     string
		path     string
		min, max float64
	}{
		{"seed 001 tjänsteskrivelse", seed(t, "001"), 0.8, 1},
		{"fixture Socialnämnden", "testdata/socialnamnden_registerforteckning.txt", 0.8, 1},
		{"seed 002 register table", seed(t, "002"), 0, 0.2},
		{"seed 003 information page", seed(t, "003"), 0, 0.2},
		{"seed 004 notice", seed(t, "004"), 0, 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := New().Detect(load(t, tt.path))
			if got < tt.min || got > tt.max {
				t.Errorf("Detect = %.2f, want %.2f–%.2f", got, tt.min, tt.max)
			}
		})
	}
	if got := New().Detect(&extractors.Doc{}); got != 0 {
		t.Errorf("Detect(empty) = %.2f, want 0", got)
	}
	// Headings inside running text do not count; only heading lines do.
	prose := docOf("I sammanfattning: beslutsunderlag och ärendet beskrivs nedan.\nBakgrund till förslag till beslut.")
	if got := New().Detect(prose); got != 0 {
		t.Errorf("Detect(prose) = %.2f, want 0", got)
	}
}

// want is what a memo's record must hold.
type want struct {
	municipality, organ, title, date, docType, admin, proposed, sentTo string
	incidents                                                          int
	period                                                             *record.Period
	headings                                                           []string
	line, endLine                                                      int
	textStart                                                          string
	section                                                            [2]string // a heading and its full text
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name string
		path string
		want want
	}{
		{
			name: "seed 001 (gold README example)",
			path: seed(t, "001"),
			want: want{
				organ:     "Kommunstyrelsen",
				title:     "Personuppgiftsincidenter till KS 2020",
				date:      "2020-10-26",
				docType:   "tjänsteskrivelse",
				admin:     "Kommunledningsförvaltningen",
				proposed:  "att godkänna redovisningen och lägga rapport om personuppgiftsincidenter till handlingarna",
				sentTo:    "Ingen expediering.",
				incidents: 2,
				period:    &record.Period{From: "2020-09-23", To: "2020-10-26"},
				headings: []string{"Sammanfattning", "Beslutsunderlag", "Kommunledningsförvaltningens förslag till beslut",
					"Beslutet skickas till", "Ärendet"},
				line: 1, endLine: 62,
				textStart: "Kommunstyrelsen\n\nPersonuppgiftsincidenter till KS 2020\nSammanfattning\nKommunstyrelsen är personuppgiftsansvarig för de register och andra behandlingar\nav personuppgifter",
				section: [2]string{"Beslutsunderlag",
					"Tjänsteskrivelse daterad 2020-10-26\n\nRapport om personuppgiftsincidenter daterad 2020-09-23---2020-10-26"},
			},
		},
		{
			name: "fixture Socialnämnden (header metadata, numbered att clauses, signature)",
			path: "testdata/socialnamnden_registerforteckning.txt",
			want: want{
				organ:    "Socialnämnden",
				title:    "Revidering av registerförteckning enligt dataskyddsförordningen",
				date:     "2021-03-15",
				docType:  "tjänsteskrivelse",
				admin:    "Socialförvaltningen",
				proposed: "att godkänna reviderad registerförteckning för socialnämndens behandlingar av personuppgifter\natt uppdra åt förvaltningschefen att årligen se över förteckningen",
				sentTo:   "Dataskyddsombudet\nSocialförvaltningens ledningsgrupp",
				headings: []string{"Förslag till beslut", "Sammanfattning", "Bakgrund", "Ärendet", "Ekonomiska konsekvenser",
					"Beslutsunderlag", "Beslutet skickas till"},
				line: 1, endLine: 44,
				textStart: "TJÄNSTESKRIVELSE\nDatum: 2021-03-15\n",
				section:   [2]string{"Ekonomiska konsekvenser", "Förslaget medför inga ekonomiska konsekvenser."},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := New().Extract(load(t, tt.path))
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 {
				t.Fatalf("got %d records, want 1", len(recs))
			}
			r := recs[0]
			d := r.Document
			if r.Kind != record.KindDocument || d == nil || d.Kind != record.KindDocument {
				t.Fatalf("kind %q, document %v", r.Kind, d)
			}
			w := tt.want
			for _, c := range []struct{ key, got, want string }{
				{"municipality", d.Municipality, w.municipality},
				{"organ", d.Organ, w.organ},
				{"title", d.Title, w.title},
				{"date", d.Date, w.date},
				{"document_type", d.DocumentType, w.docType},
				{"administration", d.Administration, w.admin},
				{"proposed_decision", d.ProposedDecision, w.proposed},
				{"decision_sent_to", d.DecisionSentTo, w.sentTo},
			} {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.key, c.got, c.want)
				}
			}
			if d.IncidentsReported != w.incidents {
				t.Errorf("incidents_reported = %d, want %d", d.IncidentsReported, w.incidents)
			}
			if (d.ReportPeriod == nil) != (w.period == nil) || d.ReportPeriod != nil && *d.ReportPeriod != *w.period {
				t.Errorf("report_period = %v, want %v", d.ReportPeriod, w.period)
			}
			var heads []string
			for _, s := range d.Sections {
				heads = append(heads, s.Heading)
				if s.Heading == w.section[0] && s.Text != w.section[1] {
					t.Errorf("section %q text = %q, want %q", s.Heading, s.Text, w.section[1])
				}
			}
			if !slices.Equal(heads, w.headings) {
				t.Errorf("section headings = %q, want %q", heads, w.headings)
			}
			if r.Line != w.line || r.EndLine != w.endLine {
				t.Errorf("lines %d–%d, want %d–%d", r.Line, r.EndLine, w.line, w.endLine)
			}
			if !strings.HasPrefix(d.Text, w.textStart) {
				t.Errorf("text starts %q, want %q", d.Text[:min(len(d.Text), len(w.textStart))], w.textStart)
			}
			for i, l := range strings.Split(d.Text, "\n") {
				if l != strings.TrimSpace(l) {
					t.Errorf("text line %d not trimmed: %q", i+1, l)
				}
			}
			if strings.TrimSpace(d.Text) != d.Text {
				t.Errorf("text has leading or trailing blank lines")
			}
			if r.Confidence < 0.8 {
				t.Errorf("confidence = %.2f, want ≥ 0.8", r.Confidence)
			}
		})
	}
}

// TestSectionsJoinHyphens checks that section text joins a word split by a
// line-end hyphen through the repair stage, and keeps the hyphen without one.
func TestSectionsJoinHyphens(t *testing.T) {
	doc := load(t, "testdata/socialnamnden_registerforteckning.txt")
	section := func(doc *extractors.Doc) string {
		recs, err := New().Extract(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range recs[0].Document.Sections {
			if s.Heading == "Ärendet" {
				return s.Text
			}
		}
		t.Fatal("no Ärendet section")
		return ""
	}
	if got := section(doc); !strings.Contains(got, "31 känsliga person-uppgifter") {
		t.Errorf("without a repairer: %q", got)
	}
	doc.Repair = repair.New()
	got := section(doc)
	for _, w := range []string{"31 känsliga personuppgifter, främst", "granskat förslaget och"} {
		if !strings.Contains(got, w) {
			t.Errorf("with the repairer: %q lacks %q", got, w)
		}
	}
}

func TestAdministration(t *testing.T) {
	tests := []struct{ heading, want string }{
		{"Kommunledningsförvaltningens förslag till beslut", "Kommunledningsförvaltningen"},
		{"Kultur- och fritidsförvaltningens förslag till beslut", "Kultur- och fritidsförvaltningen"},
		{"Stadsbyggnadskontorets förslag till beslut", "Stadsbyggnadskontoret"},
		{"Förvaltningens förslag till beslut", ""},
		{"Ordförandens förslag till beslut", ""},
		{"Förslag till beslut", ""},
	}
	for _, tt := range tests {
		if got := administration(tt.heading); got != tt.want {
			t.Errorf("administration(%q) = %q, want %q", tt.heading, got, tt.want)
		}
	}
}

func TestMemoDate(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"tjänsteskrivelse date wins over later dates", "Beslutsunderlag\nRapport 2021-01-01---2021-02-01\nTjänsteskrivelse daterad 2020-12-30", "2020-12-30"},
		{"Datum line", "Datum 2019-05-02\nSammanträde 2019-06-01", "2019-05-02"},
		{"latest date as fallback", "Möte 2019-05-02\nUppföljning 2019-11-30\nFel 2019-13-40", "2019-11-30"},
		{"no date", "Sammanfattning\nText", ""},
	}
	for _, tt := range tests {
		if got := memoDate(docLines(tt.text)); got != tt.want {
			t.Errorf("%s: memoDate = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIncidents(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"Här följer redovisning av rapport om två mindre, begränsade\npersonuppgiftsincidenter som behöver godkännas.", 2},
		{"Under perioden har 5 personuppgiftsincidenter rapporterats.", 5},
		{"En personuppgiftsincident är en säkerhetsincident.", 0},
		{"En personuppgiftsincident har till exempel inträffat om uppgifter har förstörts.", 1},
		{"Inga incidenter.", 0},
	}
	for _, tt := range tests {
		if got := incidents(docLines(tt.text)); got != tt.want {
			t.Errorf("incidents(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestProposal(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"att clauses with markers", "Nämnden beslutar\n- att anta planen,\n- att ge uppdrag till\nförvaltningen.", "att anta planen\natt ge uppdrag till förvaltningen"},
		{"no att clause", "Kommunstyrelsen godkänner redovisningen.", "Kommunstyrelsen godkänner redovisningen."},
	}
	for _, tt := range tests {
		if got := proposal(docLines(tt.text), nil); got != tt.want {
			t.Errorf("%s: proposal = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func docLines(text string) []line {
	var ls []line
	for i, l := range strings.Split(text, "\n") {
		ls = append(ls, line{n: i + 1, text: strings.TrimSpace(l)})
	}
	return ls
}

// TestExtractNoPanic feeds degenerate documents.
func TestExtractNoPanic(t *testing.T) {
	for _, text := range []string{"", "\n \n", "Sammanfattning", "Förslag till beslut\natt", "Kommunstyrelsen\nBeslutet skickas till"} {
		recs, err := New().Extract(docOf(text))
		if err != nil {
			t.Errorf("Extract(%q): %v", text, err)
		}
		if strings.TrimSpace(text) == "" && len(recs) != 0 {
			t.Errorf("Extract(%q) = %d records, want 0", text, len(recs))
		}
	}
}
