package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// TestBulk indexes one small batch per file with Options.Bulk, as an ingest
// does, deletes some files, and checks that Close leaves everything on disk
// for an index opened without it.
func TestBulk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	b, err := OpenWith(dir, Options{Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	recs := synthetic(t, 0, 600)
	for i := 0; i < len(recs); i += 20 {
		part := recs[i : i+20]
		file := fmt.Sprintf("bulk/%d.txt", i/20)
		for k := range part {
			part[k].Provenance.File = file
		}
		if err := b.DeleteFile(ctx, file); err != nil {
			t.Fatal(err)
		}
		if err := b.Index(ctx, part); err != nil {
			t.Fatal(err)
		}
	}
	// Changes are searchable before they are on disk.
	if n, err := b.Count(); err != nil || n != 600 {
		t.Fatalf("count %d, %v; want 600", n, err)
	}
	if err := b.Sync(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"bulk/0.txt", "bulk/7.txt"} {
		if err := b.DeleteFile(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	if n, err := b2.Count(); err != nil || n != 560 {
		t.Fatalf("after reopen: count %d, %v; want 560", n, err)
	}
	res, err := b2.Search(ctx, Query{Text: "personnummer", Filters: map[string][]string{KeyFile: {"bulk/7.txt"}}})
	if err != nil || res.Total != 0 {
		t.Fatalf("deleted file still found: %v, %v", res, err)
	}
	if err := b2.Sync(); err != nil {
		t.Errorf("Sync without Bulk: %v", err)
	}
}

// TestOpenOldIndex checks that an index of another MappingVersion is
// refused with an error that says to ingest again.
func TestOpenOldIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.idx.SetInternal([]byte(versionKey), nil); err != nil { // as version 1 left it
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir)
	if !errors.Is(err, ErrOldIndex) {
		t.Fatalf("Open of a version 1 index: %v, want ErrOldIndex", err)
	}
	t.Log(err)
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		t.Errorf("the old index was changed: %v", err)
	}
}

// TestPersistTracker checks that Sync waits for the batches in flight and
// reports a failed background write of the index it belongs to.
func TestPersistTracker(t *testing.T) {
	tr := newPersistTracker()
	done := tr.start()
	go func() {
		time.Sleep(20 * time.Millisecond)
		done()
		done() // a second call is ignored
	}()
	if err := tr.wait(); err != nil {
		t.Fatal(err)
	}
	if tr.pending != 0 {
		t.Fatalf("pending %d after wait", tr.pending)
	}

	dir := filepath.Join(t.TempDir(), "idx")
	asyncErrors.Lock()
	asyncErrors.byStore[storePath(dir)] = tr
	asyncErrors.Unlock()
	defer tr.forget(dir)
	tr.start() // never written
	cb := scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback]
	cb(&scorch.ScorchError{Source: "persister", ErrMsg: "old file", ErrType: scorch.ErrCleanup}, storePath(dir))
	cb(&scorch.ScorchError{Source: "merger", ErrMsg: "merge", ErrType: scorch.ErrPersist}, storePath(dir))
	if tr.err != nil {
		t.Fatalf("a clean-up or merge error was taken for a lost batch: %v", tr.err)
	}
	cb(&scorch.ScorchError{Source: "persister", ErrMsg: "disk full", ErrType: scorch.ErrPersist}, filepath.Join(dir, "store"))
	if err := tr.wait(); !errors.Is(err, scorch.ErrPersist) {
		t.Fatalf("wait: %v, want the persister's error", err)
	}
}
