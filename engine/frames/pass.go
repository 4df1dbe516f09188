package frames

import (
	"fmt"
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/internal/brent"
)

// Propagator returns a TEME state at t. The velocity must be the time
// derivative of the position: the pass search uses it for elevation rates.
type Propagator func(t time.Time) (rTEMEKm, vTEMEKmS [3]float64, err error)

// PassOptions tunes FindPasses. The zero value searches above the geometric
// horizon with an adaptive step, a 10 ms tolerance and no EOP.
type PassOptions struct {
	// MinElevationRad is the elevation a pass must reach, in [−π/2, π/2].
	MinElevationRad float64
	// Step is the coarse scan step. Zero picks the orbit period (from the
	// state at the window's start) / 120, clamped to [5 s, 5 min]; 60 s when
	// the orbit is not bound. A pass is missed only if the elevation has both
	// a maximum and a minimum inside one step.
	Step time.Duration
	// Tolerance is the accuracy of AOS, LOS and the time of maximum
	// elevation. Zero means 10 ms.
	Tolerance time.Duration
	// EOP is used for every TEME→ITRF conversion.
	EOP EOP
}

// Pass is one interval during which the target is at or above the minimum
// elevation.
type Pass struct {
	// AOS (acquisition of signal) is when the target rises through the
	// minimum elevation, LOS (loss of signal) when it sets through it, and
	// MaxElevationTime when it culminates (the pass's TCA: within seconds of
	// the closest approach for a LEO pass). All UTC.
	AOS, MaxElevationTime, LOS time.Time

	MaxElevationRad float64
	// Azimuths at AOS, culmination and LOS, from north through east.
	AOSAzimuthRad, MaxElevationAzimuthRad, LOSAzimuthRad float64

	// StartClipped is set when the target was already up at the window's
	// start (AOS is the start); EndClipped when it is still up at the end
	// (LOS is the end).
	StartClipped, EndClipped bool
}

// Duration returns LOS − AOS.
func (p Pass) Duration() time.Duration { return p.LOS.Sub(p.AOS) }

const (
	defaultPassTolerance = 10 * time.Millisecond
	minAdaptiveStep      = 5 * time.Second
	maxAdaptiveStep      = 5 * time.Minute
	unboundStep          = time.Minute
	maxPassSamples       = 2_000_000
	maxPassWindow        = 100 * 366 * 24 * time.Hour
	muEarthKm3S2         = 398600.4418 // used only to size the scan step
)

// FindPasses returns the passes of the target over site between start and end
// (UTC), in time order. It scans elevation and its rate at a coarse step,
// then brackets each horizon crossing and each elevation maximum and refines
// it with Brent's method. Passes in progress at either end of the window are
// clipped to it and flagged; their maximum may then lie on the window's edge.
// Elevations are geometric (no refraction) above the WGS-84 horizon plane.
//
// A propagator error stops the search: the passes completed before it are
// returned with an error wrapping both ErrPropagator and the propagator's
// error. Invalid arguments return an error wrapping ErrInvalidInput.
func FindPasses(prop Propagator, site Geodetic, start, end time.Time, opt PassOptions) ([]Pass, error) {
	if prop == nil {
		return nil, fmt.Errorf("%w: nil propagator", ErrInvalidInput)
	}
	if err := site.Validate(); err != nil {
		return nil, fmt.Errorf("pass search site: %w", err)
	}
	if !end.After(start) {
		return nil, fmt.Errorf("%w: window end %s not after start %s", ErrInvalidInput,
			end.UTC().Format(time.RFC3339Nano), start.UTC().Format(time.RFC3339Nano))
	}
	if end.Sub(start) > maxPassWindow {
		return nil, fmt.Errorf("%w: window of %s longer than %s", ErrInvalidInput, end.Sub(start), maxPassWindow)
	}
	if !(opt.MinElevationRad >= -math.Pi/2 && opt.MinElevationRad <= math.Pi/2) {
		return nil, fmt.Errorf("%w: minimum elevation %g rad not in [-π/2, π/2]", ErrInvalidInput, opt.MinElevationRad)
	}
	if opt.Step < 0 || opt.Tolerance < 0 {
		return nil, fmt.Errorf("%w: negative step %s or tolerance %s", ErrInvalidInput, opt.Step, opt.Tolerance)
	}
	tol := opt.Tolerance
	if tol == 0 {
		tol = defaultPassTolerance
	}
	ps := &passSearch{
		prop:  prop,
		site:  NewSite(site),
		start: start.UTC(),
		eop:   opt.EOP,
		minEl: opt.MinElevationRad,
		tolS:  tol.Seconds(),
	}
	return ps.run(end.Sub(start).Seconds(), opt.Step)
}

