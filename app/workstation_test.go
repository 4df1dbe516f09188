package app

import (
	"errors"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// wsFakeScene stands in for the 3D view and records what the panels ask of
// it.
type wsFakeScene struct {
	*widget.Label
	mu        sync.Mutex
	selected  int
	mask      uint8
	masks     int
	graticule bool
	follow    bool
	resets    int
}

func newWSFakeScene() *wsFakeScene {
	return &wsFakeScene{Label: widget.NewLabel("fake 3D view"), selected: -1, mask: allKinds}
}

func (f *wsFakeScene) SetCatalog(*Catalog)                  {}
func (f *wsFakeScene) Select(i int)                         { f.mu.Lock(); f.selected = i; f.mu.Unlock() }
func (f *wsFakeScene) FrameConjunction(int, int, time.Time) {}
func (f *wsFakeScene) ClearConjunction()                    {}
func (f *wsFakeScene) ResetView()                           { f.mu.Lock(); f.resets++; f.mu.Unlock() }
func (f *wsFakeScene) SetFollow(on bool)                    { f.mu.Lock(); f.follow = on; f.mu.Unlock() }
func (f *wsFakeScene) SetKindMask(m uint8)                  { f.mu.Lock(); f.mask = m; f.masks++; f.mu.Unlock() }
func (f *wsFakeScene) SetGraticule(on bool)                 { f.mu.Lock(); f.graticule = on; f.mu.Unlock() }
func (f *wsFakeScene) Snapshot() (image.Image, error) {
	return image.NewRGBA(image.Rect(0, 0, 4, 4)), nil
}

var _ SceneView = (*wsFakeScene)(nil)

// wsWall is a wall clock the test moves by hand.
type wsWall struct {
	mu sync.Mutex
	t  time.Time
}

func (w *wsWall) now() time.Time { w.mu.Lock(); defer w.mu.Unlock(); return w.t }
func (w *wsWall) add(d time.Duration) {
	w.mu.Lock()
	w.t = w.t.Add(d)
	w.mu.Unlock()
}

func newWSWall() *wsWall { return &wsWall{t: time.Date(2022, 7, 15, 12, 0, 0, 0, time.UTC)} }

// newTestWorkstation builds a workstation on the test driver with its
// ticking goroutines stopped (the test drives refreshes itself).
func newTestWorkstation(t *testing.T, scene SceneView, sceneErr error, wall *wsWall) (*Workstation, *Session) {
	t.Helper()
	a := test.NewTempApp(t)
	return newTestWorkstationOn(t, a, scene, sceneErr, wall)
}

func newTestWorkstationOn(t *testing.T, a fyne.App, scene SceneView, sceneErr error, wall *wsWall) (*Workstation, *Session) {
	t.Helper()
	s := NewSession(NewClock(wall.now), scene, nil)
	if scene == nil {
		s.Scene = nil // a nil *wsFakeScene is not a nil SceneView
	}
	s.SceneErr = sceneErr
	w := NewWorkstation(a, s)
	w.Stop()
	t.Cleanup(func() { w.Window().Close() })
	return w, s
}

// labelTexts is the text of every label laid out under o.
func labelTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	}
	return out
}

func hasText(texts []string, sub string) bool {
	for _, s := range texts {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestWorkstationWithoutScene(t *testing.T) {
	errGL := errors.New("render: OpenGL 3.3 core context unavailable (have 2.1)")
	w, _ := newTestWorkstation(t, nil, errGL, newWSWall())
	w.Window().Resize(fyne.NewSize(1280, 720))
	texts := labelTexts(w.Window().Content())
	want := "3D view unavailable: render: OpenGL 3.3 core context unavailable (have 2.1); panels and charts still work"
	if !hasText(texts, want) {
		t.Errorf("centre lacks %q; labels: %q", want, texts)
	}
	if !hasText(texts, LoadDataHint) {
		t.Errorf("empty catalog: no load hint in %q", texts)
	}
	if st := w.StatusText(); !strings.Contains(st, LoadDataHint) || !strings.Contains(st, "3D view off") {
		t.Errorf("status %q", st)
	}
	for _, it := range []*fyne.MenuItem{w.resetItem, w.followItem, w.gratItem} {
		if !it.Disabled {
			t.Errorf("menu %q enabled with no 3D view", it.Label)
		}
	}
	// Scene shortcuts are no-ops, not crashes.
	test.TypeOnCanvas(w.Window().Canvas(), "fgG")
	w.Window().Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyHome})
}

