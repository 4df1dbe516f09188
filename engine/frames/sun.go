package frames

import (
	"math"
	"time"
)

// Solar-system constants.
const (
	AstronomicalUnitKm = 149597870.7 // IAU 2012
	SunRadiusKm        = 696000.0    // Vallado's value, used by the shadow model
	deg                = math.Pi / 180
)

// SunPositionTEMEKm returns the geocentric position of the Sun at t (UTC) with
// the low-precision Astronomical Almanac series (Vallado algorithm 29):
// accurate to about 0.01° in direction and 1e-4 AU in distance between 1950
// and 2050, degrading slowly outside. The axes are mean equator and equinox of
// date, which match TEME to within nutation (< 20").
func SunPositionTEMEKm(t time.Time) [3]float64 {
	tc := centuriesJ2000(t, 0) // T_UT1 ≈ T_TDB (see package comment)
	meanLon := math.Mod(280.460+36000.771285*tc, 360) * deg
	meanAnom := math.Mod(357.528+35999.050957*tc, 360) * deg
	sM, cM := math.Sincos(meanAnom)
	s2M, c2M := math.Sincos(2 * meanAnom)
	eclLon := meanLon + (1.915*sM+0.020*s2M)*deg
	rAU := 1.000140612 - 0.016708617*cM - 0.000139589*c2M
	obliq := (23.439291 - 0.0130042*tc) * deg
	sL, cL := math.Sincos(eclLon)
	sE, cE := math.Sincos(obliq)
	r := rAU * AstronomicalUnitKm
	return [3]float64{r * cL, r * cE * sL, r * sE * sL}
}

// MoonPositionTEMEKm returns the geocentric position of the Moon at t (UTC)
// with the low-precision Astronomical Almanac series (Vallado algorithm 31):
// about 0.3° in direction and 0.2 % in distance. Axes as SunPositionTEMEKm.
func MoonPositionTEMEKm(t time.Time) [3]float64 {
	tc := centuriesJ2000(t, 0)
	sinDeg := func(a float64) float64 { return math.Sin(math.Mod(a, 360) * deg) }
	cosDeg := func(a float64) float64 { return math.Cos(math.Mod(a, 360) * deg) }
	lon := 218.32 + 481267.8813*tc +
		6.29*sinDeg(134.9+477198.85*tc) -
		1.27*sinDeg(259.2-413335.38*tc) +
		0.66*sinDeg(235.7+890534.23*tc) +
		0.21*sinDeg(269.9+954397.70*tc) -
		0.19*sinDeg(357.5+35999.05*tc) -
		0.11*sinDeg(186.6+966404.05*tc)
	lat := 5.13*sinDeg(93.3+483202.03*tc) +
		0.28*sinDeg(228.2+960400.87*tc) -
		0.28*sinDeg(318.3+6003.18*tc) -
		0.17*sinDeg(217.6-407332.20*tc)
	parallax := 0.9508 +
		0.0518*cosDeg(134.9+477198.85*tc) +
		0.0095*cosDeg(259.2-413335.38*tc) +
		0.0078*cosDeg(235.7+890534.23*tc) +
		0.0028*cosDeg(269.9+954397.70*tc)
	obliq := (23.439291 - 0.0130042*tc) * deg
	r := WGS84EquatorialRadiusKm / math.Sin(parallax*deg)
	sLon, cLon := math.Sincos(math.Mod(lon, 360) * deg)
	sLat, cLat := math.Sincos(lat * deg)
	sE, cE := math.Sincos(obliq)
	return [3]float64{
		r * cLat * cLon,
		r * (cE*cLat*sLon - sE*sLat),
		r * (sE*cLat*sLon + cE*sLat),
	}
}
