package collision

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Monte Carlo probability of collision.
//
// Each trial draws both objects' states at TCA from their inertial 6x6
// covariances (a square-root factor from the eigen-decomposition of the
// correlation matrix, negative eigenvalues clipped to zero), moves them over
// the encounter window with linear or two-body motion, and counts a hit when
// the smallest separation in the window is below the HBR. The random numbers
// are a numeric integration device: a PCG generator seeded from
// MonteCarloOptions.Seed makes the result reproducible bit for bit.
//
// Two-body trials find the closest approach by sampling the separation on a
// grid of 1/32 of the shorter orbital period, then refining each grid minimum
// with safeguarded Newton steps on d(|Δr|²)/dt = 2Δr·Δv.

// MotionModel selects how sampled states move over the window.
type MotionModel int

const (
	MotionTwoBody MotionModel = iota // Keplerian motion of each object (default)
	MotionLinear                     // straight lines at constant velocity
)

func (m MotionModel) String() string {
	switch m {
	case MotionTwoBody:
		return "two-body"
	case MotionLinear:
		return "linear"
	}
	return fmt.Sprintf("MotionModel(%d)", int(m))
}

// Monte Carlo limits.
const (
	DefaultMonteCarloSamples = 100_000
	MaxMonteCarloSamples     = 100_000_000
	maxGridIntervals         = 4096
)

// MonteCarloOptions configures Pc3DMonteCarlo. The zero value means 100,000
// two-body trials, seed 0, and the automatic window.
type MonteCarloOptions struct {
	Samples int    // number of trials; 0 = DefaultMonteCarloSamples
	Seed    uint64 // PCG seed; the same seed gives the same result
	// WindowStartS and WindowEndS bound the encounter window relative to TCA
	// [s]. Both zero: the 2D usage check's encounter span [Ta, Tb] (CheckUsage2D,
	// γ = 1e-16), limited to half the shorter orbital period on each side.
	WindowStartS, WindowEndS float64
	Motion                   MotionModel
}

// MonteCarloResult is a Monte Carlo estimate with its statistics.
type MonteCarloResult struct {
	Pc      float64 `json:"pc"`
	Hits    int     `json:"hits"`
	Samples int     `json:"samples"`
	// Lo95 and Hi95 bound Pc with 95% confidence (Wilson score interval).
	Lo95         float64 `json:"lo95"`
	Hi95         float64 `json:"hi95"`
	WindowStartS float64 `json:"window_start_s"`
	WindowEndS   float64 `json:"window_end_s"`
	Motion       string  `json:"motion"`
	Seed         uint64  `json:"seed"`
	// OpenOrbitSamples counts two-body trials whose sampled orbit was not a
	// closed ellipse; they were moved linearly.
	OpenOrbitSamples int `json:"open_orbit_samples"`
	// NPDRemediated: a 6x6 covariance had negative eigenvalues (clipped to 0).
	NPDRemediated bool `json:"npd_remediated"`
}

