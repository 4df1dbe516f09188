package maneuver

import (
	"fmt"
	"math"
	"time"
)

// Regime is an orbit regime; each has its own noise floors and thresholds.
type Regime int

// Regimes. RegimeAuto lets Detect choose from the history's median mean
// motion and eccentricity (see ClassifyRegime).
const (
	RegimeAuto Regime = iota
	RegimeLEO
	RegimeMEO
	RegimeGEO
	RegimeHEO
)

var regimeNames = [...]string{"auto", "leo", "meo", "geo", "heo"}

// String returns the lowercase regime name.
func (r Regime) String() string {
	if r < 0 || int(r) >= len(regimeNames) {
		return "unknown"
	}
	return regimeNames[r]
}

// MarshalText writes the regime name.
func (r Regime) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// ClassifyRegime picks the regime from a mean motion and eccentricity:
// e ≥ 0.25 is HEO; n ≥ 11.25 rev/day (period ≤ 128 min) is LEO; 0.9–1.1
// rev/day with e < 0.1 is GEO; anything else is MEO.
func ClassifyRegime(meanMotionRevPerDay, eccentricity float64) Regime {
	switch {
	case eccentricity >= 0.25:
		return RegimeHEO
	case meanMotionRevPerDay >= 11.25:
		return RegimeLEO
	case meanMotionRevPerDay >= 0.9 && meanMotionRevPerDay <= 1.1 && eccentricity < 0.1:
		return RegimeGEO
	default:
		return RegimeMEO
	}
}

// Config holds the detector's parameters. A zero field takes the regime's
// default (RegimeConfig), so DefaultConfig() is a Config whose every field
// is chosen from the history itself.
type Config struct {
	Regime Regime // RegimeAuto: chosen from the history's median mean motion and eccentricity

	// Threshold is the robust z-score (step / noise) a channel's step must
	// pass for a boundary to be a manoeuvre.
	Threshold float64
	// StepSets is how many element sets on each side of a boundary form the
	// median levels compared by the step test; boundaries with fewer sets
	// on either side (the ends of the history) are not judged.
	StepSets int
	// LongStepSets, when larger than StepSets, adds a second, longer step
	// test that catches burns the element-set fits absorb slowly (a ramp
	// over several sets); 0 or ≤ StepSets turns it off.
	LongStepSets int
	// NoiseSets is the half-width, in element sets, of the rolling window
	// for the local rate and the MAD noise.
	NoiseSets int
	// MinDeltaAKm and MinPlaneChangeDeg are the smallest semi-major-axis
	// step and plane rotation reported even when statistically significant:
	// TLE mean elements carry unmodelled natural variations (luni-solar
	// terms at GEO, fit artefacts) that can look like small steps.
	MinDeltaAKm       float64
	MinPlaneChangeDeg float64
	// MinSets: fewer distinct element sets than this is insufficient data.
	MinSets int
	// MaxMedianGap: a history whose median spacing is longer is
	// insufficient data.
	MaxMedianGap time.Duration
	// WideGap: a jump across a longer gap is reported with kind unknown and
	// reduced confidence, since several burns and unmodelled decay may hide in it.
	WideGap time.Duration
	// DuplicateWindow: element sets whose epochs are closer than this are
	// one set (the one with the highest element-set number, then the later
	// one in the input, is kept).
	DuplicateWindow time.Duration
	// AlongTrackSigmaKm is the along-track uncertainty of one element set
	// near its epoch, used to weight the along-track crossing in the burn
	// epoch. Zero: estimated from the history itself (each set propagated
	// with SGP4 to the next, robust spread of the along-track differences),
	// kept within [0.02 km, 5 × the regime default]; the regime default
	// (RegimeConfig) where the history is too short for that.
	AlongTrackSigmaKm float64
	// StationKeepingMaxDeltaAKm and StationKeepingMaxPlaneDeg bound the size
	// of an in-plane / out-of-plane correction still called station-keeping.
	StationKeepingMaxDeltaAKm float64
	StationKeepingMaxPlaneDeg float64
	// DeorbitPerigeeKm: an event that leaves the perigee height below this
	// is a deorbit.
	DeorbitPerigeeKm float64
	// ResponseLag is how much earlier than the fitted start of the change
	// the burn is placed where no sharp along-track crossing fixes the epoch
	// (GP fits show a burn some hours late). Zero takes the regime default
	// (9 h in LEO, none elsewhere); a negative value means no lag.
	ResponseLag time.Duration
	// AlongTrackThreshold is the robust z-score the along-track residual of
	// an element set against the previous one must pass to mark a burn the
	// step test did not find (alongtrack.go). Zero takes the regime
	// default (12 in LEO, off elsewhere); a negative value turns it off.
	AlongTrackThreshold float64
	// RampLagFactor adds RampLagFactor times the fitted ramp duration (the
	// time the element sets take to show the burn in full) to the response
	// lag: fits that absorb a burn slowly also begin to show it late
	// (see detect.go). Zero takes the regime default (LEO 0.15, none
	// elsewhere); a negative value turns it off.
	RampLagFactor float64
}

