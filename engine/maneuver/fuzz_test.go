package maneuver

import (
	"math"
	"testing"
	"time"
)

// FuzzDetect runs the detector on synthetic LEO histories bent by the
// fuzzer: a burn of any size, one set with any semi-major-axis error, any
// B* on every set or on one, duplicated and shuffled sets, epoch gaps. It
// must return a result or an error, never panic, and what it returns must
// be sane: events in time order inside the history's span, finite Δv and
// evidence, confidence in [0, 1].
func FuzzDetect(f *testing.F) {
	f.Add(uint64(1), uint8(80), 20.0, uint8(40), 60.0, 1e-4, 5e-2, uint8(7), 0.0, uint8(0))
	f.Add(uint64(2), uint8(30), -2000.0, uint8(3), 0.0, 0.0, math.NaN(), uint8(200), 72.0, uint8(5))
	f.Add(uint64(3), uint8(200), 0.001, uint8(0), 1e9, -1e-3, math.Inf(1), uint8(100), 1e6, uint8(1))
	f.Fuzz(func(t *testing.T, seed uint64, days uint8, burnM float64, badIdx uint8, badM, bstar, bstarOne float64, oneIdx uint8, gapH float64, dups uint8) {
		leo := leoOrbit()
		burn := t2020.Add(time.Duration(days/2) * 24 * time.Hour)
		a := smaKm(leo.nRevDay) + burnM/1000
		if !(a > 6500 && a < 8000) {
			a = smaKm(leo.nRevDay)
		}
		h := history{start: t2020, days: int(days), segs: []orbit{leo, leo.burn(burn, nForSMA(a), leo.incDeg)}, smaNoiseM: 0.5, seed: seed, norad: 7,
			outliers: map[int]float64{int(badIdx): badM}}
		sets := h.sets()
		for i := range sets {
			sets[i].BStarPerEarthRadius = bstar
		}
		if k := int(oneIdx); k < len(sets) {
			sets[k].BStarPerEarthRadius = bstarOne
			if !math.IsNaN(gapH) && !math.IsInf(gapH, 0) && math.Abs(gapH) < 1e5 {
				sets[k].Epoch = sets[k].Epoch.Add(time.Duration(gapH * float64(time.Hour)))
			}
		}
		for i := 0; i < int(dups)%8 && i < len(sets); i++ {
			sets = append(sets, sets[(i*7)%len(sets)])
		}
		res, err := Detect(sets, DefaultConfig())
		if err != nil || len(sets) == 0 {
			return
		}
		if res.Status == StatusInsufficientData && len(res.Events) > 0 {
			t.Fatalf("insufficient data with %d events", len(res.Events))
		}
		first, last := sets[0].Epoch, sets[0].Epoch
		for _, s := range sets {
			if s.Epoch.Before(first) {
				first = s.Epoch
			}
			if s.Epoch.After(last) {
				last = s.Epoch
			}
		}
		for i, e := range res.Events {
			if i > 0 && e.Epoch.Before(res.Events[i-1].Epoch) {
				t.Fatalf("events out of order at %d", i)
			}
			if e.Epoch.Before(first.Add(-4*24*time.Hour)) || e.Epoch.After(last) {
				t.Fatalf("event at %v outside the history %v–%v", e.Epoch, first, last)
			}
			if math.IsNaN(e.DeltaVMS) || math.IsInf(e.DeltaVMS, 0) || e.DeltaVMS < 0 || math.IsNaN(e.DeltaSMAKm) {
				t.Fatalf("Δv %v Δa %v", e.DeltaVMS, e.DeltaSMAKm)
			}
			if !(e.Confidence >= 0 && e.Confidence <= 1) {
				t.Fatalf("confidence %v", e.Confidence)
			}
			for _, ev := range e.Evidence {
				if math.IsNaN(ev.Jump) || math.IsNaN(ev.Score) || math.IsInf(ev.Score, 0) {
					t.Fatalf("evidence %+v", ev)
				}
			}
		}
	})
}
