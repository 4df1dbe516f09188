package app

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/conjunction"
)

func analysisWait(t *testing.T, p *AnalysisPanel, limit time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { p.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		p.Cancel()
		t.Fatalf("job still running after %v (status %q)", limit, p.status.Text)
	}
}

func TestParseScreenRequest(t *testing.T) {
	now := time.Date(2022, 7, 15, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name                         string
		start, hours, thr, prim, hbr string
		wantErr                      bool
		wantPrim                     int
	}{
		{"clock time", "", "24", "5", "", "", false, 0},
		{"override and primaries", "2022-07-15T00:00:00Z", "6", "10", "25544, 48274", "20", false, 2},
		{"bad start", "yesterday", "6", "10", "", "", true, 0},
		{"zero hours", "", "0", "5", "", "", true, 0},
		{"huge threshold", "", "1", "5000", "", "", true, 0},
		{"bad primary", "", "1", "5", "ISS", "", true, 0},
		{"bad hbr", "", "1", "5", "", "-1", true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseScreenRequest(tc.start, now, tc.hours, tc.thr, tc.prim, tc.hbr)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			if err == nil && len(r.Primaries) != tc.wantPrim {
				t.Errorf("primaries %v", r.Primaries)
			}
			if tc.name == "clock time" && !r.Start.Equal(now) {
				t.Errorf("start %v, want clock time", r.Start)
			}
		})
	}
}

