package frames

import (
	"errors"
	"math"
	"testing"
)

func TestGeodeticECEFKm(t *testing.T) {
	// Oracle: python3-skyfield 1.45, wgs84.latlon(latDeg, lonDeg,
	// elevation_m=h).itrs_xyz.km (WGS-84, a = 6378137 m, 1/f = 298.257223563).
	tests := []struct {
		name   string
		latDeg float64
		lonDeg float64
		hKm    float64
		want   [3]float64
		tolKm  float64
	}{
		{"Colorado Springs (Vallado site)", 39.007, -104.883, 2.102, [3]float64{-1275.104945105989, -4797.925191912856, 3994.2439508978982}, 1e-9},
		{"Sydney", -33.8688, 151.2093, 0.058, [3]float64{-4646.093477288302, 2553.22953581707, -3534.4047109103676}, 1e-9},
		{"Svalbard", 78.2232, 15.6267, 0.5, [3]float64{1257.7975095117445, 351.81528689283573, 6222.559520680177}, 1e-9},
		{"equator at Greenwich", 0, 0, 0, [3]float64{6378.137, 0, 0}, 1e-12},
		{"near north pole below ellipsoid", 89.9999, 45, -0.01, [3]float64{0.007897944695408466, 0.007897944695408464, 6356.742314235431}, 1e-9},
		{"GEO altitude, southern", -45.5, -170.25, 35786, [3]float64{-29133.890713006072, -5006.118010328773, -30050.849779256572}, 1e-8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := Geodetic{LatRad: tc.latDeg * deg, LonRad: tc.lonDeg * deg, HeightKm: tc.hKm}
			got := g.ECEFKm()
			if d := maxAbsDiff(got, tc.want); d > tc.tolKm {
				t.Errorf("ECEFKm = %.10f, want %.10f (max |Δ| %.3g km)", got, tc.want, d)
			}
			back := ECEFToGeodetic(tc.want)
			if d := math.Abs(back.LatRad - g.LatRad); d > 1e-12 {
				t.Errorf("ECEFToGeodetic lat = %.12f°, want %.12f°", back.LatRad/deg, tc.latDeg)
			}
			if d := math.Abs(back.LonRad - g.LonRad); d > 1e-12 {
				t.Errorf("ECEFToGeodetic lon = %.12f°, want %.12f°", back.LonRad/deg, tc.lonDeg)
			}
			if d := math.Abs(back.HeightKm - tc.hKm); d > tc.tolKm {
				t.Errorf("ECEFToGeodetic height = %.10f km, want %.10f", back.HeightKm, tc.hKm)
			}
		})
	}
}

// TestGeodeticRoundTrip runs geodetic → ECEF → geodetic → ECEF over a grid
// that includes both poles, the equator, the antimeridian and heights from
// 100 km below the ellipsoid to lunar distance; the position must come back
// within 1 µm (the requirement is 1 mm).
func TestGeodeticRoundTrip(t *testing.T) {
	heights := []float64{-100, -10, 0, 0.001, 1, 400, 2000, 20200, 35786, 384400}
	var worstKm, worstLatRad float64
	for _, h := range heights {
		for latDeg := -90.0; latDeg <= 90; latDeg += 2.5 {
			for lonDeg := -180.0; lonDeg < 180; lonDeg += 15 {
				g := Geodetic{LatRad: latDeg * deg, LonRad: lonDeg * deg, HeightKm: h}
				r := g.ECEFKm()
				back := ECEFToGeodetic(r)
				r2 := back.ECEFKm()
				d := norm(sub(r, r2))
				worstKm = math.Max(worstKm, d)
				worstLatRad = math.Max(worstLatRad, math.Abs(back.LatRad-g.LatRad))
				if d > 1e-9 || math.IsNaN(d) {
					t.Fatalf("lat %g° lon %g° h %g km: round trip off by %.3g km (got %+v)", latDeg, lonDeg, h, d, back)
				}
				if math.Abs(back.HeightKm-h) > 1e-9 {
					t.Fatalf("lat %g° lon %g° h %g km: height came back %.12f", latDeg, lonDeg, h, back.HeightKm)
				}
				if math.Abs(latDeg) < 90 && math.Abs(math.Remainder(back.LonRad-g.LonRad, 2*math.Pi)) > 1e-12 {
					t.Fatalf("lat %g° lon %g° h %g km: longitude came back %.12f°", latDeg, lonDeg, h, back.LonRad/deg)
				}
			}
		}
	}
	if worstLatRad > 1e-13 {
		t.Errorf("worst latitude error %.3g rad > 1e-13", worstLatRad)
	}
	t.Logf("worst round-trip position error %.3g km, latitude %.3g rad", worstKm, worstLatRad)
}

