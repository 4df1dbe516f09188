package conjunction

import (
	"math"
	"time"
)

// sieve is the all-vs-all coarse pass: every base interval, each object's
// interpolated path is boxed, the boxes go into a spatial hash, and pairs
// whose boxes share a cell have their relative path bounded; those that
// may come within reach are refined on SGP4.
type sieve struct {
	st      *settings
	objs    []object
	baseS   float64
	nInt    int // base intervals covering the window
	slabInt int // base intervals per slab (a multiple of every knot step)
	cellKm  float64
	reachKm float64 // screening distance plus the sieve pad
}

// slabKnotSteps is the slab length in units of the largest knot step.
const slabKnotSteps = 4

func newSieve(st *settings, objs []object, baseS float64) *sieve {
	sv := &sieve{st: st, objs: objs, baseS: baseS}
	sv.nInt = max(1, int(math.Ceil(st.spanS/baseS-1e-9)))
	sv.slabInt = slabKnotSteps << maxStepLog2
	sv.reachKm = st.sieveKm + st.pads.SieveKm
	sv.cellKm = cellSpeedKmS*baseS + sv.reachKm + 2*interpTargetKm
	return sv
}

func (sv *sieve) slabs() int { return (sv.nInt + sv.slabInt - 1) / sv.slabInt }

// track is one object's interpolation state inside a slab.
type track struct {
	cub    cubic
	seg    int  // current knot interval: [seg·h, (seg+1)·h]
	x, v   vec  // interpolated state at the current base interval's start
	r1, v1 vec  // SGP4 state at the knot ending seg
	live   bool // usable in the current base interval
	dying  bool // the next knot failed: not usable after this interval
}

// fEntry caches a pair's range rate at the end of its last refined interval.
type fEntry struct {
	k int
	f float64
}

// sieveWorker holds one goroutine's scratch space and counters.
type sieveWorker struct {
	sv     *sieve
	rf     *refiner
	tracks []track
	boxes  []box
	bez    []bezier
	grid   *spatialGrid
	single []bool  // box within one grid cell this interval
	live   []int32 // objects with a box this interval
	fcache map[uint64]fEntry

	gridPairs, apRemoved, pathKept, knots, cellPairs int64
	tBuild, tPairs, tRefine                          time.Duration
}

func (sv *sieve) newWorker() *sieveWorker {
	n := len(sv.objs)
	return &sieveWorker{sv: sv, rf: newRefiner(sv.st, sv.objs), tracks: make([]track, n), boxes: make([]box, n),
		bez: make([]bezier, n), grid: newSpatialGrid(sv.cellKm), single: make([]bool, n),
		fcache: make(map[uint64]fEntry)}
}

// slab screens base intervals [s·slabInt, (s+1)·slabInt); done is called
// after each interval; it stops early (returning false) when cancel closes.
func (w *sieveWorker) slab(s int, cancel <-chan struct{}, done func()) bool {
	sv := w.sv
	k0 := s * sv.slabInt
	k1 := min(k0+sv.slabInt, sv.nInt)
	clear(w.fcache)
	t := time.Now()
	for i := range sv.objs {
		w.startTrack(int32(i), k0)
	}
	w.tBuild += time.Since(t)
	for k := k0; k < k1; k++ {
		select {
		case <-cancel:
			return false
		default:
		}
		w.interval(k)
		done()
	}
	return true
}

// knotStep is object i's knot spacing in seconds.
func (sv *sieve) knotStep(i int32) float64 { return sv.baseS * float64(int(1)<<sv.objs[i].stepLog2) }

// startTrack loads the knot interval that begins at base interval k0 (a
// multiple of every knot step).
func (w *sieveWorker) startTrack(i int32, k0 int) {
	tr := &w.tracks[i]
	*tr = track{}
	o := &w.sv.objs[i]
	h := w.sv.knotStep(i)
	tr.seg = k0 >> o.stepLog2
	t0 := float64(tr.seg) * h
	r0, v0, ok := w.rf.state(i, t0)
	if !ok {
		return
	}
	r1, v1, ok := w.rf.state(i, t0+h)
	if !ok {
		return
	}
	w.knots += 2
	tr.cub = newCubic(r0, v0, r1, v1, h)
	tr.x, tr.v, tr.r1, tr.v1 = r0, v0, r1, v1
	tr.live = true
}

