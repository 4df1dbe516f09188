package conjunction

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// One-vs-all constants.
const (
	// primaryBaseS is the base of a primary's knot step (calibrated as in
	// the sieve: 30 s·2^m).
	primaryBaseS = 30.0
	// planeSampleS spaces the measurements of a partner's mean orbit plane.
	planeSampleS = 12 * 3600.0
	// caFineS: where conservative advancement cannot skip this far, the
	// range rate is examined on SGP4 in sub-intervals of this length (the
	// same one-extremum assumption as the sieve's base step).
	caFineS = 30.0
	// gravityBoundKmS2 bounds |a1 - a2| per (km/r)²: 2.02·μ, i.e. both
	// objects' gravity plus 1% for J2 and drag.
	gravityBoundKm3S2 = 2.02 * muKm3S2
	// caSpeedMarginKmS covers the error of the primary's interpolated
	// velocity in the advancement bound.
	caSpeedMarginKmS = 0.01
)

// ephemeris is a primary's SGP4 knots every h seconds over the window.
type ephemeris struct {
	h      float64
	r, v   []vec
	n      int     // usable knot intervals (fewer if SGP4 failed)
	errKm  float64 // interpolation bound
	rmaxKm float64 // largest knot radius
}

// at interpolates the ephemeris at tS (clamped to the usable span).
func (e *ephemeris) at(tS float64) (r, v vec) {
	j := min(max(int(tS/e.h), 0), e.n-1)
	c := newCubic(e.r[j], e.v[j], e.r[j+1], e.v[j+1], e.h)
	s := min(max(tS/e.h-float64(j), 0), 1)
	x, dxds := c.at(s)
	return x, scale(dxds, 1/e.h)
}

// planeTrack is a partner's measured mean orbit-plane normal every
// planeSampleS seconds: the normalised mean of r×v at four times a quarter
// period apart, which cancels SGP4's twice-per-orbit short-period wobble
// of the plane.
type planeTrack struct {
	w    []vec
	rate float64 // bound on |dW/dt| between samples (rad/s)
}

func (p *planeTrack) at(tS float64) vec {
	x := tS / planeSampleS
	j := min(max(int(x), 0), len(p.w)-2)
	f := min(max(x-float64(j), 0), 1)
	a, b := p.w[j], p.w[j+1]
	w := vec{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1]), a[2] + f*(b[2]-a[2])}
	return scale(w, 1/norm(w))
}

// window is a time span (s) in which a pair may be close.
type window struct{ a, b float64 }

// ovaWorker is one goroutine's one-vs-all state and counters.
type ovaWorker struct {
	rf *refiner

	opKept, winIn, winKept, timeKept int64
	tOrbit, tTime, tRefine           time.Duration
}