// DefaultConfig returns a configuration whose regime and parameters are
// chosen automatically from each history.
func DefaultConfig() Config { return Config{Regime: RegimeAuto} }

// RegimeConfig returns the full default parameter set of a regime
// (RegimeAuto gives LEO's).
//
// These few numbers are global per regime, not per satellite. The threshold
// and window sizes were chosen on the Shorten et al. benchmark and checked
// by leave-one-satellite-out evaluation (heldout_test.go; held-out mean F1
// 0.731 against 0.745 in-sample). MEO and HEO have no labelled data here:
// their values are LEO's with looser gaps and sizes, untested.
func RegimeConfig(r Regime) Config {
	c := Config{
		Regime:                    r,
		Threshold:                 6,
		StepSets:                  3,
		LongStepSets:              7,
		NoiseSets:                 20,
		MinSets:                   8,
		MaxMedianGap:              7 * 24 * time.Hour,
		WideGap:                   5 * 24 * time.Hour,
		DuplicateWindow:           time.Minute,
		AlongTrackSigmaKm:         1,
		StationKeepingMaxDeltaAKm: 0.5,
		StationKeepingMaxPlaneDeg: 0.05,
		DeorbitPerigeeKm:          150,
		MinDeltaAKm:               0.001,
		MinPlaneChangeDeg:         0.008,
		ResponseLag:               -1,
		RampLagFactor:             -1,
		AlongTrackThreshold:       -1,
	}
	switch r {
	case RegimeAuto:
		c.Regime = RegimeLEO
		c.ResponseLag, c.RampLagFactor = leoResponseLag, leoRampLagFactor
		c.AlongTrackThreshold = leoAlongTrackThreshold
	case RegimeLEO:
		c.ResponseLag, c.RampLagFactor = leoResponseLag, leoRampLagFactor
		c.AlongTrackThreshold = leoAlongTrackThreshold
	case RegimeGEO:
		c.MaxMedianGap = 14 * 24 * time.Hour
		c.WideGap = 10 * 24 * time.Hour
		c.AlongTrackSigmaKm = 5
		c.StationKeepingMaxDeltaAKm = 25
		c.StationKeepingMaxPlaneDeg = 1
		c.MinDeltaAKm = 1
		c.MinPlaneChangeDeg = 0.02
	case RegimeMEO, RegimeHEO:
		c.MaxMedianGap = 14 * 24 * time.Hour
		c.WideGap = 10 * 24 * time.Hour
		c.AlongTrackSigmaKm = 3
		c.StationKeepingMaxDeltaAKm = 5
		c.StationKeepingMaxPlaneDeg = 0.2
	}
	return c
}

