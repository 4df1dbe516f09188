package sgp4

import (
	"bufio"
	"errors"
	"fmt"
	"iter"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/internal/refdata"
	"github.com/astroshield/astroshield/engine/tle"
)

// verCase is one element set of SGP4-VER.TLE with the start, stop and step
// minutes written after column 69 of its line 2.
type verCase struct {
	line              int // line number of line 1
	es                gp.ElementSet
	start, stop, step float64
}

func readVerTLE(t *testing.T) []verCase {
	t.Helper()
	path := refdata.Path(t, "sgp4", "SGP4-VER.TLE")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r", ""), "\n")
	var cases []verCase
	for i := 0; i+1 < len(lines); i++ {
		l1, l2 := lines[i], lines[i+1]
		if !strings.HasPrefix(l1, "1 ") || !strings.HasPrefix(l2, "2 ") {
			continue
		}
		es, err := tle.ParseWith("", l1, l2, tle.Options{SkipChecksum: true, AllowTrailing: true})
		if err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		if len(l2) <= 69 {
			t.Fatalf("%s:%d: line 2 has no start/stop/step after column 69", path, i+2)
		}
		f := strings.Fields(l2[69:])
		if len(f) != 3 {
			t.Fatalf("%s:%d: want start stop step after column 69, got %q", path, i+2, l2[69:])
		}
		var v [3]float64
		for k := range f {
			if v[k], err = strconv.ParseFloat(f[k], 64); err != nil {
				t.Fatalf("%s:%d: column %d: %v", path, i+2, 70, err)
			}
		}
		cases = append(cases, verCase{line: i + 1, es: es, start: v[0], stop: v[1], step: v[2]})
		i++
	}
	return cases
}

// verState is one state line of tcppver.out.
type verState struct {
	line   int
	tsince float64
	r, v   [3]float64
}

type verBlock struct {
	satnum int
	states []verState
}

