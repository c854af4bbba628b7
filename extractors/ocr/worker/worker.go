// Package worker is the OCR worker process's side of package ocr: it reads
// page jobs (ocr.Request frames) on stdin, recognises each with one reused
// Tesseract client (gosseract, cgo) and writes ocr.Response frames on
// stdout. It is the only registerlyft package that needs cgo and
// libtesseract; the pipeline imports package ocr, which starts this code in
// child processes ("registerlyft ocr-worker").
//
// A worker reads one page at a time and asks Tesseract for one result per
// page (GetBoundingBoxesVerbose: words, confidences, block, paragraph and
// line numbers), since every gosseract getter runs recognition again. It
// validates each image with Go's decoders before Leptonica sees it, so that
// a broken file gives an error instead of a null image inside Tesseract.
// Memory that gosseract leaks is reclaimed by the supervisor recycling the
// process; a crash in C code kills only this process.
package worker

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for validation
	_ "image/png"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/otiai10/gosseract/v2"
	"golang.org/x/image/tiff"

	"github.com/registerlyft/registerlyft/extractors/ocr"
)

// Main runs a worker on the process's stdin and stdout until stdin ends and
// returns the process exit code. It first moves stdout out of the way of C
// code: whatever Tesseract prints goes to stderr, the protocol to the
// original stdout.
func Main() int {
	out := os.Stdout
	if fd, err := syscall.Dup(1); err == nil {
		if err := syscall.Dup3(2, 1, 0); err == nil {
			out = os.NewFile(uintptr(fd), "ocr-protocol")
		} else {
			syscall.Close(fd)
		}
	}
	if err := Serve(os.Stdin, out); err != nil {
		fmt.Fprintln(os.Stderr, "ocr-worker:", err)
		return 1
	}
	return 0
}

// Serve answers requests from r on w until r ends.
func Serve(r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 1<<20)
	bw := bufio.NewWriterSize(w, 64<<10)
	e := &engine{}
	defer e.close()
	for {
		req, err := ocr.ReadRequest(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		resp := e.page(req)
		if err := ocr.WriteFrame(bw, resp); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	}
}

// engine holds the one Tesseract client of the process.
type engine struct {
	client *gosseract.Client
	lang   string
}

func (e *engine) close() {
	if e.client != nil {
		_ = e.client.Close()
		e.client = nil
	}
}

// page recognises one request; Go panics become an error response.
func (e *engine) page(req *ocr.Request) (resp *ocr.Response) {
	resp = &ocr.Response{ID: req.ID}
	start := cpuTime()
	defer func() {
		if p := recover(); p != nil {
			resp.Words = nil
			resp.Err = fmt.Sprintf("panic: %v: %s", p, firstLine(debug.Stack()))
			e.close() // the client's state is unknown
		}
		resp.CPU = int64(cpuTime() - start)
	}()
	w, h, err := validate(req.Image)
	if err != nil {
		resp.Err, resp.Undecodable = err.Error(), true
		return resp
	}
	resp.Width, resp.Height = w, h
	if e.client == nil || e.lang != req.Lang {
		e.close()
		c := gosseract.NewClient()
		if err := c.SetLanguage(req.Lang); err != nil {
			resp.Err = err.Error()
			return resp
		}
		e.client, e.lang = c, req.Lang
	}
	c := e.client
	// Set per page: Init (on the first page) resets the page segmentation
	// mode set through SetPageSegMode, variables are applied after it.
	_ = c.SetVariable("tessedit_pageseg_mode", strconv.Itoa(req.PSM))
	if req.DPI > 0 {
		_ = c.SetVariable("user_defined_dpi", strconv.Itoa(req.DPI))
	}
	if err := c.SetImageFromBytes(req.Image); err != nil {
		resp.Err = err.Error()
		return resp
	}
	boxes, err := c.GetBoundingBoxesVerbose()
	if err != nil {
		resp.Err = err.Error()
		e.close()
		return resp
	}
	resp.Words = make([]ocr.PixelWord, 0, len(boxes))
	for _, b := range boxes {
		t := strings.TrimSpace(b.Word)
		if t == "" {
			continue
		}
		resp.Words = append(resp.Words, ocr.PixelWord{
			Text: t,
			X0:   b.Box.Min.X, Y0: b.Box.Min.Y, X1: b.Box.Max.X, Y1: b.Box.Max.Y,
			Conf:  b.Confidence,
			Block: b.BlockNum, Par: b.ParNum, Line: b.LineNum, Num: b.WordNum,
		})
	}
	return resp
}

// validate decodes the image with Go's decoders (the whole image, so that a
// truncated file is caught) and returns its size. A TIFF compression Go
// does not support (JPEG-in-TIFF) is left to Leptonica.
func validate(data []byte) (w, h int, err error) {
	info, err := ocr.Inspect(data)
	if err != nil {
		return 0, 0, err
	}
	pg := info.Pages[0]
	if info.Format == ocr.FormatTIFF {
		_, err = tiff.Decode(bytes.NewReader(data))
		var unsupported tiff.UnsupportedError
		if errors.As(err, &unsupported) {
			return pg.Width, pg.Height, nil
		}
	} else {
		_, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		if msg := err.Error(); !strings.HasPrefix(msg, info.Format) {
			return 0, 0, fmt.Errorf("%s: %s", info.Format, msg)
		}
		return 0, 0, err
	}
	return pg.Width, pg.Height, nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func firstLine(b []byte) string {
	lines := strings.Split(string(b), "\n")
	if len(lines) > 6 {
		lines = lines[:6]
	}
	return strings.Join(lines, " | ")
}
