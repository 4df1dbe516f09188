package auth

import (
	"sync"
	"time"
)

// Throttle counts failed logins per key (an account or an address) and
// locks a key out once it reaches Limit failures within Window. Each
// lockout of the same key doubles, up to MaxLockout. It is consulted before
// any password hashing so that a locked-out caller costs no bcrypt time.
type Throttle struct {
	Limit      int
	Window     time.Duration
	Lockout    time.Duration
	MaxLockout time.Duration
	Now        func() time.Time

	mu      sync.Mutex
	entries map[string]*throttleEntry
}

type throttleEntry struct {
	failures    []time.Time
	lockedUntil time.Time
	lockouts    int
}

// NewThrottle returns a throttle with the given limit per window.
func NewThrottle(limit int, window, lockout time.Duration) *Throttle {
	return &Throttle{Limit: limit, Window: window, Lockout: lockout, MaxLockout: 16 * lockout, Now: time.Now, entries: map[string]*throttleEntry{}}
}

// Blocked returns how long key is still locked out (0 when it is not).
func (t *Throttle) Blocked(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.entries[key]
	if e == nil {
		return 0
	}
	if d := e.lockedUntil.Sub(t.Now()); d > 0 {
		return d
	}
	return 0
}

// Fail records a failure for key and returns true when it started a lockout.
func (t *Throttle) Fail(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	if len(t.entries) > 100_000 {
		t.sweep(now)
	}
	e := t.entries[key]
	if e == nil {
		e = &throttleEntry{}
		t.entries[key] = e
	}
	cut := 0
	for cut < len(e.failures) && now.Sub(e.failures[cut]) > t.Window {
		cut++
	}
	e.failures = append(e.failures[cut:], now)
	if len(e.failures) >= t.Limit {
		d := t.Lockout << min(e.lockouts, 30)
		if d > t.MaxLockout || d <= 0 {
			d = t.MaxLockout
		}
		e.lockedUntil = now.Add(d)
		e.lockouts++
		e.failures = e.failures[:0]
		return true
	}
	return false
}

// Succeed clears key's failures (its lockout history is kept for the window).
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e := t.entries[key]; e != nil {
		e.failures = e.failures[:0]
	}
}

func (t *Throttle) sweep(now time.Time) {
	for k, e := range t.entries {
		if now.After(e.lockedUntil.Add(t.MaxLockout)) && (len(e.failures) == 0 || now.Sub(e.failures[len(e.failures)-1]) > t.Window) {
			delete(t.entries, k)
		}
	}
}

// Bucket is a token-bucket rate limiter per key (API keys).
type Bucket struct {
	Rate  float64 // tokens per second
	Burst float64
	Now   func() time.Time

	mu sync.Mutex
	m  map[string]*bucketState
}

type bucketState struct {
	tokens float64
	last   time.Time
}

// NewBucket returns a limiter allowing rate requests per second with burst.
func NewBucket(rate, burst float64) *Bucket {
	return &Bucket{Rate: rate, Burst: burst, Now: time.Now, m: map[string]*bucketState{}}
}

// Allow takes one token for key; when none is left it returns false and how
// long until one is.
func (b *Bucket) Allow(key string) (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.Now()
	s := b.m[key]
	if s == nil {
		s = &bucketState{tokens: b.Burst, last: now}
		b.m[key] = s
	}
	s.tokens = min(b.Burst, s.tokens+now.Sub(s.last).Seconds()*b.Rate)
	s.last = now
	if s.tokens >= 1 {
		s.tokens--
		return true, 0
	}
	return false, time.Duration((1 - s.tokens) / b.Rate * float64(time.Second))
}