// Pc3DMonteCarlo estimates the probability that the two objects come within
// hbrM [m] of each other during the encounter window. The states and
// covariances are usually at TCA but may be at any common epoch (an orbit
// determination epoch days before, say, with two-body motion); the window is
// relative to that epoch.
func Pc3DMonteCarlo(primary, secondary Object, hbrM float64, opt MonteCarloOptions) (MonteCarloResult, error) {
	if err := checkHBR(hbrM); err != nil {
		return MonteCarloResult{}, err
	}
	if err := primary.validate("primary"); err != nil {
		return MonteCarloResult{}, err
	}
	if err := secondary.validate("secondary"); err != nil {
		return MonteCarloResult{}, err
	}
	if primary.Covariance == nil || secondary.Covariance == nil {
		return MonteCarloResult{}, fmt.Errorf("%w: Monte Carlo needs both covariances", ErrNoCovariance)
	}
	n := opt.Samples
	switch {
	case n == 0:
		n = DefaultMonteCarloSamples
	case n < 0 || n > MaxMonteCarloSamples:
		return MonteCarloResult{}, errInvalidf("%d Monte Carlo samples (want 1..%d)", n, MaxMonteCarloSamples)
	}
	if opt.Motion != MotionTwoBody && opt.Motion != MotionLinear {
		return MonteCarloResult{}, errInvalidf("motion model %d", int(opt.Motion))
	}
	t0, t1 := opt.WindowStartS, opt.WindowEndS
	if !isFinite(t0) || !isFinite(t1) || t0 > t1 {
		return MonteCarloResult{}, errInvalidf("window [%g, %g] s", t0, t1)
	}
	pMin := math.Inf(1)
	for _, o := range [...]Object{primary, secondary} {
		if p := orbitPeriodS(o.PositionKm, o.VelocityKmS); p > 0 {
			pMin = math.Min(pMin, p)
		}
	}
	if t0 == 0 && t1 == 0 {
		enc, err := NewEncounter(primary, secondary)
		if err != nil {
			return MonteCarloResult{}, err
		}
		u, err := CheckUsage2D(enc, primary, secondary, hbrM)
		if err != nil {
			return MonteCarloResult{}, err
		}
		t0, t1 = math.Min(u.EncounterStartS, 0), math.Max(u.EncounterEndS, 0)
		if !math.IsInf(pMin, 1) {
			t0, t1 = math.Max(t0, -pMin/2), math.Min(t1, pMin/2)
		}
	}
	res := MonteCarloResult{
		Samples:      n,
		WindowStartS: t0,
		WindowEndS:   t1,
		Motion:       opt.Motion.String(),
		Seed:         opt.Seed,
	}
	c1, err := primary.Covariance.inertial6(primary.PositionKm, primary.VelocityKmS)
	if err != nil {
		return MonteCarloResult{}, fmt.Errorf("primary: %w", err)
	}
	c2, err := secondary.Covariance.inertial6(secondary.PositionKm, secondary.VelocityKmS)
	if err != nil {
		return MonteCarloResult{}, fmt.Errorf("secondary: %w", err)
	}
	l1, d1, rem1 := sqrtFactor(c1, primary.Covariance.Dim)
	l2, d2, rem2 := sqrtFactor(c2, secondary.Covariance.Dim)
	res.NPDRemediated = rem1 || rem2

	var m1, m2 [6]float64
	for i := range 3 {
		m1[i], m1[i+3] = primary.PositionKm[i]*1000, primary.VelocityKmS[i]*1000
		m2[i], m2[i+3] = secondary.PositionKm[i]*1000, secondary.VelocityKmS[i]*1000
	}
	// Grid step for two-body closest-approach search.
	step := t1 - t0
	if !math.IsInf(pMin, 1) {
		step = math.Min(step, pMin/32)
	}
	nGrid := 1
	if step > 0 {
		nGrid = int(math.Min(maxGridIntervals, math.Ceil((t1-t0)/step)))
		nGrid = max(nGrid, 1)
	}

	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	hbr2 := hbrM * hbrM
	for range n {
		x1 := sample(rng, m1, &l1, d1)
		x2 := sample(rng, m2, &l2, d2)
		var hit, open bool
		if opt.Motion == MotionLinear {
			hit = linearMinDist2(x1, x2, t0, t1) < hbr2
		} else {
			hit, open = twoBodyHit(x1, x2, t0, t1, nGrid, hbr2)
		}
		if hit {
			res.Hits++
		}
		if open {
			res.OpenOrbitSamples++
		}
	}
	res.Pc = float64(res.Hits) / float64(n)
	res.Lo95, res.Hi95 = wilson95(res.Hits, n)
	return res, nil
}

// sqrtFactor returns L with L·Lᵀ = C (after clipping negative eigenvalues),
// the number of leading dimensions to sample, and whether clipping changed C.
// The eigen-decomposition is of the correlation matrix, so metre-level
// position and mm/s-level velocity terms are treated alike.
func sqrtFactor(c mat6, dim int) (l mat6, d int, remediated bool) {
	d = dim
	if d != 3 {
		d = 6
	}
	var s [6]float64
	for i := range d {
		s[i] = 1
		if c[i][i] > 0 {
			s[i] = math.Sqrt(c[i][i])
		}
	}
	var corr mat6
	for i := range d {
		for j := range d {
			corr[i][j] = c[i][j] / (s[i] * s[j])
		}
	}
	vals, vecs := jacobiEig(corr, d)
	lmax := 0.0
	for k := range d {
		lmax = math.Max(lmax, vals[k])
	}
	for k := range d {
		if vals[k] < -1e-12*lmax {
			remediated = true
		}
		if !(vals[k] > 0) {
			vals[k] = 0
		}
	}
	for i := range d {
		for k := range d {
			l[i][k] = s[i] * vecs[i][k] * math.Sqrt(vals[k])
		}
	}
	return l, d, remediated
}

