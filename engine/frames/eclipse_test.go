package frames

import (
	"math"
	"testing"
	"time"
)

func TestEclipseConical(t *testing.T) {
	sun := [3]float64{AstronomicalUnitKm, 0, 0}
	re := WGS84EquatorialRadiusKm
	// Shadow geometry along the anti-Sun axis: the umbra's apex lies
	// re·d/(R☉ − re) behind the Earth (1.384e6 km at 1 AU).
	apex := re * AstronomicalUnitKm / (SunRadiusKm - re)
	// For a satellite at radius r seen at angle θ from the anti-Sun axis, the
	// Earth's limb crosses the Sun's centre when θ ≈ asin(re/r) (the Sun
	// being 2e4 times farther than the satellite); the fraction is then ~½.
	onLimb := func(r float64) [3]float64 {
		th := math.Asin(re / r)
		return [3]float64{-r * math.Cos(th), r * math.Sin(th), 0}
	}
	sunAng := math.Asin(SunRadiusKm / AstronomicalUnitKm)
	atAngle := func(r, th float64) [3]float64 { return [3]float64{-r * math.Cos(th), 0, r * math.Sin(th)} }
	tests := []struct {
		name    string
		sat     [3]float64
		state   Illumination
		frac    float64
		fracTol float64
	}{
		{"directly behind Earth (LEO)", [3]float64{-7000, 0, 0}, Umbra, 0, 0},
		{"directly behind Earth (GEO)", [3]float64{-42164, 0, 0}, Umbra, 0, 0},
		{"sub-solar side", [3]float64{7000, 0, 0}, Sunlit, 1, 0},
		{"terminator plane, outside shadow", [3]float64{0, 7000, 0}, Sunlit, 1, 0},
		{"inside the Earth", [3]float64{100, 0, 0}, Umbra, 0, 0},
		{"on the limb line at LEO", onLimb(7000), Penumbra, 0.5, 0.02},
		{"on the limb line at GEO", onLimb(42164), Penumbra, 0.5, 0.02},
		// θ = asin(re/r) ∓ (a + margin): fully inside / outside the penumbra.
		{"just inside umbra edge (GEO)", atAngle(42164, math.Asin(re/42164)-sunAng-2e-4), Umbra, 0, 0},
		{"just outside penumbra (GEO)", atAngle(42164, math.Asin(re/42164)+sunAng+2e-4), Sunlit, 1, 0},
		// Before the umbra's apex on the axis: umbra; beyond it: annular.
		{"on axis before umbra apex", [3]float64{-0.95 * apex, 0, 0}, Umbra, 0, 0},
		{
			// Beyond the apex the Earth's disc (radius b) sits inside the
			// Sun's (radius a): sunlit fraction 1 − b²/a².
			name: "on axis beyond umbra apex (annular)", sat: [3]float64{-1.2 * apex, 0, 0}, state: Penumbra,
			frac:    1 - math.Pow(math.Asin(re/(1.2*apex))/math.Asin(SunRadiusKm/(AstronomicalUnitKm+1.2*apex)), 2),
			fracTol: 1e-12,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, f := EclipseConical(tc.sat, sun)
			if st != tc.state {
				t.Errorf("state = %s, want %s (fraction %.4f)", st, tc.state, f)
			}
			if math.Abs(f-tc.frac) > tc.fracTol {
				t.Errorf("sunlit fraction = %.6f, want %.6f ± %g", f, tc.frac, tc.fracTol)
			}
		})
	}
}

// TestEclipsePenumbraMonotonic sweeps a GEO satellite out of the shadow: the
// state must go umbra → penumbra → sunlit once each and the fraction must
// rise monotonically from 0 to 1 across a penumbra whose angular width is the
// Sun's apparent diameter (to 2 %).
func TestEclipsePenumbraMonotonic(t *testing.T) {
	sun := [3]float64{AstronomicalUnitKm, 0, 0}
	const r = 42164.0
	prevF, prevState := -1.0, Umbra
	var enter, leave float64
	for th := 0.0; th < 0.3; th += 1e-6 {
		st, f := EclipseConical([3]float64{-r * math.Cos(th), r * math.Sin(th), 0}, sun)
		if f < prevF-1e-12 {
			t.Fatalf("fraction fell from %.9f to %.9f at θ = %g", prevF, f, th)
		}
		if st > prevState { // Sunlit < Penumbra < Umbra
			t.Fatalf("state went back from %s to %s at θ = %g", prevState, st, th)
		}
		if st == Penumbra && prevState == Umbra {
			enter = th
		}
		if st == Sunlit && prevState == Penumbra {
			leave = th
		}
		prevF, prevState = f, st
	}
	if prevState != Sunlit || prevF != 1 {
		t.Fatalf("sweep ended %s with fraction %g", prevState, prevF)
	}
	// The penumbra seen from the satellite spans 2a of separation angle;
	// as the satellite moves on its circle, θ changes by ≈ 2a·(1 + r/d)
	// → 2a to 3e-4 relative; allow 2 %.
	want := 2 * math.Asin(SunRadiusKm/AstronomicalUnitKm)
	if got := leave - enter; math.Abs(got-want) > 0.02*want {
		t.Errorf("penumbra width %.6g rad, want %.6g", got, want)
	}
}

// TestEclipseSeasons uses the real Sun: a GEO satellite at local midnight is
// eclipsed at the equinoxes and sunlit at the solstices.
func TestEclipseSeasons(t *testing.T) {
	tests := []struct {
		name  string
		t     time.Time
		state Illumination
	}{
		{"March equinox 2024", time.Date(2024, 3, 20, 3, 6, 0, 0, time.UTC), Umbra},
		{"September equinox 2024", time.Date(2024, 9, 22, 12, 44, 0, 0, time.UTC), Umbra},
		{"June solstice 2024", time.Date(2024, 6, 20, 20, 51, 0, 0, time.UTC), Sunlit},
		{"December solstice 2024", time.Date(2024, 12, 21, 9, 20, 0, 0, time.UTC), Sunlit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := SunPositionTEMEKm(tc.t)
			// GEO in the equatorial plane opposite the Sun's right ascension.
			ra := math.Atan2(s[1], s[0])
			sat := [3]float64{-42164 * math.Cos(ra), -42164 * math.Sin(ra), 0}
			if st, f := EclipseConical(sat, s); st != tc.state {
				t.Errorf("state = %s (fraction %.3f), want %s", st, f, tc.state)
			}
		})
	}
}

func TestEclipseNonFinite(t *testing.T) {
	st, f := EclipseConical([3]float64{math.NaN(), 0, 0}, [3]float64{AstronomicalUnitKm, 0, 0})
	if !math.IsNaN(f) {
		t.Errorf("NaN input gave %s, %g; want NaN fraction", st, f)
	}
	if s := Illumination(9).String(); s != "unknown" {
		t.Errorf("Illumination(9).String() = %q", s)
	}
}
