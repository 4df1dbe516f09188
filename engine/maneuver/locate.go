package maneuver

import "math"

// location says where, around a detected step, the burn shows in the
// element sets.
type location struct {
	tBurnDay  float64 // fitted start of the change (days since the first set)
	widthDay  float64 // fitted duration of the change in the element sets (0 = a clean step)
	uncertDay float64 // 1-sigma of tBurnDay from the fit alone
	first     int     // first set after tBurnDay
	full      int     // first set at or after tBurnDay+widthDay (the post-burn orbit)
	jump      float64 // fitted level change
}

// rampWidthsDay are the durations tried for the way a burn enters the
// element sets: a clean step, or a linear ramp over that many days (GP fits
// spanning several days absorb a burn gradually).
var rampWidthsDay = [...]float64{0, 1, 2, 3, 5, 8, 12}

// rampLeadDay is how far before the peak boundary a ramp may start.
const rampLeadDay = 8.0

// rampPenalty is the extra absolute residual, in units of the set noise, a
// ramp must save over a step to be preferred.
const rampPenalty = 3.0

// locate fits the values of the sets within m of peak boundary b with a
// step-or-ramp model on a local linear trend,
//
//	y(t) = L0 + s·t                          t ≤ t0
//	y(t) = L0 + s·t + (L1−L0)·(t−t0)/W       t0 < t < t0+W
//	y(t) = L1 + s·t                          t ≥ t0+W
//
// minimising the sum of absolute residuals over t0 and W (rampWidthsDay).
// For each (t0, W) the common slope s is the median of the pairwise slopes
// within the segment before and within the segment after (Theil–Sen), and
// L0, L1 are medians. A step fits equally well anywhere between two sets:
// then t0 is the middle of that gap and its uncertainty gap/√12. A ramp
// must beat the best step by rampPenalty times the set noise. The long-run
// rate r only seeds the detrending (it keeps the numbers small).
func locate(t, x []float64, r float64, b, m int) location {
	n := len(x)
	lo, hi := max(0, b-m), min(n, b+m)
	loc := location{first: b, full: b, tBurnDay: (t[b-1] + t[b]) / 2, uncertDay: (t[b] - t[b-1]) / math.Sqrt(12)}
	if hi-lo < 4 {
		return loc
	}
	tb := t[b]
	ts := t[lo:hi]
	ys := make([]float64, hi-lo)
	for j := lo; j < hi; j++ {
		ys[j-lo] = x[j] - r*(t[j]-tb)
	}
	k := len(ys)
	slopes := make([]float64, 0, k*k/2)
	buf := make([]float64, 0, k)
	// The trend and the two levels depend only on which sets are before
	// and after the change, so they are computed once per split.
	type levels struct{ sl, l0, l1 float64 }
	memo := map[[2]int]levels{}
	split := func(i0, i1 int) levels {
		if lv, ok := memo[[2]int{i0, i1}]; ok {
			return lv
		}
		slopes = slopes[:0]
		for _, seg := range [2][2]int{{0, i0}, {i1, k}} {
			for i := seg[0]; i < seg[1]; i++ {
				for j := i + 1; j < seg[1]; j++ {
					if dt := ts[j] - ts[i]; dt > 0 {
						slopes = append(slopes, (ys[j]-ys[i])/dt)
					}
				}
			}
		}
		var lv levels
		if len(slopes) > 0 {
			lv.sl = median(slopes)
		}
		buf = buf[:0]
		for i := 0; i < i0; i++ {
			buf = append(buf, ys[i]-lv.sl*(ts[i]-tb))
		}
		lv.l0 = median(buf)
		buf = buf[:0]
		for i := i1; i < k; i++ {
			buf = append(buf, ys[i]-lv.sl*(ts[i]-tb))
		}
		lv.l1 = median(buf)
		memo[[2]int{i0, i1}] = lv
		return lv
	}
	cost := func(t0, w float64) (float64, float64, bool) {
		// Segments: [0, i0) up to t0, [i1, k) from t0+w on.
		i0 := 0
		for i0 < k && ts[i0] <= t0 {
			i0++
		}
		i1 := i0
		for i1 < k && ts[i1] < t0+w {
			i1++
		}
		if i0 < 2 || k-i1 < 2 {
			return 0, 0, false
		}
		lv := split(i0, i1)
		c := 0.0
		for i, tt := range ts {
			model := lv.l0
			switch {
			case i >= i1:
				model = lv.l1
			case i >= i0:
				model = lv.l0 + (lv.l1-lv.l0)*(tt-t0)/w
			}
			c += math.Abs(ys[i] - lv.sl*(tt-tb) - model)
		}
		return c, lv.l1 - lv.l0, true
	}
	d := make([]float64, 0, k)
	for i := 1; i < k; i++ {
		d = append(d, ys[i]-ys[i-1])
	}
	penalty := rampPenalty * robustSigma(d) / math.Sqrt2

	best := math.Inf(1)
	var bestT, bestW, bestJ float64
	found := false
	try := func(t0, w float64) {
		c, jmp, ok := cost(t0, w)
		if !ok {
			return
		}
		if w > 0 {
			c += penalty
		}
		if !found || c < best-1e-9*math.Abs(best) {
			best, bestT, bestW, bestJ, found = c, t0, w, jmp, true
		}
	}
	// Steps: one trial per gap (the cost is constant inside it).
	for i := 1; i < k; i++ {
		try((ts[i-1]+ts[i])/2, 0)
	}
	// Ramps: start on a 2-hour grid from rampLeadDay before the peak
	// boundary to one day after it (the step statistic peaks inside a ramp).
	const gridDay = 2.0 / 24
	for _, w := range rampWidthsDay[1:] {
		for t0 := max(ts[0], tb-rampLeadDay); t0 < min(ts[k-1], tb+1); t0 += gridDay {
			try(t0, w)
		}
	}
	if !found {
		return loc
	}
	loc.widthDay, loc.jump = bestW, bestJ
	// First set a quarter into the ramp (after t0 for a step), and the
	// first at or after t0+W.
	first := lo
	for first < hi && t[first] <= bestT+bestW/4 {
		first++
	}
	if first < 1 || first >= n {
		return loc
	}
	loc.first = first
	full := first
	for full < hi-1 && t[full] < bestT+bestW {
		full++
	}
	loc.full = full
	if bestW == 0 {
		loc.tBurnDay = (t[first-1] + t[first]) / 2
		loc.uncertDay = (t[first] - t[first-1]) / math.Sqrt(12)
	} else {
		loc.tBurnDay = bestT
		loc.uncertDay = math.Max(gridDay, (t[first]-t[first-1])/math.Sqrt(12))
	}
	return loc
}
