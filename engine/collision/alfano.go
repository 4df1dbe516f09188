package collision

import "math"

// Alfano (2005) maximum probability of collision.
//
// S. Alfano, "Relating position uncertainty to maximum conjunction
// probability", J. Astronaut. Sci. 53(2):193–205, 2005, bounds the 2D Pc over
// all covariance sizes and shapes. The bound is reached in the limit of an
// infinite aspect ratio with the major axis along the miss vector: the
// density collapses onto that line and Pc = P(d−R < X < d+R) for X ~ N(0, σ²),
// which is largest at
//
//	σ² = 2dR / ln((d+R)/(d−R))
//
// giving Pc_max = ½[erf((d+R)/(√2σ)) − erf((d−R)/(√2σ))] (→ 0.4839·R/d for
// R ≪ d; 1 when d ≤ R). This is the "maximum probability" SOCRATES
// (Kelso & Alfano 2005, AAS 05-124) reports for element sets without
// covariance. Alfano2005MaxPcScaled instead keeps a known covariance shape and
// maximises over its size (Alfano 2005's fixed-aspect-ratio problem), solved
// here numerically with Foster1992.

// Alfano2005MaxPc returns the largest 2D Pc any covariance can give for an
// encounter-plane miss distance missM [m] and hard-body radius hbrM [m], and
// the 1-sigma [m] (along the miss) at which it is reached; sigma is 0 when
// missM <= hbrM (Pc_max = 1, reached as sigma → 0).
func Alfano2005MaxPc(missM, hbrM float64) (pcMax, sigmaM float64, err error) {
	if err := checkHBR(hbrM); err != nil {
		return 0, 0, err
	}
	if math.IsNaN(missM) || math.IsInf(missM, 0) {
		return 0, 0, errInvalidf("miss distance %g m", missM)
	}
	d, r := math.Abs(missM), hbrM
	switch {
	case r == 0:
		return 0, 0, nil
	case d <= r:
		return 1, 0, nil
	}
	// ln((d+R)/(d−R)) = log1p(2R/(d−R)), accurate for R ≪ d.
	l := math.Log1p(2 * r / (d - r))
	s2 := 2 * d * r / l
	if !(s2 > 0) || math.IsInf(s2, 0) {
		return 0, 0, nil
	}
	s := math.Sqrt(s2)
	k := 1 / (math.Sqrt2 * s)
	pc := 0.5 * erfDiff((d+r)*k, (d-r)*k)
	return clampProb(pc), s, nil
}

// Alfano2005MaxPcScaled returns the largest Foster1992 Pc over covariances
// k²·C with C the encounter covariance in e and k > 0, and the scale factor k
// that reaches it. A result with k at the search limits (1e-6 or 1e6) means
// the maximum lies beyond them.
func Alfano2005MaxPcScaled(e Encounter2D, hbrM float64) (pcMax, k float64, err error) {
	if err := checkHBR(hbrM); err != nil {
		return 0, 0, err
	}
	g, err := e.principal(hbrM)
	if err != nil {
		return 0, 0, err
	}
	if hbrM == 0 {
		return 0, 1, nil
	}
	if math.IsInf(hbrM, 1) {
		return 1, 1, nil
	}
	f := func(lnK float64) float64 {
		s := math.Exp(lnK)
		return fosterPrincipal(g.MissMajorM, g.MissMinorM, s*g.SigmaMajorM, s*g.SigmaMinorM, hbrM)
	}
	// Pc(k) is unimodal in ln k (rising from 0 or 1 at one end); scan a
	// coarse grid, then golden-section search around the best point.
	lo, hi := math.Log(1e-6), math.Log(1e6)
	const n = 24
	best, bestX := -1.0, lo
	step := (hi - lo) / n
	for i := 0; i <= n; i++ {
		x := lo + float64(i)*step
		if v := f(x); v > best {
			best, bestX = v, x
		}
	}
	a, b := math.Max(lo, bestX-step), math.Min(hi, bestX+step)
	const invPhi = 0.6180339887498949
	x1 := b - invPhi*(b-a)
	x2 := a + invPhi*(b-a)
	f1, f2 := f(x1), f(x2)
	for i := 0; i < 60 && b-a > 1e-6; i++ {
		if f1 < f2 {
			a, x1, f1 = x1, x2, f2
			x2 = a + invPhi*(b-a)
			f2 = f(x2)
		} else {
			b, x2, f2 = x2, x1, f1
			x1 = b - invPhi*(b-a)
			f1 = f(x1)
		}
	}
	for _, c := range [...]struct{ x, v float64 }{{x1, f1}, {x2, f2}} {
		if c.v > best {
			best, bestX = c.v, c.x
		}
	}
	return best, math.Exp(bestX), nil
}
