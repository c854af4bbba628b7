package index

import (
	"fmt"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Index field names. Text fields carry the JSON key of the record field they
// come from; keyword fields are named after their filter key.
const (
	fieldSource = "record_json" // stored JSON copy of the whole record, not indexed

	// Suffixes of the twins of a keyword field.
	suffixFilter = "_f" // lower-cased, folded: the kind's scored filter field
	suffixText   = "_t" // analyzed text: found by free words
)

// MappingVersion identifies the layout of the index (fields, analyzers,
// how values are indexed). It is stored in the index when it is created;
// Open refuses an index of another version, which must be ingested again.
//
//	1 (no version stored): one value per list item, an "_all" field, a
//	  filter field per keyword key ("<key>_f")
//	2: list items in one value (TokenizerItems), no "_all" field, one
//	  "filter" field for all keys but kind
//	3: no marked decompounded part that stems like the word itself
const MappingVersion = "3"

// versionKey is the internal (bleve SetInternal) key of MappingVersion.
const versionKey = "registerlyft.mapping_version"

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

// Keyword (filter and facet) keys. Their values are indexed as whole terms
// in three fields: fieldFilter ("key\x1fvalue", lower-cased and folded, for
// filters), fieldFacet ("key\x1fvalue" as written, with doc values, for
// facets) and, for kind only, kind+"_f" (scored: the empty query puts
// register entries first). The file is also kept as written in the field
// "file" (DeleteFile), and is not a facet.
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

// fieldFilter holds "key\x1f" + the value analyzed by AnalyzerFilter
// (lower-cased, folded) for every keyword value of a record but its kind:
// one field for the filters of every key, instead of one field a key,
// which cost a sixth of the time of indexing a record.
const fieldFilter = "filter"

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
	// kind is scored: the empty query puts register entries first.
	kind := keyword(AnalyzerFilter, false)
	kind.SkipFreqNorm = false
	dm.AddFieldMappingsAt(KeyKind+suffixFilter, kind)
	// The filter terms are analyzed by AnalyzerFilter value by value before
	// the key is put in front (see document).
	dm.AddFieldMappingsAt(fieldFilter, keyword(AnalyzerKeyword, false))
	dm.AddFieldMappingsAt(KeyFile, keyword(AnalyzerKeyword, false))
	dm.AddFieldMappingsAt(fieldFacet, keyword(AnalyzerKeyword, true))
	dm.AddFieldMappingsAt(fieldSource, &mapping.FieldMapping{
		Type:     "text",
		Analyzer: AnalyzerKeyword,
		Store:    true,
	})
	// No "_all" field: every query names its fields.
	dm.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
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

// fieldSpec is how one index field is indexed: its options and analyzer,
// as the index's mapping declares them.
type fieldSpec struct {
	options  bleveindex.FieldIndexingOptions
	analyzer analysis.Analyzer
}

// docMaker turns records into bleve documents. It does what the mapping's
// MapDocument does with the flat map of a record's fields, with the
// options and analyzers the mapping gives each field, without walking a
// map by reflection.
type docMaker struct {
	specs  map[string]fieldSpec
	filter analysis.Analyzer // AnalyzerFilter, for the terms of fieldFilter
}

// newDocMaker reads the field specs of every field of the index from m.
func newDocMaker(m mapping.IndexMapping) (*docMaker, error) {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok || im.DefaultMapping == nil {
		return nil, fmt.Errorf("index: mapping of type %T", m)
	}
	names := []string{fieldSource, KeyFile, fieldFacet, fieldFilter, KeyKind + suffixFilter}
	for _, f := range searchFields {
		names = append(names, f.Name)
	}
	dm := &docMaker{specs: map[string]fieldSpec{}, filter: im.AnalyzerNamed(AnalyzerFilter)}
	if dm.filter == nil {
		return nil, fmt.Errorf("index: analyzer %s missing from the mapping", AnalyzerFilter)
	}
	for _, n := range names {
		p := im.DefaultMapping.Properties[n]
		if p == nil || len(p.Fields) != 1 {
			return nil, fmt.Errorf("index: field %s missing from the mapping", n)
		}
		fm := p.Fields[0]
		name := fm.Analyzer
		if name == "" {
			name = im.DefaultAnalyzer
		}
		a := im.AnalyzerNamed(name)
		if a == nil {
			return nil, fmt.Errorf("index: field %s: analyzer %s missing from the mapping", n, name)
		}
		dm.specs[n] = fieldSpec{options: fm.Options(), analyzer: a}
	}
	return dm, nil
}

// document turns a record into the document that is indexed: the stored
// JSON copy, the text fields (a list field's items joined by ItemSep), the
// filter and facet terms of the keyword values, its kind and its file.
func (dm *docMaker) document(r *record.Record) (*bdoc.Document, error) {
	src, err := encodeSource(r)
	if err != nil {
		return nil, err
	}
	doc := bdoc.NewDocument(r.ID)
	add := func(name, v string) {
		s := dm.specs[name]
		doc.AddField(&textField{name: name, value: []byte(v), options: s.options, analyzer: s.analyzer})
	}
	add(fieldSource, src)
	fv := fieldValues(r)
	for _, f := range searchFields {
		if vs := fv[f.Name]; len(vs) > 0 {
			add(f.Name, joinItems(vs))
		}
	}
	kw := keywordValues(r)
	var filter, facet [][]byte
	for _, k := range keywordKeys {
		for _, v := range kw[k] {
			if strings.TrimSpace(v) == "" {
				continue
			}
			switch k {
			case KeyKind:
				add(KeyKind+suffixFilter, v)
			case KeyFile:
				add(KeyFile, v)
			}
			if k != KeyKind {
				filter = dm.filterTerms(filter, k, v)
			}
			if k != KeyFile {
				facet = append(facet, []byte(k+facetSep+v))
			}
		}
	}
	for _, f := range []struct {
		name  string
		terms [][]byte
	}{{fieldFilter, filter}, {fieldFacet, facet}} {
		if len(f.terms) > 0 {
			doc.AddField(&textField{name: f.name, options: dm.specs[f.name].options, terms: f.terms})
		}
	}
	doc.SetIndexed()
	return doc, nil
}

// filterTerms appends the fieldFilter term of value v of key k: k, facetSep
// and the token AnalyzerFilter makes of v (none for a value of no token).
func (dm *docMaker) filterTerms(terms [][]byte, k, v string) [][]byte {
	for _, tok := range dm.filter.Analyze([]byte(v)) {
		t := make([]byte, 0, len(k)+len(facetSep)+len(tok.Term))
		terms = append(terms, append(append(append(t, k...), facetSep...), tok.Term...))
	}
	return terms
}

// joinItems makes one value of the items of a list field, separated by
// ItemSep (see TokenizerItems).
func joinItems(vs []string) string {
	if len(vs) == 1 && !strings.Contains(vs[0], ItemSep) {
		return vs[0]
	}
	n := len(vs)
	for _, v := range vs {
		n += len(v)
	}
	var b strings.Builder
	b.Grow(n)
	for i, v := range vs {
		if i > 0 {
			b.WriteString(ItemSep)
		}
		if strings.Contains(v, ItemSep) {
			v = strings.ReplaceAll(v, ItemSep, " ")
		}
		b.WriteString(v)
	}
	return b.String()
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
