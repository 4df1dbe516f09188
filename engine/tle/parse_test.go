package tle

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// ISS (ZARYA), from testdata/catalog/history/iss_25544_3le_*.txt.
const (
	issL1 = "1 25544U 98067A   21001.22196045  .00001488  00000-0  34854-4 0  9992"
	issL2 = "2 25544  51.6464  88.5894 0001153 173.6665  39.5832 15.49246091262713"
)

// withChecksum rewrites column 69 so that only the intended defect remains.
func withChecksum(line string) string {
	if len(line) < 69 {
		return line
	}
	return line[:68] + string(rune('0'+Checksum(line))) + line[69:]
}

// put overwrites line from 1-based column col with s and fixes the checksum.
func put(line string, col int, s string) string {
	return withChecksum(line[:col-1] + s + line[col-1+len(s):])
}

func TestParseValues(t *testing.T) {
	tests := []struct {
		name   string
		l1, l2 string
		want   gp.ElementSet
	}{
		{
			name: "ISS 2021",
			l1:   issL1, l2: issL2,
			want: gp.ElementSet{CatalogNumber: 25544, IntlDesignator: "98067A", Classification: 'U',
				Epoch:               time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(22196045) * 864000),
				MeanMotionRevPerDay: 15.49246091, Eccentricity: 0.0001153, InclinationDeg: 51.6464,
				RAANDeg: 88.5894, ArgPerigeeDeg: 173.6665, MeanAnomalyDeg: 39.5832,
				MeanMotionDotRevDay2: 0.00001488, BStarPerEarthRadius: 0.34854e-4,
				ElementSetNumber: 999, RevAtEpoch: 26271},
		},
		{
			// Vallado SGP4-VER.TLE, 1958 launch, year 2000 epoch
			name: "Vanguard 1 (Vallado 00005)",
			l1:   "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753",
			l2:   "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667",
			want: gp.ElementSet{CatalogNumber: 5, IntlDesignator: "58002B", Classification: 'U',
				Epoch:               time.Date(2000, 6, 27, 18, 50, 19, 733568000, time.UTC),
				MeanMotionRevPerDay: 10.82419157, Eccentricity: 0.1859667, InclinationDeg: 34.2682,
				RAANDeg: 348.7242, ArgPerigeeDeg: 331.7664, MeanAnomalyDeg: 19.3264,
				MeanMotionDotRevDay2: 0.00000023, BStarPerEarthRadius: 0.28098e-4,
				ElementSetNumber: 475, RevAtEpoch: 41366},
		},
		{
			// Vallado 16925: negative second derivative; 1986 designator
			name: "SL-6 R/B (Vallado 16925)",
			l1:   "1 16925U 86065D   06151.67415771  .02550794 -30915-6  18784-3 0  4486",
			l2:   "2 16925  62.0906 295.0239 5596327 245.1593  47.9690  4.88511875148616",
			want: gp.ElementSet{CatalogNumber: 16925, IntlDesignator: "86065D", Classification: 'U',
				Epoch:               time.Date(2006, 1, 151, 0, 0, 0, 0, time.UTC).Add(time.Duration(67415771) * 864000),
				MeanMotionRevPerDay: 4.88511875, Eccentricity: 0.5596327, InclinationDeg: 62.0906,
				RAANDeg: 295.0239, ArgPerigeeDeg: 245.1593, MeanAnomalyDeg: 47.9690,
				MeanMotionDotRevDay2: 0.02550794, MeanMotionDdotRevDay3: -0.30915e-6, BStarPerEarthRadius: 0.18784e-3,
				ElementSetNumber: 448, RevAtEpoch: 14861},
		},
		{
			// 2022 catalog: blank-padded number, '+' signs, Alpha-5 elsewhere
			name: "analyst object with explicit plus signs",
			l1:   "1 81036U          22194.91614752 +.00006643 +00000+0 +11572-1 0  9996",
			l2:   withChecksum("2 81036  51.6464  88.5894 0001153 173.6665  39.5832 15.49246091262710"),
			want: gp.ElementSet{CatalogNumber: 81036, Classification: 'U',
				Epoch:               time.Date(2022, 1, 194, 0, 0, 0, 0, time.UTC).Add(time.Duration(91614752) * 864000),
				MeanMotionRevPerDay: 15.49246091, Eccentricity: 0.0001153, InclinationDeg: 51.6464,
				RAANDeg: 88.5894, ArgPerigeeDeg: 173.6665, MeanAnomalyDeg: 39.5832,
				MeanMotionDotRevDay2: 0.00006643, BStarPerEarthRadius: 0.11572e-1,
				ElementSetNumber: 999, RevAtEpoch: 26271},
		},
		{
			name: "Alpha-5 T0000 and blank-padded line 2",
			l1:   "1 T0000U          22195.08758505  .00000457  00000-0  15958-2 0  9993",
			l2:   withChecksum("2 T0000  51.6464  88.5894 0001153 173.6665  39.5832 15.49246091262710"),
			want: gp.ElementSet{CatalogNumber: 270000, Classification: 'U',
				Epoch:               time.Date(2022, 1, 195, 0, 0, 0, 0, time.UTC).Add(time.Duration(8758505) * 864000),
				MeanMotionRevPerDay: 15.49246091, Eccentricity: 0.0001153, InclinationDeg: 51.6464,
				RAANDeg: 88.5894, ArgPerigeeDeg: 173.6665, MeanAnomalyDeg: 39.5832,
				MeanMotionDotRevDay2: 0.00000457, BStarPerEarthRadius: 0.15958e-2,
				ElementSetNumber: 999, RevAtEpoch: 26271},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.l1, tc.l2)
			if err != nil {
				t.Fatal(err)
			}
			// exact equality: every field is decoded from its digits
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseWithName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "ISS (ZARYA)", "ISS (ZARYA)"},
		{"zero prefix", "0 ISS (ZARYA)", "ISS (ZARYA)"},
		{"trailing blanks and CR", "0 VANGUARD 1   \r\n", "VANGUARD 1"},
		{"empty", "", ""},
		{"zero without blank kept", "0ABC", "0ABC"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseWith(tc.in, issL1, issL2, Options{})
			if err != nil || e.Name != tc.want {
				t.Errorf("name %q, err %v; want %q", e.Name, err, tc.want)
			}
		})
	}
}