// interval runs base interval k: boxes, grid, pair tests, refinement.
func (w *sieveWorker) interval(k int) {
	sv := w.sv
	t := time.Now()
	tA := float64(k) * sv.baseS
	g := w.grid
	g.reset()
	w.live = w.live[:0]
	for ii := range w.tracks {
		i := int32(ii)
		tr := &w.tracks[i]
		if !tr.live {
			continue
		}
		if tr.dying {
			tr.live = false
			continue
		}
		o := &sv.objs[i]
		m := o.stepLog2
		h := sv.baseS * float64(int(1)<<m)
		var x1, v1 vec
		atKnot := (k+1)&(1<<m-1) == 0
		if atKnot {
			x1, v1 = tr.r1, tr.v1
		} else {
			s := float64(k+1-tr.seg<<m) / float64(int(1)<<m)
			x, dxds := tr.cub.at(s)
			x1, v1 = x, scale(dxds, 1/h)
		}
		q := hermiteBezier(tr.x, scale(tr.v, sv.baseS), x1, scale(v1, sv.baseS))
		half := 0.5*sv.reachKm + o.errKm
		b := &w.boxes[i]
		for a := range 3 {
			b.lo[a] = min(q[0][a], q[1][a], q[2][a], q[3][a]) - half
			b.hi[a] = max(q[0][a], q[1][a], q[2][a], q[3][a]) + half
		}
		w.bez[i] = q
		w.single[i] = g.insert(b, i)
		w.live = append(w.live, i)
		tr.x, tr.v = x1, v1
		if atKnot {
			tr.seg++
			r2, v2, ok := w.rf.state(i, float64(tr.seg+1)*h)
			w.knots++
			if !ok {
				tr.dying = true
			} else {
				tr.cub = newCubic(tr.r1, tr.v1, r2, v2, h)
				tr.r1, tr.v1 = r2, v2
			}
		}
	}
	g.sort()
	t2 := time.Now()
	w.tBuild += t2.Sub(t)
	refine := w.tRefine
	ent := g.ent
	for c0 := 0; c0 < len(ent); {
		key := ent[c0] >> 32
		c1 := c0 + 1
		for c1 < len(ent) && ent[c1]>>32 == key {
			c1++
		}
		for a := c0; a < c1; a++ {
			i := int32(uint32(ent[a]))
			bi := &w.boxes[i]
			for _, e := range ent[a+1 : c1] {
				j := int32(uint32(e))
				w.cellPairs++
				bj := &w.boxes[j]
				if !bi.overlaps(bj) {
					continue
				}
				if !(w.single[i] && w.single[j]) && g.ownerKey(bi, bj) != key {
					continue
				}
				w.pair(i, j, k, tA)
			}
		}
		c0 = c1
	}
	// Oversized boxes meet every other box here, once per pair.
	for a, i := range g.oversize {
		bi := &w.boxes[i]
		for _, j := range w.live {
			if j == i || (w.isOversize(j) && indexOf(g.oversize, j) < a) {
				continue
			}
			if bi.overlaps(&w.boxes[j]) {
				w.pair(i, j, k, tA)
			}
		}
	}
	w.tPairs += time.Since(t2) - (w.tRefine - refine)
}

func (w *sieveWorker) isOversize(j int32) bool { return indexOf(w.grid.oversize, j) >= 0 }

func indexOf(s []int32, x int32) int {
	for k, y := range s {
		if y == x {
			return k
		}
	}
	return -1
}

// pair tests objects i and j, whose boxes overlap, in base interval k.
func (w *sieveWorker) pair(i, j int32, k int, tA float64) {
	if i > j {
		i, j = j, i
	}
	sv := w.sv
	w.gridPairs++
	oi, oj := &sv.objs[i], &sv.objs[j]
	if oi.rLoKm > oj.rHiKm+sv.st.sieveKm || oj.rLoKm > oi.rHiKm+sv.st.sieveKm {
		w.apRemoved++
		return
	}
	rel := w.bez[j].sub(&w.bez[i])
	if !rel.nearOrigin(sv.reachKm + oi.errKm + oj.errKm) {
		return
	}
	w.pathKept++
	t := time.Now()
	hint := tA + rel.minParam()*sv.baseS
	pk := uint64(i)<<32 | uint64(j)
	c, have := w.fcache[pk]
	have = have && c.k == k
	fb, ok := w.rf.refine(i, j, tA, tA+sv.baseS, hint, c.f, have)
	if ok {
		w.fcache[pk] = fEntry{k + 1, fb}
	}
	w.tRefine += time.Since(t)
}
