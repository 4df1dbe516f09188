package collision

import (
	"math"
	"testing"
)

// Oracles from NASA CARA (nasa/CARA_Analysis_Tools) and Alfano (2009), read
// from ../shared/testdata/pc (JSON files; the CDM-based cases are in
// cdm_test.go).

func TestFoster1992Alfano2009(t *testing.T) {
	cases := loadAlfano(t)
	compared := 0
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			p, s := c.objects()
			res, err := Compute(Request{Primary: p, Secondary: s, HardBodyRadiusM: c.HBRM})
			if err != nil {
				t.Fatal(err)
			}
			pc := res[0].Pc
			// CARA Pc2D_Foster; an independent dblquad reproduced it to 1e-7.
			if ok, msg := pcClose(pc, float64(c.Expected["cara_pc2d_foster"]), 1e-6, 0); !ok {
				t.Errorf("vs CARA Pc2D_Foster: %s", msg)
			}
			// Alfano's published linear (100-point) value, CARA's unit-test tolerance.
			if ok, msg := pcClose(pc, float64(c.Expected["alfano2009_pc_linear_100"]), 1e-3, 0); !ok {
				t.Errorf("vs Alfano 2009 linear: %s", msg)
			}
			compared++
		})
	}
	if compared != 6 {
		t.Errorf("compared %d Alfano cases, want 6", compared)
	}
}

// cara64 is CARA PcCircle's default rule as its documentation describes it:
// 64-point Gauss–Chebyshev quadrature of the same 1D integral, i.e. the
// midpoint rule in θ over the whole disk. Reproducing CARA's printed values
// with it shows where they carry quadrature error of their own.
func cara64(g PlaneGeometry, r float64) float64 {
	const n = 64
	sum := 0.0
	for i := 1; i <= n; i++ {
		th := float64(i) * math.Pi / (n + 1)
		st, ct := math.Sincos(th)
		x := g.MissMajorM + r*ct
		h := r * st
		sum += st * math.Exp(-x*x/(2*g.SigmaMajorM*g.SigmaMajorM)) *
			erfDiff((g.MissMinorM+h)/(math.Sqrt2*g.SigmaMinorM), (g.MissMinorM-h)/(math.Sqrt2*g.SigmaMinorM))
	}
	return sum * math.Pi / (n + 1) * r / (2 * math.Sqrt(2*math.Pi) * g.SigmaMajorM)
}

// unadjusted is the encounter with the miss set to |r| at the stated TCA, as
// CARA's PcCircle uses it (it does not project r into the encounter plane).
func unadjusted(e *Encounter) Encounter2D {
	p := e.Plane
	p.MissM = [2]float64{norm3(e.RelPositionM), 0}
	return p
}

func TestFoster1992CARAUnitVectors(t *testing.T) {
	cases := loadUnitVectors(t)
	get := func(t *testing.T, id string) unitVectorCase {
		c, ok := cases[id]
		if !ok {
			t.Fatalf("case %s missing", id)
		}
		return c
	}
	t.Run("omitron_case1", func(t *testing.T) {
		c := get(t, "cara_omitron_case1")
		p, s := c.objects(1, 1e6) // km, km/s, km²
		e, err := NewEncounter(p, s)
		if err != nil {
			t.Fatal(err)
		}
		hbrM := float64(c.HBR) * 1000
		want := expectFloat(t, c.Expected, "PcCircle_default")
		// The states are 4.4e-5 s from the true TCA; with |r| as the miss
		// (what PcCircle does) the two integrators agree to rounding.
		got, err := Foster1992(unadjusted(e), hbrM)
		if err != nil {
			t.Fatal(err)
		}
		if ok, msg := pcClose(got, want, 1e-12, 0); !ok {
			t.Errorf("unadjusted vs PcCircle: %s", msg)
		}
		// The projected (true-TCA) miss moves Pc by 1.9e-8.
		got, _ = Foster1992(e.Plane, hbrM)
		if ok, msg := pcClose(got, want, 1e-7, 0); !ok {
			t.Errorf("vs PcCircle: %s", msg)
		}
		// Pc2D_Foster (quad2d) with its own 1e-3 tolerance.
		if ok, msg := pcClose(got, expectFloat(t, c.Expected, "Pc2D_Foster_circle"), 1e-3, 0); !ok {
			t.Errorf("vs Pc2D_Foster: %s", msg)
		}
	})
	t.Run("npd_covariance", func(t *testing.T) {
		c := get(t, "cara_npd_covariance")
		p, s := c.objects(1e-3, 1)
		res, err := Compute(Request{Primary: p, Secondary: s, HardBodyRadiusM: float64(c.HBR), Methods: []Method{MethodFoster, MethodChan}})
		if err != nil {
			t.Fatal(err)
		}
		want := expectFloat(t, c.Expected, "PcCircle")
		for _, r := range res {
			if r.Pc != want {
				t.Errorf("%s Pc = %g, want %g", r.Method, r.Pc, want)
			}
			if !r.Usage.NPDSecondary || r.Usage.NPDPrimary {
				t.Errorf("%s: NPD flags primary %v secondary %v, want false true", r.Method, r.Usage.NPDPrimary, r.Usage.NPDSecondary)
			}
			if !r.Flags.NPDRemediated || !r.Flags.Violates2D {
				t.Errorf("%s: flags %+v, want NPD remediation and a 2D violation", r.Method, r.Flags)
			}
		}
	})
	t.Run("hbr_sweep", func(t *testing.T) {
		c := get(t, "cara_multi_hbr_sweep")
		p, s := c.objects(1e-3, 1)
		e, err := NewEncounter(p, s)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := c.Expected["PcCircle_per_hbr"].([]any)
		if len(raw) != len(c.HBRList) || len(raw) != 8 {
			t.Fatalf("%d expected values for %d HBRs, want 8", len(raw), len(c.HBRList))
		}
		compared := 0
		for i, h := range c.HBRList {
			hbr := float64(h)
			want, _ := raw[i].(float64)
			got, err := Foster1992(e.Plane, hbr)
			if err != nil {
				t.Fatalf("HBR %g: %v", hbr, err)
			}
			// CARA's values come from its 64-point rule, which is converged
			// for HBR ≤ 100 m (our value agrees to 1e-8) but not when the
			// 3–30 km disk spans the 18 m minor sigma (errors up to 3e-4).
			// There we check that the 64-point rule on our geometry
			// reproduces CARA to 1e-8, and that our value is far closer to
			// the converged integral (TestFoster1992CrossCheck) than CARA's.
			tol := 1e-8
			if hbr >= 1000 && !math.IsInf(hbr, 1) {
				tol = 5e-4
				g, _ := e.Plane.principal(hbr)
				if ok, msg := pcClose(cara64(g, hbr), want, 1e-8, 0); !ok {
					t.Errorf("HBR %g m, 64-point rule vs CARA: %s", hbr, msg)
				}
				ref := swappedFoster(g, hbr, 4000)
				if relErr(got, ref) > 1e-9 || relErr(got, ref) > 0.01*relErr(want, ref) {
					t.Errorf("HBR %g m: ours %g, CARA %g, reference %g", hbr, got, want, ref)
				}
			}
			if ok, msg := pcClose(got, want, tol, 1e-8); !ok {
				t.Errorf("HBR %g m: %s", hbr, msg)
			}
			compared++
		}
		if compared != 8 {
			t.Errorf("compared %d HBR values, want 8", compared)
		}
	})
}
