// Package pipeline runs registerlyft's batch ingest: it walks the input
// folders, sends every file through the stages (read → decode and repair →
// detect layout → extract → normalize → quality) on a worker pool, and
// writes the output directory: records.jsonl (the record contract),
// manifest.json (one entry per input), quarantine.jsonl (inputs that gave no
// records, with the reason) and the search index.
//
// Every input file ends in exactly one of: records written, or a quarantine
// entry. A panic in a stage is caught and quarantines that file only. A
// rerun skips files whose sha256 is unchanged and replaces the records of
// changed ones. Cancelling (Ctrl-C) stops taking new files, lets the running
// ones finish, and writes a consistent output directory.
package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/registerlyft/registerlyft/index"
	"github.com/registerlyft/registerlyft/pipeline/manifest"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// Output file names inside the output directory.
const (
	RecordsFile    = "records.jsonl"
	ManifestFile   = "manifest.json"
	QuarantineFile = "quarantine.jsonl"
	IndexDir       = "index"
)

// Config configures one ingest run.
type Config struct {
	Inputs  []string // files and folders
	Out     string   // output directory
	Workers int      // 0: one per core
	Env     *Env     // stages' shared state; nil: DefaultEnv()
	NoIndex bool     // skip the search index (tests, dry runs)
	// Progress, when set, is called from the writer goroutine after each file.
	Progress func(p Progress)
	// Log, when set, receives one line per notable event (warnings, skips).
	Log func(format string, args ...any)
}

// Progress is the state of a run after one more file.
type Progress struct {
	Done, Total int
	Records     int
	File        string
	Outcome     string
	Detail      string // extractor or quarantine reason
	Elapsed     time.Duration
}

// Summary accounts for every input file of a run.
type Summary struct {
	Files       int            // input files found
	Processed   int            // files run through the stages this time
	Unchanged   int            // skipped: same sha256 as the last run
	WithRecords int            // files that gave records (this run or kept)
	Quarantined int            // files in quarantine
	Cancelled   int            // files not processed because the run was cancelled
	Removed     int            // files of earlier runs no longer present
	Records     int            // records in records.jsonl
	ByReason    map[string]int // quarantined files by reason
	ByExtractor map[string]int // records by extractor
	Elapsed     time.Duration
	Out         string
}

type input struct{ path, rel, root string }

