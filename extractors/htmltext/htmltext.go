// Package htmltext turns an HTML page into readable lines of text for the
// extractors: the page's main content, one block per line, with the site's
// chrome (navigation, cookie banners, forms, scripts) left out.
//
// The rendering follows what the plain-text seeds look like, so that an
// extractor sees the same shape whether its input was a text file or a web
// page:
//
//   - Paragraph-level blocks (p, div, section, article, h1–h6, ul, ol, dl,
//     table, blockquote, pre, figure, address, hr) are separated by one blank
//     line.
//   - Line-level breaks (br, li, dt, dd, tr, td, th, caption) start a new line
//     without a blank line. Inside a list item or a table cell every block
//     break is a line-level break.
//   - Each list item (li, in ul and ol alike) starts with "• ".
//   - Table cells each get their own line, except a two-cell key/value row
//     (the first cell a th or ending in ":", the second a td), which gives one
//     line "Label: value" (unless the value starts with a list), so that
//     notices laid out as tables read like notices laid out as paragraphs.
//     Other rows, header rows included, give one line per cell.
//   - An inline label such as <strong>Syfte/ändamål:</strong>text gets a space
//     after its colon when the source has none.
//   - Whitespace runs (also no-break spaces) collapse to one space; soft
//     hyphens and zero-width characters are dropped; entities are decoded.
//
// Content inside main (or role="main") is preferred; without one, a single
// article; otherwise the body. Always dropped: script, style, noscript,
// template, nav, form, button, input, select, textarea, svg, iframe, object,
// embed, canvas, audio, video, dialog; page-level header and footer (those not
// inside article, aside, main, nav or section); elements that are hidden
// (hidden attribute, aria-hidden="true", display:none); and elements whose
// class or id marks them as chrome: cookie or consent banners, skip links,
// breadcrumbs, menus, share and feedback boxes, and screen-reader-only text
// (such as "Länk till annan webbplats").
//
// Extract never panics and walks the tree without recursion, so deeply
// nested input cannot exhaust the stack.
package htmltext

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// MaxSize is the largest page Extract reads, in bytes.
const MaxSize = 32 << 20

// Page is the readable text of one HTML page.
type Page struct {
	// Title is the text of the page's <title>, whitespace collapsed.
	Title string
	// Lines are the readable lines of the main content, without line
	// terminators. Blank lines ("") separate paragraph-level blocks; there is
	// never more than one blank line in a row, nor one at either end.
	Lines []string
	// Headings holds the 1-based numbers of the lines that come from h1–h6.
	Headings map[int]bool
	// Outside holds the readable lines of the body outside the chosen main
	// content (page header and footer, side columns), rendered by the same
	// rules, for controller facts that sites put in the footer
	// (organisationsnummer, postadress, telefon). Navigation, forms and
	// banners are dropped here too. Nil when the main content is the body.
	Outside []string
	// Encoding is the name of the character encoding the page was decoded
	// from ("utf-8", "windows-1252", ...).
	Encoding string
}

// Extract reads an HTML page and returns its readable text. The bytes may be
// in any encoding that a byte-order mark or a <meta> charset declares;
// without a declaration, valid UTF-8 is read as UTF-8 and anything else as
// Windows-1252. A page that declares a single-byte charset but is valid UTF-8
// with multi-byte characters is read as UTF-8 (a server recoded it without
// updating the declaration); one that declares UTF-8 but holds no valid
// multi-byte sequence and some invalid bytes is read as Windows-1252.
func Extract(r io.Reader) (Page, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Page{}, fmt.Errorf("htmltext: reading page: %w", err)
	}
	if len(data) > MaxSize {
		return Page{}, fmt.Errorf("htmltext: page larger than %d bytes", MaxSize)
	}
	text, name, err := decode(data)
	if err != nil {
		return Page{}, fmt.Errorf("htmltext: decoding page as %s: %w", name, err)
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return Page{}, fmt.Errorf("htmltext: parsing page: %w", err)
	}
	p := Page{Encoding: name, Headings: map[int]bool{}}
	if t := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Title }); t != nil {
		p.Title = collapse(textOf(t))
	}
	body := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Body })
	if body == nil {
		body = doc
	}
	root := contentRoot(body)

	var main renderer
	main.walk(root, nil)
	p.Lines = main.result()
	for i := range main.heads {
		p.Headings[i+1] = true
	}
	if root != body {
		out := renderer{keepPageChrome: true}
		out.walk(body, root)
		p.Outside = out.result()
	}
	return p, nil
}

