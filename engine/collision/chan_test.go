package collision

import (
	"math"
	"testing"
)

// Chan's own examples (F. K. Chan, "Spacecraft Collision Probability",
// Aerospace Press 2008; the same twelve cases and 4-digit values are used by
// Orekit's Chan1997Test): miss (xm, zm) along axes with sigmas (σx, σz).
func TestChan1997Published(t *testing.T) {
	tests := []struct {
		name               string
		xm, zm, sx, sz, rM float64
		want               float64
	}{
		{"chan_01", 0, 10, 25, 50, 5, 9.754e-3},
		{"chan_02", 10, 0, 25, 50, 5, 9.189e-3},
		{"chan_03", 0, 10, 25, 75, 5, 6.586e-3},
		{"chan_04", 10, 0, 25, 75, 5, 6.135e-3},
		{"chan_05", 0, 1000, 1000, 3000, 10, 1.577e-5},
		{"chan_06", 1000, 0, 1000, 3000, 10, 1.011e-5},
		{"chan_07", 0, 10000, 1000, 3000, 10, 6.443e-8},
		{"chan_08", 10000, 0, 1000, 3000, 10, 3.216e-27},
		{"chan_09", 0, 10000, 1000, 10000, 10, 3.033e-6},
		{"chan_10", 10000, 0, 1000, 10000, 10, 9.645e-28},
		{"chan_11", 0, 5000, 1000, 3000, 50, 1.039e-4},
		{"chan_12", 5000, 0, 1000, 3000, 50, 1.556e-9},
	}
	compared := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := Encounter2D{MissM: [2]float64{tc.xm, tc.zm}, CovM2: [2][2]float64{{tc.sx * tc.sx, 0}, {0, tc.sz * tc.sz}}}
			got, err := Chan1997(e, tc.rM)
			if err != nil {
				t.Fatal(err)
			}
			// Four significant digits: half a unit in the last place.
			if e := relErr(got, tc.want); e > 5.1e-4 {
				t.Errorf("got %.6g want %.4g rel err %.2g", got, tc.want, e)
			}
			compared++
		})
	}
	if compared != 12 {
		t.Errorf("compared %d cases, want 12", compared)
	}
}

// For an isotropic covariance Chan's series is exact, so it must agree with
// the independent Foster integral, including deep tails and the branch that
// evaluates large non-centralities as an isotropic disk integral.
func TestChan1997IsotropicEqualsFoster(t *testing.T) {
	tests := []struct {
		name            string
		missM, sigma, r float64
	}{
		{"centred", 0, 100, 10},
		{"one_sigma", 100, 100, 10},
		{"five_sigma", 500, 100, 10},
		{"hbr_three_sigma", 150, 50, 150},
		{"tail_1e-100", 2150, 100, 10},
		{"series_limit_lambda_1900", 6164, 100, 30},
		{"beyond_series_lambda_5000", 10000, 100, 800},
		{"miss_inside_big_disk", 50, 1, 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := isotropic(tc.missM, tc.sigma)
			c, err := Chan1997(e, tc.r)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Foster1992(e, tc.r)
			if err != nil {
				t.Fatal(err)
			}
			if ok, msg := pcClose(c, f, 1e-9, 1e-9); !ok {
				t.Errorf("chan vs foster: %s", msg)
			}
		})
	}
}

// Chan's equal-area approximation departs from Foster for elongated
// covariances with an HBR comparable to the minor sigma; the result must
// still be a probability, and near-isotropic cases stay close.
func TestChan1997Anisotropic(t *testing.T) {
	near := Encounter2D{MissM: [2]float64{120, 40}, CovM2: [2][2]float64{{1.1e4, 0}, {0, 0.9e4}}}
	c, _ := Chan1997(near, 5)
	f, _ := Foster1992(near, 5)
	if e := relErr(c, f); e > 1e-3 {
		t.Errorf("near-isotropic: chan %g foster %g rel %g", c, f, e)
	}
	far := Encounter2D{MissM: [2]float64{1000, 20}, CovM2: [2][2]float64{{1e6, 0}, {0, 4}}}
	c, _ = Chan1997(far, 10)
	f, _ = Foster1992(far, 10)
	if !(c >= 0 && c <= 1) || math.Abs(c-f) < 1e-3*f {
		t.Errorf("elongated: chan %g foster %g (expected a visible approximation error)", c, f)
	}
}
