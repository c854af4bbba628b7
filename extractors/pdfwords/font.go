package pdfwords

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
)

// font is a parsed font: how its codes split into glyphs, what text each
// glyph stands for and how wide it is.
type font struct {
	composite bool      // Type0: codes of 1–4 bytes (by codespace), CIDs
	space     codespace // code lengths of a composite font
	cidMap    *cmap     // code → CID of an embedded CMap (nil: CID = code)
	ucs2      bool      // a predefined UCS-2/UTF-16 CMap: the code is the text
	toUni     *cmap     // ToUnicode, nil when absent
	enc       *[256]rune

	first     int
	widths    []float64 // /Widths from FirstChar, 1/1000 text space
	cidW      map[uint32]float64
	dw        float64 // default width of a composite font
	std       map[rune]uint16
	missing   float64 // /MissingWidth
	scale     float64 // text space per width unit: 0.001, or FontMatrix of Type3
	vertical  bool    // Identity-V and other vertical CMaps
	hasWidths bool
}

// glyph is one decoded code.
type glyph struct {
	text   string
	width  float64 // in text space units (multiply by the font size)
	space  bool    // a single-byte code 32: word spacing applies
	mapped bool
}

// decode splits raw into glyphs and calls fn for each.
func (f *font) decode(raw string, fn func(g glyph)) {
	for len(raw) > 0 {
		var code uint32
		n := 1
		if f.composite {
			n = f.space.length(raw)
		}
		if n > len(raw) {
			n = len(raw)
		}
		for i := 0; i < n; i++ {
			code = code<<8 | uint32(raw[i])
		}
		fn(f.glyph(code, n))
		raw = raw[n:]
	}
}

func (f *font) glyph(code uint32, n int) glyph {
	g := glyph{space: n == 1 && code == 32}
	if f.toUni != nil {
		if s, ok := f.toUni.lookup(code, n); ok {
			g.text, g.mapped = s, true
		}
	}
	if !g.mapped {
		switch {
		case f.composite && f.ucs2:
			g.text, g.mapped = string(rune(code)), true
		case !f.composite && f.enc != nil:
			if r := f.enc[code&0xff]; r != 0 {
				g.text, g.mapped = string(r), true
			}
		}
	}
	if g.mapped && !meaningful(g.text) {
		g.mapped = false
	}
	if g.mapped && strings.ContainsAny(g.text, ligatures) {
		g.text = ligatureReplacer.Replace(g.text)
	}
	g.width = f.width(code, g.text) * f.scale
	return g
}

const ligatures = "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"

// ligatureReplacer spells ligature glyphs out, as pdftotext does.
var ligatureReplacer = strings.NewReplacer("\ufb00", "ff", "\ufb01", "fi", "\ufb02", "fl", "\ufb03", "ffi", "\ufb04", "ffl", "\ufb05", "st", "\ufb06", "st")

// meaningful reports whether s is text a person could read: not empty, no
// control characters, no private-use characters, no U+FFFD.
func meaningful(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f || r == 0xfffd || r >= 0xe000 && r <= 0xf8ff {
			return false
		}
	}
	return true
}

func (f *font) width(code uint32, text string) float64 {
	if f.composite {
		cid := code
		if f.cidMap != nil {
			if c, ok := f.cidMap.cid(code); ok {
				cid = c
			}
		}
		if w, ok := f.cidW[cid]; ok {
			return w
		}
		return f.dw
	}
	if i := int(code) - f.first; f.hasWidths && i >= 0 && i < len(f.widths) {
		return f.widths[i]
	}
	if f.std != nil {
		for _, r := range text {
			if w, ok := f.std[r]; ok {
				return float64(w)
			}
			break
		}
	}
	if f.missing > 0 {
		return f.missing
	}
	if f.std != nil || !f.hasWidths {
		return 500
	}
	return 0
}

// fontCache keeps parsed fonts for a whole document, keyed by a
// fingerprint of the font dictionary: the same font object seen from many
// pages (or forms) is parsed once.
type fontCache struct {
	m map[string]*font
}

func newFontCache() *fontCache { return &fontCache{m: map[string]*font{}} }

func (c *fontCache) get(v pdf.Value) *font {
	key := fingerprint(v)
	if f, ok := c.m[key]; ok {
		return f
	}
	f := parseFont(v)
	if len(c.m) < 10000 {
		c.m[key] = f
	}
	return f
}

