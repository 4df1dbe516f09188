package collision

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestEig2Sym(t *testing.T) {
	tests := []struct {
		name    string
		a, b, c float64
	}{
		{"diagonal", 4, 0, 1},
		{"diagonal_swapped", 1, 0, 4},
		{"isotropic", 2, 0, 2},
		{"correlated", 9.9e4, 2.1e3, 45},
		{"elongated_1e16", 1e16, 0, 1},
		{"near_singular", 1e8, 9999.99995, 1},
		{"indefinite", 1, 3, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l1, l2, vx, vy := eig2Sym(tc.a, tc.b, tc.c)
			if l1 < l2 {
				t.Fatalf("l1 %g < l2 %g", l1, l2)
			}
			if d := math.Abs(math.Hypot(vx, vy) - 1); d > 1e-15 {
				t.Errorf("eigenvector not unit: %g", d)
			}
			// A·v = l1·v, relative to the matrix norm.
			norm := math.Abs(tc.a) + math.Abs(tc.b) + math.Abs(tc.c)
			rx := tc.a*vx + tc.b*vy - l1*vx
			ry := tc.b*vx + tc.c*vy - l1*vy
			if r := math.Hypot(rx, ry) / norm; r > 1e-14 {
				t.Errorf("residual %g", r)
			}
			// Trace and determinant, l2 relative to itself where the
			// determinant is well conditioned.
			if d := math.Abs(l1+l2-tc.a-tc.c) / norm; d > 1e-14 {
				t.Errorf("trace mismatch %g", d)
			}
		})
	}
	// The small eigenvalue of diag(1e16, 1) must be 1, not lost to cancellation.
	if _, l2, _, _ := eig2Sym(1e16, 0, 1); math.Abs(l2-1) > 1e-15 {
		t.Errorf("l2 of diag(1e16,1) = %g, want 1", l2)
	}
}

func TestJacobiEig(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n := 3
		if trial%2 == 1 {
			n = 6
		}
		var a mat6
		for i := range n {
			for j := 0; j <= i; j++ {
				v := rng.NormFloat64() * math.Pow(10, float64(rng.IntN(6)))
				a[i][j], a[j][i] = v, v
			}
		}
		vals, v := jacobiEig(a, n)
		norm := 0.0
		for i := range n {
			for j := range n {
				norm = math.Max(norm, math.Abs(a[i][j]))
			}
		}
		for i := range n {
			for j := range n {
				s := 0.0
				for k := range n {
					s += v[i][k] * vals[k] * v[j][k]
				}
				if d := math.Abs(s-a[i][j]) / norm; d > 1e-13 {
					t.Fatalf("trial %d n %d: reconstruction error %g at (%d,%d)", trial, n, d, i, j)
				}
				o := 0.0
				for k := range n {
					o += v[k][i] * v[k][j]
				}
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(o-want) > 1e-13 {
					t.Fatalf("trial %d: eigenvectors not orthonormal (%d,%d) %g", trial, i, j, o)
				}
			}
		}
	}
}

func TestRTNToInertial(t *testing.T) {
	r := [3]float64{6678, 120, -300}
	v := [3]float64{0.1, 7.5, 1.2}
	m, err := RTNToInertial(r, v)
	if err != nil {
		t.Fatal(err)
	}
	rh, _ := unit3(r)
	hh, _ := unit3(cross3(r, v))
	for i := range 3 {
		if math.Abs(m[i][0]-rh[i]) > 1e-15 || math.Abs(m[i][2]-hh[i]) > 1e-15 {
			t.Fatalf("R or N column wrong: %v", m)
		}
	}
	// Orthonormal, right-handed, and T along the velocity's horizontal part.
	mt := mul3(transpose3(m), m)
	for i := range 3 {
		for j := range 3 {
			want := 0.0
			if i == j {
				want = 1
			}
			if math.Abs(mt[i][j]-want) > 1e-15 {
				t.Fatalf("not orthonormal: %v", mt)
			}
		}
	}
	col := func(k int) vec3 { return vec3{m[0][k], m[1][k], m[2][k]} }
	if d := norm3(sub3(cross3(col(0), col(1)), col(2))); d > 1e-15 {
		t.Errorf("not right-handed: %g", d)
	}
	if dot3(col(1), v) <= 0 {
		t.Error("T not along the velocity")
	}
	for _, bad := range []struct{ r, v [3]float64 }{{[3]float64{}, v}, {r, r}} {
		if _, err := RTNToInertial(bad.r, bad.v); err == nil {
			t.Errorf("RTNToInertial(%v, %v) accepted a degenerate state", bad.r, bad.v)
		}
	}
}

