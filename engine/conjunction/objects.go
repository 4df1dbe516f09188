package conjunction

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/sgp4"
)

// Constants of the models the filters use (WGS-72, as SGP4).
const (
	muKm3S2       = 398600.8
	earthRadiusKm = 6378.135
	j2            = 1.082616e-3
	// lyddaneInclDeg is where SDP4 switches its Lyddane modification
	// (0.2 rad); objects whose perturbed inclination crosses it see their
	// SGP4 position jump by kilometres, so they get lyddanePadKm more pad.
	lyddaneInclDeg = 0.2 * 180 / math.Pi
	lyddaneBandDeg = 1.0
	lyddanePadKm   = 8.0
)

// object is one screenable element set with what the stages precompute.
type object struct {
	norad int
	name  string
	epoch time.Time
	sat   *sgp4.Satellite
	// offMin is the SGP4 time since epoch (minutes) at the window start.
	offMin float64
	deep   bool

	// Radial band over the window, pad included (km).
	rLoKm, rHiKm float64

	// Interpolation: knots every baseStep<<stepLog2 seconds, and the bound
	// on |SGP4 - cubic Hermite| over the window (km).
	stepLog2 int
	errKm    float64

	// Mean elements for the one-vs-all orbit models (radians, rad/s, at the
	// window start).
	aKm, ecc, incl, raan0, argp0, raanDot, argpDot float64
}

// plausibleSlackKm: an SGP4 radius further than this outside the
// object's radial band (or beyond 1.5 times its top) is not an orbit of
// that element set but the drag model running past its validity (a
// decayed object SGP4 has not flagged: the 2022 catalog has COSMOS 1408
// debris that SGP4 puts millions of kilometres out).
const plausibleSlackKm = 1000

// state evaluates SGP4 at tS seconds after the window start and refuses
// implausible results (see plausibleSlackKm) with ErrImplausible.
func (o *object) state(tS float64) (r, v [3]float64, err error) {
	r, v, err = o.sat.Propagate(o.offMin + tS/60)
	if err != nil {
		return r, v, err
	}
	if d := norm(r); !(d >= o.rLoKm-plausibleSlackKm && d <= max(o.rHiKm+plausibleSlackKm, 1.5*o.rHiKm)) {
		return [3]float64{}, [3]float64{}, fmt.Errorf("%w: |r| = %.0f km, radial band %.0f..%.0f km (decayed?)",
			ErrImplausible, d, o.rLoKm, o.rHiKm)
	}
	return r, v, nil
}

// prepare drops duplicates (keeping the newest epoch per NORAD number),
// initialises SGP4 and computes each object's radial band and mean-element
// rates. Calibration of the interpolation is separate (calibrate).
func prepare(catalog []gp.ElementSet, st *settings) ([]object, []Failure) {
	var fails []Failure
	newest := make(map[int]int, len(catalog))
	for i := range catalog {
		n := catalog[i].CatalogNumber
		if j, ok := newest[n]; ok {
			keep, drop := j, i
			if catalog[i].Epoch.After(catalog[j].Epoch) {
				keep, drop = i, j
			}
			newest[n] = keep
			fails = append(fails, Failure{Norad: n, Name: catalog[drop].Name,
				Err: fmt.Errorf("%w: %d (element set of %s dropped for the one of %s)", ErrDuplicate, n,
					catalog[drop].Epoch.UTC().Format(time.RFC3339), catalog[keep].Epoch.UTC().Format(time.RFC3339))})
		} else {
			newest[n] = i
		}
	}
	idx := make([]int, 0, len(newest))
	for _, i := range newest {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	objs := make([]object, 0, len(idx))
	for _, i := range idx {
		e := &catalog[i]
		sat, err := sgp4.New(*e)
		if err != nil {
			fails = append(fails, Failure{Norad: e.CatalogNumber, Name: e.Name,
				Err: fmt.Errorf("%w: %d at initialisation: %w", ErrPropagation, e.CatalogNumber, err)})
			continue
		}
		o := object{norad: e.CatalogNumber, name: e.Name, epoch: e.Epoch.UTC(), sat: sat,
			offMin: sgp4.TsinceMin(e.Epoch, st.start), deep: sat.DeepSpace()}
		o.meanElements(e, st)
		objs = append(objs, o)
	}
	sort.Slice(objs, func(a, b int) bool { return objs[a].norad < objs[b].norad })
	return objs, fails
}

// meanElements fills the radial band and the secular J2 model.
func (o *object) meanElements(e *gp.ElementSet, st *settings) {
	const day = 86400.0
	n0 := e.MeanMotionRevPerDay
	a0 := e.SemiMajorAxisKm()
	ecc := e.Eccentricity
	// Mean motion drift from the TLE's ṅ/2 field, applied at both ends of
	// the window (drag lowers the orbit; a negative ṅ raises it).
	aAt := func(tS float64) float64 {
		dtDays := (o.offMin*60 + tS) / day
		n := n0 + 2*e.MeanMotionDotRevDay2*dtDays
		if !(n > 0.05) {
			n = 0.05
		}
		return a0 * math.Pow(n0/n, 2.0/3.0)
	}
	aS, aE := aAt(0), aAt(st.spanS)
	aLo, aHi := min(aS, aE, a0), max(aS, aE, a0)
	// Use the drift twice over: ṅ is a fit, SGP4 models drag through B*.
	aLo -= aHi - aLo
	pad := st.pads.ApogeePerigeeKm
	o.rLoKm = aLo*(1-ecc) - pad
	o.rHiKm = aHi*(1+ecc) + pad
	if o.deep && math.Abs(e.InclinationDeg-lyddaneInclDeg) < lyddaneBandDeg {
		o.rLoKm -= lyddanePadKm
		o.rHiKm += lyddanePadKm
	}

	o.aKm, o.ecc = a0, ecc
	o.incl = e.InclinationDeg * math.Pi / 180
	nRadS := n0 * 2 * math.Pi / day
	p := a0 * (1 - ecc*ecc)
	k := 1.5 * nRadS * j2 * (earthRadiusKm / p) * (earthRadiusKm / p)
	ci := math.Cos(o.incl)
	o.raanDot = -k * ci
	o.argpDot = 0.5 * k * (5*ci*ci - 1)
	dt := o.offMin * 60
	o.raan0 = math.Mod(e.RAANDeg*math.Pi/180+o.raanDot*dt, 2*math.Pi)
	o.argp0 = math.Mod(e.ArgPerigeeDeg*math.Pi/180+o.argpDot*dt, 2*math.Pi)
}

// perigeeRate returns the perigee radius (km) and angular rate (rad/s) of
// the mean orbit, which set the Kepler part of the interpolation error.
func (o *object) perigeeRate() (rp, wp float64) {
	rp = o.aKm * (1 - o.ecc)
	vp := math.Sqrt(muKm3S2 * (1 + o.ecc) / rp)
	return rp, vp / rp
}

// keplerHermiteKm bounds the cubic Hermite error of Kepler motion with knots
// h seconds apart: h⁴/384·max|r⁗|, with max|r⁗| taken as rp·ωp⁴ at perigee
// (exact for a circle; within a factor 1.4 of the worst measured over the
// 2022 catalog for eccentric orbits at the steps used).
func keplerHermiteKm(rp, wp, h float64) float64 {
	x := wp * h
	return rp * x * x * x * x / 384
}
