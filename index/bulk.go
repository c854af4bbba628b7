package index

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Options change how an index is opened.
type Options struct {
	// Bulk makes Index and DeleteFile return as soon as their changes are
	// searchable, before they are on disk (bleve's "unsafe_batch"); bleve
	// writes them in the background, merging small batches in memory
	// first. Sync and Close wait until everything is on disk.
	//
	// Without Bulk every Index and DeleteFile waits until its batch is on
	// disk (fsynced), one write per call. With Bulk, many small batches (an
	// ingest's one batch per input file) cost about half as much, but a
	// crash loses the changes made since the last Sync: use it only when
	// the caller can make them again, as the pipeline can from its
	// write-ahead journal (journal.jsonl), and call Sync before dropping
	// what would let it do so.
	Bulk bool
}

// bulkNapMSec is the persister's nap with Options.Bulk. With 20 records a
// batch, 0 ms gave 2,400 records/s, 300 ms 3,600 and 1000 ms 3,900 at twice
// the memory of 300 ms.
const bulkNapMSec = 300

// asyncErrors routes the errors of bleve's background persister to the
// index they come from, by the path of its store.
var asyncErrors = struct {
	sync.Mutex
	byStore map[string]*persistTracker
}{byStore: map[string]*persistTracker{}}

// asyncErrorCallback is the name of onAsyncError in scorch's registry.
const asyncErrorCallback = "registerlyft"

func init() {
	scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback] = func(err error, path string) {
		// Only the persister's failures and panics leave batches unwritten;
		// a failed merge or clean-up loses nothing.
		var se *scorch.ScorchError
		if errors.As(err, &se) && !errors.Is(err, scorch.ErrAsyncPanic) &&
			(se.Source != "persister" || !errors.Is(err, scorch.ErrPersist)) {
			return
		}
		asyncErrors.Lock()
		t := asyncErrors.byStore[filepath.Clean(path)]
		asyncErrors.Unlock()
		if t != nil {
			t.fail(err)
		}
	}
}

// storePath is the directory of scorch's files in an index directory.
func storePath(dir string) string { return filepath.Clean(filepath.Join(dir, "store")) }

// openBulk opens the index at dir (which exists) with unsafe batches.
func openBulk(dir string, t *persistTracker) (bleve.Index, error) {
	asyncErrors.Lock()
	asyncErrors.byStore[storePath(dir)] = t
	asyncErrors.Unlock()
	idx, err := bleve.OpenUsing(dir, map[string]any{
		"unsafe_batch":           true,
		"asyncErrorCallbackName": asyncErrorCallback,
		// The persister waits a little before it writes, so that it merges
		// more small batches in memory first: fewer, larger files, and
		// less merging of files afterwards.
		"scorchPersisterOptions": map[string]any{"PersisterNapTimeMSec": bulkNapMSec},
	})
	if err != nil {
		t.forget(dir)
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	return idx, nil
}

// persistTracker counts the batches of a Bulk index that are not yet on
// disk.
type persistTracker struct {
	mu      sync.Mutex
	cond    sync.Cond
	pending int
	err     error // a background write that failed, until Sync reports it
}

func newPersistTracker() *persistTracker {
	t := &persistTracker{}
	t.cond.L = &t.mu
	return t
}

// start counts a batch about to be written; the returned function, to be
// called when it is on disk or was not written at all, uncounts it (once).
func (t *persistTracker) start() func() {
	t.mu.Lock()
	t.pending++
	t.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			t.mu.Lock()
			t.pending--
			t.cond.Broadcast()
			t.mu.Unlock()
		})
	}
}

func (t *persistTracker) fail(err error) {
	t.mu.Lock()
	if t.err == nil {
		t.err = err
	}
	t.cond.Broadcast()
	t.mu.Unlock()
}

// wait blocks until every counted batch is on disk, or returns the error of
// a failed background write.
func (t *persistTracker) wait() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.pending > 0 && t.err == nil {
		t.cond.Wait()
	}
	err := t.err
	t.err = nil
	return err
}

func (t *persistTracker) forget(dir string) {
	asyncErrors.Lock()
	if asyncErrors.byStore[storePath(dir)] == t {
		delete(asyncErrors.byStore, storePath(dir))
	}
	asyncErrors.Unlock()
}

// write runs batch. With Bulk it returns once the batch is searchable and
// counts it until it is on disk.
func (b *Bleve) write(batch *bleve.Batch) error {
	if b.persist == nil {
		return b.idx.Batch(batch)
	}
	done := b.persist.start()
	batch.SetPersistedCallback(func(error) { done() })
	err := b.idx.Batch(batch)
	if err != nil {
		done() // not introduced, or failed: nothing to wait for
	}
	return err
}

// Sync waits until every change made so far is on disk. Without
// Options.Bulk they already are when Index and DeleteFile return.
func (b *Bleve) Sync() error {
	if b.persist == nil {
		return nil
	}
	if err := b.persist.wait(); err != nil {
		return fmt.Errorf("index: %s: write to disk: %w", b.dir, err)
	}
	return nil
}