// fingerprint names a font dictionary by the parts that decide decoding and
// widths. Subset prefixes make BaseFont unique per embedded subset.
func fingerprint(v pdf.Value) string {
	var b strings.Builder
	b.WriteString(v.Key("Subtype").Name())
	b.WriteByte('|')
	b.WriteString(v.Key("BaseFont").Name())
	enc := v.Key("Encoding")
	fmt.Fprintf(&b, "|%s|%d|%d|%d", enc.Name(), enc.Key("Differences").Len(), v.Key("FirstChar").Int64(), v.Key("LastChar").Int64())
	w := v.Key("Widths")
	fmt.Fprintf(&b, "|%d", w.Len())
	for i := 0; i < w.Len() && i < 8; i++ {
		fmt.Fprintf(&b, ",%g", w.Index(i).Float64())
	}
	tu := v.Key("ToUnicode")
	fmt.Fprintf(&b, "|%d", tu.Key("Length").Int64())
	if d := v.Key("DescendantFonts").Index(0); d.Kind() == pdf.Dict {
		fmt.Fprintf(&b, "|%s|%g|%d", d.Key("BaseFont").Name(), d.Key("DW").Float64(), d.Key("W").Len())
	}
	return b.String()
}

func parseFont(v pdf.Value) *font {
	f := &font{scale: 0.001}
	sub := v.Key("Subtype").Name()
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		f.toUni = parseCMap(tu, v)
	}
	if sub == "Type0" {
		f.composite = true
		enc := v.Key("Encoding")
		switch enc.Kind() {
		case pdf.Name:
			name := enc.Name()
			f.vertical = strings.HasSuffix(name, "-V")
			f.ucs2 = strings.Contains(name, "UCS2") || strings.Contains(name, "UTF16")
			f.space = twoByte
		case pdf.Stream:
			cm := parseCMap(enc, v)
			f.cidMap = cm
			f.space = cm.space
		default:
			f.space = twoByte
		}
		if len(f.space) == 0 {
			if f.toUni != nil && len(f.toUni.space) > 0 {
				f.space = f.toUni.space
			} else {
				f.space = twoByte
			}
		}
		d := v.Key("DescendantFonts").Index(0)
		f.dw = 1000
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.dw = dw.Float64()
		}
		f.cidW = parseW(d.Key("W"))
		return f
	}
	base := stripSubset(v.Key("BaseFont").Name())
	if std := std14Name(base); std != "" {
		f.std = std14Widths[std]
	}
	f.enc = encoding(v, base)
	if w := v.Key("Widths"); w.Kind() == pdf.Array && w.Len() > 0 {
		f.hasWidths = true
		f.first = int(v.Key("FirstChar").Int64())
		f.widths = make([]float64, w.Len())
		for i := range f.widths {
			f.widths[i] = w.Index(i).Float64()
		}
	}
	f.missing = v.Key("FontDescriptor").Key("MissingWidth").Float64()
	if sub == "Type3" {
		if m := v.Key("FontMatrix"); m.Len() >= 1 && m.Index(0).Float64() != 0 {
			f.scale = m.Index(0).Float64()
		}
	}
	return f
}

