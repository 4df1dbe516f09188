// Package gp defines the general-perturbations (GP) mean element set: the
// Kozai/Brouwer-style mean elements that TLE and CCSDS OMM messages carry and
// that SGP4/SDP4 consumes.
//
// Angles are in degrees and mean motion in revolutions per day because that is
// how every source format writes them; sgp4 converts to radians and rad/min.
package gp

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ElementSet is one GP element set for one object.
type ElementSet struct {
	Name           string // object name (3-line TLE line 0, OMM OBJECT_NAME); may be empty
	CatalogNumber  int    // NORAD/SATCAT number; Alpha-5 "T0000" is stored as 270000
	IntlDesignator string // COSPAR designator in TLE form, e.g. "98067A"; may be empty
	Classification byte   // 'U', 'C', 'S' (0 when unknown)

	Epoch time.Time // UTC

	MeanMotionRevPerDay   float64 // Kozai mean motion n0
	Eccentricity          float64
	InclinationDeg        float64
	RAANDeg               float64 // right ascension of the ascending node
	ArgPerigeeDeg         float64
	MeanAnomalyDeg        float64
	MeanMotionDotRevDay2  float64 // TLE "first derivative of mean motion / 2" [rev/day²]
	MeanMotionDdotRevDay3 float64 // TLE "second derivative of mean motion / 6" [rev/day³]
	BStarPerEarthRadius   float64 // B* drag term [1/earth radii]

	EphemerisType    int // 0 = SGP4 (TLE convention)
	ElementSetNumber int
	RevAtEpoch       int
}

// ErrInvalid is wrapped by Validate errors.
var ErrInvalid = errors.New("gp: invalid element set")

// Validate reports element values that cannot describe an Earth orbit. It does
// not judge whether SGP4 will succeed (that is sgp4's job).
func (e *ElementSet) Validate() error {
	switch {
	case e.CatalogNumber < 0 || e.CatalogNumber > 999_999_999:
		return fmt.Errorf("%w: catalog number %d out of range 0..999999999", ErrInvalid, e.CatalogNumber)
	case !(e.MeanMotionRevPerDay > 0) || math.IsInf(e.MeanMotionRevPerDay, 0):
		return fmt.Errorf("%w: mean motion %g rev/day must be positive", ErrInvalid, e.MeanMotionRevPerDay)
	case !(e.Eccentricity >= 0 && e.Eccentricity < 1):
		return fmt.Errorf("%w: eccentricity %g not in [0,1)", ErrInvalid, e.Eccentricity)
	case !(e.InclinationDeg >= 0 && e.InclinationDeg <= 180):
		return fmt.Errorf("%w: inclination %g deg not in [0,180]", ErrInvalid, e.InclinationDeg)
	case math.IsNaN(e.RAANDeg) || math.IsNaN(e.ArgPerigeeDeg) || math.IsNaN(e.MeanAnomalyDeg) || math.IsNaN(e.BStarPerEarthRadius):
		return fmt.Errorf("%w: NaN element", ErrInvalid)
	case e.Epoch.IsZero():
		return fmt.Errorf("%w: missing epoch", ErrInvalid)
	}
	return nil
}

// SemiMajorAxisKm returns the semi-major axis implied by the Kozai mean motion
// using WGS-72 mu (a rough value for display and regime classification, not
// SGP4's un-Kozai'd a).
func (e *ElementSet) SemiMajorAxisKm() float64 {
	const muWGS72 = 398600.8                         // km³/s²
	n := e.MeanMotionRevPerDay * 2 * math.Pi / 86400 // rad/s
	return math.Cbrt(muWGS72 / (n * n))
}

// PeriodMinutes is the orbital period from the mean motion.
func (e *ElementSet) PeriodMinutes() float64 { return 1440 / e.MeanMotionRevPerDay }
