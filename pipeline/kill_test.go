package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as an ingest process for TestSIGKILL: with
// REGISTERLYFT_KILL_INGEST set it ingests that input folder into
// REGISTERLYFT_KILL_OUT, printing "ack PATH" for every file the run
// acknowledges, and never returns on its own before being killed.
func init() {
	in, out := os.Getenv("REGISTERLYFT_KILL_INGEST"), os.Getenv("REGISTERLYFT_KILL_OUT")
	if in == "" || out == "" {
		return
	}
	_, err := Run(context.Background(), Config{Inputs: []string{in}, Out: out, Workers: 2, NoIndex: false,
		Progress: func(p Progress) { fmt.Printf("ack %s\n", p.File) }})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestSIGKILL: an ingest killed with SIGKILL loses no acknowledged record.
// The rerun finds every acknowledged file already done (unchanged, not
// processed again), its records in records.jsonl and in the index.
func TestSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	src := t.TempDir()
	seed, err := os.ReadFile(filepath.Join(seedsDir, seed004))
	if err != nil {
		t.Fatal(err)
	}
	const files = 40
	for i := 0; i < files; i++ {
		// Distinct content per file, so every file has its own records.
		b := append([]byte(fmt.Sprintf("Kopia %d av förteckningen\n\n", i)), seed...)
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("notice-%03d.txt", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "REGISTERLYFT_KILL_INGEST="+src, "REGISTERLYFT_KILL_OUT="+out)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]bool{}
	sc := bufio.NewScanner(stdout)
	killAt := 12
	for sc.Scan() {
		if f, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
			acked[f] = true
		}
		if len(acked) == killAt {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	cmd.Wait()
	if len(acked) < killAt {
		t.Fatalf("child acknowledged only %d files before it ended", len(acked))
	}
	if _, err := os.Stat(filepath.Join(out, JournalFile)); err != nil {
		t.Fatalf("no journal after the kill: %v", err)
	}
	start := time.Now()
	sum := ingest(t, out, src)
	t.Logf("killed after %d acknowledged files; rerun: %d unchanged, %d processed in %s", len(acked), sum.Unchanged, sum.Processed, time.Since(start).Round(time.Millisecond))
	if sum.Unchanged < len(acked) {
		t.Errorf("rerun found %d files done, but %d were acknowledged before the kill", sum.Unchanged, len(acked))
	}
	recs := recordsOf(t, out)
	for f := range acked {
		if n := len(byFile(recs, f)); n != 23 {
			t.Errorf("acknowledged file %s has %d records after recovery, want 23", f, n)
		}
	}
	if len(recs) != files*23 {
		t.Errorf("records.jsonl has %d records, want %d", len(recs), files*23)
	}
	if _, err := os.Stat(filepath.Join(out, JournalFile)); err == nil {
		t.Error("journal left after a complete run")
	}
	idx, err := openIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if n, _ := idx.Count(); n != uint64(len(recs)) {
		t.Errorf("index holds %d records, records.jsonl %d", n, len(recs))
	}
}
