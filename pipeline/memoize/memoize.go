// Package memoize remembers the results of pure functions of text for the
// code that runs them over every row of a file (the sheet extractor,
// normalize, quality). Registers repeat their cells, so most rows ask
// again for a result already computed; a Table answers those from memory.
//
// A Table is bounded: when it holds Limit entries it is cleared, so a
// file whose texts are all distinct (activity names, free-text purposes)
// costs little memory, and texts that do repeat are soon remembered again.
// A Table is not safe for concurrent use; its zero value is empty and
// ready.
package memoize

// Limit is the most entries a Table holds.
const Limit = 1 << 14

// Table remembers f(k) per key.
type Table[K comparable, V any] struct {
	m map[K]V
}

// Get returns f(k), remembered from an earlier call with the same key
// when there was one. f must be a pure function of k: a Table cannot tell
// results of different functions apart, so each function needs its own.
func (t *Table[K, V]) Get(k K, f func(K) V) V {
	if v, ok := t.m[k]; ok {
		return v
	}
	v := f(k)
	switch {
	case t.m == nil:
		t.m = make(map[K]V)
	case len(t.m) >= Limit:
		clear(t.m)
	}
	t.m[k] = v
	return v
}