func readTcppver(t *testing.T) []verBlock {
	t.Helper()
	path := refdata.Path(t, "sgp4", "tcppver.out")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []verBlock
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 0:
			continue
		case len(fields) == 2 && fields[1] == "xx":
			num, err := strconv.Atoi(fields[0])
			if err != nil {
				t.Fatalf("%s:%d: satellite number: %v", path, n, err)
			}
			blocks = append(blocks, verBlock{satnum: num})
		case len(fields) >= 7:
			if len(blocks) == 0 {
				t.Fatalf("%s:%d: state line before the first satellite", path, n)
			}
			var x [7]float64
			for k := range x {
				if x[k], err = strconv.ParseFloat(fields[k], 64); err != nil {
					t.Fatalf("%s:%d: field %d: %v", path, n, k+1, err)
				}
			}
			b := &blocks[len(blocks)-1]
			b.states = append(b.states, verState{line: n, tsince: x[0],
				r: [3]float64{x[1], x[2], x[3]}, v: [3]float64{x[4], x[5], x[6]}})
		default:
			t.Fatalf("%s:%d: unexpected line %q", path, n, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// verTimes yields the output times of Vallado's testcpp driver: 0, then
// start (or start+step when start is 0) by step up to stop, the last step
// clamped to stop. The loop stops at the first error.
func verTimes(c verCase) iter.Seq[float64] {
	return func(yield func(float64) bool) {
		if !yield(0) {
			return
		}
		tsince := c.start
		if math.Abs(tsince) > 1.0e-8 {
			tsince -= c.step
		}
		for tsince < c.stop {
			tsince += c.step
			if tsince > c.stop {
				tsince = c.stop
			}
			if !yield(tsince) {
				return
			}
		}
	}
}

// The seven expected failures in file order; codes accepted for each
// (python-sgp4 expects [1 1 6 6 4 3 6]; a decay check placed before the
// semi-latus rectum and eccentricity checks gives 6 for 33333 and 33334).
var verErrors = []struct {
	satnum int
	codes  []ErrorCode
	msg    string
}{
	{22312, []ErrorCode{1}, "mean eccentricity -0.001329 not within range 0.0 <= e < 1.0"},
	{28350, []ErrorCode{1}, "mean eccentricity -0.001208 not within range 0.0 <= e < 1.0"},
	{28872, []ErrorCode{6}, "mrt 0.996159 is less than 1.0 indicating the satellite has decayed"},
	{29141, []ErrorCode{6}, "mrt 0.996252 is less than 1.0 indicating the satellite has decayed"},
	{33333, []ErrorCode{4, 6}, "semilatus rectum -0.103223 is less than zero"},
	{33334, []ErrorCode{3, 6}, "perturbed eccentricity -122.217193 not within range 0.0 <= e <= 1.0"},
	{20413, []ErrorCode{6}, "mrt 0.830534 is less than 1.0 indicating the satellite has decayed"},
}

type verResult struct {
	compared     int
	maxDR, maxDV float64 // km, km/s
	maxDRAt      string
	maxDVAt      string
	errs         []*Error
	errSats      []int
	failures     []string
}

// verTol gives the position (km) and velocity (km/s) tolerance for a satellite.
type verTol func(satnum int) (tolR, tolV float64)

// runVerification propagates every case under opts and compares it with
// tcppver.out; it returns the statistics and the first mismatches.
func runVerification(t *testing.T, tol verTol, opts ...Option) verResult {
	t.Helper()
	cases := readVerTLE(t)
	blocks := readTcppver(t)
	if len(cases) != 33 || len(blocks) != 33 {
		t.Fatalf("want 33 element sets and 33 output blocks, got %d and %d", len(cases), len(blocks))
	}
	var res verResult
	fail := func(format string, args ...any) {
		if len(res.failures) < 20 {
			res.failures = append(res.failures, fmt.Sprintf(format, args...))
		}
	}
	var prev *verState
	for ci, c := range cases {
		b := blocks[ci]
		if b.satnum != c.es.CatalogNumber {
			t.Fatalf("block %d is satellite %d, TLE (line %d) is %d", ci, b.satnum, c.line, c.es.CatalogNumber)
		}
		tolR, tolV := tol(b.satnum)
		sat, err := New(c.es, opts...)
		if err != nil {
			// testcpp prints the t = 0 line anyway, with the previous state.
			var serr *Error
			if !errors.As(err, &serr) {
				t.Fatalf("%d: New: %v is not an *Error", b.satnum, err)
			}
			res.errs = append(res.errs, serr)
			res.errSats = append(res.errSats, b.satnum)
			if len(b.states) != 1 || b.states[0].tsince != 0 {
				fail("%d: New failed (%v) but tcppver.out has %d lines", b.satnum, err, len(b.states))
			} else if prev == nil || b.states[0].r != prev.r || b.states[0].v != prev.v {
				fail("%d: the t=0 line of a failed element set should repeat the previous state", b.satnum)
			}
			if len(b.states) > 0 {
				prev = &b.states[len(b.states)-1]
			}
			continue
		}
		next := 0
		for ts := range verTimes(c) {
			r, v, err := sat.Propagate(ts)
			if err != nil {
				var serr *Error
				if !errors.As(err, &serr) {
					t.Fatalf("%d: Propagate(%g): %v is not an *Error", b.satnum, ts, err)
				}
				res.errs = append(res.errs, serr)
				res.errSats = append(res.errSats, b.satnum)
				if next != len(b.states) {
					fail("%d: error at tsince %g (%v) but tcppver.out continues at line %d",
						b.satnum, ts, err, b.states[next].line)
				}
				next = len(b.states)
				break
			}
			if next >= len(b.states) {
				fail("%d: tsince %g propagated, tcppver.out block ended (expected an error)", b.satnum, ts)
				break
			}
			want := b.states[next]
			next++
			if math.Abs(want.tsince-ts) > 1e-8 {
				fail("%d line %d: tsince %.8f, driver produced %.8f", b.satnum, want.line, want.tsince, ts)
				break
			}
			res.compared++
			for i := range 3 {
				dr := math.Abs(r[i] - want.r[i])
				dv := math.Abs(v[i] - want.v[i])
				if !(dr <= tolR) || !(dv <= tolV) {
					fail("%d line %d tsince %g component %d: r %.8f want %.8f (d %.2e km), v %.9f want %.9f (d %.2e km/s)",
						b.satnum, want.line, ts, i, r[i], want.r[i], dr, v[i], want.v[i], dv)
				}
				if dr > res.maxDR || dr != dr {
					res.maxDR, res.maxDRAt = dr, fmt.Sprintf("%d t=%g", b.satnum, ts)
				}
				if dv > res.maxDV || dv != dv {
					res.maxDV, res.maxDVAt = dv, fmt.Sprintf("%d t=%g", b.satnum, ts)
				}
			}
		}
		if next != len(b.states) {
			fail("%d: %d of %d tcppver.out lines produced", b.satnum, next, len(b.states))
		}
		if len(b.states) > 0 {
			prev = &b.states[len(b.states)-1]
		}
	}
	return res
}

// TestVallado reproduces every line of Vallado's tcppver.out. The file was
// written in the improved operation mode: in afspc mode satellite 23599
// (Lyddane branch, node wrapped into [0, 2pi)) moves by up to 0.96 km, and
// python-sgp4 shows the same split (the testdata README's "afspc" is wrong).
func TestVallado(t *testing.T) {
	strict := func(int) (float64, float64) { return 2e-7, 1e-9 }
	tests := []struct {
		name string
		opts []Option
		tol  verTol
	}{
		{"improved", nil, strict},
		{"improved explicit WGS-72", []Option{WithOpsMode(OpsImproved), WithGravity(WGS72)}, strict},
		{"afspc", []Option{WithOpsMode(OpsAFSPC)}, func(n int) (float64, float64) {
			if n == 23599 { // differs by design; checked against python-sgp4 in TestAFSPC
				return 1.0, 4e-4
			}
			return strict(n)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runVerification(t, tc.tol, tc.opts...)
			t.Logf("%s: %d states compared; max |dr| %.3e km (%s), max |dv| %.3e km/s (%s)",
				tc.name, res.compared, res.maxDR, res.maxDRAt, res.maxDV, res.maxDVAt)
			for _, f := range res.failures {
				t.Error(f)
			}
			// 667 state lines, one of which (33334) repeats the previous state.
			if res.compared != 666 {
				t.Errorf("compared %d state lines, want 666", res.compared)
			}
			if len(res.errs) != len(verErrors) {
				t.Fatalf("got %d errors %v at %v, want %d", len(res.errs), res.errs, res.errSats, len(verErrors))
			}
			for i, want := range verErrors {
				got := res.errs[i]
				if res.errSats[i] != want.satnum {
					t.Errorf("error %d: satellite %d, want %d", i, res.errSats[i], want.satnum)
				}
				ok := false
				for _, c := range want.codes {
					ok = ok || got.Code == c
				}
				if !ok {
					t.Errorf("%d: code %d (%v), want one of %v", want.satnum, got.Code, got, want.codes)
				}
				if got.Code == want.codes[0] && !strings.Contains(got.Error(), want.msg) {
					t.Errorf("%d: message %q does not contain %q", want.satnum, got.Error(), want.msg)
				}
				if !errors.Is(got, got.Code.sentinel()) {
					t.Errorf("%d: errors.Is(err, sentinel of code %d) is false", want.satnum, got.Code)
				}
			}
		})
	}
}

// TestAFSPC checks the afspc operation mode where it matters on the
// verification set (23599, low inclination, Lyddane branch) against
// python-sgp4 2.15 (Debian python3-sgp4, sgp4.propagation with opsmode 'a',
// WGS-72), an independent port; over all 666 points the two agree within
// 2.6e-8 km and 1e-12 km/s.
func TestAFSPC(t *testing.T) {
	const l1 = "1 23599U 95029B   06171.76535463  .00085586  12891-6  12956-2 0  2905"
	const l2 = "2 23599   6.9327   0.2849 5782022 274.4436  25.2425  4.47796565123555"
	es, err := tle.ParseWith("", l1, l2, tle.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(es, WithOpsMode(OpsAFSPC))
	if err != nil {
		t.Fatal(err)
	}
	i, err := New(es)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		tsince      float64
		r, v        [3]float64
		tolR, tolV  float64
		modesDiffer bool // improved mode is more than 0.1 km away
	}{
		{"epoch", 0, [3]float64{9892.637943407042, 35.76144969085113, -1.0822883764699749},
			[3]float64{3.5566432367146295, 6.456009375101949, 0.7836108898499564}, 1e-7, 1e-10, false},
		{"460 min", 460, [3]float64{-2183.7549934835884, 24261.301881255633, 2950.091895601075},
			[3]float64{-2.60708224127046, -0.23678593722710733, -0.029112844257452936}, 1e-7, 1e-10, true},
		{"620 min", 620, [3]float64{280.1247864158532, -6500.11368507716, -790.3623630160617},
			[3]float64{9.779642903676246, 0.5814301204337692, 0.07412442140015923}, 1e-7, 1e-10, true},
		{"720 min", 720, [3]float64{7141.247425264589, 20538.971151583606, 2501.180599656912},
			[3]float64{-2.2930796234725443, 2.333598992900791, 0.2827274412808922}, 1e-7, 1e-10, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, v, err := a.Propagate(tc.tsince)
			if err != nil {
				t.Fatal(err)
			}
			for k := range 3 {
				if d := math.Abs(r[k] - tc.r[k]); !(d <= tc.tolR) {
					t.Errorf("r[%d] = %.10f, want %.10f (d %.2e km)", k, r[k], tc.r[k], d)
				}
				if d := math.Abs(v[k] - tc.v[k]); !(d <= tc.tolV) {
					t.Errorf("v[%d] = %.12f, want %.12f (d %.2e km/s)", k, v[k], tc.v[k], d)
				}
			}
			ri, _, err := i.Propagate(tc.tsince)
			if err != nil {
				t.Fatal(err)
			}
			d := math.Hypot(math.Hypot(ri[0]-r[0], ri[1]-r[1]), ri[2]-r[2])
			if (d > 0.1) != tc.modesDiffer {
				t.Errorf("improved vs afspc differ by %.3g km; want differ=%v", d, tc.modesDiffer)
			}
		})
	}
}
