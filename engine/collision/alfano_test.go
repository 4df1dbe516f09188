package collision

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAlfano2005MaxPc(t *testing.T) {
	tests := []struct {
		name       string
		missM, r   float64
		want       float64
		relTol     float64
		wantSigmaM float64 // 0: not checked
	}{
		// R ≪ d: Pc_max → √(2/(πe))·R/d = 0.48394·R/d.
		{"small_hbr_limit", 1e5, 1, math.Sqrt(2/(math.Pi*math.E)) * 1e-5, 1e-9, 1e5},
		{"miss_inside_disk", 5, 10, 1, 0, 0},
		{"miss_on_disk_edge", 10, 10, 1, 0, 0},
		{"zero_hbr", 100, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, s, err := Alfano2005MaxPc(tc.missM, tc.r)
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(got, tc.want); e > tc.relTol {
				t.Errorf("got %.12g want %.12g rel %.2g", got, tc.want, e)
			}
			if tc.wantSigmaM != 0 && relErr(s, tc.wantSigmaM) > 1e-6 {
				t.Errorf("sigma %g want %g", s, tc.wantSigmaM)
			}
		})
	}
	if _, _, err := Alfano2005MaxPc(math.NaN(), 1); err == nil {
		t.Error("NaN miss accepted")
	}
	if _, _, err := Alfano2005MaxPc(10, -1); err == nil {
		t.Error("negative HBR accepted")
	}
}

// The bound holds: no covariance gives a larger Foster Pc, and it is
// attained by the thin Gaussian along the miss with the returned sigma.
func TestAlfano2005MaxPcIsABound(t *testing.T) {
	const d, r = 800.0, 15.0
	bound, s, err := Alfano2005MaxPc(d, r)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	worst := 0.0
	for range 2000 {
		s1 := math.Pow(10, rng.Float64()*5)
		s2 := s1 * math.Pow(10, -rng.Float64()*4)
		th := rng.Float64() * math.Pi
		c, sn := math.Cos(th), math.Sin(th)
		e := Encounter2D{MissM: [2]float64{d, 0}, CovM2: [2][2]float64{
			{s1*s1*c*c + s2*s2*sn*sn, (s1*s1 - s2*s2) * c * sn},
			{(s1*s1 - s2*s2) * c * sn, s1*s1*sn*sn + s2*s2*c*c},
		}}
		pc, err := Foster1992(e, r)
		if err != nil {
			t.Fatal(err)
		}
		worst = math.Max(worst, pc)
		if pc > bound*(1+1e-9) {
			t.Fatalf("Foster %g exceeds the Alfano bound %g (σ %g, %g, θ %g)", pc, bound, s1, s2, th)
		}
	}
	// A 1e-5 aspect-ratio covariance along the miss at the worst sigma comes
	// within 1e-3 of the bound.
	thin := Encounter2D{MissM: [2]float64{d, 0}, CovM2: [2][2]float64{{s * s, 0}, {0, 1e-10 * s * s}}}
	pc, _ := Foster1992(thin, r)
	if e := relErr(pc, bound); e > 1e-3 {
		t.Errorf("thin covariance at the worst sigma: %g vs bound %g", pc, bound)
	}
	if worst < 0.2*bound {
		t.Errorf("random covariances never came near the bound (%g vs %g): test not exercising it", worst, bound)
	}
}

func TestAlfano2005MaxPcScaled(t *testing.T) {
	// Isotropic covariance, small HBR: Pc(σ) ≈ R²/(2σ²)·exp(−d²/2σ²), largest
	// at σ² = d²/2 with Pc = R²/(e·d²).
	const d, r, sigma = 1000.0, 1.0, 300.0
	e := isotropic(d, sigma)
	got, k, err := Alfano2005MaxPcScaled(e, r)
	if err != nil {
		t.Fatal(err)
	}
	want := r * r / (math.E * d * d)
	if rel := relErr(got, want); rel > 1e-5 {
		t.Errorf("max Pc %g want %g rel %g", got, want, rel)
	}
	if kWant := d / math.Sqrt2 / sigma; relErr(k, kWant) > 1e-3 {
		t.Errorf("scale %g want %g", k, kWant)
	}
	// Scaled maximum ≥ the Pc at k = 1 and ≤ the shape-free bound.
	pc1, _ := Foster1992(e, r)
	bound, _, _ := Alfano2005MaxPc(d, r)
	if got < pc1 || got > bound {
		t.Errorf("scaled max %g not within [%g, %g]", got, pc1, bound)
	}
}
