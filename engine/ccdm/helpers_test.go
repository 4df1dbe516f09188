package ccdm

import (
	"math"
	"os"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/internal/refdata"
	"github.com/astroshield/astroshield/engine/tle"
)

var t0 = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)

// nForSMA is the mean motion (rev/day) of a semi-major axis (km).
func nForSMA(aKm float64) float64 {
	return math.Sqrt(muKm3S2/(aKm*aKm*aKm)) * 86400 / (2 * math.Pi)
}

// jitter is a deterministic, zero-mean sequence in [−1, 1] (a fixed
// irrational rotation), standing in for element-set noise in constructed
// histories.
func jitter(i int, k float64) float64 {
	x := math.Mod(float64(i)*0.6180339887*k+0.3*k, 1)
	return 2*x - 1
}

// synth builds a daily history of a near-circular orbit: sma(day) and
// bstar(day) give the values, noise is added to the semi-major axis (km).
func synth(norad int, nDays int, sma, bstar func(d float64) float64, smaNoiseKm, incDeg float64) []gp.ElementSet {
	var out []gp.ElementSet
	for i := 0; i < nDays; i++ {
		d := float64(i)
		a := sma(d) + smaNoiseKm*jitter(i, 1)
		out = append(out, gp.ElementSet{
			CatalogNumber: norad, IntlDesignator: "22001A", Name: "TEST", Classification: 'U',
			Epoch:               t0.Add(time.Duration(d * 24 * float64(time.Hour))),
			MeanMotionRevPerDay: nForSMA(a), Eccentricity: 0.001 + 2e-6*jitter(i, 3), InclinationDeg: incDeg + 1e-4*jitter(i, 5),
			RAANDeg: math.Mod(100-5*d, 360) + 360, ArgPerigeeDeg: 90, MeanAnomalyDeg: math.Mod(37*d, 360),
			BStarPerEarthRadius: bstar(d) * (1 + 0.05*jitter(i, 7)), ElementSetNumber: 999,
		})
		for out[len(out)-1].RAANDeg >= 360 {
			out[len(out)-1].RAANDeg -= 360
		}
	}
	return out
}

func constant(v float64) func(float64) float64 { return func(float64) float64 { return v } }

func readTLE(tb testing.TB, elem ...string) []gp.ElementSet {
	tb.Helper()
	f, err := os.Open(refdata.Path(tb, elem...))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sets, err := tle.ReadAll(f, tle.Options{})
	if err != nil && len(sets) == 0 {
		tb.Fatal(err)
	}
	return sets
}

func find(fs []Finding, ind Indicator) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Indicator == ind {
			out = append(out, f)
		}
	}
	return out
}

func evidence(f Finding, name string) (float64, bool) {
	for _, q := range f.Evidence {
		if q.Name == name {
			return q.Value, true
		}
	}
	return 0, false
}
