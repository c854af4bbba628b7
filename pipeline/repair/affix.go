package repair

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// This file reads the parts of the Hunspell .aff/.dic format that the repair
// lexicon needs: suffix rules (SFX) with their conditions and continuation
// flags, and the compound flags (COMPOUNDBEGIN, COMPOUNDMIDDLE, COMPOUNDEND,
// ONLYINCOMPOUND, NEEDAFFIX, FORBIDDENWORD). Prefix rules, COMPOUNDRULE
// (numerals in sv_SE), REP/MAP tables and morphology fields are not used.
// Flags are single characters (the default FLAG format with SET UTF-8), which
// is what sv_SE uses; other FLAG formats are rejected with an error.

// affixFile holds the rules read from a .aff file.
type affixFile struct {
	bit map[rune]uint64 // flag character → bit; assigned on first sight

	needAffix, onlyInCompound, forbidden uint64
	begin, middle, end                   uint64

	suffixes map[rune][]suffixRule // by flag
	prefixes int                   // number of PFX rules seen (ignored)
}

// suffixRule is one SFX line: strip `strip` from the end of a root whose end
// matches cond, then add `add`; the new form carries the continuation flags.
type suffixRule struct {
	strip, add string
	cond       condition
	cont       uint64
}

// condition is a Hunspell affix condition: a sequence of character classes
// that must match the end of the root.
type condition []charClass

type charClass struct {
	any    bool
	negate bool
	set    string
}

func (c charClass) match(r rune) bool {
	if c.any {
		return true
	}
	in := strings.ContainsRune(c.set, r)
	return in != c.negate
}

// parseCondition parses "[^aeiou]el", "." or "a".
func parseCondition(s string) (condition, error) {
	if s == "." || s == "" {
		return nil, nil
	}
	var c condition
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			c = append(c, charClass{any: true})
			i++
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("unclosed [ in condition %q", s)
			}
			body := s[i+1 : i+j]
			cc := charClass{}
			if strings.HasPrefix(body, "^") {
				cc.negate = true
				body = body[1:]
			}
			cc.set = body
			c = append(c, cc)
			i += j + 1
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			c = append(c, charClass{set: string(r)})
			i += n
		}
	}
	return c, nil
}

// matchEnd reports whether the condition matches the end of word.
func (c condition) matchEnd(word string) bool {
	if len(c) == 0 {
		return true
	}
	k := len(c) - 1
	for i := len(word); i > 0 && k >= 0; {
		r, n := utf8.DecodeLastRuneInString(word[:i])
		if !c[k].match(r) {
			return false
		}
		i -= n
		k--
	}
	return k < 0
}

func (a *affixFile) flag(r rune) uint64 {
	if b, ok := a.bit[r]; ok {
		return b
	}
	if len(a.bit) >= 64 {
		return 0 // more than 64 distinct flags: the rest are ignored
	}
	b := uint64(1) << uint(len(a.bit))
	a.bit[r] = b
	return b
}

func (a *affixFile) flags(s string) uint64 {
	var m uint64
	for _, r := range s {
		m |= a.flag(r)
	}
	return m
}

