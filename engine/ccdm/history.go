package ccdm

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
)

// WGS-72 constants of the GP element sets.
const (
	muKm3S2       = 398600.8
	earthRadiusKm = 6378.135
	// rho0 is the reference density of the B* term, kg/m²/Earth radius:
	// B* = ρ0·(Cd·A/m)/2.
	rho0 = 0.15696615
	// earthRotRevPerDay is the sidereal rotation rate (rev/day).
	earthRotRevPerDay = 1.00273790935
)

// clean validates, sorts by epoch and de-duplicates one object's history
// (sets less than a minute apart are one; the later in input order is
// kept). It reports how many sets were dropped.
func clean(history []gp.ElementSet) (sets []gp.ElementSet, invalid, dups int, err error) {
	for i := range history {
		if history[i].Validate() != nil {
			invalid++
			continue
		}
		if len(sets) > 0 && history[i].CatalogNumber != sets[0].CatalogNumber {
			return nil, 0, 0, fmt.Errorf("%w: history mixes catalog numbers %d and %d", ErrInput, sets[0].CatalogNumber, history[i].CatalogNumber)
		}
		sets = append(sets, history[i])
	}
	slices.SortStableFunc(sets, func(a, b gp.ElementSet) int { return a.Epoch.Compare(b.Epoch) })
	out := sets[:0]
	for _, s := range sets {
		if n := len(out); n > 0 && s.Epoch.Sub(out[n-1].Epoch) < time.Minute {
			out[n-1] = s
			dups++
			continue
		}
		out = append(out, s)
	}
	return out, invalid, dups, nil
}

// orbit holds the derived quantities of one element set.
type orbit struct {
	smaKm, perigeeKm, apogeeKm, incDeg, ecc, raanDeg float64
}

func orbitOf(e *gp.ElementSet) orbit {
	a := e.SemiMajorAxisKm()
	return orbit{
		smaKm: a, perigeeKm: a*(1-e.Eccentricity) - earthRadiusKm, apogeeKm: a*(1+e.Eccentricity) - earthRadiusKm,
		incDeg: e.InclinationDeg, ecc: e.Eccentricity, raanDeg: e.RAANDeg,
	}
}

// regimeOf classifies a set with the manoeuvre package's rule.
func regimeOf(e *gp.ElementSet) maneuver.Regime {
	return maneuver.ClassifyRegime(e.MeanMotionRevPerDay, e.Eccentricity)
}

// days is t − ref in days.
func days(t, ref time.Time) float64 { return t.Sub(ref).Hours() / 24 }

// geoLongitudeDeg is the mean sub-satellite longitude (east, degrees in
// (−180, 180]) of a near-equatorial, near-circular element set at its epoch:
// Ω + ω + M − GMST.
func geoLongitudeDeg(e *gp.ElementSet, gmstRad float64) float64 {
	l := e.RAANDeg + e.ArgPerigeeDeg + e.MeanAnomalyDeg - gmstRad*180/math.Pi
	return math.Remainder(l, 360)
}

// driftDegDay is the mean longitude drift rate implied by a mean motion
// (deg/day, east positive).
func driftDegDay(nRevPerDay float64) float64 { return (nRevPerDay - earthRotRevPerDay) * 360 }

// launchOf returns the launch part (year and launch number, "98067") of a
// TLE-form international designator ("98067A"), or "".
func launchOf(desig string) string {
	if len(desig) < 5 {
		return ""
	}
	for _, c := range desig[:5] {
		if c < '0' || c > '9' {
			return ""
		}
	}
	return desig[:5]
}
