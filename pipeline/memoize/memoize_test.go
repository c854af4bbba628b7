package memoize

import "testing"

func TestTable(t *testing.T) {
	var tab Table[int, int]
	calls := 0
	square := func(k int) int { calls++; return k * k }
	for i := 0; i < 3; i++ {
		if got := tab.Get(7, square); got != 49 {
			t.Fatalf("Get(7) = %d", got)
		}
	}
	if calls != 1 {
		t.Errorf("f called %d times for one key, want once", calls)
	}
	for k := 0; k < 2*Limit; k++ {
		if got := tab.Get(k, square); got != k*k {
			t.Fatalf("Get(%d) = %d", k, got)
		}
	}
	if n := len(tab.m); n > Limit {
		t.Errorf("%d entries, the limit is %d", n, Limit)
	}
}
