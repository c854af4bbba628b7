package flattable

import (
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/pipeline/repair"
)

// TestSeed002GoldRepaired runs the pipeline's order: the repair stage first
// (å/ä/ö restored, "2ar" → "2 år"), then the extractor with doc.Repair set
// for its hyphen joins; the gold is compared word for word, unfolded.
func TestSeed002GoldRepaired(t *testing.T) {
	doc, gold := loadSeed002(t)
	r := repair.New()
	var raw []string
	for _, l := range doc.Lines {
		raw = append(raw, l.Text)
	}
	fixed, _ := r.Text(strings.Join(raw, "\n"))
	lines := strings.Split(fixed, "\n")
	if len(lines) != len(doc.Lines) {
		t.Fatalf("repair changed the line count: %d → %d", len(doc.Lines), len(lines))
	}
	for i := range lines {
		doc.Lines[i].Text = lines[i]
	}
	doc.Repair = r
	checkGold(t, doc, gold, false)
}
