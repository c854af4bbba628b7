package pipeline

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/registerlyft/registerlyft/extractors"

	"github.com/registerlyft/registerlyft/extractors/ocr"
)

// Quarantine reasons of OCR inputs (scanned images and PDF pages).
const (
	ReasonImageTooSmall = "image too small"
	ReasonOCRFailed     = "OCR failed"
)

// ocrPools holds each Env's OCR pool (*ocrState by *Env): Env is declared
// in stages.go, and a pool is started only when a run meets a scan.
var ocrPools sync.Map

type ocrState struct {
	once sync.Once
	pool *ocr.Pool
	own  bool // started here, closed by CloseOCR
}

func (e *Env) ocrState() *ocrState {
	s, _ := ocrPools.LoadOrStore(e, &ocrState{})
	return s.(*ocrState)
}

// OCR returns the Env's OCR pool, starting it on first use: one worker
// process per core running this executable's hidden "ocr-worker"
// subcommand (see package extractors/ocr). Readers of scans call it; Run
// closes it at the end (CloseOCR).
func (e *Env) OCR() *ocr.Pool {
	s := e.ocrState()
	s.once.Do(func() {
		if s.pool == nil {
			s.pool, s.own = ocr.New(ocr.Config{}), true
		}
	})
	return s.pool
}

// SetOCR makes p the Env's OCR pool (tests run their own worker command;
// a caller may size it). The caller closes p.
func (e *Env) SetOCR(p *ocr.Pool) {
	s := e.ocrState()
	s.once.Do(func() {})
	s.pool, s.own = p, false
}

// CloseOCR stops the Env's OCR workers if OCR started them; the next OCR
// call starts a new pool.
func (e *Env) CloseOCR() {
	v, ok := ocrPools.Load(e)
	if !ok {
		return
	}
	s := v.(*ocrState)
	if s.own && s.pool != nil {
		s.pool.Close()
		ocrPools.Delete(e)
	}
}

func init() {
	PDFPageOCR = ocrPDFPages
}

// ocrPDFPages is PDFPageOCR: it recognises every page of doc whose text
// layer is unusable (Source SourceNone) with the Env's OCR pool, as many
// pages at once as the pool has workers, and puts the words into the page
// (Source SourceOCR). The pool reads the PDF from a file, so the bytes that
// were hashed (it.Bytes) are written to a temporary one: OCR sees exactly
// the content the manifest records. A page that cannot be recognised gives
// up the whole file (ocrQuarantine, the page named): a register with a
// silently missing page would lose rows without anyone noticing.
func ocrPDFPages(ctx context.Context, env *Env, it *Item, doc *extractors.Doc) error {
	f, err := os.CreateTemp("", "registerlyft-scan-*.pdf")
	if err != nil {
		return fmt.Errorf("OCR of %s: %w", it.Rel, err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(it.Bytes); err != nil {
		f.Close()
		return fmt.Errorf("OCR of %s: %w", it.Rel, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("OCR of %s: %w", it.Rel, err)
	}

	pool := env.OCR()
	sem := make(chan struct{}, max(1, pool.Workers()))
	errs := make([]error, len(doc.Pages))
	var wg sync.WaitGroup
	for i := range doc.Pages {
		pg := &doc.Pages[i]
		if pg.Source != SourceNone {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			r, err := pool.PDFPage(ctx, f.Name(), pg.N)
			if err != nil {
				errs[i] = &ocr.PageError{Page: pg.N, Err: err}
				return
			}
			n := pg.N
			*pg = r.Page
			pg.N, pg.Source = n, SourceOCR
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return ocrQuarantine(ctx, err)
		}
	}
	return nil
}
