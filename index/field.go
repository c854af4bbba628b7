package index

import (
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
	bdoc "github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// textField is a bleve text field, as document.NewTextFieldCustom makes it
// (no array positions: a list field's items are one value), whose analysis
// counts the term frequencies and collects the term vectors into a few
// slices per field value. bleve's analysis.TokenFrequency allocates three
// objects per token, which made it the largest allocation of indexing.
// The frequencies are the same: each term with its first occurrence's
// bytes, its count (unless SkipFreqNorm) and, with term vectors, the
// position and byte offsets of every occurrence in order.
//
// A field with terms instead of a value and an analyzer holds whole terms
// (the keyword values of a record, already analyzed), as if each were a
// value of the field analyzed by the "keyword" analyzer: one field
// instead of one a value.
type textField struct {
	name     string
	value    []byte
	options  bleveindex.FieldIndexingOptions
	analyzer analysis.Analyzer
	terms    [][]byte

	length int
	freqs  bleveindex.TokenFrequencies
}

var _ bdoc.Field = (*textField)(nil)

func (f *textField) Name() string                                          { return f.name }
func (f *textField) ArrayPositions() []uint64                              { return nil }
func (f *textField) Options() bleveindex.FieldIndexingOptions              { return f.options }
func (f *textField) Value() []byte                                         { return f.value }
func (f *textField) EncodedFieldType() byte                                { return 't' }
func (f *textField) AnalyzedLength() int                                   { return f.length }
func (f *textField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return f.freqs }

func (f *textField) NumPlainTextBytes() uint64 {
	n := len(f.value)
	for _, t := range f.terms {
		n += len(t)
	}
	return uint64(n)
}

func (f *textField) Size() int {
	n := int(unsafe.Sizeof(*f)) + len(f.name) + len(f.value)
	for _, t := range f.terms {
		n += len(t) + int(unsafe.Sizeof(t))
	}
	return n
}

func (f *textField) Analyze() {
	if f.analyzer == nil {
		tokens := make(analysis.TokenStream, len(f.terms))
		slab := make([]analysis.Token, len(f.terms))
		for i, t := range f.terms {
			slab[i] = analysis.Token{Term: t, End: len(t), Position: 1, Type: analysis.AlphaNumeric}
			tokens[i] = &slab[i]
		}
		f.length = len(tokens)
		f.freqs = tokenFrequencies(tokens, f.options)
		return
	}
	v := f.value
	if f.options.IsStored() {
		v = append([]byte(nil), v...) // filters may change the bytes in place
	}
	tokens := f.analyzer.Analyze(v)
	f.length = len(tokens)
	f.freqs = tokenFrequencies(tokens, f.options)
}

// tokenFrequencies is analysis.TokenFrequency without array positions.
func tokenFrequencies(tokens analysis.TokenStream, options bleveindex.FieldIndexingOptions) bleveindex.TokenFrequencies {
	rv := make(bleveindex.TokenFrequencies, len(tokens))
	if len(tokens) == 0 {
		return rv
	}
	freqs := make([]bleveindex.TokenFreq, 0, len(tokens))
	count := !options.SkipFreqNorm()
	// freqOf returns the term's entry, adding it on first sight; freqs has
	// room for every token, so the pointers stay valid.
	freqOf := func(term []byte) *bleveindex.TokenFreq {
		tf := rv[string(term)]
		if tf == nil {
			freqs = append(freqs, bleveindex.TokenFreq{Term: term})
			tf = &freqs[len(freqs)-1]
			rv[string(term)] = tf
		}
		return tf
	}
	if !options.IncludeTermVectors() {
		for _, tok := range tokens {
			tf := freqOf(tok.Term)
			if count {
				tf.SetFrequency(tf.Frequency() + 1)
			}
		}
		return rv
	}
	// Term vectors: count the occurrences of each term, give each term its
	// share of one slice of locations, then fill them in token order.
	for _, tok := range tokens {
		tf := freqOf(tok.Term)
		tf.SetFrequency(tf.Frequency() + 1)
	}
	locs := make([]bleveindex.TokenLocation, len(tokens))
	ptrs := make([]*bleveindex.TokenLocation, len(tokens))
	off := 0
	for i := range freqs {
		n := freqs[i].Frequency()
		freqs[i].Locations = ptrs[off : off : off+n]
		off += n
		if !count {
			freqs[i].SetFrequency(0)
		}
	}
	for i, tok := range tokens {
		l := &locs[i]
		l.Start, l.End, l.Position = tok.Start, tok.End, tok.Position
		tf := rv[string(tok.Term)]
		tf.Locations = append(tf.Locations, l)
	}
	return rv
}
