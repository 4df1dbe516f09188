package collision

import (
	"math"
	"math/rand/v2"
	"testing"
)

// isotropic returns an encounter with covariance σ²·I and miss (d, 0).
func isotropic(d, sigma float64) Encounter2D {
	return Encounter2D{MissM: [2]float64{d, 0}, CovM2: [2][2]float64{{sigma * sigma, 0}, {0, sigma * sigma}}}
}

func TestFoster1992Analytic(t *testing.T) {
	// Centred isotropic Gaussian: Pc = 1 − exp(−R²/2σ²) exactly.
	tests := []struct {
		name     string
		rOverSig float64
		relTol   float64
	}{
		{"tiny_hbr", 1e-4, 1e-12},
		{"small_hbr", 0.05, 1e-12},
		{"hbr_one_sigma", 1, 1e-12},
		{"hbr_three_sigma", 3, 1e-12},
		{"hbr_ten_sigma", 10, 1e-14},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const sigma = 250.0
			r := tc.rOverSig * sigma
			got, err := Foster1992(isotropic(0, sigma), r)
			if err != nil {
				t.Fatal(err)
			}
			want := -math.Expm1(-r * r / (2 * sigma * sigma))
			if e := relErr(got, want); e > tc.relTol {
				t.Errorf("got %.17g want %.17g rel err %.2g", got, want, e)
			}
		})
	}
}

func TestFoster1992SmallHBRLimit(t *testing.T) {
	// For R ≪ σ, Pc → πR²·N(miss; 0, C): the density at the miss times the disk area.
	e := Encounter2D{MissM: [2]float64{300, -120}, CovM2: [2][2]float64{{9e4, 1.5e4}, {1.5e4, 1.6e4}}}
	const r = 0.01
	got, err := Foster1992(e, r)
	if err != nil {
		t.Fatal(err)
	}
	c := e.CovM2
	det := c[0][0]*c[1][1] - c[0][1]*c[1][0]
	x, z := e.MissM[0], e.MissM[1]
	md2 := (x*x*c[1][1] - 2*x*z*c[0][1] + z*z*c[0][0]) / det
	want := math.Pi * r * r * math.Exp(-md2/2) / (2 * math.Pi * math.Sqrt(det))
	if e := relErr(got, want); e > 1e-8 {
		t.Errorf("got %.15g want %.15g rel err %.2g", got, want, e)
	}
}

// swappedFoster integrates the same probability the other way round (x
// analytic with erf, z numerically) with a fixed composite GK15 rule of many
// panels: an independent check of fosterPrincipal's adaptive scheme.
func swappedFoster(g PlaneGeometry, r float64, panels int) float64 {
	xm, zm, sx, sz := g.MissMajorM, g.MissMinorM, g.SigmaMajorM, g.SigmaMinorM
	zlo, zhi := math.Max(zm-r, -40*sz), math.Min(zm+r, 40*sz)
	if !(zhi > zlo) {
		return 0
	}
	tlo, thi := math.Asin(clampUnit((zlo-zm)/r)), math.Asin(clampUnit((zhi-zm)/r))
	f := func(t float64) float64 {
		st, ct := math.Sincos(t)
		z := zm + r*st
		w := r * ct
		return ct * math.Exp(-z*z/(2*sz*sz)) * erfDiff((xm+w)/(math.Sqrt2*sx), (xm-w)/(math.Sqrt2*sx))
	}
	sum := 0.0
	h := (thi - tlo) / float64(panels)
	for i := range panels {
		v, _ := gk15(f, tlo+float64(i)*h, tlo+float64(i+1)*h)
		sum += v
	}
	return sum * r / (2 * math.Sqrt(2*math.Pi) * sz)
}

func TestFoster1992CrossCheck(t *testing.T) {
	tests := []struct {
		name   string
		e      Encounter2D
		hbrM   float64
		relTol float64
	}{
		{"typical_cdm", Encounter2D{[2]float64{1274.55, 0}, [2][2]float64{{6.75e5, 2.1e3}, {2.1e3, 25.7}}}, 10, 1e-10},
		{"elongated_hbr_3km", Encounter2D{[2]float64{19168, 0}, [2][2]float64{{1.518e10, 1.0e6}, {1.0e6, 420}}}, 3000, 1e-10},
		{"elongated_hbr_30km", Encounter2D{[2]float64{19168, 0}, [2][2]float64{{1.518e10, 1.0e6}, {1.0e6, 420}}}, 30000, 1e-10},
		{"disk_covers_covariance", Encounter2D{[2]float64{20, 5}, [2][2]float64{{4, 1}, {1, 2}}}, 100, 1e-12},
		{"disk_edge_through_mean", Encounter2D{[2]float64{100, 0}, [2][2]float64{{4, 0}, {0, 1}}}, 100, 1e-10},
		{"far_tail_1e-68", Encounter2D{[2]float64{5000, 300}, [2][2]float64{{2.5e5, 0}, {0, 400}}}, 20, 1e-10},
		{"aspect_1e6", Encounter2D{[2]float64{50, 3}, [2][2]float64{{1e12, 0}, {0, 1}}}, 10, 1e-10},
		{"hbr_equals_minor_sigma", Encounter2D{[2]float64{300, 40}, [2][2]float64{{9e4, 0}, {0, 100}}}, 10, 1e-10},
		{"miss_inside_disk", Encounter2D{[2]float64{3, 1}, [2][2]float64{{2.5e3, 300}, {300, 90}}}, 8, 1e-10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := tc.e.principal(tc.hbrM)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Foster1992(tc.e, tc.hbrM)
			if err != nil {
				t.Fatal(err)
			}
			want := swappedFoster(g, tc.hbrM, 4000)
			if !(want > 0) {
				t.Fatalf("reference integral %g", want)
			}
			if e := relErr(got, want); e > tc.relTol {
				t.Errorf("got %.15g want %.15g rel err %.2g (tol %.0g)", got, want, e, tc.relTol)
			}
		})
	}
}

