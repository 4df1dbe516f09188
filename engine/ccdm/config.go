package ccdm

import (
	"fmt"
	"math"
	"time"
)

// Config holds every window and threshold of the rules; DefaultConfig
// gives the documented values. Field comments say which rule uses each.
type Config struct {
	// At is the assessment epoch: only element sets at or before it are
	// used. Zero means the epoch of the last element set.
	At time.Time

	// RecentWindow is the window before At judged against the baseline
	// (stability-changed, amr-changes) and in which manoeuvres count for the
	// threat assessment.
	RecentWindow time.Duration
	// BaselineWindow is the history before the recent window (stability,
	// AMR) or before OOFGuard (orbit-oof) that defines the object's family.
	BaselineWindow time.Duration
	// OOFGuard: orbit-oof compares the sets in (At−OOFGuard, At] with the
	// baseline before them.
	OOFGuard time.Duration
	// MinBaselineSets: fewer sets in a baseline or recent window is
	// insufficient data.
	MinBaselineSets int

	// OOFThreshold is the robust z-score of orbit-oof.
	OOFThreshold float64
	// StabilityThreshold is the z-score of a drift-rate change; StabilityRatio
	// the factor by which the set-to-set scatter or the natural drift rate
	// must change as well.
	StabilityThreshold float64
	StabilityRatio     float64
	// AMRThreshold is the z-score of a B* change or outlier; AMRRatio the
	// factor the median B* must change by as well; AMRMaxPerigeeKm the
	// highest perigee at which B* is drag-determined.
	AMRThreshold    float64
	AMRRatio        float64
	AMRMaxPerigeeKm float64

	// ProximityKm is the screening radius for proximity events;
	// ProximitySpan the screened window from the primary's element-set
	// epoch; ProximityStep the sampling step of the relative motion;
	// CoOrbitalMaxSpeedKmS the relative speed at closest approach below which
	// a pair is co-orbital (above it, a crossing conjunction); PersistentFraction
	// the share of the window inside ProximityKm that makes an approach
	// persistent; RepeatedApproaches the number of crossing approaches with
	// one object inside RepeatedApproachKm that makes them persistent.
	ProximityKm          float64
	ProximitySpan        time.Duration
	ProximityStep        time.Duration
	CoOrbitalMaxSpeedKmS float64
	PersistentFraction   float64
	RepeatedApproaches   int
	RepeatedApproachKm   float64
	// MaxCatalogAge: a catalog element set more than this from the primary's
	// is not used for proximity (the geometry would be extrapolated).
	MaxCatalogAge time.Duration

	// Unoccupied orbit: neighbours are catalog objects whose perigee and
	// apogee heights are within DensityHeightKm and inclination within
	// DensityIncDeg (and, at GEO, mean longitude within DensityGEOLonDeg);
	// the orbit is unoccupied with at most UnoccupiedMaxNeighbours.
	DensityHeightKm         float64
	DensityIncDeg           float64
	DensityGEOLonDeg        float64
	UnoccupiedMaxNeighbours int

	// Sub-satellites: siblings (same launch) catalogued after the parent
	// with perigee and apogee within SubSatHeightKm and inclination within
	// SubSatIncDeg. Unknown debris is higher than its parent when its
	// semi-major axis exceeds the parent's by DebrisHigherKm.
	SubSatHeightKm float64
	SubSatIncDeg   float64
	DebrisHigherKm float64
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		RecentWindow:            30 * 24 * time.Hour,
		BaselineWindow:          120 * 24 * time.Hour,
		OOFGuard:                3 * 24 * time.Hour,
		MinBaselineSets:         10,
		OOFThreshold:            6,
		StabilityThreshold:      5,
		StabilityRatio:          3,
		AMRThreshold:            5,
		AMRRatio:                2,
		AMRMaxPerigeeKm:         1000,
		ProximityKm:             50,
		ProximitySpan:           48 * time.Hour,
		ProximityStep:           time.Minute,
		CoOrbitalMaxSpeedKmS:    0.5,
		PersistentFraction:      0.9,
		RepeatedApproaches:      3,
		RepeatedApproachKm:      10,
		MaxCatalogAge:           3 * 24 * time.Hour,
		DensityHeightKm:         25,
		DensityIncDeg:           1,
		DensityGEOLonDeg:        2,
		UnoccupiedMaxNeighbours: 2,
		SubSatHeightKm:          50,
		SubSatIncDeg:            0.2,
		DebrisHigherKm:          10,
	}
}

func (c Config) check() error {
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
	for _, p := range []struct {
		name string
		ok   bool
	}{
		{"RecentWindow", c.RecentWindow > 0}, {"BaselineWindow", c.BaselineWindow > 0}, {"OOFGuard", c.OOFGuard > 0},
		{"MinBaselineSets", c.MinBaselineSets >= 3}, {"OOFThreshold", pos(c.OOFThreshold)},
		{"StabilityThreshold", pos(c.StabilityThreshold)}, {"StabilityRatio", c.StabilityRatio > 1},
		{"AMRThreshold", pos(c.AMRThreshold)}, {"AMRRatio", c.AMRRatio > 1}, {"AMRMaxPerigeeKm", pos(c.AMRMaxPerigeeKm)},
		{"ProximityKm", pos(c.ProximityKm) && c.ProximityKm <= 1000}, {"ProximitySpan", c.ProximitySpan > 0 && c.ProximitySpan <= 30*24*time.Hour},
		{"ProximityStep", c.ProximityStep >= time.Second}, {"CoOrbitalMaxSpeedKmS", pos(c.CoOrbitalMaxSpeedKmS)},
		{"PersistentFraction", c.PersistentFraction > 0 && c.PersistentFraction <= 1}, {"RepeatedApproaches", c.RepeatedApproaches >= 2},
		{"RepeatedApproachKm", pos(c.RepeatedApproachKm)}, {"MaxCatalogAge", c.MaxCatalogAge > 0},
		{"DensityHeightKm", pos(c.DensityHeightKm)}, {"DensityIncDeg", pos(c.DensityIncDeg)}, {"DensityGEOLonDeg", pos(c.DensityGEOLonDeg)},
		{"UnoccupiedMaxNeighbours", c.UnoccupiedMaxNeighbours >= 0}, {"SubSatHeightKm", pos(c.SubSatHeightKm)},
		{"SubSatIncDeg", pos(c.SubSatIncDeg)}, {"DebrisHigherKm", pos(c.DebrisHigherKm)},
	} {
		if !p.ok {
			return fmt.Errorf("%w: invalid configuration %s", ErrInput, p.name)
		}
	}
	return nil
}
