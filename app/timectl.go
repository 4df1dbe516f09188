package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ScrubSpan is how far the time scrubber reaches either side of its centre
// (the catalog's median epoch, or the clock's time for an empty catalog).
const ScrubSpan = 72 * time.Hour

// TimeTick is how often the time label and scrubber follow the clock.
const TimeTick = 250 * time.Millisecond

// rateSteps are the rate magnitudes offered (either direction).
var rateSteps = []float64{1, 10, 100, 1000, 10000}

// rateOptions are the rate select's entries, slowest reverse first.
var rateOptions = func() []string {
	var out []string
	for i := len(rateSteps) - 1; i >= 0; i-- {
		out = append(out, rateLabel(-rateSteps[i]))
	}
	for _, r := range rateSteps {
		out = append(out, rateLabel(r))
	}
	return out
}()

func rateLabel(r float64) string { return "x" + strconv.FormatFloat(r, 'f', -1, 64) }

func parseRateLabel(s string) (float64, error) {
	return strconv.ParseFloat(strings.TrimPrefix(s, "x"), 64)
}

// ParseJumpTime reads the jump-to-time field: RFC 3339 (fractional seconds
// allowed), e.g. 2022-07-15T12:00:00Z.
func ParseJumpTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q is not RFC 3339 (e.g. 2022-07-15T12:00:00Z)", strings.TrimSpace(s))
	}
	return t.UTC(), nil
}

// TimeControls drive the shared clock: play/pause, rate, now, jump to a
// time, and a scrubber over ±ScrubSpan with event marks. A goroutine it owns
// (Start/Stop) updates the time label and the scrubber every TimeTick.
type TimeControls struct {
	s *Session

	play    *widget.Button
	rate    *widget.Select
	now     *widget.Button
	jump    *widget.Entry
	jumpErr *widget.Label
	slider  *widget.Slider
	marks   *eventMarks
	label   *widget.Label
	lo, hi  *widget.Label
	root    fyne.CanvasObject

	centre  time.Time
	setting bool // the slider is being moved by code, not the user

	startOnce, stopOnce sync.Once
	done                chan struct{}
}

// NewTimeControls builds the controls and restores the saved rate.
func NewTimeControls(s *Session) *TimeControls {
	p := &TimeControls{s: s, done: make(chan struct{})}
	p.play = widget.NewButtonWithIcon("Pause", theme.MediaPauseIcon(), p.TogglePlay)
	p.rate = widget.NewSelect(rateOptions, func(v string) {
		r, err := parseRateLabel(v)
		if err != nil || r == 0 {
			return
		}
		if r != p.s.Clock.Rate() {
			p.s.Clock.SetRate(r)
		}
		SaveRate(p.s.Prefs, r)
	})
	p.now = widget.NewButtonWithIcon("Now", theme.HistoryIcon(), func() { p.s.Clock.ResetToNow() })
	p.jump = widget.NewEntry()
	p.jump.SetPlaceHolder("Jump to (RFC 3339) 2022-07-15T12:00:00Z")
	p.jump.OnSubmitted = func(string) { p.Jump() }
	p.jump.OnChanged = func(string) { p.jumpErr.Hide() }
	goBtn := widget.NewButton("Go", p.Jump)
	p.jumpErr = widget.NewLabel("")
	p.jumpErr.Importance = widget.DangerImportance
	p.jumpErr.Hide()
	p.slider = widget.NewSlider(-ScrubSpan.Seconds(), ScrubSpan.Seconds())
	p.slider.Step = 60
	p.slider.OnChanged = func(v float64) {
		if p.setting {
			return
		}
		p.s.Clock.Set(p.centre.Add(time.Duration(v * float64(time.Second))))
	}
	p.marks = newEventMarks()
	p.label = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	p.lo, p.hi = widget.NewLabel(""), widget.NewLabel("")
	p.lo.Importance, p.hi.Importance = widget.LowImportance, widget.LowImportance

	if r := LoadRate(s.Prefs); r != s.Clock.Rate() {
		s.Clock.SetRate(r)
	}
	buttons := container.NewHBox(p.play, p.rate, p.now, p.label)
	jump := container.NewBorder(nil, nil, nil, goBtn, p.jump)
	top := container.NewBorder(nil, nil, buttons, nil, container.NewVBox(jump, p.jumpErr))
	scrub := container.NewBorder(nil, nil, p.lo, p.hi, container.NewVBox(p.marks, p.slider))
	p.root = container.NewVBox(top, scrub)

	s.Clock.OnChange(func() { onUI(p.sync) })
	s.OnCatalog(func(*Catalog) { onUI(p.recentre) })
	p.recentre()
	p.sync()
	return p
}