func TestCovarianceRoundTrip(t *testing.T) {
	r := [3]float64{-6711.9, 2115.9, 596.9}
	v := [3]float64{-3.633, -8.343, 1.529}
	var m [6][6]float64
	rng := rand.New(rand.NewPCG(3, 4))
	var l [6][6]float64
	for i := range 6 {
		for j := 0; j <= i; j++ {
			l[i][j] = rng.NormFloat64()
		}
	}
	for i := range 6 {
		for j := range 6 {
			for k := range 6 {
				m[i][j] += l[i][k] * l[j][k]
			}
		}
	}
	c := FullCovariance(FrameRTN, m)
	ci, err := c.ToInertial(r, v)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ci.ToRTN(r, v)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		for j := range 6 {
			if d := math.Abs(back.M[i][j] - m[i][j]); d > 1e-13*(1+math.Abs(m[i][j])) {
				t.Fatalf("round trip (%d,%d): %g vs %g", i, j, back.M[i][j], m[i][j])
			}
		}
	}
	// Radial variance maps onto the position direction.
	pc := PositionCovariance(FrameRTN, [3][3]float64{{100, 0, 0}, {0, 0, 0}, {0, 0, 0}})
	pi, _ := pc.ToInertial(r, v)
	rh, _ := unit3(r)
	if got := quadForm3(rh, posBlock(pi.M), rh); math.Abs(got-100) > 1e-12 {
		t.Errorf("radial variance in inertial frame: got %g want 100", got)
	}
	bad := Covariance{Frame: FrameRTN, Dim: 4}
	if _, err := bad.ToInertial(r, v); err == nil {
		t.Error("dimension 4 accepted")
	}
	bad = PositionCovariance(FrameInertial, [3][3]float64{{math.NaN(), 0, 0}, {0, 1, 0}, {0, 0, 1}})
	if _, err := bad.ToRTN(r, v); err == nil {
		t.Error("NaN covariance accepted")
	}
}

func TestDefaultCovarianceTLE(t *testing.T) {
	tests := []struct {
		name      string
		age       time.Duration
		sigmaTKm  float64
		sigmaRNKm float64
	}{
		{"at_epoch", 0, 1, 0.2},
		{"one_day", 24 * time.Hour, 3, 0.6},
		{"negative_age", -36 * time.Hour, 4, 0.8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultCovarianceTLE(tc.age)
			if !c.IsDefault || c.Frame != FrameRTN || c.Dim != 3 {
				t.Fatalf("bad metadata %+v", c)
			}
			if got := math.Sqrt(c.M[1][1]) / 1000; math.Abs(got-tc.sigmaTKm) > 1e-12 {
				t.Errorf("sigma T = %g km, want %g", got, tc.sigmaTKm)
			}
			if got := math.Sqrt(c.M[0][0]) / 1000; math.Abs(got-tc.sigmaRNKm) > 1e-12 {
				t.Errorf("sigma R = %g km, want %g", got, tc.sigmaRNKm)
			}
			if c.M[2][2] != c.M[0][0] || c.M[0][1] != 0 {
				t.Errorf("unexpected structure %v", c.M)
			}
		})
	}
}
