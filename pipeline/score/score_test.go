package score

import (
	"math"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

func TestF1(t *testing.T) {
	tests := []struct {
		got, want string
		f1        float64
	}{
		{"", "", 1},
		{"Bevaras", "", 0},
		{"", "Bevaras", 0},
		{"Bevaras.", "bevaras", 1},
		{"Allmänt intresse", "Allmänt intresse", 1},
		{"Allmant intresse", "Allmänt intresse", 0.5},
		{"a b c d", "a b", 2 * 0.5 * 1 / 1.5},
		{"a a b", "a b b", 2.0 / 3},
	}
	for _, tt := range tests {
		if got := F1(tt.got, tt.want); math.Abs(got-tt.f1) > 1e-9 {
			t.Errorf("F1(%q, %q) = %v, want %v", tt.got, tt.want, got, tt.f1)
		}
	}
}

func TestCompareAlignsAndScores(t *testing.T) {
	gold := []record.Record{
		{Activity: "Hantera valinformation", Purpose: "För ett ökat valdeltagande skickas sms", LegalBasis: []string{"allmänt intresse"}, Recipients: []string{"Teleoperatör"}},
		{Activity: "Administrera ekonomi", Purpose: "Fakturering, autogiro", LegalBasis: []string{"rättslig förpliktelse"}},
	}
	got := []record.Record{
		{ID: "x", Activity: "Något annat", Purpose: "helt orelaterat"},
		{ID: "b", Activity: "Administrera ekonomi", Purpose: "Fakturering, autogiro", LegalBasis: []string{"rättslig förpliktelse"}},
		{ID: "a", Activity: "Hantera valinformation", Purpose: "För ett ökat valdeltagande skickas sms", LegalBasis: []string{"allmänt intresse"}, Recipients: []string{"Teleoperatör", "x"}},
	}
	r := Compare(got, gold)
	if r.Found != 2 || len(r.Extra) != 1 || r.Extra[0].ID != "x" {
		t.Fatalf("found %d, extra %d; want 2 and 1 (x)", r.Found, len(r.Extra))
	}
	if r.Pairs[0].Got.ID != "a" || r.Pairs[1].Got.ID != "b" {
		t.Errorf("pairs matched %s, %s; want a, b", r.Pairs[0].Got.ID, r.Pairs[1].Got.ID)
	}
	if r.BasisExact != 2 {
		t.Errorf("BasisExact = %d, want 2", r.BasisExact)
	}
	if r.ItemsExact["recipients"] != 0 {
		t.Errorf("recipients exact = %d, want 0", r.ItemsExact["recipients"])
	}
}
