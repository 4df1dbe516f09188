//go:build cgo

package main

import (
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	asapp "github.com/astroshield/astroshield/app"
	"github.com/astroshield/astroshield/render"
)

// popOutWindow adapts a renderer drawing into a native window to
// asapp.PopOutView.
type popOutWindow struct {
	r   *render.Renderer
	win *render.Window
}

func (p *popOutWindow) SetKeyframes(k *render.Keyframes) { p.r.SetKeyframes(k) }
func (p *popOutWindow) Present(f render.Frame) error     { return p.r.Present(f) }
func (p *popOutWindow) Pick(x, y int) (int, bool)        { return p.r.Pick(x, y) }
func (p *popOutWindow) Size() (int, int)                 { return p.win.FramebufferSize() }

// popOut owns the optional native 3D window (DESIGN §3: a visible GLFW
// window sharing Fyne's GLFW instance, destroyed when it or the main window
// closes). Every method runs on the main thread.
type popOut struct {
	globe  *asapp.Globe
	parent fyne.Window
	stderr io.Writer

	win  *render.Window
	r    *render.Renderer
	view *asapp.PopOut
}

// menuItem is View → "Pop out 3D view" (Ctrl+Shift+P): opens the window, or
// raises it when it is open.
func (p *popOut) menuItem() *fyne.MenuItem {
	it := fyne.NewMenuItem("Pop out 3D view", p.open)
	it.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	return it
}

func (p *popOut) open() {
	if p.win != nil {
		p.win.Focus()
		return
	}
	// The callbacks run on the main thread while Fyne polls events; a
	// window must not be destroyed inside its own callback, so closing is
	// queued with fyne.Do.
	var view *asapp.PopOut
	var win *render.Window
	px := func(x, y float64) (float64, float64) {
		ix, iy := win.ScreenToPixels(x, y)
		return float64(ix), float64(iy)
	}
	ev := render.WindowEvents{
		MouseButton: func(b int, pressed, shift bool, x, y float64) {
			if view != nil {
				x, y = px(x, y)
				view.MouseButton(b, pressed, shift, x, y)
			}
		},
		CursorMoved: func(x, y float64) {
			if view != nil {
				view.CursorMoved(px(x, y))
			}
		},
		Scrolled: func(dy float64) {
			if view != nil {
				view.Scrolled(dy)
			}
		},
		Key: func(name string) {
			if view != nil {
				view.Key(name)
			}
		},
		Closed: func() { fyne.Do(p.close) },
	}
	win, err := render.NewWindow("AstroShield — 3D view", 1280, 720, ev)
	if err != nil {
		dialog.ShowError(fmt.Errorf("pop-out 3D view: %w", err), p.parent)
		return
	}
	r, err := render.NewRenderer(win)
	if err != nil {
		win.Destroy()
		dialog.ShowError(fmt.Errorf("pop-out 3D view: %w", err), p.parent)
		return
	}
	view = p.globe.AttachPopOut(&popOutWindow{r: r, win: win}, 0)
	p.win, p.r, p.view = win, r, view
	fmt.Fprintf(p.stderr, "astroshield: 3D view popped out into its own window on %s\n", r.Info())
}

// close detaches the view, stops its renderer, then destroys the window.
func (p *popOut) close() {
	if p.win == nil {
		return
	}
	p.view.Detach()
	p.r.Close()
	p.win.Destroy()
	p.win, p.r, p.view = nil, nil, nil
}
