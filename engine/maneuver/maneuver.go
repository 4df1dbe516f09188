package maneuver

import (
	"errors"
	"time"
)

// Sentinel errors; Detect wraps them with context.
var (
	// ErrMixedObjects is returned when a history holds element sets of more
	// than one catalog number.
	ErrMixedObjects = errors.New("maneuver: history mixes objects")
	// ErrConfig is returned for a configuration value out of range.
	ErrConfig = errors.New("maneuver: invalid configuration")
)

// Kind classifies a detected manoeuvre.
type Kind int

// Kinds of manoeuvre. The rules that pick one are in classify.
const (
	KindUnknown        Kind = iota // not classifiable from the evidence (e.g. a wide data gap)
	KindStationKeeping             // small correction that keeps the orbit near its reference
	KindOrbitRaise                 // in-plane, semi-major axis raised beyond station-keeping size
	KindOrbitLower                 // in-plane, semi-major axis lowered beyond station-keeping size
	KindPlaneChange                // cross-track dominated, beyond station-keeping size
	KindDeorbit                    // lowers perigee into the atmosphere
)

var kindNames = [...]string{"unknown", "station-keeping", "orbit-raise", "orbit-lower", "plane-change", "deorbit"}

// String returns the lowercase name used in JSON and CSV output.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// MarshalText writes the lowercase name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Status says whether the history could be judged.
type Status int

// Result statuses.
const (
	StatusOK               Status = iota // the history was analysed; Events may be empty
	StatusInsufficientData               // too short or too sparse to judge; Events is empty
)

// String returns "ok" or "insufficient-data".
func (s Status) String() string {
	if s == StatusInsufficientData {
		return "insufficient-data"
	}
	return "ok"
}

// MarshalText writes the status name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Element names a mean-element channel that evidence refers to.
type Element int

// Channels. SMA is the semi-major axis from the Kozai mean motion (drag
// coupling removed); the vector channels are the components of the
// inclination vector (i·cosΩ, i·sinΩ; GEO only) and of the eccentricity
// vector (e·cos ϖ, e·sin ϖ with ϖ = Ω + ω at GEO, e·cos ω, e·sin ω elsewhere).
const (
	ElementSMA Element = iota
	ElementInclination
	ElementInclinationVectorX
	ElementInclinationVectorY
	ElementEccentricityVectorX
	ElementEccentricityVectorY
	numElements // the mean-element channels end here

	// ElementAlongTrack is not a mean element: it is the along-track
	// residual of one element set against the previous one propagated to
	// its epoch (alongtrack.go), in km per day of the gap between them.
	ElementAlongTrack = numElements
)

var elementNames = [...]string{"semi-major-axis", "inclination", "inclination-vector-x", "inclination-vector-y",
	"eccentricity-vector-x", "eccentricity-vector-y", "along-track-residual"}

var elementUnits = [...]string{"m", "deg", "deg", "deg", "1", "1", "km/d"}

// String returns the channel name.
func (e Element) String() string {
	if e < 0 || e > ElementAlongTrack {
		return "unknown"
	}
	return elementNames[e]
}

// Unit returns the unit of Evidence.Jump and Evidence.Noise for the channel.
func (e Element) Unit() string {
	if e < 0 || e > ElementAlongTrack {
		return ""
	}
	return elementUnits[e]
}

// MarshalText writes the channel name.
func (e Element) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// Evidence is one channel's step at the detected boundary.
type Evidence struct {
	Element Element
	Jump    float64 // robust step (median after − median before, detrended), in Element.Unit()
	Noise   float64 // robust 1-sigma of set-to-set differences there (1.4826·MAD), same unit
	Score   float64 // |Jump| / Noise
	// LongitudeDriftDegDay is, for the GEO semi-major-axis channel, the change
	// of the mean longitude drift rate implied by Jump (−1.5·n·Δa/a); 0 elsewhere.
	LongitudeDriftDegDay float64
}

// Event is one detected manoeuvre.
type Event struct {
	NORAD int
	// Epoch is the best estimate of the burn time (UTC), between
	// BeforeEpoch and AfterEpoch.
	Epoch time.Time
	// BeforeEpoch and AfterEpoch are the epochs of the element sets that
	// bracket the jump.
	BeforeEpoch, AfterEpoch time.Time
	// FullEpoch is the epoch of the first element set that shows the
	// post-burn orbit in full (element-set fits often absorb a burn over
	// several sets); it equals AfterEpoch for a clean step.
	FullEpoch time.Time
	// EpochUncertainty is a 1-sigma estimate of the error of Epoch.
	EpochUncertainty time.Duration
	// DeltaVMS is the estimated impulse magnitude in m/s (Gauss variational
	// equations on the mean-element steps; a lower bound when several burns
	// fall between two element sets).
	DeltaVMS float64
	// DirectionRIC is the unit vector of the impulse in the radial,
	// in-track, cross-track frame; zero when DeltaVMS is zero.
	DirectionRIC [3]float64
	// DeltaSMAKm is the semi-major-axis step.
	DeltaSMAKm float64
	Kind       Kind
	// Confidence in [0,1] rises monotonically with the step's signal-to-noise
	// ratio and falls for wide gaps; it is not a calibrated probability.
	Confidence float64
	// Evidence lists every channel whose step passed the threshold, strongest
	// first, then the semi-major-axis channel if it is not among them.
	Evidence []Evidence
}

// Result is the outcome of Detect.
type Result struct {
	NORAD  int
	Status Status
	Regime Regime
	Events []Event
	// Notes explain insufficient data, dropped or merged element sets and
	// data gaps, in words.
	Notes []string
	// SetsUsed is the number of distinct element sets analysed.
	SetsUsed int
}
