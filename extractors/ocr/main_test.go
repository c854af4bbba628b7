package ocr_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/registerlyft/registerlyft/extractors/ocr"
	"github.com/registerlyft/registerlyft/extractors/ocr/worker"
)

// The tests start OCR workers by re-executing the test binary itself with
// ocr.WorkerEnv=1 (or with the argument "ocr-worker", as a default Pool
// does): this init then serves as the worker before any test runs, so no
// registerlyft binary needs to be built.
func init() {
	if os.Getenv(ocr.WorkerEnv) == "1" || len(os.Args) == 2 && os.Args[1] == ocr.WorkerCommand {
		os.Exit(worker.Main())
	}
}

// newPool returns a pool whose workers are this test binary.
func newPool(t testing.TB, cfg ocr.Config) *ocr.Pool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Command = []string{exe}
	cfg.Env = append(cfg.Env, ocr.WorkerEnv+"=1")
	p := ocr.New(cfg)
	t.Cleanup(func() { p.Close() })
	return p
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// crop returns the rectangle r of a PNG test image as a PNG (small regions
// keep OCR calls cheap).
func crop(t testing.TB, name string, r image.Rectangle) []byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(readTestdata(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	sub := img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
	var buf bytes.Buffer
	if err := png.Encode(&buf, sub); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
