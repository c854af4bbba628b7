package ocr

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"io"
)

// The supervisor and a worker talk over the worker's stdin and stdout in
// frames: a 4-byte big-endian length, then one gob-encoded Request or
// Response. The length bounds what either side reads.
const (
	maxRequest  = 512 << 20
	maxResponse = 64 << 20
)

// Request is one page job for a worker.
type Request struct {
	ID    uint64
	Image []byte // one page: PNG, JPEG or TIFF (its first page), as Leptonica reads them
	DPI   int    // resolution to read the pixels at (user_defined_dpi)
	Lang  string // Tesseract language, e.g. "swe"
	PSM   int    // page segmentation mode
}

// Response is a worker's answer to the Request of the same ID.
type Response struct {
	ID            uint64
	Width, Height int // image size in pixels
	Words         []PixelWord
	// Err is set when the page failed; Undecodable when the image could not
	// be decoded (the worker is fine).
	Err         string
	Undecodable bool
	// CPU is the worker's CPU time for the page, in nanoseconds.
	CPU int64
}

// PixelWord is one recognised word, in pixels of the image, top-left origin,
// as Tesseract numbers it.
type PixelWord struct {
	Text                  string
	X0, Y0, X1, Y1        int
	Conf                  float64 // 0–100, -1 when Tesseract gave none
	Block, Par, Line, Num int
}

// WriteFrame writes v (a Request or Response) as one frame.
func WriteFrame(w io.Writer, v any) error {
	var buf bytes.Buffer
	buf.Write([]byte{0, 0, 0, 0})
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("ocr protocol: encode: %w", err)
	}
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	_, err := w.Write(b)
	return err
}

// ReadFrame reads one frame of at most limit bytes into v. At the end of
// the stream it returns io.EOF.
func ReadFrame(r io.Reader, v any, limit int) error {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return err
	}
	n := int(binary.BigEndian.Uint32(head[:]))
	if n > limit {
		return fmt.Errorf("ocr protocol: frame of %d bytes, the limit is %d", n, limit)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(v); err != nil {
		return fmt.Errorf("ocr protocol: decode: %w", err)
	}
	return nil
}

// ReadRequest reads a worker's next job.
func ReadRequest(r io.Reader) (*Request, error) {
	var q Request
	if err := ReadFrame(r, &q, maxRequest); err != nil {
		return nil, err
	}
	return &q, nil
}
