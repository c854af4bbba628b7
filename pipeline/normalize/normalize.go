// Package normalize turns an extractor's raw record into a contract record
// (pipeline/record): it trims field text, joins wrapped lines, splits list
// fields into items, maps the legal-basis text to the normalized article 6
// bases, derives the sensitive categories, and drops placeholders ("-",
// "Ej ifyllt", ...) so that a key the source does not really state is left
// out. The rules follow shared/domain.md §2 and the annotator's conventions
// in shared/seeds/gold/README.md.
package normalize

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// ExtraPrefix marks a raw field that maps to no contract key: an extractor
// that keeps a source column it cannot map (a spreadsheet's "Kontaktperson")
// stores its text under ExtraPrefix + the column's header, and Record copies
// it to the record's Extra under the header, with its line breaks kept
// (each line trimmed, blank lines dropped) so that no data is lost.
const ExtraPrefix = "extra:"

// List fields: their text is split into items by SplitList.
var listFields = map[string]func(*record.Record) *[]string{
	record.FieldDataSubjects: func(r *record.Record) *[]string { return &r.DataSubjects },
	record.FieldPersonalData: func(r *record.Record) *[]string { return &r.PersonalData },
	record.FieldRecipients:   func(r *record.Record) *[]string { return &r.Recipients },
	record.FieldSources:      func(r *record.Record) *[]string { return &r.Sources },
}

// String fields: their lines are joined with single spaces.
var stringFields = map[string]func(*record.Record) *string{
	record.FieldMunicipality:       func(r *record.Record) *string { return &r.Municipality },
	record.FieldOrgan:              func(r *record.Record) *string { return &r.Organ },
	record.FieldActivity:           func(r *record.Record) *string { return &r.Activity },
	record.FieldPurpose:            func(r *record.Record) *string { return &r.Purpose },
	record.FieldRetention:          func(r *record.Record) *string { return &r.Retention },
	record.FieldThirdCountry:       func(r *record.Record) *string { return &r.ThirdCountry },
	record.FieldAutomatedDecisions: func(r *record.Record) *string { return &r.AutomatedDecisions },
	record.FieldSystem:             func(r *record.Record) *string { return &r.System },
	record.FieldSecurityMeasures:   func(r *record.Record) *string { return &r.SecurityMeasures },
	"legal_basis_ref":              func(r *record.Record) *string { return &r.LegalBasisRef },
	"title":                        func(r *record.Record) *string { return &r.Title },
	"date":                         func(r *record.Record) *string { return &r.Date },
	"document_type":                func(r *record.Record) *string { return &r.DocumentType },
	"administration":               func(r *record.Record) *string { return &r.Administration },
	"org_number":                   func(r *record.Record) *string { return &r.OrgNumber },
	"postal_address":               func(r *record.Record) *string { return &r.PostalAddress },
	"phone":                        func(r *record.Record) *string { return &r.Phone },
	"dpo_contact":                  func(r *record.Record) *string { return &r.DPOContact },
	"proposed_decision":            func(r *record.Record) *string { return &r.ProposedDecision },
	"decision_sent_to":             func(r *record.Record) *string { return &r.DecisionSentTo },
}

// fieldOrder is the order in which Record handles the fields it knows, so
// that its warnings come out in the same order on every run.
var fieldOrder = []string{
	record.FieldMunicipality, record.FieldOrgan, record.FieldActivity, record.FieldPurpose,
	record.FieldDataSubjects, record.FieldPersonalData, record.FieldLegalBasis, "legal_basis_text",
	"legal_basis_ref", record.FieldRetention, record.FieldRecipients, record.FieldSources,
	record.FieldThirdCountry, record.FieldAutomatedDecisions, record.FieldSystem,
	record.FieldSecurityMeasures, "title", "date", "document_type", "administration", "org_number",
	"postal_address", "phone", "dpo_contact", "proposed_decision", "decision_sent_to", "text",
}

