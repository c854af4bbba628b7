package notice

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// lineKind classifies one physical line.
type lineKind int

const (
	kBlank    lineKind = iota
	kLabel             // a field label, maybe with its value
	kSubLabel          // "Internt:" / "Externt:" inside recipients
	kUnknown           // "Other label: text" that maps to no key
	kText              // anything else, items included
)

type cline struct {
	n       int // Doc line number
	page    int
	text    string // trimmed
	kind    lineKind
	key     string // kLabel
	value   string // kLabel, kSubLabel: text after the label
	intern  bool   // kSubLabel: the internal group
	item    bool   // a bullet or dash item (glyph stripped into itemText)
	heading bool   // a heading line (set by markHeadings)
}

var bulletRe = regexp.MustCompile(`^(?:[•·▪◦●■○*]|[-–—](?:\s|\p{L}|\d|$))`)

// stripItem removes a leading bullet glyph or list dash.
func stripItem(s string) (string, bool) {
	loc := bulletRe.FindStringIndex(s)
	if loc == nil {
		return s, false
	}
	// Keep the letter a dash was glued to ("-Chef." → "Chef.").
	r, size := utf8.DecodeRuneInString(s)
	if r == '-' || r == '–' || r == '—' {
		return strings.TrimSpace(s[size:]), true
	}
	return strings.TrimSpace(s[loc[1]:]), true
}

func classify(doc *extractors.Doc) []cline {
	out := make([]cline, len(doc.Lines))
	for i, l := range doc.Lines {
		t := strings.TrimSpace(strings.ReplaceAll(l.Text, "\u00a0", " "))
		c := cline{n: l.N, page: l.Page, text: t}
		switch {
		case t == "":
			c.kind = kBlank
		default:
			if intern, v, ok := matchSubLabel(t); ok {
				c.kind, c.intern, c.value = kSubLabel, intern, v
				break
			}
			if key, v, ok := matchLabel(t); ok {
				c.kind, c.key, c.value = kLabel, key, v
				break
			}
			if _, item := stripItem(t); item {
				c.kind, c.item = kText, true
				break
			}
			if isUnknownLabel(t) {
				c.kind = kUnknown
				break
			}
			c.kind = kText
		}
		out[i] = c
	}
	markHeadings(out, doc.Headings)
	return out
}

