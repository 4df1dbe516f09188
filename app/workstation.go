package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// LoadDataHint tells a user with an empty catalog how to load one.
const LoadDataHint = "Open a TLE/OMM file with File ▸ Open or start with --catalog FILE"

// StaleDataAge is the data age past which the status bar warns.
const StaleDataAge = 3 * 24 * time.Hour

// StatusRefresh is how often the status bar's data age follows the clock.
const StatusRefresh = time.Second

// Workstation is the main window: search on the left, the 3D view in the
// centre, object info on the right, time controls, tabs (conjunctions,
// charts, analysis: added by the caller with AddTab) and a status bar at the
// bottom, a main menu and keyboard shortcuts.
type Workstation struct {
	// OnOpen loads the catalog file the user chose with File ▸ Open (set by
	// the caller; it runs on Fyne's goroutine and should load in the
	// background, then call Session.SetCatalog).
	OnOpen func(path string)

	Search *SearchPanel
	Info   *InfoPanel
	Time   *TimeControls

	app fyne.App
	s   *Session
	win fyne.Window

	body      *fyne.Container // the main area, alone or split with tabs
	main      fyne.CanvasObject
	tabs      *container.AppTabs
	hint      *widget.Label
	status    *widget.Label
	warn      *widget.Label
	statusMsg string
	// statusRight holds the warning and items added with AddStatusItem
	// (the server connection indicator).
	statusRight   *fyne.Container
	onTabSelected []func(*container.TabItem)

	menu                           *fyne.MainMenu
	followItem, gratItem           *fyne.MenuItem
	darkItem, lightItem, resetItem *fyne.MenuItem
	follow, graticule              bool
	themeName                      string
	closeMu                        sync.Mutex
	onClosed                       []func()
	stopOnce                       sync.Once
	done                           chan struct{}
}

