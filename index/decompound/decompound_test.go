package decompound

import (
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

func fold(s string) string {
	return strings.NewReplacer("å", "a", "ä", "a", "ö", "o").Replace(strings.ToLower(s))
}

const words = `# test list
personnummer
hälso hälsa
hälsa
förtroendevald
`

func TestSplit(t *testing.T) {
	d, err := Parse(words, fold)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want []string
	}{
		{"personnummeruppgifter", []string{"personnummer", "uppgifter"}},
		{"personnummerkontroll", []string{"personnummer", "kontroll"}},
		{"elevpersonnummer", []string{"elev", "personnummer"}},
		{"halsouppgifter", []string{"halsa", "uppgifter"}},
		{"halso", []string{"halsa"}},             // linking form alone: "hälso- och sjukvård"
		{"foretagshalsovard", []string{"halsa"}}, // inside
		{"fortroendevaldsregister", []string{"fortroendevald", "sregister"}},
		{"personnummer", nil},   // the word itself is not a compound
		{"personnummers", nil},  // rest shorter than MinRest
		{"telefonnummer", nil},  // look-alike: no listed word
		{"halsband", nil},       // look-alike
		{"personalnummer", nil}, // look-alike
		{"", nil},
		{"\xff\xfe", nil},
	}
	for _, tt := range tests {
		if got := d.Split(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFilterKeepsOffsets(t *testing.T) {
	d, _ := Parse(words, fold)
	in := analysis.TokenStream{
		{Term: []byte("halsouppgifter"), Start: 4, End: 19, Position: 2},
		{Term: []byte("namn"), Start: 20, End: 24, Position: 3},
	}
	out := (&Filter{Dict: d}).Filter(in)
	var got []string
	for _, tok := range out {
		got = append(got, string(tok.Term))
		if tok.Position == 2 && (tok.Start != 4 || tok.End != 19) {
			t.Errorf("part %q has offsets %d-%d, want the compound's 4-19", tok.Term, tok.Start, tok.End)
		}
	}
	if want := []string{"halsouppgifter", "halsa", "uppgifter", "namn"}; !reflect.DeepEqual(got, want) {
		t.Errorf("tokens %q, want %q", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{"a b c", "ab"} {
		if _, err := Parse(bad, fold); err == nil {
			t.Errorf("Parse(%q): no error", bad)
		}
	}
}
