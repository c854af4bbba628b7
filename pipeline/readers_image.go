package pipeline

// The reader of scanned images: PNG, JPEG and TIFF (every page of a
// multi-page TIFF) go through OCR (the Env's pool of Tesseract worker
// processes, package extractors/ocr). It fills doc.Pages with the
// positioned words (points, Source "ocr") and doc.Lines with the same words
// as text lines in reading order, each Line carrying its page, repaired like
// every other text (OCR damage to å/ä/ö, mojibake); the words of a line take
// the repaired spelling where the line keeps its number of words.
//
// Images that cannot give text are quarantined with a reason: a 1×1 image
// ("image too small"), a decompression bomb such as 20,000×20,000 pixels
// ("file too large", refused from its header before any decoding), an
// image no decoder can read ("corrupt file"), and an OCR worker that
// crashed or ran past its time ("OCR failed").

import (
	"context"
	"errors"
	"strings"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/ocr"
	"github.com/registerlyft/registerlyft/pipeline/sniff"
)

func init() {
	registerReader(readImage, sniff.PNG, sniff.JPEG, sniff.TIFF)
}

// readImage OCRs every page of an image file.
func readImage(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error {
	results, err := env.OCR().Image(ctx, it.Bytes)
	if err != nil {
		return ocrQuarantine(ctx, err)
	}
	doc.Format = "scan"
	pages := make([]extractors.Page, len(results))
	for i, r := range results {
		pages[i] = r.Page
	}
	SetOCRPages(env, it, doc, pages)
	return nil
}

// ocrQuarantine turns an OCR error into the file's quarantine verdict.
func ocrQuarantine(ctx context.Context, err error) error {
	reason, detail := ReasonOCRFailed, err.Error()
	switch {
	case errors.Is(err, ocr.ErrTooSmall):
		reason = ReasonImageTooSmall
		detail = strings.Replace(detail, ocr.ErrTooSmall.Error()+": ", "", 1)
	case errors.Is(err, ocr.ErrTooLarge):
		reason = ReasonTooLarge
	case errors.Is(err, ocr.ErrUndecodable):
		reason = ReasonCorrupt
	case ctx.Err() != nil:
		return ctx.Err() // cancelled: not the file's fault
	}
	return &QuarantineError{Reason: reason, Detail: detail, Err: err}
}

// SetOCRPages stores OCR'd pages in doc: doc.Pages as given (page numbers
// kept), doc.Lines the pages' text lines in reading order with their page
// numbers, repaired; the repairs go to it.Fixes. Each word's Line becomes
// the number of its line in doc.Lines (as the text-layer reader does; its
// Block stays Tesseract's). A reader of scanned PDF
// pages can call it too (pages already in doc.Pages from the text layer
// should then be passed along, in page order).
func SetOCRPages(env *Env, it *Item, doc *extractors.Doc, pages []extractors.Page) {
	type src struct {
		page  int
		words []*extractors.Word // the words of the line, left to right
	}
	var texts []string
	var srcs []src
	for pi := range pages {
		p := &pages[pi]
		// Lines copies words; map them back to the page's words to repair
		// their text in place.
		index := map[extractors.Word]*extractors.Word{}
		for wi := range p.Words {
			index[p.Words[wi]] = &p.Words[wi]
		}
		if pi > 0 {
			texts = append(texts, "") // a blank line between pages
			srcs = append(srcs, src{page: p.N})
		}
		for _, l := range ocr.Lines(*p) {
			ws := make([]*extractors.Word, len(l.Words))
			for i, w := range l.Words {
				ws[i] = index[w]
			}
			texts = append(texts, l.Text())
			srcs = append(srcs, src{page: p.N, words: ws})
		}
	}
	joined := strings.Join(texts, "\n")
	fixed, fixes := env.Repair.Text(joined)
	if fixed != joined {
		if lines := strings.Split(fixed, "\n"); len(lines) == len(texts) {
			texts = lines
		}
	}
	it.Fixes = append(it.Fixes, fixes...)
	doc.Pages = pages
	doc.Lines = make([]extractors.Line, len(texts))
	for i, t := range texts {
		doc.Lines[i] = extractors.Line{N: i + 1, Page: srcs[i].page, Text: t}
		for _, w := range srcs[i].words {
			if w != nil {
				w.Line = i + 1 // as for a text layer: the word's line in doc.Lines
			}
		}
		// The words take the repaired spelling when the line kept its count.
		if f := strings.Fields(t); len(f) == len(srcs[i].words) {
			for j, w := range srcs[i].words {
				if w != nil {
					w.Text = f[j]
				}
			}
		}
	}
}
