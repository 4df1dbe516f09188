package maneuver

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/internal/refdata"
	"github.com/astroshield/astroshield/engine/tle"
)

func TestMatch(t *testing.T) {
	h := func(x float64) time.Time { return t2020.Add(time.Duration(x * float64(time.Hour))) }
	ts := func(xs ...float64) []time.Time {
		var out []time.Time
		for _, x := range xs {
			out = append(out, h(x))
		}
		return out
	}
	tests := []struct {
		name       string
		det, truth []time.Time
		tp, fp, fn int
		f1         float64
	}{
		{"perfect", ts(0, 100), ts(1, 99), 2, 0, 0, 1},
		{"outside window", ts(0), ts(13), 0, 1, 1, 0},
		{"window edge is inside", ts(0), ts(12), 1, 0, 0, 1},
		{"one truth two detections", ts(0, 2), ts(1), 1, 1, 0, 2.0 / 3},
		{"one detection two truths", ts(1), ts(0, 2), 1, 0, 1, 2.0 / 3},
		// Greedy by distance: 10↔11 (1 h) first, then 0↔-5 (5 h); a
		// nearest-first pass from the left would pair 0↔11 and lose one.
		{"closest first", ts(0, 10), ts(-5, 11), 2, 0, 0, 1},
		{"nothing to find, nothing found", nil, nil, 0, 0, 0, 1},
		{"nothing found", nil, ts(0), 0, 0, 1, 0},
		{"nothing to find", ts(0), nil, 0, 1, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Match(tt.det, tt.truth, 12*time.Hour)
			if s.TruePositives != tt.tp || s.FalsePositives != tt.fp || s.FalseNegatives != tt.fn {
				t.Errorf("TP/FP/FN = %d/%d/%d, want %d/%d/%d", s.TruePositives, s.FalsePositives, s.FalseNegatives, tt.tp, tt.fp, tt.fn)
			}
			if diff := s.F1 - tt.f1; diff > 1e-12 || diff < -1e-12 {
				t.Errorf("F1 = %g, want %g", s.F1, tt.f1)
			}
			if len(s.Pairs) != s.TruePositives || len(s.Missed) != s.FalseNegatives || len(s.Spurious) != s.FalsePositives {
				t.Errorf("lists %d/%d/%d disagree with counts", len(s.Pairs), len(s.Spurious), len(s.Missed))
			}
		})
	}
}

func TestParseTruth(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		norad   int
		n       int
		first   time.Time
		wantErr bool
	}{
		{"benchmark layout", "SATCAT number: 29640\nmanoeuvre_timestamps:\n- 2011-03-28 16:00:00\n- 2011-02-01 15:00:00\nname: Fengyun-2D\n",
			29640, 2, time.Date(2011, 2, 1, 15, 0, 0, 0, time.UTC), false},
		{"CRLF and quotes", "SATCAT number: 1\r\nmanoeuvre_timestamps:\r\n- '2020-01-02 03:04:05'\r\n", 1, 1, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), false},
		{"list under another key is ignored", "other:\n- 2020-01-01 00:00:00\nSATCAT number: 5\n", 5, 0, time.Time{}, false},
		{"bad time", "manoeuvre_timestamps:\n- yesterday\n", 0, 0, time.Time{}, true},
		{"bad number", "SATCAT number: x\n", 0, 0, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := ParseTruth(strings.NewReader(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tr.NORAD != tt.norad || len(tr.Times) != tt.n {
				t.Fatalf("got %d with %d times, want %d with %d", tr.NORAD, len(tr.Times), tt.norad, tt.n)
			}
			if tt.n > 0 && !tr.Times[0].Equal(tt.first) {
				t.Errorf("first %s, want %s", tr.Times[0], tt.first)
			}
		})
	}
}

