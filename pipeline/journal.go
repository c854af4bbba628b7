package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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

// add appends one processed file and syncs it to disk.
func (j *journal) add(e *manifest.Entry, recs []record.Record) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(journalEntry{Entry: e, Records: recs}); err != nil {
		return fmt.Errorf("journal %s: %w", e.Path, err)
	}
	if _, err := j.f.Write(buf.Bytes()); err != nil {
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