// parseW reads a CIDFont's /W array: "c [w1 w2 ...]" and "c1 c2 w".
func parseW(w pdf.Value) map[uint32]float64 {
	out := map[uint32]float64{}
	n := w.Len()
	for i := 0; i < n; {
		c := w.Index(i)
		if i+1 >= n {
			break
		}
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			start := uint32(c.Int64())
			for j := 0; j < next.Len() && j < 65536; j++ {
				out[start+uint32(j)] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		lo, hi, wd := c.Int64(), next.Int64(), w.Index(i+2).Float64()
		if lo >= 0 && hi >= lo && hi-lo < 65536 {
			for x := lo; x <= hi; x++ {
				out[uint32(x)] = wd
			}
		}
		i += 3
	}
	return out
}

// stripSubset removes a subset prefix ("ABCDEF+Helvetica" → "Helvetica").
func stripSubset(name string) string {
	if len(name) > 7 && name[6] == '+' {
		return name[7:]
	}
	return name
}

// std14Name maps a base font name to a standard-14 font, including the
// common aliases (Arial, TimesNewRoman, CourierNew, with ",Bold" styles).
func std14Name(base string) string {
	if _, ok := std14Widths[base]; ok {
		return base
	}
	fam, style := base, ""
	if i := strings.IndexAny(base, ",-"); i >= 0 {
		fam, style = base[:i], strings.ToLower(base[i+1:])
	}
	bold := strings.Contains(style, "bold")
	italic := strings.Contains(style, "italic") || strings.Contains(style, "oblique")
	pick := func(family, boldS, italicS, boldItalicS string) string {
		switch {
		case bold && italic:
			return boldItalicS
		case bold:
			return boldS
		case italic:
			return italicS
		}
		return family
	}
	switch strings.TrimSuffix(fam, "MT") {
	case "Arial", "Helvetica", "ArialNarrow":
		return pick("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique")
	case "TimesNewRoman", "Times", "TimesNewRomanPS":
		return pick("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic")
	case "CourierNew", "Courier":
		return pick("Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique")
	case "Symbol":
		return "Symbol"
	case "ZapfDingbats":
		return "ZapfDingbats"
	}
	return ""
}

var (
	winAnsi  = table(charmap.Windows1252)
	macRoman = table(charmap.Macintosh)
	stdEnc   = standardEncoding()
)

func table(cm *charmap.Charmap) *[256]rune {
	var t [256]rune
	for i := range t {
		t[i] = cm.DecodeByte(byte(i))
	}
	return &t
}

// standardEncoding is Adobe StandardEncoding for the ASCII range (its upper
// half is rare in practice and read as Latin-1).
func standardEncoding() *[256]rune {
	var t [256]rune
	for i := range t {
		t[i] = rune(i)
	}
	t['\''] = '’'
	t['`'] = '‘'
	return &t
}

// encoding builds a simple font's code → rune table from /Encoding (a name
// or a dictionary with /BaseEncoding and /Differences).
func encoding(v pdf.Value, base string) *[256]rune {
	enc := v.Key("Encoding")
	pick := func(name string) *[256]rune {
		switch name {
		case "WinAnsiEncoding":
			return winAnsi
		case "MacRomanEncoding":
			return macRoman
		case "StandardEncoding":
			return stdEnc
		}
		if strings.HasPrefix(base, "Symbol") || strings.HasPrefix(base, "ZapfDingbats") {
			return nil
		}
		if v.Key("Subtype").Name() == "TrueType" {
			return winAnsi
		}
		return stdEnc
	}
	switch enc.Kind() {
	case pdf.Name:
		return pick(enc.Name())
	case pdf.Dict:
		t := new([256]rune)
		if b := pick(enc.Key("BaseEncoding").Name()); b != nil {
			*t = *b
		}
		d := enc.Key("Differences")
		code := 0
		for i := 0; i < d.Len(); i++ {
			x := d.Index(i)
			switch x.Kind() {
			case pdf.Integer:
				code = int(x.Int64())
			case pdf.Name:
				if code >= 0 && code < 256 {
					t[code] = glyphRune(x.Name())
				}
				code++
			}
		}
		return t
	}
	return pick("")
}

// glyphRune maps a glyph name to a rune: the Adobe Glyph List, "uniXXXX",
// "uXXXX[XX]", or 0 when unknown.
func glyphRune(name string) rune {
	if r, ok := glyphNames[name]; ok {
		return r
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
		if r, ok := glyphNames[name]; ok {
			return r
		}
	}
	hex := ""
	switch {
	case strings.HasPrefix(name, "uni") && len(name) >= 7:
		hex = name[3:7]
	case strings.HasPrefix(name, "u") && len(name) >= 5 && len(name) <= 7:
		hex = name[1:]
	}
	if hex != "" {
		var r rune
		for _, c := range hex {
			var d rune
			switch {
			case c >= '0' && c <= '9':
				d = c - '0'
			case c >= 'A' && c <= 'F':
				d = c - 'A' + 10
			default:
				return 0
			}
			r = r*16 + d
		}
		return r
	}
	if len(name) == 1 {
		return rune(name[0])
	}
	return 0
}

// codespace lists the byte lengths of a CMap's codes with their ranges.
type codespace []codeRange

type codeRange struct {
	n      int
	lo, hi uint32
}

var twoByte = codespace{{n: 2, lo: 0, hi: 0xffff}}

// length returns the byte length of the code at the start of raw.
func (cs codespace) length(raw string) int {
	for n := 1; n <= 4 && n <= len(raw); n++ {
		var c uint32
		for i := 0; i < n; i++ {
			c = c<<8 | uint32(raw[i])
		}
		for _, r := range cs {
			if r.n == n && c >= r.lo && c <= r.hi {
				return n
			}
		}
	}
	if len(cs) > 0 {
		return cs[0].n
	}
	return 2
}

// cmap is a parsed CMap: a ToUnicode map (code → text) or an encoding
// CMap (code → CID).
type cmap struct {
	space  codespace
	text   map[uint64]string // key: n<<32 | code
	ranges []textRange
	cids   map[uint32]uint32
	cidRs  []cidRange
}

type textRange struct {
	n      int
	lo, hi uint32
	dst    []rune // base text; the last rune is incremented
	arr    []string
}

type cidRange struct{ lo, hi, cid uint32 }

func (m *cmap) lookup(code uint32, n int) (string, bool) {
	if s, ok := m.text[uint64(n)<<32|uint64(code)]; ok {
		return s, true
	}
	for _, r := range m.ranges {
		if r.n == n && code >= r.lo && code <= r.hi {
			off := code - r.lo
			if r.arr != nil {
				if int(off) < len(r.arr) {
					return r.arr[off], true
				}
				return "", false
			}
			if len(r.dst) == 0 {
				return "", false
			}
			d := append([]rune(nil), r.dst...)
			d[len(d)-1] += rune(off)
			return string(d), true
		}
	}
	return "", false
}

func (m *cmap) cid(code uint32) (uint32, bool) {
	if c, ok := m.cids[code]; ok {
		return c, true
	}
	for _, r := range m.cidRs {
		if code >= r.lo && code <= r.hi {
			return r.cid + code - r.lo, true
		}
	}
	return 0, false
}

func codeOf(s string) (uint32, int) {
	var c uint32
	for i := 0; i < len(s) && i < 4; i++ {
		c = c<<8 | uint32(s[i])
	}
	return c, len(s)
}

func utf16Text(s string) string {
	if len(s)%2 == 1 {
		s += "\x00"
	}
	u := make([]uint16, len(s)/2)
	swapped := len(u) >= 2
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
		if c := u[i]; c&0xff != 0 || c>>8 < 0x21 || c>>8 > 0x7e {
			swapped = false
		}
	}
	if swapped {
		// Ghostscript writes ligatures as UTF-16LE ("fi" as <6600 6900>,
		// read as "昀椀"): two or more code units that are all ASCII
		// letters in the wrong byte order.
		for i := range u {
			u[i] >>= 8
		}
	}
	return string(utf16.Decode(u))
}

