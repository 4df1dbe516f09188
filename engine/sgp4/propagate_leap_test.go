package sgp4

import (
	"math"
	"testing"
	"time"
)

// TestTsinceMinCountsLeapSeconds: one day across 1995-12-31T23:59:60 is
// 1440 minutes and one second of elapsed time; after 2017 a day is 1440.
func TestTsinceMinCountsLeapSeconds(t *testing.T) {
	e := time.Date(1995, 12, 31, 12, 0, 0, 0, time.UTC)
	if got, want := TsinceMin(e, e.Add(24*time.Hour)), 1440+1.0/60; math.Abs(got-want) > 1e-12 {
		t.Errorf("across the 1995 leap second: %.9f min, want %.9f", got, want)
	}
	e = time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)
	if got := TsinceMin(e, e.Add(24*time.Hour)); got != 1440 {
		t.Errorf("2022: %.9f min, want 1440", got)
	}
}
