package pdfwords

import (
	"math"
	"strings"

	"github.com/ledongthuc/pdf"
	"github.com/registerlyft/registerlyft/extractors"
)

// matrix is an affine transform [a b c d e f]: x' = a x + c y + e,
// y' = b x + d y + f.
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m applied first, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// gstate is the part of the graphics state that text extraction needs.
type gstate struct {
	ctm                matrix
	font               *font
	size               float64 // Tfs
	tc, tw, th, tl, ts float64
	render             int
}

// interp runs content streams of one page and collects glyphs, rules and
// image area.
type interp struct {
	page           *Page
	fonts          *fontCache
	base           matrix // user space → top-left page space
	glyphs         []placed
	path           []extractors.Rule
	pathX, pathY   float64
	startX, startY float64
}

// placed is one glyph in page space (top-left origin).
type placed struct {
	text   string
	x0, x1 float64 // along the baseline direction, page space
	base   float64 // baseline position across the direction
	size   float64
	dir    int // 0: left to right, 1: top to bottom, 2: right to left, 3: bottom to top
	space  bool
	seq    int
}

// readPage reads one page's words.
func readPage(pv pdf.Value, n int, fonts *fontCache) (p Page) {
	p.N = n
	box := inherited(pv, "CropBox")
	if box.Len() < 4 {
		box = inherited(pv, "MediaBox")
	}
	x0, y0, x1, y1 := 0.0, 0.0, 612.0, 792.0
	if box.Len() >= 4 {
		x0, y0, x1, y1 = box.Index(0).Float64(), box.Index(1).Float64(), box.Index(2).Float64(), box.Index(3).Float64()
		if x1 < x0 {
			x0, x1 = x1, x0
		}
		if y1 < y0 {
			y0, y1 = y1, y0
		}
	}
	w, h := x1-x0, y1-y0
	// User space → top-left page space, with /Rotate applied clockwise.
	base := matrix{1, 0, 0, -1, -x0, y1}
	switch (int(inherited(pv, "Rotate").Int64())%360 + 360) % 360 {
	case 90:
		base = matrix{0, 1, 1, 0, -y0, -x0}
		w, h = h, w
	case 180:
		base = matrix{-1, 0, 0, 1, x1, -y0}
	case 270:
		base = matrix{0, -1, -1, 0, y1, x1}
		w, h = h, w
	}
	p.Width, p.Height = w, h
	in := &interp{page: &p, fonts: fonts, base: base}
	func() {
		defer func() {
			if x := recover(); x != nil {
				p.Err = panicError(n, x)
			}
		}()
		in.run(pv.Key("Contents"), inherited(pv, "Resources"), identity, 0)
	}()
	p.Words = in.words()
	p.Rules = in.rules()
	return p
}

// inherited looks a page attribute up the page tree.
func inherited(v pdf.Value, key string) pdf.Value {
	for i := 0; i < 32 && v.Kind() == pdf.Dict; i++ {
		if r := v.Key(key); r.Kind() != pdf.Null {
			return r
		}
		v = v.Key("Parent")
	}
	return pdf.Value{}
}

