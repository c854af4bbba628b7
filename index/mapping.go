package index

import (
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

// searchField is one analyzed field (AnalyzerText, with term vectors for
// phrases) and the boost of a hit in it. Group is the field's weight class
// (the PostgreSQL reference's A–D weights).
type searchField struct {
	Name  string
	Boost float64
	Group string
}

// Weight classes of the text fields.
const (
	groupPD   = "dc_pd"   // personal_data, sensitive_data
	groupMain = "dc_main" // activity, purpose, data_subjects
	groupMore = "dc_more" // the other fields of a register entry
	groupDoc  = "dc_doc"  // a document's title and text
)

// searchFields are the analyzed fields a free word is looked up in, with
// their boosts: a hit in personal_data outranks one in purpose, which
// outranks one in a document's text.
var searchFields = []searchField{
	{"personal_data", 8, groupPD},
	{"sensitive_data" + suffixText, 6, groupPD}, // derived categories: "personnummer", "hälsa"
	{"activity", 4, groupMain},
	{"purpose", 3, groupMain},
	{"data_subjects", 2, groupMain},
	{"recipients", 2, groupMore},
	{"sources", 2, groupMore},
	{"retention", 1.5, groupMore},
	{"legal_basis_text", 1.5, groupMore},
	{"legal_basis_ref", 1, groupMore},
	{"legal_basis" + suffixText, 1, groupMore},
	{"third_country", 1, groupMore},
	{"system", 1, groupMore},
	{"municipality" + suffixText, 1, groupMore},
	{"organ" + suffixText, 1, groupMore},
	{"title", 1, groupDoc},
	{"text", 0.2, groupDoc},
}

// fieldByName returns the search field of an index field name.
func fieldByName(name string) (searchField, bool) {
	for _, f := range searchFields {
		if f.Name == name {
			return f, true
		}
	}
	return searchField{}, false
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

// fieldFacet holds "key\x1fvalue" for every keyword value of a record except
// its file, with doc values: one field to visit per hit makes faceting
// several keys cost about as much as one. The file key is a filter only,
// not a facet (it has as many values as there are files).
const fieldFacet = "facet"

// facetSep separates key and value in fieldFacet terms.
const facetSep = "\x1f"

// FacetKeys are the keyword keys that can be counted as facets.
var FacetKeys = []string{KeyMunicipality, KeyOrgan, KeyLegalBasis, KeySensitiveData, KeyKind, KeyFormat, KeyQuality}

func isFacetKey(k string) bool {
	for _, f := range FacetKeys {
		if f == k {
			return true
		}
	}
	return false
}

// newMapping builds the index mapping.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	cfgs := analyzerConfigs()
	names := make([]string, 0, len(cfgs))
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

	text := func(analyzer string, vectors bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Type:               "text",
			Analyzer:           analyzer,
			Index:              true,
			IncludeTermVectors: vectors, // phrase queries
		}
	}
	for _, f := range searchFields {
		dm.AddFieldMappingsAt(f.Name, text(AnalyzerText, true))
	}
	keyword := func(analyzer string, docValues bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{
			Type:         "text",
			Analyzer:     analyzer,
			Index:        true,
			DocValues:    docValues,
			SkipFreqNorm: true, // filters, never scored
		}
	}
	for _, k := range keywordKeys {
		fm := keyword(AnalyzerFilter, false)
		// kind is scored: the empty query puts register entries first.
		fm.SkipFreqNorm = k != KeyKind
		dm.AddFieldMappingsAt(k+suffixFilter, fm)
	}
	dm.AddFieldMappingsAt(KeyFile, keyword(AnalyzerKeyword, false))
	dm.AddFieldMappingsAt(fieldFacet, keyword(AnalyzerKeyword, true))
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

// fieldValues returns the text of each search field of r, by index field
// name. Register entries and documents share the field names; a document's
// municipality and organ are not searched as text (they are filters), so
// that a document never outranks an entry through them.
func fieldValues(r *record.Record) map[string][]string {
	out := map[string][]string{}
	str := func(k, v string) {
		if strings.TrimSpace(v) != "" {
			out[k] = append(out[k], v)
		}
	}
	list := func(k string, v []string) {
		for _, s := range v {
			str(k, s)
		}
	}
	if r.Kind == record.KindDocument {
		str("title", r.Title)
		str("text", r.Text)
		return out
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
	str("municipality"+suffixText, r.Municipality)
	str("organ"+suffixText, r.Organ)
	list("legal_basis"+suffixText, r.LegalBasis)
	list("sensitive_data"+suffixText, r.SensitiveData)
	return out
}

// keywordValues returns the keyword values of r by key.
func keywordValues(r *record.Record) map[string][]string {
	var codes []string
	seen := map[string]bool{}
	for _, w := range r.Quality.Warnings {
		if w.Code != "" && !seen[w.Code] {
			seen[w.Code] = true
			codes = append(codes, w.Code)
		}
	}
	return map[string][]string{
		KeyMunicipality:  nonEmpty(r.Municipality),
		KeyOrgan:         nonEmpty(r.Organ),
		KeyLegalBasis:    r.LegalBasis,
		KeySensitiveData: r.SensitiveData,
		KeyKind:          nonEmpty(r.Kind),
		KeyFormat:        nonEmpty(r.Provenance.Format),
		KeyQuality:       codes,
		KeyFile:          nonEmpty(r.Provenance.File),
	}
}

// document turns a record into the flat document that is indexed.
func document(r *record.Record) (map[string]any, error) {
	src, err := encodeSource(r)
	if err != nil {
		return nil, err
	}
	d := map[string]any{fieldSource: src}
	fv := fieldValues(r)
	for _, f := range searchFields {
		vs := fv[f.Name]
		if len(vs) == 0 {
			continue
		}
		d[f.Name] = vs
	}
	kw := keywordValues(r)
	var facet []string
	for _, k := range keywordKeys {
		var vs []string
		for _, v := range kw[k] {
			if strings.TrimSpace(v) != "" {
				vs = append(vs, v)
			}
		}
		if len(vs) == 0 {
			continue
		}
		d[k+suffixFilter] = vs
		if k == KeyFile {
			d[KeyFile] = vs
			continue
		}
		for _, v := range vs {
			facet = append(facet, k+facetSep+v)
		}
	}
	if len(facet) > 0 {
		d[fieldFacet] = facet
	}
	return d, nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