// headingShape reports whether a text line can be a heading: short, one
// phrase, not a sentence.
func headingShape(t string) bool {
	if utf8.RuneCountInString(t) > 140 || len(strings.Fields(t)) > 18 {
		return false
	}
	if strings.ContainsAny(t[len(t)-1:], ".,;!") || strings.Contains(t, ". ") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// markHeadings marks heading lines: a container heading, or a short
// phrase after a blank line whose next non-blank line is a label or
// another heading (a group heading over an activity heading).
func markHeadings(ls []cline, declared map[int]bool) {
	nextLabelOrHeading := false // for the next non-blank line below
	for i := len(ls) - 1; i >= 0; i-- {
		c := &ls[i]
		if c.kind == kBlank {
			continue
		}
		if c.kind == kText && !c.item {
			prevBlank := i == 0 || ls[i-1].kind == kBlank
			if declared[c.n] || (prevBlank && nextLabelOrHeading && headingShape(c.text)) {
				c.heading = true
			}
		}
		nextLabelOrHeading = c.kind == kLabel || c.heading
	}
}

// part is one physical line of a field's value.
type part struct {
	text      string
	item      bool // a bullet or dash item
	paragraph bool // follows a blank line
	group     int  // 0 none, 1 internal, 2 external
	groupHead bool // the line that opened the group
}

// field is one label and its value.
type field struct {
	key      string
	line     int // first line number
	end      int // last line number
	page     int
	inline   bool // the value began on the label's line
	parts    []part
	awaiting bool // label seen, no value yet
}

func (f *field) add(p part, n int) {
	if p.text == "" && !p.item && !p.groupHead {
		return
	}
	f.parts = append(f.parts, p)
	f.awaiting = false
	f.end = n
}

func (f *field) lastText() string {
	for i := len(f.parts) - 1; i >= 0; i-- {
		if f.parts[i].text != "" {
			return f.parts[i].text
		}
	}
	return ""
}

func (f *field) hasItems() bool {
	for _, p := range f.parts {
		if p.item || p.group != 0 {
			return true
		}
	}
	return false
}

// value renders a field: lines that only wrap a sentence are joined with
// spaces; where the source has item structure (bullets, dashes, internal
// and external recipient groups) each item is a line of its own, with
// glyphs and group labels dropped and internal items first.
func (f *field) value() string {
	if !f.hasItems() {
		var ws []string
		for _, p := range f.parts {
			if p.text != "" {
				ws = append(ws, p.text)
			}
		}
		return strings.Join(ws, " ")
	}
	type item struct {
		group int
		text  string
	}
	var items []item
	prevEnds := true
	curGroup := 0
	loneDash := false
	for _, p := range f.parts {
		if p.groupHead {
			curGroup = p.group
			prevEnds = true
			if p.text == "" {
				continue
			}
		}
		newItem := p.item || p.groupHead || p.paragraph || prevEnds || len(items) == 0
		if p.text == "" {
			// A lone dash: the item's text is on the next line.
			prevEnds = true
			loneDash = loneDash || p.item
			continue
		}
		if newItem {
			items = append(items, item{curGroup, p.text})
		} else {
			items[len(items)-1].text += " " + p.text
		}
		prevEnds = endsSentence(p.text)
	}
	if len(items) == 0 && loneDash {
		// "Mottagare: -": the dash is the whole value, a placeholder that
		// the quality stage must see (Q2), not a list glyph.
		return "-"
	}
	var lines []string
	for _, g := range []int{0, 1, 2} {
		for _, it := range items {
			if it.group == g {
				lines = append(lines, it.text)
			}
		}
	}
	return strings.Join(lines, "\n")
}

func endsSentence(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && strings.ContainsAny(s[len(s)-1:], ".:!?")
}

// event is one element of a parsed notice, in document order.
type event struct {
	heading *cline // a heading line
	field   *field // a field
	stray   bool   // text that belongs to no field (left out)
}

// scan turns classified lines into a stream of headings, fields and
// stray text.
func scan(ls []cline) []event {
	var evs []event
	var cur *field
	closed := true
	blank := false
	group := 0
	closeField := func() {
		if cur != nil {
			evs = append(evs, event{field: cur})
			cur = nil
		}
		closed = true
	}
	for i := range ls {
		c := &ls[i]
		switch {
		case c.kind == kBlank:
			blank = true
			continue
		case c.kind == kLabel:
			closeField()
			cur = &field{key: c.key, line: c.n, end: c.n, page: c.page, awaiting: true}
			closed, group = false, 0
			if c.value != "" {
				text, item := stripItem(c.value)
				cur.add(part{text: text, item: item}, c.n)
				cur.inline = true
			}
		case c.kind == kSubLabel:
			if cur == nil || cur.key != record.FieldRecipients {
				// A recipients fragment outside its field: a repeat to be
				// checked against the section's recipients.
				closeField()
				cur = &field{key: record.FieldRecipients, line: c.n, end: c.n, page: c.page}
				closed = false
			}
			group = 2
			if c.intern {
				group = 1
			}
			text, item := stripItem(c.value)
			cur.add(part{text: text, item: item, group: group, groupHead: true}, c.n)
		case cur != nil && cur.awaiting:
			// A label on its own line takes the next line as its value,
			// whatever it looks like.
			text, item := stripItem(c.text)
			cur.add(part{text: text, item: item, paragraph: blank, group: group}, c.n)
		case c.heading:
			closeField()
			evs = append(evs, event{heading: c})
		case c.kind == kUnknown:
			closeField()
			evs = append(evs, event{stray: true})
		default: // text
			if closed || cur == nil {
				evs = append(evs, event{stray: true})
				break
			}
			text, item := stripItem(c.text)
			if blank {
				listGoesOn := item && (cur.hasItems() || strings.HasSuffix(cur.lastText(), ":"))
				if !listGoesOn && !(group != 0 && cur.key == record.FieldRecipients) && !onTopic(cur.key, text) {
					closeField()
					evs = append(evs, event{stray: true})
					break
				}
			}
			cur.add(part{text: text, item: item, paragraph: blank, group: group}, c.n)
		}
		blank = false
	}
	closeField()
	return evs
}

// section is one activity: its heading (if it kept one) and its fields.
type section struct {
	heading *cline
	fields  []*field
	dropped int // repeated fragments left out
	strayed bool
}

func (s *section) get(key string) *field {
	for _, f := range s.fields {
		if f.key == key {
			return f
		}
	}
	return nil
}

// addField adds f, or merges it into a field of the same key: a repeat
// whose sentences all occur already is left out (a duplicated fragment),
// anything else is appended as a new paragraph.
func (s *section) addField(f *field) {
	old := s.get(f.key)
	if old == nil {
		s.fields = append(s.fields, f)
		return
	}
	if contained(f.value(), old.value()) {
		s.dropped++
		return
	}
	for i, p := range f.parts {
		if i == 0 {
			p.paragraph = true
		}
		old.parts = append(old.parts, p)
	}
	old.end = f.end
}

var sentenceSplit = regexp.MustCompile(`[.!?](?:\s+|$)|\n`)

// contained reports whether every sentence of s occurs in t.
func contained(s, t string) bool {
	t = strings.Join(strings.Fields(t), " ")
	any := false
	for _, sent := range sentenceSplit.Split(s, -1) {
		sent = strings.Join(strings.Fields(sent), " ")
		if sent == "" {
			continue
		}
		any = true
		if !strings.Contains(t, sent) {
			return false
		}
	}
	return any
}

// sections groups the event stream into activities. A section starts at a
// heading followed directly by a field, at each field of the leading key
// (the key that usually comes first after a heading: purpose in most
// notices, Personuppgiftsansvarig in e-service blocks), and at a purpose
// when the section already has one.
func sections(evs []event) []*section {
	lead := leadingKey(evs)
	var out []*section
	var cur *section
	var h *cline
	for _, ev := range evs {
		switch {
		case ev.heading != nil:
			h = ev.heading
		case ev.stray:
			h = nil
			if cur != nil {
				cur.strayed = true
			}
		case ev.field != nil:
			f := ev.field
			start := cur == nil || h != nil ||
				(f.key == lead && (cur.get(lead) != nil || cur.get(record.FieldPurpose) != nil || cur.strayed)) ||
				(f.key == record.FieldPurpose && (cur.get(record.FieldPurpose) != nil || cur.strayed))
			if start {
				cur = &section{heading: h}
				out = append(out, cur)
			}
			cur.addField(f)
			h = nil
		}
	}
	return out
}

// leadingKey is the key that most often comes right after a heading.
func leadingKey(evs []event) string {
	count := map[string]int{}
	for i := 1; i < len(evs); i++ {
		if evs[i].field != nil && evs[i-1].heading != nil {
			count[evs[i].field.key]++
		}
	}
	best := record.FieldPurpose
	for k, n := range count {
		if n > count[best] || (n == count[best] && k < best && best != record.FieldPurpose) {
			best = k
		}
	}
	return best
}

// parsed is a notice after parsing.
type parsed struct {
	lines    []cline
	events   []event
	sections []*section // all sections, activities or not
}

func parse(doc *extractors.Doc) *parsed {
	ls := classify(doc)
	evs := scan(ls)
	return &parsed{lines: ls, events: evs, sections: sections(evs)}
}

// activities returns the sections that state a purpose.
func (p *parsed) activities() []*section {
	var out []*section
	for _, s := range p.sections {
		if f := s.get(record.FieldPurpose); f != nil && f.value() != "" {
			out = append(out, s)
		}
	}
	return out
}
