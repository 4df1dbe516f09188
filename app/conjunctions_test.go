package app

import (
	"image"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/astroshield/astroshield/engine/catalog"
	"github.com/astroshield/astroshield/engine/gp"
)

var (
	conjLEOOnce sync.Once
	conjLEOSets []gp.ElementSet
	conjLEOErr  error
)

// conjLEOSets500 is the first 500 objects of the 2026 LEO payload snapshot.
func conjLEOSets500(t testing.TB) []gp.ElementSet {
	t.Helper()
	p := refPath(t, "catalog", "leo_payloads_3le_2026-06-10.txt")
	conjLEOOnce.Do(func() {
		conjLEOSets, _, conjLEOErr = catalog.ReadFile(p)
		if len(conjLEOSets) > 500 {
			conjLEOSets = conjLEOSets[:500]
		}
	})
	if conjLEOErr != nil {
		t.Fatal(conjLEOErr)
	}
	return conjLEOSets
}

// conjFakeScene records what the panels asked of the 3D view.
type conjFakeScene struct {
	*widget.Label
	mu       sync.Mutex
	selected int
	framed   []int
	framedAt time.Time
}

func newConjFakeScene() *conjFakeScene {
	return &conjFakeScene{Label: widget.NewLabel("scene"), selected: -1}
}

func (f *conjFakeScene) SetCatalog(*Catalog) {}
func (f *conjFakeScene) Select(i int)        { f.mu.Lock(); f.selected = i; f.mu.Unlock() }
func (f *conjFakeScene) FrameConjunction(a, b int, tca time.Time) {
	f.mu.Lock()
	f.framed, f.framedAt = []int{a, b}, tca
	f.mu.Unlock()
}
func (f *conjFakeScene) ClearConjunction() {}
func (f *conjFakeScene) ResetView()        {}
func (f *conjFakeScene) SetFollow(bool)    {}
func (f *conjFakeScene) SetKindMask(uint8) {}
func (f *conjFakeScene) SetGraticule(bool) {}
func (f *conjFakeScene) Snapshot() (image.Image, error) {
	return image.NewRGBA(image.Rect(0, 0, 4, 4)), nil
}

var _ SceneView = (*conjFakeScene)(nil)

func conjTestEvents(t0 time.Time) []Event {
	mk := func(a, b int, dtMin, miss, speed, pc float64, ageH float64) Event {
		return Event{A: a, B: b, Norad1: 100 + a, Norad2: 100 + b, Name1: "A", Name2: "B",
			TCA: t0.Add(time.Duration(dtMin * float64(time.Minute))), MissKm: miss, RelSpeedKmS: speed,
			Pc: pc, PcMaxAlfano2005: math.NaN(), DataAge: time.Duration(ageH * float64(time.Hour))}
	}
	return []Event{
		mk(0, 1, 30, 3.0, 14.1, 1e-4, 10),
		mk(2, 3, 10, 1.0, 2.0, math.NaN(), 40),
		mk(4, 5, 20, 2.0, 7.5, 1e-6, 5),
		mk(1, 4, 40, 0.5, 9.9, 3e-3, 20),
	}
}

