package app

import (
	"testing"
	"time"
)

type fakeWall struct{ t time.Time }

func (w *fakeWall) now() time.Time { return w.t }

func TestClock(t *testing.T) {
	w := &fakeWall{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := NewClock(w.now)
	changes := 0
	c.OnChange(func() { changes++ })
	w.t = w.t.Add(10 * time.Second)
	if got := c.Now(); !got.Equal(time.Date(2026, 1, 1, 0, 0, 10, 0, time.UTC)) {
		t.Fatalf("x1: %v", got)
	}
	c.SetRate(100)
	w.t = w.t.Add(time.Second)
	if got := c.Now(); !got.Equal(time.Date(2026, 1, 1, 0, 1, 50, 0, time.UTC)) {
		t.Fatalf("x100: %v", got)
	}
	c.SetRate(-1e9) // clamped
	if c.Rate() != -MaxRate {
		t.Fatalf("rate %v", c.Rate())
	}
	c.SetPaused(true)
	frozen := c.Now()
	w.t = w.t.Add(time.Hour)
	if !c.Now().Equal(frozen) {
		t.Fatal("paused clock moved")
	}
	c.SetPaused(false)
	w.t = w.t.Add(time.Millisecond)
	if got := frozen.Sub(c.Now()); got != 10*time.Second {
		t.Fatalf("reverse x10000 over 1 ms moved %v", got)
	}
	at := time.Date(2030, 5, 5, 5, 5, 5, 0, time.UTC)
	c.Set(at)
	if !c.Now().Equal(at) {
		t.Fatalf("Set: %v", c.Now())
	}
	c.ResetToNow()
	if !c.Now().Equal(w.t) || c.Rate() != 1 || c.Paused() {
		t.Fatalf("ResetToNow: %v rate %v", c.Now(), c.Rate())
	}
	if changes != 6 {
		t.Fatalf("%d change notifications, want 6", changes)
	}
}