// NewWorkstation builds the window for session s (not shown: call
// Window().Show or ShowAndRun). Preferences default to a.Preferences(); the
// saved theme, site, rate and type filter are restored. s.Window is set to
// the new window when it is nil.
func NewWorkstation(a fyne.App, s *Session) *Workstation {
	if s.Prefs == nil && a != nil {
		s.Prefs = a.Preferences()
	}
	w := &Workstation{app: a, s: s, done: make(chan struct{})}
	w.themeName = LoadThemeName(s.Prefs)
	ApplyTheme(a, w.themeName)
	w.win = a.NewWindow("AstroShield")
	if s.Window == nil {
		s.Window = w.win
	}

	w.Search = NewSearchPanel(s)
	w.Info = NewInfoPanel(s)
	w.Time = NewTimeControls(s)

	w.hint = widget.NewLabelWithStyle("No catalog loaded. "+LoadDataHint, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	w.hint.Wrapping = fyne.TextWrapWord
	var centre fyne.CanvasObject
	if s.Scene != nil {
		centre = container.NewStack(s.Scene, container.NewVBox(layout.NewSpacer(), w.hint, layout.NewSpacer()))
	} else {
		un := widget.NewLabelWithStyle(SceneUnavailableText(s.SceneErr), fyne.TextAlignCenter, fyne.TextStyle{})
		un.Wrapping = fyne.TextWrapWord
		un.Importance = widget.WarningImportance
		centre = container.NewVBox(layout.NewSpacer(), un, w.hint, layout.NewSpacer())
	}
	inner := container.NewHSplit(centre, w.Info.CanvasObject())
	inner.SetOffset(0.74)
	outer := container.NewHSplit(w.Search.CanvasObject(), inner)
	outer.SetOffset(0.22)
	w.main = outer
	w.body = container.NewStack(w.main)
	w.tabs = container.NewAppTabs()
	w.tabs.OnSelected = func(ti *container.TabItem) {
		for _, f := range w.onTabSelected {
			f(ti)
		}
	}

	w.status = widget.NewLabel("")
	w.status.Truncation = fyne.TextTruncateEllipsis
	w.warn = widget.NewLabel("")
	w.warn.Importance = widget.WarningImportance
	w.warn.Hide()
	w.statusRight = container.NewHBox(w.warn)
	statusBar := container.NewBorder(nil, nil, nil, w.statusRight, w.status)
	bottom := container.NewVBox(widget.NewSeparator(), w.Time.CanvasObject(), widget.NewSeparator(), statusBar)
	w.win.SetContent(container.NewBorder(nil, bottom, nil, nil, w.body))
	w.win.Resize(fyne.NewSize(1280, 720))

	w.buildMenu()
	w.bindKeys()
	if s.Scene != nil {
		s.Scene.SetGraticule(w.graticule)
		s.Scene.SetFollow(w.follow)
	}

	s.OnCatalog(func(*Catalog) { onUI(w.refreshStatus) })
	s.Clock.OnChange(func() { onUI(w.refreshStatus) })
	w.refreshStatus()

	w.win.SetOnClosed(w.closed)
	w.Info.Start()
	w.Time.Start()
	go w.run()
	return w
}

// SceneUnavailableText is what the centre shows when the 3D view could not
// start.
func SceneUnavailableText(err error) string {
	why := "no 3D renderer"
	if err != nil {
		why = err.Error()
	}
	return "3D view unavailable: " + why + "; panels and charts still work"
}

// Window is the workstation's window.
func (w *Workstation) Window() fyne.Window { return w.win }

// AddTab adds a panel (conjunctions, charts, analysis …) to the tab area
// under the 3D view; the area appears with the first tab. Call on Fyne's
// goroutine.
func (w *Workstation) AddTab(title string, content fyne.CanvasObject) {
	w.tabs.Append(container.NewTabItem(title, content))
	if len(w.tabs.Items) == 1 {
		split := container.NewVSplit(w.main, w.tabs)
		split.SetOffset(0.7)
		w.body.Objects = []fyne.CanvasObject{split}
		w.body.Refresh()
	}
}

// OnTabSelected registers f to run when a tab of the tab area is selected
// (the alerts badge clears when its tab is viewed). Call on Fyne's goroutine.
func (w *Workstation) OnTabSelected(f func(*container.TabItem)) {
	w.onTabSelected = append(w.onTabSelected, f)
}

// AddStatusItem appends o to the right end of the status bar (e.g. the
// server connection indicator). Call on Fyne's goroutine.
func (w *Workstation) AddStatusItem(o fyne.CanvasObject) {
	w.statusRight.Add(o)
}

// AddMenu inserts m before the Help menu (e.g. the Server menu).
func (w *Workstation) AddMenu(m *fyne.Menu) {
	items := w.menu.Items
	at := len(items)
	if at > 0 && items[at-1].Label == "Help" {
		at--
	}
	w.menu.Items = append(items[:at:at], append([]*fyne.Menu{m}, items[at:]...)...)
	w.win.SetMainMenu(w.menu)
}

// Tabs is the tab area (for selecting a tab from code).
func (w *Workstation) Tabs() *container.AppTabs { return w.tabs }

// SetStatus sets the message part of the status bar (which always shows
// the catalog source, object count and data age). Call on Fyne's goroutine.
func (w *Workstation) SetStatus(text string) {
	w.statusMsg = text
	w.refreshStatus()
}

// StatusText is the status bar's full text, warning included.
func (w *Workstation) StatusText() string {
	if w.warn.Visible() {
		return w.status.Text + " " + w.warn.Text
	}
	return w.status.Text
}

// AddOnClosed runs f when the window closes (after the panels' goroutines
// stop). Use it rather than Window().SetOnClosed, which would replace the
// workstation's own handler.
func (w *Workstation) AddOnClosed(f func()) {
	w.closeMu.Lock()
	w.onClosed = append(w.onClosed, f)
	w.closeMu.Unlock()
}

// Stop ends the workstation's goroutines (the window closing does it too).
func (w *Workstation) Stop() {
	w.stopOnce.Do(func() {
		close(w.done)
		w.Info.Stop()
		w.Time.Stop()
	})
}

func (w *Workstation) closed() {
	w.Stop()
	w.closeMu.Lock()
	fs := append([]func(){}, w.onClosed...)
	w.closeMu.Unlock()
	for _, f := range fs {
		f()
	}
}

func (w *Workstation) run() {
	tk := time.NewTicker(StatusRefresh)
	defer tk.Stop()
	for {
		select {
		case <-w.done:
			return
		case <-tk.C:
			onUI(w.refreshStatus)
		}
	}
}

func (w *Workstation) refreshStatus() {
	c := w.s.Catalog()
	var parts []string
	if c.Len() == 0 {
		w.hint.Show()
		parts = append(parts, "No catalog: "+LoadDataHint)
		w.warn.Hide()
	} else {
		w.hint.Hide()
		src := c.Source
		if src == "" {
			src = "unnamed source"
		} else if !strings.Contains(src, "://") {
			src = filepath.Base(src)
		}
		parts = append(parts, src, groupDigits(c.Len())+" objects")
		// Data age is the displayed time minus the newest element set: what
		// limits the accuracy of what is drawn. When the clock shows a time
		// before that (an old catalog shown at its own epochs), the age
		// given is the wall clock's, marked so.
		age := w.s.Clock.Now().Sub(c.NewestEpoch())
		if age >= 0 {
			parts = append(parts, "data age "+FormatDataAge(age))
		} else {
			parts = append(parts, "data age "+FormatDataAge(w.s.Clock.Wall().Sub(c.NewestEpoch()))+" (shown at its epochs)")
		}
		if c.RecordErrs != nil {
			parts = append(parts, "some records unreadable")
		}
		if age > StaleDataAge {
			w.warn.SetText("warning: data older than 3 days, positions degrade by km per day")
			w.warn.Show()
		} else {
			w.warn.Hide()
		}
	}
	if w.s.Scene == nil {
		parts = append(parts, "3D view off")
	}
	if w.statusMsg != "" {
		parts = append(parts, w.statusMsg)
	}
	w.status.SetText(strings.Join(parts, " · "))
}

// FormatDataAge writes an age the way the status bar and panels show it:
// "45 min", "3 h", "2 d 5 h", "141 d", "4 y 141 d" (years of 365.25 d);
// a negative age (the clock before the epoch) reads "-3 h".
func FormatDataAge(d time.Duration) string {
	if d < 0 {
		return "-" + FormatDataAge(-d)
	}
	const day = 24 * time.Hour
	const year = time.Duration(365.25 * float64(day))
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < day:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	case d < 10*day:
		return fmt.Sprintf("%d d %d h", int(d/day), int(d%day/time.Hour))
	case d < year:
		return fmt.Sprintf("%d d", int(d/day))
	}
	return fmt.Sprintf("%d y %d d", int(d/year), int(d%year/day))
}

