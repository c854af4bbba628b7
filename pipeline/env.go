package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/flattable"
	"github.com/registerlyft/registerlyft/extractors/infopage"
	"github.com/registerlyft/registerlyft/extractors/memo"
	"github.com/registerlyft/registerlyft/extractors/notice"
	"github.com/registerlyft/registerlyft/extractors/sheet"
	"github.com/registerlyft/registerlyft/extractors/table"
	"github.com/registerlyft/registerlyft/pipeline/repair"
)

// DefaultMaxSize is the largest input file read by default (256 MiB).
const DefaultMaxSize = 256 << 20

// DefaultExtractors lists every extractor the pipeline knows, in the order
// their Detect scores are asked (ties go to the earlier one).
func DefaultExtractors() []extractors.Extractor {
	return []extractors.Extractor{
		sheet.New(), // first: a cell grid is a table, whatever its lines look like
		table.New(), // then positioned words (PDF text layer, OCR) that form a table
		flattable.New(),
		notice.New(),
		memo.New(),
		infopage.New(),
	}
}

// DefaultEnv returns the standard stage environment.
func DefaultEnv() *Env {
	return &Env{
		Repair:     repair.New(),
		Extractors: DefaultExtractors(),
		MaxSize:    DefaultMaxSize,
		MinDetect:  0.2,
	}
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
