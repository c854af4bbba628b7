package pipeline

import (
	"sync"

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
