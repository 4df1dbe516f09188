package conjunction

import "math"

const (
	// interpTargetKm is the interpolation error bound each object's knot
	// step aims at; the bound itself is added to the sieve distance.
	interpTargetKm = 0.25
	// maxStepLog2 caps knot steps at baseStep·2⁶.
	maxStepLog2 = 6
	// calibSegments knot intervals, spread over the window, are checked
	// against SGP4 for each object.
	calibSegments = 8
	// interpFloorKm is added to every bound (rounding, the rest).
	interpFloorKm = 0.002
)

// calibrate chooses the object's knot step (baseStep·2^m) and its
// interpolation error bound: twice the larger of the Kepler bound and the
// error measured against SGP4 at three points in each of calibSegments
// knot intervals spread over the window. The measurement catches what the
// Kepler bound misses (SDP4's velocity is not exactly the derivative of
// its position: metres to tens of metres at a few minutes' step). It
// returns the number of SGP4 calls made.
func (o *object) calibrate(baseS, spanS float64) int {
	rp, wp := o.perigeeRate()
	m := 0
	for m < maxStepLog2 && 2*keplerHermiteKm(rp, wp, baseS*float64(int(1)<<(m+1))) <= interpTargetKm {
		m++
	}
	calls := 0
	for {
		h := baseS * float64(int(1)<<m)
		meas, n := o.measureHermite(h, spanS)
		calls += n
		bound := max(2*keplerHermiteKm(rp, wp, h), 2*meas) + interpFloorKm
		if bound <= interpTargetKm || m == 0 {
			o.stepLog2, o.errKm = m, bound
			break
		}
		m--
	}
	if o.deep && math.Abs(o.incl*180/math.Pi-lyddaneInclDeg) < lyddaneBandDeg {
		o.errKm += lyddanePadKm
	}
	return calls
}

// measureHermite returns the largest |SGP4 - Hermite| found at s = 1/4, 1/2,
// 3/4 of calibSegments knot intervals of length h spread over the window
// (intervals where SGP4 fails are skipped) and the SGP4 calls made.
func (o *object) measureHermite(h, spanS float64) (float64, int) {
	nSeg := max(1, int(math.Ceil(spanS/h)))
	worst, calls := 0.0, 0
	prev := -1
	for q := range calibSegments {
		j := q * (nSeg - 1) / (calibSegments - 1)
		if j == prev {
			continue
		}
		prev = j
		t0 := float64(j) * h
		r0, v0, err0 := o.state(t0)
		r1, v1, err1 := o.state(t0 + h)
		calls += 2
		if err0 != nil || err1 != nil {
			continue
		}
		c := newCubic(r0, v0, r1, v1, h)
		for _, s := range [...]float64{0.25, 0.5, 0.75} {
			x, _ := c.at(s)
			r, _, err := o.state(t0 + s*h)
			calls++
			if err != nil {
				continue
			}
			worst = max(worst, norm(sub(x, r)))
		}
	}
	return worst, calls
}
