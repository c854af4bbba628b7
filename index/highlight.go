package index

import (
	"html"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/registerlyft/registerlyft/pipeline/record"
)

// The highlighter marks matches in a hit's stored record rather than in
// stored copies of the index fields, so the index stores each text once (as
// record_json) and another backend can reuse it unchanged. It analyzes the
// record's fields with the index's analyzers and marks the tokens that the
// query's tiers match; the analyzers keep byte offsets into the original
// text (folding changes terms only, decompounded parts carry the offsets of
// the whole compound).

// Fragment sizes in bytes.
const (
	fragmentWhole  = 300 // a field value up to this long is shown whole
	fragmentBefore = 80  // context before the first match of a longer value
	fragmentLen    = 300 // length of the fragment of a longer value
	maxFragments   = 3   // fragments per field
)

// highlighter marks the matches of one query.
type highlighter struct {
	analyzer analysis.Analyzer // AnalyzerText
	m        *matcher
}

// span is a byte range of a field value.
type span struct{ start, end int }

// fragments returns the highlighted fragments of r by record field (JSON
// key), only for fields with a match.
func (h *highlighter) fragments(r *record.Record) map[string][]string {
	var out map[string][]string
	for name, values := range fieldValues(r) {
		key := strings.TrimSuffix(name, suffixText)
		for _, v := range values {
			spans := h.spans(name, v)
			if len(spans) == 0 {
				continue
			}
			if out == nil {
				out = map[string][]string{}
			}
			if len(out[key]) < maxFragments {
				out[key] = append(out[key], fragment(v, spans))
			}
		}
	}
	return out
}

// spans returns the sorted, merged byte ranges of v that the query matches
// in index field name.
func (h *highlighter) spans(name, v string) []span {
	var sp []span
	all, field := h.m.terms[""], h.m.terms[name]
	for _, t := range h.analyzer.Analyze([]byte(v)) {
		if all[string(t.Term)] || field[string(t.Term)] {
			sp = append(sp, span{t.Start, t.End})
		}
	}
	if len(sp) == 0 {
		return nil
	}
	sort.Slice(sp, func(i, j int) bool { return sp[i].start < sp[j].start })
	merged := sp[:1]
	for _, s := range sp[1:] {
		last := &merged[len(merged)-1]
		if s.start <= last.end {
			last.end = max(last.end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// fragment renders v with spans in <mark>, everything else HTML-escaped; a
// long value is cut around its first match, with "…" where it was cut.
func fragment(v string, spans []span) string {
	lo, hi := 0, len(v)
	if len(v) > fragmentWhole {
		lo = max(0, spans[0].start-fragmentBefore)
		hi = min(len(v), lo+fragmentLen)
		for lo > 0 && !utf8.RuneStart(v[lo]) {
			lo--
		}
		for hi < len(v) && !utf8.RuneStart(v[hi]) {
			hi++
		}
	}
	var b strings.Builder
	if lo > 0 {
		b.WriteString("…")
	}
	pos := lo
	for _, s := range spans {
		if s.end <= lo || s.start >= hi {
			continue
		}
		start, end := max(s.start, pos), min(s.end, hi)
		b.WriteString(html.EscapeString(v[pos:start]))
		b.WriteString(markOpen)
		b.WriteString(html.EscapeString(v[start:end]))
		b.WriteString(markClose)
		pos = end
	}
	b.WriteString(html.EscapeString(v[pos:hi]))
	if hi < len(v) {
		b.WriteString("…")
	}
	return b.String()
}

// withinEdits reports whether the Levenshtein distance of a and b is at
// most k (runes).
func withinEdits(a, b string, k int) bool {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > k || -d > k {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
			best = min(best, cur[j])
		}
		if best > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= k
}
