package flattable

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/header"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// loadDoc reads a text file into a Doc, one Line per physical line.
func loadDoc(t *testing.T, path string) *extractors.Doc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	doc := &extractors.Doc{Path: filepath.Base(path), Format: "txt"}
	for i, s := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		doc.Lines = append(doc.Lines, extractors.Line{N: i + 1, Text: strings.TrimRight(s, "\r")})
	}
	return doc
}

// goldRecord holds the gold keys the test compares.
type goldRecord struct {
	Activity       string   `json:"activity"`
	Purpose        string   `json:"purpose"`
	DataSubjects   []string `json:"data_subjects"`
	PersonalData   []string `json:"personal_data"`
	LegalBasisText string   `json:"legal_basis_text"`
	Retention      string   `json:"retention"`
	Recipients     []string `json:"recipients"`
	Sources        []string `json:"sources"`
	ThirdCountry   string   `json:"third_country"`
}

// compared lists the compared fields: the gold key and the RawRecord key.
var compared = []struct{ gold, raw string }{
	{"activity", record.FieldActivity},
	{"purpose", record.FieldPurpose},
	{"data_subjects", record.FieldDataSubjects},
	{"personal_data", record.FieldPersonalData},
	{"legal_basis_text", record.FieldLegalBasis},
	{"retention", record.FieldRetention},
	{"recipients", record.FieldRecipients},
	{"sources", record.FieldSources},
	{"third_country", record.FieldThirdCountry},
}

func (g goldRecord) get(key string) string {
	switch key {
	case "activity":
		return g.Activity
	case "purpose":
		return g.Purpose
	case "data_subjects":
		return strings.Join(g.DataSubjects, " ")
	case "personal_data":
		return strings.Join(g.PersonalData, " ")
	case "legal_basis_text":
		return g.LegalBasisText
	case "retention":
		return g.Retention
	case "recipients":
		return strings.Join(g.Recipients, " ")
	case "sources":
		return strings.Join(g.Sources, " ")
	case "third_country":
		return g.ThirdCountry
	}
	return ""
}

// words returns the lower-cased word tokens of s, punctuation stripped;
// with fold, å/ä/ö are folded too.
func words(s string, fold bool) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '&'
	})
	if fold {
		for i := range f {
			f[i] = header.Fold(f[i])
		}
	}
	return f
}

// tokenF1 is the F1 of the two bags of words. With fuzzy (no repair stage,
// so the extracted text keeps its OCR damage) both sides are folded and two
// words also match when they differ only by damaged å/ä/ö (header.Similar);
// otherwise words must be equal.
func tokenF1(got, want string, fuzzy bool) float64 {
	g, w := words(got, fuzzy), words(want, fuzzy)
	if len(g) == 0 && len(w) == 0 {
		return 1
	}
	if len(g) == 0 || len(w) == 0 {
		return 0
	}
	used := make([]bool, len(w))
	match := 0
	for pass := 0; pass < 2; pass++ {
		for i := range g {
			if g[i] == "" {
				continue
			}
			for j := range w {
				if used[j] {
					continue
				}
				if g[i] == w[j] || fuzzy && pass == 1 && header.Similar(g[i], w[j]) {
					used[j] = true
					g[i] = ""
					match++
					break
				}
			}
		}
	}
	p := float64(match) / float64(len(words(got, fuzzy)))
	r := float64(match) / float64(len(w))
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// scoreAgainst extracts doc and compares it to gold field by field. It
// returns the mean F1 per field and a per-row report of weak fields.
func scoreAgainst(t *testing.T, doc *extractors.Doc, gold []goldRecord, fuzzy bool) (map[string]float64, []extractors.RawRecord) {
	t.Helper()
	recs, err := New().Extract(doc)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if len(recs) != len(gold) {
		for i, r := range recs {
			t.Logf("record %d: lines %d-%d %q", i+1, r.Line, r.EndLine, r.Fields[record.FieldActivity])
		}
		t.Fatalf("got %d records, want %d", len(recs), len(gold))
	}
	mean := map[string]float64{}
	for i, g := range gold {
		for _, f := range compared {
			got := recs[i].Fields[f.raw]
			want := g.get(f.gold)
			s := tokenF1(got, want, fuzzy)
			mean[f.gold] += s / float64(len(gold))
			if s < 0.9 && testing.Verbose() {
				t.Logf("row %d (lines %d-%d) %s F1=%.2f\n   got:  %q\n   want: %q", i+1, recs[i].Line, recs[i].EndLine, f.gold, s, got, want)
			}
		}
	}
	return mean, recs
}

// loadSeed002 returns seed 002 as a Doc and its gold records.
func loadSeed002(t *testing.T) (*extractors.Doc, []goldRecord) {
	t.Helper()
	seeds, _ := filepath.Glob("../../testdata/seeds/002_*.txt")
	golds, _ := filepath.Glob("../../testdata/gold/002_*.json")
	if len(seeds) != 1 || len(golds) != 1 {
		t.Fatalf("seed 002 or its gold not found (seeds %v, gold %v)", seeds, golds)
	}
	doc := loadDoc(t, seeds[0])
	doc.Municipality, doc.Organ = "Södertälje kommun", "Kommunstyrelsen"
	b, err := os.ReadFile(golds[0])
	if err != nil {
		t.Fatal(err)
	}
	var gold []goldRecord
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatalf("%s: %v", golds[0], err)
	}
	return doc, gold
}

// TestSeed002Gold extracts the OCR'd seed as it is (no repair stage) and
// compares it to the gold after folding å/ä/ö on both sides.
func TestSeed002Gold(t *testing.T) {
	doc, gold := loadSeed002(t)
	checkGold(t, doc, gold, true)
}

// checkGold scores doc against gold, logs the per-field F1 and fails a
// field whose mean token F1 is below 0.85.
func checkGold(t *testing.T, doc *extractors.Doc, gold []goldRecord, fuzzy bool) {
	t.Helper()
	if d := New().Detect(doc); d < 0.8 {
		t.Errorf("Detect = %.2f, want ≥ 0.8", d)
	}
	mean, recs := scoreAgainst(t, doc, gold, fuzzy)
	var sum float64
	for _, f := range compared {
		sum += mean[f.gold]
		t.Logf("%-17s token F1 %.3f", f.gold, mean[f.gold])
		if mean[f.gold] < 0.85 {
			t.Errorf("%s: mean token F1 %.3f < 0.85", f.gold, mean[f.gold])
		}
	}
	t.Logf("%-17s token F1 %.3f", "all fields", sum/float64(len(compared)))
	for i, r := range recs {
		if r.Confidence <= 0 || r.Confidence > 1 {
			t.Errorf("record %d: confidence %v outside (0, 1]", i+1, r.Confidence)
		}
		if r.Line <= 0 || r.EndLine < r.Line {
			t.Errorf("record %d: line span %d-%d", i+1, r.Line, r.EndLine)
		}
		if r.Kind != record.KindActivity {
			t.Errorf("record %d: kind %q", i+1, r.Kind)
		}
	}
	if testing.Verbose() {
		for i, r := range recs {
			fmt.Printf("%2d lines %3d-%3d conf %.2f %q\n", i+1, r.Line, r.EndLine, r.Confidence, r.Fields[record.FieldActivity])
		}
	}
}
