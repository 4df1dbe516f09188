package sync

import (
	"testing"
	"time"
)

func TestBackoffBounds(t *testing.T) {
	b := Backoff{Base: 100 * time.Millisecond, Max: 2 * time.Second, Rand: func() float64 { return 0.999999 }}
	want := []time.Duration{100, 200, 400, 800, 1600, 2000, 2000}
	for i, w := range want {
		w *= time.Millisecond
		if got := b.Next(); got > w || got < w*99/100 {
			t.Errorf("attempt %d: wait %v, want just under %v", i, got, w)
		}
	}
	b.Reset()
	if got := b.Ceiling(); got != 100*time.Millisecond {
		t.Errorf("after Reset the ceiling is %v", got)
	}
}

func TestBackoffJitterSpreads(t *testing.T) {
	b := DefaultBackoff()
	for range 10 {
		b.Next()
	}
	seen := map[time.Duration]bool{}
	for range 50 {
		c := b
		d := c.Next()
		if d < 0 || d > 30*time.Second {
			t.Fatalf("wait %v outside [0, 30s]", d)
		}
		seen[d] = true
	}
	if len(seen) < 40 {
		t.Errorf("only %d distinct waits in 50 draws: no jitter", len(seen))
	}
}

func TestBackoffZeroValueAndOverflow(t *testing.T) {
	var b Backoff
	for range 100 {
		if d := b.Next(); d < 0 || d > 30*time.Second {
			t.Fatalf("wait %v outside the default bounds", d)
		}
	}
}