// resolve fills zero fields from the regime defaults and checks ranges.
func (c Config) resolve(r Regime) (Config, error) {
	d := RegimeConfig(r)
	d.Regime = r
	if c.Threshold != 0 {
		d.Threshold = c.Threshold
	}
	if c.StepSets != 0 {
		d.StepSets = c.StepSets
	}
	if c.LongStepSets != 0 {
		d.LongStepSets = c.LongStepSets
	}
	if c.NoiseSets != 0 {
		d.NoiseSets = c.NoiseSets
	}
	if c.MinDeltaAKm != 0 {
		d.MinDeltaAKm = c.MinDeltaAKm
	}
	if c.MinPlaneChangeDeg != 0 {
		d.MinPlaneChangeDeg = c.MinPlaneChangeDeg
	}
	if c.MinSets != 0 {
		d.MinSets = c.MinSets
	}
	if c.MaxMedianGap != 0 {
		d.MaxMedianGap = c.MaxMedianGap
	}
	if c.WideGap != 0 {
		d.WideGap = c.WideGap
	}
	if c.DuplicateWindow != 0 {
		d.DuplicateWindow = c.DuplicateWindow
	}
	if c.AlongTrackSigmaKm != 0 {
		d.AlongTrackSigmaKm = c.AlongTrackSigmaKm
	}
	if c.StationKeepingMaxDeltaAKm != 0 {
		d.StationKeepingMaxDeltaAKm = c.StationKeepingMaxDeltaAKm
	}
	if c.StationKeepingMaxPlaneDeg != 0 {
		d.StationKeepingMaxPlaneDeg = c.StationKeepingMaxPlaneDeg
	}
	if c.DeorbitPerigeeKm != 0 {
		d.DeorbitPerigeeKm = c.DeorbitPerigeeKm
	}
	if c.ResponseLag != 0 {
		d.ResponseLag = c.ResponseLag
	}
	if c.RampLagFactor != 0 {
		d.RampLagFactor = c.RampLagFactor
	}
	if c.AlongTrackThreshold != 0 {
		d.AlongTrackThreshold = c.AlongTrackThreshold
	}
	return d, d.check()
}

func (c Config) check() error {
	bad := func(name string, v any) error { return fmt.Errorf("%w: %s = %v", ErrConfig, name, v) }
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
	switch {
	case c.Regime < RegimeAuto || c.Regime > RegimeHEO:
		return bad("Regime", int(c.Regime))
	case !pos(c.Threshold):
		return bad("Threshold", c.Threshold)
	case c.StepSets < 1 || c.StepSets > 50:
		return bad("StepSets", c.StepSets)
	case c.LongStepSets < 0 || c.LongStepSets > 50:
		return bad("LongStepSets", c.LongStepSets)
	case c.NoiseSets < 3 || c.NoiseSets > 1000:
		return bad("NoiseSets", c.NoiseSets)
	case c.MinSets < 2*max(c.StepSets, 2)+1:
		return bad("MinSets (need at least 2·StepSets+1)", c.MinSets)
	case !(c.MinDeltaAKm >= 0) || math.IsInf(c.MinDeltaAKm, 0):
		return bad("MinDeltaAKm", c.MinDeltaAKm)
	case !(c.MinPlaneChangeDeg >= 0) || math.IsInf(c.MinPlaneChangeDeg, 0):
		return bad("MinPlaneChangeDeg", c.MinPlaneChangeDeg)
	case c.MaxMedianGap <= 0:
		return bad("MaxMedianGap", c.MaxMedianGap)
	case c.WideGap <= 0:
		return bad("WideGap", c.WideGap)
	case c.DuplicateWindow < 0:
		return bad("DuplicateWindow", c.DuplicateWindow)
	case !pos(c.AlongTrackSigmaKm):
		return bad("AlongTrackSigmaKm", c.AlongTrackSigmaKm)
	case !pos(c.StationKeepingMaxDeltaAKm):
		return bad("StationKeepingMaxDeltaAKm", c.StationKeepingMaxDeltaAKm)
	case !pos(c.StationKeepingMaxPlaneDeg):
		return bad("StationKeepingMaxPlaneDeg", c.StationKeepingMaxPlaneDeg)
	case !pos(c.DeorbitPerigeeKm):
		return bad("DeorbitPerigeeKm", c.DeorbitPerigeeKm)
	case !(c.RampLagFactor <= 5):
		return bad("RampLagFactor", c.RampLagFactor)
	case c.ResponseLag > 7*24*time.Hour:
		return bad("ResponseLag", c.ResponseLag)
	case math.IsNaN(c.AlongTrackThreshold) || math.IsInf(c.AlongTrackThreshold, 0):
		return bad("AlongTrackThreshold", c.AlongTrackThreshold)
	}
	return nil
}
