package index

import (
	"context"
	"errors"
	"testing"
)

// TestScorerListBound checks that the scorer free list keeps scorers
// within maxPooledBytes and hands them back.
func TestScorerListBound(t *testing.T) {
	var l scorerList
	small := &segScorer{}
	small.grow(1000)
	l.put(small)
	if got := l.get(); got != small {
		t.Fatalf("get after put gave %p, want the scorer put (%p)", got, small)
	}
	if l.bytes != 0 {
		t.Errorf("bytes %d after taking the only scorer, want 0", l.bytes)
	}
	big := &segScorer{}
	big.grow(maxPooledBytes/28 + 1)
	l.put(big)
	if len(l.free) != 0 || l.bytes != 0 {
		t.Errorf("a scorer of %d bytes was kept (limit %d)", big.size(), maxPooledBytes)
	}
	dirty := &segScorer{dirty: true}
	l.put(dirty)
	if len(l.free) != 0 {
		t.Error("a dirty scorer was kept")
	}
}

// TestTermScorerCancelled checks that a search whose context has ended
// fails with the context's error and leaves nothing behind: the next
// search gives the same result as before.
func TestTermScorerCancelled(t *testing.T) {
	b := collectIndex(t)
	q := Query{Text: "personnummer namn"}
	before, err := b.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.Search(ctx, q); !errors.Is(err, context.Canceled) {
		t.Errorf("search with an ended context: %v, want context.Canceled", err)
	}
	after, err := b.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	sameResult(t, "after a cancelled search", after, before)
}
