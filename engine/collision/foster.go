package collision

import (
	"fmt"
	"math"
	"slices"
)

// Foster (1992) 2D probability of collision for a circular hard-body region.
//
// In the principal axes of the combined covariance (σx >= σz) with the miss
// at (xm, zm), the probability mass of the Gaussian inside the disk of radius
// R around the miss is
//
//	Pc = ∫ φ(x/σx)/σx · ½[erf((zm+h)/(√2σz)) − erf((zm−h)/(√2σz))] dx,
//	     x ∈ [xm−R, xm+R],  h(x) = √(R² − (x−xm)²)
//
// (the z integral done analytically, as in CARA's PcCircle). Substituting
// x = xm + R·sinθ removes the square-root end-point singularities, giving a
// smooth integrand on θ ∈ [−π/2, π/2] that adaptive Gauss–Kronrod handles to
// ~1e-10 relative. The x range is trimmed to where the Gaussian matters
// (with a bound on what is left out), and split where the integrand has
// features much narrower than the disk (the Gaussian peak x = 0, the erf
// shoulders h = zm) so they are not stepped over. Erf differences are taken through erfc in the tails so tiny
// probabilities (1e-300) keep their relative accuracy.

// fosterRelTol is the adaptive quadrature's relative tolerance. The error
// estimate is that of the coarser of two nested rules while the finer value
// is returned, so the actual error is usually orders of magnitude smaller
// (the tests check 1e-10 against independent integrations).
const fosterRelTol = 1e-9

// gaussTrimSigma is the |x|/σ beyond which exp(−x²/2σ²) underflows (e^-760);
// gaussRelTrimSigma is where it has fallen by 1e-20 (e^-46).
const (
	gaussTrimSigma    = 39.0
	gaussRelTrimSigma = 9.6
)

// Foster1992 returns the 2D probability of collision (Foster & Estes 1992,
// NASA JSC-25898) for a disk of radius hbrM [m] in the encounter plane. The
// covariance is remediated as CARA does when an eigenvalue is below
// (1e-4·hbrM)². hbrM = 0 gives 0 and +Inf gives 1.
func Foster1992(e Encounter2D, hbrM float64) (float64, error) {
	if err := checkHBR(hbrM); err != nil {
		return 0, err
	}
	g, err := e.principal(hbrM)
	if err != nil {
		return 0, err
	}
	return fosterPrincipal(g.MissMajorM, g.MissMinorM, g.SigmaMajorM, g.SigmaMinorM, hbrM), nil
}

func checkHBR(hbrM float64) error {
	if math.IsNaN(hbrM) || hbrM < 0 {
		return fmt.Errorf("%w: hard-body radius %g m (want >= 0)", ErrInvalidInput, hbrM)
	}
	return nil
}

// fosterPrincipal integrates in the principal frame: xm, zm >= 0 along the
// major (σx) and minor (σz) axes.
func fosterPrincipal(xm, zm, sx, sz, r float64) float64 {
	switch {
	case r == 0:
		return 0
	case math.IsInf(r, 1):
		return 1
	}
	xm, zm = math.Abs(xm), math.Abs(zm)
	// First keep |x| <= X where the Gaussian has fallen 1e-20 below its
	// largest value on the disk; the mass left out is at most
	// erfc(X/(√2σx)). If that is not negligible against the result, redo
	// with the lossless range |x| <= 39σx.
	xNear := math.Max(0, xm-r)
	x1 := math.Min(math.Hypot(xNear, gaussRelTrimSigma*sx), gaussTrimSigma*sx)
	pc := fosterRange(xm, zm, sx, sz, r, x1)
	if x1 < gaussTrimSigma*sx && (xm+r > x1 || xm-r < -x1) && math.Erfc(x1/(math.Sqrt2*sx)) > 1e-13*pc {
		pc = fosterRange(xm, zm, sx, sz, r, gaussTrimSigma*sx)
	}
	return clampProb(pc)
}

// fosterRange integrates over the part of the disk with |x| <= xMax.
func fosterRange(xm, zm, sx, sz, r, xMax float64) float64 {
	xlo := math.Max(xm-r, -xMax)
	xhi := math.Min(xm+r, xMax)
	if !(xhi > xlo) {
		return 0
	}
	tlo := math.Asin(clampUnit((xlo - xm) / r))
	thi := math.Asin(clampUnit((xhi - xm) / r))
	if !(thi > tlo) {
		return 0
	}
	// Break points where the integrand has features much narrower than the
	// disk; a smooth integrand (HBR small against both sigmas, the usual
	// case) is left as one panel.
	var bb [12]float64
	breaks := append(bb[:0], tlo, thi)
	addBreak := func(t float64) {
		if t > tlo && t < thi {
			breaks = append(breaks, t)
		}
	}
	if 8*sx < r {
		// Gaussian body |x| <= 6σx, and its peak.
		for _, x := range [...]float64{-6 * sx, 0, 6 * sx} {
			if math.Abs(x-xm) < r {
				addBreak(math.Asin((x - xm) / r))
			}
		}
	}
	if 8*sz < r {
		if zm < r {
			// erf shoulders: D(h) rises from 0 to 2 across h = zm ± 6σz.
			for _, h := range [...]float64{zm - 6*sz, zm, zm + 6*sz} {
				if h > 0 && h < r {
					tk := math.Acos(h / r)
					addBreak(-tk)
					addBreak(tk)
				}
			}
		} else {
			addBreak(0) // deepest point of the disk toward the minor axis
		}
	}
	slices.Sort(breaks)

	inv2sx2 := 1 / (2 * sx * sx)
	invS2z := 1 / (math.Sqrt2 * sz)
	f := func(t float64) float64 {
		st, ct := math.Sincos(t)
		x := xm + r*st
		h := r * ct
		if h <= 0 {
			return 0
		}
		return ct * math.Exp(-x*x*inv2sx2) * erfDiff((zm+h)*invS2z, (zm-h)*invS2z)
	}
	val, _ := integrate(f, breaks, fosterRelTol, 0)
	// Constant factors: dx = r·cosθ dθ, φ normalisation 1/(√(2π)σx), ½ of the erf difference.
	return val * r / (2 * math.Sqrt(2*math.Pi) * sx)
}

// erfDiff returns erf(a) − erf(b) for a >= b without cancellation in the tails.
func erfDiff(a, b float64) float64 {
	switch {
	case b >= 0:
		return math.Erfc(b) - math.Erfc(a)
	case a <= 0:
		return math.Erfc(-a) - math.Erfc(-b)
	default:
		return math.Erf(a) - math.Erf(b)
	}
}

func clampUnit(x float64) float64 { return math.Max(-1, math.Min(1, x)) }

// clampProb maps a computed probability into [0, 1], NaN to 0.
func clampProb(p float64) float64 {
	if !(p > 0) {
		return 0
	}
	if p > 1 {
		return 1
	}
	return p
}
