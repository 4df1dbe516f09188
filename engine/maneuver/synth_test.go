package maneuver

import (
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// orbit is a mean-element state used to synthesise element-set histories.
type orbit struct {
	nRevDay, ecc, incDeg, raanDeg, argpDeg, maDeg float64
	epoch                                         time.Time
}

// at returns the element set of o propagated to t with the same J2 secular
// rates the detector's crossing uses, so that synthetic histories are
// self-consistent.
func (o orbit) at(t time.Time, norad int) gp.ElementSet {
	e := gp.ElementSet{CatalogNumber: norad, Epoch: o.epoch, MeanMotionRevPerDay: o.nRevDay, Eccentricity: o.ecc,
		InclinationDeg: o.incDeg, RAANDeg: o.raanDeg, ArgPerigeeDeg: o.argpDeg, MeanAnomalyDeg: o.maDeg}
	dt := t.Sub(o.epoch).Hours() / 24
	raan, u, _, _ := meanAngles(&e, dt)
	// ω moves with its own J2 rate and M takes the rest of u: with M0 = 0,
	// meanAngles gives ω(t) + n·dt.
	e0 := e
	e0.MeanAnomalyDeg = 0
	_, u0, _, _ := meanAngles(&e0, dt)
	argp := u0 - o.nRevDay*2*math.Pi*dt
	e.Epoch = t
	e.RAANDeg = wrapDeg(raan * 180 / math.Pi)
	e.ArgPerigeeDeg = wrapDeg(argp * 180 / math.Pi)
	e.MeanAnomalyDeg = wrapDeg((u - argp) * 180 / math.Pi)
	return e
}

// burn returns the orbit after an impulsive change at t: the new elements
// take the given values, and the along-track position is continuous.
func (o orbit) burn(t time.Time, nRevDay, incDeg float64) orbit {
	e := o.at(t, 0)
	return orbit{nRevDay: nRevDay, ecc: o.ecc, incDeg: incDeg, raanDeg: e.RAANDeg, argpDeg: e.ArgPerigeeDeg,
		maDeg: e.MeanAnomalyDeg, epoch: t}
}

func wrapDeg(d float64) float64 {
	d = math.Mod(d, 360)
	if d < 0 {
		d += 360
	}
	return d
}

// noise is a deterministic pseudo-random sequence in [-1, 1] (a fixed-seed
// linear congruential generator), so tests are reproducible.
type noise struct{ s uint64 }

func (g *noise) next() float64 {
	g.s = g.s*6364136223846793005 + 1442695040888963407
	return float64(g.s>>11)/float64(1<<53)*2 - 1
}

// gauss is an approximately normal deviate (sum of four uniforms, unit variance).
func (g *noise) gauss() float64 {
	return (g.next() + g.next() + g.next() + g.next()) * math.Sqrt(3.0/4)
}

// smaNoiseToN converts a semi-major-axis perturbation (m) to mean motion.
func smaNoiseToN(nRevDay, daM float64) float64 {
	aM := smaKm(nRevDay) * 1000
	return -1.5 * nRevDay * daM / aM
}

// nForSMA returns the mean motion of a semi-major axis.
func nForSMA(aKm float64) float64 {
	return math.Sqrt(muKm3S2/(aKm*aKm*aKm)) * secPerDay / (2 * math.Pi)
}

// history samples orbits at roughly daily epochs with jitter and noise.
// seg[i] is in force from its epoch on; smaNoiseM and incNoiseDeg are 1-sigma
// fit noise; decayMDay is a steady semi-major-axis decay.
type history struct {
	start      time.Time
	days       int
	perDay     float64
	segs       []orbit
	smaNoiseM  float64
	incNoise   float64
	decayMDay  float64
	seed       uint64
	norad      int
	outliers   map[int]float64 // set index → extra SMA error (m)
	quantizeIn bool            // round inclination to 1e-4 deg like a TLE
}

func (h history) sets() []gp.ElementSet {
	g := noise{h.seed}
	if h.perDay == 0 {
		h.perDay = 1
	}
	n := int(float64(h.days) * h.perDay)
	out := make([]gp.ElementSet, 0, n)
	for j := range n {
		// Epochs about 1/perDay apart with ±3 h of jitter.
		t := h.start.Add(time.Duration((float64(j)/h.perDay*24 + 3*g.next()) * float64(time.Hour)))
		o := h.segs[0]
		for _, s := range h.segs[1:] {
			if !t.Before(s.epoch) {
				o = s
			}
		}
		e := o.at(t, h.norad)
		// Steady decay lowers a by decayMDay·τ and, integrated, advances the
		// mean anomaly by ∫Δn = Δn(τ)·τ/2, as a real decaying orbit does; the
		// sets carry the matching ṅ/2, so SGP4 propagates them consistently.
		tau := t.Sub(h.start).Hours() / 24
		if h.decayMDay != 0 {
			n0 := e.MeanMotionRevPerDay
			e.MeanAnomalyDeg = wrapDeg(e.MeanAnomalyDeg + 360*smaNoiseToN(n0, -h.decayMDay*tau)*tau/2)
			e.MeanMotionDotRevDay2 = smaNoiseToN(n0, -h.decayMDay) / 2
		}
		dSMA := h.smaNoiseM*g.gauss() - h.decayMDay*tau + h.outliers[j]
		e.MeanMotionRevPerDay += smaNoiseToN(e.MeanMotionRevPerDay, dSMA)
		e.InclinationDeg += h.incNoise * g.gauss()
		if h.quantizeIn {
			e.InclinationDeg = math.Round(e.InclinationDeg*1e4) / 1e4
		}
		e.ElementSetNumber = j + 1
		out = append(out, e)
	}
	return out
}

var t2020 = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// leoOrbit is a 7,100 km near-circular sun-synchronous-like orbit.
func leoOrbit() orbit {
	return orbit{nRevDay: nForSMA(7100), ecc: 0.001, incDeg: 98.5, raanDeg: 30, argpDeg: 90, maDeg: 10, epoch: t2020}
}

// geoOrbit is a near-geostationary orbit.
func geoOrbit() orbit {
	return orbit{nRevDay: nForSMA(42166), ecc: 0.0002, incDeg: 0.05, raanDeg: 80, argpDeg: 200, maDeg: 40, epoch: t2020}
}