// decode converts the page's bytes to UTF-8 text and names the encoding used.
func decode(data []byte) (string, string, error) {
	var enc encoding.Encoding
	var name string
	if e, n, certain := charset.DetermineEncoding(data, ""); certain {
		enc, name = e, n // byte-order mark
		data = stripBOM(data, n)
	} else if label := metaCharset(data); label != "" {
		enc, name = charset.Lookup(label)
	}
	valid := utf8.Valid(data)
	switch {
	case enc == nil:
		if valid {
			return string(data), "utf-8", nil
		}
		enc, name = charmap.Windows1252, "windows-1252"
	case name == "utf-8":
		if valid || hasMultiByte(data) {
			return strings.ToValidUTF8(string(data), "\uFFFD"), "utf-8", nil
		}
		enc, name = charmap.Windows1252, "windows-1252"
	case valid && hasMultiByte(data) && isSingleByte(name):
		return string(data), "utf-8", nil
	}
	b, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", name, err
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), name, nil
}

func stripBOM(data []byte, name string) []byte {
	switch name {
	case "utf-8":
		return bytes.TrimPrefix(data, []byte{0xef, 0xbb, 0xbf})
	}
	return data // the UTF-16 decoders consume their own mark
}

// isSingleByte reports whether the named encoding maps each byte to one
// character (windows-125x, iso-8859-x, koi8, ...).
func isSingleByte(name string) bool {
	return strings.HasPrefix(name, "windows-") || strings.HasPrefix(name, "iso-8859") ||
		strings.HasPrefix(name, "koi8") || name == "ibm866" || name == "macintosh" || name == "x-mac-cyrillic"
}

// hasMultiByte reports whether data holds at least one valid multi-byte
// UTF-8 sequence.
func hasMultiByte(data []byte) bool {
	for len(data) > 0 {
		i := bytes.IndexFunc(data, func(r rune) bool { return r >= utf8.RuneSelf })
		if i < 0 {
			return false
		}
		data = data[i:]
		r, size := utf8.DecodeRune(data)
		if r != utf8.RuneError && size > 1 {
			return true
		}
		data = data[1:]
	}
	return false
}

// metaCharset returns the charset a <meta charset> or <meta http-equiv
// content-type> declares in the page's head (looked for in the first 64 KiB,
// up to the first body content), or "".
func metaCharset(data []byte) string {
	if len(data) > 64<<10 {
		data = data[:64<<10]
	}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tag, hasAttr := z.TagName()
			switch atom.Lookup(tag) {
			case atom.Body:
				return ""
			case atom.Meta:
				var cs, content string
				var httpEquiv bool
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "charset":
						cs = strings.TrimSpace(string(v))
					case "content":
						content = string(v)
					case "http-equiv":
						httpEquiv = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
					}
				}
				if cs != "" {
					if e, _ := charset.Lookup(cs); e != nil {
						return cs
					}
				}
				if httpEquiv {
					if cs := charsetParam(content); cs != "" {
						if e, _ := charset.Lookup(cs); e != nil {
							return cs
						}
					}
				}
			}
		}
	}
}

