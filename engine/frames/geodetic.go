package frames

import (
	"fmt"
	"math"
)

// WGS-84 ellipsoid (NIMA TR8350.2).
const (
	WGS84EquatorialRadiusKm = 6378.137
	WGS84Flattening         = 1 / 298.257223563

	wgs84E2     = WGS84Flattening * (2 - WGS84Flattening) // first eccentricity squared
	wgs84B      = WGS84EquatorialRadiusKm * (1 - WGS84Flattening)
	wgs84EP2    = wgs84E2 / ((1 - WGS84Flattening) * (1 - WGS84Flattening)) // second eccentricity squared
	wgs84OneMF  = 1 - WGS84Flattening
	geodeticTol = 1e-15 // rad: the Bowring iteration stops below this change
)

// Geodetic is a WGS-84 geodetic position: latitude (north positive),
// longitude (east positive) and height above the ellipsoid.
type Geodetic struct {
	LatRad, LonRad float64
	HeightKm       float64
}

// Validate reports a latitude outside [−π/2, π/2] or a non-finite value.
func (g Geodetic) Validate() error {
	switch {
	case !(g.LatRad >= -math.Pi/2 && g.LatRad <= math.Pi/2):
		return fmt.Errorf("%w: latitude %g rad not in [-π/2, π/2]", ErrInvalidInput, g.LatRad)
	case math.IsNaN(g.LonRad) || math.IsInf(g.LonRad, 0):
		return fmt.Errorf("%w: longitude %g rad not finite", ErrInvalidInput, g.LonRad)
	case math.IsNaN(g.HeightKm) || math.IsInf(g.HeightKm, 0):
		return fmt.Errorf("%w: height %g km not finite", ErrInvalidInput, g.HeightKm)
	}
	return nil
}

// ECEFKm returns the Earth-fixed (ITRF) Cartesian position of g.
func (g Geodetic) ECEFKm() [3]float64 {
	sLat, cLat := math.Sincos(g.LatRad)
	sLon, cLon := math.Sincos(g.LonRad)
	n := WGS84EquatorialRadiusKm / math.Sqrt(1-wgs84E2*sLat*sLat)
	return [3]float64{
		(n + g.HeightKm) * cLat * cLon,
		(n + g.HeightKm) * cLat * sLon,
		(n*(1-wgs84E2) + g.HeightKm) * sLat,
	}
}

// ECEFToGeodetic converts an Earth-fixed position to WGS-84 geodetic
// coordinates with longitude in (−π, π]. It iterates Bowring's formula on the
// parametric latitude (two or three steps reach 1e-15 rad) and computes the
// height from a form that is exact at the poles and the equator; positions
// round-trip to under 1 µm from 6300 km below the ellipsoid to lunar
// distance. On the polar axis the longitude is 0; at the centre the result is
// the north pole at height −b. Non-finite input gives non-finite output.
func ECEFToGeodetic(rECEFKm [3]float64) Geodetic {
	x, y, z := rECEFKm[0], rECEFKm[1], rECEFKm[2]
	p := math.Hypot(x, y)
	lon := 0.0
	if p > 0 {
		lon = math.Atan2(y, x)
	}
	if p == 0 {
		if z >= 0 {
			return Geodetic{LatRad: math.Pi / 2, LonRad: lon, HeightKm: z - wgs84B}
		}
		return Geodetic{LatRad: -math.Pi / 2, LonRad: lon, HeightKm: -z - wgs84B}
	}
	// Parametric latitude β from the geocentric direction, then Bowring.
	beta := math.Atan2(z, wgs84OneMF*p)
	lat := 0.0
	for i := 0; i < 10; i++ {
		sB, cB := math.Sincos(beta)
		next := math.Atan2(z+wgs84EP2*wgs84B*sB*sB*sB, p-wgs84E2*WGS84EquatorialRadiusKm*cB*cB*cB)
		done := i > 0 && math.Abs(next-lat) <= geodeticTol
		lat = next
		if done || math.IsNaN(lat) {
			break
		}
		sL, cL := math.Sincos(lat)
		beta = math.Atan2(wgs84OneMF*sL, cL)
	}
	sL, cL := math.Sincos(lat)
	h := p*cL + z*sL - WGS84EquatorialRadiusKm*math.Sqrt(1-wgs84E2*sL*sL)
	return Geodetic{LatRad: lat, LonRad: lon, HeightKm: h}
}
