package index

import "testing"

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