func TestECEFToGeodeticSpecialPoints(t *testing.T) {
	b := WGS84EquatorialRadiusKm * (1 - WGS84Flattening)
	tests := []struct {
		name            string
		r               [3]float64
		latRad, lonRad  float64
		heightKm        float64
		tolRad, tolHgtK float64
	}{
		{"north pole", [3]float64{0, 0, b}, math.Pi / 2, 0, 0, 0, 1e-12},
		{"south pole, 500 km up", [3]float64{0, 0, -b - 500}, -math.Pi / 2, 0, 500, 0, 1e-12},
		{"centre", [3]float64{0, 0, 0}, math.Pi / 2, 0, -b, 0, 1e-12},
		{"equator, 90° E", [3]float64{0, WGS84EquatorialRadiusKm + 1, 0}, 0, math.Pi / 2, 1, 1e-15, 1e-12},
		{"antimeridian", [3]float64{-WGS84EquatorialRadiusKm, 0, 0}, 0, math.Pi, 0, 1e-15, 1e-12},
		{"1 mm off the polar axis", [3]float64{1e-6, 0, b + 10}, math.Pi / 2, 0, 10, 1e-9, 1e-9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := ECEFToGeodetic(tc.r)
			if math.Abs(g.LatRad-tc.latRad) > tc.tolRad || math.Abs(g.LonRad-tc.lonRad) > tc.tolRad || math.Abs(g.HeightKm-tc.heightKm) > tc.tolHgtK {
				t.Errorf("ECEFToGeodetic(%v) = %+v, want lat %g lon %g h %g", tc.r, g, tc.latRad, tc.lonRad, tc.heightKm)
			}
		})
	}
}

func TestECEFToGeodeticNonFinite(t *testing.T) {
	for name, r := range map[string][3]float64{
		"NaN":  {math.NaN(), 0, 0},
		"+Inf": {math.Inf(1), 0, 0},
		"Infz": {1, 1, math.Inf(-1)},
	} {
		t.Run(name, func(t *testing.T) {
			g := ECEFToGeodetic(r) // must not panic or loop
			if !math.IsNaN(g.HeightKm) && !math.IsInf(g.HeightKm, 0) && !math.IsNaN(g.LatRad) {
				t.Errorf("ECEFToGeodetic(%v) = %+v, want a non-finite result", r, g)
			}
		})
	}
}

func TestGeodeticValidate(t *testing.T) {
	tests := []struct {
		name string
		g    Geodetic
		ok   bool
	}{
		{"ordinary", Geodetic{LatRad: 0.7, LonRad: -1.8, HeightKm: 0.2}, true},
		{"north pole", Geodetic{LatRad: math.Pi / 2}, true},
		{"beyond pole", Geodetic{LatRad: math.Pi/2 + 1e-9}, false},
		{"NaN latitude", Geodetic{LatRad: math.NaN()}, false},
		{"Inf longitude", Geodetic{LonRad: math.Inf(1)}, false},
		{"NaN height", Geodetic{HeightKm: math.NaN()}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.g.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidInput) {
				t.Errorf("Validate() = %v, does not wrap ErrInvalidInput", err)
			}
		})
	}
}
