package pipeline

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/ocr"
	"github.com/registerlyft/registerlyft/extractors/ocr/worker"
	"github.com/registerlyft/registerlyft/pipeline/manifest"
	"github.com/registerlyft/registerlyft/pipeline/sniff"
)

// OCR workers in this package's tests are the test binary itself: started
// with the "ocr-worker" argument (what Env.OCR's default pool runs) or with
// ocr.WorkerEnv=1, it serves as a worker before any test runs.
func init() {
	if os.Getenv(ocr.WorkerEnv) == "1" || len(os.Args) == 2 && os.Args[1] == ocr.WorkerCommand {
		os.Exit(worker.Main())
	}
}

const ocrTestdata = "../extractors/ocr/testdata"

func ocrEnv(t *testing.T) *Env {
	t.Helper()
	env := DefaultEnv()
	t.Cleanup(env.CloseOCR)
	return env
}

func pngBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombPNG is a valid PNG of w×h white pixels in ~80 KB.
func bombPNG(w, h int) []byte {
	chunk := func(b []byte, typ string, data []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		start := len(b)
		b = append(append(b, typ...), data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(w)), uint32(h))
	b := chunk([]byte("\x89PNG\r\n\x1a\n"), "IHDR", append(ihdr, 1, 0, 0, 0, 0))
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := bytes.Repeat([]byte{0xFF}, 1+(w+7)/8)
	row[0] = 0
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	return chunk(chunk(b, "IDAT", z.Bytes()), "IEND", nil)
}

// TestReadImage reads a two-page TIFF: pages of words in points, lines in
// reading order with their page, repaired text.
func TestReadImage(t *testing.T) {
	env := ocrEnv(t)
	b, err := os.ReadFile(filepath.Join(ocrTestdata, "pages.tif"))
	if err != nil {
		t.Fatal(err)
	}
	it := &Item{Rel: "pages.tif", Bytes: b, Kind: sniff.Kind("pages.tif", b, b)}
	if it.Kind != sniff.TIFF {
		t.Fatalf("sniffed %q", it.Kind)
	}
	doc := &extractors.Doc{Path: it.Rel, Format: it.Kind, Repair: env.Repair}
	if err := readers[it.Kind](context.Background(), env, it, doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != 2 || doc.Format != "scan" {
		t.Fatalf("%d pages, format %q", len(doc.Pages), doc.Format)
	}
	for i, p := range doc.Pages {
		if p.N != i+1 || p.Source != "ocr" || len(p.Words) < 30 {
			t.Errorf("page %d: N %d source %q, %d words", i+1, p.N, p.Source, len(p.Words))
		}
	}
	// 1418 pixels at 200 dpi = 510.5 points (18 cm).
	if w := doc.Pages[0].Width; w < 509 || w > 512 {
		t.Errorf("page 1 width %.1f points", w)
	}
	text := doc.Text()
	for _, want := range []string{"Registerförteckning för äldreomsorgen i Älvsbyns kommun", "Behandlingsaktivitet", "Rättslig förpliktelse"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	pageOf := map[int]int{}
	for i, l := range doc.Lines {
		if l.N != i+1 || l.Page < 1 || l.Page > 2 {
			t.Fatalf("line %+v", l)
		}
		if l.Text != "" {
			pageOf[l.Page]++
		}
		if i > 0 && l.Page < doc.Lines[i-1].Page {
			t.Errorf("line %d goes back to page %d", l.N, l.Page)
		}
	}
	if pageOf[1] < 6 || pageOf[2] < 4 {
		t.Errorf("lines per page %v", pageOf)
	}
}

// TestImageQuarantine runs bad images through Run: each ends in quarantine
// with its reason, and the good one next to them is read.
func TestImageQuarantine(t *testing.T) {
	src := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(src, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pixel.png", pngBytes(t, image.NewGray(image.Rect(0, 0, 1, 1))))
	write("bomb.png", bombPNG(20000, 20000))
	lines, err := os.ReadFile(filepath.Join(ocrTestdata, "lines.png"))
	if err != nil {
		t.Fatal(err)
	}
	write("cut.png", lines[:len(lines)/3])
	write("jpeg-garbage.jpg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte{7}, 200)...))
	write("register.png", lines)
	out := t.TempDir()
	sum, err := Run(context.Background(), Config{Inputs: []string{src}, Out: out, Workers: 2, NoIndex: true, Env: ocrEnv(t)})
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load(filepath.Join(out, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"pixel.png":        ReasonImageTooSmall,
		"bomb.png":         ReasonTooLarge,
		"cut.png":          ReasonCorrupt,
		"jpeg-garbage.jpg": ReasonCorrupt,
	}
	for name, reason := range want {
		e := m.Entries[name]
		if e == nil || e.Outcome != manifest.OutcomeQuarantine || e.Reason != reason {
			t.Errorf("%s: %+v, want quarantine %q", name, e, reason)
			continue
		}
		t.Logf("%s: %s: %s", name, e.Reason, e.Detail)
	}
	// The register text has no register layout the current extractors know,
	// but it was read: no reading failure.
	if e := m.Entries["register.png"]; e == nil || e.Outcome == manifest.OutcomeQuarantine && (e.Reason == ReasonOCRFailed || e.Reason == ReasonCorrupt || e.Reason == ReasonEmpty) {
		t.Errorf("register.png: %+v", e)
	}
	if sum.Files != 5 {
		t.Errorf("summary %+v", sum)
	}
}