// TestScreeningLEOSubset screens the first 500 objects of the 2026 LEO
// payload snapshot for 6 h through the panel and checks the events, their
// CSV and CDM exports.
func TestScreeningLEOSubset(t *testing.T) {
	test.NewTempApp(t)
	sets := conjLEOSets500(t)
	cat := NewCatalog(sets, "leo500")
	s := NewSession(NewClock(nil), nil, nil)
	s.SetCatalog(cat)
	start := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	s.Clock.SetPaused(true)
	s.Clock.Set(start)
	p := NewAnalysisPanel(s, nil)
	p.hours.SetText("6")
	p.threshold.SetText("10")
	began := time.Now()
	if err := p.StartScreening(); err != nil {
		t.Fatal(err)
	}
	if err := p.StartScreening(); err != ErrAnalysisBusy {
		t.Errorf("second start: %v, want ErrAnalysisBusy", err)
	}
	analysisWait(t, p, 60*time.Second)
	t.Logf("screened 500 objects × 6 h in %.2f s: %s", time.Since(began).Seconds(), p.status.Text)
	res, evs := p.LastScreening()
	if res == nil {
		t.Fatalf("no result; status %q", p.status.Text)
	}
	if !res.Start.Equal(start) {
		t.Errorf("screen start %v, want clock time %v", res.Start, start)
	}
	if len(evs) == 0 {
		t.Fatalf("no events among 500 LEO payloads in 6 h at 10 km (status %q)", p.status.Text)
	}
	if got := len(p.Conjunctions().Events()); got != len(evs) {
		t.Errorf("table has %d events, screening %d", got, len(evs))
	}
	for _, e := range evs {
		// Pc is Foster (1992) under default covariances (what the CLI's
		// screen writes), never above Alfano (2005)'s bound.
		if e.MissKm > 10 || e.A < 0 || e.B < 0 || !(e.Pc >= 0 && e.Pc <= e.PcMaxAlfano2005) ||
			e.PcMethod != "FOSTER-1992" || e.PcNote != DefaultCovariancePcNote {
			t.Errorf("event %+v", e)
			break
		}
		if e.DataAge != max(e.Conj.ElementAge1, e.Conj.ElementAge2) {
			t.Errorf("data age %v", e.DataAge)
		}
		if e.TCA.Before(start) || e.TCA.After(start.Add(6*time.Hour)) {
			t.Errorf("TCA %v outside the window", e.TCA)
		}
	}
	t.Logf("%d events; closest %.3f km", len(evs), minMiss(evs))

	var b bytes.Buffer
	if err := WriteEventsCSV(&b, evs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != ScreenCSVHeader || ScreenCSVHeader != "norad_1,norad_2,tca,miss_km,rel_speed_km_s,radial_km,intrack_km,crosstrack_km,pc" {
		t.Errorf("header %v", rows[0])
	}
	if len(rows) != len(evs)+1 {
		t.Fatalf("%d rows for %d events", len(rows), len(evs))
	}
	for i, r := range rows[1:] {
		n1, _ := strconv.Atoi(r[0])
		tca, err := time.Parse(time.RFC3339, r[2])
		miss, err2 := strconv.ParseFloat(r[3], 64)
		pc, err3 := strconv.ParseFloat(r[8], 64)
		if n1 != evs[i].Norad1 || err != nil || err2 != nil || err3 != nil || math.Abs(miss-evs[i].MissKm) > 1e-6 ||
			tca.Sub(evs[i].TCA).Abs() > time.Millisecond || math.Abs(pc-evs[i].Pc) > 1e-6*evs[i].Pc {
			t.Fatalf("row %d %v vs event %+v (%v %v %v)", i, r, evs[i], err, err2, err3)
		}
	}

	// CDM export: one file per event, parseable, same geometry.
	dir := t.TempDir()
	paths, err := WriteEventCDMs(dir, evs[:min(3, len(evs))], cat)
	if err != nil {
		t.Fatal(err)
	}
	for k, path := range paths {
		if filepath.Base(path) != EventCDMFileName(evs[k]) {
			t.Errorf("file %s", path)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ccsds.ParseCDM(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if math.Abs(c.Relative.MissDistanceM-evs[k].MissKm*1000) > 1e-3 || c.Relative.CollisionProbability == nil ||
			*c.Relative.CollisionProbability != evs[k].Pc || c.Relative.CollisionProbabilityMethod != "FOSTER-1992" ||
			c.Objects[0].ObjectDesignator != strconv.Itoa(evs[k].Norad1) || c.Objects[1].CovarianceMethod != "DEFAULT" {
			t.Errorf("CDM %s: miss %g m, pc %v, obj1 %s", path, c.Relative.MissDistanceM, c.Relative.CollisionProbability, c.Objects[0].ObjectDesignator)
		}
		if hbr, ok := c.HardBodyRadiusM(); !ok || hbr != DefaultHardBodyRadiusM {
			t.Errorf("HBR %v %v", hbr, ok)
		}
	}
}

func minMiss(evs []Event) float64 {
	m := math.Inf(1)
	for _, e := range evs {
		m = math.Min(m, e.MissKm)
	}
	return m
}

// TestScreeningCancel starts an all-vs-all run of the full 24,132-object
// catalog over 7 days (minutes of work) and cancels it.
func TestScreeningCancel(t *testing.T) {
	test.NewTempApp(t)
	cat := fullCatalog(t)
	s := NewSession(NewClock(nil), nil, nil)
	s.SetCatalog(cat)
	p := NewAnalysisPanel(s, nil)
	err := p.StartScreeningRequest(ScreenRequest{Start: cat.MedianEpoch(), Span: 7 * 24 * time.Hour, ThresholdKm: 10, HardBodyRadiusM: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Running() || p.cancel.Disabled() || !p.runScreen.Disabled() {
		t.Fatalf("running %v, cancel disabled %v, run disabled %v", p.Running(), p.cancel.Disabled(), p.runScreen.Disabled())
	}
	time.Sleep(300 * time.Millisecond)
	c0 := time.Now()
	p.Cancel()
	analysisWait(t, p, 20*time.Second)
	t.Logf("stopped %.2f s after Cancel: %s", time.Since(c0).Seconds(), p.status.Text)
	if !strings.Contains(p.status.Text, "cancelled") {
		t.Errorf("status %q", p.status.Text)
	}
	if res, _ := p.LastScreening(); res != nil {
		t.Error("a cancelled run produced a result")
	}
	if p.Running() || !p.cancel.Disabled() || p.runScreen.Disabled() {
		t.Error("controls not reset after cancel")
	}
}

func TestScreenCatalogErrors(t *testing.T) {
	_, _, err := ScreenCatalog(t.Context(), &Catalog{}, ScreenRequest{}, nil)
	if err == nil {
		t.Error("empty catalog screened")
	}
	cat := NewCatalog(conjLEOSets500(t)[:20], "x")
	_, _, err = ScreenCatalog(t.Context(), cat, ScreenRequest{Start: time.Now(), Span: time.Hour, ThresholdKm: 5, Primaries: []int{99999999}}, nil)
	if err == nil || !strings.Contains(err.Error(), "99999999") {
		t.Errorf("unknown primary: %v", err)
	}
	// One-vs-all on a real subset goes through the same path.
	res, _, err := ScreenCatalog(t.Context(), cat, ScreenRequest{Start: cat.MedianEpoch(), Span: time.Hour, ThresholdKm: 50,
		Primaries: []int{cat.Objects[0].Set.CatalogNumber}}, nil)
	if err != nil || res.AllVsAll {
		t.Errorf("one vs all: %v, all-vs-all %v", err, res != nil && res.AllVsAll)
	}
	_ = conjunction.StageRefine
}

// TestHistoryManeuvers runs the history analysis on Sentinel-6A's TLE
// history (operator-confirmed manoeuvres) and expects detections.
func TestHistoryManeuvers(t *testing.T) {
	test.NewTempApp(t)
	path := refPath(t, "catalog", "history", "maneuver_benchmark_shorten2023", "Sentinel-6A.tle")
	s := NewSession(NewClock(nil), nil, nil)
	p := NewAnalysisPanel(s, nil)
	p.ccdmRuns.SetChecked(true)
	began := time.Now()
	if err := p.StartHistory(path); err != nil {
		t.Fatal(err)
	}
	analysisWait(t, p, 60*time.Second)
	t.Logf("history analysis %.2f s: %s", time.Since(began).Seconds(), p.status.Text)
	h := p.History()
	if h == nil || len(h.Objects) != 1 {
		t.Fatalf("history %+v (status %q)", h, p.status.Text)
	}
	o := h.Objects[0]
	if len(p.Maneuvers()) < 1 || len(o.Detect.Events) != len(p.Maneuvers()) {
		t.Fatalf("%d manoeuvres in the table, %d detected (%v)", len(p.Maneuvers()), len(o.Detect.Events), o.Detect.Notes)
	}
	t.Logf("%s: %d sets, %d manoeuvres, first %s Δv %.3f m/s", conjName(o.Name, o.Norad), len(o.Sets), len(o.Detect.Events),
		o.Detect.Events[0].Epoch.Format(time.RFC3339), o.Detect.Events[0].DeltaVMS)
	if len(o.CCDM) != 12 {
		t.Fatalf("%d CCDM samples", len(o.CCDM))
	}
	last := o.CCDM[len(o.CCDM)-1]
	if last.Err != nil || analysisCCDMDetected(last.Report) == 0 {
		t.Errorf("last CCDM sample: err %v, %d detected findings", last.Err, analysisCCDMDetected(last.Report))
	}
	if p.charts.Kind() != ChartElements {
		t.Errorf("charts show %v", p.charts.Kind())
	}
	img := p.charts.Render(640, 480)
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 480 || chartColours(img) < 20 {
		t.Errorf("element chart %v with %d colours", b, chartColours(img))
	}
	p.charts.SetKind(ChartCCDM)
	if img := p.charts.Render(640, 480); chartColours(img) < 20 {
		t.Errorf("CCDM chart has %d colours", chartColours(img))
	}
	if !strings.Contains(p.histSummary.Text, "manoeuvres") {
		t.Errorf("summary %q", p.histSummary.Text)
	}
}

func TestHistoryCancel(t *testing.T) {
	test.NewTempApp(t)
	path := refPath(t, "catalog", "history", "maneuver_benchmark_shorten2023", "CryoSat-2.tle")
	p := NewAnalysisPanel(NewSession(NewClock(nil), nil, nil), nil)
	if err := p.StartHistory(path); err != nil {
		t.Fatal(err)
	}
	p.Cancel()
	analysisWait(t, p, 30*time.Second)
	if p.History() != nil && !strings.Contains(p.status.Text, "done") {
		t.Errorf("status %q", p.status.Text)
	}
}

func TestCDMPc(t *testing.T) {
	test.NewTempApp(t)
	dir := refPath(t, "pc", "cdm")
	path := filepath.Join(dir, "000020580_conj_000022015_20210315_212955_20210313_065123.cdm")
	if _, err := os.Stat(path); err != nil {
		t.Skip(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ComputeCDMPc(f, 0)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Results) != 3 || r.HBRSource != "CDM comment" {
		t.Fatalf("results %d, hbr %s", len(r.Results), r.HBRSource)
	}
	foster, alfano := r.Results[0].Pc, r.Results[2].Pc
	if !(foster >= 0 && foster <= 1) || alfano < foster {
		t.Errorf("foster %g, alfano max %g", foster, alfano)
	}
	if v := r.CDM.Relative.CollisionProbability; v != nil && !math.IsNaN(*v) && *v > 1e-10 {
		if ratio := foster / *v; ratio < 0.5 || ratio > 2 {
			t.Errorf("foster %g vs CDM's %g", foster, *v)
		}
	}
	p := NewAnalysisPanel(NewSession(NewClock(nil), nil, nil), nil)
	if err := p.StartCDM(path); err != nil {
		t.Fatal(err)
	}
	analysisWait(t, p, 20*time.Second)
	if n := len(p.CDMForm().Items); n < 9 {
		t.Errorf("CDM form has %d items (status %q)", n, p.status.Text)
	}
}
