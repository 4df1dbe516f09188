package conjunction

import (
	"fmt"
	"strings"
	"time"
)

// Stage names, as passed to Options.Progress and found in Result.Log.
const (
	StageElements      = "elements"       // SGP4 initialisation and interpolation calibration
	StageApogeePerigee = "apogee-perigee" // radial-band overlap of each pair
	StageOrbitPath     = "orbit-path"     // one-vs-all: plane crossing and radius at the crossing
	StageTime          = "time"           // one-vs-all: time windows, SGP4 distance bounds
	StageGrid          = "grid"           // all-vs-all: swept boxes sharing a grid cell
	StagePath          = "path"           // all-vs-all: interpolated relative path within reach
	StageRefine        = "refine"         // SGP4 root-finding of each close approach
)

// State is a TEME position and velocity.
type State struct {
	RTEMEKm  [3]float64
	VTEMEKmS [3]float64
}

// Event is one close approach: a local minimum of the distance between two
// objects inside the screening volume, with its time inside the window.
type Event struct {
	// Norad1 and Norad2 are the catalog numbers; object 1 is the primary in
	// one-vs-all runs, otherwise the smaller number.
	Norad1, Norad2 int
	Name1, Name2   string

	// TCA is the time of closest approach (UTC): the root of the range rate,
	// found on the SGP4 states themselves.
	TCA time.Time
	// MissDistanceKm and RelativeSpeedKmS are |r2-r1| and |v2-v1| at TCA.
	MissDistanceKm   float64
	RelativeSpeedKmS float64
	// RadialKm, InTrackKm and CrossTrackKm are r2-r1 at TCA in object 1's
	// RIC frame (R along r1, C along r1×v1, I = C×R).
	RadialKm, InTrackKm, CrossTrackKm float64

	// ThresholdEnter and ThresholdExit bracket TCA: when object 2 enters and
	// leaves the screening volume. They are clamped to the window (and
	// EnterClamped/ExitClamped set) when that happens outside it.
	ThresholdEnter, ThresholdExit time.Time
	EnterClamped, ExitClamped     bool

	// State1 and State2 are the SGP4 states at TCA.
	State1, State2 State
	// ElementAge1 and ElementAge2 are TCA minus each element-set epoch.
	ElementAge1, ElementAge2 time.Duration
}

// Failure reports an object that could not be screened over the whole
// window. Err wraps ErrPropagation (and the sgp4 error) or ErrDuplicate.
type Failure struct {
	Norad int
	Name  string
	// At is the first time in the window at which SGP4 failed for the
	// object (zero when it failed at initialisation or was a duplicate).
	// The object was screened before At and not after.
	At  time.Time
	Err error
}

// StageLog is one line of the filter log: what a stage received, kept and
// removed, and the time it took. Unit says what was counted ("objects",
// "pairs", "pair-windows", "pair-intervals", "candidates"). For stages that
// run inside the parallel sieve, Elapsed is summed over the workers.
type StageLog struct {
	Stage   string
	Unit    string
	In      int64
	Kept    int64
	Removed int64
	Elapsed time.Duration
	Note    string
}

// Result is the outcome of Screen.
type Result struct {
	// Events sorted by TCA, then Norad1, then Norad2; one per close approach.
	Events []Event
	// Failures sorted by NORAD number.
	Failures []Failure
	// Log is the filter log, in pipeline order.
	Log []StageLog

	Start, End time.Time
	// Objects is the number of element sets screened (after duplicates and
	// initialisation failures are removed).
	Objects int
	// AllVsAll is false for one-vs-all runs.
	AllVsAll bool
	// SieveStep is the all-vs-all sieve step used (zero for one-vs-all).
	SieveStep time.Duration
}

// LogTable formats Log as a fixed-width text table (one line per stage).
func (r *Result) LogTable() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-15s %-15s %14s %14s %14s %12s\n", "stage", "unit", "in", "kept", "removed", "time")
	for _, l := range r.Log {
		fmt.Fprintf(&b, "%-15s %-15s %14d %14d %14d %12s", l.Stage, l.Unit, l.In, l.Kept, l.Removed,
			l.Elapsed.Round(time.Millisecond))
		if l.Note != "" {
			fmt.Fprintf(&b, "  %s", l.Note)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
