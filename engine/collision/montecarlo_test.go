package collision

import (
	"math"
	"testing"
)

// TestPc3DMonteCarloAlfano2009 runs the Monte Carlo check on Alfano's
// 2009 cases from the states at TCA with two-body motion over Alfano's time
// window.
//
//   - Where relative motion is linear (cases 3 and 5) it must agree with
//     CARA's 1e8-trial Monte Carlo within the combined sampling error.
//   - Case 1 is the slow GEO encounter where the 2D assumptions fail (Pc2D
//     0.147, true ≈ 0.217): Monte Carlo must move at least 20% away from the
//     2D value in the same direction as CARA's, and the 2D usage check must
//     flag the case. Our estimate (≈0.201) is still 7% below CARA's and
//     Alfano's; the cause (their sampling epoch and window are not fully
//     published) is open and recorded in the package doc.
func TestPc3DMonteCarloAlfano2009(t *testing.T) {
	if testing.Short() {
		t.Skip("Monte Carlo trials take seconds")
	}
	const samples = 200_000
	cases := map[string]bool{"alfano2009_case01": false, "alfano2009_case03": true, "alfano2009_case05": true}
	seen := 0
	for _, c := range loadAlfano(t) {
		linear, ok := cases[c.ID]
		if !ok {
			continue
		}
		seen++
		t.Run(c.ID, func(t *testing.T) {
			want := float64(c.Expected["cara_pc_monte_carlo"])
			p, s := c.objects()
			w := c.MCTimeWindowS / 2
			mc, err := Pc3DMonteCarlo(p, s, c.HBRM, MonteCarloOptions{Samples: samples, Seed: 1, WindowStartS: -w, WindowEndS: w})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Compute(Request{Primary: p, Secondary: s, HardBodyRadiusM: c.HBRM})
			if err != nil {
				t.Fatal(err)
			}
			pc2d := res[0].Pc
			t.Logf("MC %.5f [%.5f, %.5f] over ±%.0f s; CARA MC %.5f; 2D %.5f", mc.Pc, mc.Lo95, mc.Hi95, w, want, pc2d)
			if !(mc.Lo95 <= mc.Pc && mc.Pc <= mc.Hi95) {
				t.Errorf("interval [%g, %g] does not contain %g", mc.Lo95, mc.Hi95, mc.Pc)
			}
			if linear {
				sigma := math.Sqrt(want*(1-want)/samples + want*(1-want)/1e8)
				if d := math.Abs(mc.Pc - want); d > 3.3*sigma {
					t.Errorf("Monte Carlo %.5f vs CARA %.5f: |Δ| %.2g > 3.3σ (%.2g)", mc.Pc, want, d, 3.3*sigma)
				}
				return
			}
			if (mc.Pc-pc2d)*(want-pc2d) <= 0 || math.Abs(mc.Pc-pc2d) < 0.2*pc2d {
				t.Errorf("Monte Carlo %.5f does not depart from 2D %.5f towards CARA's %.5f", mc.Pc, pc2d, want)
			}
			if !res[0].Flags.Violates2D {
				t.Error("2D assumptions fail here but no usage violation was flagged")
			}
		})
	}
	if seen != len(cases) {
		t.Fatalf("found %d of %d Alfano cases", seen, len(cases))
	}
}

// TestPc3DMonteCarloDeterministic: the same seed gives the same answer.
func TestPc3DMonteCarloDeterministic(t *testing.T) {
	c := loadAlfano(t)[1]
	p, s := c.objects()
	opt := MonteCarloOptions{Samples: 20_000, Seed: 42}
	a, err := Pc3DMonteCarlo(p, s, c.HBRM, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Pc3DMonteCarlo(p, s, c.HBRM, opt)
	if err != nil {
		t.Fatal(err)
	}
	if a.Hits != b.Hits || a.Pc != b.Pc {
		t.Errorf("same seed, different results: %d vs %d hits", a.Hits, b.Hits)
	}
	if a.Hits == 0 {
		t.Error("no hits on a Pc ≈ 0.1 case")
	}
}
