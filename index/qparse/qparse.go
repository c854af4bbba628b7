// Package qparse parses the search box's query string into clauses: free
// words, "quoted phrases", field:value and field:"phrase", and -exclusions.
//
// Parse never fails: input it cannot read as syntax is read literally. An
// unbalanced quote is part of the word it starts, a field: prefix whose name
// is not a known field stays part of the word, and a lone "-" is a word.
package qparse

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clause is one element of a query.
type Clause struct {
	Field   string // lower-case field name; "" = any field
	Text    string // the word or phrase, without quotes
	Phrase  bool   // the text was quoted
	Negated bool   // -word: documents that match are excluded
}

// isQuote reports whether r opens or closes a phrase: the ASCII quote and the
// typographic quotes of Swedish text (”…”, „…“).
func isQuote(r rune) bool {
	return r == '"' || r == '”' || r == '“' || r == '„'
}

// Hints, in English, that ParseHints gives for input it read literally.
const (
	HintUnbalancedQuote = "unbalanced quote: read as a plain character; close it to search a phrase"
	HintUnknownField    = "unknown field %q: %q searched as text"
)

// Parse splits input into clauses. isField reports whether a lower-case name
// may be used as field:value; when nil, no field syntax is recognized.
func Parse(input string, isField func(name string) bool) []Clause {
	cs, _ := ParseHints(input, isField)
	return cs
}

// ParseHints is Parse that also says what it read literally: an unbalanced
// quote, a field: prefix that names no field. Each hint is given once.
func ParseHints(input string, isField func(name string) bool) ([]Clause, []string) {
	var out []Clause
	var hints []string
	hint := func(h string) {
		for _, x := range hints {
			if x == h {
				return
			}
		}
		hints = append(hints, h)
	}
	s := input
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return out, hints
		}
		var c Clause
		rest := s
		// Negation: a leading '-' followed by something that is not space.
		if rest[0] == '-' && len(rest) > 1 {
			if r, _ := utf8.DecodeRuneInString(rest[1:]); !unicode.IsSpace(r) && r != '-' {
				c.Negated = true
				rest = rest[1:]
			}
		}
		// field:
		if name, after, ok := fieldPrefix(rest); ok && isField != nil && !isField(name) && strings.TrimSpace(after) != "" {
			end := strings.IndexFunc(rest, unicode.IsSpace)
			if end < 0 {
				end = len(rest)
			}
			hint(fmt.Sprintf(HintUnknownField, name, rest[:end]))
		} else if ok && isField != nil && isField(name) {
			if after != "" {
				if r, _ := utf8.DecodeRuneInString(after); !unicode.IsSpace(r) {
					c.Field = name
					rest = after
				}
			}
		}
		// "phrase"
		if r, size := utf8.DecodeRuneInString(rest); isQuote(r) {
			if end := indexQuote(rest[size:]); end >= 0 {
				c.Text = strings.TrimSpace(rest[size : size+end])
				c.Phrase = true
				_, qsize := utf8.DecodeRuneInString(rest[size+end:])
				s = rest[size+end+qsize:]
				if c.Text != "" {
					out = append(out, c)
				}
				continue
			}
			// Unbalanced quote: read literally as part of a word below.
			hint(HintUnbalancedQuote)
		}
		end := strings.IndexFunc(rest, unicode.IsSpace)
		if end < 0 {
			end = len(rest)
		}
		c.Text = rest[:end]
		s = rest[end:]
		if c.Text != "" {
			out = append(out, c)
		}
	}
}

// fieldPrefix splits "name:rest" where name is ASCII letters, digits, '_' or
// '.', starting with a letter. The name is returned lower-cased.
func fieldPrefix(s string) (name, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b == ':':
			if i == 0 {
				return "", "", false
			}
			return strings.ToLower(s[:i]), s[i+1:], true
		case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z':
		case i > 0 && (b >= '0' && b <= '9' || b == '_' || b == '.'):
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// indexQuote returns the byte index of the first quote rune in s, or -1.
func indexQuote(s string) int {
	return strings.IndexFunc(s, isQuote)
}

// String renders clauses back into query syntax; it is meant for logs and
// tests, and Parse(String(cs)) gives cs back for clauses Parse produced.
func String(cs []Clause) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(' ')
		}
		if c.Negated {
			b.WriteByte('-')
		}
		if c.Field != "" {
			b.WriteString(c.Field)
			b.WriteByte(':')
		}
		if c.Phrase {
			b.WriteByte('"')
			b.WriteString(c.Text)
			b.WriteByte('"')
		} else {
			b.WriteString(c.Text)
		}
	}
	return b.String()
}
