package maneuver

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

func TestKindString(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		want string
	}{
		{"unknown", KindUnknown, "unknown"},
		{"station keeping", KindStationKeeping, "station-keeping"},
		{"raise", KindOrbitRaise, "orbit-raise"},
		{"lower", KindOrbitLower, "orbit-lower"},
		{"plane", KindPlaneChange, "plane-change"},
		{"deorbit", KindDeorbit, "deorbit"},
		{"out of range", Kind(99), "unknown"},
		{"negative", Kind(-1), "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.kind.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			b, _ := tt.kind.MarshalText()
			if string(b) != tt.want {
				t.Errorf("MarshalText() = %q, want %q", b, tt.want)
			}
		})
	}
	if StatusInsufficientData.String() != "insufficient-data" || StatusOK.String() != "ok" {
		t.Errorf("status names: %q %q", StatusOK, StatusInsufficientData)
	}
}

func TestClassifyRegime(t *testing.T) {
	tests := []struct {
		name string
		n, e float64
		want Regime
	}{
		{"ISS", 15.49, 0.0004, RegimeLEO},
		{"Jason 1336 km", 12.81, 0.0008, RegimeLEO},
		{"GEO", 1.0027, 0.0002, RegimeGEO},
		{"GPS", 2.0056, 0.01, RegimeMEO},
		{"Molniya", 2.006, 0.72, RegimeHEO},
		{"GTO", 2.3, 0.73, RegimeHEO},
		{"eccentric near-synchronous is not GEO", 1.0, 0.2, RegimeMEO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClassifyRegime(tt.n, tt.e); got != tt.want {
				t.Errorf("ClassifyRegime(%g, %g) = %v, want %v", tt.n, tt.e, got, tt.want)
			}
		})
	}
}

