package collision

import "math"

// Two-body propagation for the Monte Carlo method, in metres and seconds,
// by Lagrange's f and g functions written in the eccentric-anomaly change ΔE
// (Vallado, "Fundamentals of Astrodynamics and Applications", 4th ed., §2.3):
// no perigee direction is needed, so circular orbits are as well behaved as
// eccentric ones.

const muEarthM3S2 = muEarthKm3S2 * 1e9

// keplerOrbit is an elliptic two-body orbit through (r0, v0) at t = 0.
type keplerOrbit struct {
	r0, v0 vec3
	rr0    float64 // |r0|
	a      float64 // semi-major axis [m]
	n      float64 // mean motion [rad/s]
	ec, es float64 // e·cos E0 and e·sin E0
	sqrtMA float64 // √(μ a)
}

// newKeplerOrbit returns the orbit and false when it is not a closed ellipse.
func newKeplerOrbit(r0, v0 vec3) (keplerOrbit, bool) {
	rr := norm3(r0)
	inva := 2/rr - dot3(v0, v0)/muEarthM3S2
	if !(inva > 0) || !(rr > 0) {
		return keplerOrbit{}, false
	}
	a := 1 / inva
	o := keplerOrbit{r0: r0, v0: v0, rr0: rr, a: a}
	o.n = math.Sqrt(muEarthM3S2 / (a * a * a))
	o.sqrtMA = math.Sqrt(muEarthM3S2 * a)
	o.ec = 1 - rr/a
	o.es = dot3(r0, v0) / o.sqrtMA
	if e := math.Hypot(o.ec, o.es); !(e < 1) || math.IsNaN(o.n) {
		return keplerOrbit{}, false
	}
	return o, true
}

// keplerGuess carries the last solution of Kepler's equation for a warm
// start (the zero value means none).
type keplerGuess struct{ m, dE float64 }

// state returns position [m], velocity [m/s] and acceleration [m/s²] at
// time t [s]. guess is updated with the solution for the next call.
func (o *keplerOrbit) state(t float64, guess *keplerGuess) (r, v, acc vec3) {
	m := o.n * t
	// Solve ΔE − ec·sinΔE + es·(1 − cosΔE) = M; the left side is increasing
	// (derivative r/a > 0) and within 3 of ΔE, so [M−3, M+3] brackets it.
	lo, hi := m-3, m+3
	// dΔE/dM = a/r, so step the previous solution by ΔM·a/r.
	x := guess.dE + (m-guess.m)/(1-o.ec*math.Cos(guess.dE)+o.es*math.Sin(guess.dE))
	if !(x > lo && x < hi) {
		x = m
	}
	for range 50 {
		s, c := math.Sincos(x)
		f := x - o.ec*s + o.es*(1-c) - m
		step := f / (1 - o.ec*c + o.es*s)
		if math.Abs(step) <= 1e-13*math.Max(1, math.Abs(x)) {
			x -= step
			break
		}
		if f > 0 {
			hi = x
		} else {
			lo = x
		}
		nx := x - step
		if !(nx >= lo && nx <= hi) {
			nx = 0.5 * (lo + hi)
		}
		x = nx
	}
	guess.m, guess.dE = m, x
	s, c := math.Sincos(x)
	rr := o.a * (1 - o.ec*c + o.es*s)
	f := 1 - o.a/o.rr0*(1-c)
	g := t - (x-s)/o.n
	fd := -o.sqrtMA * s / (rr * o.rr0)
	gd := 1 - o.a/rr*(1-c)
	r = add3(scale3(f, o.r0), scale3(g, o.v0))
	v = add3(scale3(fd, o.r0), scale3(gd, o.v0))
	rn := norm3(r)
	acc = scale3(-muEarthM3S2/(rn*rn*rn), r)
	return r, v, acc
}
