package ccdm

import (
	"fmt"
	"slices"
	"time"
)

// Level is a threat level.
type Level string

// Threat levels, lowest first.
const (
	LevelNone     Level = "NONE"
	LevelLow      Level = "LOW"
	LevelMedium   Level = "MEDIUM"
	LevelHigh     Level = "HIGH"
	LevelCritical Level = "CRITICAL"
)

// Weight is the contribution of one detected indicator (or pattern) to the
// threat score: score = Σ weight · confidence over the detected findings,
// each indicator and pattern counted once (its most confident finding).
type Weight struct {
	Indicator Indicator
	Pattern   string // "" matches any pattern
	Weight    float64
	Why       string
}

// Weights is the documented weight table of the threat assessment. Routine
// station-keeping counts little; manoeuvres count only inside the recent
// window; proximity patterns that imply intent (rendezvous, inspection)
// count most.
var Weights = []Weight{
	{ProximityEvents, "rendezvous", 4, "closing on another object"},
	{ProximityEvents, "inspection", 4, "circling another object (natural-motion circumnavigation)"},
	{ProximityEvents, "repeated-approach", 2, "repeated close crossings of one object"},
	{ProximityEvents, "fly-by", 1.5, "slow co-orbital pass of another object"},
	{ProximityEvents, "lead", 1, "co-orbital with another object (ahead)"},
	{ProximityEvents, "trail", 1, "co-orbital with another object (behind)"},
	{ProximityEvents, "co-orbital", 1, "co-orbital with another object"},
	{ProximityEvents, "co-located", 0.5, "shares its orbit within a few km (docked or formation)"},
	{SubSatsDeployed, "", 2.5, "objects of its launch appeared near it"},
	{OrbitOOF, "", 2, "orbit outside its own history's family"},
	{ManeuversDetected, "station-keeping", 0.5, "recent station-keeping manoeuvre"},
	{ManeuversDetected, "", 1.5, "recent non-routine manoeuvre"},
	{StabilityChanged, "", 1.5, "orbital behaviour changed"},
	{UnknownDebrisSMAHigherThanParent, "", 1.5, "debris of its launch above it"},
	{AMRChanges, "", 1, "area-to-mass (B*) changed"},
	{AMROOF, "", 0.5, "B* outlier"},
	{ObjectInUnoccupiedOrbit, "", 1, "alone in its orbit regime"},
}

// Level thresholds on the score: below 0.5 NONE, below 2 LOW, below 4
// MEDIUM, below 6 HIGH, else CRITICAL.
var levelBounds = []struct {
	below float64
	level Level
}{{0.5, LevelNone}, {2, LevelLow}, {4, LevelMedium}, {6, LevelHigh}}

// Reason is one contribution to the threat score.
type Reason struct {
	Indicator    Indicator `json:"indicator"`
	Pattern      string    `json:"pattern,omitempty"`
	Weight       float64   `json:"weight"`
	Confidence   float64   `json:"confidence"`
	Contribution float64   `json:"contribution"`
	Why          string    `json:"why"`
	Time         time.Time `json:"time"`
	Objects      []int     `json:"objects"`
}

// Assessment is the combined threat level.
type Assessment struct {
	Level   Level    `json:"level"`
	Score   float64  `json:"score"`
	Reasons []Reason `json:"reasons"`
	// CCDMTypes are the ss4.ccdm.detection categories the reasons fall in.
	CCDMTypes []string `json:"ccdm_types"`
	// Method states the weights and bounds in words.
	Method string `json:"method"`
	// NotAssessed counts indicators that could not be judged (insufficient
	// data), which could only raise the level.
	NotAssessed int `json:"not_assessed"`
}

func weightFor(f Finding) (Weight, bool) {
	for _, w := range Weights {
		if w.Indicator == f.Indicator && (w.Pattern == "" || w.Pattern == f.Pattern) {
			return w, true
		}
	}
	return Weight{}, false
}

var ccdmType = map[Indicator]string{
	ManeuversDetected: "MANEUVERING", OrbitOOF: "MANEUVERING", StabilityChanged: "MANEUVERING", ProximityEvents: "MANEUVERING",
	AMRChanges: "DECEPTION", AMROOF: "DECEPTION", SubSatsDeployed: "DECEPTION", UnknownDebrisSMAHigherThanParent: "DECEPTION",
	ObjectInUnoccupiedOrbit: "CONCEALMENT",
}

// Assess combines findings into a threat level. Manoeuvres count only when
// their epoch is within recent of at; every other indicator is a statement
// about the state at the assessment epoch.
func Assess(findings []Finding, at time.Time, recent time.Duration) Assessment {
	a := Assessment{Level: LevelNone, Reasons: []Reason{}, CCDMTypes: []string{}}
	best := map[string]Reason{}
	for _, f := range findings {
		if f.Status == StatusInsufficient {
			a.NotAssessed++
			continue
		}
		if f.Status != StatusDetected {
			continue
		}
		if f.Indicator == ManeuversDetected && (f.Time.Before(at.Add(-recent)) || f.Time.After(at)) {
			continue
		}
		w, ok := weightFor(f)
		if !ok {
			continue
		}
		key := string(w.Indicator) + "/" + w.Pattern
		r := Reason{Indicator: f.Indicator, Pattern: f.Pattern, Weight: w.Weight, Confidence: f.Confidence,
			Contribution: w.Weight * f.Confidence, Why: w.Why, Time: f.Time, Objects: f.Objects}
		if old, ok := best[key]; !ok || r.Contribution > old.Contribution {
			best[key] = r
		}
	}
	for _, r := range best {
		a.Reasons = append(a.Reasons, r)
		a.Score += r.Contribution
		if t := ccdmType[r.Indicator]; t != "" && !slices.Contains(a.CCDMTypes, t) {
			a.CCDMTypes = append(a.CCDMTypes, t)
		}
	}
	slices.SortFunc(a.Reasons, func(x, y Reason) int {
		switch {
		case x.Contribution > y.Contribution:
			return -1
		case x.Contribution < y.Contribution:
			return 1
		}
		return 0
	})
	slices.Sort(a.CCDMTypes)
	if len(a.CCDMTypes) > 1 {
		a.CCDMTypes = append(a.CCDMTypes, "MULTIPLE")
	}
	a.Score = round(a.Score, 3)
	a.Level = LevelCritical
	for _, b := range levelBounds {
		if a.Score < b.below {
			a.Level = b.level
			break
		}
	}
	a.Method = fmt.Sprintf("score = Σ weight·confidence over detected indicators (each indicator/pattern once; manoeuvres only within %.0f days); NONE < 0.5 ≤ LOW < 2 ≤ MEDIUM < 4 ≤ HIGH < 6 ≤ CRITICAL; weights in engine/ccdm.Weights",
		recent.Hours()/24)
	return a
}
