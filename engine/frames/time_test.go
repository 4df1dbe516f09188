package frames

import (
	"math"
	"testing"
	"time"
)

func TestGMSTRad(t *testing.T) {
	tests := []struct {
		name   string
		t      time.Time
		dut1   time.Duration
		want   float64 // degrees
		tolDeg float64
	}{
		{
			// Vallado, Fundamentals (4th/5th ed.), Example 3-5: 1992-08-20
			// 12:14 UT1 -> 152.578787810°. The book evaluates T_UT1 from a
			// float64 Julian date (40 µs resolution), which costs 4.2e-8°;
			// the next row is the same instant in exact arithmetic.
			name: "Vallado example 3-5 (book value)", t: time.Date(1992, 8, 20, 12, 14, 0, 0, time.UTC),
			want: 152.578787810, tolDeg: 5e-8,
		},
		{
			// Eq. 3-47 evaluated with Python fractions.Fraction (exact
			// rational T_UT1), rounded to float64.
			name: "Vallado example 3-5 (exact arithmetic)", t: time.Date(1992, 8, 20, 12, 14, 0, 0, time.UTC),
			want: 152.57878785165747, tolDeg: 1e-9,
		},
		{
			// At J2000.0 the polynomial is its constant term: 67310.54841 s.
			name: "J2000.0", t: time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC),
			want: 67310.54841 / 240, tolDeg: 1e-10,
		},
		{
			// UT1 − UTC enters as a time shift: J2000.0 UT1 reached from UTC.
			name: "J2000.0 via UT1-UTC", t: time.Date(2000, 1, 1, 12, 0, 0, 355_000_000, time.UTC), dut1: -355 * time.Millisecond,
			want: 67310.54841 / 240, tolDeg: 1e-10,
		},
		{
			// One sidereal day of 86164.0905 s after J2000.0 GMST returns to
			// the same angle within the day's rounding (1e-4 s ~ 4e-7°).
			name: "one sidereal day later", t: time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC).Add(86164090500 * time.Microsecond),
			want: 67310.54841 / 240, tolDeg: 2e-6,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := GMSTRad(tc.t, tc.dut1) / deg
			if d := math.Abs(got - tc.want); d > tc.tolDeg {
				t.Errorf("GMST = %.12f°, want %.12f° (|Δ| %.3g° > %.3g°)", got, tc.want, d, tc.tolDeg)
			}
			if got < 0 || got >= 360 {
				t.Errorf("GMST %.6f° outside [0, 360)", got)
			}
		})
	}
}

func TestJulianDate(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want float64
		tol  float64 // days
	}{
		{"J2000.0", time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC), 2451545.0, 0},
		{"Unix epoch", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 2440587.5, 0},
		// Vallado Example 3-4: 1996-10-26 14:20:00 UT -> JD 2450383.09722222.
		{"Vallado example 3-4", time.Date(1996, 10, 26, 14, 20, 0, 0, time.UTC), 2450383.09722222, 5e-9},
		// Vallado Example 3-5: 1992-08-20 12:14 -> 2448855.009722.
		{"Vallado example 3-5", time.Date(1992, 8, 20, 12, 14, 0, 0, time.UTC), 2448855.009722222, 1e-9},
		{"non-UTC location", time.Date(2000, 1, 1, 13, 0, 0, 0, time.FixedZone("CET", 3600)), 2451545.0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := JulianDate(tc.t)
			if math.Abs(got-tc.want) > tc.tol {
				t.Errorf("JulianDate = %.9f, want %.9f", got, tc.want)
			}
			back := TimeFromJulianDate(got)
			if d := back.Sub(tc.t); d < -50*time.Microsecond || d > 50*time.Microsecond {
				t.Errorf("TimeFromJulianDate(JulianDate(t)) = %s, want %s", back, tc.t.UTC())
			}
		})
	}
}

func TestTimeFromJulianDateInvalid(t *testing.T) {
	for name, jd := range map[string]float64{"NaN": math.NaN(), "+Inf": math.Inf(1), "-Inf": math.Inf(-1), "huge": 1e300} {
		t.Run(name, func(t *testing.T) {
			if got := TimeFromJulianDate(jd); !got.IsZero() {
				t.Errorf("TimeFromJulianDate(%g) = %s, want zero time", jd, got)
			}
		})
	}
}
