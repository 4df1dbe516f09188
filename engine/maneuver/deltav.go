package maneuver

import (
	"math"

	"github.com/astroshield/astroshield/engine/gp"
)

// gaussDeltaV estimates the impulse (radial, in-track, cross-track; m/s)
// that turns one near-circular orbit into another, from the mean-element
// steps, assuming a single impulse. Gauss's variational equations for e ≈ 0,
// with v = √(μ/a) and n = v/a:
//
//   - in-track:   Δa = 2·a·Δv_I/v  ⇒  Δv_I = v·Δa/(2a) = n·Δa/2
//   - eccentricity vector: an in-track impulse moves it by 2·Δv_I/v along
//     (cos u, sin u), a radial one by Δv_R/v along (sin u, −cos u); the two
//     are orthogonal, so the part of |Δe| the in-track impulse cannot explain
//     needs Δv_R = v·√(|Δe|² − (2·Δv_I/v)²)  (its sign depends on the burn's
//     argument of latitude u, which the element sets do not fix; reported +)
//   - cross-track: rotating the orbit plane by Δθ (Δθ² ≈ Δi² + (sin i·ΔΩ)²)
//     at constant speed takes Δv_C = 2·v·sin(Δθ/2) ≈ v·Δθ; its sign is that of
//     Δi (a burn toward the orbit normal at the ascending node raises i).
//
// daKm is the semi-major-axis step, dEcc the magnitude of the
// eccentricity-vector step (0 if not significant), dPlaneRad the plane
// rotation and dIncRad the signed inclination step.
func gaussDeltaV(aKm, daKm, dEcc, dPlaneRad, dIncRad float64) [3]float64 {
	var dv [3]float64
	if !(aKm > 0) {
		return dv
	}
	v := math.Sqrt(muKm3S2/aKm) * 1000 // m/s
	dv[1] = v * daKm / (2 * aKm)
	if dEcc > 0 {
		fromInTrack := 2 * math.Abs(dv[1]) / v
		if dEcc > fromInTrack {
			dv[0] = v * math.Sqrt(dEcc*dEcc-fromInTrack*fromInTrack)
		}
	}
	if dPlaneRad > 0 {
		c := 2 * v * math.Sin(dPlaneRad/2)
		if dIncRad < 0 {
			c = -c
		}
		dv[2] = c
	}
	return dv
}

// classify names the manoeuvre, by these rules in order:
//  1. a jump across a gap wider than WideGap: unknown (several burns and
//     unmodelled decay may hide in it);
//  2. the perigee height after the burn is below DeorbitPerigeeKm: deorbit;
//  3. cross-track impulse larger than in-plane: station-keeping when the
//     plane rotation is at most StationKeepingMaxPlaneDeg, else plane-change;
//  4. in-plane: station-keeping when |Δa| ≤ StationKeepingMaxDeltaAKm, else
//     orbit-raise or orbit-lower by the sign of Δa;
//  5. no impulse could be estimated: unknown.
func classify(c Config, sets []gp.ElementSet, b int, dv [3]float64, daKm, dPlaneRad float64, wide bool) Kind {
	if wide {
		return KindUnknown
	}
	after := &sets[b]
	if b+1 < len(sets) {
		after = &sets[b+1] // the first set after a burn may be only partly adjusted
	}
	perigeeKm := smaKm(after.MeanMotionRevPerDay)*(1-after.Eccentricity) - earthRadiusKm
	if perigeeKm < c.DeorbitPerigeeKm && daKm < 0 {
		return KindDeorbit
	}
	inPlane := math.Hypot(dv[0], dv[1])
	switch {
	case math.Abs(dv[2]) > inPlane:
		if dPlaneRad*180/math.Pi <= c.StationKeepingMaxPlaneDeg {
			return KindStationKeeping
		}
		return KindPlaneChange
	case inPlane > 0:
		switch {
		case math.Abs(daKm) <= c.StationKeepingMaxDeltaAKm:
			return KindStationKeeping
		case daKm > 0:
			return KindOrbitRaise
		default:
			return KindOrbitLower
		}
	}
	return KindUnknown
}