func TestWorkstationLayoutFits1280x720(t *testing.T) {
	w, s := newTestWorkstation(t, newWSFakeScene(), nil, newWSWall())
	s.SetCatalog(fullCatalog(t))
	s.Select(0)
	w.AddTab("Conjunctions", widget.NewLabel("table"))
	w.AddTab("Charts", widget.NewLabel("chart"))
	w.AddTab("Analysis", widget.NewLabel("analysis"))
	if n := len(w.Tabs().Items); n != 3 {
		t.Fatalf("%d tabs", n)
	}
	min := w.Window().Content().MinSize()
	if min.Width > 1280 || min.Height > 720 {
		t.Errorf("content needs %v, more than 1280x720", min)
	}
	w.Window().Resize(fyne.NewSize(1280, 720))
	if hasText(labelTexts(w.Window().Content()), LoadDataHint) {
		t.Error("load hint still shown with a catalog")
	}
}

func TestWorkstationStatusDataAge(t *testing.T) {
	cat := fullCatalog(t)
	newest := cat.NewestEpoch()
	for _, tc := range []struct {
		name    string
		at      time.Time
		age     string
		warning bool
	}{
		{"fresh", newest.Add(3*time.Hour + 10*time.Minute), "data age 3 h", false},
		{"two days", newest.Add(50 * time.Hour), "data age 2 d 2 h", false},
		{"old", newest.Add(4*365*24*time.Hour + 142*24*time.Hour), "data age 4 y 141 d", true},
		// An old catalog shown at its median epoch (what the desktop does):
		// the age is the wall clock's, and positions are not degraded.
		{"shown at its epochs", newest.Add(4*365*24*time.Hour + 142*24*time.Hour), "data age 4 y 141 d (shown at its epochs)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wall := &wsWall{t: tc.at}
			w, s := newTestWorkstation(t, newWSFakeScene(), nil, wall)
			if strings.Contains(tc.age, "shown at its epochs") {
				s.Clock.Set(cat.MedianEpoch())
				s.Clock.SetPaused(true)
			}
			s.SetCatalog(cat)
			st := w.StatusText()
			for _, want := range []string{"full_catalog_3le_2022-07-15.txt", "24,132 objects", tc.age} {
				if !strings.Contains(st, want) {
					t.Errorf("status %q lacks %q", st, want)
				}
			}
			if got := strings.Contains(st, "older than 3 days"); got != tc.warning {
				t.Errorf("warning %v, want %v: %q", got, tc.warning, st)
			}
			w.SetStatus("loading server feed")
			if !strings.HasSuffix(w.StatusText(), "loading server feed") && !strings.Contains(w.StatusText(), "loading server feed") {
				t.Errorf("SetStatus: %q", w.StatusText())
			}
		})
	}
}

