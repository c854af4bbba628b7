// Package score compares extracted records with hand-written gold records,
// field by field, the way the project measures its extractors: token-level
// F1 per text field (lower-cased words, punctuation ignored; a list field is
// the bag of tokens of all its items), exact match of the normalized legal
// basis, and exact match of list items.
package score

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Fields are the text fields scored, in report order.
var Fields = []string{
	"activity", "purpose", "data_subjects", "personal_data", "legal_basis",
	"legal_basis_text", "retention", "recipients", "sources", "third_country",
	"automated_decisions",
}

// Value returns a field's text and items (items is nil for string fields).
func Value(r *record.Record, field string) (string, []string) {
	switch field {
	case "activity":
		return r.Activity, nil
	case "purpose":
		return r.Purpose, nil
	case "data_subjects":
		return strings.Join(r.DataSubjects, " "), r.DataSubjects
	case "personal_data":
		return strings.Join(r.PersonalData, " "), r.PersonalData
	case "legal_basis":
		return strings.Join(r.LegalBasis, " "), r.LegalBasis
	case "legal_basis_text":
		return r.LegalBasisText, nil
	case "retention":
		return r.Retention, nil
	case "recipients":
		return strings.Join(r.Recipients, " "), r.Recipients
	case "sources":
		return strings.Join(r.Sources, " "), r.Sources
	case "third_country":
		return r.ThirdCountry, nil
	case "automated_decisions":
		return r.AutomatedDecisions, nil
	}
	return "", nil
}

// Tokens splits text into lower-cased words (letters and digits).
func Tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// F1 is the token-level F1 of got against want (bags of tokens). Two empty
// values score 1.
func F1(got, want string) float64 {
	g, w := Tokens(got), Tokens(want)
	if len(g) == 0 && len(w) == 0 {
		return 1
	}
	if len(g) == 0 || len(w) == 0 {
		return 0
	}
	bag := map[string]int{}
	for _, t := range w {
		bag[t]++
	}
	common := 0
	for _, t := range g {
		if bag[t] > 0 {
			bag[t]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p := float64(common) / float64(len(g))
	r := float64(common) / float64(len(w))
	return 2 * p * r / (p + r)
}

// Pair is one gold record and the extracted record matched to it (nil when
// none was).
type Pair struct {
	Gold, Got *record.Record
	F1        map[string]float64
}

// Result is the comparison of one file's records with its gold.
type Result struct {
	Fields     []string           // the fields scored (those present in the gold)
	Pairs      []Pair             // in gold order
	Extra      []*record.Record   // extracted records matched to no gold record
	Mean       map[string]float64 // mean F1 per field over the gold records
	ItemsExact map[string]int     // list fields: records whose items equal the gold's exactly
	BasisExact int                // records whose legal_basis equals the gold's exactly
	Found      int                // gold records matched
}

// Compare matches extracted records to gold records (greedily by mean F1 of
// activity and purpose, keeping document order where scores tie) and scores
// every field the gold uses.
func Compare(got, gold []record.Record) *Result {
	res := &Result{Mean: map[string]float64{}, ItemsExact: map[string]int{}}
	used := map[string]bool{}
	for _, f := range Fields {
		for i := range gold {
			if s, _ := Value(&gold[i], f); s != "" {
				res.Fields = append(res.Fields, f)
				break
			}
		}
	}
	taken := make([]bool, len(got))
	type cand struct {
		g, o int
		s    float64
	}
	var cands []cand
	for gi := range gold {
		for oi := range got {
			s := (F1(got[oi].Activity, gold[gi].Activity) + 2*F1(got[oi].Purpose, gold[gi].Purpose)) / 3
			// Prefer the same position in document order on ties.
			s -= 0.0001 * abs(gi-oi)
			cands = append(cands, cand{gi, oi, s})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].s > cands[j].s })
	match := make([]int, len(gold))
	for i := range match {
		match[i] = -1
	}
	for _, c := range cands {
		if c.s <= 0.2 || match[c.g] >= 0 || taken[c.o] {
			continue
		}
		match[c.g], taken[c.o] = c.o, true
	}
	sums := map[string]float64{}
	for gi := range gold {
		p := Pair{Gold: &gold[gi], F1: map[string]float64{}}
		if match[gi] >= 0 {
			p.Got = &got[match[gi]]
			res.Found++
			used[p.Got.ID] = true
		}
		for _, f := range res.Fields {
			gs, gItems := Value(&gold[gi], f)
			var os string
			var oItems []string
			if p.Got != nil {
				os, oItems = Value(p.Got, f)
			}
			p.F1[f] = F1(os, gs)
			sums[f] += p.F1[f]
			if gItems != nil && p.Got != nil && equal(gItems, oItems) {
				res.ItemsExact[f]++
			}
			if f == "legal_basis" && p.Got != nil && equal(gold[gi].LegalBasis, p.Got.LegalBasis) {
				res.BasisExact++
			}
		}
		res.Pairs = append(res.Pairs, p)
	}
	for _, f := range res.Fields {
		if len(gold) > 0 {
			res.Mean[f] = sums[f] / float64(len(gold))
		}
	}
	for oi := range got {
		if !taken[oi] {
			res.Extra = append(res.Extra, &got[oi])
		}
	}
	return res
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func abs(i int) float64 {
	if i < 0 {
		i = -i
	}
	return float64(i)
}

// Write prints the per-field figures as a table.
func (r *Result) Write(w io.Writer, name string) {
	fmt.Fprintf(w, "%s: %d/%d gold records found, %d extra; legal_basis exact %d/%d\n",
		name, r.Found, len(r.Pairs), len(r.Extra), r.BasisExact, len(r.Pairs))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  field\ttoken F1\titems exact")
	for _, f := range r.Fields {
		exact := ""
		if _, items := Value(r.Pairs[0].Gold, f); items != nil {
			exact = fmt.Sprintf("%d/%d", r.ItemsExact[f], len(r.Pairs))
		}
		fmt.Fprintf(tw, "  %s\t%.3f\t%s\n", f, r.Mean[f], exact)
	}
	tw.Flush()
}

// WriteDiffs prints, for each gold record, the fields scoring below min with
// the gold and the extracted text side by side.
func (r *Result) WriteDiffs(w io.Writer, min float64) {
	for i, p := range r.Pairs {
		for _, f := range r.Fields {
			if p.F1[f] >= min {
				continue
			}
			gs, _ := Value(p.Gold, f)
			os := "(no record)"
			if p.Got != nil {
				os, _ = Value(p.Got, f)
			}
			fmt.Fprintf(w, "record %d %s F1 %.2f\n  gold: %q\n  got:  %q\n", i+1, f, p.F1[f], gs, os)
		}
	}
}