// charsetParam returns the charset parameter of a content-type value such as
// "text/html; charset=iso-8859-1", or "".
func charsetParam(content string) string {
	i := indexFoldASCII(content, "charset")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(content[i+len("charset"):], " \t")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.Trim(strings.TrimLeft(rest[1:], " \t"), `"' `)
	if j := strings.IndexAny(rest, `;"' `); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// indexFoldASCII returns the byte index of the first match of the lower-case
// ASCII word in s, ignoring ASCII case, or -1. (strings.ToLower may change
// byte offsets, so it cannot be used to find an index into s.)
func indexFoldASCII(s, word string) int {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && s[i+j]|0x20 == word[j] {
			j++
		}
		if j == len(word) {
			return i
		}
	}
	return -1
}

// find returns the first node under n, in document order, for which ok is
// true, or nil.
func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	for c := n; c != nil; c = next(c, n, true) {
		if c.Type == html.ElementNode && ok(c) {
			return c
		}
	}
	return nil
}

// next returns the node after c in a pre-order walk of root's subtree, or nil
// at the end; descend false skips c's children.
func next(c, root *html.Node, descend bool) *html.Node {
	if descend && c.FirstChild != nil {
		return c.FirstChild
	}
	for c != root {
		if c.NextSibling != nil {
			return c.NextSibling
		}
		c = c.Parent
		if c == nil {
			return nil
		}
	}
	return nil
}

// textOf returns the concatenated text under n.
func textOf(n *html.Node) string {
	var b strings.Builder
	for c := n; c != nil; c = next(c, n, true) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// collapse trims s and collapses its whitespace runs to single spaces.
func collapse(s string) string {
	var r renderer
	r.write(s)
	r.softBreak()
	return strings.Join(r.lines, " ")
}

// contentRoot picks the element whose text is the page's main content: the
// first main (or role="main") element, else the only article, else body.
func contentRoot(body *html.Node) *html.Node {
	if m := find(body, func(n *html.Node) bool {
		return n.DataAtom == atom.Main || strings.EqualFold(attr(n, "role"), "main")
	}); m != nil {
		return m
	}
	var articles []*html.Node
	for c := body; c != nil; {
		if c.Type == html.ElementNode && c.DataAtom == atom.Article {
			articles = append(articles, c)
			c = next(c, body, false) // an article inside an article is part of it
			continue
		}
		c = next(c, body, true)
	}
	if len(articles) == 1 {
		return articles[0]
	}
	return body
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// dropped lists elements whose content is never page text.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Nav: true, atom.Form: true, atom.Button: true, atom.Input: true,
	atom.Select: true, atom.Textarea: true, atom.Svg: true, atom.Iframe: true,
	atom.Object: true, atom.Embed: true, atom.Canvas: true, atom.Audio: true,
	atom.Video: true, atom.Dialog: true, atom.Head: true, atom.Math: true,
}

// paragraphs are elements that start and end a paragraph-level block.
var paragraphs = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true,
	atom.Main: true, atom.Aside: true, atom.Header: true, atom.Footer: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Hgroup: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Menu: true,
	atom.Table: true, atom.Blockquote: true, atom.Pre: true, atom.Figure: true,
	atom.Address: true, atom.Hr: true, atom.Fieldset: true, atom.Details: true,
	atom.Center: true, atom.Body: true,
}

// lineBreaks are elements that start and end a line.
var lineBreaks = map[atom.Atom]bool{
	atom.Br: true, atom.Li: true, atom.Dt: true, atom.Dd: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.Caption: true, atom.Figcaption: true,
	atom.Summary: true, atom.Legend: true, atom.Option: true,
}

// chromeWords mark an element as site chrome when they occur in its class or
// id (substring match).
var chromeWords = []string{
	"cookie", "consent", "breadcrumb", "skiplink", "skip-link", "skip-to", "skipto",
	"sr-only", "visually-hidden", "visuallyhidden", "screen-reader", "screenreader",
}

