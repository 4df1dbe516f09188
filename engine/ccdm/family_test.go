package ccdm

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/maneuver"
)

func TestOrbitOOFConstructed(t *testing.T) {
	const a0 = 7000.0
	decay := func(d float64) float64 { return a0 - 0.01*d }
	tests := []struct {
		name    string
		sma     func(float64) float64
		want    Status
		pattern string
	}{
		{"steady decay stays in family", decay, StatusNotDetected, ""},
		// A 3 km raise in the last two days against a 30 m family.
		{"raise at the end", func(d float64) float64 {
			if d >= 148 {
				return decay(d) + 3
			}
			return decay(d)
		}, StatusDetected, "semi-major-axis"},
		// 0.1 km is 3σ-plus but below the 0.2 km size floor.
		{"small step below floor", func(d float64) float64 {
			if d >= 148 {
				return decay(d) + 0.1
			}
			return decay(d)
		}, StatusNotDetected, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sets := synth(90001, 150, tt.sma, constant(1e-4), 0.01, 51.6)
			f := orbitOOF(sets, sets[len(sets)-1].Epoch, maneuver.RegimeLEO, DefaultConfig())
			if f.Status != tt.want || f.Pattern != tt.pattern {
				t.Fatalf("status %s pattern %q, want %s %q; evidence %v", f.Status, f.Pattern, tt.want, tt.pattern, f.Evidence)
			}
			if f.Status == StatusDetected && !(f.Confidence > 0.5) {
				t.Errorf("confidence %.2f", f.Confidence)
			}
		})
	}
	short := synth(90001, 5, decay, constant(1e-4), 0.01, 51.6)
	if f := orbitOOF(short, short[4].Epoch, maneuver.RegimeLEO, DefaultConfig()); f.Status != StatusInsufficient || f.Reason == "" {
		t.Errorf("5 sets: %s %q", f.Status, f.Reason)
	}
}

func TestStabilityChangedConstructed(t *testing.T) {
	const a0 = 7000.0
	tests := []struct {
		name string
		sma  func(float64) float64
		want Status
	}{
		{"same decay", func(d float64) float64 { return a0 - 0.02*d }, StatusNotDetected},
		// Decay ten times faster in the last 30 days (e.g. attitude change).
		{"decay rate x10", func(d float64) float64 {
			if d < 120 {
				return a0 - 0.02*d
			}
			return a0 - 0.02*120 - 0.2*(d-120)
		}, StatusDetected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sets := synth(90002, 150, tt.sma, constant(1e-4), 0.01, 51.6)
			f := stabilityChanged(sets, nil, sets[len(sets)-1].Epoch, maneuver.RegimeLEO, DefaultConfig())
			if f.Status != tt.want {
				t.Fatalf("status %s, want %s; evidence %v", f.Status, tt.want, f.Evidence)
			}
		})
	}
}

func TestAMRConstructed(t *testing.T) {
	step := func(d float64) float64 {
		if d >= 125 {
			return 3e-4
		}
		return 1e-4
	}
	tests := []struct {
		name         string
		bstar        func(float64) float64
		sma          float64
		change, oof  Status
		changeSymbol string
	}{
		{"steady", constant(1e-4), 6900, StatusNotDetected, StatusNotDetected, ""},
		// The last set is also 3× the 150-day family median: amr-oof fires too.
		{"tripled", step, 6900, StatusDetected, StatusDetected, "increase"},
		{"GEO has no drag", constant(1e-4), 42164, StatusInsufficient, StatusInsufficient, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sets := synth(90003, 150, constant(tt.sma), tt.bstar, 0.01, 51.6)
			if tt.sma > 40000 {
				for i := range sets {
					sets[i].InclinationDeg = 0.05
				}
			}
			ch, oof := amrChanges(sets, sets[len(sets)-1].Epoch, DefaultConfig())
			if ch.Status != tt.change || oof.Status != tt.oof || ch.Pattern != tt.changeSymbol {
				t.Fatalf("change %s %q, oof %s; want %s %q, %s; %v", ch.Status, ch.Pattern, oof.Status, tt.change, tt.changeSymbol, tt.oof, ch.Evidence)
			}
		})
	}
	// A single outlier at the end is an amr-oof, not a change of the median.
	sets := synth(90003, 150, constant(6900), constant(1e-4), 0.01, 51.6)
	sets[149].BStarPerEarthRadius = 5e-4
	ch, oof := amrChanges(sets, sets[149].Epoch, DefaultConfig())
	if ch.Status != StatusNotDetected || oof.Status != StatusDetected {
		t.Errorf("last-set outlier: change %s, oof %s", ch.Status, oof.Status)
	}
}

// The ISS reboosts are routine for the ISS: its orbit stays in family at a
// quiet epoch, and the 2021-11-10 reboost (+1.5 km) shows as a manoeuvre.
func TestISSIndicators(t *testing.T) {
	sets := readTLE(t, "catalog", "history", "iss_25544_3le_2021-01-01_to_2022-03-03.txt")
	rep, err := Analyze(t.Context(), sets, nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	mans := find(rep.Findings, ManeuversDetected)
	raises := 0
	for _, f := range mans {
		if dv, _ := evidence(f, "delta-sma"); f.Status == StatusDetected && dv > 0.3 {
			raises++
		}
	}
	if raises < 11 {
		t.Errorf("%d raises > 0.3 km detected, want ≥ 11 (README lists 12 jumps, two of them one reboost)", raises)
	}
	// Quiet epoch: 2021-10-01, a week and more from any reboost.
	cfg := DefaultConfig()
	cfg.At = time.Date(2021, 10, 1, 0, 0, 0, 0, time.UTC)
	q, err := Analyze(t.Context(), sets, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f := find(q.Findings, OrbitOOF); len(f) != 1 || f[0].Status != StatusNotDetected {
		t.Errorf("quiet ISS orbit-oof: %+v", f)
	}
	if f := find(q.Findings, AMRChanges); len(f) != 1 || f[0].Status == StatusInsufficient {
		t.Errorf("ISS B* should be judged: %+v", f)
	}
	for _, f := range find(q.Findings, ManeuversDetected) {
		if f.Time.After(cfg.At) {
			t.Errorf("manoeuvre at %s after the assessment epoch", f.Time)
		}
	}
	if len(q.NotAssessed) != len(Unsupported) {
		t.Errorf("%d not assessed", len(q.NotAssessed))
	}
	t.Logf("quiet ISS threat %s score %.2f reasons %+v", q.Threat.Level, q.Threat.Score, q.Threat.Reasons)
}

// A history whose B* is zero throughout (common for element sets fitted
// without drag) gives undefined ratios; the report must still encode.
func TestZeroBStarReportEncodes(t *testing.T) {
	sets := synth(90004, 150, constant(6900), constant(0), 0.01, 51.6)
	rep, err := Analyze(t.Context(), sets, nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Fatalf("encode: %v", err)
	}
	f := find(rep.Findings, AMRChanges)
	if len(f) != 1 || f[0].Status != StatusNotDetected {
		t.Errorf("zero B*: %+v", f)
	}
}