// run interprets one content stream (or array of streams) with the given
// resources, starting from ctm.
func (in *interp) run(strm, res pdf.Value, ctm matrix, depth int) {
	if strm.Kind() != pdf.Stream && strm.Kind() != pdf.Array {
		return
	}
	gs := gstate{ctm: ctm, th: 1}
	var stack []gstate
	var tm, tlm matrix
	fontRes := res.Key("Font")
	local := map[string]*font{}

	show := func(s string) {
		f := gs.font
		if f == nil {
			return
		}
		f.decode(s, func(g glyph) {
			in.page.Glyphs++
			if !g.mapped {
				in.page.Unmapped++
			}
			adv := g.width * gs.size
			m := tm.mul(gs.ctm).mul(in.base)
			if g.mapped && !(gs.render == 7) {
				in.place(g, m, adv*gs.th, gs.ts, gs.size)
			}
			tx := adv + gs.tc
			if g.space {
				tx += gs.tw
			}
			if f.vertical {
				tm = matrix{1, 0, 0, 1, 0, -tx}.mul(tm)
			} else {
				tm = matrix{1, 0, 0, 1, tx * gs.th, 0}.mul(tm)
			}
		})
	}
	nextLine := func(tx, ty float64) {
		tlm = matrix{1, 0, 0, 1, tx, ty}.mul(tlm)
		tm = tlm
	}

	// Marked content: a span with /ActualText stands for the glyphs drawn
	// inside it (LibreOffice draws a soft hyphen so).
	type span struct {
		actual bool
		text   string
		start  int // len(in.glyphs) at BDC
	}
	var spans []span
	inActual := 0

	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		args := popAll(stk)
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, gs)
			}
		case "Q":
			if len(stack) > 0 {
				gs = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(args) == 6 {
				gs.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(gs.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := local[name]
				if !ok {
					if fv := fontRes.Key(name); fv.Kind() == pdf.Dict {
						f = in.fonts.get(fv)
					}
					local[name] = f
				}
				gs.font, gs.size = f, num(1)
			}
		case "Tc":
			gs.tc = num(0)
		case "Tw":
			gs.tw = num(0)
		case "Tz":
			gs.th = num(0) / 100
		case "TL":
			gs.tl = num(0)
		case "Ts":
			gs.ts = num(0)
		case "Tr":
			gs.render = int(num(0))
		case "Td":
			nextLine(num(0), num(1))
		case "TD":
			gs.tl = -num(1)
			nextLine(num(0), num(1))
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			nextLine(0, -gs.tl)
		case "Tj":
			if len(args) > 0 {
				show(args[0].RawString())
			}
		case "'":
			nextLine(0, -gs.tl)
			if len(args) > 0 {
				show(args[len(args)-1].RawString())
			}
		case "\"":
			if len(args) == 3 {
				gs.tw, gs.tc = num(0), num(1)
				nextLine(0, -gs.tl)
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) == 0 {
				return
			}
			a := args[0]
			for i := 0; i < a.Len(); i++ {
				x := a.Index(i)
				if x.Kind() == pdf.String {
					show(x.RawString())
					continue
				}
				d := -x.Float64() / 1000 * gs.size
				if gs.font != nil && gs.font.vertical {
					tm = matrix{1, 0, 0, 1, 0, d}.mul(tm)
				} else {
					tm = matrix{1, 0, 0, 1, d * gs.th, 0}.mul(tm)
				}
			}
		case "Do":
			if len(args) == 0 {
				return
			}
			xo := res.Key("XObject").Key(args[0].Name())
			switch xo.Key("Subtype").Name() {
			case "Image":
				in.image(gs.ctm)
			case "Form":
				if depth >= MaxFormDepth {
					return
				}
				fm := identity
				if m := xo.Key("Matrix"); m.Len() == 6 {
					fm = matrix{m.Index(0).Float64(), m.Index(1).Float64(), m.Index(2).Float64(), m.Index(3).Float64(), m.Index(4).Float64(), m.Index(5).Float64()}
				}
				fres := xo.Key("Resources")
				if fres.Kind() != pdf.Dict {
					fres = res
				}
				in.run(xo, fres, fm.mul(gs.ctm), depth+1)
			}
		case "BMC":
			spans = append(spans, span{})
		case "BDC":
			sp := span{start: len(in.glyphs)}
			if len(args) == 2 {
				props := args[1]
				if props.Kind() == pdf.Name {
					props = res.Key("Properties").Key(props.Name())
				}
				if at := props.Key("ActualText"); at.Kind() == pdf.String && inActual == 0 {
					sp.actual, sp.text = true, at.Text()
					inActual++
				}
			}
			if len(spans) < 1024 {
				spans = append(spans, sp)
			}
		case "EMC":
			if len(spans) == 0 {
				return
			}
			sp := spans[len(spans)-1]
			spans = spans[:len(spans)-1]
			if sp.actual {
				inActual--
				in.actualText(sp.start, sp.text)
			}
		case "BI", "ID", "EI":
			// An inline image: its data is read as tokens and dropped.
			if op == "EI" {
				in.image(gs.ctm)
			}
		case "m":
			in.pathX, in.pathY = num(0), num(1)
			in.startX, in.startY = in.pathX, in.pathY
		case "l":
			in.lineTo(gs.ctm, num(0), num(1))
		case "h":
			in.lineTo(gs.ctm, in.startX, in.startY)
		case "re":
			if len(args) == 4 {
				x, y, w, h := num(0), num(1), num(2), num(3)
				in.rect(gs.ctm, x, y, w, h)
			}
		case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*":
			in.page.Rules = append(in.page.Rules, in.path...)
			in.path = in.path[:0]
		case "n", "W", "W*":
			if op == "n" {
				in.path = in.path[:0]
			}
		}
	})
}