func TestFormatDataAge(t *testing.T) {
	const d = 24 * time.Hour
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{12 * time.Minute, "12 min"},
		{3*time.Hour + 59*time.Minute, "3 h"},
		{3*d + 5*time.Hour, "3 d 5 h"},
		{141 * d, "141 d"},
		{time.Duration(4*365.25*float64(d)) + 141*d + time.Hour, "4 y 141 d"},
		{-2 * time.Hour, "-2 h"},
	} {
		if got := FormatDataAge(tc.in); got != tc.want {
			t.Errorf("FormatDataAge(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWorkstationShortcuts(t *testing.T) {
	scene := newWSFakeScene()
	wall := newWSWall()
	w, s := newTestWorkstation(t, scene, nil, wall)
	s.SetCatalog(fullCatalog(t))
	c := w.Window().Canvas()

	test.TypeOnCanvas(c, " ")
	if !s.Clock.Paused() {
		t.Error("Space did not pause")
	}
	test.TypeOnCanvas(c, " ")
	if s.Clock.Paused() {
		t.Error("Space did not resume")
	}
	test.TypeOnCanvas(c, "++")
	if r := s.Clock.Rate(); r != 100 {
		t.Errorf("++ gave x%v, want x100", r)
	}
	test.TypeOnCanvas(c, "-")
	if r := s.Clock.Rate(); r != 10 {
		t.Errorf("- gave x%v, want x10", r)
	}
	test.TypeOnCanvas(c, "r")
	if r := s.Clock.Rate(); r != -10 {
		t.Errorf("R gave x%v, want x-10", r)
	}
	test.TypeOnCanvas(c, "+")
	if r := s.Clock.Rate(); r != -100 {
		t.Errorf("+ in reverse gave x%v, want x-100", r)
	}
	s.Clock.Set(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	test.TypeOnCanvas(c, "n")
	if got := s.Clock.Now(); !got.Equal(wall.now()) || s.Clock.Rate() != 1 {
		t.Errorf("N: clock %v x%v, want %v x1", got, s.Clock.Rate(), wall.now())
	}
	test.TypeOnCanvas(c, "gf")
	if !scene.graticule || !w.gratItem.Checked {
		t.Error("G did not turn the graticule on")
	}
	if !scene.follow || !w.followItem.Checked {
		t.Error("F did not turn follow on")
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyHome})
	if scene.resets != 1 {
		t.Errorf("Home: %d resets", scene.resets)
	}
	s.Select(5)
	if scene.selected != 5 {
		t.Fatalf("scene selection %d", scene.selected)
	}
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if s.Selected() != -1 || scene.selected != -1 {
		t.Errorf("Esc left selection %d (scene %d)", s.Selected(), scene.selected)
	}
	c.(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	if c.Focused() != w.Search.Entry() {
		t.Errorf("Ctrl+F focused %T, want the search entry", c.Focused())
	}
}

func TestWorkstationMenuAndPrefs(t *testing.T) {
	a := test.NewTempApp(t)
	p := a.Preferences()
	p.SetString(PrefTheme, ThemeNameLight)
	p.SetFloat(PrefRate, 100)
	p.SetInt(PrefKindMask, int(allKinds&^(1<<2))) // debris hidden
	p.SetFloat(PrefSiteLatDeg, 28.5)
	p.SetFloat(PrefSiteLonDeg, -80.6)
	p.SetFloat(PrefSiteAltKm, 0.01)
	scene := newWSFakeScene()
	w, s := newTestWorkstationOn(t, a, scene, nil, newWSWall())

	if ThemeIsDark() {
		t.Error("saved light theme not restored")
	}
	if r := s.Clock.Rate(); r != 100 {
		t.Errorf("saved rate not restored: x%v", r)
	}
	if m := w.Search.KindMask(); m != 0x0b || scene.mask != 0x0b {
		t.Errorf("saved type filter not restored: panel %#x, scene %#x", m, scene.mask)
	}
	if st := w.Info.Site(); st != (SiteDeg{28.5, -80.6, 0.01}) {
		t.Errorf("saved site not restored: %+v", st)
	}

	labels := map[string][]string{}
	for _, m := range w.MainMenu().Items {
		for _, it := range m.Items {
			if !it.IsSeparator {
				labels[m.Label] = append(labels[m.Label], it.Label)
			}
		}
	}
	for menu, want := range map[string][]string{
		"File": {"Open catalog…", "Quit"},
		"View": {"Reset view", "Follow selected", "Graticule", "Dark theme", "Light theme"},
		"Help": {"Keyboard shortcuts"},
	} {
		if strings.Join(labels[menu], "|") != strings.Join(want, "|") {
			t.Errorf("menu %s = %q, want %q", menu, labels[menu], want)
		}
	}
	if w.darkItem.Checked || !w.lightItem.Checked {
		t.Error("theme menu checks do not show light")
	}
	w.darkItem.Action()
	if !ThemeIsDark() || p.String(PrefTheme) != ThemeNameDark || !w.darkItem.Checked {
		t.Error("View ▸ Dark theme did not switch and save")
	}
	w.resetItem.Action()
	if scene.resets != 1 {
		t.Error("View ▸ Reset view did not reach the scene")
	}

	var opened string
	w.OnOpen = func(path string) { opened = path }
	w.OpenFile("/data/catalog.tle")
	if opened != "/data/catalog.tle" || LoadLastFile(p) != "/data/catalog.tle" {
		t.Errorf("OpenFile: OnOpen got %q, last file %q", opened, LoadLastFile(p))
	}
	w.ShowShortcuts() // must not panic on the test driver
}

func TestWorkstationCloseStopsGoroutines(t *testing.T) {
	a := test.NewTempApp(t)
	s := NewSession(NewClock(nil), nil, nil)
	w := NewWorkstation(a, s)
	called := false
	w.AddOnClosed(func() { called = true })
	w.Window().Close()
	select {
	case <-w.done:
	default:
		t.Error("workstation goroutine not told to stop")
	}
	select {
	case <-w.Info.done:
	default:
		t.Error("info refresh goroutine not stopped")
	}
	select {
	case <-w.Time.done:
	default:
		t.Error("time-control goroutine not stopped")
	}
	if !called {
		t.Error("AddOnClosed callback not run")
	}
}