func TestParseLineLengths(t *testing.T) {
	tests := []struct {
		name    string
		l1, l2  string
		opt     Options
		wantErr error
		wantRec int
		wantCol int
	}{
		{name: "CRLF and trailing blanks are ignored", l1: issL1 + " \r\n", l2: issL2 + "\r"},
		{name: "68 columns need SkipChecksum", l1: issL1[:68], l2: issL2, wantErr: ErrLength, wantRec: 1},
		{name: "68 columns with SkipChecksum", l1: issL1[:68], l2: issL2[:68], opt: Options{SkipChecksum: true}},
		{name: "67 columns even with SkipChecksum", l1: issL1, l2: issL2[:67], opt: Options{SkipChecksum: true}, wantErr: ErrLength, wantRec: 2},
		{name: "empty line 1", l1: "", l2: issL2, wantErr: ErrLength, wantRec: 1},
		{name: "trailing text needs AllowTrailing", l1: issL1, l2: issL2 + "      0.0  1440.0  360.00", wantErr: ErrLength, wantRec: 2, wantCol: 70},
		{name: "trailing text with AllowTrailing", l1: issL1, l2: issL2 + "      0.0  1440.0  360.00", opt: Options{AllowTrailing: true}},
		{name: "bad checksum with SkipChecksum", l1: issL1[:68] + "0", l2: issL2, opt: Options{SkipChecksum: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseWith("", tc.l1, tc.l2, tc.opt)
			if tc.wantErr == nil {
				if err != nil || e.CatalogNumber != 25544 || e.RevAtEpoch != 26271 {
					t.Fatalf("got %+v, %v", e, err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, tc.wantErr) || pe.RecordLine != tc.wantRec || pe.Column != tc.wantCol {
				t.Fatalf("got %v (%#v), want %v on line %d column %d", err, pe, tc.wantErr, tc.wantRec, tc.wantCol)
			}
		})
	}
}

// TestParseMalformed breaks one field at a time (checksum repaired) and
// checks that the error names that field and its column.
func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name    string
		l1, l2  string
		wantErr error
		rec     int
		col     int
		field   string
	}{
		{"line 1 number", put(issL1, 1, "3"), issL2, ErrLineNumber, 1, 1, "line number"},
		{"line 2 number", issL1, put(issL2, 1, "1"), ErrLineNumber, 2, 1, "line number"},
		{"lines swapped", issL2, issL1, ErrLineNumber, 1, 1, "line number"},
		{"separator", put(issL1, 9, "X"), issL2, ErrBlankExpected, 1, 9, "separator"},
		{"control character", put(issL1, 12, "\x01"), issL2, ErrCharacter, 1, 12, ""},
		{"non-ASCII", put(issL1, 25, "\xc3"), issL2, ErrCharacter, 1, 25, ""},
		{"satellite number letters", put(issL1, 3, "2554X"), issL2, ErrCatalogNumber, 1, 3, "satellite number"},
		{"Alpha-5 letter I", put(issL1, 3, "I0000"), put(issL2, 3, "I0000"), ErrCatalogNumber, 1, 3, "satellite number"},
		{"Alpha-5 lowercase", put(issL1, 3, "t0000"), put(issL2, 3, "t0000"), ErrCatalogNumber, 1, 3, "satellite number"},
		{"satellite number blank", put(issL1, 3, "     "), issL2, ErrCatalogNumber, 1, 3, "satellite number"},
		{"satellite numbers differ", issL1, put(issL2, 3, "25545"), ErrCatalogDiffers, 2, 3, "satellite number"},
		{"classification", put(issL1, 8, "X"), issL2, ErrClassification, 1, 8, "classification"},
		{"designator lowercase", put(issL1, 10, "98067a"), issL2, ErrDesignator, 1, 10, "international designator"},
		{"epoch year", put(issL1, 19, "2x"), issL2, ErrEpoch, 1, 19, "epoch"},
		{"epoch day 0", put(issL1, 19, "21000.22196045"), issL2, ErrEpoch, 1, 19, "epoch"},
		{"epoch day 366 of 2021", put(issL1, 19, "21366.22196045"), issL2, ErrEpoch, 1, 19, "epoch"},
		{"epoch two points", put(issL1, 19, "21001.2219.045"), issL2, ErrEpoch, 1, 19, "epoch"},
		{"epoch nine decimals", put(issL1, 19, "2101.221960451"), issL2, ErrEpoch, 1, 19, "epoch"},
		{"ndot letter", put(issL1, 34, " .0000x488"), issL2, ErrNumber, 1, 34, "first derivative of mean motion"},
		{"ndot above 1", put(issL1, 34, " 1.0000148"), issL2, ErrNumber, 1, 34, "first derivative of mean motion"},
		{"ndot nine decimals", put(issL1, 34, ".000014881"), issL2, ErrNumber, 1, 34, "first derivative of mean motion"},
		{"nddot no exponent sign", put(issL1, 45, " 0000000"), issL2, ErrNumber, 1, 45, "second derivative of mean motion"},
		{"bstar plain decimal", put(issL1, 54, " .000034"), issL2, ErrNumber, 1, 54, "B*"},
		{"bstar six-digit mantissa", put(issL1, 54, "348540-4"), issL2, ErrNumber, 1, 54, "B*"},
		{"bstar TOPEX 1992 garble", put(issL1, 54, "+0153801"), issL2, ErrNumber, 1, 54, "B*"},
		{"ephemeris type", put(issL1, 63, "X"), issL2, ErrNumber, 1, 63, "ephemeris type"},
		{"element set number", put(issL1, 65, "9x9"), issL2, ErrNumber, 1, 65, "element set number"},
		{"checksum line 1", issL1[:68] + "0", issL2, ErrChecksum, 1, 69, "checksum"},
		{"checksum not a digit", issL1[:68] + "X", issL2, ErrChecksum, 1, 69, "checksum"},
		{"checksum line 2", issL1, issL2[:68] + "0", ErrChecksum, 2, 69, "checksum"},
		{"field error wins over checksum", issL1[:68] + "0", issL2[:8] + "x" + issL2[9:], ErrNumber, 2, 9, "inclination"},
		{"inclination letter", issL1, put(issL2, 9, " 51.64x4"), ErrNumber, 2, 9, "inclination"},
		{"inclination above 180", issL1, put(issL2, 9, "181.0000"), ErrRange, 2, 9, "inclination"},
		{"inclination negative", issL1, put(issL2, 9, "-51.6464"), ErrRange, 2, 9, "inclination"},
		{"inclination five decimals", issL1, put(issL2, 9, "51.64641"), ErrNumber, 2, 9, "inclination"},
		{"RAAN above 360", issL1, put(issL2, 18, "360.0001"), ErrRange, 2, 18, "right ascension of the ascending node"},
		{"eccentricity with point", issL1, put(issL2, 27, ".001153"), ErrNumber, 2, 27, "eccentricity"},
		{"eccentricity negative", issL1, put(issL2, 27, "-001153"), ErrNumber, 2, 27, "eccentricity"},
		{"eccentricity blank", issL1, put(issL2, 27, "       "), ErrNumber, 2, 27, "eccentricity"},
		{"argument of perigee", issL1, put(issL2, 35, "17x.6665"), ErrNumber, 2, 35, "argument of perigee"},
		{"mean anomaly blank", issL1, put(issL2, 44, "        "), ErrNumber, 2, 44, "mean anomaly"},
		{"mean motion letter", issL1, put(issL2, 53, "       1x.2"), ErrNumber, 2, 53, "mean motion"},
		{"mean motion zero", issL1, put(issL2, 53, " 0.00000000"), ErrRange, 2, 53, "mean motion"},
		{"mean motion 100", issL1, put(issL2, 53, "100.0000000"), ErrNumber, 2, 53, "mean motion"},
		{"revolution number", issL1, put(issL2, 64, "2627x"), ErrNumber, 2, 64, "revolution number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.l1, tc.l2)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if !errors.Is(err, tc.wantErr) || pe.RecordLine != tc.rec || pe.Column != tc.col || pe.Field != tc.field {
				t.Errorf("got %v\n(line %d, column %d, field %q); want %v on line %d, column %d (%s)",
					err, pe.RecordLine, pe.Column, pe.Field, tc.wantErr, tc.rec, tc.col, tc.field)
			}
			if pe.Line != 0 {
				t.Errorf("file line %d from Parse, want 0", pe.Line)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "tle: line ") || strings.Count(msg, "tle:") != 1 {
				t.Errorf("message %q", msg)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  ParseError
		want string
	}{
		{"file", ParseError{Line: 118, RecordLine: 2, Column: 53, Field: "mean motion", Err: ErrNumber},
			`tle: file line 118 (line 2 of record), column 53 (mean motion): invalid number`},
		{"direct", ParseError{RecordLine: 1, Column: 69, Field: "checksum", Err: ErrChecksum},
			`tle: line 1, column 69 (checksum): checksum mismatch`},
		{"name line", ParseError{Line: 7, Err: ErrMissingLine},
			`tle: file line 7 (name line of record): missing line`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	// the message of the brief, produced end to end
	// a typo: the checksum no longer verifies, but the field is named
	bad := issL2[:52] + "       1x.2" + issL2[63:]
	_, err := ReadAll(strings.NewReader(strings.Repeat("\n", 116)+issL1+"\n"+bad+"\n"), Options{})
	want := `tle: file line 118 (line 2 of record), column 53 (mean motion): invalid number "1x.2"`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestImpliedExponent(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{" 12345-3", 0.12345e-3, true},
		{"-11606-4", -0.11606e-4, true},
		{"+00000+0", 0, true},
		{" 00000-0", 0, true},
		{"-00000-0", math.Copysign(0, -1), true},
		{" 13519-0", 0.13519, true},
		{" 12387+0", 0.12387, true},
		{" 99999+9", 0.99999e9, true},
		{" 00001-9", 1e-14, true},
		{"  1234-3", 0.1234e-3, true},
		{"        ", 0, true},
		{"12345-3 ", 0.12345e-3, true},
		{"+0153801", 0, false},
		{" 12345 3", 0, false},
		{" 12345-x", 0, false},
		{" 1.345-3", 0, false},
		{"123456-3", 0, false},
		{"     -3 ", 0, false},
		{" --1234-", 0, false},
	}
	for _, tc := range tests {
		t.Run(strings.TrimSpace(tc.in), func(t *testing.T) {
			got, ok := parseImpliedExp(tc.in)
			if ok != tc.ok || got != tc.want || math.Signbit(got) != math.Signbit(tc.want) {
				t.Errorf("parseImpliedExp(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}