// Run ingests cfg.Inputs into cfg.Out.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	start := time.Now()
	if cfg.Out == "" {
		return nil, errors.New("ingest: no output directory given")
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	env := cfg.Env
	if env == nil {
		env = DefaultEnv()
	}
	defer env.CloseOCR() // OCR workers started by this run's scans
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	logf := cfg.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}

	inputs, roots, err := walk(cfg.Inputs, logf)
	if err != nil {
		return nil, err
	}
	old, err := manifest.Load(filepath.Join(cfg.Out, ManifestFile))
	if err != nil {
		return nil, err
	}
	oldRecords, err := ReadRecords(filepath.Join(cfg.Out, RecordsFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	byFile := map[string][]record.Record{}
	for _, r := range oldRecords {
		byFile[r.Provenance.File] = append(byFile[r.Provenance.File], r)
	}
	// A journal left by a killed run holds files it acknowledged after
	// the last complete write: take them as if that run had finished.
	journalPath := filepath.Join(cfg.Out, JournalFile)
	replayed, err := readJournal(journalPath)
	if err != nil {
		return nil, err
	}
	for _, je := range replayed {
		old.Entries[je.Entry.Path] = je.Entry
		delete(byFile, je.Entry.Path)
		if je.Entry.Outcome == manifest.OutcomeRecords {
			byFile[je.Entry.Path] = je.Records
		}
	}
	if len(replayed) > 0 {
		logf("recovered %d files from the journal of an interrupted run", len(replayed))
	}

	var idx index.Backend
	if !cfg.NoIndex {
		// Bulk: index writes return once searchable and reach the disk in
		// the background; the journal can redo them after a crash, and
		// Sync below runs before the journal is removed.
		dir := filepath.Join(cfg.Out, IndexDir)
		b, err := index.OpenWith(dir, index.Options{Bulk: true})
		rebuild := false
		if errors.Is(err, index.ErrOldIndex) {
			// An index of an older layout: make it again from the records
			// kept beside it, instead of asking for a new output folder.
			logf("index: %s was made by another version of registerlyft; rebuilding it from %s", dir, RecordsFile)
			if err := os.RemoveAll(dir); err != nil {
				return nil, fmt.Errorf("ingest: rebuild index: %w", err)
			}
			b, err = index.OpenWith(dir, index.Options{Bulk: true})
			rebuild = true
		}
		if err != nil {
			return nil, fmt.Errorf("ingest: open index: %w", err)
		}
		idx = b
		defer idx.Close()
		if rebuild {
			files := make([]string, 0, len(byFile))
			for f := range byFile {
				files = append(files, f)
			}
			sort.Strings(files)
			for _, f := range files {
				if err := idx.Index(ctx, byFile[f]); err != nil {
					return nil, fmt.Errorf("ingest: rebuild index: %w", err)
				}
			}
		}
		// The index may have lost what the killed run was writing: put the
		// replayed files' records in again.
		for _, je := range replayed {
			if err := idx.DeleteFile(ctx, je.Entry.Path); err != nil {
				return nil, fmt.Errorf("ingest: index: %w", err)
			}
			if rs := byFile[je.Entry.Path]; len(rs) > 0 {
				if err := idx.Index(ctx, rs); err != nil {
					return nil, fmt.Errorf("ingest: index: %w", err)
				}
			}
		}
	}
	jr, err := openJournal(journalPath)
	if err != nil {
		return nil, err
	}
	defer jr.close()

	sum := &Summary{Files: len(inputs), ByReason: map[string]int{}, ByExtractor: map[string]int{}, Out: cfg.Out}
	next := manifest.New()
	seen := map[string]bool{}
	var todo []input
	for _, in := range inputs {
		seen[in.rel] = true
		if e, ok := old.Entries[in.rel]; ok && unchanged(in.path, e) {
			next.Entries[in.rel] = e
			sum.Unchanged++
			continue
		}
		todo = append(todo, in)
	}
	// Entries of earlier runs: keep those outside this run's roots; drop the
	// ones under its roots that are gone.
	for rel, e := range old.Entries {
		if seen[rel] {
			continue
		}
		if underRoots(e.Root, roots) {
			sum.Removed++
			delete(byFile, rel)
			if idx != nil {
				if err := idx.DeleteFile(ctx, rel); err != nil {
					logf("index: delete %s: %v", rel, err)
				}
			}
			continue
		}
		next.Entries[rel] = e
	}

	// Worker pool.
	jobs := make(chan input)
	results := make(chan *result)
	var wg sync.WaitGroup
	stages := env.Stages()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range jobs {
				results <- process(ctx, stages, in)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, in := range todo {
			if ctx.Err() != nil {
				return
			}
			select {
			case jobs <- in:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	done, nrec := 0, 0
	for _, rs := range byFile {
		nrec += len(rs)
	}
	var writeErr error
	// The records of the files processed now, as encoded by the workers
	// (records.jsonl's lines).
	encoded := map[string]jsonLines{}
	for res := range results {
		if res.cancelled {
			continue // not processed: no manifest entry, a rerun takes it
		}
		done++
		e := res.entry
		if res.encodeErr != nil {
			if writeErr == nil {
				writeErr = res.encodeErr
			}
		} else if err := jr.add(e, res.lines); err != nil && writeErr == nil {
			writeErr = err
		}
		if res.err == nil {
			if idx != nil {
				if err := idx.DeleteFile(ctx, e.Path); err == nil {
					err = idx.Index(ctx, res.records)
					if err != nil {
						writeErr = fmt.Errorf("index %s: %w", e.Path, err)
					}
				} else {
					writeErr = fmt.Errorf("index %s: %w", e.Path, err)
				}
			}
			nrec += len(res.records) - len(byFile[e.Path])
			byFile[e.Path] = res.records
			if res.encodeErr == nil {
				encoded[e.Path] = res.lines
			}
		} else {
			nrec -= len(byFile[e.Path])
			delete(byFile, e.Path)
			delete(encoded, e.Path)
			if idx != nil {
				_ = idx.DeleteFile(ctx, e.Path)
			}
		}
		next.Entries[e.Path] = e
		sum.Processed++
		if cfg.Progress != nil {
			d := e.Extractor
			if e.Outcome == manifest.OutcomeQuarantine {
				d = e.Reason
			}
			cfg.Progress(Progress{Done: done, Total: len(todo), Records: nrec, File: e.Path, Outcome: e.Outcome, Detail: d, Elapsed: time.Since(start)})
		}
	}
	sum.Cancelled = len(todo) - sum.Processed

	// Write the output: records, manifest, quarantine.
	if err := writeRecordsByFile(filepath.Join(cfg.Out, RecordsFile), byFile, encoded); err != nil {
		return nil, err
	}
	if err := next.Save(filepath.Join(cfg.Out, ManifestFile)); err != nil {
		return nil, err
	}
	if err := next.SaveQuarantine(filepath.Join(cfg.Out, QuarantineFile)); err != nil {
		return nil, err
	}
	// Everything the journal held is now in the files above, and in the
	// index once it is synced.
	if writeErr == nil && idx != nil {
		if err := idx.Sync(); err != nil {
			writeErr = fmt.Errorf("ingest: index: %w", err)
		}
	}
	if writeErr == nil {
		jr.close()
		if err := os.Remove(journalPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("ingest: %w", err)
		}
	}
	for _, e := range next.Entries {
		if !seen[e.Path] {
			continue
		}
		if e.Outcome == manifest.OutcomeQuarantine {
			sum.Quarantined++
			sum.ByReason[e.Reason]++
		} else {
			sum.WithRecords++
		}
	}
	for _, rs := range byFile {
		for i := range rs {
			sum.ByExtractor[rs[i].Provenance.Extractor]++
		}
		sum.Records += len(rs)
	}
	sum.Elapsed = time.Since(start)
	if writeErr != nil {
		return sum, writeErr
	}
	if ctx.Err() != nil && sum.Cancelled > 0 {
		return sum, ctx.Err()
	}
	return sum, nil
}

type result struct {
	entry     *manifest.Entry
	records   []record.Record
	lines     jsonLines // records, encoded by the worker
	encodeErr error     // records that cannot be encoded (fails the run's write)
	err       error
	cancelled bool
}

// process runs one input through the stages; a panic quarantines the file.
func process(ctx context.Context, stages []Stage, in input) (res *result) {
	start := time.Now()
	it := &Item{Path: in.path, Rel: in.rel, Root: in.root}
	e := &manifest.Entry{Path: in.rel, Root: in.root}
	res = &result{entry: e}
	defer func() {
		if p := recover(); p != nil {
			res.err = &QuarantineError{Reason: ReasonInternal, Detail: fmt.Sprintf("panic: %v\n%s", p, firstLines(debug.Stack(), 12))}
		}
		e.SHA256, e.Size, e.Kind, e.Encoding = it.SHA256, it.Size, it.Kind, it.Encoding
		if it.Extractor != nil {
			e.Extractor = it.Extractor.Name()
		}
		e.Millis = time.Since(start).Milliseconds()
		e.Time = time.Now().UTC().Truncate(time.Second)
		if res.err != nil {
			q := asQuarantine(res.err)
			e.Outcome, e.Reason, e.Detail = manifest.OutcomeQuarantine, q.Reason, q.Detail
			res.records = nil
			return
		}
		e.Outcome = manifest.OutcomeRecords
		e.Records = len(it.Records)
		e.Fixes = len(it.Fixes)
		res.records = it.Records
	}()
	for _, s := range stages {
		if err := ctx.Err(); err != nil {
			res.cancelled = true
			res.err = err
			return res
		}
		if err := s.Run(ctx, it); err != nil {
			res.err = err
			return res
		}
	}
	// Encode here, on the worker, once: the journal and records.jsonl
	// both take these bytes.
	res.lines, res.encodeErr = encodeLines(it.Records)
	return res
}

func firstLines(b []byte, n int) string {
	lines := bytes.SplitN(b, []byte("\n"), n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// unchanged reports whether the file at path still has the entry's size and
// sha256. Only quick size mismatches skip the hash.
func unchanged(path string, e *manifest.Entry) bool {
	st, err := os.Stat(path)
	if err != nil || st.Size() != e.Size || e.SHA256 == "" {
		return false
	}
	sum, err := fileSHA256(path)
	return err == nil && sum == e.SHA256
}

func underRoots(root string, roots []string) bool {
	for _, r := range roots {
		if root == r {
			return true
		}
	}
	return false
}

// walk lists the input files below the given paths, in a stable order.
func walk(paths []string, logf func(string, ...any)) ([]input, []string, error) {
	var out []input
	var roots []string
	seen := map[string]bool{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %w", p, err)
		}
		st, err := os.Stat(abs)
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %w", p, err)
		}
		if !st.IsDir() {
			root := filepath.Dir(abs)
			roots = append(roots, root)
			if !seen[abs] {
				seen[abs] = true
				out = append(out, input{path: abs, rel: filepath.Base(abs), root: root})
			}
			continue
		}
		roots = append(roots, abs)
		err = filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				// An unreadable folder: account for it as one quarantined input.
				if path != abs {
					logf("cannot read %s: %v", path, err)
					rel, _ := filepath.Rel(abs, path)
					out = append(out, input{path: path, rel: filepath.ToSlash(rel), root: abs})
					return fs.SkipDir
				}
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if path != abs && strings.HasPrefix(name, ".") {
					return fs.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(name, ".") || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			if seen[path] {
				return nil
			}
			seen[path] = true
			rel, _ := filepath.Rel(abs, path)
			out = append(out, input{path: path, rel: filepath.ToSlash(rel), root: abs})
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %w", p, err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out, roots, nil
}

// ReadRecords reads a records.jsonl file.
func ReadRecords(path string) ([]record.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []record.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var r record.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// writeRecordsByFile writes records.jsonl, atomically: the files in path
// order, each file's records in the order its extractor gave them
// (document order), from the lines the workers encoded where there are
// some, encoding the others (records carried over from an earlier run or
// the journal). byFile holds each file's records under its
// Provenance.File.
func writeRecordsByFile(path string, byFile map[string][]record.Record, encoded map[string]jsonLines) error {
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	return manifest.WriteAtomicFunc(path, func(w io.Writer) error {
		for _, f := range files {
			l, ok := encoded[f]
			if !ok || l.len() != len(byFile[f]) {
				var err error
				if l, err = encodeLines(byFile[f]); err != nil {
					return err
				}
			}
			if err := l.writeTo(w); err != nil {
				return err
			}
		}
		return nil
	})
}

// WriteRecords writes records as JSON Lines, atomically.
func WriteRecords(path string, rs []record.Record) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i := range rs {
		if err := enc.Encode(&rs[i]); err != nil {
			return fmt.Errorf("records: %s: %w", rs[i].ID, err)
		}
	}
	return manifest.WriteAtomic(path, buf.Bytes())
}