// parseCMap reads a CMap stream with pdf.Interpret. dict is any dictionary
// value: "findresource" must leave a dictionary for "begin", and the pdf
// package offers no way to make one.
func parseCMap(strm, dict pdf.Value) *cmap {
	m := &cmap{text: map[uint64]string{}, cids: map[uint32]uint32{}}
	func() {
		defer func() { recover() }() // a damaged CMap keeps what was read
		pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
			switch op {
			case "findresource":
				stk.Pop()
				stk.Pop()
				stk.Push(dict)
			case "endcodespacerange":
				vals := popAll(stk)
				for i := 0; i+1 < len(vals); i += 2 {
					lo, n := codeOf(vals[i].RawString())
					hi, _ := codeOf(vals[i+1].RawString())
					if n >= 1 && n <= 4 {
						m.space = append(m.space, codeRange{n: n, lo: lo, hi: hi})
					}
				}
			case "endbfchar":
				vals := popAll(stk)
				for i := 0; i+1 < len(vals); i += 2 {
					c, n := codeOf(vals[i].RawString())
					if vals[i+1].Kind() == pdf.Name {
						m.text[uint64(n)<<32|uint64(c)] = string(glyphRune(vals[i+1].Name()))
						continue
					}
					m.text[uint64(n)<<32|uint64(c)] = utf16Text(vals[i+1].RawString())
				}
			case "endbfrange":
				vals := popAll(stk)
				for i := 0; i+2 < len(vals); i += 3 {
					lo, n := codeOf(vals[i].RawString())
					hi, _ := codeOf(vals[i+1].RawString())
					if hi < lo || hi-lo > 1<<16 {
						continue
					}
					r := textRange{n: n, lo: lo, hi: hi}
					if d := vals[i+2]; d.Kind() == pdf.Array {
						for j := 0; j < d.Len(); j++ {
							r.arr = append(r.arr, utf16Text(d.Index(j).RawString()))
						}
					} else {
						r.dst = []rune(utf16Text(d.RawString()))
					}
					m.ranges = append(m.ranges, r)
				}
			case "endcidchar":
				vals := popAll(stk)
				for i := 0; i+1 < len(vals); i += 2 {
					c, _ := codeOf(vals[i].RawString())
					m.cids[c] = uint32(vals[i+1].Int64())
				}
			case "endcidrange":
				vals := popAll(stk)
				for i := 0; i+2 < len(vals); i += 3 {
					lo, _ := codeOf(vals[i].RawString())
					hi, _ := codeOf(vals[i+1].RawString())
					m.cidRs = append(m.cidRs, cidRange{lo, hi, uint32(vals[i+2].Int64())})
				}
			case "begincodespacerange", "beginbfchar", "beginbfrange", "begincidchar", "begincidrange":
				stk.Pop() // the count
				popAll(stk)
			case "defineresource":
				v := stk.Pop()
				stk.Pop()
				stk.Pop()
				stk.Push(v)
			}
		})
	}()
	return m
}

// popAll empties the stack and returns its values, bottom first.
func popAll(stk *pdf.Stack) []pdf.Value {
	n := stk.Len()
	out := make([]pdf.Value, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = stk.Pop()
	}
	return out
}