// TestGaussDeltaV checks the Gauss relations against values worked by hand.
func TestGaussDeltaV(t *testing.T) {
	const aKm = 7000.0
	v := math.Sqrt(muKm3S2/aKm) * 1000 // 7546.0 m/s
	tests := []struct {
		name                 string
		daKm, dEcc, dPl, dIn float64
		want                 [3]float64
		tolMS                float64
	}{
		// Δv_I = v·Δa/(2a) = 7546.0·1/14000 = 0.539 m/s.
		{"in-track raise 1 km", 1, 0, 0, 0, [3]float64{0, v / 14000, 0}, 1e-9},
		{"in-track lower 1 km", -1, 0, 0, 0, [3]float64{0, -v / 14000, 0}, 1e-9},
		// An e change the in-track part explains exactly needs no radial.
		{"in-track explains e", 1, 2 * (v / 14000) / v, 0, 0, [3]float64{0, v / 14000, 0}, 1e-9},
		// Pure e change: radial Δv = v·|Δe| = 7.546 m/s for Δe = 1e-3.
		{"radial from e", 0, 1e-3, 0, 0, [3]float64{v * 1e-3, 0, 0}, 1e-9},
		// Plane rotation 0.1°: 2·v·sin(0.05°) = 13.17 m/s, sign of Δi.
		{"plane +", 0, 0, 0.1 * math.Pi / 180, 0.1 * math.Pi / 180, [3]float64{0, 0, 2 * v * math.Sin(0.05*math.Pi/180)}, 1e-9},
		{"plane -", 0, 0, 0.1 * math.Pi / 180, -0.1 * math.Pi / 180, [3]float64{0, 0, -2 * v * math.Sin(0.05*math.Pi/180)}, 1e-9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := gaussDeltaV(aKm, tt.daKm, tt.dEcc, tt.dPl, tt.dIn)
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > tt.tolMS {
					t.Errorf("Δv = %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
	if got := gaussDeltaV(0, 1, 1, 1, 1); got != [3]float64{} {
		t.Errorf("a = 0 gives %v, want zero", got)
	}
}

func TestDriftRate(t *testing.T) {
	// Lowering a GEO orbit by 7 km makes it drift east by
	// 1.5·360.98°/day·7/42166 = 0.0899°/day.
	got := driftRateDegDay(42166, -7)
	if math.Abs(got-0.0899) > 0.0005 {
		t.Errorf("drift = %.5f deg/day, want 0.0899", got)
	}
}

func TestDragCouplingDays(t *testing.T) {
	// Mean motion at epoch = n(epoch − 1 day) + 1 day·ṅ: the fit trades n
	// against ṅ exactly as GP fits of low orbits do.
	g := noise{7}
	var sets []gp.ElementSet
	for j := range 60 {
		nd := 2e-5 * (1 + g.next()) // ṅ/2 varies set to set
		sets = append(sets, gp.ElementSet{
			CatalogNumber: 1, Epoch: t2020.Add(time.Duration(j) * 24 * time.Hour),
			MeanMotionRevPerDay: 15.5 + 1.0*2*nd, MeanMotionDotRevDay2: nd, Eccentricity: 0.001, InclinationDeg: 51.6,
		})
	}
	if d := dragCouplingDays(sets); math.Abs(d-1) > 0.01 {
		t.Errorf("coupling = %.3f days, want 1", d)
	}
	for i := range sets {
		sets[i].MeanMotionDotRevDay2 = 1e-6 // constant ṅ: nothing to estimate
	}
	if d := dragCouplingDays(sets); d != 0 {
		t.Errorf("constant ṅ: coupling = %g, want 0", d)
	}
}

// detectOne runs Detect and fails the test on error.
func detectOne(t *testing.T, sets []gp.ElementSet, cfg Config) Result {
	t.Helper()
	res, err := Detect(sets, cfg)
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	return res
}

func TestDetectSynthetic(t *testing.T) {
	burn := t2020.Add(40*24*time.Hour + 7*time.Hour)
	leo := leoOrbit()
	geo := geoOrbit()
	aLEO := smaKm(leo.nRevDay)
	vLEO := math.Sqrt(muKm3S2/aLEO) * 1000
	nLEO := vLEO / (aLEO * 1000)
	tests := []struct {
		name     string
		h        history
		wantN    int
		kind     Kind
		dvMS     float64 // expected Δv, checked to 25%
		dirIndex int     // dominant RIC component
		dirSign  float64
	}{
		{
			name:  "leo in-track +20 m",
			h:     history{start: t2020, days: 80, segs: []orbit{leo, leo.burn(burn, nForSMA(aLEO+0.020), leo.incDeg)}, smaNoiseM: 0.5, seed: 1, norad: 7},
			wantN: 1, kind: KindStationKeeping, dvMS: nLEO * 20 / 2, dirIndex: 1, dirSign: 1,
		},
		{
			name:  "leo orbit lower 2 km with decay",
			h:     history{start: t2020, days: 80, segs: []orbit{leo, leo.burn(burn, nForSMA(aLEO-2), leo.incDeg)}, smaNoiseM: 3, decayMDay: 20, seed: 2, norad: 7},
			wantN: 1, kind: KindOrbitLower, dvMS: nLEO * 2000 / 2, dirIndex: 1, dirSign: -1,
		},
		{
			name:  "leo plane change 0.1 deg",
			h:     history{start: t2020, days: 80, segs: []orbit{leo, leo.burn(burn, leo.nRevDay, leo.incDeg+0.1)}, smaNoiseM: 0.5, incNoise: 0.0002, seed: 3, norad: 7, quantizeIn: true},
			wantN: 1, kind: KindPlaneChange, dvMS: 2 * vLEO * math.Sin(0.05*math.Pi/180), dirIndex: 2, dirSign: 1,
		},
		{
			name:  "leo deorbit",
			h:     history{start: t2020, days: 80, segs: []orbit{leo, leo.burn(burn, nForSMA(earthRadiusKm+120), leo.incDeg)}, smaNoiseM: 2, seed: 4, norad: 7},
			wantN: 1, kind: KindDeorbit, dvMS: math.Abs(vLEO * (earthRadiusKm + 120 - aLEO) / (2 * aLEO)), dirIndex: 1, dirSign: -1,
		},
		{
			name:  "geo east-west station keeping",
			h:     history{start: t2020, days: 120, segs: []orbit{geo, geo.burn(burn, nForSMA(smaKm(geo.nRevDay)-7), geo.incDeg)}, smaNoiseM: 30, seed: 5, norad: 9},
			wantN: 1, kind: KindStationKeeping, dvMS: 3075.0 * 7 / (2 * 42166), dirIndex: 1, dirSign: -1,
		},
		{
			name:  "leo steady drag decay only",
			h:     history{start: t2020, days: 80, segs: []orbit{leo}, smaNoiseM: 2, decayMDay: 60, seed: 6, norad: 7},
			wantN: 0,
		},
		{
			name:  "leo one bad element set",
			h:     history{start: t2020, days: 80, segs: []orbit{leo}, smaNoiseM: 0.5, seed: 7, norad: 7, outliers: map[int]float64{40: 60}},
			wantN: 0,
		},
		{
			name:  "leo two-day excursion of bad sets",
			h:     history{start: t2020, days: 80, segs: []orbit{leo}, smaNoiseM: 0.5, seed: 8, norad: 7, outliers: map[int]float64{40: 60, 41: 60}},
			wantN: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := detectOne(t, tt.h.sets(), DefaultConfig())
			if res.Status != StatusOK {
				t.Fatalf("status %v, notes %v", res.Status, res.Notes)
			}
			if len(res.Events) != tt.wantN {
				for _, e := range res.Events {
					t.Logf("event %s Δa %.4f km Δv %.4f %v %v", e.Epoch.Format(time.RFC3339), e.DeltaSMAKm, e.DeltaVMS, e.Kind, e.Evidence)
				}
				t.Fatalf("%d events, want %d", len(res.Events), tt.wantN)
			}
			if tt.wantN == 0 {
				return
			}
			e := res.Events[0]
			if e.NORAD != tt.h.norad {
				t.Errorf("NORAD %d, want %d", e.NORAD, tt.h.norad)
			}
			if off := e.Epoch.Sub(burn); off.Abs() > 12*time.Hour {
				t.Errorf("epoch %s is %v from the burn", e.Epoch.Format(time.RFC3339), off)
			}
			if e.Epoch.Before(e.BeforeEpoch.Add(-maxLag)) || e.Epoch.After(e.AfterEpoch) {
				t.Errorf("epoch %s outside [%s − %v, %s]", e.Epoch, e.BeforeEpoch, maxLag, e.AfterEpoch)
			}
			if e.Kind != tt.kind {
				t.Errorf("kind %v, want %v", e.Kind, tt.kind)
			}
			if math.Abs(e.DeltaVMS-tt.dvMS) > 0.25*tt.dvMS {
				t.Errorf("Δv %.4f m/s, want %.4f ± 25%%", e.DeltaVMS, tt.dvMS)
			}
			if d := e.DirectionRIC[tt.dirIndex] * tt.dirSign; d < 0.9 {
				t.Errorf("direction %v, want component %d ≈ %+.0f", e.DirectionRIC, tt.dirIndex, tt.dirSign)
			}
			norm := math.Hypot(math.Hypot(e.DirectionRIC[0], e.DirectionRIC[1]), e.DirectionRIC[2])
			if math.Abs(norm-1) > 1e-9 {
				t.Errorf("|direction| = %g", norm)
			}
			if !(e.Confidence > 0.5 && e.Confidence <= 1) {
				t.Errorf("confidence %g, want (0.5, 1]", e.Confidence)
			}
			if len(e.Evidence) == 0 || e.Evidence[0].Score < DefaultConfig().resolveOrPanic(res.Regime).Threshold {
				t.Errorf("evidence %+v", e.Evidence)
			}
		})
	}
}

// resolveOrPanic is for tests only.
func (c Config) resolveOrPanic(r Regime) Config {
	d, err := c.resolve(r)
	if err != nil {
		panic(err)
	}
	return d
}

func TestDetectGEOEvidence(t *testing.T) {
	burn := t2020.Add(60*24*time.Hour + 5*time.Hour)
	geo := geoOrbit()
	h := history{start: t2020, days: 120, segs: []orbit{geo, geo.burn(burn, nForSMA(smaKm(geo.nRevDay)-7), geo.incDeg)}, smaNoiseM: 30, seed: 5, norad: 9}
	res := detectOne(t, h.sets(), DefaultConfig())
	if res.Regime != RegimeGEO || len(res.Events) != 1 {
		t.Fatalf("regime %v, %d events", res.Regime, len(res.Events))
	}
	var sma *Evidence
	for i := range res.Events[0].Evidence {
		if res.Events[0].Evidence[i].Element == ElementSMA {
			sma = &res.Events[0].Evidence[i]
		}
	}
	if sma == nil {
		t.Fatalf("no semi-major-axis evidence: %+v", res.Events[0].Evidence)
	}
	if math.Abs(sma.Jump+7000) > 300 {
		t.Errorf("SMA jump %.0f m, want −7000 ± 300", sma.Jump)
	}
	if math.Abs(sma.LongitudeDriftDegDay-0.0899) > 0.005 {
		t.Errorf("drift change %.4f deg/day, want +0.0899", sma.LongitudeDriftDegDay)
	}
	if sma.Element.Unit() != "m" || sma.Noise <= 0 || math.Abs(sma.Score-math.Abs(sma.Jump)/sma.Noise) > 1e-9 {
		t.Errorf("evidence %+v", *sma)
	}
}

func TestDetectInsufficient(t *testing.T) {
	leo := leoOrbit()
	dense := history{start: t2020, days: 5, segs: []orbit{leo}, smaNoiseM: 0.5, seed: 1, norad: 7}.sets()
	var sparse []gp.ElementSet
	for j := range 20 {
		sparse = append(sparse, leo.at(t2020.Add(time.Duration(j)*30*24*time.Hour), 7))
	}
	tests := []struct {
		name string
		sets []gp.ElementSet
		why  string
	}{
		{"empty", nil, "0 distinct element sets"},
		{"five sets", dense, "5 distinct element sets"},
		{"monthly sets", sparse, "median spacing"},
		{"all invalid", []gp.ElementSet{{CatalogNumber: 1}, {CatalogNumber: 1, MeanMotionRevPerDay: -1}}, "0 distinct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := detectOne(t, tt.sets, DefaultConfig())
			if res.Status != StatusInsufficientData {
				t.Fatalf("status %v, want insufficient-data", res.Status)
			}
			if len(res.Events) != 0 {
				t.Errorf("%d events on insufficient data", len(res.Events))
			}
			if !slices.ContainsFunc(res.Notes, func(s string) bool { return strings.Contains(s, tt.why) }) {
				t.Errorf("notes %q do not say %q", res.Notes, tt.why)
			}
		})
	}
}

func TestDetectDuplicatesAndOrder(t *testing.T) {
	burn := t2020.Add(40*24*time.Hour + 7*time.Hour)
	leo := leoOrbit()
	aLEO := smaKm(leo.nRevDay)
	base := history{start: t2020, days: 80, segs: []orbit{leo, leo.burn(burn, nForSMA(aLEO+0.020), leo.incDeg)}, smaNoiseM: 0.5, seed: 1, norad: 7}.sets()
	ref := detectOne(t, base, DefaultConfig())
	if len(ref.Events) != 1 {
		t.Fatalf("reference: %d events", len(ref.Events))
	}

	exact := append(slices.Clone(base), base...)
	near := slices.Clone(base)
	for _, e := range base {
		e.Epoch = e.Epoch.Add(20 * time.Second) // a re-issue 20 s later, slightly different
		e.MeanMotionRevPerDay += 1e-8
		near = append(near, e)
	}
	reversed := slices.Clone(base)
	slices.Reverse(reversed)
	tests := []struct {
		name   string
		sets   []gp.ElementSet
		merged bool
	}{
		{"exact duplicates", exact, true},
		{"near-identical epochs", near, true},
		{"reverse order", reversed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := detectOne(t, tt.sets, DefaultConfig())
			if res.SetsUsed != ref.SetsUsed {
				t.Errorf("%d sets used, want %d", res.SetsUsed, ref.SetsUsed)
			}
			if len(res.Events) != 1 {
				t.Fatalf("%d events, want 1", len(res.Events))
			}
			if d := res.Events[0].Epoch.Sub(ref.Events[0].Epoch).Abs(); d > time.Hour {
				t.Errorf("epoch moved by %v", d)
			}
			hasNote := slices.ContainsFunc(res.Notes, func(s string) bool { return strings.Contains(s, "merged") })
			if hasNote != tt.merged {
				t.Errorf("notes %q, want merge note = %v", res.Notes, tt.merged)
			}
		})
	}
}

func TestDetectErrors(t *testing.T) {
	leo := leoOrbit()
	sets := history{start: t2020, days: 30, segs: []orbit{leo}, smaNoiseM: 0.5, seed: 1, norad: 7}.sets()
	mixed := slices.Clone(sets)
	mixed[3].CatalogNumber = 8
	tests := []struct {
		name string
		sets []gp.ElementSet
		cfg  Config
		want error
	}{
		{"mixed objects", mixed, DefaultConfig(), ErrMixedObjects},
		{"negative threshold", sets, Config{Threshold: -1}, ErrConfig},
		{"NaN threshold", sets, Config{Threshold: math.NaN()}, ErrConfig},
		{"negative step sets", sets, Config{StepSets: -2}, ErrConfig},
		{"unknown regime", sets, Config{Regime: Regime(42)}, ErrConfig},
		{"negative duplicate window", sets, Config{DuplicateWindow: -time.Second}, ErrConfig},
		{"min sets below windows", sets, Config{MinSets: 3}, ErrConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Detect(tt.sets, tt.cfg)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestDetectJunk feeds inputs no caller should send; Detect must neither
// panic nor invent events.
func TestDetectJunk(t *testing.T) {
	leo := leoOrbit()
	good := history{start: t2020, days: 40, segs: []orbit{leo}, smaNoiseM: 0.5, seed: 1, norad: 7}.sets()
	withNaN := slices.Clone(good)
	withNaN[5].MeanMotionRevPerDay = math.NaN()
	withNaN[6].InclinationDeg = math.Inf(1)
	withNaN[7].MeanMotionDotRevDay2 = math.NaN()
	sameEpoch := slices.Clone(good)
	for i := range sameEpoch {
		sameEpoch[i].Epoch = t2020
	}
	hyper := slices.Clone(good)
	for i := range hyper {
		hyper[i].Eccentricity = 1.5
	}
	farFuture := slices.Clone(good)
	for i := range farFuture {
		farFuture[i].Epoch = farFuture[i].Epoch.AddDate(5000, 0, 0)
	}
	tests := []struct {
		name      string
		sets      []gp.ElementSet
		maxEvents int
	}{
		{"NaN and Inf fields", withNaN, 0},
		{"all at one epoch", sameEpoch, 0},
		{"hyperbolic", hyper, 0},
		{"year 7020", farFuture, 0},
		{"one set", good[:1], 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Detect(tt.sets, DefaultConfig())
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if len(res.Events) > tt.maxEvents {
				t.Errorf("%d events from junk", len(res.Events))
			}
			for _, e := range res.Events {
				if math.IsNaN(e.DeltaVMS) || math.IsNaN(e.Confidence) {
					t.Errorf("NaN in event %+v", e)
				}
			}
		})
	}
}

func TestDropExcursions(t *testing.T) {
	type pk struct {
		b  int
		da float64
		ch Element
	}
	tests := []struct {
		name string
		in   []pk
		want int
	}{
		{"up and back down", []pk{{10, 300, ElementSMA}, {13, -290, ElementSMA}}, 0},
		{"up and down too far apart", []pk{{10, 300, ElementSMA}, {17, -300, ElementSMA}}, 2},
		{"up then smaller down", []pk{{10, 300, ElementSMA}, {13, -100, ElementSMA}}, 2},
		{"two raises", []pk{{10, 300, ElementSMA}, {13, 300, ElementSMA}}, 2},
		{"excursion then real burn", []pk{{10, 300, ElementSMA}, {13, -300, ElementSMA}, {20, 1000, ElementSMA}}, 1},
		{"plane change is not an excursion", []pk{{10, 300, ElementInclination}, {13, -300, ElementSMA}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var peaks []peak
			da := map[int]float64{}
			for _, p := range tt.in {
				peaks = append(peaks, peak{b: p.b, ch: p.ch})
				da[p.b] = p.da
			}
			got := dropExcursions(peaks, 6, func(p peak) float64 { return da[p.b] })
			if len(got) != tt.want {
				t.Errorf("%d peaks left, want %d", len(got), tt.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	g := noise{11}
	for n := range 60 {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Round(g.next() * 5) // many ties
		}
		want := math.NaN()
		if n > 0 {
			s := slices.Clone(x)
			slices.Sort(s)
			want = s[n/2]
			if n%2 == 0 {
				want = (s[n/2-1] + s[n/2]) / 2
			}
		}
		got := median(slices.Clone(x))
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("n=%d: median %g, want %g", n, got, want)
		}
	}
	// 1.4826·MAD of a sample with known spread.
	if s := robustSigma([]float64{-2, -1, 0, 1, 2}); math.Abs(s-1.4826) > 1e-12 {
		t.Errorf("robustSigma = %g, want 1.4826", s)
	}
}
