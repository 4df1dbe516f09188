package conjunction

import (
	"errors"
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/internal/brent"
)

// TCA and threshold-crossing tolerances (seconds).
const (
	tcaTolS      = 1e-7
	crossingTolS = 1e-5
)

// failRec is the first SGP4 failure seen for an object.
type failRec struct {
	tS  float64
	err error
}

// refiner finds and describes close approaches on the SGP4 states
// themselves. Each worker owns one; objs is shared and read-only.
type refiner struct {
	st     *settings
	objs   []object
	events []Event
	fails  map[int32]failRec
	calls  int64 // SGP4 calls
	cands  int64 // intervals refined
}

func newRefiner(st *settings, objs []object) *refiner {
	return &refiner{st: st, objs: objs, fails: make(map[int32]failRec)}
}

func (rf *refiner) fail(i int32, tS float64, err error) {
	if f, ok := rf.fails[i]; !ok || tS < f.tS {
		rf.fails[i] = failRec{tS, err}
	}
}

func (rf *refiner) state(i int32, tS float64) (r, v vec, ok bool) {
	rf.calls++
	r, v, err := rf.objs[i].state(tS)
	if err != nil {
		rf.fail(i, tS, err)
		return r, v, false
	}
	return r, v, true
}

// relative returns r_j - r_i and v_j - v_i at tS with both states.
func (rf *refiner) relative(i, j int32, tS float64) (dr, dv vec, si, sj State, ok bool) {
	ri, vi, ok1 := rf.state(i, tS)
	if !ok1 {
		return dr, dv, si, sj, false
	}
	rj, vj, ok2 := rf.state(j, tS)
	if !ok2 {
		return dr, dv, si, sj, false
	}
	return sub(rj, ri), sub(vj, vi), State{ri, vi}, State{rj, vj}, true
}

// rangeRate is Δr·Δv (km²/s): |Δr| times the range rate, negative while
// the objects close.
func (rf *refiner) rangeRate(i, j int32, tS float64) (float64, bool) {
	dr, dv, _, _, ok := rf.relative(i, j, tS)
	return dot(dr, dv), ok
}

// refine looks for local minima of the distance between objects i (object
// 1) and j in (ta, tb]: a sign change of the range rate from negative to
// non-negative, located by Brent's method on SGP4. hint, when inside
// (ta, tb), is where an interpolant puts the minimum; it splits the
// interval so that a minimum flanked by two closing stretches is found.
// fa is the range rate at ta when haveFa. It returns the range rate at tb
// for the caller to reuse, and false if SGP4 failed.
func (rf *refiner) refine(i, j int32, ta, tb, hint, fa float64, haveFa bool) (fb float64, ok bool) {
	rf.cands++
	if !haveFa {
		if fa, ok = rf.rangeRate(i, j, ta); !ok {
			return 0, false
		}
	}
	if fb, ok = rf.rangeRate(i, j, tb); !ok {
		return 0, false
	}
	f := func(t float64) (float64, bool) { return rf.rangeRate(i, j, t) }
	if fa < 0 && fb >= 0 {
		rf.root(i, j, ta, tb, fa, fb)
		return fb, true
	}
	if hint > ta && hint < tb {
		fh, ok := f(hint)
		if !ok {
			return fb, true
		}
		if fa < 0 && fh >= 0 {
			rf.root(i, j, ta, hint, fa, fh)
		}
		if fh < 0 && fb >= 0 {
			rf.root(i, j, hint, tb, fh, fb)
		}
	}
	return fb, true
}

// root finds the range-rate root in [a, b] and records an event if the
// objects are inside the screening volume there.
func (rf *refiner) root(i, j int32, a, b, fa, fb float64) {
	tca, ok := brentRoot(func(t float64) (float64, bool) { return rf.rangeRate(i, j, t) }, a, b, fa, fb, tcaTolS)
	if !ok || !(tca > 0 && tca <= rf.st.spanS) {
		return
	}
	if ev, ok := rf.event(i, j, tca); ok {
		rf.events = append(rf.events, ev)
	}
}

// ric returns dr in the RIC frame of the state (r, v).
func ric(r, v, dr vec) (rad, in, crs float64) {
	rh := scale(r, 1/norm(r))
	h := cross(r, v)
	ch := scale(h, 1/norm(h))
	ih := cross(ch, rh)
	return dot(dr, rh), dot(dr, ih), dot(dr, ch)
}

