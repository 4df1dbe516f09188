package ccdm

import (
	"testing"
	"time"
)

// TOPEX/Poseidon left its reference orbit in August–September 2002 for the
// interleaved tandem orbit with Jason-1: a +0.9 km raise on 2002-08-19
// (operator file) to drift in phase, lowered again on 2002-09-11. Between
// the two the semi-major axis is out of its decade-long family; before,
// it is in family.
func TestTOPEXTandemMoveIsOutOfFamily(t *testing.T) {
	sets := readTLE(t, "catalog", "history", "maneuver_benchmark_shorten2023", "TOPEX.tle")
	tests := []struct {
		at   time.Time
		want Status
	}{
		{time.Date(2002, 6, 1, 0, 0, 0, 0, time.UTC), StatusNotDetected},
		{time.Date(2002, 8, 25, 0, 0, 0, 0, time.UTC), StatusDetected},
	}
	for _, tt := range tests {
		cfg := DefaultConfig()
		cfg.At = tt.at
		rep, err := Analyze(t.Context(), sets, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		f := find(rep.Findings, OrbitOOF)
		if len(f) != 1 || f[0].Status != tt.want {
			t.Fatalf("%s: orbit-oof %+v, want %s", tt.at.Format(time.DateOnly), f, tt.want)
		}
		if tt.want == StatusDetected && f[0].Pattern != "semi-major-axis" {
			t.Errorf("pattern %q", f[0].Pattern)
		}
		t.Logf("%s: %s %v", tt.at.Format(time.DateOnly), f[0].Status, f[0].Evidence[:3])
	}
}
