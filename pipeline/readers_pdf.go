package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/pdfwords"
	"github.com/registerlyft/registerlyft/extractors/table"
	"github.com/registerlyft/registerlyft/pipeline/sniff"
)

// Page sources (extractors.Page.Source).
const (
	// SourceTextLayer: the page's words come from the PDF's text layer.
	SourceTextLayer = extractors.SourceTextLayer
	// SourceOCR: the page's words come from OCR.
	SourceOCR = extractors.SourceOCR
	// SourceNone marks a PDF page whose text layer is missing, empty or
	// garbage (a scan, or a scan with a bad hidden OCR layer): it has no
	// words yet and must go to OCR. The OCR reader fills such pages (Words,
	// Source = SourceOCR) through PDFPageOCR.
	SourceNone = "none"
)

// PDFPageOCR, when set (by the OCR reader, in its init), recognises the
// pages of doc whose Source is SourceNone: it fills their Words (and sets
// Source to SourceOCR) from the PDF in it.Bytes, and returns a
// *QuarantineError only when the whole file must be given up. readPDF
// rebuilds doc.Lines afterwards. When nil, such pages stay without words,
// and a PDF with no text at all is quarantined.
var PDFPageOCR func(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error

func init() {
	registerReader(readPDF, sniff.PDF)
}

// readPDF reads a PDF's text layer into doc.Pages (words with positions,
// ruling lines) and doc.Lines (one per physical line, in reading order),
// hands the pages without a usable text layer to OCR, and repairs the text.
func readPDF(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error {
	pd, err := pdfwords.Read(it.Bytes)
	if err != nil {
		return pdfQuarantine(err)
	}
	var firstErr error
	needOCR, failed := 0, 0
	for _, p := range pd.Pages {
		pg := extractors.Page{N: p.N, Width: p.Width, Height: p.Height, Source: SourceTextLayer, Words: p.Words, Rules: p.Rules}
		if p.Err != nil {
			failed++
			if firstErr == nil {
				firstErr = p.Err
			}
		}
		if !usableTextLayer(p) {
			pg.Source, pg.Words = SourceNone, nil
			needOCR++
		}
		doc.Pages = append(doc.Pages, pg)
	}
	if failed == len(pd.Pages) && !hasWords(doc) {
		// Not one page could be read: the file is broken, not a scan.
		return pdfQuarantine(firstErr)
	}
	if needOCR > 0 && PDFPageOCR != nil {
		if err := PDFPageOCR(ctx, env, it, doc); err != nil {
			return err
		}
	}
	if !hasWords(doc) {
		if needOCR > 0 && PDFPageOCR == nil {
			return quarantine(ReasonEmpty, "PDF without a usable text layer on any of its %d pages (a scan?), and OCR is not available", len(doc.Pages))
		}
		return quarantine(ReasonEmpty, "PDF with no text on any of its %d pages", len(doc.Pages))
	}
	if needOCR == len(doc.Pages) {
		// A scan: every page's words come from OCR. Its lines follow
		// Tesseract's own line grouping, as for an image file.
		doc.Format = "scan"
		SetOCRPages(env, it, doc, doc.Pages)
		return nil
	}
	setPageLines(env, it, doc)
	return nil
}

// pdfQuarantine turns an error of pdfwords into a quarantine verdict.
func pdfQuarantine(err error) error {
	var fe *pdfwords.FilterError
	switch {
	case err == nil:
		return quarantine(ReasonCorrupt, "PDF: no page could be read")
	case errors.Is(err, pdfwords.ErrEncrypted):
		return &QuarantineError{Reason: ReasonEncrypted, Detail: err.Error(), Err: err}
	case errors.Is(err, pdfwords.ErrNoPages):
		return &QuarantineError{Reason: ReasonEmpty, Detail: "PDF with no pages", Err: err}
	case errors.As(err, &fe):
		return &QuarantineError{Reason: ReasonUnsupported, Detail: fmt.Sprintf("PDF stream filter %s is not supported (page %d)", fe.Filter, fe.Page), Err: err}
	}
	return &QuarantineError{Reason: ReasonCorrupt, Detail: "PDF: " + pdfFirstLine(err.Error()), Err: err}
}

func pdfFirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func hasWords(doc *extractors.Doc) bool {
	for _, p := range doc.Pages {
		if len(p.Words) > 0 {
			return true
		}
	}
	return false
}

// usableTextLayer reports whether a page's text layer can be trusted: it
// has words, most glyphs have a Unicode meaning, and most words look like
// words (letters or digits, with vowels where they are letters). A scan
// with a bad hidden OCR layer fails the last test.
func usableTextLayer(p pdfwords.Page) bool {
	if len(p.Words) == 0 {
		return false
	}
	if p.Glyphs > 0 && float64(p.Unmapped) > 0.3*float64(p.Glyphs) {
		return false
	}
	good, n := 0, 0
	for _, w := range p.Words {
		n++
		if wordLike(w.Text) {
			good++
		}
	}
	if n < 5 {
		// A few words on an image (a stamp, a page number) do not make a
		// text layer for a scanned page.
		return p.ImageCover < 0.5
	}
	return float64(good) >= 0.6*float64(n)
}

// wordLike reports whether s looks like a word of text: mostly letters or
// digits, and a vowel somewhere if it is a longer run of letters.
func wordLike(s string) bool {
	letters, digits, other, vowels := 0, 0, 0, 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
			if strings.ContainsRune("aeiouyåäöéAEIOUYÅÄÖÉ", r) {
				vowels++
			}
		case unicode.IsDigit(r):
			digits++
		case strings.ContainsRune(".,;:!?()-–/'\"%§&\u00ad\u2010", r):
		default:
			other++
		}
	}
	if letters+digits == 0 || other > (letters+digits)/3 {
		return false
	}
	return letters < 4 || vowels > 0
}

// setPageLines builds doc.Lines from doc.Pages — one Line per physical line
// (table.Lines), page by page, words joined by table.LineText — repairs
// their text like setLines, writes the repaired words back into the pages
// where a line keeps its number of words, and sets each Word.Line to the
// number of the Doc line that holds it (the table extractor's provenance).
// The OCR reader may call it for images too.
func setPageLines(env *Env, it *Item, doc *extractors.Doc) {
	type ref struct{ page, word int }
	var texts []string
	var owners [][]ref
	var pages []int
	for p := range doc.Pages {
		pg := &doc.Pages[p]
		for _, ids := range table.Lines(pg.Words) {
			n := len(texts) + 1
			rs := make([]ref, len(ids))
			for k, i := range ids {
				pg.Words[i].Line = n
				rs[k] = ref{p, i}
			}
			texts = append(texts, table.LineText(pg.Words, ids))
			owners = append(owners, rs)
			pages = append(pages, pg.N)
		}
	}
	joined := strings.Join(texts, "\n")
	fixed, fixes := env.Repair.Text(joined)
	if fixed != joined {
		if lines := strings.Split(fixed, "\n"); len(lines) == len(texts) {
			for i, l := range lines {
				if l == texts[i] {
					continue
				}
				texts[i] = l
				if toks := strings.Fields(l); len(toks) == len(owners[i]) {
					for k, r := range owners[i] {
						doc.Pages[r.page].Words[r.word].Text = toks[k]
					}
				}
			}
		}
	}
	it.Fixes = append(it.Fixes, fixes...)
	doc.Lines = make([]extractors.Line, len(texts))
	for i, t := range texts {
		doc.Lines[i] = extractors.Line{N: i + 1, Page: pages[i], Text: strings.TrimRight(t, "\r")}
	}
}