// CanvasObject is the controls' content.
func (p *TimeControls) CanvasObject() fyne.CanvasObject { return p.root }

// TogglePlay pauses a running clock and resumes a paused one.
func (p *TimeControls) TogglePlay() { p.s.Clock.TogglePause() }

// Faster steps the rate's magnitude up (x1 → x10 …), keeping its direction.
func (p *TimeControls) Faster() { p.stepRate(+1) }

// Slower steps the rate's magnitude down to x1, keeping its direction.
func (p *TimeControls) Slower() { p.stepRate(-1) }

// Reverse runs the clock the other way at the same speed.
func (p *TimeControls) Reverse() { p.setRate(-p.s.Clock.Rate()) }

func (p *TimeControls) stepRate(dir int) {
	r := p.s.Clock.Rate()
	sign, mag := 1.0, math.Abs(r)
	if r < 0 {
		sign = -1
	}
	next := mag
	if dir > 0 {
		next = rateSteps[len(rateSteps)-1]
		for _, st := range rateSteps {
			if st > mag {
				next = st
				break
			}
		}
	} else {
		next = rateSteps[0]
		for i := len(rateSteps) - 1; i >= 0; i-- {
			if rateSteps[i] < mag {
				next = rateSteps[i]
				break
			}
		}
	}
	p.setRate(sign * next)
}

func (p *TimeControls) setRate(r float64) {
	p.s.Clock.SetRate(r)
	SaveRate(p.s.Prefs, p.s.Clock.Rate())
}

// Jump sets the clock to the jump field's time, or shows why it cannot
// (the clock is left alone).
func (p *TimeControls) Jump() {
	t, err := ParseJumpTime(p.jump.Text)
	if err != nil {
		p.jumpErr.SetText(err.Error())
		p.jumpErr.Show()
		return
	}
	p.jumpErr.Hide()
	p.s.Clock.Set(t)
}

// JumpError is the error shown under the jump field ("" when none).
func (p *TimeControls) JumpError() string {
	if !p.jumpErr.Visible() {
		return ""
	}
	return p.jumpErr.Text
}

// ScrubRange is the time the scrubber spans.
func (p *TimeControls) ScrubRange() (lo, hi time.Time) {
	return p.centre.Add(-ScrubSpan), p.centre.Add(ScrubSpan)
}

// SetEventMarks draws a tick above the scrubber at each time in its range
// (conjunction TCAs, manoeuvres). Call on Fyne's goroutine.
func (p *TimeControls) SetEventMarks(times []time.Time) {
	p.marks.set(times)
}

func (p *TimeControls) recentre() {
	c := p.s.Catalog()
	if c.Len() > 0 {
		p.centre = c.MedianEpoch()
	} else {
		p.centre = p.s.Clock.Now().Truncate(time.Minute)
	}
	lo, hi := p.ScrubRange()
	p.lo.SetText(lo.Format("01-02"))
	p.hi.SetText(hi.Format("01-02"))
	p.marks.setRange(lo, hi)
	p.tick()
}

// sync shows the clock's rate and pause state.
func (p *TimeControls) sync() {
	c := p.s.Clock
	SaveRate(p.s.Prefs, c.Rate()) // N (ResetToNow) and others change it too
	lbl := rateLabel(c.Rate())
	if p.rate.Selected != lbl {
		p.rate.Selected = lbl // not SetSelected: that would set the rate again
		p.rate.Refresh()
	}
	if c.Paused() {
		p.play.SetText("Play")
		p.play.SetIcon(theme.MediaPlayIcon())
	} else {
		p.play.SetText("Pause")
		p.play.SetIcon(theme.MediaPauseIcon())
	}
	p.tick()
}

