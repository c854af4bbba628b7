// Package pdfwords reads the words of a PDF's text layer with their
// positions: for each page, every word with its bounding box (points, top-left
// origin), the ruling lines drawn on it, and how much of it images cover.
//
// It uses github.com/ledongthuc/pdf only for what that package does well —
// the lexer, the object reader, decryption and pdf.Interpret — and runs its
// own text-state machine on top, because the package's own text APIs lose
// text: Content() appends a spurious glyph after every TJ and re-parses
// ToUnicode at every Tf, GetTextByRow puts a page in one row, GetPlainText
// glues words placed by positioning, nothing follows Form XObjects (an
// OCRmyPDF text layer reads as no words) and glyph widths ignore CID /W and
// the standard-14 metrics. Here fonts are parsed once per document (keyed
// by their dictionary's content), widths come from /Widths, /W and /DW or
// the standard-14 width tables, the text state (Tc, Tw, Tz, TL, Ts, Td, TD,
// Tm, T*, ', ") is followed exactly, Form XObjects are entered up to a depth
// limit, and every panic of the underlying package is turned into an error.
//
// Words are split the way pdftotext splits them: at space glyphs, at a gap
// wider than a tenth of the font size, at a change of baseline or font size,
// and where the text moves backwards.
package pdfwords

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"
	"github.com/registerlyft/registerlyft/extractors"
)

// Errors of Read. A *FilterError or *CorruptError may also be returned,
// directly or as a page's Err.
var (
	// ErrEncrypted: the PDF is encrypted and cannot be opened without a
	// password (or with an encryption this package does not support).
	ErrEncrypted = errors.New("encrypted PDF")
	// ErrNoPages: the PDF is well formed but has no pages.
	ErrNoPages = errors.New("the PDF has no pages")
)

// FilterError reports a stream compressed with a filter that cannot be
// decoded (LZWDecode, JBIG2Decode, ... in a content stream).
type FilterError struct {
	Filter string // the filter's name, e.g. "LZWDecode"
	Page   int
}

func (e *FilterError) Error() string {
	if e.Page > 0 {
		return fmt.Sprintf("page %d: unsupported stream filter %s", e.Page, e.Filter)
	}
	return "unsupported stream filter " + e.Filter
}

// CorruptError reports a PDF whose structure cannot be read.
type CorruptError struct {
	Page   int    // 0: the file as a whole
	Detail string // what was wrong
}

func (e *CorruptError) Error() string {
	if e.Page > 0 {
		return fmt.Sprintf("page %d: %s", e.Page, e.Detail)
	}
	return e.Detail
}

// MaxFormDepth is how deeply nested Form XObjects are followed.
const MaxFormDepth = 8

// Page is one page of a PDF's text layer.
type Page struct {
	N             int     // 1-based page number
	Width, Height float64 // points, after /Rotate
	Words         []extractors.Word
	Rules         []extractors.Rule
	// ImageCover is the fraction of the page's area that images cover (it
	// may exceed 1 where images overlap). A scan has about 1.
	ImageCover float64
	// Glyphs is the number of glyphs drawn; Unmapped counts those that had
	// no Unicode meaning (no ToUnicode entry, private-use or control codes).
	Glyphs, Unmapped int
	// Err is set when the page could not be read to the end; Words then
	// holds what was read before the error.
	Err error
}

// Doc is the text layer of a whole PDF.
type Doc struct {
	Pages []Page
}

// Read reads the text layer of the PDF in data. A file that cannot be opened
// gives ErrEncrypted, ErrNoPages or a *CorruptError; errors of single pages
// are kept in their Page.Err so that the other pages are still read. Read
// never panics.
func Read(data []byte) (doc *Doc, err error) {
	defer func() {
		if x := recover(); x != nil {
			doc, err = nil, panicError(0, x)
		}
	}()
	r, err := open(data)
	if err != nil {
		return nil, err
	}
	pages := collectPages(r)
	if len(pages) == 0 && r.Trailer().Key("Root").Kind() != pdf.Dict {
		// The catalog is out of reach: a trailer whose /Size is smaller
		// than its xref table (pdfunite writes such files) makes the pdf
		// package drop the objects past it. Read again without the limit.
		if fixed, ok := raiseSize(data); ok {
			if r2, err := open(fixed); err == nil {
				r, pages = r2, collectPages(r2)
			}
		}
	}
	if len(pages) == 0 {
		if r.Trailer().Key("Root").Kind() != pdf.Dict {
			return nil, &CorruptError{Detail: "malformed PDF: no document catalog (/Root)"}
		}
		return nil, ErrNoPages
	}
	doc = &Doc{Pages: make([]Page, len(pages))}
	fonts := newFontCache()
	for i, pv := range pages {
		doc.Pages[i] = readPage(pv, i+1, fonts)
	}
	return doc, nil
}

