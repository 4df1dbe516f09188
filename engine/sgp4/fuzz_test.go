package sgp4

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// FuzzNew feeds arbitrary element values through New and Propagate: nothing
// may panic, a success must be finite, and a failure must be an *Error with
// a known code.
func FuzzNew(f *testing.F) {
	seeds := []struct {
		n, e, i, raan, argp, m, bstar, tsince float64
		epochDays                             int64
	}{
		{15.5, 0.0003, 51.6, 300, 80, 350, 2e-5, 1440, 0},                                      // LEO
		{10.82419157, 0.1859667, 34.2682, 348.7242, 331.7664, 19.3264, 2.8098e-5, 4320, -7000}, // Vanguard
		{2.00491383, 0.6877146, 64.1586, 279.0717, 264.7651, 20.2257, 1.1873e-4, 2880, 2000},   // 12 h resonant
		{1.00270176, 0.0000335, 0.0019, 286.9433, 13.7918, 55.6504, 1e-4, -1440, 2000},         // GEO
		{0.07309491, 0.9728298, 28.749, 2.372, 30.436, 1.35, 1e-4, 1600, -4000},                // WIND
		{16.46015938, 0.0303955, 96.4736, 157.9986, 244.0492, 110.6523, 2.4476e-4, 60, 0},      // decaying
		{4.00004038, 0.995, 96.4736, 157.9986, 244.0492, 110.6523, 2.4476e-4, 25, 0},           // error 4
		{0.00001, 0.5602877, 68.4714, 236.1303, 123.7484, 302.5767, 1e-4, 0, 0},                // error 3
		{1e-12, 0, 180, 0, 0, 0, 0, 1e7, 0},
		{100, 0.99, 0, -720, 1e6, -1e6, -0.5, -1e8, 0},
	}
	for _, s := range seeds {
		f.Add(s.n, s.e, s.i, s.raan, s.argp, s.m, s.bstar, s.tsince, s.epochDays)
	}
	base := time.Date(2020, 6, 25, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, n, e, i, raan, argp, m, bstar, tsince float64, epochDays int64) {
		if tsince > 1e6 || tsince < -1e6 {
			tsince = math.Mod(tsince, 1e6) // keep the resonance integrator's work bounded
		}
		es := gp.ElementSet{
			CatalogNumber:       1,
			Epoch:               base.Add(time.Duration(epochDays%40000) * 24 * time.Hour),
			MeanMotionRevPerDay: n,
			Eccentricity:        e,
			InclinationDeg:      i,
			RAANDeg:             raan,
			ArgPerigeeDeg:       argp,
			MeanAnomalyDeg:      m,
			BStarPerEarthRadius: bstar,
		}
		for _, opts := range [][]Option{nil, {WithOpsMode(OpsAFSPC), WithGravity(WGS84)}} {
			s, err := New(es, opts...)
			if err != nil {
				checkFuzzErr(t, err)
				continue
			}
			for _, ts := range []float64{0, tsince} {
				r, v, err := s.Propagate(ts)
				if err != nil {
					checkFuzzErr(t, err)
					if r != ([3]float64{}) || v != ([3]float64{}) {
						t.Fatalf("error %v with non-zero state %v %v", err, r, v)
					}
					continue
				}
				for k := range 3 {
					if math.IsNaN(r[k]) || math.IsInf(r[k], 0) || math.IsNaN(v[k]) || math.IsInf(v[k], 0) {
						t.Fatalf("%+v at %g min: non-finite state %v %v without an error", es, ts, r, v)
					}
				}
			}
		}
	})
}

func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	var serr *Error
	if !errors.As(err, &serr) {
		t.Fatalf("error %v is not an *Error", err)
	}
	switch serr.Code {
	case CodeEccentricity, CodeMeanMotion, CodePerturbedEccentricity, CodeSemiLatusRectum, CodeDecayed, CodeInvalid:
	default:
		t.Fatalf("unknown code %d in %v", serr.Code, err)
	}
	if !errors.Is(err, serr.Code.sentinel()) || serr.Error() == "" {
		t.Fatalf("%v does not match its sentinel", err)
	}
}