// passSearch carries one FindPasses call. Times are seconds since start.
type passSearch struct {
	prop  Propagator
	site  Site
	start time.Time
	eop   EOP
	minEl float64
	tolS  float64
}

// sample is the scan's view of one instant.
type sample struct {
	s      float64 // seconds since start
	f      float64 // elevation − minimum elevation
	elDot  float64
	el, az float64
}

func (ps *passSearch) at(s float64) time.Time {
	return ps.start.Add(time.Duration(math.Round(s * 1e9)))
}

func (ps *passSearch) eval(s float64) (sample, error) {
	t := ps.at(s)
	r, v, err := ps.prop(t)
	if err != nil {
		return sample{}, fmt.Errorf("%w at %s: %w", ErrPropagator, t.Format(time.RFC3339Nano), err)
	}
	for i := range 3 {
		if math.IsNaN(r[i]) || math.IsInf(r[i], 0) || math.IsNaN(v[i]) || math.IsInf(v[i], 0) {
			return sample{}, fmt.Errorf("%w at %s: non-finite state", ErrPropagator, t.Format(time.RFC3339Nano))
		}
	}
	la := ps.site.LookAnglesTEME(t, r, v, ps.eop)
	return sample{s: s, f: la.ElevationRad - ps.minEl, elDot: la.ElevationRateRadS, el: la.ElevationRad, az: la.AzimuthRad}, nil
}

// stepSeconds sizes the coarse step from the orbit at the window's start.
func (ps *passSearch) stepSeconds(fixed time.Duration) (float64, error) {
	if fixed > 0 {
		return fixed.Seconds(), nil
	}
	r, v, err := ps.prop(ps.start)
	if err != nil {
		return 0, fmt.Errorf("%w at %s: %w", ErrPropagator, ps.start.Format(time.RFC3339Nano), err)
	}
	rn, vn := norm(r), norm(v)
	energy := vn*vn/2 - muEarthKm3S2/rn
	if !(energy < 0) {
		return unboundStep.Seconds(), nil
	}
	a := -muEarthKm3S2 / (2 * energy)
	period := 2 * math.Pi * math.Sqrt(a*a*a/muEarthKm3S2)
	return clamp(period/120, minAdaptiveStep.Seconds(), maxAdaptiveStep.Seconds()), nil
}

func (ps *passSearch) run(windowS float64, fixedStep time.Duration) ([]Pass, error) {
	step, err := ps.stepSeconds(fixedStep)
	if err != nil {
		return nil, err
	}
	if windowS/step > maxPassSamples {
		return nil, fmt.Errorf("%w: window of %.0f s needs more than %d steps of %.3g s", ErrInvalidInput, windowS, maxPassSamples, step)
	}
	var (
		passes []Pass
		cur    Pass // pass under construction while up
		up     bool
	)
	prev, err := ps.eval(0)
	if err != nil {
		return nil, err
	}
	if prev.f >= 0 {
		up = true
		cur = ps.open(prev)
		cur.StartClipped = true
	}
	nSteps := max(int(math.Ceil(windowS/step-1e-9)), 1)
	for k := 1; k <= nSteps; k++ {
		s := float64(k) * step
		if k == nSteps {
			s = windowS
		}
		next, err := ps.eval(s)
		if err != nil {
			return passes, err
		}
		hasMax := prev.elDot > 0 && next.elDot <= 0
		switch {
		case prev.f >= 0 && next.f >= 0:
			if hasMax {
				if err := ps.refineMax(&cur, prev, next); err != nil {
					return passes, err
				}
			}
			ps.offerMax(&cur, next)
		case prev.f >= 0 && next.f < 0:
			los, err := ps.crossing(prev, next)
			if err != nil {
				return passes, err
			}
			if prev.elDot > 0 && los.elDot <= 0 {
				if err := ps.refineMax(&cur, prev, los); err != nil {
					return passes, err
				}
			}
			ps.offerMax(&cur, los)
			cur.LOS, cur.LOSAzimuthRad = ps.at(los.s), los.az
			passes = append(passes, cur)
			up = false
		case prev.f < 0 && next.f >= 0:
			aos, err := ps.crossing(prev, next)
			if err != nil {
				return passes, err
			}
			cur = ps.open(aos)
			if aos.elDot > 0 && next.elDot <= 0 {
				if err := ps.refineMax(&cur, aos, next); err != nil {
					return passes, err
				}
			}
			ps.offerMax(&cur, next)
			up = true
		case hasMax:
			// Both ends below: a short pass can hide between them.
			p, ok, err := ps.hiddenPass(prev, next)
			if err != nil {
				return passes, err
			}
			if ok {
				passes = append(passes, p)
			}
		}
		prev = next
	}
	if up {
		cur.LOS, cur.LOSAzimuthRad, cur.EndClipped = ps.at(prev.s), prev.az, true
		passes = append(passes, cur)
	}
	return passes, nil
}

