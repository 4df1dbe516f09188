package collision

import (
	"math"
	"testing"
)

// The G7-K15 constants are typed from tables; integrating monomials exactly
// (K15 to degree 22, G7 to degree 13) catches any transcription error.
func TestGK15Monomials(t *testing.T) {
	exact := func(k int) float64 { // ∫_{-1}^{1} x^k dx
		if k%2 == 1 {
			return 0
		}
		return 2 / float64(k+1)
	}
	for k := 0; k <= 22; k++ {
		f := func(x float64) float64 { return math.Pow(x, float64(k)) }
		got, _ := gk15(f, -1, 1)
		if d := math.Abs(got - exact(k)); d > 2e-15 {
			t.Errorf("K15 ∫x^%d = %.17g, want %.17g (diff %.2g)", k, got, exact(k), d)
		}
		// G7 alone.
		g := gkWeightsG[3] * f(0)
		for j := range 3 {
			x := gkNodes[2*j+1]
			g += gkWeightsG[j] * (f(x) + f(-x))
		}
		if k <= 13 {
			if d := math.Abs(g - exact(k)); d > 2e-15 {
				t.Errorf("G7 ∫x^%d = %.17g, want %.17g", k, g, exact(k))
			}
		}
	}
	// Degree 24 must not be exact for K15 (the test can fail).
	f := func(x float64) float64 { return math.Pow(x, 24) }
	if got, _ := gk15(f, -1, 1); math.Abs(got-exact(24)) < 1e-12 {
		t.Errorf("K15 unexpectedly exact for x^24")
	}
}

func TestIntegrate(t *testing.T) {
	tests := []struct {
		name   string
		f      func(float64) float64
		breaks []float64
		want   float64
		relTol float64
	}{
		{"gaussian", func(x float64) float64 { return math.Exp(-x * x) }, []float64{-6, 6}, math.Sqrt(math.Pi) * math.Erf(6), 1e-13},
		{"narrow_gaussian_with_break", func(x float64) float64 { return math.Exp(-x * x / 2e-6) }, []float64{-1, 0, 1}, math.Sqrt(2e-6*math.Pi) * math.Erf(1/math.Sqrt(2e-6)), 1e-12},
		{"sqrt_endpoint", func(x float64) float64 { return math.Sqrt(1 - x*x) }, []float64{-1, 1}, math.Pi / 2, 1e-8},
		{"oscillatory", func(x float64) float64 { return math.Cos(50 * x) }, []float64{0, math.Pi / 4}, math.Sin(50*math.Pi/4) / 50, 1e-12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, est := integrate(tc.f, tc.breaks, 1e-13, 0)
			if e := relErr(got, tc.want); e > tc.relTol {
				t.Errorf("got %.17g want %.17g rel err %.2g (est %.2g)", got, tc.want, e, est)
			}
		})
	}
}
