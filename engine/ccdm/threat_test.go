package ccdm

import (
	"strings"
	"testing"
	"time"
)

func TestAssess(t *testing.T) {
	at := t0.Add(100 * 24 * time.Hour)
	det := func(ind Indicator, pattern string, conf float64, when time.Time) Finding {
		f := newFinding(ind, 1)
		f.Status, f.Pattern, f.Confidence, f.Time = StatusDetected, pattern, conf, when
		return f
	}
	tests := []struct {
		name  string
		in    []Finding
		level Level
		score float64
	}{
		{"nothing", nil, LevelNone, 0},
		{"old manoeuvre does not count", []Finding{det(ManeuversDetected, "orbit-raise", 1, at.Add(-60*24*time.Hour))}, LevelNone, 0},
		{"recent station-keeping", []Finding{det(ManeuversDetected, "station-keeping", 1, at.Add(-time.Hour))}, LevelLow, 0.5},
		// Two manoeuvres of one kind count once (the most confident).
		{"recent raises once", []Finding{det(ManeuversDetected, "orbit-raise", 0.8, at.Add(-time.Hour)), det(ManeuversDetected, "orbit-raise", 1, at.Add(-2*time.Hour))}, LevelLow, 1.5},
		{"rendezvous and raise", []Finding{det(ProximityEvents, "rendezvous", 1, at), det(ManeuversDetected, "orbit-raise", 1, at.Add(-time.Hour))}, LevelHigh, 5.5},
		{"rendezvous, raise, sub-sats, oof", []Finding{det(ProximityEvents, "rendezvous", 1, at), det(ManeuversDetected, "orbit-raise", 1, at.Add(-time.Hour)),
			det(SubSatsDeployed, "", 1, at), det(OrbitOOF, "semi-major-axis", 1, at)}, LevelCritical, 10},
		{"not detected and insufficient do not count", []Finding{newFinding(OrbitOOF, 1), insufficientFinding(AMRChanges, at, "x", "y", 1)}, LevelNone, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Assess(tt.in, at, 30*24*time.Hour)
			if a.Level != tt.level || a.Score != tt.score {
				t.Errorf("level %s score %g, want %s %g (%+v)", a.Level, a.Score, tt.level, tt.score, a.Reasons)
			}
			sum := 0.0
			for _, r := range a.Reasons {
				sum += r.Contribution
				if r.Why == "" {
					t.Errorf("reason without explanation: %+v", r)
				}
			}
			if d := sum - a.Score; d > 1e-3 || d < -1e-3 {
				t.Errorf("reasons sum to %g, score %g", sum, a.Score)
			}
		})
	}
}

func TestIndicatorCatalogue(t *testing.T) {
	computed := []Indicator{ManeuversDetected, OrbitOOF, StabilityChanged, AMRChanges, AMROOF, ProximityEvents,
		ObjectInUnoccupiedOrbit, SubSatsDeployed, UnknownDebrisSMAHigherThanParent}
	seen := map[Indicator]bool{}
	for _, c := range computed {
		seen[c] = true
	}
	for _, u := range Unsupported {
		if seen[u.Indicator] {
			t.Errorf("%s both computed and unsupported", u.Indicator)
		}
		seen[u.Indicator] = true
		if u.Needs == "" {
			t.Errorf("%s: no reason", u.Indicator)
		}
	}
	// The SS4 catalogue has 25 indicators.
	if len(seen) != 25 {
		t.Errorf("%d indicators, want the 25 of the SS4 catalogue", len(seen))
	}
	if got := ManeuversDetected.Topic(); got != "ss4.indicators.maneuvers-detected" {
		t.Errorf("topic %q", got)
	}
	for _, w := range Weights {
		if !seen[w.Indicator] || w.Weight <= 0 || strings.TrimSpace(w.Why) == "" {
			t.Errorf("bad weight %+v", w)
		}
	}
}