func (r *run) oneVsAll(objs []object, nCatalog int, t0 time.Time) ([]*refiner, error) {
	st := r.st
	byNorad := make(map[int]int32, len(objs))
	for i := range objs {
		byNorad[objs[i].norad] = int32(i)
	}
	var prim []int32
	isPrim := make(map[int32]bool)
	for _, n := range st.primaries {
		i, ok := byNorad[n]
		if !ok {
			for _, f := range r.fails {
				if f.Norad == n {
					return nil, fmt.Errorf("%w: %d: %w", ErrPrimary, n, f.Err)
				}
			}
			return nil, fmt.Errorf("%w: %d is not in the catalog", ErrPrimary, n)
		}
		if !isPrim[i] {
			isPrim[i] = true
			prim = append(prim, i)
		}
	}
	sort.Slice(prim, func(a, b int) bool { return prim[a] < prim[b] })
	idx := make([]int, len(prim))
	for k, i := range prim {
		idx[k] = int(i)
	}
	if err := r.calibrate(objs, idx, primaryBaseS); err != nil {
		return nil, err
	}
	ephs := make([]ephemeris, len(prim))
	rf0 := newRefiner(st, objs)
	for k, i := range prim {
		ephs[k] = primaryEphemeris(rf0, &objs[i], i, st.spanS)
		if ephs[k].n == 0 {
			return nil, fmt.Errorf("%w: %d: %v", ErrPrimary, objs[i].norad, rf0.fails[i].err)
		}
	}
	r.log = append(r.log, StageLog{Stage: StageElements, Unit: "objects", In: int64(nCatalog), Kept: int64(len(objs)),
		Removed: int64(nCatalog - len(objs)), Elapsed: time.Since(t0),
		Note: fmt.Sprintf("%d failed or duplicate; %d primaries", len(r.fails), len(prim))})

	// Apogee/perigee: each primary against every object, each pair once.
	t := time.Now()
	type job struct {
		obj  int32
		prim []int // indices into prim
	}
	var jobs []job
	var pairs, apKept int64
	for q := range objs {
		var ps []int
		for k, p := range prim {
			if int32(q) == p || (isPrim[int32(q)] && int32(q) < p) {
				continue
			}
			pairs++
			if bandsMeet(&objs[p], &objs[q], st.sieveKm) {
				apKept++
				ps = append(ps, k)
			}
		}
		if len(ps) > 0 {
			jobs = append(jobs, job{int32(q), ps})
		}
	}
	r.log = append(r.log, StageLog{Stage: StageApogeePerigee, Unit: "pairs", In: pairs, Kept: apKept,
		Removed: pairs - apKept, Elapsed: time.Since(t)})

	workers := make([]*ovaWorker, max(1, min(st.workers, len(jobs))))
	for w := range workers {
		workers[w] = &ovaWorker{rf: newRefiner(st, objs)}
	}
	for i, f := range rf0.fails {
		workers[0].rf.fail(i, f.tS, f.err)
	}
	const chunk = 16
	err := r.parallel(StageTime, (len(jobs)+chunk-1)/chunk, len(jobs), func(w, c int, _ <-chan struct{}, tick func()) {
		ow := workers[w]
		for k := c * chunk; k < min(len(jobs), (c+1)*chunk); k++ {
			jb := jobs[k]
			ow.partner(objs, jb.obj, prim, ephs, jb.prim)
			tick()
		}
	})
	if err != nil {
		return nil, err
	}
	var opKept, winIn, winKept, timeKept, calls int64
	var tOrbit, tTime, tRefine time.Duration
	rfs := make([]*refiner, len(workers))
	for k, w := range workers {
		opKept += w.opKept
		winIn += w.winIn
		winKept += w.winKept
		timeKept += w.timeKept
		calls += w.rf.calls
		tOrbit += w.tOrbit
		tTime += w.tTime
		tRefine += w.tRefine
		rfs[k] = w.rf
	}
	r.log = append(r.log,
		StageLog{Stage: StageOrbitPath, Unit: "pairs", In: apKept, Kept: opKept, Removed: apKept - opKept, Elapsed: tOrbit,
			Note: fmt.Sprintf("%d plane-crossing windows, %d pass the radius test", winIn, winKept)},
		StageLog{Stage: StageTime, Unit: "pairs", In: opKept, Kept: timeKept, Removed: opKept - timeKept, Elapsed: tTime})
	var cands int64
	for _, w := range workers {
		cands += w.rf.cands
	}
	r.refineLog(rfs, cands, tRefine, calls)
	return rfs, nil
}

// bandsMeet is the apogee/perigee filter: the radial bands (pads included)
// come within d of each other.
func bandsMeet(a, b *object, d float64) bool {
	return a.rLoKm <= b.rHiKm+d && b.rLoKm <= a.rHiKm+d
}

// primaryEphemeris propagates a primary's knots over the window; it stops
// at the first SGP4 failure (recorded in rf).
func primaryEphemeris(rf *refiner, o *object, i int32, spanS float64) ephemeris {
	h := primaryBaseS * float64(int(1)<<o.stepLog2)
	nk := int(math.Ceil(spanS/h-1e-9)) + 1
	e := ephemeris{h: h, errKm: o.errKm, r: make([]vec, 0, nk), v: make([]vec, 0, nk)}
	for j := range nk {
		r, v, ok := rf.state(i, float64(j)*h)
		if !ok {
			break
		}
		e.r, e.v = append(e.r, r), append(e.v, v)
	}
	e.n = max(len(e.r)-1, 0)
	for _, r := range e.r {
		e.rmaxKm = max(e.rmaxKm, norm(r))
	}
	return e
}

// measurePlane samples a partner's mean orbit plane over the window.
func (ow *ovaWorker) measurePlane(o *object, i int32, spanS float64) (planeTrack, bool) {
	period := 2 * math.Pi * math.Sqrt(o.aKm*o.aKm*o.aKm/muKm3S2)
	n := int(math.Ceil(spanS/planeSampleS-1e-9)) + 1
	p := planeTrack{w: make([]vec, 0, max(n, 2))}
	for k := range max(n, 2) {
		tc := float64(k) * planeSampleS
		var sum vec
		for m := range 4 {
			r, v, ok := ow.rf.state(i, tc+(float64(m)/4-0.375)*period)
			if !ok {
				return p, false
			}
			h := cross(r, v)
			sum = vec{sum[0] + h[0]/norm(h), sum[1] + h[1]/norm(h), sum[2] + h[2]/norm(h)}
		}
		p.w = append(p.w, scale(sum, 1/norm(sum)))
	}
	for k := 1; k < len(p.w); k++ {
		p.rate = max(p.rate, 1.1*norm(sub(p.w[k], p.w[k-1]))/planeSampleS)
	}
	return p, true
}

