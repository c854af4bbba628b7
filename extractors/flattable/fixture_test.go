package flattable

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
)

// expected is one record of a fixture's expected output.
type expected struct {
	Line    int               `json:"line"`
	EndLine int               `json:"end_line"`
	Fields  map[string]string `json:"fields"`
}

// TestFixtures runs the extractor on hand-made flat tables whose column
// order and header wording differ from seed 002, and compares every field
// exactly.
func TestFixtures(t *testing.T) {
	for _, name := range []string{"socialnamnd"} {
		t.Run(name, func(t *testing.T) {
			doc := loadDoc(t, "testdata/"+name+".txt")
			b, err := os.ReadFile("testdata/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var want []expected
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatalf("testdata/%s.json: %v", name, err)
			}
			if d := New().Detect(doc); d < 0.8 {
				t.Errorf("Detect = %.2f, want ≥ 0.8", d)
			}
			got, err := New().Extract(doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("got %d records, want %d", len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				if g.Line != w.Line || g.EndLine != w.EndLine {
					t.Errorf("record %d: lines %d-%d, want %d-%d", i+1, g.Line, g.EndLine, w.Line, w.EndLine)
				}
				if !reflect.DeepEqual(g.Fields, w.Fields) {
					for k := range union(g.Fields, w.Fields) {
						if g.Fields[k] != w.Fields[k] {
							t.Errorf("record %d %s:\n got  %q\n want %q", i+1, k, g.Fields[k], w.Fields[k])
						}
					}
				}
			}
		})
	}
}

func union(a, b map[string]string) map[string]bool {
	u := map[string]bool{}
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// TestNotATable checks that prose and key/value notices are not taken for
// flat tables, and that empty or odd input does not panic.
func TestNotATable(t *testing.T) {
	docs := map[string][]string{
		"empty": nil,
		"notice": {
			"Syfte/ändamål: Vi behandlar dina uppgifter för att handlägga ditt ärende.",
			"Rättslig grund: Allmänt intresse.",
			"Lagring/gallring: Uppgifterna gallras efter två år.",
			"Mottagare: Inga externa mottagare.",
		},
		"debris only": {"| | [", "_", "Behandling Syfte Rättslig grund Lagringstid", "|", "["},
	}
	for name, lines := range docs {
		t.Run(name, func(t *testing.T) {
			doc := &extractors.Doc{Path: name}
			for i, s := range lines {
				doc.Lines = append(doc.Lines, extractors.Line{N: i + 1, Text: s})
			}
			recs, err := New().Extract(doc)
			if err != nil {
				t.Fatal(err)
			}
			if name != "debris only" {
				if d := New().Detect(doc); d != 0 {
					t.Errorf("Detect = %.2f, want 0", d)
				}
			}
			if len(recs) != 0 {
				t.Errorf("got %d records, want none", len(recs))
			}
		})
	}
}