// Record builds a contract record from an extractor's raw record: copies
// raw.Document's document fields (if non-nil), trims field text, joins
// wrapped lines, splits list fields (data_subjects, personal_data,
// recipients, sources), maps the legal basis, derives sensitive data. It
// leaves ID, Provenance and Fixes to the caller, and leaves a key empty (so
// it is omitted from JSON) when the source does not state it or states only
// a placeholder.
//
// Quality is the caller's too, with one exception: what normalization alone
// can see is recorded in r.Quality.Warnings for the quality stage to keep —
// Q2 placeholder for each value it dropped (the value is gone from the
// record afterwards) and the Q3/Q3b warnings of LegalBasis. Keys of
// raw.Fields that map to no contract key go to r.Extra.
func Record(raw extractors.RawRecord) record.Record {
	var r record.Record
	if raw.Document != nil {
		r = copyRecord(*raw.Document)
	}
	switch {
	case raw.Kind != "":
		r.Kind = raw.Kind
	case r.Kind == "":
		r.Kind = record.KindActivity
	}
	if raw.ActivityInferred {
		r.ActivityInferred = true
	}

	keys := make([]string, 0, len(raw.Fields))
	known := map[string]bool{}
	for _, k := range fieldOrder {
		known[k] = true
		if _, ok := raw.Fields[k]; ok {
			keys = append(keys, k)
		}
	}
	var extra []string
	for k := range raw.Fields {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	keys = append(keys, extra...)

	for _, key := range keys {
		setField(&r, key, raw.Fields[key])
	}
	if r.LegalBasisText != "" && len(r.LegalBasis) == 0 {
		bases, ref, warns := LegalBasis(r.LegalBasisText)
		r.LegalBasis = bases
		if r.LegalBasisRef == "" {
			r.LegalBasisRef = ref
		}
		r.Quality.Warnings = append(r.Quality.Warnings, warns...)
	}
	Sensitive(&r)
	return r
}

// setField stores one raw field's text in r.
func setField(r *record.Record, key, text string) {
	switch {
	case key == record.FieldLegalBasis || key == "legal_basis_text":
		t, ok := stringValue(r, record.FieldLegalBasis, text)
		if !ok {
			return
		}
		r.LegalBasisText = t
		r.LegalBasis = nil // mapped once all fields are in
	case listFields[key] != nil:
		raw := strings.TrimSpace(spaceRun.ReplaceAllString(text, " "))
		if raw == "" {
			return
		}
		parts := SplitList(text)
		if len(parts) == 0 || Placeholder(key, raw) {
			placeholderWarning(r, key, raw) // "-", "•", "Ej ifyllt" as the whole cell
			return
		}
		var items, dropped []string
		for _, it := range parts {
			if Placeholder(key, it) {
				dropped = append(dropped, it)
				continue
			}
			items = append(items, it)
		}
		for _, d := range dropped {
			placeholderWarning(r, key, d)
		}
		if len(items) > 0 {
			*listFields[key](r) = items
		}
	case key == "text":
		if t := strings.TrimSpace(text); t != "" {
			r.Text = t
		}
	case strings.HasPrefix(key, ExtraPrefix):
		name := strings.Join(strings.Fields(strings.TrimPrefix(key, ExtraPrefix)), " ")
		t := keepLines(text)
		if name == "" || t == "" {
			return
		}
		if r.Extra == nil {
			r.Extra = map[string]string{}
		}
		r.Extra[name] = t
	case stringFields[key] != nil:
		if t, ok := stringValue(r, key, text); ok {
			*stringFields[key](r) = t
		}
	default:
		t := JoinLines(text)
		if t == "" || Placeholder(key, t) {
			return
		}
		if r.Extra == nil {
			r.Extra = map[string]string{}
		}
		r.Extra[key] = t
	}
}

// stringValue joins the lines of a string field's text. It reports false,
// after recording a Q2 warning, when the text is only a placeholder (a lone
// "-" or bullet included), and false without a warning when it is empty.
func stringValue(r *record.Record, field, text string) (string, bool) {
	raw := strings.TrimSpace(spaceRun.ReplaceAllString(text, " "))
	if raw == "" {
		return "", false
	}
	t := JoinLines(text)
	if t == "" || Placeholder(field, raw) || Placeholder(field, t) {
		placeholderWarning(r, field, raw)
		return "", false
	}
	return t, true
}

func placeholderWarning(r *record.Record, field, value string) {
	r.Quality.Warnings = append(r.Quality.Warnings, record.Warning{
		Code: "Q2", Name: "placeholder", Severity: SeverityError, Field: field,
		Message: fmt.Sprintf("%s is only a placeholder: %s", field, quote(value)),
	})
}

// JoinLines joins the lines of a string field with single spaces: each line
// is trimmed and loses a leading bullet glyph or list dash, white space runs
// become one space, and empty lines are dropped. Punctuation is neither
// added nor removed.
func JoinLines(text string) string {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text)
	var parts []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(spaceRun.ReplaceAllString(line, " "))
		for {
			t := strings.TrimSpace(strings.TrimLeft(line, "•●▪◦·"))
			t = strings.TrimSpace(bulletDash.ReplaceAllString(t, ""))
			if t == line {
				break
			}
			line = t
		}
		if line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, " ")
}

// keepLines trims each line of text, collapses its white space and drops
// blank lines, keeping the line breaks between the others.
func keepLines(text string) string {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text)
	var parts []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(spaceRun.ReplaceAllString(line, " ")); line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, "\n")
}

// bulletDash is a list dash at the start of a line ("-Anställd", "- Chef").
var bulletDash = regexp.MustCompile(`^[-–—*]+\s*`)

// copyRecord copies a record deeply enough that the copy's slices and map
// can be changed without touching the original.
func copyRecord(d record.Record) record.Record {
	r := d
	r.DataSubjects = append([]string(nil), d.DataSubjects...)
	r.PersonalData = append([]string(nil), d.PersonalData...)
	r.SensitiveData = append([]string(nil), d.SensitiveData...)
	r.LegalBasis = append([]string(nil), d.LegalBasis...)
	r.Recipients = append([]string(nil), d.Recipients...)
	r.Sources = append([]string(nil), d.Sources...)
	r.Sections = append([]record.Section(nil), d.Sections...)
	r.SensitiveFound = append([]record.SensitiveHit(nil), d.SensitiveFound...)
	r.Fixes = append([]record.Fix(nil), d.Fixes...)
	r.Quality.Missing = append([]string(nil), d.Quality.Missing...)
	r.Quality.None = append([]string(nil), d.Quality.None...)
	r.Quality.Warnings = append([]record.Warning(nil), d.Quality.Warnings...)
	if d.Extra != nil {
		r.Extra = make(map[string]string, len(d.Extra))
		for k, v := range d.Extra {
			r.Extra[k] = v
		}
	}
	return r
}
