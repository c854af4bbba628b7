package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/registerlyft/registerlyft/pipeline/manifest"
	"github.com/registerlyft/registerlyft/pipeline/record"
)

// JournalFile is the write-ahead journal of a run in progress, inside the
// output directory. Each processed file's manifest entry and records are
// appended and fsynced before the file is reported done (acknowledged), so
// a run killed at any moment — even with SIGKILL, which no handler sees —
// loses no acknowledged record: the next run replays the journal first.
// A run that ends normally folds the journal into records.jsonl and
// manifest.json and removes it.
const JournalFile = "journal.jsonl"

type journalEntry struct {
	Entry   *manifest.Entry `json:"entry"`
	Records []record.Record `json:"records,omitempty"`
}

type journal struct {
	f *os.File
}

func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return &journal{f: f}, nil
}

// add appends one processed file, its records already encoded (the
// journalEntry of e and the records, on one line), and syncs it to disk.
func (j *journal) add(e *manifest.Entry, recs jsonLines) error {
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return fmt.Errorf("journal %s: %w", e.Path, err)
	}
	w := bufio.NewWriterSize(j.f, 64<<10)
	w.WriteString(`{"entry":`)
	w.Write(bytes.TrimSuffix(head.Bytes(), []byte("\n")))
	if recs.len() > 0 {
		w.WriteString(`,"records":[`)
		for i := 0; i < recs.len(); i++ {
			if i > 0 {
				w.WriteByte(',')
			}
			w.Write(bytes.TrimSuffix(recs.line(i), []byte("\n")))
		}
		w.WriteByte(']')
	}
	w.WriteString("}\n")
	if err := w.Flush(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

func (j *journal) close() error { return j.f.Close() }

// readJournal reads the journal a killed run left behind. A torn last line
// (the process died while writing it) is ignored: that file was never
// acknowledged.
func readJournal(path string) ([]journalEntry, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	defer f.Close()
	var out []journalEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for sc.Scan() {
		var je journalEntry
		if err := json.Unmarshal(sc.Bytes(), &je); err != nil || je.Entry == nil {
			break // torn tail
		}
		out = append(out, je)
	}
	return out, nil
}

// jsonLines holds records encoded as JSON Lines, as records.jsonl has
// them. The worker that made the records encodes them once; the journal
// and records.jsonl take the same bytes.
type jsonLines struct {
	lines [][]byte // one per record, each ending in "\n"
}

// lineChunk is the size of the blocks the lines are kept in: large enough
// for few allocations, and no block is copied to grow as one buffer for
// all of a 100,000-row file's lines would be.
const lineChunk = 1 << 20

// encodeLines encodes rs as records.jsonl holds them.
func encodeLines(rs []record.Record) (jsonLines, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	l := jsonLines{lines: make([][]byte, len(rs))}
	var chunk []byte
	for i := range rs {
		buf.Reset()
		if err := enc.Encode(&rs[i]); err != nil {
			return jsonLines{}, fmt.Errorf("records: %s: %w", rs[i].ID, err)
		}
		if cap(chunk)-len(chunk) < buf.Len() {
			chunk = make([]byte, 0, max(lineChunk, buf.Len()))
		}
		start := len(chunk)
		chunk = append(chunk, buf.Bytes()...)
		l.lines[i] = chunk[start:len(chunk):len(chunk)]
	}
	return l, nil
}

func (l jsonLines) len() int { return len(l.lines) }

// line returns record i's line, with its "\n".
func (l jsonLines) line(i int) []byte { return l.lines[i] }

// writeTo writes the lines to w.
func (l jsonLines) writeTo(w io.Writer) error {
	for _, b := range l.lines {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}
