package conjunction

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

const (
	// cellSpeedKmS sets the grid cell: the distance an object at this speed
	// covers in one base interval, plus the reach.
	cellSpeedKmSDefault = 8.0
	// dedupeS: events of one pair closer in time than this are one event.
	dedupeS = 1e-3
)

// run is one Screen call.
type run struct {
	ctx   context.Context
	st    *settings
	log   []StageLog
	fails []Failure
}

// Screen finds every close approach inside the screening volume during the
// window: all-vs-all over catalog, or one-vs-all when opt.Primaries is set.
// Element sets that cannot be propagated are listed in Result.Failures and
// the run goes on without them. It returns an error wrapping ErrOptions or
// ErrPrimary for bad input, or ctx's error if ctx ends first.
func Screen(ctx context.Context, catalog []gp.ElementSet, opt Options) (*Result, error) {
	st, err := opt.settings()
	if err != nil {
		return nil, err
	}
	r := &run{ctx: ctx, st: &st}
	res := &Result{Start: st.start, End: st.start.Add(opt.Span), AllVsAll: len(st.primaries) == 0}

	t0 := time.Now()
	objs, fails := prepare(catalog, &st)
	r.fails = fails
	res.Objects = len(objs)
	var rf []*refiner
	if res.AllVsAll {
		baseS := st.stepS
		if baseS == 0 {
			baseS = autoStep(objs, &st)
		}
		res.SieveStep = time.Duration(baseS * float64(time.Second))
		if err := r.calibrate(objs, nil, baseS); err != nil {
			return nil, err
		}
		r.log = append(r.log, StageLog{Stage: StageElements, Unit: "objects", In: int64(len(catalog)),
			Kept: int64(len(objs)), Removed: int64(len(catalog) - len(objs)), Elapsed: time.Since(t0),
			Note: fmt.Sprintf("%d failed or duplicate", len(fails))})
		rf, err = r.allVsAll(objs, baseS)
	} else {
		rf, err = r.oneVsAll(objs, len(catalog), t0)
	}
	if err != nil {
		return nil, err
	}
	r.finish(res, objs, rf)
	return res, nil
}

// autoStep chooses the sieve's base step from the largest relative speed
// in the catalog (twice the fastest perigee speed, capped at 16 km/s): the
// step in which that speed covers 30 km, rounded down to a whole second
// and kept within 5..30 s.
func autoStep(objs []object, st *settings) float64 {
	vmax := 0.0
	for i := range objs {
		rp, wp := objs[i].perigeeRate()
		vmax = max(vmax, rp*wp)
	}
	vrel := min(2*vmax, 16)
	if vrel <= 0 {
		return 30
	}
	return min(max(math.Floor(30/vrel*8)/8, 5), 30)
}

func (r *run) progress(stage string, done, total int) {
	if r.st.progress != nil {
		r.st.progress(stage, done, total)
	}
}

