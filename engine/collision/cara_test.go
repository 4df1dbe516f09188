package collision

import (
	"math"
	"os"
	"testing"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/internal/refdata"
)

// Oracles from NASA CARA (nasa/CARA_Analysis_Tools) and Alfano (2009), read
// from ../shared/testdata/pc: JSON cases, and real CDMs read with
// engine/ccsds.

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

// caraCDMCase is one row of cara_cdm_cases.json: a real operational CDM
// and CARA's answers for it.
type caraCDMCase struct {
	ID             string  `json:"Conjunction_ID"`
	Comment        string  `json:"Comment"`
	File           string  `json:"cdm_file"`
	HBRM           float64 `json:"HBR_m"`
	MissM          float64 `json:"MissDist_m"`
	VrelMS         float64 `json:"Vrel_mps"`
	Pc2D           float64 `json:"Pc2D"`
	Pc2DNoAdj      float64 `json:"Pc2D_NoAdj"`
	ViolationsPc2D int     `json:"ViolationsPc2D"`
}

// cdmObjects reads a CDM file of the reference set into two Objects with
// their RTN covariances, and the HBR from its COMMENT line.
func cdmObjects(t *testing.T, file string) (Object, Object, float64) {
	t.Helper()
	fh, err := os.Open(refdata.Path(t, "pc", file))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	cdm, err := ccsds.ParseCDM(fh)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	hbr, _ := cdm.HardBodyRadiusM()
	var objs [2]Object
	for i := range 2 {
		o := &cdm.Objects[i]
		cov := FullCovariance(FrameRTN, o.CovRTN6())
		objs[i] = Object{PositionKm: o.PositionKm, VelocityKmS: o.VelocityKmS, Covariance: &cov}
	}
	return objs[0], objs[1], hbr
}

// TestFoster1992CARACDMs checks Foster1992 on CARA's 27 real operational
// conjunctions: Pc2D within 1e-6 relative of CARA's value (log10 within
// 1e-6 below 1e-10), the miss distance and relative speed CARA reports,
// and that every case CARA flags as a 2D usage violation is flagged here
// too (our flag may be more cautious, never less).
func TestFoster1992CARACDMs(t *testing.T) {
	var f struct {
		Cases []caraCDMCase `json:"cases"`
	}
	readJSON(t, &f, "pc", "cara_cdm_cases.json")
	if len(f.Cases) < 20 {
		t.Fatalf("only %d CARA CDM cases", len(f.Cases))
	}
	flaggedByCARA, flaggedByBoth := 0, 0
	for _, c := range f.Cases {
		t.Run(c.ID, func(t *testing.T) {
			p, s, hbr := cdmObjects(t, c.File)
			if hbr != c.HBRM {
				t.Errorf("HBR from the CDM comment %g m, CARA used %g m", hbr, c.HBRM)
			}
			res, err := Compute(Request{Primary: p, Secondary: s, HardBodyRadiusM: c.HBRM})
			if err != nil {
				t.Fatal(err)
			}
			r := res[0]
			if ok, msg := pcClose(r.Pc, c.Pc2D, 1e-6, 1e-6); !ok {
				t.Errorf("Pc2D: %s", msg)
			}
			if e := relErr(r.RelativeSpeedMS, c.VrelMS); e > 1e-6 {
				t.Errorf("relative speed %.9g m/s, CARA %.9g (rel %.2g)", r.RelativeSpeedMS, c.VrelMS, e)
			}
			// CARA's MissDist_m is at the CDM's (rounded) TCA; ours in the
			// encounter plane at the true TCA: equal to well under a metre.
			if d := math.Abs(r.MissDistanceM - c.MissM); d > 0.5 {
				t.Errorf("miss distance %.4f m, CARA %.4f m", r.MissDistanceM, c.MissM)
			}
			if c.ViolationsPc2D != 0 {
				flaggedByCARA++
				if r.Flags.Violates2D {
					flaggedByBoth++
				} else {
					t.Errorf("CARA flags a 2D usage violation (%s); we did not", c.Comment)
				}
			}
		})
	}
	t.Logf("2D usage violations: CARA %d, also flagged here %d", flaggedByCARA, flaggedByBoth)
	if flaggedByCARA == 0 {
		t.Error("no CARA-flagged case in the set: the flag comparison is vacuous")
	}
}

// TestCDMSamples checks CARA's sample CDMs: Alfano cases as CDMs against
// Alfano's published linear Pc (1e-3 relative), and Omitron Test08, whose
// 2D Pc (2.27e-20) is far below its 3D value (1.93e-5): we must reproduce
// the 2D number and flag the 2D assumptions as violated.
func TestCDMSamples(t *testing.T) {
	var f struct {
		Cases []struct {
			File     string             `json:"cdm_file"`
			HBRM     float64            `json:"hbr_m"`
			Expected map[string]float64 `json:"expected"`
		} `json:"cases"`
	}
	readJSON(t, &f, "pc", "cdm_sample_cases.json")
	for _, c := range f.Cases {
		t.Run(c.File, func(t *testing.T) {
			p, s, _ := cdmObjects(t, c.File)
			res, err := Compute(Request{Primary: p, Secondary: s, HardBodyRadiusM: c.HBRM})
			if err != nil {
				t.Fatal(err)
			}
			r := res[0]
			checked := false
			if want, ok := c.Expected["alfano2009_pc_linear_100"]; ok {
				checked = true
				if ok, msg := pcClose(r.Pc, want, 1e-3, 1e-3); !ok {
					t.Errorf("vs Alfano linear: %s", msg)
				}
			}
			if want, ok := c.Expected["Pc2D_Foster_circle"]; ok {
				checked = true
				if ok, msg := pcClose(r.Pc, want, 1e-3, 1e-4); !ok {
					t.Errorf("vs CARA 2D: %s", msg)
				}
				if want3D := c.Expected["Pc3D_Hall"]; want3D > 1e3*r.Pc && !r.Flags.Violates2D {
					t.Errorf("3D Pc %g ≫ 2D Pc %g but no 2D usage violation flagged", want3D, r.Pc)
				}
			}
			if !checked {
				t.Fatalf("no known expectation in %v", c.Expected)
			}
		})
	}
}
