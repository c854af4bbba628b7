package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/registerlyft/registerlyft/extractors"
	"github.com/registerlyft/registerlyft/extractors/controller"
	"github.com/registerlyft/registerlyft/pipeline/normalize"
	"github.com/registerlyft/registerlyft/pipeline/quality"
	"github.com/registerlyft/registerlyft/pipeline/record"
	"github.com/registerlyft/registerlyft/pipeline/repair"
	"github.com/registerlyft/registerlyft/pipeline/sniff"
)

// Item is one input file on its way through the stages. Each stage reads
// what the stages before it left and adds its own part.
type Item struct {
	Path string // absolute path on disk
	Rel  string // path relative to the ingest root, forward slashes
	Root string // absolute ingest root

	// Read.
	Size   int64
	SHA256 string
	Bytes  []byte
	Kind   string // sniffed kind (sniff.Text, sniff.HTML, ...)

	// Decode and repair.
	Encoding string
	Doc      *extractors.Doc
	Fixes    []record.Fix

	// Layout and extraction.
	Extractor extractors.Extractor
	Raw       []extractors.RawRecord

	// Normalize and quality.
	Records []record.Record

	// memo remembers normalization's and quality's results per distinct
	// text for this file's records (see normalize.Memo).
	memo *normalize.Memo
}

// Stage is one step of the pipeline. A stage returns a *QuarantineError when
// the input can give no records; any other error is reported as an
// extraction failure. Stages must be safe for concurrent use on different
// items.
type Stage interface {
	Name() string
	Run(ctx context.Context, it *Item) error
}

// Env holds what the stages share: the repair stage, the extractors and
// limits. It is read-only during a run.
type Env struct {
	Repair     *repair.Repairer
	Extractors []extractors.Extractor
	MaxSize    int64   // bytes; larger files are quarantined
	MinDetect  float64 // lowest layout score accepted
}

// Stages returns the standard chain: read → decode and repair → detect the
// layout → extract → normalize → quality-check. Writing is done by the
// runner's single writer.
func (e *Env) Stages() []Stage {
	return []Stage{readStage{e}, decodeStage{e}, layoutStage{e}, extractStage{}, normalizeStage{}, qualityStage{}}
}

// readStage reads the file, hashes it and sniffs its kind.
type readStage struct{ env *Env }

func (readStage) Name() string { return "read" }

