package frames

import (
	"math"
	"time"
)

// EarthRotationRadS is the Earth's nominal inertial rotation rate (Vallado,
// IERS), used for the ω×r term between rotating and inertial velocities.
// Length-of-day variations (LOD ~ 1 ms) change it by 1e-8 relative, which
// moves a LEO Earth-fixed velocity by ~1e-8 km/s; they are not modelled.
const EarthRotationRadS = 7.292115146706979e-5

// EarthRotation is the TEME↔ITRF rotation at one instant. Build it once per
// time step and apply it to every object: each conversion is then a few dozen
// multiplications and allocates nothing. Use NewEarthRotation; the zero value
// is not a rotation.
type EarthRotation struct {
	gmstRad    float64
	cosG, sinG float64
	// w is the polar-motion matrix W with r_PEF = W·r_ITRF
	// (W = ROT1(yp)·ROT2(xp), Vallado Eq. 3-77); the identity without
	// polar motion.
	w [3][3]float64
	// m = Wᵀ·ROT3(θ) takes TEME to ITRF; its transpose takes ITRF to TEME.
	m [3][3]float64
}

// NewEarthRotation returns the rotation at t (UTC) with the given Earth
// orientation parameters.
func NewEarthRotation(t time.Time, eop EOP) EarthRotation {
	return newEarthRotationAngle(GMSTRad(t, eop.UT1MinusUTC), eop.XpRad, eop.YpRad)
}

// newEarthRotationAngle builds the rotation from the sidereal angle and polar
// motion directly.
func newEarthRotationAngle(gmstRad, xpRad, ypRad float64) EarthRotation {
	s, c := math.Sincos(gmstRad)
	sx, cx := math.Sincos(xpRad)
	sy, cy := math.Sincos(ypRad)
	e := EarthRotation{
		gmstRad: gmstRad, cosG: c, sinG: s,
		w: [3][3]float64{
			{cx, 0, -sx},
			{sx * sy, cy, cx * sy},
			{sx * cy, -sy, cx * cy},
		},
	}
	// ROT3(θ) rows: (c, s, 0), (−s, c, 0), (0, 0, 1); m[i][j] = Σ_k W[k][i]·ROT3[k][j].
	for i := range 3 {
		e.m[i][0] = e.w[0][i]*c - e.w[1][i]*s
		e.m[i][1] = e.w[0][i]*s + e.w[1][i]*c
		e.m[i][2] = e.w[2][i]
	}
	return e
}

// GMSTRad returns the sidereal angle this rotation uses.
func (e *EarthRotation) GMSTRad() float64 { return e.gmstRad }

// TEMEToECEF converts a TEME state (km, km/s) to ITRF/ECEF, the velocity
// being the Earth-fixed one: v_ITRF = Wᵀ·(ROT3(θ)·v_TEME − ω×r_PEF).
func (e *EarthRotation) TEMEToECEF(rTEMEKm, vTEMEKmS [3]float64) (rECEFKm, vECEFKmS [3]float64) {
	rx, ry, rz := rTEMEKm[0], rTEMEKm[1], rTEMEKm[2]
	vx, vy, vz := vTEMEKmS[0], vTEMEKmS[1], vTEMEKmS[2]
	// −ω×r_PEF = ω·(y_PEF, −x_PEF, 0).
	ax := EarthRotationRadS * (-e.sinG*rx + e.cosG*ry)
	ay := -EarthRotationRadS * (e.cosG*rx + e.sinG*ry)
	m, w := &e.m, &e.w
	for i := range 3 {
		rECEFKm[i] = m[i][0]*rx + m[i][1]*ry + m[i][2]*rz
		vECEFKmS[i] = m[i][0]*vx + m[i][1]*vy + m[i][2]*vz + w[0][i]*ax + w[1][i]*ay
	}
	return rECEFKm, vECEFKmS
}

// TEMEToECEFPosition converts a TEME position alone.
func (e *EarthRotation) TEMEToECEFPosition(rTEMEKm [3]float64) (rECEFKm [3]float64) {
	m := &e.m
	for i := range 3 {
		rECEFKm[i] = m[i][0]*rTEMEKm[0] + m[i][1]*rTEMEKm[1] + m[i][2]*rTEMEKm[2]
	}
	return rECEFKm
}