func groupDigits(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (w *Workstation) buildMenu() {
	open := fyne.NewMenuItem("Open catalog…", w.ShowOpenDialog)
	open.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	quit := fyne.NewMenuItem("Quit", func() { w.app.Quit() })
	quit.IsQuit = true

	w.resetItem = fyne.NewMenuItem("Reset view", w.ResetView)
	w.followItem = fyne.NewMenuItem("Follow selected", func() { w.SetFollow(!w.follow) })
	w.gratItem = fyne.NewMenuItem("Graticule", func() { w.SetGraticule(!w.graticule) })
	w.darkItem = fyne.NewMenuItem("Dark theme", func() { w.SetTheme(ThemeNameDark) })
	w.lightItem = fyne.NewMenuItem("Light theme", func() { w.SetTheme(ThemeNameLight) })
	if w.s.Scene == nil {
		w.resetItem.Disabled, w.followItem.Disabled, w.gratItem.Disabled = true, true, true
	}
	keys := fyne.NewMenuItem("Keyboard shortcuts", w.ShowShortcuts)

	w.menu = fyne.NewMainMenu(
		fyne.NewMenu("File", open, fyne.NewMenuItemSeparator(), quit),
		fyne.NewMenu("View", w.resetItem, w.followItem, w.gratItem, fyne.NewMenuItemSeparator(), w.darkItem, w.lightItem),
		fyne.NewMenu("Help", keys),
	)
	w.syncMenu()
	w.win.SetMainMenu(w.menu)
}

func (w *Workstation) syncMenu() {
	w.followItem.Checked = w.follow
	w.gratItem.Checked = w.graticule
	w.darkItem.Checked = w.themeName != ThemeNameLight
	w.lightItem.Checked = w.themeName == ThemeNameLight
	if w.menu != nil {
		w.menu.Refresh()
	}
}

// AddViewItem appends item to the View menu (e.g. the desktop binary's
// "Pop out 3D view", which needs a native window this package cannot make).
// A shortcut on item is registered with the window's canvas too.
func (w *Workstation) AddViewItem(item *fyne.MenuItem) {
	for _, m := range w.menu.Items {
		if m.Label == "View" {
			m.Items = append(m.Items, fyne.NewMenuItemSeparator(), item)
		}
	}
	if item.Shortcut != nil {
		w.win.Canvas().AddShortcut(item.Shortcut, func(fyne.Shortcut) { item.Action() })
	}
	w.menu.Refresh()
}

// MainMenu is the window's menu.
func (w *Workstation) MainMenu() *fyne.MainMenu { return w.menu }

// ResetView returns the 3D camera to its default.
func (w *Workstation) ResetView() {
	if w.s.Scene != nil {
		w.s.Scene.ResetView()
	}
}

// SetFollow keeps the camera on the selected object.
func (w *Workstation) SetFollow(on bool) {
	if w.s.Scene == nil {
		return
	}
	w.follow = on
	w.s.Scene.SetFollow(on)
	w.syncMenu()
}

// SetGraticule shows or hides the latitude/longitude grid.
func (w *Workstation) SetGraticule(on bool) {
	if w.s.Scene == nil {
		return
	}
	w.graticule = on
	w.s.Scene.SetGraticule(on)
	w.syncMenu()
}

// SetTheme switches to "dark" or "light" and remembers it.
func (w *Workstation) SetTheme(name string) {
	w.themeName = ApplyTheme(w.app, name).Name()
	SaveThemeName(w.s.Prefs, w.themeName)
	w.syncMenu()
}

// OpenFile remembers path and hands it to OnOpen.
func (w *Workstation) OpenFile(path string) {
	SaveLastFile(w.s.Prefs, path)
	if w.OnOpen == nil {
		w.SetStatus("cannot open " + filepath.Base(path) + ": no catalog loader set")
		return
	}
	w.OnOpen(path)
}

// ShowOpenDialog asks for a TLE/OMM file, starting in the last file's folder.
func (w *Workstation) ShowOpenDialog() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("open catalog: %w", err), w.win)
			return
		}
		if rc == nil {
			return // cancelled
		}
		path := rc.URI().Path()
		_ = rc.Close()
		w.OpenFile(path)
	}, w.win)
	if last := LoadLastFile(w.s.Prefs); last != "" {
		if st, err := os.Stat(filepath.Dir(last)); err == nil && st.IsDir() {
			if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(last))); err == nil {
				d.SetLocation(l)
			}
		}
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// shortcutHelp lists the keyboard shortcuts (key, action).
var shortcutHelp = [][2]string{
	{"Space", "play / pause"},
	{"+ / -", "faster / slower"},
	{"R", "reverse time"},
	{"N", "now (wall clock, x1)"},
	{"Home", "reset view"},
	{"Arrows", "orbit the camera"},
	{"PgUp / PgDn", "zoom in / out"},
	{"Drag / Shift+drag", "orbit / pan (right-drag pans too)"},
	{"Scroll", "zoom"},
	{"Click", "select the object under the pointer"},
	{"F", "follow selected"},
	{"G", "graticule on/off"},
	{"Ctrl+F", "focus search"},
	{"Ctrl+O", "open catalog"},
	{"Esc", "clear selection"},
	{"Ctrl+Shift+P", "pop the 3D view out into its own window (same keys and mouse there)"},
	{"Ctrl+Shift+N", "add a note to the opened server conjunction (with a server)"},
	{"Ctrl+Shift+A", "acknowledge the opened server conjunction as shown (with a server)"},
}

