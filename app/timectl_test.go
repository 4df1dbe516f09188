package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func newTestTimeControls(t *testing.T) (*TimeControls, *Session, *wsWall) {
	t.Helper()
	a := test.NewTempApp(t)
	wall := newWSWall()
	s := NewSession(NewClock(wall.now), nil, a.Preferences())
	p := NewTimeControls(s)
	test.NewWindow(p.CanvasObject())
	return p, s, wall
}

func TestTimeControlsPause(t *testing.T) {
	p, s, wall := newTestTimeControls(t)
	test.Tap(p.play)
	if !s.Clock.Paused() {
		t.Fatal("play/pause did not pause")
	}
	if p.play.Text != "Play" {
		t.Errorf("paused button reads %q", p.play.Text)
	}
	t0 := s.Clock.Now()
	wall.add(time.Hour)
	if got := s.Clock.Now(); !got.Equal(t0) {
		t.Errorf("paused clock moved %v", got.Sub(t0))
	}
	test.Tap(p.play)
	wall.add(time.Minute)
	if got := s.Clock.Now().Sub(t0); got != time.Minute {
		t.Errorf("resumed clock moved %v in a minute", got)
	}
}

func TestTimeControlsRate(t *testing.T) {
	p, s, wall := newTestTimeControls(t)
	if len(p.rate.Options) != 10 || p.rate.Options[0] != "x-10000" || p.rate.Options[9] != "x10000" {
		t.Errorf("rate options %q", p.rate.Options)
	}
	p.rate.SetSelected("x100")
	if r := s.Clock.Rate(); r != 100 {
		t.Fatalf("select x100 gave rate %v", r)
	}
	if LoadRate(s.Prefs) != 100 {
		t.Error("rate not saved")
	}
	t0 := s.Clock.Now()
	wall.add(time.Second)
	if got := s.Clock.Now().Sub(t0); got != 100*time.Second {
		t.Errorf("x100 for 1 s moved %v", got)
	}
	p.rate.SetSelected("x-1000")
	if r := s.Clock.Rate(); r != -1000 {
		t.Errorf("select x-1000 gave %v", r)
	}
	s.Clock.SetRate(10) // a change made elsewhere shows in the select
	if p.rate.Selected != "x10" {
		t.Errorf("select shows %q after SetRate(10)", p.rate.Selected)
	}
	for _, tc := range []struct {
		name string
		do   func()
		want float64
	}{
		{"faster", p.Faster, 100},
		{"faster again", p.Faster, 1000},
		{"reverse", p.Reverse, -1000},
		{"slower reverse", p.Slower, -100},
		{"max", func() { s.Clock.SetRate(10000); p.Faster() }, 10000},
		{"min", func() { s.Clock.SetRate(1); p.Slower() }, 1},
	} {
		tc.do()
		if r := s.Clock.Rate(); r != tc.want {
			t.Errorf("%s: rate %v, want %v", tc.name, r, tc.want)
		}
	}
	p.tick()
	want := s.Clock.Now().Format("2006-01-02 15:04:05 UTC") + " x1"
	if got := p.Label(); got != want {
		t.Errorf("label %q, want %q", got, want)
	}
}

func TestTimeControlsJump(t *testing.T) {
	p, s, _ := newTestTimeControls(t)
	s.Clock.SetPaused(true)
	before := s.Clock.Now()
	test.Type(p.jump, "yesterday at noon")
	p.jump.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if p.JumpError() == "" {
		t.Error("bad time shows no error")
	}
	if got := s.Clock.Now(); !got.Equal(before) {
		t.Errorf("bad time moved the clock to %v", got)
	}
	p.jump.SetText("2022-07-16T06:30:00Z")
	if p.JumpError() != "" {
		t.Errorf("error %q kept after editing", p.JumpError())
	}
	p.jump.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	want := time.Date(2022, 7, 16, 6, 30, 0, 0, time.UTC)
	if got := s.Clock.Now(); !got.Equal(want) || p.JumpError() != "" {
		t.Errorf("jump: clock %v (error %q), want %v", got, p.JumpError(), want)
	}
	if got := p.Label(); got != "2022-07-16 06:30:00 UTC x1 paused" {
		t.Errorf("label %q", got)
	}
	test.Tap(p.now)
	if got := s.Clock.Now(); !got.Equal(newWSWall().t) || s.Clock.Paused() {
		t.Errorf("Now: clock %v paused %v", got, s.Clock.Paused())
	}
}

func TestTimeControlsScrubberAndMarks(t *testing.T) {
	p, s, _ := newTestTimeControls(t)
	cat := fullCatalog(t)
	s.SetCatalog(cat)
	med := cat.MedianEpoch()
	lo, hi := p.ScrubRange()
	if !lo.Equal(med.Add(-ScrubSpan)) || !hi.Equal(med.Add(ScrubSpan)) {
		t.Fatalf("scrubber %v..%v, want ±3 d around the median epoch %v", lo, hi, med)
	}
	s.Clock.SetPaused(true)
	p.slider.SetValue(-3600) // the user drags to one hour before the median epoch
	if got := s.Clock.Now(); !got.Equal(med.Add(-time.Hour)) {
		t.Errorf("scrub to -1 h: clock %v, want %v", got, med.Add(-time.Hour))
	}
	s.Clock.Set(med.Add(2 * time.Hour))
	p.tick()
	if p.slider.Value != 7200 {
		t.Errorf("slider at %v s after the clock moved to +2 h", p.slider.Value)
	}
	if !s.Clock.Now().Equal(med.Add(2 * time.Hour)) {
		t.Error("following the clock moved the clock")
	}
	p.SetEventMarks([]time.Time{med, med.Add(36 * time.Hour), med.Add(5 * 24 * time.Hour)})
	fr := p.marks.fractions()
	if len(fr) != 2 || fr[0] != 0.5 || fr[1] != 0.75 {
		t.Errorf("mark fractions %v, want [0.5 0.75] (the third is out of range)", fr)
	}
	r := test.WidgetRenderer(p.marks)
	r.Layout(fyne.NewSize(400, eventMarkHeight))
	shown := 0
	for _, o := range r.Objects() {
		if o.Visible() {
			shown++
		}
	}
	if shown != 2 {
		t.Errorf("%d ticks drawn, want 2", shown)
	}
}
