package ccdm

import (
	"errors"
	"time"
)

// ErrInput is wrapped by errors about unusable input (mixed objects, an
// empty history).
var ErrInput = errors.New("ccdm: bad input")

// Indicator is a Welders Arc SS4 CCDM indicator name, spelled as published.
type Indicator string

// The indicators of the SS4 catalogue (names as published, including their
// spelling). The first group is computed from element-set data; the second
// needs sensor or registry data and is reported as not assessed.
const (
	ManeuversDetected                Indicator = "maneuvers-detected"
	OrbitOOF                         Indicator = "orbit-oof"
	StabilityChanged                 Indicator = "stability-changed"
	AMRChanges                       Indicator = "amr-changes"
	AMROOF                           Indicator = "amr-oof"
	ProximityEvents                  Indicator = "proximity-events-valid-remote-sense"
	ObjectInUnoccupiedOrbit          Indicator = "object-in-unoccupied-orbit"
	SubSatsDeployed                  Indicator = "sub-sats-deployed"
	UnknownDebrisSMAHigherThanParent Indicator = "unknown-debris-sma-higher-than-parent"

	ImagingManeuversPolViolations      Indicator = "imaging-maneuvers-pol-violations"
	ManeuversRFPolOOF                  Indicator = "maneuvers-rf-pol-oof"
	ValidImagingManeuvers              Indicator = "valid-imaging-maneuvers"
	ObjectStable                       Indicator = "object-stable"
	RFDetected                         Indicator = "rf-detected"
	OpticalRadarSignatureMismatch      Indicator = "optical-radar-signature-mismatch"
	OpticalRadarSignatureOOF           Indicator = "optical-radar-signature-oof"
	ObjectInHighRadiationEnvironment   Indicator = "object-in-high-radiation-environment"
	ObjectNotInUNRegistry              Indicator = "object-not-in-un-registry"
	ViolatesITUFCCFilings              Indicator = "violates-itu-fcc-filings"
	ObjectThreatFromKnownSite          Indicator = "object-threat-from-known-site"
	TrackObjectNumberGreaterThanLaunch Indicator = "track-object-number-greater-than-launch"
	TrueUCTInEclipse                   Indicator = "true-uct-in-eclipse"
	ObjectManeuveredCoverageGaps       Indicator = "object-maneuvered-coverage-gaps"
	PartnerSystemStimulatedObject      Indicator = "partner-system-stimulated-object"
	ClassAnalystsDisagreement          Indicator = "class-analysts-disagreement"
)

// Topic is the Welders Arc bus topic of the indicator, ss4.indicators.<name>.
func (i Indicator) Topic() string { return "ss4.indicators." + string(i) }

// Unsupported lists the indicators element-set data cannot support, each
// with the data it needs. They are reported, never invented.
var Unsupported = []struct {
	Indicator Indicator
	Needs     string
}{
	{ImagingManeuversPolViolations, "imaging-policy definitions and sensor tasking records"},
	{ManeuversRFPolOOF, "RF observations (emission pattern of the object)"},
	{ValidImagingManeuvers, "imaging-policy definitions and sensor tasking records"},
	{ObjectStable, "photometry (light-curve attitude stability)"},
	{RFDetected, "RF observations"},
	{OpticalRadarSignatureMismatch, "photometry and radar cross-section measurements"},
	{OpticalRadarSignatureOOF, "photometry and radar cross-section history"},
	{ObjectInHighRadiationEnvironment, "a trapped-radiation model (AE9/AP9) and space-weather data"},
	{ObjectNotInUNRegistry, "the UN register of objects launched into outer space"},
	{ViolatesITUFCCFilings, "ITU/FCC filing data"},
	{ObjectThreatFromKnownSite, "a list of known threat sites and their associations"},
	{TrackObjectNumberGreaterThanLaunch, "launch manifests (number of objects each launch released)"},
	{TrueUCTInEclipse, "sensor observations (uncorrelated tracks) with their times"},
	{ObjectManeuveredCoverageGaps, "sensor coverage and tasking records"},
	{PartnerSystemStimulatedObject, "partner-system activity records and sensor data"},
	{ClassAnalystsDisagreement, "analyst classification records"},
}

// Status says what an indicator found.
type Status string

// Statuses of a Finding.
const (
	StatusDetected     Status = "detected"          // the rule fired
	StatusNotDetected  Status = "not-detected"      // judged, and the rule did not fire
	StatusInsufficient Status = "insufficient-data" // could not be judged; Reason says why
)

// Quantity is one named number with its unit.
type Quantity struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"`
}

// Finding is the result of one indicator rule for one object (or pair).
type Finding struct {
	Indicator Indicator `json:"indicator"`
	Topic     string    `json:"topic"`
	Status    Status    `json:"status"`
	// Objects are the catalog numbers involved, the assessed object first.
	Objects []int `json:"objects"`
	// Time is when the finding applies (UTC): the event epoch, or the
	// assessment epoch for a state-based rule.
	Time time.Time `json:"time"`
	// Confidence in [0,1]: a monotone function of how far the evidence
	// passes the rule's threshold (not a calibrated probability); 0 unless
	// detected.
	Confidence float64 `json:"confidence"`
	// RuleID names the rule; Rule states it in words.
	RuleID string `json:"rule_id"`
	Rule   string `json:"rule"`
	// Pattern is a sub-classification where the rule has one (the
	// manoeuvre kind; the RPO pattern).
	Pattern    string     `json:"pattern,omitempty"`
	Thresholds []Quantity `json:"thresholds,omitempty"`
	Evidence   []Quantity `json:"evidence,omitempty"`
	// Reason explains insufficient data; Notes add context.
	Reason string   `json:"reason,omitempty"`
	Notes  []string `json:"notes,omitempty"`
}

func newFinding(ind Indicator, objects ...int) Finding {
	return Finding{Indicator: ind, Topic: ind.Topic(), Status: StatusNotDetected, Objects: objects}
}

func insufficientFinding(ind Indicator, at time.Time, rule, reason string, objects ...int) Finding {
	f := newFinding(ind, objects...)
	f.Status, f.Time, f.RuleID, f.Reason = StatusInsufficient, at, rule, "insufficient data: "+reason
	return f
}

// NotAssessed is an indicator that needs data this analysis does not have.
type NotAssessed struct {
	Indicator Indicator `json:"indicator"`
	Topic     string    `json:"topic"`
	Reason    string    `json:"reason"`
}

func notAssessed() []NotAssessed {
	out := make([]NotAssessed, len(Unsupported))
	for i, u := range Unsupported {
		out[i] = NotAssessed{u.Indicator, u.Indicator.Topic(), "insufficient data: needs " + u.Needs}
	}
	return out
}
