// Package record defines the register record: the output contract of
// registerlyft (one JSON object per processing activity or document, written
// as JSON Lines). The keys and their meaning follow shared/record-format.md;
// new keys may be added, existing ones never change meaning.
//
// A key whose value the source does not state is left out of the JSON:
// every field here is omitempty, and normalization never stores "", "-" or a
// copied placeholder.
package record

// Kinds of record.
const (
	KindActivity = "activity" // one register entry (behandlingsaktivitet)
	KindDocument = "document" // a whole document: tjänsteskrivelse, information page
)

// Record is one register entry or one document.
type Record struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	Municipality string `json:"municipality,omitempty"`
	Organ        string `json:"organ,omitempty"`

	Activity         string `json:"activity,omitempty"`
	ActivityInferred bool   `json:"activity_inferred,omitempty"`
	Purpose          string `json:"purpose,omitempty"`

	DataSubjects  []string `json:"data_subjects,omitempty"`
	PersonalData  []string `json:"personal_data,omitempty"`
	SensitiveData []string `json:"sensitive_data,omitempty"`

	LegalBasis     []string `json:"legal_basis,omitempty"`
	LegalBasisText string   `json:"legal_basis_text,omitempty"`
	LegalBasisRef  string   `json:"legal_basis_ref,omitempty"`

	Retention          string   `json:"retention,omitempty"`
	Recipients         []string `json:"recipients,omitempty"`
	Sources            []string `json:"sources,omitempty"`
	ThirdCountry       string   `json:"third_country,omitempty"`
	AutomatedDecisions string   `json:"automated_decisions,omitempty"`
	System             string   `json:"system,omitempty"`
	SecurityMeasures   string   `json:"security_measures,omitempty"`

	// Document records.
	Title            string            `json:"title,omitempty"`
	Date             string            `json:"date,omitempty"` // YYYY-MM-DD
	DocumentType     string            `json:"document_type,omitempty"`
	Administration   string            `json:"administration,omitempty"`
	OrgNumber        string            `json:"org_number,omitempty"`
	PostalAddress    string            `json:"postal_address,omitempty"`
	Phone            string            `json:"phone,omitempty"`
	DPOContact       string            `json:"dpo_contact,omitempty"`
	ProposedDecision string            `json:"proposed_decision,omitempty"`
	DecisionSentTo   string            `json:"decision_sent_to,omitempty"`
	Sections         []Section         `json:"sections,omitempty"`
	Text             string            `json:"text,omitempty"`
	Extra            map[string]string `json:"extra,omitempty"` // source columns that map to no contract key

	// Report memos (a tjänsteskrivelse reporting personuppgiftsincidenter,
	// personal-data breaches): how many incidents it reports and the period
	// the report covers.
	IncidentsReported int     `json:"incidents_reported,omitempty"`
	ReportPeriod      *Period `json:"report_period,omitempty"`

	// Sensitive categories with where they were found (field name), so a hit
	// in the purpose can be weighted lower than one in personal_data.
	SensitiveFound []SensitiveHit `json:"sensitive_found,omitempty"`

	Provenance Provenance `json:"provenance"`
	Fixes      []Fix      `json:"fixes,omitempty"`
	Quality    Quality    `json:"quality"`
}

// Section is one headed part of a document record (Sammanfattning, Ärendet, ...).
type Section struct {
	Heading string `json:"heading"`
	Text    string `json:"text"`
	Line    int    `json:"line,omitempty"`
}

// SensitiveHit records one derived sensitive category and the field it came from.
type SensitiveHit struct {
	Category string `json:"category"`
	Field    string `json:"field"`
	Term     string `json:"term"`
}

// Provenance ties a record back to its source.
type Provenance struct {
	File       string  `json:"file"`   // path relative to the ingest root, with forward slashes
	SHA256     string  `json:"sha256"` // of the file's bytes
	Format     string  `json:"format"` // pdf, scan, csv, xlsx, html, docx, txt
	Page       int     `json:"page,omitempty"`
	Line       int     `json:"line,omitempty"`     // first line, 1-based, in the extracted text
	EndLine    int     `json:"end_line,omitempty"` // last line, 1-based
	Extractor  string  `json:"extractor"`
	Confidence float64 `json:"confidence"`
	// ActivityInferred is true when the activity name was not a heading of
	// the source but derived (e.g. from the purpose).
	ActivityInferred bool   `json:"activity_inferred,omitempty"`
	Source           string `json:"source,omitempty"` // text layer, ocr, ... where a format has several
	Encoding         string `json:"encoding,omitempty"`
}

// Fix is one repair made to the record's text.
type Fix struct {
	From       string  `json:"from"`
	To         string  `json:"to"`
	Kind       string  `json:"kind"` // mojibake, ocr, hyphenation, encoding
	Confidence float64 `json:"confidence"`
	Line       int     `json:"line,omitempty"`
	Applied    *bool   `json:"applied,omitempty"` // false: below threshold, reported only
}

// Quality holds the defects found by the quality stage.
type Quality struct {
	Missing  []string  `json:"missing,omitempty"`
	None     []string  `json:"stated_none,omitempty"` // keys stated as none ("Nej", "Inga")
	Warnings []Warning `json:"warnings,omitempty"`
}

// Warning is one quality defect (Q1–Q16 of shared/domain.md §3).
type Warning struct {
	Code     string `json:"code"`     // Q1, Q2, Q3, Q3b, ...
	Name     string `json:"name"`     // missing_field, placeholder, ...
	Severity string `json:"severity"` // error, warning, info
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
}

// Field names used in quality, provenance and extraction, equal to the JSON keys.
const (
	FieldMunicipality       = "municipality"
	FieldOrgan              = "organ"
	FieldActivity           = "activity"
	FieldPurpose            = "purpose"
	FieldDataSubjects       = "data_subjects"
	FieldPersonalData       = "personal_data"
	FieldLegalBasis         = "legal_basis"
	FieldRetention          = "retention"
	FieldRecipients         = "recipients"
	FieldSources            = "sources"
	FieldThirdCountry       = "third_country"
	FieldAutomatedDecisions = "automated_decisions"
	FieldSystem             = "system"
	FieldSecurityMeasures   = "security_measures"
)

// Period is a span of dates, both ends inclusive, as YYYY-MM-DD.
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}
