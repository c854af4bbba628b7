package pipeline

import (
	"bytes"
	"context"
	"strings"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/htmltext"
	"github.com/registerlyft/registerlyft/pipeline/sniff"
)

// A Reader fills doc from the item's bytes: the repaired text lines and,
// for inputs that have them, positioned words (Pages) or cell grids
// (Sheets). It sets it.Encoding and it.Fixes, and returns a
// *QuarantineError when the input cannot be read. Readers are registered
// per sniffed kind, one file per kind of input (readers_*.go), so that a
// new input kind is added without touching the other stages.
type Reader func(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error

var readers = map[string]Reader{}

// registerReader makes r the reader of the given sniffed kinds.
func registerReader(r Reader, kinds ...string) {
	for _, k := range kinds {
		readers[k] = r
	}
}

func init() {
	registerReader(readText, sniff.Text)
	registerReader(readHTML, sniff.HTML)
}

// readText decodes plain text (any supported encoding) and repairs it.
func readText(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error {
	text, enc, err := env.Repair.Decode(it.Bytes)
	if err != nil {
		return &QuarantineError{Reason: ReasonUndecodable, Detail: err.Error(), Err: err}
	}
	it.Encoding = enc
	setLines(env, it, doc, strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n"))
	return nil
}

// readHTML turns an HTML page into lines (main content first, then what
// stands outside it, such as a footer's address) and repairs them.
func readHTML(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error {
	page, err := htmltext.Extract(bytes.NewReader(it.Bytes))
	if err != nil {
		return &QuarantineError{Reason: ReasonCorrupt, Detail: "HTML: " + err.Error(), Err: err}
	}
	doc.Title = page.Title
	doc.Headings = page.Headings
	lines := page.Lines
	if len(page.Outside) > 0 {
		lines = append(append(lines, ""), page.Outside...)
	}
	it.Encoding = page.Encoding
	setLines(env, it, doc, lines)
	return nil
}

// setLines repairs the text of lines and stores them in doc, one Line per
// physical line, with the repairs in it.Fixes.
func setLines(env *Env, it *Item, doc *extractors.Doc, lines []string) {
	joined := strings.Join(lines, "\n")
	fixed, fixes := env.Repair.Text(joined)
	if fixed != joined {
		lines = strings.Split(fixed, "\n")
	}
	it.Fixes = append(it.Fixes, fixes...)
	doc.Lines = make([]extractors.Line, len(lines))
	for i, l := range lines {
		doc.Lines[i] = extractors.Line{N: i + 1, Text: strings.TrimRight(l, "\r")}
	}
}
