// Package manifest keeps the account of an ingest run's inputs: one entry per
// input file (path, sha256, size, kind, outcome, record count, time) and the
// quarantine list of files that gave no records, each with its reason. The
// manifest is what lets a rerun skip unchanged files and replace the records
// of changed ones.
package manifest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Outcomes of one input file.
const (
	OutcomeRecords    = "records"    // records written
	OutcomeQuarantine = "quarantine" // no records; see Reason
)

// Entry is the account of one input file.
type Entry struct {
	Path      string    `json:"path"` // relative to the ingest root, forward slashes
	Root      string    `json:"root"` // absolute ingest root the path is relative to
	SHA256    string    `json:"sha256"`
	Size      int64     `json:"size"`
	Kind      string    `json:"kind"` // sniffed kind: txt, html, pdf, ...
	Outcome   string    `json:"outcome"`
	Reason    string    `json:"reason,omitempty"` // quarantine reason
	Detail    string    `json:"detail,omitempty"` // the underlying error, for a person to read
	Extractor string    `json:"extractor,omitempty"`
	Encoding  string    `json:"encoding,omitempty"`
	Records   int       `json:"records"`
	Fixes     int       `json:"fixes,omitempty"`
	Millis    int64     `json:"millis"` // processing time
	Time      time.Time `json:"time"`   // when it was processed
}

// Manifest is the set of entries, keyed by path.
type Manifest struct {
	Version int               `json:"version"`
	Entries map[string]*Entry `json:"-"`
}

type onDisk struct {
	Version int      `json:"version"`
	Entries []*Entry `json:"entries"`
}

// New returns an empty manifest.
func New() *Manifest { return &Manifest{Version: 1, Entries: map[string]*Entry{}} }

// Load reads the manifest at path; a missing file gives an empty manifest.
func Load(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return New(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	var d onDisk
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", path, err)
	}
	m := New()
	for _, e := range d.Entries {
		m.Entries[e.Path] = e
	}
	return m, nil
}

// Sorted returns the entries ordered by path.
func (m *Manifest) Sorted() []*Entry {
	out := make([]*Entry, 0, len(m.Entries))
	for _, e := range m.Entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Save writes the manifest to path atomically (a temporary file renamed over it).
func (m *Manifest) Save(path string) error {
	b, err := json.MarshalIndent(onDisk{Version: m.Version, Entries: m.Sorted()}, "", "  ")
	if err != nil {
		return err
	}
	return WriteAtomic(path, append(b, '\n'))
}

// QuarantineItem is one line of the quarantine list.
type QuarantineItem struct {
	Input  string `json:"input"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
	Detail string `json:"detail,omitempty"`
}

// SaveQuarantine writes the quarantine list (JSON Lines, by path) to path.
func (m *Manifest) SaveQuarantine(path string) error {
	var b []byte
	for _, e := range m.Sorted() {
		if e.Outcome != OutcomeQuarantine {
			continue
		}
		line, err := json.Marshal(QuarantineItem{Input: e.Path, Kind: e.Kind, Reason: e.Reason, Detail: e.Detail})
		if err != nil {
			return err
		}
		b = append(append(b, line...), '\n')
	}
	return WriteAtomic(path, b)
}

// WriteAtomic writes data to path through a temporary file in the same
// directory, synced and renamed, so a reader never sees a half-written file.
func WriteAtomic(path string, data []byte) error {
	return WriteAtomicFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteAtomicFunc is WriteAtomic for content written by write, buffered,
// so that a large file (records.jsonl) need not be built in memory first.
func WriteAtomicFunc(path string, write func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	bw := bufio.NewWriterSize(f, 64<<10)
	werr := write(bw)
	if werr == nil {
		werr = bw.Flush()
	}
	serr := f.Sync()
	cerr := f.Close()
	if err := firstErr(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
