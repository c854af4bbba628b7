package normalize

import (
	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/memoize"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Memo remembers the results of normalization's text functions for the
// records of one input file.
//
// Registers repeat their cells: a 100,000-row spreadsheet states "Elever",
// "Namn, personnummer" or "Myndighetsutövning och allmänt intresse" on
// thousands of rows, and splitting, folding, legal-basis mapping and the
// sensitive-term patterns (regular expressions, most of the cost of a
// record) are pure functions of the text. A Memo computes each of them once
// per distinct text and hands the result to every record that has the
// same text, so the records are exactly those Record would build; slices
// handed out are copies, never shared between records.
//
// A Memo serves one goroutine (the pipeline keeps one per file, used by the
// worker processing it). A nil *Memo is valid and remembers nothing. Its
// tables are bounded (pipeline/memoize).
type Memo struct {
	fields       memoize.Table[fieldKey, fieldValue]
	bases        memoize.Table[string, basisResult]
	statutes     memoize.Table[string, string]
	folds        memoize.Table[string, string]
	placeholders memoize.Table[fieldKey, bool]
	sensitive    memoize.Table[[4]string, []record.SensitiveHit]
	borderline   memoize.Table[borderKey, []record.SensitiveHit]
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{} }

// Record is the package's Record, with m's memory.
func (m *Memo) Record(raw extractors.RawRecord) record.Record {
	return m.record(raw)
}

type basisResult struct {
	bases    []string
	ref      string
	warnings []record.Warning
}

// LegalBasis is the package's LegalBasis, with m's memory.
func (m *Memo) LegalBasis(text string) (bases []string, ref string, warnings []record.Warning) {
	if m == nil {
		return LegalBasis(text)
	}
	b := m.bases.Get(text, func(text string) basisResult {
		var b basisResult
		b.bases, b.ref, b.warnings = LegalBasis(text)
		return b
	})
	return clone(b.bases), b.ref, clone(b.warnings)
}

// StatuteRef is the package's StatuteRef, with m's memory.
func (m *Memo) StatuteRef(text string) string {
	if m == nil {
		return StatuteRef(text)
	}
	return m.statutes.Get(text, StatuteRef)
}

// Fold is the package's Fold, with m's memory.
func (m *Memo) Fold(s string) string {
	if m == nil {
		return Fold(s)
	}
	return m.folds.Get(s, Fold)
}

// Placeholder is the package's Placeholder, with m's memory.
func (m *Memo) Placeholder(field, text string) bool {
	if m == nil {
		return Placeholder(field, text)
	}
	return m.placeholders.Get(fieldKey{field, text}, placeholderOf)
}

func placeholderOf(f fieldKey) bool { return Placeholder(f.key, f.text) }

// sensitiveHits is sensitiveHits, with m's memory.
func (m *Memo) sensitiveHits(texts [4]string) []record.SensitiveHit {
	if m == nil {
		return sensitiveHits(texts)
	}
	return m.sensitive.Get(texts, sensitiveHits)
}

// Sensitive is the package's Sensitive, with m's memory.
func (m *Memo) Sensitive(r *record.Record) {
	setSensitive(r, m.sensitiveHits(sensitiveTexts(r)))
}

type borderKey struct {
	texts [3]string
	have  string // the derived categories, NUL-joined
}

// Borderline is the package's Borderline, with m's memory.
func (m *Memo) Borderline(r *record.Record) []record.SensitiveHit {
	k := borderlineKey(r)
	if m == nil {
		return borderline(k)
	}
	return clone(m.borderline.Get(k, borderline))
}

// clone copies s, keeping nil nil.
func clone[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
