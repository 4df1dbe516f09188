package frames

import "math"

// Illumination is a satellite's eclipse state.
type Illumination uint8

const (
	// Sunlit: no part of the Sun's disc is hidden by the Earth.
	Sunlit Illumination = iota
	// Penumbra: the Earth hides part of the Sun's disc (including the
	// annular case beyond the umbra's apex).
	Penumbra
	// Umbra: the Earth hides the whole Sun.
	Umbra
)

// String returns "sunlit", "penumbra" or "umbra".
func (i Illumination) String() string {
	switch i {
	case Sunlit:
		return "sunlit"
	case Penumbra:
		return "penumbra"
	case Umbra:
		return "umbra"
	}
	return "unknown"
}

// EclipseConical returns the eclipse state of a satellite at rSatKm and the
// fraction of the Sun's disc it sees (1 sunlit, 0 umbra), given the Sun's
// geocentric position rSunKm in the same inertial axes (for example
// SunPositionTEMEKm). The shadow is conical: a spherical Earth of radius
// WGS84EquatorialRadiusKm and a Sun of radius SunRadiusKm, compared as
// apparent discs seen from the satellite; the partial-overlap area is the
// planar disc-overlap formula (Montenbruck & Gill, Satellite Orbits, §3.4.2),
// exact enough for the Sun's 0.27° disc. A satellite at or below the
// Earth's radius is in umbra; non-finite input gives Sunlit with NaN
// fraction.
func EclipseConical(rSatKm, rSunKm [3]float64) (state Illumination, sunlitFraction float64) {
	rs := norm(rSatKm)
	d := sub(rSunKm, rSatKm) // satellite → Sun
	dn := norm(d)
	if math.IsNaN(rs) || math.IsNaN(dn) || math.IsInf(rs, 0) || math.IsInf(dn, 0) {
		return Sunlit, math.NaN()
	}
	if rs <= WGS84EquatorialRadiusKm {
		return Umbra, 0
	}
	if dn <= SunRadiusKm {
		return Sunlit, 1
	}
	a := math.Asin(SunRadiusKm / dn)             // apparent Sun radius
	b := math.Asin(WGS84EquatorialRadiusKm / rs) // apparent Earth radius
	// Separation between the Earth's centre (−rSat) and the Sun's centre (d).
	toEarth := [3]float64{-rSatKm[0], -rSatKm[1], -rSatKm[2]}
	c := math.Atan2(norm(cross(toEarth, d)), dot(toEarth, d))
	switch {
	case c >= a+b:
		return Sunlit, 1
	case c <= b-a:
		return Umbra, 0
	case c <= a-b:
		// The Earth's disc lies wholly inside the Sun's: annular.
		return Penumbra, 1 - (b*b)/(a*a)
	}
	// Partial overlap of two discs of radii a, b at distance c.
	x := (c*c + a*a - b*b) / (2 * c)
	y := math.Sqrt(math.Max(a*a-x*x, 0))
	area := a*a*math.Acos(clamp(x/a, -1, 1)) + b*b*math.Acos(clamp((c-x)/b, -1, 1)) - c*y
	f := 1 - area/(math.Pi*a*a)
	return Penumbra, clamp(f, 0, 1)
}
