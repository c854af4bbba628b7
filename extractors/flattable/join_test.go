package flattable

import (
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
)

func TestJoinCell(t *testing.T) {
	doc := &extractors.Doc{} // no repair stage: the fallback hyphen rule
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"Källa som person-", "uppgifter samlas"}, "Källa som personuppgifter samlas"},
		{[]string{"Region Stockholm, Taxi-", "fardtjanstleverantor,"}, "Region Stockholm, Taxi-fardtjanstleverantor,"},
		{[]string{"stod av EU-", "kommissionens"}, "stod av EU-kommissionens"},
		{[]string{"Intresseav-", "vagning"}, "Intresseavvagning"},
		{[]string{"kommunikations-material"}, "kommunikationsmaterial"},
		{[]string{"sammantrades-hantering"}, "sammantradeshantering"},
		{[]string{"e-post, IP-adress, ISO-certifierad e-tjanst"}, "e-post, IP-adress, ISO-certifierad e-tjanst"},
		{[]string{"Protokoll,", "beslutsunderlag", "bevaras"}, "Protokoll, beslutsunderlag bevaras"},
		{[]string{"lista -", "ärenden"}, "lista - ärenden"},
	}
	for _, tt := range tests {
		var ps []placed
		for _, s := range tt.lines {
			l := &tline{toks: tokenize(s)}
			ps = append(ps, placed{line: l, i: 0, j: len(l.toks)})
		}
		if got := joinCell(doc, ps); got != tt.want {
			t.Errorf("joinCell(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}

func TestTokenize(t *testing.T) {
	toks := tokenize("Hantera medborgarforslag  |Medborgare i [Sodertalje _ GDPR Nej")
	var texts []string
	for _, tk := range toks {
		texts = append(texts, tk.text)
	}
	want := []string{"Hantera", "medborgarforslag", "Medborgare", "i", "Sodertalje", "GDPR", "Nej"}
	if len(texts) != len(want) {
		t.Fatalf("tokens %q, want %q", texts, want)
	}
	for i := range want {
		if texts[i] != want[i] {
			t.Errorf("token %d = %q, want %q", i, texts[i], want[i])
		}
	}
	if !toks[2].boundary || !toks[4].boundary || !toks[5].boundary {
		t.Errorf("debris and gaps should mark cell starts: %+v", toks)
	}
	if toks[1].boundary || toks[3].boundary {
		t.Errorf("plain words marked as cell starts")
	}
	if !toks[5].acronym || toks[5].cap {
		t.Errorf("GDPR: acronym %v cap %v", toks[5].acronym, toks[5].cap)
	}
}

func TestAnchors(t *testing.T) {
	tests := []struct {
		line   string
		fields []string
	}{
		{"Kontaktuppgifter Allmént intresse Bevaras Individen sjalv Nej", []string{"legal_basis", "sources", "third_country"}},
		{"namn, |Rattslig forpliktelse |Fakturaunderlag", []string{"legal_basis"}},
		{"bilder Intresseav-vagning |Fotografier", []string{"legal_basis"}},
		{"Genereras internt Overforing till USA", []string{"sources", "third_country"}},
		{"Antal avtalet", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, a := range findAnchors(tokenize(tt.line)) {
			got = append(got, a.field)
		}
		if len(got) != len(tt.fields) {
			t.Errorf("%q: anchors %q, want %q", tt.line, got, tt.fields)
			continue
		}
		for i := range got {
			if got[i] != tt.fields[i] {
				t.Errorf("%q: anchors %q, want %q", tt.line, got, tt.fields)
			}
		}
	}
}
