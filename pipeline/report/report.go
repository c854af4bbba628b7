// Package report builds the quality report of a register: per municipality
// and per organ (nämnd, the board that is controller), how complete the
// activity records are, how many defects of each severity and code they
// carry (Q1–Q16 of the domain notes; Q15, an activity given different
// legal bases or retention by different boards, is found here over all
// records), and each incomplete or flagged record
// with what it lacks and where it came from (provenance), so the person who
// mends the entry can find the original wording.
//
// The report is written as plain text (for a terminal), HTML (to open in a
// browser), JSON and CSV (one row per finding, for a spreadsheet).
package report

import (
	"sort"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Required lists the article 30 keys an activity record should state; a
// record's completeness is the share of them stated (a statement of "none",
// such as third_country "Nej", counts as stated).
var Required = []string{
	record.FieldPurpose, record.FieldDataSubjects, record.FieldPersonalData,
	record.FieldLegalBasis, record.FieldRetention, record.FieldRecipients,
	record.FieldThirdCountry,
}

// Unknown names a municipality or organ the source does not state.
const Unknown = "(not stated)"

// Report is the whole quality report.
type Report struct {
	Totals         Counts         `json:"totals"`
	Municipalities []Municipality `json:"municipalities"`
}

// Counts are the figures of one group of records.
type Counts struct {
	Records      int            `json:"records"`
	Activities   int            `json:"activities"`
	Documents    int            `json:"documents"`
	Complete     int            `json:"complete"`     // activities stating every required key
	Completeness float64        `json:"completeness"` // mean share of required keys stated, 0–1
	Errors       int            `json:"errors"`
	Warnings     int            `json:"warnings"`
	Infos        int            `json:"infos"`
	ByCode       map[string]int `json:"by_code,omitempty"`
}

// Municipality groups the organs of one municipality or region.
type Municipality struct {
	Name   string  `json:"name"`
	Counts Counts  `json:"counts"`
	Organs []Organ `json:"organs"`
}

// Organ groups the records of one board.
type Organ struct {
	Name     string    `json:"name"`
	Counts   Counts    `json:"counts"`
	Findings []Finding `json:"findings,omitempty"`
}

// Finding is one record that is incomplete or carries warnings.
type Finding struct {
	ID       string           `json:"id"`
	Kind     string           `json:"kind"`
	Activity string           `json:"activity"`
	File     string           `json:"file"`
	Page     int              `json:"page,omitempty"`
	Line     int              `json:"line,omitempty"`
	Missing  []string         `json:"missing,omitempty"`
	Warnings []record.Warning `json:"warnings,omitempty"`
}

// Build computes the report over the records.
func Build(recs []record.Record) *Report {
	rep := &Report{Totals: Counts{ByCode: map[string]int{}}}
	munis := map[string]*Municipality{}
	organs := map[string]map[string]*Organ{}
	var sumAll float64
	sumMuni := map[string]float64{}
	sumOrgan := map[string]map[string]float64{}
	across := crossRegister(recs)
	for i := range recs {
		r := &recs[i]
		if q15 := across[i]; len(q15) > 0 {
			// The report's copy carries Q15; the caller's records stay as
			// they are.
			c := *r
			c.Quality.Warnings = append(append([]record.Warning(nil), r.Quality.Warnings...), q15...)
			r = &c
		}
		mn, on := orUnknown(r.Municipality), orUnknown(r.Organ)
		m := munis[mn]
		if m == nil {
			m = &Municipality{Name: mn, Counts: Counts{ByCode: map[string]int{}}}
			munis[mn] = m
			organs[mn] = map[string]*Organ{}
			sumOrgan[mn] = map[string]float64{}
		}
		o := organs[mn][on]
		if o == nil {
			o = &Organ{Name: on, Counts: Counts{ByCode: map[string]int{}}}
			organs[mn][on] = o
		}
		share, complete := Completeness(r)
		for _, c := range []*Counts{&rep.Totals, &m.Counts, &o.Counts} {
			c.add(r, complete)
		}
		if r.Kind != record.KindDocument {
			sumAll += share
			sumMuni[mn] += share
			sumOrgan[mn][on] += share
		}
		if f, ok := finding(r); ok {
			o.Findings = append(o.Findings, f)
		}
	}
	rep.Totals.Completeness = mean(sumAll, rep.Totals.Activities)
	for mn, m := range munis {
		m.Counts.Completeness = mean(sumMuni[mn], m.Counts.Activities)
		for on, o := range organs[mn] {
			o.Counts.Completeness = mean(sumOrgan[mn][on], o.Counts.Activities)
			m.Organs = append(m.Organs, *o)
		}
		sort.Slice(m.Organs, func(i, j int) bool { return m.Organs[i].Name < m.Organs[j].Name })
		rep.Municipalities = append(rep.Municipalities, *m)
	}
	sort.Slice(rep.Municipalities, func(i, j int) bool { return rep.Municipalities[i].Name < rep.Municipalities[j].Name })
	return rep
}

// Completeness returns the share of Required keys an activity record states
// and whether it states all of them. Documents count as complete.
func Completeness(r *record.Record) (float64, bool) {
	if r.Kind == record.KindDocument {
		return 1, true
	}
	stated := 0
	for _, k := range Required {
		if Has(r, k) {
			stated++
		}
	}
	return float64(stated) / float64(len(Required)), stated == len(Required)
}

// Has reports whether the record states the key.
func Has(r *record.Record, key string) bool {
	switch key {
	case record.FieldPurpose:
		return r.Purpose != ""
	case record.FieldDataSubjects:
		return len(r.DataSubjects) > 0
	case record.FieldPersonalData:
		return len(r.PersonalData) > 0
	case record.FieldLegalBasis:
		return len(r.LegalBasis) > 0
	case record.FieldRetention:
		return r.Retention != ""
	case record.FieldRecipients:
		return len(r.Recipients) > 0
	case record.FieldThirdCountry:
		return r.ThirdCountry != ""
	case record.FieldOrgan:
		return r.Organ != ""
	case record.FieldMunicipality:
		return r.Municipality != ""
	case record.FieldActivity:
		return r.Activity != ""
	case record.FieldSources:
		return len(r.Sources) > 0
	}
	return false
}

func (c *Counts) add(r *record.Record, complete bool) {
	c.Records++
	if r.Kind == record.KindDocument {
		c.Documents++
	} else {
		c.Activities++
		if complete {
			c.Complete++
		}
	}
	for _, w := range r.Quality.Warnings {
		switch w.Severity {
		case "error":
			c.Errors++
		case "warning":
			c.Warnings++
		default:
			c.Infos++
		}
		c.ByCode[w.Code]++
	}
}

func finding(r *record.Record) (Finding, bool) {
	var missing []string
	if r.Kind != record.KindDocument {
		for _, k := range Required {
			if !Has(r, k) {
				missing = append(missing, k)
			}
		}
	}
	if len(missing) == 0 && len(r.Quality.Warnings) == 0 {
		return Finding{}, false
	}
	name := r.Activity
	if name == "" {
		name = r.Title
	}
	return Finding{
		ID: r.ID, Kind: r.Kind, Activity: name,
		File: r.Provenance.File, Page: r.Provenance.Page, Line: r.Provenance.Line,
		Missing: missing, Warnings: r.Quality.Warnings,
	}, true
}

func orUnknown(s string) string {
	if s == "" {
		return Unknown
	}
	return s
}

func mean(sum float64, n int) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}
