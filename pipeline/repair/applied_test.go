package repair

import (
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// applied returns the fixes that were made (not only reported).
func applied(fs []record.Fix) []record.Fix {
	var out []record.Fix
	for _, f := range fs {
		if f.Applied == nil || *f.Applied {
			out = append(out, f)
		}
	}
	return out
}

// TestLowConfidenceReported checks that a change below ApplyThreshold is
// reported with Applied=false and not made.
func TestLowConfidenceReported(t *testing.T) {
	r := New()
	tests := []struct {
		in, want string
		reported []string // From of the fixes reported but not applied
	}{
		// A lone "Ã¥" in text whose dash is correct UTF-8, giving an
		// unknown word: it may be Latin-1 or Mac Roman, or correct.
		{"Bremer/Mccoy – DrÃ¥ber", "Bremer/Mccoy – DrÃ¥ber", []string{"DrÃ¥ber"}},
		// The same with a known word is made.
		{"Protokoll – nÃ¤mnden", "Protokoll – nämnden", nil},
		// With more evidence in the text it is made too.
		{"Bremer – DrÃ¥ber och fÃ¶r", "Bremer – Dråber och för", nil},
	}
	for _, tt := range tests {
		got, fixes := r.Text(tt.in)
		if got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
		var rep []string
		for _, f := range fixes {
			if f.Applied != nil && !*f.Applied {
				rep = append(rep, f.From)
				if f.Confidence >= ApplyThreshold {
					t.Errorf("%q reported with confidence %.2f ≥ threshold", f.From, f.Confidence)
				}
			} else if f.Confidence < ApplyThreshold {
				t.Errorf("%q applied with confidence %.2f < threshold", f.From, f.Confidence)
			}
		}
		if strings.Join(rep, "|") != strings.Join(tt.reported, "|") {
			t.Errorf("Text(%q): reported %q, want %q", tt.in, rep, tt.reported)
		}
	}
}

// TestCodePageWords checks single-byte text read with the wrong code page.
func TestCodePageWords(t *testing.T) {
	r := New()
	tests := []struct{ in, want string }{
		{"Beslut f”r n„mnden", "Beslut för nämnden"},                   // CP850 read as Windows-1252
		{"Beslut f÷r nõmnden", "Beslut för nämnden"},                   // Windows-1252 read as CP850
		{"\u0084Handwerk bringt dich\u0093", "„Handwerk bringt dich“"}, // Latin-1 C1 controls
		{"Sjukv†rd och „ldreomsorg", "Sjukvård och äldreomsorg"},
		{"Det är ”bra”", "Det är ”bra”"},
		{"Müller & Søn – café", "Müller & Søn – café"},
	}
	for _, tt := range tests {
		if got, _ := r.Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
