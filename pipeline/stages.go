package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
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

// layoutStage picks the extractor whose Detect score is highest.
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
	format := it.Kind
	it.Records = make([]record.Record, 0, len(it.Raw))
	for i, raw := range it.Raw {
		r := normalize.Record(raw)
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
		whole := r.Kind == record.KindDocument || raw.Line == 0
		for _, f := range it.Fixes {
			if whole || (f.Line >= raw.Line && f.Line <= end) {
				r.Fixes = append(r.Fixes, f)
			}
		}
		it.Records = append(it.Records, r)
	}
	return nil
}

// qualityStage flags the defects of each record.
type qualityStage struct{}

func (qualityStage) Name() string { return "quality" }

func (qualityStage) Run(ctx context.Context, it *Item) error {
	for i := range it.Records {
		quality.Check(&it.Records[i])
	}
	return nil
}

// recordID is stable: the same file and position give the same id.
func recordID(rel string, page, line, ordinal int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d\x00%d\x00%d", rel, page, line, ordinal)))
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

// sortRecords orders records by file, keeping each file's records in the
// order its extractor gave them (document order).
func sortRecords(rs []record.Record) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Provenance.File < rs[j].Provenance.File })
}
