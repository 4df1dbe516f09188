package auth

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/sqlite"
)

// TestAPIKeyCacheHonoursRevocationAndExpiry checks the API-key cache: a
// revocation through this process applies at once, one by another process
// within userCacheTTL, expiry exactly, and a wrong secret never matches a
// cached key.
func TestAPIKeyCacheHonoursRevocationAndExpiry(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	s, err := New(ctx, db, Config{Hasher: InsecureTestHasher(4), Now: clock, APIKeyLimit: NewBucket(1e6, 1e6)})
	if err != nil {
		t.Fatal(err)
	}
	create := func(ttl time.Duration) (string, string) {
		var text string
		var k store.APIKey
		err := db.Update(ctx, func(tx store.Tx) error {
			var err error
			text, k, err = CreateAPIKey(ctx, tx, "test", "k", store.RoleViewer, ttl, clock())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return text, k.ID
	}
	revoke := func(id string) {
		if err := db.Update(ctx, func(tx store.Tx) error { return RevokeAPIKey(ctx, tx, "test", id, clock()) }); err != nil {
			t.Fatal(err)
		}
	}
	auth := func(text string) error { _, err := s.AuthenticateAPIKey(ctx, text); return err }

	text, id := create(time.Hour)
	for range 3 {
		if err := auth(text); err != nil {
			t.Fatalf("valid key: %v", err)
		}
	}
	alt := []byte(text)
	alt[len(alt)-1] ^= 1
	if err := auth(string(alt)); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("altered secret with a cached key: %v", err)
	}
	revoke(id)
	s.ForgetAPIKey(id) // what DELETE /api/v1/apikeys/{id} does after the commit
	if err := auth(text); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("key revoked through this process: %v", err)
	}

	text, id = create(time.Hour)
	if err := auth(text); err != nil {
		t.Fatal(err)
	}
	revoke(id) // another process: nothing tells this one
	advance(userCacheTTL)
	if err := auth(text); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("key revoked elsewhere, %s later: %v", userCacheTTL, err)
	}

	text, _ = create(userCacheTTL / 2)
	if err := auth(text); err != nil {
		t.Fatal(err)
	}
	advance(userCacheTTL/2 + time.Millisecond) // past expiry while the cache entry is still fresh
	if err := auth(text); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("expired key: %v", err)
	}
}
