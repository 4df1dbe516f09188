package conjunction

import (
	"fmt"
	"math"
	"runtime"
	"time"
)

// MaxSpan is the longest screening window Screen accepts.
const MaxSpan = 366 * 24 * time.Hour

// Options describe one screening run. Start, Span and at least one of
// ThresholdKm and Ellipsoid are required.
type Options struct {
	// Start is the beginning of the window (any zone; used as UTC).
	Start time.Time
	// Span is the length of the window, at most MaxSpan.
	Span time.Duration

	// ThresholdKm is the radius of the screening sphere. Zero means no
	// sphere (then Ellipsoid must be set). When both are set an event must
	// be inside both.
	ThresholdKm float64
	// Ellipsoid, when non-nil, is a screening ellipsoid centred on object 1
	// with semi-axes along its radial, in-track and cross-track directions.
	Ellipsoid *Ellipsoid

	// Primaries, when non-empty, selects one-vs-all screening: every listed
	// NORAD number against the whole catalog (including the other
	// primaries). Empty means all-vs-all.
	Primaries []int

	// Pads widen the pre-filters; the zero value means DefaultPads().
	Pads Pads

	// SieveStep is the time step of the all-vs-all coarse sieve; zero
	// chooses it from the largest relative speed (see the package doc).
	SieveStep time.Duration

	// Workers is the number of goroutines; <= 0 means runtime.GOMAXPROCS(0).
	Workers int

	// Progress, when non-nil, is called from Screen's own goroutine with the
	// current stage name (one of the Stage constants), the items done and
	// the items in that stage. Calls are a few per second at most, and each
	// stage ends with a call where done == total.
	Progress func(stage string, done, total int)
}

// Ellipsoid is a screening volume in object 1's radial/in-track/cross-track
// (RIC) frame.
type Ellipsoid struct {
	RadialKm, InTrackKm, CrossTrackKm float64
}

// Pads are the safety margins of the pre-filters. They absorb what the
// filters' models leave out (short-period terms, drag, element-set noise);
// larger pads keep more pairs and cost time, never events.
type Pads struct {
	// ApogeePerigeeKm widens each object's radial band [perigee, apogee].
	ApogeePerigeeKm float64
	// OrbitPathKm is the margin of the one-vs-all orbit-path filter: how far
	// an object may stray from its modelled orbit plane and from its modelled
	// radius in a given direction.
	OrbitPathKm float64
	// Time widens each one-vs-all time window on both sides.
	Time time.Duration
	// SieveKm is added to the all-vs-all coarse sieve distance on top of the
	// measured interpolation error bounds.
	SieveKm float64
}

// DefaultPads are the pads used when Options.Pads is the zero value. The
// package tests check them against SGP4 over the 2022 catalog (see
// TestPadsCoverCatalog).
func DefaultPads() Pads {
	return Pads{ApogeePerigeeKm: 25, OrbitPathKm: 25, Time: 5 * time.Second, SieveKm: 0.1}
}

// settings is Options checked and completed.
type settings struct {
	start      time.Time
	spanS      float64
	thresholdK float64 // 0 when no sphere
	ell        *Ellipsoid
	sieveKm    float64 // largest distance at which an event is possible
	primaries  []int
	pads       Pads
	stepS      float64 // sieve base step, seconds; 0 = automatic
	workers    int
	progress   func(string, int, int)
}

func finitePos(x float64) bool { return x > 0 && !math.IsInf(x, 0) }

func (o *Options) settings() (settings, error) {
	s := settings{start: o.Start.UTC(), ell: o.Ellipsoid, primaries: o.Primaries, progress: o.Progress}
	switch {
	case o.Start.IsZero():
		return s, fmt.Errorf("%w: missing start time", ErrOptions)
	case o.Span <= 0 || o.Span > MaxSpan:
		return s, fmt.Errorf("%w: span %v not in (0, %v]", ErrOptions, o.Span, MaxSpan)
	case o.ThresholdKm < 0 || math.IsNaN(o.ThresholdKm) || math.IsInf(o.ThresholdKm, 0):
		return s, fmt.Errorf("%w: threshold %g km must be a non-negative finite number", ErrOptions, o.ThresholdKm)
	case o.ThresholdKm == 0 && o.Ellipsoid == nil:
		return s, fmt.Errorf("%w: need a threshold distance or an ellipsoid", ErrOptions)
	case o.SieveStep < 0 || o.SieveStep > 10*time.Minute:
		return s, fmt.Errorf("%w: sieve step %v not in [0, 10m]", ErrOptions, o.SieveStep)
	}
	if y := s.start.Year(); y < 1957 || y > 2200 {
		return s, fmt.Errorf("%w: start %v outside 1957..2200", ErrOptions, s.start)
	}
	s.spanS = o.Span.Seconds()
	s.thresholdK = o.ThresholdKm
	s.sieveKm = o.ThresholdKm
	if e := o.Ellipsoid; e != nil {
		if !finitePos(e.RadialKm) || !finitePos(e.InTrackKm) || !finitePos(e.CrossTrackKm) {
			return s, fmt.Errorf("%w: ellipsoid semi-axes %g/%g/%g km must be positive and finite",
				ErrOptions, e.RadialKm, e.InTrackKm, e.CrossTrackKm)
		}
		m := max(e.RadialKm, e.InTrackKm, e.CrossTrackKm)
		if s.sieveKm == 0 || m < s.sieveKm {
			s.sieveKm = m
		}
	}
	if s.sieveKm > 1000 {
		return s, fmt.Errorf("%w: screening distance %g km above 1000 km", ErrOptions, s.sieveKm)
	}
	s.pads = o.Pads
	if s.pads == (Pads{}) {
		s.pads = DefaultPads()
	}
	p := s.pads
	for _, v := range []float64{p.ApogeePerigeeKm, p.OrbitPathKm, p.SieveKm, p.Time.Seconds()} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) || v > 10000 {
			return s, fmt.Errorf("%w: pads %+v must be in [0, 10000]", ErrOptions, p)
		}
	}
	s.stepS = o.SieveStep.Seconds()
	s.workers = o.Workers
	if s.workers <= 0 {
		s.workers = runtime.GOMAXPROCS(0)
	}
	return s, nil
}
