package sqlite

import (
	"context"
	"sync"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// Object reads are the API's hottest query (GET /api/v1/objects/{norad}).
// DB.Object answers them from a cache that every transaction that wrote
// the objects table (tx.PutElementSet) empties before DB.Update returns, so
// within this process a read never returns an object older than the last
// write. Another process writing the same file
// (the CLI) is seen within objectCacheTTL.
const (
	objectCacheTTL = time.Second
	maxCachedObjs  = 1 << 17 // past this the cache is emptied and refills
)

type objectCache struct {
	mu  sync.RWMutex
	gen uint64 // bumped by every write; entries of an older generation are stale
	m   map[int]cachedObject
}

type cachedObject struct {
	o   store.Object
	gen uint64
	at  time.Time
}

func newObjectCache() *objectCache { return &objectCache{m: map[int]cachedObject{}} }

// generation is read before a store read so that an entry filled from a
// snapshot older than a concurrent write is never served after the write.
func (c *objectCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

func (c *objectCache) get(norad int, now time.Time) (store.Object, bool) {
	c.mu.RLock()
	e, ok := c.m[norad]
	gen := c.gen
	c.mu.RUnlock()
	if !ok || e.gen != gen || now.Sub(e.at) >= objectCacheTTL || now.Before(e.at) {
		return store.Object{}, false
	}
	return e.o, true
}

func (c *objectCache) put(o store.Object, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= maxCachedObjs {
		clear(c.m)
	}
	c.m[o.NORAD] = cachedObject{o, gen, now}
}

// invalidate is called after every transaction that wrote objects,
// committed or not.
func (c *objectCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.m)
}

// Object returns an object by NORAD number through the cache.
func (db *DB) Object(ctx context.Context, norad int) (store.Object, error) {
	now := time.Now()
	if o, ok := db.objs.get(norad, now); ok {
		return o, nil
	}
	gen := db.objs.generation()
	o, err := db.reader.Object(ctx, norad)
	if err == nil {
		db.objs.put(o, gen, now)
	}
	return o, err
}