func (s readStage) Run(ctx context.Context, it *Item) error {
	f, err := os.Open(it.Path)
	if err != nil {
		return &QuarantineError{Reason: ReasonUnreadable, Detail: err.Error(), Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return &QuarantineError{Reason: ReasonUnreadable, Detail: err.Error(), Err: err}
	}
	it.Size = st.Size()
	if s.env.MaxSize > 0 && it.Size > s.env.MaxSize {
		return quarantine(ReasonTooLarge, "%d bytes, the limit is %d (raise it with --max-size)", it.Size, s.env.MaxSize)
	}
	b, err := io.ReadAll(io.LimitReader(f, s.env.MaxSize+1))
	if err != nil {
		return &QuarantineError{Reason: ReasonUnreadable, Detail: err.Error(), Err: err}
	}
	sum := sha256.Sum256(b)
	it.SHA256 = hex.EncodeToString(sum[:])
	it.Bytes = b
	it.Kind = sniff.Kind(it.Path, b[:min(len(b), 8192)], b)
	switch {
	case it.Kind == sniff.Empty:
		return quarantine(ReasonEmpty, "the file has no content")
	case it.Kind == sniff.Binary || it.Kind == sniff.Zip:
		return quarantine(ReasonBinary, "content is not text, PDF, image or an office document")
	case readers[it.Kind] == nil:
		return quarantine(ReasonUnsupported, "%s files are not supported yet", it.Kind)
	}
	return nil
}

// decodeStage turns the bytes into a Doc of repaired text through the
// reader registered for the file's kind, then finds the controller.
type decodeStage struct{ env *Env }

func (decodeStage) Name() string { return "decode" }

func (s decodeStage) Run(ctx context.Context, it *Item) error {
	read := readers[it.Kind]
	if read == nil {
		return quarantine(ReasonUnsupported, "%s files are not supported yet", it.Kind)
	}
	doc := &extractors.Doc{Path: it.Rel, Format: it.Kind, Repair: s.env.Repair}
	if err := read(ctx, s.env, it, doc); err != nil {
		return err
	}
	nonBlank := 0
	for _, l := range doc.Lines {
		if strings.TrimSpace(l.Text) != "" {
			nonBlank++
		}
	}
	if nonBlank == 0 && len(doc.Sheets) == 0 {
		return quarantine(ReasonEmpty, "no text after decoding")
	}
	if doc.Municipality == "" && doc.Organ == "" {
		lines := make([]string, len(doc.Lines))
		for i, l := range doc.Lines {
			lines[i] = l.Text
		}
		doc.Municipality, doc.Organ = controller.Find(lines)
	}
	it.Doc = doc
	return nil
}

// layoutStage picks the extractor whose Detect score is highest, the
// earlier one on a tie. A score of extractors.Certain cannot be beaten, so
// the search stops there: the extractors after it are not asked. That
// keeps a 100,000-row sheet, which the sheet extractor (asked first)
// claims with certainty, from being scanned line by line by every
// text-layout extractor, and it changes no choice.
type layoutStage struct{ env *Env }

func (layoutStage) Name() string { return "layout" }

func (s layoutStage) Run(ctx context.Context, it *Item) error {
	best, bestScore := extractors.Extractor(nil), 0.0
	var scores []string
	for _, x := range s.env.Extractors {
		sc := x.Detect(it.Doc)
		scores = append(scores, fmt.Sprintf("%s %.2f", x.Name(), sc))
		if sc > bestScore {
			best, bestScore = x, sc
		}
		if sc >= extractors.Certain {
			break
		}
	}
	if best == nil || bestScore < s.env.MinDetect {
		return quarantine(ReasonNoLayout, "no extractor fits (scores: %s)", strings.Join(scores, ", "))
	}
	it.Extractor = best
	return nil
}

// extractStage runs the chosen extractor.
type extractStage struct{}

func (extractStage) Name() string { return "extract" }

func (extractStage) Run(ctx context.Context, it *Item) error {
	raws, err := it.Extractor.Extract(it.Doc)
	if err != nil {
		return &QuarantineError{Reason: ReasonExtractError, Detail: it.Extractor.Name() + ": " + err.Error(), Err: err}
	}
	if len(raws) == 0 {
		return quarantine(ReasonNoRecords, "extractor %s found no entries", it.Extractor.Name())
	}
	it.Raw = raws
	return nil
}

// normalizeStage turns raw records into contract records with ids and
// provenance, and hands each record the repairs made inside its lines.
type normalizeStage struct{}

func (normalizeStage) Name() string { return "normalize" }

func (normalizeStage) Run(ctx context.Context, it *Item) error {
	// The reader's verdict wins over the sniffed kind: a PDF whose pages
	// were all OCR'd, or an image file, is a "scan" (the contract's formats).
	format := it.Kind
	if it.Doc != nil && it.Doc.Format != "" {
		format = it.Doc.Format
	}
	it.memo = normalize.NewMemo()
	fixes := newFixIndex(it.Fixes)
	it.Records = make([]record.Record, 0, len(it.Raw))
	for i, raw := range it.Raw {
		r := it.memo.Record(raw)
		if r.Kind == "" {
			r.Kind = raw.Kind
		}
		if r.Kind == "" {
			r.Kind = record.KindActivity
		}
		if r.Municipality == "" {
			r.Municipality = it.Doc.Municipality
		}
		if r.Organ == "" {
			r.Organ = it.Doc.Organ
		}
		end := raw.EndLine
		if end < raw.Line {
			end = raw.Line
		}
		r.Provenance = record.Provenance{
			File:             it.Rel,
			SHA256:           it.SHA256,
			Format:           format,
			Page:             raw.Page,
			Line:             raw.Line,
			EndLine:          end,
			Extractor:        it.Extractor.Name(),
			Confidence:       clamp01(raw.Confidence),
			ActivityInferred: raw.ActivityInferred,
			Encoding:         it.Encoding,
		}
		r.ActivityInferred = raw.ActivityInferred
		r.ID = recordID(it.Rel, raw.Page, raw.Line, i)
		if r.Kind == record.KindDocument || raw.Line == 0 {
			r.Fixes = fixes.all()
		} else {
			r.Fixes = fixes.within(raw.Line, end)
		}
		it.Records = append(it.Records, r)
	}
	return nil
}

// fixIndex finds the repairs made inside a record's lines. Readers give
// the repairs in line order, so a binary search finds a record's among
// them, instead of a scan of every repair for every record (a sheet with
// a repair on each of its 100,000 rows). Repairs out of line order are
// scanned as before.
type fixIndex struct {
	fixes  []record.Fix
	sorted bool
}

func newFixIndex(fixes []record.Fix) fixIndex {
	sorted := sort.SliceIsSorted(fixes, func(i, j int) bool { return fixes[i].Line < fixes[j].Line })
	return fixIndex{fixes: fixes, sorted: sorted}
}

// all returns a copy of every repair (nil for none).
func (x fixIndex) all() []record.Fix {
	if len(x.fixes) == 0 {
		return nil
	}
	return append([]record.Fix(nil), x.fixes...)
}

// within returns a copy of the repairs on lines from to to (nil for none),
// in their order.
func (x fixIndex) within(from, to int) []record.Fix {
	if !x.sorted {
		var out []record.Fix
		for _, f := range x.fixes {
			if f.Line >= from && f.Line <= to {
				out = append(out, f)
			}
		}
		return out
	}
	i := sort.Search(len(x.fixes), func(i int) bool { return x.fixes[i].Line >= from })
	j := i
	for j < len(x.fixes) && x.fixes[j].Line <= to {
		j++
	}
	if i == j {
		return nil
	}
	return append([]record.Fix(nil), x.fixes[i:j]...)
}

// qualityStage flags the defects of each record, remembering per distinct
// text through the file's memo (quality.Checker).
type qualityStage struct{}

func (qualityStage) Name() string { return "quality" }

func (qualityStage) Run(ctx context.Context, it *Item) error {
	k := quality.NewChecker(it.memo)
	for i := range it.Records {
		k.Check(&it.Records[i])
	}
	return nil
}

// recordID is stable: the same file and position give the same id, the
// first 8 bytes of the SHA-256 of "rel NUL page NUL line NUL ordinal".
func recordID(rel string, page, line, ordinal int) string {
	b := make([]byte, 0, len(rel)+3*8)
	b = append(b, rel...)
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(page), 10)
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(ordinal), 10)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

func clamp01(f float64) float64 {
	switch {
	case f <= 0:
		return 1 // an extractor that says nothing is taken as sure
	case f > 1:
		return 1
	}
	return f
}