// place records one glyph drawn with text rendering matrix m (text space →
// page space) and horizontal advance adv (text space units).
func (in *interp) place(g glyph, m matrix, adv, rise, size float64) {
	ox, oy := m.apply(0, rise)
	ex, ey := m.apply(adv, rise)
	// The font size in page space: the length of the text space's unit
	// vertical vector, times Tfs.
	ux, uy := m[2], m[3]
	sz := math.Hypot(ux, uy) * size
	if sz <= 0 || math.IsNaN(sz) || math.IsInf(sz, 0) {
		sz = 1
	}
	dx, dy := ex-ox, ey-oy
	p := placed{text: g.text, size: sz, space: isSpace(g.text), seq: len(in.glyphs)}
	switch {
	case math.Abs(dx) >= math.Abs(dy) && (dx > 0 || dx == 0 && m[0] >= 0):
		p.dir, p.x0, p.x1, p.base = 0, ox, ex, oy
	case math.Abs(dx) >= math.Abs(dy):
		p.dir, p.x0, p.x1, p.base = 2, -ox, -ex, -oy
	case dy > 0:
		p.dir, p.x0, p.x1, p.base = 1, oy, ey, -ox
	default:
		p.dir, p.x0, p.x1, p.base = 3, -oy, -ey, ox
	}
	if !finite(p.x0) || !finite(p.x1) || !finite(p.base) {
		return
	}
	if len(in.glyphs) < 2_000_000 {
		in.glyphs = append(in.glyphs, p)
	}
}

// actualText replaces the glyphs placed since start by one glyph of the
// span's actual text, over the same extent.
func (in *interp) actualText(start int, text string) {
	if start > len(in.glyphs) {
		return
	}
	gs := in.glyphs[start:]
	if len(gs) == 0 {
		return
	}
	if strings.ContainsAny(text, ligatures) {
		text = ligatureReplacer.Replace(text)
	}
	first, last := gs[0], gs[len(gs)-1]
	g := first
	g.text, g.x1 = text, last.x1
	g.space = isSpace(text)
	in.glyphs = append(in.glyphs[:start], g)
	if text == "" || !meaningful(text) && !g.space {
		in.glyphs = in.glyphs[:start]
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func isSpace(s string) bool {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\u00a0', '\u2002', '\u2003', '\u2009', '\u200b', '\u3000':
		default:
			return false
		}
	}
	return s != ""
}

// image adds the area of the unit square under ctm to the page's image cover.
func (in *interp) image(ctm matrix) {
	m := ctm.mul(in.base)
	area := math.Abs(m[0]*m[3] - m[1]*m[2])
	if pa := in.page.Width * in.page.Height; pa > 0 && finite(area) {
		in.page.ImageCover += math.Min(area/pa, 1)
	}
}

func (in *interp) lineTo(ctm matrix, x, y float64) {
	m := ctm.mul(in.base)
	ax, ay := m.apply(in.pathX, in.pathY)
	bx, by := m.apply(x, y)
	in.pathX, in.pathY = x, y
	if math.Abs(ax-bx) < 1 || math.Abs(ay-by) < 1 { // horizontal or vertical
		in.addRule(ax, ay, bx, by)
	}
}

// rect adds a thin rectangle (a drawn line) as a rule, and a larger one as
// its four edges (a stroked cell border).
func (in *interp) rect(ctm matrix, x, y, w, h float64) {
	m := ctm.mul(in.base)
	ax, ay := m.apply(x, y)
	bx, by := m.apply(x+w, y+h)
	if ax > bx {
		ax, bx = bx, ax
	}
	if ay > by {
		ay, by = by, ay
	}
	if bx-ax <= 3 || by-ay <= 3 {
		in.addRule(ax, ay, bx, by)
		return
	}
	in.addRule(ax, ay, bx, ay)
	in.addRule(ax, by, bx, by)
	in.addRule(ax, ay, ax, by)
	in.addRule(bx, ay, bx, by)
}

func (in *interp) addRule(x0, y0, x1, y1 float64) {
	if !finite(x0) || !finite(y0) || !finite(x1) || !finite(y1) || len(in.path) > 100000 {
		return
	}
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	in.path = append(in.path, extractors.Rule{X0: x0, Y0: y0, X1: x1, Y1: y1})
}

// rules returns the page's rules, without duplicates.
func (in *interp) rules() []extractors.Rule {
	return in.page.Rules
}