// ShowShortcuts opens the keyboard shortcuts dialog.
func (w *Workstation) ShowShortcuts() {
	grid := container.New(layout.NewFormLayout())
	for _, kv := range shortcutHelp {
		grid.Add(widget.NewLabelWithStyle(kv[0], fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true, Bold: true}))
		grid.Add(widget.NewLabel(kv[1]))
	}
	dialog.NewCustom("Keyboard shortcuts", "Close", grid, w.win).Show()
}

func (w *Workstation) bindKeys() {
	c := w.win.Canvas()
	c.SetOnTypedRune(func(r rune) { w.typedRune(r) })
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		switch e.Name {
		case fyne.KeyHome:
			w.ResetView()
		case fyne.KeyEscape:
			w.s.Select(-1)
		default:
			// Arrows orbit and Page Up/Down zoom the 3D view's camera.
			if kc, ok := w.s.Scene.(interface{ KeyCamera(fyne.KeyName) bool }); ok {
				kc.KeyCamera(e.Name)
			}
		}
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.win.Canvas().Focus(w.Search.Entry())
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		w.ShowOpenDialog()
	})
}

// typedRune handles single-key shortcuts (only when no entry has focus:
// Fyne sends runes to the focused widget first).
func (w *Workstation) typedRune(r rune) {
	switch r {
	case ' ':
		w.Time.TogglePlay()
	case '+', '=':
		w.Time.Faster()
	case '-', '_':
		w.Time.Slower()
	case 'r', 'R':
		w.Time.Reverse()
	case 'n', 'N':
		w.s.Clock.ResetToNow()
	case 'f', 'F':
		w.SetFollow(!w.follow)
	case 'g', 'G':
		w.SetGraticule(!w.graticule)
	}
}