// excess is the screening-volume metric minus one: <= 0 inside.
func (rf *refiner) excess(s1 State, dr vec) float64 {
	m := 0.0
	if d := rf.st.thresholdK; d > 0 {
		m = norm(dr) / d
	}
	if e := rf.st.ell; e != nil {
		r, i, c := ric(s1.RTEMEKm, s1.VTEMEKmS, dr)
		r, i, c = r/e.RadialKm, i/e.InTrackKm, c/e.CrossTrackKm
		m = max(m, math.Sqrt(r*r+i*i+c*c))
	}
	return m - 1
}

func (rf *refiner) at(tS float64) time.Time {
	return rf.st.start.Add(time.Duration(math.Round(tS * 1e9)))
}

// event describes the close approach at tca, or returns false when the
// objects are outside the screening volume then.
func (rf *refiner) event(i, j int32, tca float64) (Event, bool) {
	dr, dv, s1, s2, ok := rf.relative(i, j, tca)
	if !ok || rf.excess(s1, dr) > 0 {
		return Event{}, false
	}
	o1, o2 := &rf.objs[i], &rf.objs[j]
	t := rf.at(tca)
	ev := Event{
		Norad1: o1.norad, Norad2: o2.norad, Name1: o1.name, Name2: o2.name,
		TCA: t, MissDistanceKm: norm(dr), RelativeSpeedKmS: norm(dv),
		State1: s1, State2: s2,
		ElementAge1: t.Sub(o1.epoch), ElementAge2: t.Sub(o2.epoch),
	}
	ev.RadialKm, ev.InTrackKm, ev.CrossTrackKm = ric(s1.RTEMEKm, s1.VTEMEKmS, dr)

	reach := rf.st.sieveKm
	step := 60.0
	if w := ev.RelativeSpeedKmS; w > 0 {
		step = math.Sqrt(max(reach*reach-ev.MissDistanceKm*ev.MissDistanceKm, 0)) / w / 2
		step = min(max(step, 0.01), 60)
	}
	g0 := rf.excess(s1, dr)
	enter, enterClamped := rf.crossing(i, j, tca, g0, -step)
	exit, exitClamped := rf.crossing(i, j, tca, g0, step)
	ev.ThresholdEnter, ev.EnterClamped = rf.at(enter), enterClamped
	ev.ThresholdExit, ev.ExitClamped = rf.at(exit), exitClamped
	return ev, true
}

// crossing walks from tca in steps that double from step (negative: back
// in time) until the objects are outside the screening volume, then finds
// the boundary by Brent's method. It stops at the window's edge (clamped).
func (rf *refiner) crossing(i, j int32, tca, g0, step float64) (float64, bool) {
	g := func(t float64) (float64, bool) {
		dr, _, s1, _, ok := rf.relative(i, j, t)
		if !ok {
			return 0, false
		}
		return rf.excess(s1, dr), true
	}
	edge := rf.st.spanS
	if step < 0 {
		edge = 0
	}
	prev, gPrev := tca, g0
	for range 64 {
		t := tca + step
		clamped := (step > 0 && t >= edge) || (step < 0 && t <= edge)
		if clamped {
			t = edge
		}
		gt, ok := g(t)
		if !ok {
			return prev, true
		}
		if gt > 0 {
			x, ok := brentRoot(g, prev, t, gPrev, gt, crossingTolS)
			if !ok {
				return prev, true
			}
			return x, false
		}
		if clamped {
			return edge, true
		}
		prev, gPrev = t, gt
		step *= 2
	}
	return prev, true
}

// errSGP4 stops a root search whose function could not be evaluated.
var errSGP4 = errors.New("conjunction: SGP4 failed inside a root search")

// brentRoot is brent.Root (Brent 1973) for functions that report failure
// with false; it returns false if f failed.
func brentRoot(f func(float64) (float64, bool), a, b, fa, fb, tol float64) (float64, bool) {
	x, err := brent.Root(func(t float64) (float64, error) {
		v, ok := f(t)
		if !ok {
			return 0, errSGP4
		}
		return v, nil
	}, a, b, fa, fb, tol)
	return x, err == nil
}