// tick follows the passing of simulated time.
func (p *TimeControls) tick() {
	c := p.s.Clock
	t := c.Now()
	state := ""
	if c.Paused() {
		state = " paused"
	}
	off := t.Sub(p.centre)
	if off < -ScrubSpan || off > ScrubSpan {
		state += " (outside scrubber)"
	}
	p.label.SetText(fmt.Sprintf("%s %s%s", t.Format("2006-01-02 15:04:05 UTC"), rateLabel(c.Rate()), state))
	v := math.Max(-ScrubSpan.Seconds(), math.Min(ScrubSpan.Seconds(), off.Seconds()))
	if math.Abs(v-p.slider.Value) >= p.slider.Step {
		p.setting = true
		p.slider.SetValue(v)
		p.setting = false
	}
}

// Label is the time label's text.
func (p *TimeControls) Label() string { return p.label.Text }

// Start begins updating every TimeTick.
func (p *TimeControls) Start() {
	p.startOnce.Do(func() {
		go func() {
			tk := time.NewTicker(TimeTick)
			defer tk.Stop()
			for {
				select {
				case <-p.done:
					return
				case <-tk.C:
					onUI(p.tick)
				}
			}
		}()
	})
}

// Stop ends the update goroutine (idempotent).
func (p *TimeControls) Stop() { p.stopOnce.Do(func() { close(p.done) }) }

// eventMarks draws small ticks at event times over the scrubber's track.
type eventMarks struct {
	widget.BaseWidget
	lo, hi time.Time
	times  []time.Time
}

func newEventMarks() *eventMarks {
	m := &eventMarks{}
	m.ExtendBaseWidget(m)
	return m
}

func (m *eventMarks) set(ts []time.Time) {
	m.times = append(m.times[:0], ts...)
	m.Refresh()
}

func (m *eventMarks) setRange(lo, hi time.Time) {
	m.lo, m.hi = lo, hi
	m.Refresh()
}

// fractions are the marks' positions along the track, 0..1, for the times
// in range.
func (m *eventMarks) fractions() []float64 {
	span := m.hi.Sub(m.lo)
	if span <= 0 {
		return nil
	}
	var out []float64
	for _, t := range m.times {
		if t.Before(m.lo) || t.After(m.hi) {
			continue
		}
		out = append(out, float64(t.Sub(m.lo))/float64(span))
	}
	return out
}

func (m *eventMarks) CreateRenderer() fyne.WidgetRenderer {
	return &eventMarksRenderer{m: m}
}

type eventMarksRenderer struct {
	m     *eventMarks
	lines []fyne.CanvasObject
}

const eventMarkHeight = 8

func (r *eventMarksRenderer) MinSize() fyne.Size { return fyne.NewSize(0, eventMarkHeight) }

func (r *eventMarksRenderer) Layout(size fyne.Size) {
	th := r.m.Theme()
	// The slider's thumb centre runs from endOffset to width − endOffset
	// (widget.Slider: buttonDiameter/2 + inner padding − 1.5).
	inset := (th.Size(theme.SizeNameInlineIcon)-4)/2 + th.Size(theme.SizeNameInnerPadding) - 1.5
	w := size.Width - 2*inset
	fr := r.m.fractions()
	for i, o := range r.lines {
		if i >= len(fr) {
			o.Hide()
			continue
		}
		x := inset + float32(fr[i])*w
		l := o.(*canvas.Line)
		l.Position1 = fyne.NewPos(x, 0)
		l.Position2 = fyne.NewPos(x, size.Height)
		l.Show()
	}
}

func (r *eventMarksRenderer) Refresh() {
	n := len(r.m.fractions())
	col := r.m.Theme().Color(theme.ColorNameWarning, fyne.CurrentApp().Settings().ThemeVariant())
	for len(r.lines) < n {
		l := canvas.NewLine(col)
		l.StrokeWidth = 2
		r.lines = append(r.lines, l)
	}
	for _, o := range r.lines {
		o.(*canvas.Line).StrokeColor = col
	}
	r.Layout(r.m.Size())
	canvas.Refresh(r.m)
}

func (r *eventMarksRenderer) Objects() []fyne.CanvasObject { return r.lines }
func (r *eventMarksRenderer) Destroy()                     {}
