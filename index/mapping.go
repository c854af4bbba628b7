package index

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Index field names. Text fields carry the JSON key of the record field they
// come from; keyword fields are named after their filter key.
const (
	fieldSource = "record_json" // stored JSON copy of the whole record, not indexed

	// Suffixes of the twins of a keyword field.
	suffixFilter = "_f" // lower-cased, folded: used for filtering
	suffixText   = "_t" // analyzed text: found by free words
)

// searchField is one analyzed field and the boost of a hit in it.
type searchField struct {
	Name  string
	Boost float64
}

// searchFields are the analyzed fields a free word is looked up in, with
// their boosts: a hit in personal_data outranks one in purpose, which
// outranks one in a document's text.
var searchFields = []searchField{
	{"personal_data", 8},
	{"sensitive_data" + suffixText, 6}, // derived categories: "personnummer", "hälsa"
	{"activity", 4},
	{"purpose", 3},
	{"data_subjects", 2},
	{"recipients", 2},
	{"sources", 2},
	{"title", 2},
	{"retention", 1.5},
	{"legal_basis_text", 1.5},
	{"legal_basis_ref", 1},
	{"legal_basis" + suffixText, 1},
	{"third_country", 1},
	{"system", 1},
	{"municipality" + suffixText, 1},
	{"organ" + suffixText, 1},
	{"text", 0.5},
}

// textFieldNames are the analyzed fields a user may name in field:value
// (the record's JSON keys), mapped to their index field.
var textFieldNames = map[string]string{
	"activity":         "activity",
	"purpose":          "purpose",
	"data_subjects":    "data_subjects",
	"personal_data":    "personal_data",
	"legal_basis_text": "legal_basis_text",
	"legal_basis_ref":  "legal_basis_ref",
	"retention":        "retention",
	"recipients":       "recipients",
	"sources":          "sources",
	"third_country":    "third_country",
	"system":           "system",
	"title":            "title",
	"text":             "text",
}

// Keyword (filter and facet) keys. The index field of the same name holds
// the value as written, with doc values, for facets; key+"_f" holds it
// lower-cased and folded for filters.
const (
	KeyMunicipality  = "municipality"
	KeyOrgan         = "organ"
	KeyLegalBasis    = "legal_basis"
	KeySensitiveData = "sensitive_data"
	KeyKind          = "kind"
	KeyFormat        = "format"  // provenance.format
	KeyQuality       = "quality" // quality warning codes (Q1, Q3b, ...)
	KeyFile          = "file"    // provenance.file
)

// keywordKeys lists every keyword key; each is a valid filter and facet.
var keywordKeys = []string{
	KeyMunicipality, KeyOrgan, KeyLegalBasis, KeySensitiveData,
	KeyKind, KeyFormat, KeyQuality, KeyFile,
}

// DefaultFacets are counted when Query.Facets is empty.
var DefaultFacets = []string{KeyMunicipality, KeyOrgan, KeyLegalBasis, KeySensitiveData, KeyKind}

func isKeywordKey(k string) bool {
	for _, kk := range keywordKeys {
		if kk == k {
			return true
		}
	}
	return false
}

// textTwins are keyword keys also indexed as analyzed text.
var textTwins = []string{KeyMunicipality, KeyOrgan, KeyLegalBasis, KeySensitiveData}

// newMapping builds the index mapping.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	names := make([]string, 0, 2)
	cfgs := analyzerConfigs()
	for n := range cfgs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := im.AddCustomAnalyzer(n, cfgs[n]); err != nil {
			return nil, fmt.Errorf("index: analyzer %s: %w", n, err)
		}
	}
	im.DefaultAnalyzer = AnalyzerText
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	dm := mapping.NewDocumentMapping()
	dm.Dynamic = false

	text := func() *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Type:               "text",
			Analyzer:           AnalyzerText,
			Store:              true, // highlighting reads the stored value
			Index:              true,
			IncludeTermVectors: true, // highlighting and phrase queries
		}
	}
	for _, f := range searchFields {
		dm.AddFieldMappingsAt(f.Name, text())
	}
	for _, k := range keywordKeys {
		dm.AddFieldMappingsAt(k, &mapping.FieldMapping{
			Type:      "text",
			Analyzer:  AnalyzerKeyword,
			Index:     true,
			DocValues: true, // facets
		})
		dm.AddFieldMappingsAt(k+suffixFilter, &mapping.FieldMapping{
			Type:     "text",
			Analyzer: AnalyzerFilter,
			Index:    true,
		})
	}
	dm.AddFieldMappingsAt(fieldSource, &mapping.FieldMapping{
		Type:     "text",
		Analyzer: AnalyzerKeyword,
		Store:    true,
	})
	im.DefaultMapping = dm
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	return im, nil
}

// document turns a record into the flat document that is indexed.
func document(r *record.Record) (map[string]any, error) {
	src, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("index: record %s: encode: %w", r.ID, err)
	}
	d := map[string]any{fieldSource: string(src)}
	str := func(k, v string) {
		if strings.TrimSpace(v) != "" {
			d[k] = v
		}
	}
	list := func(k string, v []string) {
		var out []string
		for _, s := range v {
			if strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
		}
		if len(out) > 0 {
			d[k] = out
		}
	}
	str("activity", r.Activity)
	str("purpose", r.Purpose)
	list("data_subjects", r.DataSubjects)
	list("personal_data", r.PersonalData)
	str("legal_basis_text", r.LegalBasisText)
	str("legal_basis_ref", r.LegalBasisRef)
	str("retention", r.Retention)
	list("recipients", r.Recipients)
	list("sources", r.Sources)
	str("third_country", r.ThirdCountry)
	str("system", r.System)
	str("title", r.Title)
	str("text", r.Text)

	var codes []string
	seen := map[string]bool{}
	for _, w := range r.Quality.Warnings {
		if w.Code != "" && !seen[w.Code] {
			seen[w.Code] = true
			codes = append(codes, w.Code)
		}
	}
	kw := map[string][]string{
		KeyMunicipality:  nonEmpty(r.Municipality),
		KeyOrgan:         nonEmpty(r.Organ),
		KeyLegalBasis:    r.LegalBasis,
		KeySensitiveData: r.SensitiveData,
		KeyKind:          nonEmpty(r.Kind),
		KeyFormat:        nonEmpty(r.Provenance.Format),
		KeyQuality:       codes,
		KeyFile:          nonEmpty(r.Provenance.File),
	}
	for k, v := range kw {
		list(k, v)
		list(k+suffixFilter, v)
	}
	for _, k := range textTwins {
		list(k+suffixText, kw[k])
	}
	return d, nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
