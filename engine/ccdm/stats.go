package ccdm

import (
	"math"
	"slices"
)

// madToSigma turns a median absolute deviation into a Gaussian-equivalent
// standard deviation.
const madToSigma = 1.4826

// median of x (x is not modified); NaN when empty.
func median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// robustSigma is 1.4826·MAD of x about its median; NaN when empty.
func robustSigma(x []float64) float64 {
	m := median(x)
	if math.IsNaN(m) {
		return m
	}
	d := make([]float64, len(x))
	for i, v := range x {
		d[i] = math.Abs(v - m)
	}
	return madToSigma * median(d)
}

// line is a robust straight-line fit y = a + b·(t − t0).
type line struct {
	t0, a, b float64
	sigma    float64 // robust 1-sigma of the residuals
	n        int
}

func (l line) at(t float64) float64 { return l.a + l.b*(t-l.t0) }

// theilSen fits y(t) by the Theil–Sen estimator: the slope is the median of
// the pairwise slopes (pairs with distinct t), the intercept the median of
// y − b·(t − t0), and sigma the robust spread of the residuals. seg, when
// non-nil, gives each point a segment number and only pairs within one
// segment count for the slope (so that steps between segments, e.g.
// manoeuvres, do not bias it); intercepts then use the last segment.
func theilSen(t, y []float64, seg []int) line {
	n := len(t)
	l := line{n: n}
	if n == 0 {
		return l
	}
	l.t0 = t[n-1]
	var slopes []float64
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if seg != nil && seg[i] != seg[j] {
				continue
			}
			if dt := t[j] - t[i]; dt != 0 {
				slopes = append(slopes, (y[j]-y[i])/dt)
			}
		}
	}
	if len(slopes) > 0 {
		l.b = median(slopes)
	}
	var base, all []float64
	for i := 0; i < n; i++ {
		r := y[i] - l.b*(t[i]-l.t0)
		all = append(all, r)
		if seg == nil || seg[i] == seg[n-1] {
			base = append(base, r)
		}
	}
	l.a = median(base)
	res := make([]float64, 0, n)
	if seg == nil {
		for _, r := range all {
			res = append(res, r-l.a)
		}
	} else {
		// Each segment about its own level.
		levels := map[int][]float64{}
		for i, r := range all {
			levels[seg[i]] = append(levels[seg[i]], r)
		}
		med := map[int]float64{}
		for k, v := range levels {
			med[k] = median(v)
		}
		for i, r := range all {
			res = append(res, r-med[seg[i]])
		}
	}
	l.sigma = robustSigma(res)
	return l
}

// confidence maps a score against its threshold to [0,1]: 0.5 at the
// threshold, about 0.9 at twice it (a logistic in log(score/threshold));
// 0 for a non-positive score.
func confidence(score, threshold float64) float64 {
	if !(score > 0) || !(threshold > 0) {
		return 0
	}
	c := 1 / (1 + math.Pow(score/threshold, -3))
	return math.Max(0, math.Min(1, c))
}

func round(x float64, digits int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