func TestConjunctionsSort(t *testing.T) {
	test.NewTempApp(t)
	p := NewConjunctionsPanel(NewSession(NewClock(nil), nil, nil))
	t0 := time.Date(2022, 7, 15, 0, 0, 0, 0, time.UTC)
	p.SetEvents(conjTestEvents(t0))
	col := func(k ConjSortKey) int {
		for i, c := range conjColumns {
			if c.key == k {
				return i
			}
		}
		t.Fatalf("no column for key %d", k)
		return -1
	}
	miss := func() []float64 {
		var out []float64
		for _, e := range p.Events() {
			out = append(out, e.MissKm)
		}
		return out
	}
	pcs := func() []string {
		var out []string
		for _, e := range p.Events() {
			out = append(out, conjPcText(e.Pc))
		}
		return out
	}
	eq := func(name string, got, want any) {
		t.Helper()
		if !equalAny(got, want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	// Default sort: TCA ascending.
	if e := p.Events(); !e[0].TCA.Equal(t0.Add(10 * time.Minute)) {
		t.Errorf("default sort: first TCA %v, want +10 min", e[0].TCA)
	}
	p.tapHeader(col(ConjSortMiss))
	eq("miss ascending (header click)", miss(), []float64{0.5, 1, 2, 3})
	if k, asc := p.SortKey(); k != ConjSortMiss || !asc {
		t.Errorf("sort key %d asc %v", k, asc)
	}
	p.tapHeader(col(ConjSortMiss))
	eq("miss descending (second click)", miss(), []float64{3, 2, 1, 0.5})
	if h := p.headerText(col(ConjSortMiss)); h != "Miss km ↓" {
		t.Errorf("header %q", h)
	}
	p.tapHeader(col(ConjSortPc))
	eq("pc ascending, n/a last", pcs(), []string{"1.00e-06", "1.00e-04", "3.00e-03", "n/a"})
	p.tapHeader(col(ConjSortPc))
	eq("pc descending, n/a last", pcs(), []string{"3.00e-03", "1.00e-04", "1.00e-06", "n/a"})
	p.SortBy(ConjSortDataAge, true)
	if e := p.Events(); e[0].DataAge != 5*time.Hour || e[3].DataAge != 40*time.Hour {
		t.Errorf("data age sort: %v … %v", e[0].DataAge, e[3].DataAge)
	}
	p.SortBy(ConjSortRelSpeed, false)
	if e := p.Events(); e[0].RelSpeedKmS != 14.1 {
		t.Errorf("rel speed descending first %v", e[0].RelSpeedKmS)
	}
	// Clicking a non-sortable column changes nothing.
	p.tapHeader(0)
	if k, asc := p.SortKey(); k != ConjSortRelSpeed || asc {
		t.Errorf("non-sortable header changed the sort to %d %v", k, asc)
	}
	// The table shows the sorted rows: render it and read row 0's miss cell.
	w := test.NewWindow(p.Object())
	defer w.Close()
	w.Resize(p.Object().MinSize().Max(p.table.MinSize()).AddWidthHeight(1500, 300))
	p.SortBy(ConjSortMiss, true)
	if got := conjColumns[col(ConjSortMiss)].cell(&p.events[0]); got != "0.500" {
		t.Errorf("row 0 miss cell %q", got)
	}
}

func equalAny(a, b any) bool {
	switch x := a.(type) {
	case []float64:
		y := b.([]float64)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	case []string:
		y := b.([]string)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	return false
}

func TestConjunctionsRowClick(t *testing.T) {
	test.NewTempApp(t)
	sets := conjLEOSets500(t)
	scene := newConjFakeScene()
	s := NewSession(NewClock(nil), scene, nil)
	s.SetCatalog(NewCatalog(sets[:10], "test"))
	p := NewConjunctionsPanel(s)
	var opened []Event
	p.OnOpenEvent = func(ev Event) { opened = append(opened, ev) }
	t0 := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	p.SetEvents(conjTestEvents(t0))
	p.SortBy(ConjSortMiss, true) // row 0: A=1, B=4, TCA t0+40 min
	w := test.NewWindow(p.Object())
	defer w.Close()
	p.OpenRow(0)
	want := t0.Add(40 * time.Minute)
	if got := s.Clock.Now(); !got.Equal(want) {
		t.Errorf("clock %v, want TCA %v", got, want)
	}
	if !s.Clock.Paused() {
		t.Error("clock not paused at TCA")
	}
	if s.Selected() != 1 || scene.selected != 1 {
		t.Errorf("selected %d (scene %d), want 1", s.Selected(), scene.selected)
	}
	if len(scene.framed) != 2 || scene.framed[0] != 1 || scene.framed[1] != 4 || !scene.framedAt.Equal(want) {
		t.Errorf("framed %v at %v", scene.framed, scene.framedAt)
	}
	if len(opened) != 1 || opened[0].MissKm != 0.5 {
		t.Errorf("OnOpenEvent got %v", opened)
	}
	// Clicking the same row again opens it again (selection is cleared).
	p.OpenRow(0)
	if len(opened) != 2 {
		t.Errorf("second click: %d opens", len(opened))
	}
}

// TestConjunctionsHeaderTap taps the table's real header button.
func TestConjunctionsHeaderTap(t *testing.T) {
	test.NewTempApp(t)
	p := NewConjunctionsPanel(NewSession(NewClock(nil), nil, nil))
	p.SetEvents(conjTestEvents(time.Date(2022, 7, 15, 0, 0, 0, 0, time.UTC)))
	w := test.NewWindow(p.Object())
	defer w.Close()
	w.Resize(fyne.NewSize(1500, 400))
	find := func(prefix string) *widget.Button {
		for _, o := range test.LaidOutObjects(p.Object()) {
			if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, prefix) && b.Visible() {
				return b
			}
		}
		return nil
	}
	b := find("Miss km")
	if b == nil {
		t.Fatal("no Miss km header button laid out")
	}
	test.Tap(b)
	if k, asc := p.SortKey(); k != ConjSortMiss || !asc || p.Events()[0].MissKm != 0.5 {
		t.Errorf("after tap: key %d asc %v first miss %v", k, asc, p.Events()[0].MissKm)
	}
	test.Tap(find("Miss km"))
	if _, asc := p.SortKey(); asc || p.Events()[0].MissKm != 3 {
		t.Errorf("second tap: asc %v first miss %v", asc, p.Events()[0].MissKm)
	}
	if find("Miss km ↓") == nil {
		t.Error("header does not show the descending arrow")
	}
}

func TestAnalysisPanelLayout(t *testing.T) {
	test.NewTempApp(t)
	p := NewAnalysisPanel(NewSession(NewClock(nil), nil, nil), nil)
	w := test.NewWindow(p.Object())
	defer w.Close()
	w.Resize(fyne.NewSize(1400, 900))
	if err := p.StartScreening(); err == nil || !strings.Contains(err.Error(), "no catalog") {
		t.Errorf("screening with no catalog: %v", err)
	}
	if p.Running() {
		t.Error("a job started with no catalog")
	}
}
