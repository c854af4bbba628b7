package index

import (
	"hash/maphash"
	"sync"
)

// wordCache maps words to their analysis (wordEntry), for the token filter
// of AnalyzerText. It is safe for concurrent use (bleve analyzes the
// documents of a batch on several goroutines) and sharded so that they
// rarely wait for each other. It is bounded: a shard that fills up is
// emptied, which costs only the recomputation of its words.
type wordCache struct {
	seed   maphash.Seed
	once   sync.Once
	shards [wordShards]wordShard
}

const (
	wordShards   = 64
	wordPerShard = 4096 // 262,144 words in all: far more than a register's vocabulary
)

type wordShard struct {
	mu sync.RWMutex
	m  map[string]*wordEntry
	_  [40]byte // keep shards on separate cache lines
}

func (c *wordCache) hash(term []byte) uint64 {
	c.once.Do(func() { c.seed = maphash.MakeSeed() })
	return maphash.Bytes(c.seed, term)
}

// get returns the entry of term, or nil.
func (c *wordCache) get(h uint64, term []byte) *wordEntry {
	s := &c.shards[h%wordShards]
	s.mu.RLock()
	e := s.m[string(term)]
	s.mu.RUnlock()
	return e
}

func (c *wordCache) put(h uint64, term string, e *wordEntry) {
	s := &c.shards[h%wordShards]
	s.mu.Lock()
	if s.m == nil || len(s.m) >= wordPerShard {
		s.m = make(map[string]*wordEntry, 256)
	}
	s.m[term] = e
	s.mu.Unlock()
}
