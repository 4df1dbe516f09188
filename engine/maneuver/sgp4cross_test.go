package maneuver

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// TestGEOCrossingAgreesWithOperatorTimes checks the reading of the CMA
// manoeuvre files (times in China Standard Time, UTC+8) against the
// element sets themselves: for every Fengyun burn, the SGP4 along-track
// crossing of the last set before it and the second set after it (where
// the crossing is sharp) must centre on the operator time converted to UTC
// — within ±3 h in the median — and not on the wall-clock time read as UTC,
// which is 8 h later. The first-order J2 crossing (crossing) is kept as
// the fallback only; it is several hours late at GEO.
func TestGEOCrossingAgreesWithOperatorTimes(t *testing.T) {
	for _, cs := range loadShorten(t) {
		if !strings.HasPrefix(cs.Name, "Fengyun") {
			continue
		}
		p, err := prepare(cs.History, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		sets := p.sets
		var off []float64
		for _, tt := range cs.OperatorTruth {
			i, _ := slices.BinarySearchFunc(sets, tt, func(e gp.ElementSet, t time.Time) int { return e.Epoch.Compare(t) })
			if i < 1 || i+1 >= len(sets) || sets[i+1].Epoch.Sub(sets[i-1].Epoch) > 4*24*time.Hour {
				continue
			}
			c, sig, ok := sgp4Crossing(&sets[i-1], &sets[i+1], tt, RegimeConfig(RegimeGEO).AlongTrackSigmaKm)
			if ok && sig < sharpCrossH {
				off = append(off, c.Sub(tt).Hours())
			}
		}
		if len(off) < 5 {
			t.Errorf("%s: %d sharp crossings, want at least 5", cs.Name, len(off))
			continue
		}
		med := median(off)
		t.Logf("%s: %d sharp crossings, median crossing − operator UTC %+.1f h", cs.Name, len(off), med)
		if med < -3 || med > 3 {
			t.Errorf("%s: median crossing − operator UTC %+.1f h, want within ±3 h", cs.Name, med)
		}
	}
}

func TestMergeSequences(t *testing.T) {
	h := func(x float64) time.Time { return t2020.Add(time.Duration(x * float64(time.Hour))) }
	var ev []Event
	for _, x := range []float64{0, 2, 5.9, 12, 30, 35.5, 42} {
		ev = append(ev, Event{Epoch: h(x)})
	}
	got := mergeSequences(ev)
	var hours []float64
	for _, e := range got {
		hours = append(hours, e.Epoch.Sub(t2020).Hours())
	}
	if want := []float64{0, 12, 30, 42}; !slices.Equal(hours, want) {
		t.Errorf("merged epochs %v h, want %v", hours, want)
	}
}
