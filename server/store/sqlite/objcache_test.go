package sqlite

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// TestObjectCacheFollowsWrites reads an object through the cache while
// element sets are added, and checks each read after a committed write sees
// it (the cache must never answer with the object as it was before).
func TestObjectCacheFollowsWrites(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.Object(ctx, 25544); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown object: err %v, want ErrNotFound", err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 { // readers filling the cache concurrently with the writes
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					db.Object(ctx, 25544)
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	for i := 1; i <= 50; i++ {
		err := db.Update(ctx, func(tx store.Tx) error {
			_, err := tx.PutElementSet(ctx, "ISS (ZARYA)", "98067A", store.ElementSet{NORAD: 25544, Epoch: epoch.Add(time.Duration(i) * time.Minute), Format: "tle", Body: "x", Received: epoch})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		o, err := db.Object(ctx, 25544)
		if err != nil {
			t.Fatal(err)
		}
		if o.Sets != i {
			t.Fatalf("after %d committed sets the object shows %d", i, o.Sets)
		}
	}
}
