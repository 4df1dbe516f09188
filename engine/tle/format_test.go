package tle

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

func TestFormatLines(t *testing.T) {
	// Oracles: published lines; Format(Parse(x)) must give them back.
	tests := []struct {
		name   string
		l1, l2 string
	}{
		{"ISS 2021", issL1, issL2},
		{"2026 B* with +0 exponent", "1 54642U 22166A   26161.58335648  .00051463  00000-0  12387+0 0  9995",
			"2 54642  87.9252 245.3241 0002361  93.1420 230.6032 13.21825554  5162"},
		{"2026 negative nddot", "1 39265U 13055A   26161.53461287  .00041526 -58148-6  45670-3 0  9997",
			"2 39265  80.9145  74.7951 0295025  84.7435 278.7385 15.24573915666652"},
		{"2022 Alpha-5", "1 T0000U          22195.08758505  .00000457  00000-0  15958-2 0  9993",
			"2 T0000  90.2784 315.2879 0027987 282.4770  77.3219 12.95305893124393"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.l1, tc.l2)
			if err != nil {
				t.Fatal(err)
			}
			f1, f2, err := Format(e)
			if err != nil {
				t.Fatal(err)
			}
			if f1 != tc.l1 || f2 != tc.l2 {
				t.Errorf("got\n%s\n%s\nwant\n%s\n%s", f1, f2, tc.l1, tc.l2)
			}
		})
	}
}

