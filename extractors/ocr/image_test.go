package ocr_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/registerlyft/registerlyft/extractors/ocr"
)

// pngChunk appends one PNG chunk.
func pngChunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	start := len(b)
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}

// bombPNG is a valid 1-bit PNG of w×h white pixels: a few hundred KB that
// decode to w*h bytes of pixels in most decoders.
func bombPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 1, 0, 0, 0, 0) // 1 bit grey
	b = pngChunk(b, "IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+(w+7)/8)
	for i := 1; i < len(row); i++ {
		row[i] = 0xFF
	}
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	b = pngChunk(b, "IDAT", z.Bytes())
	return pngChunk(b, "IEND", nil)
}

func onePixelPNG() []byte {
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.White)
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func smallJPEG(w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, nil)
	return buf.Bytes()
}

func TestInspect(t *testing.T) {
	bomb := bombPNG(t, 20000, 20000)
	t.Logf("20000×20000 PNG: %d bytes", len(bomb))
	tests := []struct {
		name       string
		data       []byte
		format     string
		sizes      [][2]int
		dpi        float64
		inspectErr error
		checkErr   error // of the first page, DefaultMaxPixels
	}{
		{"png 300 dpi", readTestdata(t, "lines.png"), ocr.FormatPNG, [][2]int{{2126, 1063}}, 300, nil, nil},
		{"png without resolution", readTestdata(t, "nodpi.png"), ocr.FormatPNG, [][2]int{{1418, 709}}, 0, nil, nil},
		{"two-page tiff", readTestdata(t, "pages.tif"), ocr.FormatTIFF, [][2]int{{1418, 709}, {1733, 552}}, 200, nil, nil},
		{"jpeg", smallJPEG(40, 30), ocr.FormatJPEG, [][2]int{{40, 30}}, 0, nil, nil},
		{"1×1 png", onePixelPNG(), ocr.FormatPNG, [][2]int{{1, 1}}, 0, nil, ocr.ErrTooSmall},
		{"20000×20000 png", bomb, ocr.FormatPNG, [][2]int{{20000, 20000}}, 0, nil, ocr.ErrTooLarge},
		{"not an image", []byte("%PDF-1.4 hello"), "", nil, 0, ocr.ErrUndecodable, nil},
		{"png cut in its header", readTestdata(t, "lines.png")[:20], "", nil, 0, ocr.ErrUndecodable, nil},
		{"jpeg cut in its header", smallJPEG(40, 30)[:30], "", nil, 0, ocr.ErrUndecodable, nil},
		{"tiff header only", []byte("II*\x00\xff\xff\x00\x00"), "", nil, 0, ocr.ErrUndecodable, nil},
		{"tiff loop", []byte("II*\x00\x08\x00\x00\x00\x00\x00\x08\x00\x00\x00"), "", nil, 0, ocr.ErrUndecodable, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := ocr.Inspect(tt.data)
			if tt.inspectErr != nil {
				if !errors.Is(err, tt.inspectErr) {
					t.Fatalf("Inspect error = %v, want %v", err, tt.inspectErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.Format != tt.format || len(info.Pages) != len(tt.sizes) {
				t.Fatalf("got %s with %d pages, want %s with %d", info.Format, len(info.Pages), tt.format, len(tt.sizes))
			}
			for i, s := range tt.sizes {
				if p := info.Pages[i]; p.Width != s[0] || p.Height != s[1] {
					t.Errorf("page %d: %d×%d, want %d×%d", i+1, p.Width, p.Height, s[0], s[1])
				}
			}
			if d := info.Pages[0].DPI; d < tt.dpi-1 || d > tt.dpi+1 {
				t.Errorf("dpi %.1f, want %.0f", d, tt.dpi)
			}
			err = info.Pages[0].Check(0)
			if tt.checkErr == nil && err != nil || tt.checkErr != nil && !errors.Is(err, tt.checkErr) {
				t.Errorf("Check = %v, want %v", err, tt.checkErr)
			}
		})
	}
}

func TestGuessDPI(t *testing.T) {
	tests := []struct {
		w, h int
		want float64
	}{
		{2480, 3508, 300}, // A4 at 300 dpi
		{3508, 2480, 300}, // landscape
		{1654, 2339, 200},
		{2550, 3300, 300}, // Letter at 300 dpi is within 8 % of A4's
		{1240, 1754, 150},
		{800, 100, 300}, // a strip: no page shape
		{0, 0, 300},
	}
	for _, tt := range tests {
		if got := ocr.GuessDPI(tt.w, tt.h); got != tt.want {
			t.Errorf("GuessDPI(%d, %d) = %v, want %v", tt.w, tt.h, got, tt.want)
		}
	}
}