// chromeTokens mark an element as site chrome when they are a whole
// hyphen-, underscore- or space-separated token of its class or id.
var chromeTokens = map[string]bool{
	"share": true, "sharing": true, "social": true, "feedback": true, "skip": true,
	"menu": true, "meny": true, "menyn": true, "navigation": true, "navbar": true,
}

// isChrome reports whether element n is dropped with its content; page-level
// header and footer are dropped unless keepPageChrome.
func isChrome(n *html.Node, keepPageChrome bool) bool {
	if dropped[n.DataAtom] {
		return true
	}
	if (n.DataAtom == atom.Header || n.DataAtom == atom.Footer) && !keepPageChrome && pageLevel(n) {
		return true
	}
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue
		}
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "style":
			s := strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		case "role":
			switch strings.ToLower(strings.TrimSpace(a.Val)) {
			case "navigation", "search", "dialog", "alertdialog":
				return true
			}
		case "class", "id":
			v := strings.ToLower(a.Val)
			for _, w := range chromeWords {
				if strings.Contains(v, w) {
					return true
				}
			}
			for _, t := range strings.FieldsFunc(v, func(r rune) bool {
				return r == '-' || r == '_' || unicode.IsSpace(r)
			}) {
				if chromeTokens[t] {
					return true
				}
			}
		}
	}
	return false
}

// pageLevel reports whether a header or footer belongs to the page rather
// than to a section of the content.
func pageLevel(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.DataAtom {
		case atom.Article, atom.Aside, atom.Main, atom.Nav, atom.Section:
			return false
		}
		if strings.EqualFold(attr(p, "role"), "main") {
			return false
		}
	}
	return true
}

// renderer accumulates lines while walking a tree.
type renderer struct {
	keepPageChrome bool

	lines  []string
	heads  map[int]bool // 0-based indexes of heading lines
	cur    strings.Builder
	space  bool   // a space is pending before the next character
	blank  bool   // a blank line is pending before the next line
	prefix string // written before the next line's first character

	heading, item, cell, pre int
	rows                     []*row
}

type row struct {
	cells []cell
}

type cell struct {
	start, end int // lines[start:end] came from the cell
	th         bool
}

// walk renders root's subtree, skipping skip's subtree.
func (r *renderer) walk(root, skip *html.Node) {
	for c := root; c != nil; {
		descend := r.enter(c, skip)
		if descend && c.FirstChild != nil {
			c = c.FirstChild
			continue
		}
		if descend {
			r.leave(c)
		}
		// Climb until a sibling is found, leaving each finished element.
		for c != root && c.NextSibling == nil {
			c = c.Parent
			if c == nil {
				return
			}
			r.leave(c)
		}
		if c == root {
			return
		}
		c = c.NextSibling
	}
}

// enter handles the start of n and reports whether its content is rendered.
func (r *renderer) enter(n *html.Node, skip *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		r.write(n.Data)
		return true
	case html.ElementNode:
	case html.DocumentNode:
		return true
	default:
		return false
	}
	if n == skip || isChrome(n, r.keepPageChrome) {
		return false
	}
	a := n.DataAtom
	switch {
	case paragraphs[a]:
		r.hardBreak()
	case lineBreaks[a]:
		r.softBreak()
	}
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		r.heading++
	case atom.Li:
		r.item++
		r.prefix = "• "
	case atom.Pre:
		r.pre++
	case atom.Tr:
		r.rows = append(r.rows, &row{})
	case atom.Td, atom.Th:
		r.cell++
		if len(r.rows) > 0 {
			rw := r.rows[len(r.rows)-1]
			rw.cells = append(rw.cells, cell{start: len(r.lines), th: a == atom.Th})
		}
	case atom.Img:
		return false
	}
	return true
}

