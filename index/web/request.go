package web

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/index"
)

// FilterKeys are the index keys read from URL parameters as filters
// (index.Query.Filters), in the order the page shows their facets. The
// parameter has the key's name except format (see param). Each may repeat;
// values of one key are OR'ed, keys AND'ed.
var FilterKeys = []string{
	index.KeyMunicipality, index.KeyOrgan, index.KeyLegalBasis, index.KeySensitiveData,
	index.KeyKind, index.KeyQuality, index.KeyFormat, index.KeyFile,
}

// paramOf maps an index key to its URL parameter where the two differ:
// "format" is the export's file type, so the input format filter is
// "file_format".
var paramOf = map[string]string{index.KeyFormat: "file_format"}

// param is the URL parameter of filter key k.
func param(k string) string {
	if p, ok := paramOf[k]; ok {
		return p
	}
	return k
}

// PageFacets are the facets the search page and /api/facets count.
var PageFacets = []string{
	index.KeyMunicipality, index.KeyOrgan, index.KeyLegalBasis, index.KeySensitiveData,
	index.KeyKind, index.KeyQuality, index.KeyFormat,
}

// Limits on filter parameters.
const (
	maxFilterValues = 20
	maxFilterRunes  = 300
)

// request is a search as read from URL parameters, cleaned so that any
// input gives a valid query.
type request struct {
	Text    string
	Filters map[string][]string
	From    int
	Size    int
	Hints   []string // what was changed or read literally, for the user
}

// parseRequest reads q, the FilterKeys, from and size. It never fails: bad
// numbers take their default, text is made valid UTF-8 without control
// characters and shortened to MaxQueryRunes.
func parseRequest(v url.Values, defSize int) request {
	r := request{Filters: map[string][]string{}, Size: defSize}
	text, cut := cleanText(v.Get("q"), MaxQueryRunes)
	r.Text = strings.TrimSpace(text)
	if cut {
		r.Hints = append(r.Hints, "The query was shortened to its first "+strconv.Itoa(MaxQueryRunes)+" characters.")
	}
	for _, k := range FilterKeys {
		seen := map[string]bool{}
		for _, val := range v[param(k)] {
			val, _ = cleanText(val, maxFilterRunes)
			val = strings.TrimSpace(val)
			if val == "" || seen[val] || len(r.Filters[k]) >= maxFilterValues {
				continue
			}
			seen[val] = true
			r.Filters[k] = append(r.Filters[k], val)
		}
	}
	r.From = clampInt(v.Get("from"), 0, 0, MaxFrom)
	r.Size = clampInt(v.Get("size"), defSize, 1, MaxPageSize)
	return r
}

// clampInt parses s, giving def when it is not a number and keeping the
// result within [lo, hi].
func clampInt(s string, def, lo, hi int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		n = def
	}
	return max(lo, min(n, hi))
}

// cleanText makes s valid UTF-8, turns control characters into spaces and
// keeps at most n runes; cut reports whether runes were dropped.
func cleanText(s string, n int) (out string, cut bool) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	count := 0
	for _, c := range s {
		if count == n {
			return b.String(), true
		}
		if unicode.IsControl(c) {
			c = ' '
		}
		b.WriteRune(c)
		count++
	}
	return b.String(), false
}

// query returns the index query of r.
func (r request) query(highlight bool) index.Query {
	q := index.Query{Text: r.Text, From: r.From, Size: r.Size, Highlight: highlight, Facets: PageFacets}
	if len(r.Filters) > 0 {
		q.Filters = map[string][]string{}
		for k, vs := range r.Filters {
			q.Filters[k] = append([]string(nil), vs...)
		}
	}
	return q
}

// values encodes r as URL parameters (without from when it is 0).
func (r request) values() url.Values {
	v := url.Values{}
	if r.Text != "" {
		v.Set("q", r.Text)
	}
	for _, k := range FilterKeys {
		for _, val := range r.Filters[k] {
			v.Add(param(k), val)
		}
	}
	if r.From > 0 {
		v.Set("from", strconv.Itoa(r.From))
	}
	return v
}

// has reports whether filter key k holds value.
func (r request) has(k, value string) bool {
	for _, v := range r.Filters[k] {
		if v == value {
			return true
		}
	}
	return false
}

// toggle returns a copy of r with value added to or removed from filter k,
// back on the first page.
func (r request) toggle(k, value string) request {
	c := r
	c.From = 0
	c.Filters = map[string][]string{}
	for kk, vs := range r.Filters {
		c.Filters[kk] = append([]string(nil), vs...)
	}
	if r.has(k, value) {
		var keep []string
		for _, v := range c.Filters[k] {
			if v != value {
				keep = append(keep, v)
			}
		}
		if len(keep) == 0 {
			delete(c.Filters, k)
		} else {
			c.Filters[k] = keep
		}
	} else {
		c.Filters[k] = append(c.Filters[k], value)
	}
	return c
}

// href is the search page URL of r.
func (r request) href() string {
	if e := r.values().Encode(); e != "" {
		return "/?" + e
	}
	return "/"
}

// hints returns the notes for the user about r and its result: what the
// server changed (a shortened query) and what the index read literally or
// left out (index.Result.Hints: an unbalanced quote, an unknown field).
func hints(r request, res *index.Result) []string {
	out := append([]string(nil), r.Hints...)
	if res != nil {
		out = append(out, res.Hints...)
	}
	return out
}