func sample(rng *rand.Rand, mean [6]float64, l *mat6, d int) [6]float64 {
	var z [6]float64
	for i := range d {
		z[i] = rng.NormFloat64()
	}
	x := mean
	for i := range d {
		s := 0.0
		for k := range d {
			s += l[i][k] * z[k]
		}
		x[i] += s
	}
	return x
}

// linearMinDist2 is the squared minimum distance over [t0, t1] for straight
// line motion of both states.
func linearMinDist2(x1, x2 [6]float64, t0, t1 float64) float64 {
	dr := vec3{x2[0] - x1[0], x2[1] - x1[1], x2[2] - x1[2]}
	dv := vec3{x2[3] - x1[3], x2[4] - x1[4], x2[5] - x1[5]}
	vv := dot3(dv, dv)
	t := 0.0
	if vv > 0 {
		t = -dot3(dr, dv) / vv
	}
	t = math.Max(t0, math.Min(t1, t))
	p := add3(dr, scale3(t, dv))
	return dot3(p, p)
}

// twoBodyHit reports whether the two-body trajectories through x1 and x2
// come within √hbr2 during [t0, t1]; open is true when an orbit was not
// closed and linear motion was used instead.
func twoBodyHit(x1, x2 [6]float64, t0, t1 float64, nGrid int, hbr2 float64) (hit, open bool) {
	o1, ok1 := newKeplerOrbit(vec3{x1[0], x1[1], x1[2]}, vec3{x1[3], x1[4], x1[5]})
	o2, ok2 := newKeplerOrbit(vec3{x2[0], x2[1], x2[2]}, vec3{x2[3], x2[4], x2[5]})
	if !ok1 || !ok2 {
		return linearMinDist2(x1, x2, t0, t1) < hbr2, true
	}
	var e1, e2 keplerGuess
	sep := func(t float64) (d2, g, gp float64) {
		r1, v1, a1 := o1.state(t, &e1)
		r2, v2, a2 := o2.state(t, &e2)
		dr, dv, da := sub3(r2, r1), sub3(v2, v1), sub3(a2, a1)
		return dot3(dr, dr), dot3(dr, dv), dot3(dv, dv) + dot3(dr, da)
	}
	h := (t1 - t0) / float64(nGrid)
	var prevT, prevG float64
	for k := 0; k <= nGrid; k++ {
		t := t0 + float64(k)*h
		if k == nGrid {
			t = t1
		}
		d2, g, _ := sep(t)
		if d2 < hbr2 {
			return true, false
		}
		// g = Δr·Δv going from negative to non-negative between grid points
		// brackets an interior minimum of the separation; minima at the
		// window ends are the grid values themselves.
		if k >= 1 && prevG < 0 && g >= 0 {
			if refineMin(sep, prevT, t) < hbr2 {
				return true, false
			}
		}
		prevT, prevG = t, g
	}
	return false, false
}

// refineMin finds the minimum of |Δr|² in [a, b] where g = Δr·Δv goes from
// negative to non-negative, by safeguarded Newton on g.
func refineMin(sep func(float64) (float64, float64, float64), a, b float64) float64 {
	best := math.Inf(1)
	t := 0.5 * (a + b)
	for range 40 {
		d2, g, gp := sep(t)
		best = math.Min(best, d2)
		if g < 0 {
			a = t
		} else {
			b = t
		}
		nt := t - g/gp
		if !(gp > 0) || !(nt > a && nt < b) {
			nt = 0.5 * (a + b)
		}
		if math.Abs(nt-t) <= 1e-9*math.Max(1, math.Abs(t)) || b-a <= 1e-9 {
			d2, _, _ := sep(nt)
			return math.Min(best, d2)
		}
		t = nt
	}
	return best
}

// wilson95 is the Wilson score 95% interval for k successes in n trials.
func wilson95(k, n int) (lo, hi float64) {
	const z = 1.959963984540054
	p := float64(k) / float64(n)
	nn := float64(n)
	den := 1 + z*z/nn
	centre := (p + z*z/(2*nn)) / den
	half := z * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn)) / den
	return math.Max(0, centre-half), math.Min(1, centre+half)
}