func TestParseOperatorManeuvers(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []time.Time
		wantErr bool
	}{
		// Day of year 001 is 1 January; 2016 is a leap year, so day 244 is
		// 31 August. IDS times are TAI: TAI − UTC was 36 s in 2016, 26 s in January 1992.
		{"IDS", idsLine("SEN3A 2016 244 07 25 2016 244 07 34     006", "2016 244 07 30 10.857 1.0e+01 0.0 5.0e-03 0.0") +
			"\nTOPEX 1992 001 18 22 1992 001 18 22\n",
			[]time.Time{time.Date(1992, 1, 1, 18, 21, 34, 0, time.UTC), time.Date(2016, 8, 31, 7, 24, 24, 0, time.UTC)}, false},
		// CST is UTC+8.
		{"CMA", `GEO-EW-STATION-KEEPING 2006-053A "2015-04-10T15:30:00 CST" "2015-04-10T16:30:00 CST"` + "\n" +
			`GEO-NS-STATION-KEEPING 2008-066A "2015/12/22T00:00:00 CST" "2015/12/23T23:59:59 CST"` + "\n",
			[]time.Time{time.Date(2015, 4, 10, 7, 30, 0, 0, time.UTC), time.Date(2015, 12, 21, 16, 0, 0, 0, time.UTC)}, false},
		{"day 400", "X 2016 400 07 25 2016 400 07 34\n", nil, true},
		{"short line", "X 2016 244\n", nil, true},
		{"burns missing", "X 2016 244 07 25 2016 244 07 34 006 2 2016 244 07 30 10.857 1 0 0 0\n", nil, true},
		{"bad burn count", "X 2016 244 07 25 2016 244 07 34 006 many\n", nil, true},
		{"bad delta-v", idsLine("X 2016 244 07 25 2016 244 07 34 006", "2016 244 07 30 10.857 1 0 NaN 0"), nil, true},
		{"bad burn seconds", idsLine("X 2016 244 07 25 2016 244 07 34 006", "2016 244 07 30 61.5 1 0 0 0"), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseOperatorManeuvers(strings.NewReader(tt.in))
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got, tt.want, time.Time.Equal) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func loadShorten(tb testing.TB) []Case {
	tb.Helper()
	dir := refdata.Path(tb, "catalog", "history", "maneuver_benchmark_shorten2023")
	cases, err := LoadBenchmark(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return cases
}

// Floors on the event-level F1 (±12 h LEO, ±24 h GEO, operator truth) per
// satellite: a little under what the detector reaches, so that a regression
// fails. See the package report for why the 1,336 km LEO satellites score
// low (slow, late element-set response to millimetre-per-second burns).
var f1Floor = map[string]float64{
	"CryoSat-2": 0.80, "Fengyun-2D": 0.80, "Fengyun-2E": 0.86, "Fengyun-2F": 0.85, "Fengyun-4A": 0.80,
	"Haiyang-2A": 0.49, "Jason-1": 0.45, "Jason-2": 0.68, "Sentinel-3A": 0.88, "Sentinel-6A": 0.55, "TOPEX": 0.32,
}

const meanF1Floor = 0.70 // operator truth, default configuration (measured 0.745)

func TestBenchmarkShorten(t *testing.T) {
	cases := loadShorten(t)
	if len(cases) != 11 {
		t.Fatalf("%d cases, want 11", len(cases))
	}
	for _, src := range []TruthSource{TruthOperator, TruthLabels} {
		rep, err := Evaluate(cases, DefaultConfig(), src)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("truth: %s", src)
		logReport(t, rep)
		if src != TruthOperator {
			continue
		}
		logSensitivity(t, cases, rep)
		logTimingCeiling(t, cases, rep)
		if rep.MeanF1 < meanF1Floor {
			t.Errorf("mean F1 %.3f below floor %.2f", rep.MeanF1, meanF1Floor)
		}
		for _, c := range rep.Cases {
			if c.TruthSource != TruthOperator {
				t.Errorf("%s scored on %s", c.Name, c.TruthSource)
			}
			if f := f1Floor[c.Name]; c.Score.F1 < f {
				t.Errorf("%s: F1 %.3f below floor %.2f", c.Name, c.Score.F1, f)
			}
		}
	}
}

func logReport(t *testing.T, rep Report) {
	t.Helper()
	t.Logf("%-12s %-4s %5s %4s %4s %4s %6s %6s %6s %8s %4s", "satellite", "reg", "truth", "TP", "FP", "FN", "P", "R", "F1", "med|dt|", "out")
	for _, c := range rep.Cases {
		s := c.Score
		t.Logf("%-12s %-4s %5d %4d %4d %4d %6.3f %6.3f %6.3f %7.1fh %4d", c.Name, c.Regime, s.TruePositives+s.FalseNegatives,
			s.TruePositives, s.FalsePositives, s.FalseNegatives, s.Precision, s.Recall, s.F1, c.MedianAbsOffset.Hours(), len(c.TruthOutside))
	}
	if len(rep.ByGeometry) > 0 {
		t.Logf("recall by burn geometry of the operators' records (found/scored):")
		line := fmt.Sprintf("%-12s", "satellite")
		for _, g := range rep.ByGeometry {
			line += fmt.Sprintf(" %13s", g.Geometry)
		}
		t.Log(line)
		row := func(name string, gs []GeometryRecall) {
			line := fmt.Sprintf("%-12s", name)
			for _, g := range gs {
				line += fmt.Sprintf(" %13s", fmt.Sprintf("%d/%d", g.Found, g.Truth))
			}
			t.Log(line)
		}
		for _, c := range rep.Cases {
			if len(c.ByGeometry) > 0 {
				row(c.Name, c.ByGeometry)
			}
		}
		row("all", rep.ByGeometry)
	}
	p := rep.Pooled
	t.Logf("mean P %.3f R %.3f F1 %.3f | pooled P %.3f R %.3f F1 %.3f", rep.MeanPrecision, rep.MeanRecall, rep.MeanF1, p.Precision, p.Recall, p.F1)
}

// logTimingCeiling logs what the mean F1 would be if every detection were
// timed well enough: the same detections matched to the same truth within
// wider windows (±24, ±48, ±72 h, never narrower than the regime's own),
// for the default configuration and for a step threshold of 4 (many more
// candidates). It bounds what better timing alone could give: on the
// Shorten benchmark neither reaches the issue's 0.85 even at ±72 h
// (2026-12-07: 0.826 and 0.846; see doc.go).
func logTimingCeiling(t *testing.T, cases []Case, rep Report) {
	t.Helper()
	low := DefaultConfig()
	low.Threshold = 4
	lowRep, err := Evaluate(cases, low, TruthOperator)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		name string
		rep  Report
	}{{"default", rep}, {"threshold 4", lowRep}} {
		line := fmt.Sprintf("timing ceiling, %-11s mean F1:", r.name)
		for _, h := range []int{12, 24, 48, 72} {
			line += fmt.Sprintf(" ±%dh %.3f", h, widerWindowMeanF1(r.rep, time.Duration(h)*time.Hour))
		}
		t.Log(line)
	}
}

// widerWindowMeanF1 re-matches each case's detections to its scored truth
// within max(window, the case's own window) and averages the F1.
func widerWindowMeanF1(rep Report, window time.Duration) float64 {
	if len(rep.Cases) == 0 {
		return 0
	}
	sum := 0.0
	for _, c := range rep.Cases {
		truth := slices.Clone(c.Score.Missed)
		for _, p := range c.Score.Pairs {
			truth = append(truth, p.Truth)
		}
		slices.SortFunc(truth, time.Time.Compare)
		sum += Match(EventEpochs(c.Events), truth, max(window, c.Window)).F1
	}
	return sum / float64(len(rep.Cases))
}

// logSensitivity logs the recall of the in-plane operator records by the
// size of the semi-major-axis change their burns imply (NetChange): the
// detector's sensitivity curve.
func logSensitivity(t *testing.T, cases []Case, rep Report) {
	t.Helper()
	edges := []float64{0, 5, 10, 20, 50, math.Inf(1)}
	found := make([]int, len(edges)-1)
	total := make([]int, len(edges)-1)
	for i, c := range rep.Cases {
		cs := cases[i]
		if len(c.ByGeometry) == 0 {
			continue
		}
		first, last, _ := span(cs.History)
		a, n, ok := medianOrbit(cs.History)
		if !ok {
			continue
		}
		miss := map[time.Time]bool{}
		for _, m := range c.Score.Missed {
			miss[m] = true
		}
		for _, m := range cs.OperatorRecords {
			if m.Start.Before(first) || m.Start.After(last) || m.Geometry(a, n) != GeometryInPlane {
				continue
			}
			nc, ok := m.Net(a, n)
			if !ok {
				continue
			}
			da := math.Abs(nc.DeltaSMAMetres)
			for k := range found {
				if da >= edges[k] && da < edges[k+1] {
					total[k]++
					if !miss[m.Start] {
						found[k]++
					}
				}
			}
		}
	}
	line := "in-plane records by |Δa| from their Δv (found/scored):"
	for k := range found {
		line += fmt.Sprintf("  [%g, %g) m %d/%d", edges[k], edges[k+1], found[k], total[k])
	}
	t.Log(line)
}

// TestBenchmarkLeaveOneOut checks that the regime threshold generalises:
// for each satellite the threshold is chosen (from a small grid) on the
// other satellites of its regime only, then the held-out satellite is
// scored with it.
func TestBenchmarkLeaveOneOut(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the detector 7 times over the benchmark")
	}
	cases := loadShorten(t)
	grid := []float64{4, 5, 6, 8, 10, 12, 16}
	f1 := make([]map[string]float64, len(grid)) // grid index → satellite → F1
	regime := map[string]Regime{}
	for i, th := range grid {
		rep, err := Evaluate(cases, Config{Threshold: th}, TruthOperator)
		if err != nil {
			t.Fatal(err)
		}
		f1[i] = map[string]float64{}
		for _, c := range rep.Cases {
			f1[i][c.Name] = c.Score.F1
			regime[c.Name] = c.Regime
		}
	}
	var heldOut, inSample float64
	for _, c := range cases {
		best, bestF := 0, -1.0
		for i := range grid {
			sum, k := 0.0, 0
			for name, r := range regime {
				if name != c.Name && r == regime[c.Name] {
					sum += f1[i][name]
					k++
				}
			}
			if k > 0 && sum/float64(k) > bestF {
				best, bestF = i, sum/float64(k)
			}
		}
		def := slices.Index(grid, RegimeConfig(regime[c.Name]).Threshold)
		if def < 0 {
			t.Fatalf("default threshold %g not in the grid", RegimeConfig(regime[c.Name]).Threshold)
		}
		t.Logf("%-12s threshold chosen without it %4.1f → held-out F1 %.3f (default %.1f: %.3f)",
			c.Name, grid[best], f1[best][c.Name], grid[def], f1[def][c.Name])
		heldOut += f1[best][c.Name] / float64(len(cases))
		inSample += f1[def][c.Name] / float64(len(cases))
	}
	t.Logf("mean F1: held-out %.3f, default thresholds %.3f", heldOut, inSample)
	if heldOut < meanF1Floor-0.03 {
		t.Errorf("held-out mean F1 %.3f below %.2f", heldOut, meanF1Floor-0.03)
	}
}

