package collision

import "math"

// Chan (1997) series for the 2D probability of collision.
//
// Chan scales the minor axis so the covariance becomes isotropic with
// variance σx·σz and replaces the HBR disk by the circle of equal area in the
// scaled plane. With u = R²/(σx σz) and v = xm²/σx² + zm²/σz² the probability
// is then the non-central χ² (2 degrees of freedom, non-centrality v)
// distribution function at u, which Chan writes as
//
//	Pc = Σ_{m≥0} e^{−v/2} (v/2)^m/m! · [1 − e^{−u/2} Σ_{k=0}^{m} (u/2)^k/k!]
//	   = Σ_{m≥0} Poisson(m; v/2) · P(m+1, u/2)
//
// with P the regularised lower incomplete gamma function. The sum is done in
// log space from the top of the Poisson support downward, with P(m+1, x)
// obtained by the stable recurrence P(m+1,x) = P(m+2,x) + e^{−x}x^{m+1}/(m+1)!
// (only positive terms are added), so neither underflow of e^{−v/2} nor
// cancellation in 1 − e^{−u/2}Σ… limits the accuracy.
//
// The same number is the probability that an isotropic unit Gaussian centred
// √v from the origin falls in the circle of radius √u (1 − Marcum Q₁), so
// when the series would need more than a few thousand terms (v/2 > 2000) it
// is evaluated instead as that isotropic disk integral with the Foster
// integrator.

// chanSeriesMaxLambda is the largest v/2 summed as a series.
const chanSeriesMaxLambda = 2000

// Chan1997 returns Chan's 2D probability of collision for a disk of radius
// hbrM [m] in the encounter plane, after the same covariance remediation as
// Foster1992. It equals Foster1992 for an isotropic covariance and
// approximates it otherwise.
func Chan1997(e Encounter2D, hbrM float64) (float64, error) {
	if err := checkHBR(hbrM); err != nil {
		return 0, err
	}
	g, err := e.principal(hbrM)
	if err != nil {
		return 0, err
	}
	return chanPrincipal(g.MissMajorM, g.MissMinorM, g.SigmaMajorM, g.SigmaMinorM, hbrM), nil
}

func chanPrincipal(xm, zm, sx, sz, r float64) float64 {
	switch {
	case r == 0:
		return 0
	case math.IsInf(r, 1):
		return 1
	}
	u := r * r / (sx * sz)
	v := (xm/sx)*(xm/sx) + (zm/sz)*(zm/sz)
	if math.IsInf(u, 1) {
		return 1
	}
	return clampProb(noncentralChi2CDF2(u, v))
}

// noncentralChi2CDF2 returns P(X ≤ u) for X ~ χ'²(2 dof, non-centrality v).
func noncentralChi2CDF2(u, v float64) float64 {
	x := u / 2   // incomplete-gamma argument
	lam := v / 2 // Poisson mean
	if !(x > 0) {
		return 0
	}
	if lam == 0 {
		return -math.Expm1(-x)
	}
	// Far tail: for √v − √u > 40 the probability is below e^{-800}.
	if d := math.Sqrt(v) - math.Sqrt(u); d > 40 {
		return 0
	}
	if lam > chanSeriesMaxLambda {
		return fosterPrincipal(math.Sqrt(v), 0, 1, 1, math.Sqrt(u))
	}
	top := int(math.Ceil(lam + 15*math.Sqrt(lam) + 30))
	lnLam, lnX := math.Log(lam), math.Log(x)
	// log G_top = log P(top+1, x).
	logG := logRegLowerGamma(float64(top+1), x)
	logSum := math.Inf(-1)
	for m := top; m >= 0; m-- {
		if m < top {
			// G_m = G_{m+1} + e^{−x} x^{m+1}/(m+1)!.
			lg, _ := math.Lgamma(float64(m + 2))
			logG = logAddExp(logG, -x+float64(m+1)*lnX-lg)
			if logG > 0 {
				logG = 0
			}
		}
		lw, _ := math.Lgamma(float64(m + 1))
		logW := -lam + float64(m)*lnLam - lw
		logSum = logAddExp(logSum, logW+logG)
	}
	return math.Exp(logSum)
}

// logAddExp returns log(e^a + e^b).
func logAddExp(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(a, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// logRegLowerGamma returns log P(a, x), the regularised lower incomplete
// gamma function, for a > 0, x > 0: by its power series when x < a+1 and by
// the continued fraction for Q = 1 − P otherwise (Lentz's method).
func logRegLowerGamma(a, x float64) float64 {
	lga, _ := math.Lgamma(a)
	logPrefix := -x + a*math.Log(x) - lga // log(e^{-x} x^a / Γ(a))
	if x < a+1 {
		// P = e^{-x} x^a / Γ(a+1) · Σ_n x^n / ((a+1)…(a+n)).
		sum, term := 1.0, 1.0
		for n := 1; n < 100000; n++ {
			term *= x / (a + float64(n))
			sum += term
			if term < sum*1e-17 {
				break
			}
		}
		return logPrefix - math.Log(a) + math.Log(sum)
	}
	// Q = e^{-x} x^a / Γ(a) · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …))).
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 100000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	q := math.Exp(logPrefix) * h
	if q >= 1 {
		return math.Inf(-1)
	}
	return math.Log1p(-q)
}