// partner screens object q against the primaries prim[ks].
func (ow *ovaWorker) partner(objs []object, q int32, prim []int32, ephs []ephemeris, ks []int) {
	st := ow.rf.st
	t := time.Now()
	oq := &objs[q]
	plane, ok := ow.measurePlane(oq, q, st.spanS)
	ow.tOrbit += time.Since(t)
	if !ok {
		// SGP4 failed somewhere in the window: screen against the plane
		// of nothing, i.e. keep the whole span as one window up to the
		// failure.
		plane = planeTrack{}
	}
	for _, k := range ks {
		ow.pair(objs, prim[k], q, &ephs[k], &plane)
	}
}

// pair screens primary p against partner q.
func (ow *ovaWorker) pair(objs []object, p, q int32, eph *ephemeris, plane *planeTrack) {
	st := ow.rf.st
	op, oq := &objs[p], &objs[q]
	t := time.Now()
	pad := st.pads.OrbitPathKm
	var wins []window
	if len(plane.w) >= 2 {
		wins = planeWindows(eph, plane, st.sieveKm+pad+eph.errKm)
	} else {
		wins = []window{{0, float64(eph.n) * eph.h}}
	}
	ow.winIn += int64(len(wins))
	kept := wins[:0]
	for _, w := range wins {
		if radialMeets(eph, op, oq, w, st.sieveKm+pad+eph.errKm) {
			kept = append(kept, w)
		}
	}
	ow.winKept += int64(len(kept))
	ow.tOrbit += time.Since(t)
	if len(kept) == 0 {
		return
	}
	ow.opKept++
	t = time.Now()
	refined := ow.rf.cands
	refine := ow.tRefine
	tp := st.pads.Time.Seconds()
	end := float64(eph.n) * eph.h
	last := -1.0
	for _, w := range kept {
		a, b := max(w.a-tp, 0, last), min(w.b+tp, end)
		if b <= a {
			continue
		}
		ow.advance(objs, p, q, eph, a, b)
		last = b
	}
	if ow.rf.cands > refined {
		ow.timeKept++
	}
	ow.tTime += time.Since(t) - (ow.tRefine - refine)
}

// planeWindows returns the spans in which the primary is within zKm of the
// partner's measured mean plane, to about a second: the out-of-plane
// coordinate z = W·r and its rate W·v + Ẇ·r at the primary's knots give a
// cubic Hermite piece per knot interval whose Bézier hull is subdivided.
func planeWindows(eph *ephemeris, plane *planeTrack, zKm float64) []window {
	var wins []window
	add := func(a, b float64) {
		if n := len(wins); n > 0 && a <= wins[n-1].b+1e-9 {
			wins[n-1].b = max(wins[n-1].b, b)
			return
		}
		wins = append(wins, window{a, b})
	}
	// Linear interpolation of the normal between samples, renormalised,
	// leaves W·r off by at most r·θ²/8 for a turn θ between samples.
	zAll := zKm + eph.rmaxKm*plane.rate*plane.rate*planeSampleS*planeSampleS/8
	var zPrev, dPrev float64
	for j := 0; j <= eph.n; j++ {
		t := float64(j) * eph.h
		w := plane.at(t)
		seg := min(max(int(t/planeSampleS), 0), len(plane.w)-2)
		wdot := scale(sub(plane.w[seg+1], plane.w[seg]), 1/planeSampleS)
		z := dot(w, eph.r[j])
		zd := dot(w, eph.v[j]) + dot(wdot, eph.r[j])
		if j > 0 {
			h := eph.h
			zWindows([4]float64{zPrev, zPrev + dPrev*h/3, z - zd*h/3, z}, zAll, t-h, h, 0, add)
		}
		zPrev, dPrev = z, zd
	}
	return wins
}

// zWindows reports the parts of [t0, t0+h] where the 1-D cubic Bézier z
// may lie within ±zMax, subdividing down to about one second.
func zWindows(z [4]float64, zMax, t0, h float64, depth int, add func(a, b float64)) {
	lo, hi := min(z[0], z[1], z[2], z[3]), max(z[0], z[1], z[2], z[3])
	if lo > zMax || hi < -zMax {
		return
	}
	if (lo >= -zMax && hi <= zMax) || h <= 1 || depth >= 12 {
		add(t0, t0+h)
		return
	}
	p01, p12, p23 := 0.5*(z[0]+z[1]), 0.5*(z[1]+z[2]), 0.5*(z[2]+z[3])
	p012, p123 := 0.5*(p01+p12), 0.5*(p12+p23)
	m := 0.5 * (p012 + p123)
	zWindows([4]float64{z[0], p01, p012, m}, zMax, t0, h/2, depth+1, add)
	zWindows([4]float64{m, p123, p23, z[3]}, zMax, t0+h/2, h/2, depth+1, add)
}

