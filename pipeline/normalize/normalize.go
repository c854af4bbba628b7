// Package normalize turns an extractor's raw record into a contract record
// (pipeline/record): it trims field text, joins wrapped lines, splits list
// fields into items, maps the legal-basis text to the normalized article 6
// bases, derives the sensitive categories, and drops placeholders ("-",
// "Ej ifyllt", ...) so that a key the source does not really state is left
// out. The rules follow shared/domain.md §2 and the annotator's conventions
// in shared/seeds/gold/README.md.
//
// Every rule is a pure function of a field's text, so a Memo, kept per
// input file, does each distinct text's work once for all the rows of a
// register that repeat it; Record is the same without memory.
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
//
// A caller normalizing many records of one file should use a Memo's
// Record, which gives the same records and does each distinct text's work
// once.
func Record(raw extractors.RawRecord) record.Record {
	return (*Memo)(nil).record(raw)
}

// knownFields are the keys of fieldOrder.
var knownFields = setOf(fieldOrder...)

func (m *Memo) record(raw extractors.RawRecord) record.Record {
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

	for _, k := range fieldOrder {
		if text, ok := raw.Fields[k]; ok {
			m.setField(&r, k, text)
		}
	}
	var extra []string
	for k := range raw.Fields {
		if !knownFields[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		m.setField(&r, k, raw.Fields[k])
	}
	if r.LegalBasisText != "" && len(r.LegalBasis) == 0 {
		bases, ref, warns := m.LegalBasis(r.LegalBasisText)
		r.LegalBasis = bases
		if r.LegalBasisRef == "" {
			r.LegalBasisRef = ref
		}
		r.Quality.Warnings = append(r.Quality.Warnings, warns...)
	}
	m.Sensitive(&r)
	return r
}

// fieldKey is one raw field: its key and its text.
type fieldKey struct{ key, text string }

// fieldValue is what one raw field gives the record: the value to store
// and the Q2 warnings for the placeholders dropped on the way. It depends
// on the field's key and text alone, so a Memo keeps it per distinct pair.
type fieldValue struct {
	set      bool     // the field states something: store text or items
	text     string   // string fields, legal basis, text, Extra values
	items    []string // list fields
	extra    string   // the Extra key, for a key that maps to no contract key
	warnings []record.Warning
}

// setField stores one raw field's text in r.
func (m *Memo) setField(r *record.Record, key, text string) {
	var v fieldValue
	if m == nil {
		v = fieldOf(fieldKey{key, text})
	} else {
		v = m.fields.Get(fieldKey{key, text}, fieldOf)
	}
	r.Quality.Warnings = append(r.Quality.Warnings, v.warnings...)
	if !v.set {
		return
	}
	switch {
	case key == record.FieldLegalBasis || key == "legal_basis_text":
		r.LegalBasisText = v.text
		r.LegalBasis = nil // mapped once all fields are in
	case listFields[key] != nil:
		*listFields[key](r) = clone(v.items)
	case key == "text":
		r.Text = v.text
	case v.extra != "":
		if r.Extra == nil {
			r.Extra = map[string]string{}
		}
		r.Extra[v.extra] = v.text
	case stringFields[key] != nil:
		*stringFields[key](r) = v.text
	}
}

// fieldOf interprets one raw field's text.
func fieldOf(f fieldKey) fieldValue {
	key, text := f.key, f.text
	var v fieldValue
	switch {
	case key == record.FieldLegalBasis || key == "legal_basis_text":
		v.text, v.set = v.stringValue(record.FieldLegalBasis, text)
	case listFields[key] != nil:
		raw := strings.TrimSpace(spaceRun.ReplaceAllString(text, " "))
		if raw == "" {
			return v
		}
		parts := SplitList(text)
		if len(parts) == 0 || Placeholder(key, raw) {
			v.placeholder(key, raw) // "-", "•", "Ej ifyllt" as the whole cell
			return v
		}
		var dropped []string
		for _, it := range parts {
			if Placeholder(key, it) {
				dropped = append(dropped, it)
				continue
			}
			v.items = append(v.items, it)
		}
		for _, d := range dropped {
			v.placeholder(key, d)
		}
		v.set = len(v.items) > 0
	case key == "text":
		if t := strings.TrimSpace(text); t != "" {
			v.text, v.set = t, true
		}
	case strings.HasPrefix(key, ExtraPrefix):
		name := strings.Join(strings.Fields(strings.TrimPrefix(key, ExtraPrefix)), " ")
		t := keepLines(text)
		if name == "" || t == "" {
			return v
		}
		v.extra, v.text, v.set = name, t, true
	case stringFields[key] != nil:
		v.text, v.set = v.stringValue(key, text)
	default:
		t := JoinLines(text)
		if t == "" || Placeholder(key, t) {
			return v
		}
		v.extra, v.text, v.set = key, t, true
	}
	return v
}

// stringValue joins the lines of a string field's text. It reports false,
// after recording a Q2 warning, when the text is only a placeholder (a lone
// "-" or bullet included), and false without a warning when it is empty.
func (v *fieldValue) stringValue(field, text string) (string, bool) {
	raw := strings.TrimSpace(spaceRun.ReplaceAllString(text, " "))
	if raw == "" {
		return "", false
	}
	t := JoinLines(text)
	if t == "" || Placeholder(field, raw) || Placeholder(field, t) {
		v.placeholder(field, raw)
		return "", false
	}
	return t, true
}

// placeholder records a Q2 warning for a value dropped as a placeholder.
func (v *fieldValue) placeholder(field, value string) {
	v.warnings = append(v.warnings, record.Warning{
		Code: "Q2", Name: "placeholder", Severity: SeverityError, Field: field,
		Message: fmt.Sprintf("%s is only a placeholder: %s", field, quote(value)),
	})
}

// JoinLines joins the lines of a string field with single spaces: each line
// is trimmed and loses a leading bullet glyph or list dash, white space runs
// become one space, and empty lines are dropped. Punctuation is neither
// added nor removed.
func JoinLines(text string) string {
	text = lineEnds.Replace(text)
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

// lineEnds turns CRLF and CR line ends into LF.
var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// keepLines trims each line of text, collapses its white space and drops
// blank lines, keeping the line breaks between the others.
func keepLines(text string) string {
	text = lineEnds.Replace(text)
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