// parseAffix reads a Hunspell .aff file.
func parseAffix(r io.Reader) (*affixFile, error) {
	a := &affixFile{bit: map[rune]uint64{}, suffixes: map[rune][]suffixRule{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		oneFlag := func() (uint64, error) {
			if len(f) < 2 || utf8.RuneCountInString(f[1]) != 1 {
				return 0, fmt.Errorf("aff line %d: %s needs one flag character", line, f[0])
			}
			r, _ := utf8.DecodeRuneInString(f[1])
			return a.flag(r), nil
		}
		var err error
		switch f[0] {
		case "SET":
			if len(f) > 1 && !strings.EqualFold(f[1], "UTF-8") {
				return nil, fmt.Errorf("aff line %d: encoding %s not supported (only UTF-8)", line, f[1])
			}
		case "FLAG":
			return nil, fmt.Errorf("aff line %d: FLAG %v not supported (only single-character flags)", line, f[1:])
		case "NEEDAFFIX":
			a.needAffix, err = oneFlag()
		case "ONLYINCOMPOUND":
			a.onlyInCompound, err = oneFlag()
		case "FORBIDDENWORD":
			a.forbidden, err = oneFlag()
		case "COMPOUNDBEGIN":
			a.begin, err = oneFlag()
		case "COMPOUNDMIDDLE":
			a.middle, err = oneFlag()
		case "COMPOUNDEND":
			a.end, err = oneFlag()
		case "PFX":
			a.prefixes++
		case "SFX":
			// Header: SFX flag Y|N count. Rule: SFX flag strip add[/cont] cond.
			if len(f) < 4 {
				return nil, fmt.Errorf("aff line %d: short SFX line", line)
			}
			if len(f) == 4 && (f[2] == "Y" || f[2] == "N") {
				continue // header
			}
			fr, n := utf8.DecodeRuneInString(f[1])
			if n != len(f[1]) {
				return nil, fmt.Errorf("aff line %d: SFX flag %q is not one character", line, f[1])
			}
			a.flag(fr)
			rule := suffixRule{strip: f[2], add: f[3]}
			if rule.strip == "0" {
				rule.strip = ""
			}
			if i := strings.IndexByte(rule.add, '/'); i >= 0 {
				rule.cont = a.flags(rule.add[i+1:])
				rule.add = rule.add[:i]
			}
			if rule.add == "0" {
				rule.add = ""
			}
			cond := "."
			if len(f) >= 5 {
				cond = f[4]
			}
			if rule.cond, err = parseCondition(cond); err != nil {
				return nil, fmt.Errorf("aff line %d: %w", line, err)
			}
			a.suffixes[fr] = append(a.suffixes[fr], rule)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading aff: %w", err)
	}
	return a, nil
}

// expandDic reads a .dic file and calls emit for every word form it yields:
// each root, and each root with each of its suffix rules applied, with the
// lexicon information (standalone word, compound begin/middle/end) of that
// form.
func expandDic(r io.Reader, a *affixFile, emit func(form string, in info)) (roots int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	first := true
	for sc.Scan() {
		ln := sc.Text()
		if first {
			first = false
			if _, err := fmt.Sscanf(strings.TrimSpace(ln), "%d", new(int)); err == nil {
				continue // the count line
			}
		}
		if i := strings.IndexAny(ln, "\t "); i >= 0 {
			ln = ln[:i] // morphological fields
		}
		if ln == "" {
			continue
		}
		word, fl := ln, ""
		if i := strings.IndexByte(ln[1:], '/'); i >= 0 {
			word, fl = ln[:i+1], ln[i+2:]
		}
		roots++
		var m uint64
		var sfx []rune
		for _, c := range fl {
			m |= a.flag(c)
			if _, ok := a.suffixes[c]; ok {
				sfx = append(sfx, c)
			}
		}
		if m&a.forbidden != 0 {
			emit(word, infoForbidden)
			continue
		}
		var bare info
		if m&(a.needAffix|a.onlyInCompound) == 0 {
			bare |= infoWord
		}
		if m&a.begin != 0 {
			bare |= infoBegin
		}
		if m&a.middle != 0 {
			bare |= infoMiddle
		}
		if m&a.end != 0 {
			bare |= infoEnd
		}
		if bare != 0 {
			emit(word, bare)
		}
		for _, c := range sfx {
			for _, rule := range a.suffixes[c] {
				if !strings.HasSuffix(word, rule.strip) || !rule.cond.matchEnd(word) {
					continue
				}
				form := word[:len(word)-len(rule.strip)] + rule.add
				if form == "" {
					continue
				}
				var in info
				if rule.cont&a.onlyInCompound == 0 {
					in |= infoWord
					if m&a.end != 0 {
						in |= infoEnd
					}
				}
				if rule.cont&a.begin != 0 {
					in |= infoBegin
				}
				if rule.cont&a.middle != 0 {
					in |= infoMiddle
				}
				if in != 0 {
					emit(form, in)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return roots, fmt.Errorf("reading dic: %w", err)
	}
	return roots, nil
}
