package app

import (
	"sync"
	"time"
)

// Clock is the simulation clock every view shares: the 3D view, the charts
// and the panels all read Now. Simulated time runs at Rate × wall time
// (negative rates run backwards) unless paused. It is safe for concurrent use;
// listeners run on the goroutine that changed the clock.
type Clock struct {
	wall func() time.Time

	mu        sync.Mutex
	anchorSim time.Time // simulated time at anchorWall
	anchorWal time.Time
	rate      float64
	paused    bool
	listeners []func()
}

// MaxRate bounds |Rate| (x10,000 either way).
const MaxRate = 10000

// NewClock starts at wall-clock now, running at x1. wall is the wall clock
// (time.Now when nil); tests pass a fake one.
func NewClock(wall func() time.Time) *Clock {
	if wall == nil {
		wall = time.Now
	}
	now := wall()
	return &Clock{wall: wall, anchorSim: now.UTC(), anchorWal: now, rate: 1}
}

// Now is the simulated time (UTC).
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

// Wall is the wall-clock time (what "now" means to the user).
func (c *Clock) Wall() time.Time { return c.wall().UTC() }

func (c *Clock) nowLocked() time.Time {
	if c.paused {
		return c.anchorSim
	}
	el := c.wall().Sub(c.anchorWal)
	return c.anchorSim.Add(time.Duration(float64(el) * c.rate)).UTC()
}

// reanchor fixes the current simulated time so rate/pause changes are
// continuous.
func (c *Clock) reanchorLocked() {
	c.anchorSim = c.nowLocked()
	c.anchorWal = c.wall()
}

// Rate is the simulation speed (1 = real time).
func (c *Clock) Rate() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate
}

// Paused reports whether the clock stands still.
func (c *Clock) Paused() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused
}

// SetRate sets the speed, clamped to ±MaxRate; 0 pauses.
func (c *Clock) SetRate(r float64) {
	if r > MaxRate {
		r = MaxRate
	} else if r < -MaxRate {
		r = -MaxRate
	}
	c.update(func() {
		if r == 0 {
			c.paused = true
			return
		}
		c.rate = r
	})
}

// SetPaused pauses or resumes.
func (c *Clock) SetPaused(p bool) { c.update(func() { c.paused = p }) }

// TogglePause flips pause.
func (c *Clock) TogglePause() { c.update(func() { c.paused = !c.paused }) }

// Set jumps to t, keeping rate and pause.
func (c *Clock) Set(t time.Time) {
	c.update(func() { c.anchorSim = t.UTC() })
}

// ResetToNow jumps to the wall clock and runs at x1.
func (c *Clock) ResetToNow() {
	c.update(func() {
		c.anchorSim = c.wall().UTC()
		c.rate = 1
		c.paused = false
	})
}

// OnChange registers f to run after every explicit change (not the passing of
// time).
func (c *Clock) OnChange(f func()) {
	c.mu.Lock()
	c.listeners = append(c.listeners, f)
	c.mu.Unlock()
}

func (c *Clock) update(change func()) {
	c.mu.Lock()
	c.reanchorLocked()
	change()
	ls := append([]func(){}, c.listeners...)
	c.mu.Unlock()
	for _, f := range ls {
		f()
	}
}