// parallel runs body(worker, item) for every item in [0, n) on goroutines
// it owns and waits for; it reports progress from the calling goroutine and
// stops handing out items when ctx ends. body gets a cancel channel for
// long items and a tick function that advances progress by one unit;
// units is the progress total.
func (r *run) parallel(stage string, n, units int, body func(w, item int, cancel <-chan struct{}, tick func())) error {
	var next, done atomic.Int64
	var wg sync.WaitGroup
	nw := max(1, min(r.st.workers, n))
	tick := func() { done.Add(1) }
	cancel := r.ctx.Done()
	for w := range nw {
		wg.Go(func() {
			for {
				if r.ctx.Err() != nil {
					return
				}
				it := int(next.Add(1) - 1)
				if it >= n {
					return
				}
				body(w, it, cancel, tick)
			}
		})
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	ticker := time.NewTicker(250 * time.Millisecond)
	defer ticker.Stop()
	last := -1
	for {
		select {
		case <-finished:
			if err := r.ctx.Err(); err != nil {
				return fmt.Errorf("conjunction: screening stopped: %w", err)
			}
			r.progress(stage, units, units)
			return nil
		case <-ticker.C:
			if d := int(done.Load()); d != last {
				r.progress(stage, min(d, units), units)
				last = d
			}
		}
	}
}

// calibrate chooses knot steps for objs[idx] (all objects when idx is nil).
func (r *run) calibrate(objs []object, idx []int, baseS float64) error {
	n := len(objs)
	if idx != nil {
		n = len(idx)
	}
	const chunk = 64
	return r.parallel(StageElements, (n+chunk-1)/chunk, n, func(_, c int, _ <-chan struct{}, tick func()) {
		for k := c * chunk; k < min(n, (c+1)*chunk); k++ {
			i := k
			if idx != nil {
				i = idx[k]
			}
			objs[i].calibrate(baseS, r.st.spanS)
			tick()
		}
	})
}

// bandOverlaps counts the pairs whose radial bands, widened by d, overlap.
func bandOverlaps(objs []object, d float64) int64 {
	los := make([]float64, len(objs))
	for i := range objs {
		los[i] = objs[i].rLoKm
	}
	sort.Float64s(los)
	n := int64(len(objs))
	var disjoint int64
	for i := range objs {
		k := sort.SearchFloat64s(los, math.Nextafter(objs[i].rHiKm+d, math.Inf(1)))
		disjoint += int64(len(los) - k)
	}
	return n*(n-1)/2 - disjoint
}

func (r *run) allVsAll(objs []object, baseS float64) ([]*refiner, error) {
	st := r.st
	t := time.Now()
	n := int64(len(objs))
	pairs := n * (n - 1) / 2
	apKept := bandOverlaps(objs, st.sieveKm)
	apLog := StageLog{Stage: StageApogeePerigee, Unit: "pairs", In: pairs, Kept: apKept, Removed: pairs - apKept,
		Elapsed: time.Since(t)}

	sv := newSieve(st, objs, baseS)
	workers := make([]*sieveWorker, max(1, min(st.workers, sv.slabs())))
	for w := range workers {
		workers[w] = sv.newWorker()
	}
	err := r.parallel(StageGrid, sv.slabs(), sv.nInt, func(w, s int, cancel <-chan struct{}, tick func()) {
		workers[w].slab(s, cancel, tick)
	})
	if err != nil {
		return nil, err
	}
	var gridPairs, apRemoved, pathKept, knots, calls, cellPairs int64
	var tBuild, tPairs, tRefine time.Duration
	rfs := make([]*refiner, len(workers))
	for k, w := range workers {
		gridPairs += w.gridPairs
		cellPairs += w.cellPairs
		apRemoved += w.apRemoved
		pathKept += w.pathKept
		knots += w.knots
		calls += w.rf.calls
		tBuild += w.tBuild
		tPairs += w.tPairs
		tRefine += w.tRefine
		rfs[k] = w.rf
	}
	apLog.Note = fmt.Sprintf("counted over all pairs; applied in the sieve, where it removed %d grid pair-intervals", apRemoved)
	gridIn := apKept * int64(sv.nInt)
	gridKept := gridPairs - apRemoved
	r.log = append(r.log, apLog,
		StageLog{Stage: StageGrid, Unit: "pair-intervals", In: gridIn, Kept: gridKept, Removed: gridIn - gridKept,
			Elapsed: tBuild, Note: fmt.Sprintf("%d intervals of %gs, cell %.0f km, %d same-cell tests; time includes %d SGP4 knots and interpolation",
				sv.nInt, baseS, sv.cellKm, cellPairs, knots)},
		StageLog{Stage: StagePath, Unit: "pair-intervals", In: gridKept, Kept: pathKept, Removed: gridKept - pathKept,
			Elapsed: tPairs})
	r.refineLog(rfs, pathKept, tRefine, calls-knots)
	return rfs, nil
}

// refineLog appends the refine stage; its Kept is filled in by finish.
func (r *run) refineLog(rfs []*refiner, in int64, el time.Duration, calls int64) {
	r.log = append(r.log, StageLog{Stage: StageRefine, Unit: "candidates", In: in, Elapsed: el,
		Note: fmt.Sprintf("%d SGP4 calls", calls)})
}

// finish merges the workers' events and failures into res.
func (r *run) finish(res *Result, objs []object, rfs []*refiner) {
	failAt := make(map[int32]failRec)
	var evs []Event
	for _, rf := range rfs {
		for i, f := range rf.fails {
			if g, ok := failAt[i]; !ok || f.tS < g.tS || (f.tS == g.tS && f.err.Error() < g.err.Error()) {
				failAt[i] = f
			}
		}
		evs = append(evs, rf.events...)
	}
	byNorad := make(map[int]int32, len(objs))
	for i := range objs {
		byNorad[objs[i].norad] = int32(i)
	}
	fails := r.fails
	cut := make(map[int]time.Time, len(failAt))
	for i, f := range failAt {
		o := &objs[i]
		at := r.st.start.Add(time.Duration(math.Round(f.tS * 1e9)))
		cut[o.norad] = at
		fails = append(fails, Failure{Norad: o.norad, Name: o.name, At: at,
			Err: fmt.Errorf("%w: %d at %s: %w", ErrPropagation, o.norad, at.Format(time.RFC3339Nano), f.err)})
	}
	sort.SliceStable(fails, func(a, b int) bool {
		if fails[a].Norad != fails[b].Norad {
			return fails[a].Norad < fails[b].Norad
		}
		return fails[a].At.Before(fails[b].At)
	})
	res.Failures = fails

	// Drop events after either object's first failure, then duplicates.
	kept := evs[:0]
	for _, e := range evs {
		if c, ok := cut[e.Norad1]; ok && !e.TCA.Before(c) {
			continue
		}
		if c, ok := cut[e.Norad2]; ok && !e.TCA.Before(c) {
			continue
		}
		kept = append(kept, e)
	}
	evs = kept
	sort.Slice(evs, func(a, b int) bool {
		x, y := &evs[a], &evs[b]
		if x.Norad1 != y.Norad1 {
			return x.Norad1 < y.Norad1
		}
		if x.Norad2 != y.Norad2 {
			return x.Norad2 < y.Norad2
		}
		return x.TCA.Before(y.TCA)
	})
	out := evs[:0]
	for k := range evs {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.Norad1 == evs[k].Norad1 && p.Norad2 == evs[k].Norad2 && evs[k].TCA.Sub(p.TCA).Seconds() < dedupeS {
				continue
			}
		}
		out = append(out, evs[k])
	}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := &out[a], &out[b]
		if !x.TCA.Equal(y.TCA) {
			return x.TCA.Before(y.TCA)
		}
		if x.Norad1 != y.Norad1 {
			return x.Norad1 < y.Norad1
		}
		return x.Norad2 < y.Norad2
	})
	res.Events = out
	for k := range r.log {
		if l := &r.log[k]; l.Stage == StageRefine {
			l.Kept = int64(len(out))
			l.Removed = l.In - l.Kept
		}
	}
	res.Log = r.log
}

var cellSpeedKmS = cellSpeedKmSDefault
