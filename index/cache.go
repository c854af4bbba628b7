package index

import (
	"encoding/json"
	"sync"
)

// cacheEntries bounds the result cache; when full it is emptied.
const cacheEntries = 512

// resultCache keeps query results until the index changes: an entry is
// valid only for the generation of the index it was computed on.
type resultCache struct {
	mu sync.Mutex
	m  map[string]cacheEntry
}

type cacheEntry struct {
	gen uint64
	res *Result
}

// cacheKey is the canonical form of q; ok is false for queries not worth
// caching (very long text).
func cacheKey(q Query) (string, bool) {
	if len(q.Text) > 1000 {
		return "", false
	}
	k, err := json.Marshal(q) // map keys are sorted by encoding/json
	if err != nil {
		return "", false
	}
	return string(k), true
}

// get returns a copy of the cached result of key at generation gen.
func (c *resultCache) get(key string, gen uint64) *Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || e.gen != gen {
		return nil
	}
	return copyResult(e.res)
}

// copyResult copies the parts of a result a caller may change.
func copyResult(res *Result) *Result {
	r := *res
	r.Hits = append([]Hit(nil), res.Hits...)
	r.Hints = append([]string(nil), res.Hints...)
	r.Facets = make(map[string][]FacetCount, len(res.Facets))
	for k, v := range res.Facets {
		r.Facets[k] = append([]FacetCount(nil), v...)
	}
	return &r
}

func (c *resultCache) put(key string, gen uint64, res *Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cacheEntries {
		c.m = map[string]cacheEntry{}
	}
	c.m[key] = cacheEntry{gen: gen, res: copyResult(res)}
}