// ECEFToTEME converts an ITRF/ECEF state (km, Earth-fixed km/s) to TEME:
// v_TEME = ROT3(−θ)·(W·v_ITRF + ω×r_PEF).
func (e *EarthRotation) ECEFToTEME(rECEFKm, vECEFKmS [3]float64) (rTEMEKm, vTEMEKmS [3]float64) {
	rx, ry, rz := rECEFKm[0], rECEFKm[1], rECEFKm[2]
	vx, vy, vz := vECEFKmS[0], vECEFKmS[1], vECEFKmS[2]
	m, w := &e.m, &e.w
	px := w[0][0]*rx + w[0][1]*ry + w[0][2]*rz
	py := w[1][0]*rx + w[1][1]*ry + w[1][2]*rz
	// ω×r_PEF = ω·(−y_PEF, x_PEF, 0), rotated back by ROT3(−θ).
	bx := EarthRotationRadS * (-e.cosG*py - e.sinG*px)
	by := EarthRotationRadS * (-e.sinG*py + e.cosG*px)
	for j := range 3 {
		rTEMEKm[j] = m[0][j]*rx + m[1][j]*ry + m[2][j]*rz
		vTEMEKmS[j] = m[0][j]*vx + m[1][j]*vy + m[2][j]*vz
	}
	vTEMEKmS[0] += bx
	vTEMEKmS[1] += by
	return rTEMEKm, vTEMEKmS
}

// TEMEToPEF rotates a TEME state into the pseudo Earth-fixed frame (ITRF
// before polar motion): r_PEF = ROT3(θ)·r_TEME, v_PEF = ROT3(θ)·v_TEME −
// ω×r_PEF.
func (e *EarthRotation) TEMEToPEF(rTEMEKm, vTEMEKmS [3]float64) (rPEFKm, vPEFKmS [3]float64) {
	c, s := e.cosG, e.sinG
	rPEFKm = [3]float64{c*rTEMEKm[0] + s*rTEMEKm[1], -s*rTEMEKm[0] + c*rTEMEKm[1], rTEMEKm[2]}
	vPEFKmS = [3]float64{
		c*vTEMEKmS[0] + s*vTEMEKmS[1] + EarthRotationRadS*rPEFKm[1],
		-s*vTEMEKmS[0] + c*vTEMEKmS[1] - EarthRotationRadS*rPEFKm[0],
		vTEMEKmS[2],
	}
	return rPEFKm, vPEFKmS
}

// PEFToTEME is the inverse of TEMEToPEF.
func (e *EarthRotation) PEFToTEME(rPEFKm, vPEFKmS [3]float64) (rTEMEKm, vTEMEKmS [3]float64) {
	c, s := e.cosG, e.sinG
	vx := vPEFKmS[0] - EarthRotationRadS*rPEFKm[1]
	vy := vPEFKmS[1] + EarthRotationRadS*rPEFKm[0]
	rTEMEKm = [3]float64{c*rPEFKm[0] - s*rPEFKm[1], s*rPEFKm[0] + c*rPEFKm[1], rPEFKm[2]}
	vTEMEKmS = [3]float64{c*vx - s*vy, s*vx + c*vy, vPEFKmS[2]}
	return rTEMEKm, vTEMEKmS
}

// TEMEToECEF converts a TEME state at t (UTC) to ITRF/ECEF. For many objects
// at one instant, build an EarthRotation once instead.
func TEMEToECEF(t time.Time, rTEMEKm, vTEMEKmS [3]float64, eop EOP) (rECEFKm, vECEFKmS [3]float64) {
	e := NewEarthRotation(t, eop)
	return e.TEMEToECEF(rTEMEKm, vTEMEKmS)
}

// ECEFToTEME converts an ITRF/ECEF state at t (UTC) to TEME.
func ECEFToTEME(t time.Time, rECEFKm, vECEFKmS [3]float64, eop EOP) (rTEMEKm, vTEMEKmS [3]float64) {
	e := NewEarthRotation(t, eop)
	return e.ECEFToTEME(rECEFKm, vECEFKmS)
}