// radialMeets is the orbit-path test of one window: at its start, middle
// and end, the partner's mean-element orbit radius in the primary's
// direction must come within dKm of the primary's radius, allowing for
// how far either radius can move between those points.
func radialMeets(eph *ephemeris, op, oq *object, w window, dKm float64) bool {
	half := (w.b - w.a) / 2
	if half > 600 { // a long (nearly coplanar) window: no radial test
		return true
	}
	pq := oq.aKm * (1 - oq.ecc*oq.ecc)
	best := math.Inf(1)
	var vrP, wP float64
	for _, t := range [3]float64{w.a, w.a + half, w.b} {
		r, v := eph.at(t)
		rn := norm(r)
		vrP = max(vrP, math.Abs(dot(r, v))/rn)
		wP = max(wP, norm(cross(r, v))/(rn*rn))
		best = min(best, math.Abs(rn-oq.radiusToward(r, t)))
	}
	// q's model radius changes as the primary's direction sweeps round at
	// wP: |dr/dν| <= ra²·e/p.
	ra := oq.aKm * (1 + oq.ecc)
	vrQ := ra * ra * oq.ecc / pq * wP
	return best <= dKm+(half/2)*(vrP+vrQ)*1.5
}

// radiusToward is the radius (km) of q's mean orbit, its apsides turned by
// the J2 secular rates to time tS, in the direction of d projected on the
// orbit plane.
func (o *object) radiusToward(d vec, tS float64) float64 {
	if o.ecc < 1e-9 {
		return o.aKm
	}
	raan := o.raan0 + o.raanDot*tS
	argp := o.argp0 + o.argpDot*tS
	sO, cO := math.Sincos(raan)
	sw, cw := math.Sincos(argp)
	si, ci := math.Sincos(o.incl)
	pHat := vec{cO*cw - sO*sw*ci, sO*cw + cO*sw*ci, sw * si}
	qHat := vec{-cO*sw - sO*cw*ci, -sO*sw + cO*cw*ci, cw * si}
	x, y := dot(d, pHat), dot(d, qHat)
	h := math.Hypot(x, y)
	if h == 0 {
		return o.aKm
	}
	return o.aKm * (1 - o.ecc*o.ecc) / (1 + o.ecc*x/h)
}

// advance walks [a, b] by conservative advancement: from a distance d and
// relative speed w the pair cannot come within reach before τ, where
// d - wτ - Aτ²/2 = reach (A bounds the relative acceleration), so that much
// is skipped. The partner's state is SGP4's; the primary's comes from its
// ephemeris, whose interpolation bound widens the reach. Where τ is short,
// the range rate is examined on SGP4 in caFineS sub-intervals.
func (ow *ovaWorker) advance(objs []object, p, q int32, eph *ephemeris, a, b float64) {
	rf := ow.rf
	reach := rf.st.sieveKm + eph.errKm
	rmin := max(min(objs[p].rLoKm, objs[q].rLoKm), 0.95*earthRadiusKm)
	acc := gravityBoundKm3S2 / (rmin * rmin)
	t := a
	var fa float64
	haveFa := false
	for t < b {
		if !haveFa {
			rq, vq, ok := rf.state(q, t)
			if !ok {
				return
			}
			rp, vp := eph.at(t)
			dr, dv := sub(rq, rp), sub(vq, vp)
			d, w := norm(dr), norm(dv)+caSpeedMarginKmS
			if d > reach {
				tau := (-w + math.Sqrt(w*w+2*acc*(d-reach))) / acc
				if tau >= caFineS {
					t += tau
					continue
				}
			}
			if fa, ok = rf.rangeRate(p, q, t); !ok {
				return
			}
			haveFa = true
		}
		t2 := min(t+caFineS, b)
		tr := time.Now()
		fb, ok := rf.refine(p, q, t, t2, -1, fa, true)
		ow.tRefine += time.Since(tr)
		if !ok {
			return
		}
		t, fa = t2, fb
		// Keep stepping finely while the pair stays close; otherwise go
		// back to advancing.
		if fb > 0 {
			haveFa = false
		}
	}
}
