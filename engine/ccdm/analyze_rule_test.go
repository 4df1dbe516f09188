package ccdm

import (
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/maneuver"
)

// TestManeuverFindingNamesItsRule: a burn found by the along-track
// residuals carries that rule and threshold, one found by the mean-element
// step test its own.
func TestManeuverFindingNamesItsRule(t *testing.T) {
	at := time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	res := maneuver.Result{NORAD: 7, Regime: maneuver.RegimeLEO, SetsUsed: 100, Events: []maneuver.Event{
		{NORAD: 7, Epoch: at, Evidence: []maneuver.Evidence{{Element: maneuver.ElementSMA, Jump: 20, Noise: 1, Score: 20}}},
		{NORAD: 7, Epoch: at.Add(72 * time.Hour), Evidence: []maneuver.Evidence{
			{Element: maneuver.ElementAlongTrack, Jump: -2, Noise: 0.1, Score: 20}, {Element: maneuver.ElementSMA, Jump: 5, Noise: 2, Score: 2.5}}},
	}}
	fs := maneuverFindings(res, at)
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2", len(fs))
	}
	if fs[0].RuleID != "maneuvers.mean-element-step" {
		t.Errorf("step-test burn: rule %q", fs[0].RuleID)
	}
	if fs[1].RuleID != "maneuvers.along-track-residual" || len(fs[1].Thresholds) != 1 || fs[1].Thresholds[0].Value != maneuver.RegimeConfig(maneuver.RegimeLEO).AlongTrackThreshold {
		t.Errorf("along-track burn: rule %q thresholds %v", fs[1].RuleID, fs[1].Thresholds)
	}
}
