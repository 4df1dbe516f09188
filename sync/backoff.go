package sync

import (
	"math/rand/v2"
	"time"
)

// Backoff is capped exponential backoff with "full jitter" (Brooker,
// "Exponential Backoff And Jitter", AWS Architecture Blog, 2015): the n-th
// wait is uniform in [0, min(Max, Base·2ⁿ)], which spreads the reconnects of
// many clients after a server restart instead of synchronising them.
// The zero value uses DefaultBackoff's bounds.
type Backoff struct {
	Base, Max time.Duration
	// Rand returns a uniform number in [0, 1); nil uses math/rand/v2.
	Rand func() float64
	n    int
}

// DefaultBackoff waits up to 0.5 s after the first failure, doubling to at
// most 30 s, the bounds the old front end's users were used to.
func DefaultBackoff() Backoff { return Backoff{Base: 500 * time.Millisecond, Max: 30 * time.Second} }

// Next returns the wait before the next attempt and counts the failure.
func (b *Backoff) Next() time.Duration {
	base, maxWait := b.Base, b.Max
	if base <= 0 || maxWait <= 0 {
		d := DefaultBackoff()
		base, maxWait = d.Base, d.Max
	}
	ceil := maxWait
	if b.n < 62 {
		if c := base << b.n; c > 0 && c < maxWait {
			ceil = c
		}
	}
	b.n++
	r := rand.Float64
	if b.Rand != nil {
		r = b.Rand
	}
	return time.Duration(r() * float64(ceil))
}

// Ceiling is the largest wait the next call to Next can return.
func (b *Backoff) Ceiling() time.Duration {
	c := *b
	c.Rand = func() float64 { return 1 }
	return c.Next()
}

// Reset starts again from Base after a success.
func (b *Backoff) Reset() { b.n = 0 }
