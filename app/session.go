// Package app is the AstroShield desktop client's UI (Fyne): the workstation
// window, its panels and charts, around the 3D view of package render. Panels
// share one Session (catalog, selection, clock); the 3D view is reached only
// through SceneView so every panel can be tested with Fyne's test driver and
// no GL.
package app

import (
	"image"
	"image/color"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// SceneView is what the panels need from the 3D view (Globe implements it).
type SceneView interface {
	fyne.CanvasObject
	// SetCatalog replaces the objects drawn.
	SetCatalog(c *Catalog)
	// Select highlights object i (catalog index), -1 for none.
	Select(i int)
	// FrameConjunction points the camera at objects a and b at tca and draws
	// the line between them.
	FrameConjunction(a, b int, tca time.Time)
	// ClearConjunction removes the conjunction line.
	ClearConjunction()
	// ResetView returns the camera to its default.
	ResetView()
	// SetFollow keeps the camera on the selected object.
	SetFollow(on bool)
	// SetKindMask shows kind k when bit k is set.
	SetKindMask(mask uint8)
	// SetGraticule toggles the latitude/longitude grid.
	SetGraticule(on bool)
	// Snapshot is the last drawn frame (for PNG export).
	Snapshot() (image.Image, error)
}

// Session is the state every panel shares. Its setters notify listeners on
// the calling goroutine; UI code that is not already on Fyne's goroutine must
// wrap widget updates in fyne.Do.
type Session struct {
	Clock *Clock
	Scene SceneView // nil when the 3D view is unavailable (SceneErr says why)
	// SceneErr explains a missing 3D view (e.g. render.ErrGLTooOld).
	SceneErr error
	Window   fyne.Window
	Prefs    fyne.Preferences

	mu         sync.Mutex
	catalog    *Catalog
	selected   int
	onCatalog  []func(*Catalog)
	onSelected []func(int)
}

// NewSession starts with an empty catalog and nothing selected.
func NewSession(clock *Clock, scene SceneView, prefs fyne.Preferences) *Session {
	if clock == nil {
		clock = NewClock(nil)
	}
	return &Session{Clock: clock, Scene: scene, Prefs: prefs, selected: -1, catalog: &Catalog{}}
}

// Catalog is the loaded catalog (never nil; empty at start).
func (s *Session) Catalog() *Catalog {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.catalog
}

// SetCatalog replaces the catalog and tells the scene and every listener.
// The selected object stays selected when c holds its NORAD number (a server
// sync that replaces the catalog must not lose it); otherwise the selection
// clears.
func (s *Session) SetCatalog(c *Catalog) {
	s.mu.Lock()
	keep := -1
	if old := s.catalog; s.selected >= 0 && s.selected < old.Len() {
		if i, ok := c.ByNorad(old.Objects[s.selected].Set.CatalogNumber); ok {
			keep = i
		}
	}
	s.catalog = c
	s.selected = -1
	ls := append([]func(*Catalog){}, s.onCatalog...)
	s.mu.Unlock()
	if s.Scene != nil {
		s.Scene.SetCatalog(c)
		s.Scene.Select(-1)
	}
	for _, f := range ls {
		f(c)
	}
	if keep >= 0 {
		s.Select(keep)
	}
}

// ShowAtEpochsIfStale moves the clock, paused, to c's median epoch when c's
// newest element set is more than StaleDataAge before the clock's time: old
// data is shown at its own epochs rather than propagated years past them.
// It reports whether the clock moved. Call it before SetCatalog, on a
// first catalog (a later one must not undo where the user put the clock).
func (s *Session) ShowAtEpochsIfStale(c *Catalog) bool {
	newest := c.NewestEpoch()
	if newest.IsZero() || s.Clock.Now().Sub(newest) <= StaleDataAge {
		return false
	}
	s.Clock.Set(c.MedianEpoch())
	s.Clock.SetPaused(true)
	return true
}

// Selected is the selected object's catalog index, -1 for none.
func (s *Session) Selected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.selected
}

// Select selects object i (-1 clears) everywhere.
func (s *Session) Select(i int) {
	s.mu.Lock()
	if i >= s.catalog.Len() {
		i = -1
	}
	changed := i != s.selected
	s.selected = i
	ls := append([]func(int){}, s.onSelected...)
	s.mu.Unlock()
	if !changed {
		return
	}
	if s.Scene != nil {
		s.Scene.Select(i)
	}
	for _, f := range ls {
		f(i)
	}
}

// OnCatalog registers f to run after every SetCatalog.
func (s *Session) OnCatalog(f func(*Catalog)) {
	s.mu.Lock()
	s.onCatalog = append(s.onCatalog, f)
	s.mu.Unlock()
}

// OnSelect registers f to run after the selection changes.
func (s *Session) OnSelect(f func(int)) {
	s.mu.Lock()
	s.onSelected = append(s.onSelected, f)
	s.mu.Unlock()
}

// SceneBackground is the colour of space behind the globe.
var SceneBackground = color.RGBA{R: 4, G: 6, B: 14, A: 255}