// open starts a pass at x, which is also its maximum so far.
func (ps *passSearch) open(x sample) Pass {
	t := ps.at(x.s)
	return Pass{
		AOS: t, AOSAzimuthRad: x.az,
		MaxElevationTime: t, MaxElevationRad: x.el, MaxElevationAzimuthRad: x.az,
	}
}

// offerMax makes x the pass's maximum if it is higher than the current one.
func (ps *passSearch) offerMax(p *Pass, x sample) {
	if x.el > p.MaxElevationRad {
		p.MaxElevationTime, p.MaxElevationRad, p.MaxElevationAzimuthRad = ps.at(x.s), x.el, x.az
	}
}

// refineMax finds the elevation maximum between a (rising) and b (not
// rising) and offers it to p.
func (ps *passSearch) refineMax(p *Pass, a, b sample) error {
	m, err := ps.maxBetween(a, b)
	if err != nil {
		return err
	}
	ps.offerMax(p, m)
	return nil
}

// maxBetween returns the sample at the root of the elevation rate between a
// (elDot > 0) and b (elDot ≤ 0).
func (ps *passSearch) maxBetween(a, b sample) (sample, error) {
	var last sample
	f := func(s float64) (float64, error) {
		x, err := ps.eval(s)
		last = x
		return x.elDot, err
	}
	s, err := brent.Root(f, a.s, b.s, a.elDot, b.elDot, ps.tolS)
	if err != nil {
		return sample{}, err
	}
	if last.s == s {
		return last, nil
	}
	return ps.eval(s)
}

// crossing returns the sample where the elevation crosses the minimum
// between a and b (f of opposite signs).
func (ps *passSearch) crossing(a, b sample) (sample, error) {
	var last sample
	f := func(s float64) (float64, error) {
		x, err := ps.eval(s)
		last = x
		return x.f, err
	}
	s, err := brent.Root(f, a.s, b.s, a.f, b.f, ps.tolS)
	if err != nil {
		return sample{}, err
	}
	if last.s != s {
		if last, err = ps.eval(s); err != nil {
			return sample{}, err
		}
	}
	return last, nil
}

// hiddenPass looks for a pass wholly between two samples that are both below
// the minimum, with a maximum of elevation between them.
func (ps *passSearch) hiddenPass(a, b sample) (Pass, bool, error) {
	m, err := ps.maxBetween(a, b)
	if err != nil {
		return Pass{}, false, err
	}
	if m.f < 0 {
		return Pass{}, false, nil
	}
	aos, err := ps.crossing(a, m)
	if err != nil {
		return Pass{}, false, err
	}
	los, err := ps.crossing(m, b)
	if err != nil {
		return Pass{}, false, err
	}
	return Pass{
		AOS: ps.at(aos.s), MaxElevationTime: ps.at(m.s), LOS: ps.at(los.s),
		MaxElevationRad: m.el, AOSAzimuthRad: aos.az, MaxElevationAzimuthRad: m.az, LOSAzimuthRad: los.az,
	}, true, nil
}