// issJumps are the 12 semi-major-axis increases listed in the catalog README
// for the ISS history (year, day-of-year before → after).
var issJumps = [][3]float64{
	{2021, 21.66, 21.91}, {2021, 92.73, 92.87}, {2021, 140.81, 141.07}, {2021, 174.89, 175.39},
	{2021, 233.19, 233.39}, {2021, 254.88, 255.02}, {2021, 255.21, 255.41}, {2021, 285.32, 285.53},
	{2021, 314.65, 315.09}, {2022, 12.54, 13.18}, {2022, 39.31, 39.56}, {2022, 57.04, 57.22},
}

func doy(year, d float64) time.Time {
	return time.Date(int(year), 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration((d - 1) * 24 * float64(time.Hour)))
}

func loadISS(tb testing.TB) []gp.ElementSet {
	tb.Helper()
	f, err := os.Open(refdata.Path(tb, "catalog", "history", "iss_25544_3le_2021-01-01_to_2022-03-03.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sets, err := tle.ReadAll(f, tle.Options{})
	if err != nil {
		tb.Fatalf("reading ISS history: %v", err)
	}
	return sets
}

// TestISSReboosts checks that the ISS reboosts listed in the catalog README
// are found as orbit raises within 12 h of the element sets that bracket
// them, each event matching one jump at most. Two of the twelve jumps (2021
// days 254.88 and 255.21) are one reboost split by a noisy element set, so
// at least 11 must match.
func TestISSReboosts(t *testing.T) {
	sets := loadISS(t)
	res := detectOne(t, sets, DefaultConfig())
	if res.Regime != RegimeLEO || res.Status != StatusOK {
		t.Fatalf("regime %v status %v", res.Regime, res.Status)
	}
	if !slices.ContainsFunc(res.Notes, func(s string) bool { return strings.Contains(s, "duplicate") }) {
		t.Errorf("the history has exact duplicates, notes say %q", res.Notes)
	}
	found := 0
	used := map[int]bool{}
	for _, j := range issJumps {
		lo, hi := doy(j[0], j[1]).Add(-12*time.Hour), doy(j[0], j[2]).Add(12*time.Hour)
		var hit *Event
		for i := range res.Events {
			e := &res.Events[i]
			if !used[i] && !e.Epoch.Before(lo) && !e.Epoch.After(hi) && e.DeltaSMAKm > 0 {
				hit, used[i] = e, true
				break
			}
		}
		if hit == nil {
			t.Logf("jump %v: no raise in [%s, %s]", j, lo.Format(time.RFC3339), hi.Format(time.RFC3339))
			continue
		}
		found++
		t.Logf("jump %v: %s Δa %+.3f km Δv %.3f m/s %v conf %.2f", j, hit.Epoch.Format(time.RFC3339), hit.DeltaSMAKm, hit.DeltaVMS, hit.Kind, hit.Confidence)
		if hit.DeltaSMAKm > 0.3 && hit.Kind != KindOrbitRaise && hit.Kind != KindStationKeeping {
			t.Errorf("jump %v: kind %v", j, hit.Kind)
		}
	}
	t.Logf("%d of %d README jumps found; %d events in all", found, len(issJumps), len(res.Events))
	if found < 11 {
		t.Errorf("found %d of %d ISS jumps, want at least 11", found, len(issJumps))
	}
}

// BenchmarkDetectAll runs the detector over every shared history (the 11
// benchmark satellites and the ISS, about 33,000 element sets).
func BenchmarkDetectAll(b *testing.B) {
	cases := loadShorten(b)
	hist := [][]gp.ElementSet{loadISS(b)}
	n := len(hist[0])
	for _, c := range cases {
		hist = append(hist, c.History)
		n += len(c.History)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, h := range hist {
			if _, err := Detect(h, DefaultConfig()); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n), "sets/op")
}

// ExampleDetect shows the fields a caller prints.
func ExampleDetect() {
	burn := t2020.Add(40*24*time.Hour + 7*time.Hour)
	leo := leoOrbit()
	h := history{start: t2020, days: 80, segs: []orbit{leo, leo.burn(burn, nForSMA(smaKm(leo.nRevDay)-2), leo.incDeg)},
		smaNoiseM: 3, seed: 2, norad: 99999}
	res, err := Detect(h.sets(), DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.Regime, len(res.Events))
	for _, e := range res.Events {
		fmt.Printf("%d %s %.2f m/s %s\n", e.NORAD, e.Epoch.Round(24*time.Hour).Format("2006-01-02"), e.DeltaVMS, e.Kind)
	}
	// Output:
	// ok leo 1
	// 99999 2020-02-10 1.06 m/s orbit-lower
}

func TestWiderWindowMeanF1(t *testing.T) {
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	truth := []time.Time{t0, t0.Add(10 * 24 * time.Hour)}
	det := []Event{{Epoch: t0.Add(30 * time.Hour)}, {Epoch: t0.Add(10*24*time.Hour - time.Hour)}}
	rep := Report{Cases: []CaseReport{{Window: 12 * time.Hour, Events: det, Score: Match(EventEpochs(det), truth, 12*time.Hour)}}}
	if got := widerWindowMeanF1(rep, 12*time.Hour); math.Abs(got-0.5) > 1e-9 {
		t.Errorf("±12 h: F1 %.3f, want 0.5 (one of two detections 30 h late)", got)
	}
	if got := widerWindowMeanF1(rep, 48*time.Hour); math.Abs(got-1) > 1e-9 {
		t.Errorf("±48 h: F1 %.3f, want 1", got)
	}
	if got := widerWindowMeanF1(Report{}, 48*time.Hour); got != 0 {
		t.Errorf("empty report: %v", got)
	}
}