func TestFoster1992EdgeCases(t *testing.T) {
	e := Encounter2D{MissM: [2]float64{100, 0}, CovM2: [2][2]float64{{1e4, 0}, {0, 1e2}}}
	tests := []struct {
		name    string
		e       Encounter2D
		hbrM    float64
		want    float64
		wantErr bool
	}{
		{"zero_hbr", e, 0, 0, false},
		{"infinite_hbr", e, math.Inf(1), 1, false},
		{"negative_hbr", e, -1, 0, true},
		{"nan_hbr", e, math.NaN(), 0, true},
		{"nan_miss", Encounter2D{MissM: [2]float64{math.NaN(), 0}, CovM2: e.CovM2}, 10, 0, true},
		{"inf_cov", Encounter2D{MissM: e.MissM, CovM2: [2][2]float64{{math.Inf(1), 0}, {0, 1}}}, 10, 0, true},
		// All-zero covariance: clipped to (1e-4·R)², so the disk either
		// contains the miss (Pc 1) or not (Pc 0).
		{"zero_cov_miss_outside", Encounter2D{MissM: [2]float64{100, 0}}, 10, 0, false},
		{"zero_cov_miss_inside", Encounter2D{MissM: [2]float64{5, 0}}, 10, 1, false},
		{"negative_definite_cov", Encounter2D{MissM: [2]float64{5, 0}, CovM2: [2][2]float64{{-1, 0}, {0, -1}}}, 10, 1, false},
		{"huge_miss", Encounter2D{MissM: [2]float64{1e300, 1e300}, CovM2: e.CovM2}, 10, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Foster1992(tc.e, tc.hbrM)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("no error, Pc %g", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("got %g want %g", got, tc.want)
			}
		})
	}
}

// No input makes the 2D methods return NaN, leave [0, 1], or panic.
func TestPcNeverNaN(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	pick := func() float64 {
		switch rng.IntN(8) {
		case 0:
			return 0
		case 1:
			return math.Pow(10, rng.Float64()*600-300)
		case 2:
			return -math.Pow(10, rng.Float64()*40-20)
		default:
			return math.Pow(10, rng.Float64()*12-4)
		}
	}
	for i := range 3000 {
		off := pick() * (rng.Float64() - 0.5)
		e := Encounter2D{MissM: [2]float64{pick(), pick()}, CovM2: [2][2]float64{{pick(), off}, {off, pick()}}}
		hbr := math.Abs(pick())
		for name, fn := range map[string]func(Encounter2D, float64) (float64, error){"foster": Foster1992, "chan": Chan1997} {
			pc, err := fn(e, hbr)
			if err != nil {
				continue
			}
			if math.IsNaN(pc) || pc < 0 || pc > 1 {
				t.Fatalf("%s(%+v, %g) = %g", name, e, hbr, pc)
			}
		}
		if i%10 != 0 {
			continue
		}
		if pc, _, err := Alfano2005MaxPcScaled(e, hbr); err == nil && (math.IsNaN(pc) || pc < 0 || pc > 1) {
			t.Fatalf("Alfano2005MaxPcScaled(%+v, %g) = %g", e, hbr, pc)
		}
	}
}

func FuzzFoster1992(f *testing.F) {
	f.Add(1274.5, 0.0, 6.75e5, 2.1e3, 25.7, 10.0)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 1.0)
	f.Add(19168.0, 0.0, 1.518e10, 1e6, 420.0, 3000.0)
	f.Add(1e300, -1e300, 1e-300, 0.0, 1e300, 1e-300)
	f.Fuzz(func(t *testing.T, x, z, a, b, c, hbr float64) {
		e := Encounter2D{MissM: [2]float64{x, z}, CovM2: [2][2]float64{{a, b}, {b, c}}}
		for _, fn := range []func(Encounter2D, float64) (float64, error){Foster1992, Chan1997} {
			pc, err := fn(e, hbr)
			if err == nil && (math.IsNaN(pc) || pc < 0 || pc > 1) {
				t.Fatalf("Pc = %g for %+v hbr %g", pc, e, hbr)
			}
		}
	})
}
