package brent

import (
	"errors"
	"math"
	"testing"
)

func TestRoot(t *testing.T) {
	tests := []struct {
		name string
		f    func(float64) float64
		a, b float64
		want float64
		tol  float64
	}{
		{"linear", func(x float64) float64 { return 2*x - 1 }, 0, 3, 0.5, 1e-12},
		{"cubic", func(x float64) float64 { return x*x*x - 2*x - 5 }, 2, 3, 2.0945514815423265, 1e-12},
		{"cos", math.Cos, 0, 3, math.Pi / 2, 1e-10},
		{"flat near root", func(x float64) float64 { return math.Pow(x-1, 3) }, 0, 3, 1, 1e-4},
		{"root at a", func(x float64) float64 { return x }, 0, 1, 0, 0},
		{"root at b", func(x float64) float64 { return x - 1 }, 0, 1, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			f := func(x float64) (float64, error) { calls++; return tc.f(x), nil }
			got, err := Root(f, tc.a, tc.b, tc.f(tc.a), tc.f(tc.b), tc.tol)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tc.want) > max(tc.tol, 1e-15) {
				t.Errorf("root %.17g, want %.17g (±%g)", got, tc.want, tc.tol)
			}
			if calls > 100 {
				t.Errorf("%d evaluations", calls)
			}
		})
	}
}

func TestRootStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Root(func(x float64) (float64, error) { return 0, boom }, 0, 1, -1, 1, 1e-9)
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
}
