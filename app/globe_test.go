package app

import (
	"testing"
	"time"

	"github.com/astroshield/astroshield/render"
)

func TestKeyframeWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ta, tb := keyframeWindow(now, 1)
	if tb.Sub(ta) != keyframeMinStep || !ta.Before(now) || !tb.After(now) {
		t.Fatalf("x1 window %v..%v", ta, tb)
	}
	ta, tb = keyframeWindow(now, 10000)
	if tb.Sub(ta) != keyframeMaxStep {
		t.Fatalf("x10000 window %v", tb.Sub(ta))
	}
	ta, tb = keyframeWindow(now, -100)
	if now.Sub(ta) <= tb.Sub(now) {
		t.Fatalf("reverse window should lie mostly before now: %v..%v", ta, tb)
	}
	k := &render.Keyframes{TA: now, TB: now.Add(time.Minute)}
	for _, c := range []struct {
		at    time.Duration
		rate  float64
		stale bool
	}{
		{10 * time.Second, 1, false}, {50 * time.Second, 1, true}, {-time.Second, 1, true},
		{50 * time.Second, -1, false}, {10 * time.Second, -1, true}, {61 * time.Second, -1, true},
	} {
		if got := keyframesStale(k, now.Add(c.at), c.rate); got != c.stale {
			t.Errorf("at +%v rate %v: stale %v", c.at, c.rate, got)
		}
	}
	if !keyframesStale(nil, now, 1) {
		t.Error("nil keyframes not stale")
	}
}
