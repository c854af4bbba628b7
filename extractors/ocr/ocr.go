// Package ocr reads words with their positions from scanned pages with
// Tesseract, in supervised worker processes.
//
// Tesseract (through github.com/otiai10/gosseract/v2) cannot run safely in
// the pipeline's own process: a client is not thread-safe, Init redirects the
// process's stderr, every returned string leaks (~19 KB per page), a crash in
// its C code would take the whole batch down, and its OpenMP threads make
// parallel pages several times slower unless OMP_THREAD_LIMIT=1 is set when
// the process starts. So this package is the supervisor side and needs no
// cgo: a Pool runs one worker process per core (the same binary's hidden
// "ocr-worker" subcommand, which serves package ocr/worker), each started
// with OMP_THREAD_LIMIT=1 and reusing one Tesseract client for many pages.
// A worker is recycled after Config.MaxPages pages or when its resident
// memory (VmRSS of /proc/PID/status) passes Config.MaxRSS, killed when a page
// takes longer than Config.PageTimeout, and restarted when it crashes; the
// page it was on fails with an error, the other pages go on.
//
// Inputs: Pool.Image takes PNG, JPEG and TIFF files (every page of a
// multi-page TIFF); Pool.PDFPage takes one page of a scanned PDF (its
// embedded image where the page is one image, else a rendering at 300 dpi by
// pdftoppm). Images are checked from their headers before anything decodes
// them: too small (a 1×1 pixel) or too large (a decompression bomb) images
// are refused with ErrTooSmall or ErrTooLarge.
//
// Results are extractors.Page values with Source "ocr": words in points
// (1/72 inch) from the top-left corner, so that table reconstruction sees
// the same units as for a PDF text layer, with Tesseract's block and line
// numbers and confidences. Lines gives the words as text lines in reading
// order.
//
// Tesseract runs with language "swe" (Swedish; "eng" loses every å/ä/ö) and
// page segmentation mode 11 (sparse text), which keeps the cells of a table
// apart where the default mode interleaves columns.
package ocr

import (
	"errors"
	"fmt"
	"time"

	"github.com/registerlyft/registerlyft/extractors"
)

// Defaults of Config.
const (
	DefaultLang        = "swe"
	DefaultPSM         = 11 // sparse text: cells of a table stay apart
	DefaultPageTimeout = 2 * time.Minute
	DefaultMaxPages    = 200
	DefaultMaxRSS      = 1 << 30 // 1 GiB
	// DefaultMaxPixels is the largest image accepted: 80 megapixels, an
	// A3 page at 600 dpi. Tesseract needs several bytes per pixel.
	DefaultMaxPixels = 80_000_000
	// MinSide is the smallest width and height, in pixels, of a page that
	// can hold a line of text.
	MinSide = 16
	// RenderDPI is the resolution scanned PDF pages are rendered at.
	RenderDPI = 300
)

// WorkerCommand is the hidden subcommand of registerlyft that runs a worker.
const WorkerCommand = "ocr-worker"

// WorkerEnv, set to "1" in a process's environment, tells a test binary to
// serve as an OCR worker (see package ocr/worker's Main) instead of running
// tests; Config.Command then names the test binary itself.
const WorkerEnv = "REGISTERLYFT_OCR_WORKER"

// Errors of the pipeline's quarantine reasons. Errors returned by the Pool
// wrap one of them (test with errors.Is).
var (
	ErrTooSmall    = errors.New("image too small")
	ErrTooLarge    = errors.New("image too large")
	ErrUndecodable = errors.New("image cannot be decoded")
	ErrTimeout     = errors.New("OCR timed out")
	ErrCrashed     = errors.New("OCR worker crashed")
	ErrFailed      = errors.New("OCR failed")
	ErrClosed      = errors.New("OCR pool closed")
)

// Result is the OCR of one page.
type Result struct {
	// Page holds the words in points from the top-left corner, Source "ocr".
	Page extractors.Page
	// DPI is the resolution the pixels were converted to points with;
	// DPIGuessed is true when the image did not say it (see GuessDPI).
	DPI        float64
	DPIGuessed bool
	// WidthPx, HeightPx are the image's size in pixels.
	WidthPx, HeightPx int
	// Origin says where the image came from: "image" (a PNG/JPEG/TIFF file),
	// "embedded image" (a PDF page that is one image) or "rendered at 300
	// dpi" (a PDF page rendered by pdftoppm).
	Origin string
	// CPU is the worker's CPU time for the page (user+system).
	CPU time.Duration
	// Skew is the tilt in degrees that Deskew took out of the word boxes
	// (0 when the page was straight or the evidence too thin).
	Skew float64
}

// PageError is the failure of one page of a multi-page input.
type PageError struct {
	Page int // 1-based
	Err  error
}

func (e *PageError) Error() string { return fmt.Sprintf("page %d: %v", e.Page, e.Err) }
func (e *PageError) Unwrap() error { return e.Err }

// toPage converts a worker's pixel boxes to a page in points.
func toPage(n int, r *Response, dpi float64) extractors.Page {
	k := 72 / dpi
	p := extractors.Page{N: n, Width: float64(r.Width) * k, Height: float64(r.Height) * k, Source: extractors.SourceOCR}
	p.Words = make([]extractors.Word, 0, len(r.Words))
	// Tesseract numbers lines within paragraphs; number them within blocks.
	block, par, line, n := -1, -1, -1, 0
	for _, w := range r.Words {
		switch {
		case w.Block != block:
			block, par, line, n = w.Block, w.Par, w.Line, 1
		case w.Par != par || w.Line != line:
			par, line = w.Par, w.Line
			n++
		}
		conf := w.Conf / 100
		if conf < 0 {
			conf = 0
		}
		p.Words = append(p.Words, extractors.Word{
			Text: w.Text,
			X0:   float64(w.X0) * k, Y0: float64(w.Y0) * k, X1: float64(w.X1) * k, Y1: float64(w.Y1) * k,
			Block: w.Block, Line: n,
			Conf: conf,
		})
	}
	return p
}
