package frames

import (
	"math"
	"time"
)

// Site is a ground observer with its Earth-fixed position and local
// east-north-up axes precomputed, so look angles cost a few dozen flops.
type Site struct {
	Geodetic Geodetic
	rECEFKm  [3]float64
	// Unit vectors of the local east, north and up (geodetic normal) axes in
	// ECEF.
	east, north, up [3]float64
}

// NewSite precomputes a site. Call g.Validate first where g comes from
// outside; an invalid g gives NaN look angles, never a panic.
func NewSite(g Geodetic) Site {
	sLat, cLat := math.Sincos(g.LatRad)
	sLon, cLon := math.Sincos(g.LonRad)
	return Site{
		Geodetic: g,
		rECEFKm:  g.ECEFKm(),
		east:     [3]float64{-sLon, cLon, 0},
		north:    [3]float64{-sLat * cLon, -sLat * sLon, cLat},
		up:       [3]float64{cLat * cLon, cLat * sLon, sLat},
	}
}

// ECEFKm returns the site's Earth-fixed position.
func (s *Site) ECEFKm() [3]float64 { return s.rECEFKm }

// LookAngles is a target seen from a site.
type LookAngles struct {
	AzimuthRad   float64 // from north through east, [0, 2π); 0 within 1e-9 rad of the zenith
	ElevationRad float64 // geometric, above the plane normal to the geodetic vertical
	RangeKm      float64
	RangeRateKmS float64 // positive when the target recedes
	// ElevationRateRadS is dEl/dt (0 within 1e-9 rad of the zenith, where it
	// is undefined).
	ElevationRateRadS float64
}

// LookAnglesECEF returns the look angles to a target with Earth-fixed
// position (km) and Earth-fixed velocity (km/s).
func (s *Site) LookAnglesECEF(rECEFKm, vECEFKmS [3]float64) LookAngles {
	rho := sub(rECEFKm, s.rECEFKm)
	e, n, u := dot(rho, s.east), dot(rho, s.north), dot(rho, s.up)
	ed, nd, ud := dot(vECEFKmS, s.east), dot(vECEFKmS, s.north), dot(vECEFKmS, s.up)
	hor2 := e*e + n*n
	r2 := hor2 + u*u
	r := math.Sqrt(r2)
	hor := math.Sqrt(hor2)
	var la LookAngles
	la.RangeKm = r
	if r == 0 {
		return la
	}
	rhoDotRho := e*ed + n*nd + u*ud
	la.RangeRateKmS = rhoDotRho / r
	la.ElevationRad = math.Atan2(u, hor)
	if hor > 1e-9*r { // else at the zenith (within 2e-4"): azimuth and rate stay 0
		az := math.Atan2(e, n) + 0 // + 0 turns −0 into +0
		if az < 0 {
			az += 2 * math.Pi
			if az >= 2*math.Pi { // −tiny rounds up to 2π
				az = 0
			}
		}
		la.AzimuthRad = az
		la.ElevationRateRadS = (ud*r2 - u*rhoDotRho) / (r2 * hor)
	}
	return la
}

// LookAnglesTEME returns the look angles to a target with TEME position (km)
// and velocity (km/s) at t (UTC). For many targets at one instant, convert
// with one EarthRotation and call LookAnglesECEF.
func (s *Site) LookAnglesTEME(t time.Time, rTEMEKm, vTEMEKmS [3]float64, eop EOP) LookAngles {
	e := NewEarthRotation(t, eop)
	r, v := e.TEMEToECEF(rTEMEKm, vTEMEKmS)
	return s.LookAnglesECEF(r, v)
}
