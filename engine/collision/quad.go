package collision

import "math"

// Globally adaptive 7-point Gauss / 15-point Kronrod quadrature.
//
// The nodes and weights are the classical G7-K15 pair (Kronrod 1965, as
// tabulated in Piessens et al., QUADPACK, 1983); gk15_test.go checks them by
// integrating monomials exactly. The error estimate scales |K15−G7| the way
// QUADPACK's QK15 does, which is conservative for smooth integrands.

// gkNodes are the non-negative K15 abscissae, largest first; odd indices
// (1, 3, 5, 7) are the G7 abscissae.
var gkNodes = [8]float64{
	0.991455371120812639206854697526329,
	0.949107912342758524526189684047851,
	0.864864423359769072789712788640926,
	0.741531185599394439863864773280788,
	0.586087235467691130294144845693013,
	0.405845151377397166906606412076961,
	0.207784955007898467600689403773245,
	0,
}

// gkWeightsK are the K15 weights for gkNodes.
var gkWeightsK = [8]float64{
	0.022935322010529224963732008058970,
	0.063092092629978553290700663189204,
	0.104790010322250183839876322541518,
	0.140653259715525918745189590510238,
	0.169004726639267902826583426598550,
	0.190350578064785409913256402421014,
	0.204432940075298892414161999234649,
	0.209482141084727828012999174891714,
}

// gkWeightsG are the G7 weights for gkNodes[1], [3], [5], [7].
var gkWeightsG = [4]float64{
	0.129484966168869693270611432679082,
	0.279705391489276667901467771423780,
	0.381830050505118944950369775488975,
	0.417959183673469387755102040816327,
}

// gk15 integrates f over [a, b] and returns the K15 value and an error
// estimate.
func gk15(f func(float64) float64, a, b float64) (val, errEst float64) {
	c := 0.5 * (a + b)
	h := 0.5 * (b - a)
	fc := f(c)
	resK := fc * gkWeightsK[7]
	resG := fc * gkWeightsG[3]
	resAbs := math.Abs(resK)
	var fv1, fv2 [7]float64
	for j := range 7 {
		dx := h * gkNodes[j]
		f1, f2 := f(c-dx), f(c+dx)
		fv1[j], fv2[j] = f1, f2
		resK += gkWeightsK[j] * (f1 + f2)
		resAbs += gkWeightsK[j] * (math.Abs(f1) + math.Abs(f2))
		if j%2 == 1 {
			resG += gkWeightsG[j/2] * (f1 + f2)
		}
	}
	mean := 0.5 * resK
	resAsc := gkWeightsK[7] * math.Abs(fc-mean)
	for j := range 7 {
		resAsc += gkWeightsK[j] * (math.Abs(fv1[j]-mean) + math.Abs(fv2[j]-mean))
	}
	val = resK * h
	resAbs *= math.Abs(h)
	resAsc *= math.Abs(h)
	errEst = math.Abs((resK - resG) * h)
	if resAsc != 0 && errEst != 0 {
		errEst = resAsc * math.Min(1, math.Pow(200*errEst/resAsc, 1.5))
	}
	const epsMach = 2.220446049250313e-16
	if resAbs > math.SmallestNonzeroFloat64/(50*epsMach) {
		errEst = math.Max(50*epsMach*resAbs, errEst)
	}
	return val, errEst
}

// maxPanels bounds the adaptive subdivision (and the stack array it uses).
const maxPanels = 96

// panel is an interval with its K15 value and the K15 values of its two
// halves; err estimates the error of the halves' sum as the smaller of
// |K − (K_left + K_right)| (the error of the coarser rule, so conservative)
// and the halves' own QK15 estimates.
type panel struct{ a, b, left, right, err float64 }

func newPanel(f func(float64) float64, a, b, whole float64) panel {
	m := 0.5 * (a + b)
	vl, el := gk15(f, a, m)
	vr, er := gk15(f, m, b)
	return panel{a: a, b: b, left: vl, right: vr, err: math.Min(math.Abs(whole-vl-vr), el+er)}
}

// integrate integrates f over the consecutive intervals given by the sorted
// break points (at least two) until the summed error estimate is below
// max(relTol·|result|, absTol) or maxPanels panels are in use. Each panel is
// evaluated as a whole and as two halves, so a smooth integrand costs 45
// evaluations per initial interval. It never allocates.
func integrate(f func(float64) float64, breaks []float64, relTol, absTol float64) (val, errEst float64) {
	var ps [maxPanels]panel
	n := 0
	for i := 0; i+1 < len(breaks) && n < maxPanels; i++ {
		a, b := breaks[i], breaks[i+1]
		if !(b > a) {
			continue
		}
		whole, _ := gk15(f, a, b)
		ps[n] = newPanel(f, a, b, whole)
		n++
	}
	for iter := 0; ; iter++ {
		val, errEst = 0, 0
		worst := -1
		for i := range n {
			val += ps[i].left + ps[i].right
			errEst += ps[i].err
			if worst < 0 || ps[i].err > ps[worst].err {
				worst = i
			}
		}
		if worst < 0 || errEst <= math.Max(relTol*math.Abs(val), absTol) || n >= maxPanels ||
			math.IsNaN(errEst) || iter > 2*maxPanels {
			return val, errEst
		}
		p := ps[worst]
		m := 0.5 * (p.a + p.b)
		if !(m > p.a && m < p.b) {
			// Interval cannot be split further in floating point.
			ps[worst].err = 0
			continue
		}
		ps[worst] = newPanel(f, p.a, m, p.left)
		ps[n] = newPanel(f, m, p.b, p.right)
		n++
	}
}
