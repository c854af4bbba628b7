package qparse

import (
	"reflect"
	"testing"
)

func known(name string) bool {
	switch name {
	case "municipality", "legal_basis", "purpose", "personal_data":
		return true
	}
	return false
}

func TestParse(t *testing.T) {
	w := func(s string) Clause { return Clause{Text: s} }
	tests := []struct {
		in   string
		want []Clause
	}{
		{"", nil},
		{"   \t\n", nil},
		{"personnummer", []Clause{w("personnummer")}},
		{"  Personnummer   hälsa ", []Clause{w("Personnummer"), w("hälsa")}},
		{`"skyddad identitet"`, []Clause{{Text: "skyddad identitet", Phrase: true}}},
		{`”skyddad identitet”`, []Clause{{Text: "skyddad identitet", Phrase: true}}},
		{`„skyddad identitet“ x`, []Clause{{Text: "skyddad identitet", Phrase: true}, w("x")}},
		{`"  spaced  "`, []Clause{{Text: "spaced", Phrase: true}}},
		{`""`, nil},
		{`"personnummer`, []Clause{w(`"personnummer`)}},     // unbalanced: literal
		{`a "b c`, []Clause{w("a"), w(`"b`), w("c")}},       // unbalanced: literal
		{`abc"def ghi"`, []Clause{w(`abc"def`), w(`ghi"`)}}, // quote inside a word
		{"-foto", []Clause{{Text: "foto", Negated: true}}},  // exclusion
		{"- foto", []Clause{w("-"), w("foto")}},             // lone dash is a word
		{"-", []Clause{w("-")}},                             // lone dash at the end
		{"--x", []Clause{w("--x")}},                         // double dash is literal
		{"e-post", []Clause{w("e-post")}},                   // inner dash is not exclusion
		{`-"sociala medier"`, []Clause{{Text: "sociala medier", Phrase: true, Negated: true}}},
		{"legal_basis:samtycke", []Clause{{Field: "legal_basis", Text: "samtycke"}}},
		{"Legal_Basis:Samtycke", []Clause{{Field: "legal_basis", Text: "Samtycke"}}},
		{`municipality:"Luleå kommun" pnr`, []Clause{{Field: "municipality", Text: "Luleå kommun", Phrase: true}, w("pnr")}},
		{"-legal_basis:samtycke", []Clause{{Field: "legal_basis", Text: "samtycke", Negated: true}}},
		{"purpose:", []Clause{w("purpose:")}},                     // empty value: literal
		{"purpose: x", []Clause{w("purpose:"), w("x")}},           // space after colon: literal
		{"unknown:x", []Clause{w("unknown:x")}},                   // unknown field: literal
		{"https://example.se", []Clause{w("https://example.se")}}, // not a field
		{":x", []Clause{w(":x")}},                                 // empty name
		{"personal_data:personnummer -purpose:foto", []Clause{{Field: "personal_data", Text: "personnummer"}, {Field: "purpose", Text: "foto", Negated: true}}},
		{`purpose:"a`, []Clause{{Field: "purpose", Text: `"a`}}}, // unbalanced after field
		{"pers.nr 3 kap. 10 §", []Clause{w("pers.nr"), w("3"), w("kap."), w("10"), w("§")}},
	}
	for _, tt := range tests {
		got := Parse(tt.in, known)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestParseNilFields(t *testing.T) {
	got := Parse("legal_basis:samtycke", nil)
	want := []Clause{{Text: "legal_basis:samtycke"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, in := range []string{
		`personnummer "skyddad identitet" -foto legal_basis:samtycke municipality:"Luleå kommun"`,
		`"unbalanced`,
		`-"a b" purpose:"x"`,
	} {
		cs := Parse(in, known)
		if got := Parse(String(cs), known); !reflect.DeepEqual(got, cs) {
			t.Errorf("round trip of %q: %#v != %#v", in, got, cs)
		}
	}
}

// FuzzParse checks that Parse never panics and yields no empty clause.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`"a`, `-`, `x:"`, `-"`, "a:b:c", "\xff\"", `”a„`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range Parse(s, known) {
			if c.Text == "" {
				t.Fatalf("Parse(%q): empty clause %#v", s, c)
			}
		}
	})
}

func TestParseHints(t *testing.T) {
	tests := []struct {
		in    string
		hints int
	}{
		{"personnummer", 0},
		{`"skyddad identitet"`, 0},
		{`"personnummer`, 1},
		{`"a "b "c`, 1}, // one hint however many quotes
		{`colour:red`, 1},
		{`colour:red "x`, 2},
		{`legal_basis:samtycke`, 0},
		{`kl:`, 0}, // nothing after the colon: a plain word
	}
	for _, tt := range tests {
		_, h := ParseHints(tt.in, known)
		if len(h) != tt.hints {
			t.Errorf("ParseHints(%q) hints %q, want %d", tt.in, h, tt.hints)
		}
	}
}