// leave handles the end of element n (entered with descend true).
func (r *renderer) leave(n *html.Node) {
	if n.Type != html.ElementNode {
		return
	}
	a := n.DataAtom
	switch {
	case paragraphs[a]:
		r.hardBreak()
	case lineBreaks[a]:
		r.softBreak()
	}
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		r.heading--
	case atom.Li:
		r.item--
		r.prefix = ""
	case atom.Pre:
		r.pre--
	case atom.Td, atom.Th:
		r.cell--
		if len(r.rows) > 0 {
			rw := r.rows[len(r.rows)-1]
			if k := len(rw.cells); k > 0 {
				rw.cells[k-1].end = len(r.lines)
			}
		}
	case atom.Tr:
		if k := len(r.rows); k > 0 {
			r.mergeRow(r.rows[k-1])
			r.rows = r.rows[:k-1]
		}
	case atom.B, atom.Strong, atom.Label, atom.Dfn:
		// <strong>Syfte:</strong>text: keep label and value apart.
		if s := r.cur.String(); strings.HasSuffix(s, ":") {
			r.space = true
		}
	}
}

// mergeRow joins a finished two-cell key/value row into one line.
func (r *renderer) mergeRow(rw *row) {
	if len(rw.cells) != 2 {
		return
	}
	k, v := rw.cells[0], rw.cells[1]
	if v.th || k.end > v.start || v.end > len(r.lines) {
		return
	}
	kl := nonBlank(r.lines, k.start, k.end)
	vl := nonBlank(r.lines, v.start, v.end)
	if len(kl) != 1 || len(vl) == 0 || vl[0] != kl[0]+1 {
		return
	}
	i := kl[0]
	label := r.lines[i]
	if !k.th && !strings.HasSuffix(label, ":") || strings.HasPrefix(r.lines[i+1], "• ") {
		return // not a label, or the value is a list: keep its items apart
	}
	for j := i; j < len(r.lines); j++ {
		if r.heads[j] {
			return
		}
	}
	if strings.HasSuffix(label, ":") {
		r.lines[i] = label + " " + r.lines[i+1]
	} else {
		r.lines[i] = label + ": " + r.lines[i+1]
	}
	r.lines = append(r.lines[:i+1], r.lines[i+2:]...)
}

func nonBlank(lines []string, from, to int) []int {
	var idx []int
	for i := from; i < to && i < len(lines); i++ {
		if lines[i] != "" {
			idx = append(idx, i)
		}
	}
	return idx
}

// write adds text, collapsing whitespace.
func (r *renderer) write(s string) {
	for _, c := range s {
		switch {
		case c == '\n' && r.pre > 0:
			r.softBreak()
		case c == '\u00ad', c == '\u200b', c == '\u200c', c == '\u200d', c == '\u2060', c == '\ufeff':
			// soft hyphen, zero-width characters: invisible
		case unicode.IsSpace(c) || c == '\u00a0' || c == '\u202f':
			if r.cur.Len() > 0 {
				r.space = true
			}
		case unicode.IsControl(c):
			// stray control characters are not text
		default:
			if r.cur.Len() == 0 {
				if r.blank && len(r.lines) > 0 && r.lines[len(r.lines)-1] != "" {
					r.lines = append(r.lines, "")
				}
				r.blank = false
				r.cur.WriteString(r.prefix)
				r.prefix = ""
			} else if r.space {
				r.cur.WriteByte(' ')
			}
			r.space = false
			r.cur.WriteRune(c)
		}
	}
}

// softBreak ends the current line.
func (r *renderer) softBreak() {
	r.space = false
	if r.cur.Len() == 0 {
		return
	}
	if r.heading > 0 {
		if r.heads == nil {
			r.heads = map[int]bool{}
		}
		r.heads[len(r.lines)] = true
	}
	r.lines = append(r.lines, r.cur.String())
	r.cur.Reset()
}

// hardBreak ends the current paragraph-level block.
func (r *renderer) hardBreak() {
	r.softBreak()
	if r.item == 0 && r.cell == 0 {
		r.blank = true
	}
}

// result returns the finished lines.
func (r *renderer) result() []string {
	r.softBreak()
	if len(r.lines) == 0 {
		return nil
	}
	return r.lines
}