func TestFormatFields(t *testing.T) {
	base, err := Parse(issL1, issL2)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		edit   func(e *gp.ElementSet)
		line   int
		col    int
		want   string
		errSub string // ErrFormat expected, message contains this
	}{
		{name: "Alpha-5", edit: func(e *gp.ElementSet) { e.CatalogNumber = 339999 }, line: 1, col: 3, want: "Z9999"},
		{name: "zero-padded", edit: func(e *gp.ElementSet) { e.CatalogNumber = 5 }, line: 2, col: 3, want: "00005"},
		{name: "classification unknown", edit: func(e *gp.ElementSet) { e.Classification = 0 }, line: 1, col: 8, want: " "},
		{name: "designator blank", edit: func(e *gp.ElementSet) { e.IntlDesignator = "" }, line: 1, col: 10, want: "         21"},
		{name: "designator 3-letter piece", edit: func(e *gp.ElementSet) { e.IntlDesignator = "85108AAA" }, line: 1, col: 10, want: "85108AAA 21"},
		{name: "ndot negative", edit: func(e *gp.ElementSet) { e.MeanMotionDotRevDay2 = -8.4e-7 }, line: 1, col: 34, want: "-.00000084"},
		{name: "ndot rounds", edit: func(e *gp.ElementSet) { e.MeanMotionDotRevDay2 = 1.23456789e-5 }, line: 1, col: 34, want: " .00001235"},
		{name: "ndot negative zero", edit: func(e *gp.ElementSet) { e.MeanMotionDotRevDay2 = math.Copysign(0, -1) }, line: 1, col: 34, want: "-.00000000"},
		{name: "nddot zero", edit: func(e *gp.ElementSet) { e.MeanMotionDdotRevDay3 = 0 }, line: 1, col: 45, want: " 00000-0"},
		{name: "nddot negative", edit: func(e *gp.ElementSet) { e.MeanMotionDdotRevDay3 = -0.30915e-6 }, line: 1, col: 45, want: "-30915-6"},
		{name: "B* exponent 0 is +0", edit: func(e *gp.ElementSet) { e.BStarPerEarthRadius = 0.12387 }, line: 1, col: 54, want: " 12387+0"},
		{name: "B* positive exponent", edit: func(e *gp.ElementSet) { e.BStarPerEarthRadius = 12.5 }, line: 1, col: 54, want: " 12500+2"},
		{name: "B* mantissa carry", edit: func(e *gp.ElementSet) { e.BStarPerEarthRadius = 0.999996e-3 }, line: 1, col: 54, want: " 10000-2"},
		{name: "B* below 1e-10", edit: func(e *gp.ElementSet) { e.BStarPerEarthRadius = 1.2e-13 }, line: 1, col: 54, want: " 00012-9"},
		{name: "B* rounds to zero", edit: func(e *gp.ElementSet) { e.BStarPerEarthRadius = 4e-15 }, line: 1, col: 54, want: " 00000-0"},
		{name: "B* negative zero", edit: func(e *gp.ElementSet) { e.BStarPerEarthRadius = math.Copysign(0, -1) }, line: 1, col: 54, want: "-00000-0"},
		{name: "ephemeris type", edit: func(e *gp.ElementSet) { e.EphemerisType = 2 }, line: 1, col: 63, want: "2"},
		{name: "element set number", edit: func(e *gp.ElementSet) { e.ElementSetNumber = 7 }, line: 1, col: 65, want: "   7"},
		{name: "inclination 180", edit: func(e *gp.ElementSet) { e.InclinationDeg = 180 }, line: 2, col: 9, want: "180.0000"},
		{name: "inclination rounds", edit: func(e *gp.ElementSet) { e.InclinationDeg = 51.64645 }, line: 2, col: 9, want: " 51.6465"},
		{name: "eccentricity rounds", edit: func(e *gp.ElementSet) { e.Eccentricity = 0.99999994 }, line: 2, col: 27, want: "9999999"},
		{name: "eccentricity zero", edit: func(e *gp.ElementSet) { e.Eccentricity = 0 }, line: 2, col: 27, want: "0000000"},
		{name: "mean motion slow", edit: func(e *gp.ElementSet) { e.MeanMotionRevPerDay = 0.00001 }, line: 2, col: 53, want: " 0.00001000"},
		{name: "revolution number", edit: func(e *gp.ElementSet) { e.RevAtEpoch = 0 }, line: 2, col: 64, want: "    0"},

		{name: "satellite number too big", edit: func(e *gp.ElementSet) { e.CatalogNumber = 340000 }, errSub: "satellite number 340000"},
		{name: "satellite number negative", edit: func(e *gp.ElementSet) { e.CatalogNumber = -1 }, errSub: "satellite number -1"},
		{name: "classification", edit: func(e *gp.ElementSet) { e.Classification = 'X' }, errSub: "classification"},
		{name: "designator too long", edit: func(e *gp.ElementSet) { e.IntlDesignator = "1998067AB" }, errSub: "international designator"},
		{name: "designator lowercase", edit: func(e *gp.ElementSet) { e.IntlDesignator = "98067a" }, errSub: "international designator"},
		{name: "epoch zero", edit: func(e *gp.ElementSet) { e.Epoch = time.Time{} }, errSub: "epoch year 1"},
		{name: "ndot 1", edit: func(e *gp.ElementSet) { e.MeanMotionDotRevDay2 = 0.999999996 }, errSub: "first derivative"},
		{name: "ndot NaN", edit: func(e *gp.ElementSet) { e.MeanMotionDotRevDay2 = math.NaN() }, errSub: "first derivative"},
		{name: "nddot infinite", edit: func(e *gp.ElementSet) { e.MeanMotionDdotRevDay3 = math.Inf(1) }, errSub: "second derivative"},
		{name: "B* too large", edit: func(e *gp.ElementSet) { e.BStarPerEarthRadius = 1e9 }, errSub: "B*"},
		{name: "ephemeris type 10", edit: func(e *gp.ElementSet) { e.EphemerisType = 10 }, errSub: "ephemeris type"},
		{name: "element set number 10000", edit: func(e *gp.ElementSet) { e.ElementSetNumber = 10000 }, errSub: "element set number"},
		{name: "eccentricity rounds to 1", edit: func(e *gp.ElementSet) { e.Eccentricity = 0.99999996 }, errSub: "eccentricity"},
		{name: "eccentricity negative", edit: func(e *gp.ElementSet) { e.Eccentricity = -0.001 }, errSub: "eccentricity"},
		{name: "eccentricity NaN", edit: func(e *gp.ElementSet) { e.Eccentricity = math.NaN() }, errSub: "eccentricity"},
		{name: "inclination 181", edit: func(e *gp.ElementSet) { e.InclinationDeg = 181 }, errSub: "inclination"},
		{name: "RAAN NaN", edit: func(e *gp.ElementSet) { e.RAANDeg = math.NaN() }, errSub: "right ascension"},
		{name: "mean motion zero", edit: func(e *gp.ElementSet) { e.MeanMotionRevPerDay = 0 }, errSub: "mean motion"},
		{name: "mean motion 100", edit: func(e *gp.ElementSet) { e.MeanMotionRevPerDay = 100 }, errSub: "mean motion"},
		{name: "revolution number 100000", edit: func(e *gp.ElementSet) { e.RevAtEpoch = 100000 }, errSub: "revolution number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := base
			tc.edit(&e)
			l1, l2, err := Format(e)
			if tc.errSub != "" {
				if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.errSub) {
					t.Fatalf("got %q %q, %v; want ErrFormat naming %q", l1, l2, err, tc.errSub)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			line := l1
			if tc.line == 2 {
				line = l2
			}
			if got := line[tc.col-1 : tc.col-1+len(tc.want)]; got != tc.want {
				t.Errorf("columns %d..: got %q, want %q\n%s", tc.col, got, tc.want, line)
			}
			if len(l1) != 69 || len(l2) != 69 || Checksum(l1) != int(l1[68]-'0') || Checksum(l2) != int(l2[68]-'0') {
				t.Errorf("bad lines\n%s\n%s", l1, l2)
			}
			// what Format writes, Parse reads
			if _, err := Parse(l1, l2); err != nil {
				t.Errorf("reparse: %v", err)
			}
		})
	}
}