// open opens data with the pdf package, mending two harmless deviations it
// rejects: a header other than "%PDF-1.0" to "%PDF-1.7" followed by a line
// end (PDF 2.0, a space after the version) and data after the last %%EOF.
func open(data []byte) (*pdf.Reader, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, &CorruptError{Detail: "not a PDF file: no %PDF- header"}
	}
	if i := bytes.LastIndex(data, []byte("%%EOF")); i >= 0 && len(data)-i > 90 {
		data = data[:i+5]
	}
	if len(data) >= 9 && !(data[5] == '1' && data[6] == '.' && data[7] >= '0' && data[7] <= '7' && (data[8] == '\n' || data[8] == '\r')) {
		fixed := make([]byte, len(data))
		copy(fixed, data)
		copy(fixed, "%PDF-1.7\n")
		data = fixed
	}
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		msg := err.Error()
		switch {
		case errors.Is(err, pdf.ErrInvalidPassword):
			return nil, fmt.Errorf("%w: a password is needed to open it", ErrEncrypted)
		case strings.Contains(msg, "encryption") || strings.Contains(msg, "Encrypt"):
			return nil, fmt.Errorf("%w: %s", ErrEncrypted, msg)
		}
		if strings.Contains(msg, "missing %%EOF") || strings.Contains(msg, "startxref") {
			msg = "truncated or damaged PDF (" + strings.TrimPrefix(msg, "not a PDF file: ") + ")"
		}
		return nil, &CorruptError{Detail: msg}
	}
	return r, nil
}

// collectPages walks the page tree (depth-first, guarding against cycles
// and absurd depth) and returns the page dictionaries in order.
func collectPages(r *pdf.Reader) []pdf.Value {
	root := r.Trailer().Key("Root").Key("Pages")
	var out []pdf.Value
	var walk func(v pdf.Value, depth int)
	walk = func(v pdf.Value, depth int) {
		if depth > 32 || len(out) > 100000 {
			return
		}
		kids := v.Key("Kids")
		if kids.Kind() != pdf.Array {
			if v.Key("Type").Name() == "Page" || v.Key("Contents").Kind() != pdf.Null {
				out = append(out, v)
			}
			return
		}
		for i := 0; i < kids.Len(); i++ {
			walk(kids.Index(i), depth+1)
		}
	}
	if root.Kind() == pdf.Dict {
		walk(root, 0)
	}
	return out
}

// panicError turns a panic of the pdf package into an error.
func panicError(page int, x any) error {
	msg := fmt.Sprint(x)
	if e, ok := x.(error); ok {
		msg = e.Error()
	}
	for _, p := range []string{"unknown filter ", "unsupported filter "} {
		if i := strings.Index(msg, p); i >= 0 {
			f := strings.Trim(strings.Fields(msg[i+len(p):] + " ?")[0], "/{}[]")
			return &FilterError{Filter: f, Page: page}
		}
	}
	return &CorruptError{Page: page, Detail: msg}
}

// raiseSize returns a copy of data whose last trailer's /Size is larger than
// any object number.
func raiseSize(data []byte) ([]byte, bool) {
	t := bytes.LastIndex(data, []byte("trailer"))
	if t < 0 {
		return nil, false
	}
	i := bytes.Index(data[t:], []byte("/Size"))
	if i < 0 {
		return nil, false
	}
	i += t + len("/Size")
	j := i
	for j < len(data) && (data[j] == ' ' || data[j] == '\r' || data[j] == '\n') {
		j++
	}
	k := j
	for k < len(data) && data[k] >= '0' && data[k] <= '9' {
		k++
	}
	if k == j {
		return nil, false
	}
	out := make([]byte, 0, len(data)+8)
	out = append(out, data[:j]...)
	out = append(out, "16777215"...)
	out = append(out, data[k:]...)
	return out, true
}
