package app

import (
	"context"
	"math"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/astroshield/astroshield/render"
)

// PopOutView is a native window the 3D view is popped out into: in the
// desktop binary a render.Renderer drawing into a render.Window (DESIGN §3),
// which this package cannot make (it needs cgo and the main thread).
type PopOutView interface {
	SetKeyframes(k *render.Keyframes)
	// Present draws a frame of the window's framebuffer size and shows it.
	Present(f render.Frame) error
	// Pick is the object under framebuffer pixel (x, y), y down.
	Pick(x, y int) (index int, ok bool)
	// Size is the window's framebuffer size in pixels.
	Size() (w, h int)
}

// PopOut shows its Globe's scene (catalog, time, selection, conjunction,
// kind filter, graticule) in a native window with a camera of its own. Its
// presenter goroutine belongs to it and stops with Detach. The input
// methods take framebuffer pixels and are called on the main thread by the
// window's event callbacks.
type PopOut struct {
	g   *Globe
	v   PopOutView
	fps int

	mu             sync.Mutex
	cam            render.Camera
	hover          int
	down           bool
	pan            bool
	downX, downY   float64
	lastX, lastY   float64
	moved          bool
	presented      int
	lastPresentErr error

	stop    context.CancelFunc
	stopped chan struct{}
	once    sync.Once
}

// AttachPopOut starts showing the scene in v at up to fps frames a second
// (0: the Globe's FPS), starting from the Globe's current camera.
func (g *Globe) AttachPopOut(v PopOutView, fps int) *PopOut {
	if fps <= 0 {
		fps = g.FPS
	}
	if fps <= 0 {
		fps = 60
	}
	g.mu.Lock()
	p := &PopOut{g: g, v: v, fps: fps, cam: g.cam, hover: -1, stopped: make(chan struct{})}
	g.popOuts = append(append([]*PopOut(nil), g.popOuts...), p)
	g.mu.Unlock()
	g.kfMu.Lock()
	if k := g.kfCur; k != nil {
		v.SetKeyframes(k)
	}
	g.kfMu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	p.stop = cancel
	go p.present(ctx)
	return p
}

// Detach stops presenting and forgets the window; the caller then closes
// the renderer and destroys the window. Safe to call more than once.
func (p *PopOut) Detach() {
	p.once.Do(func() {
		p.stop()
		<-p.stopped
		g := p.g
		g.mu.Lock()
		var keep []*PopOut
		for _, q := range g.popOuts {
			if q != p {
				keep = append(keep, q)
			}
		}
		g.popOuts = keep
		g.mu.Unlock()
	})
}

func (p *PopOut) present(ctx context.Context) {
	defer close(p.stopped)
	t := time.NewTicker(time.Second / time.Duration(p.fps))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w, h := p.v.Size()
		if w <= 0 || h <= 0 { // minimised
			continue
		}
		p.mu.Lock()
		cam, hover := p.cam, p.hover
		p.mu.Unlock()
		g := p.g
		g.mu.Lock()
		f := g.composeLocked(w, h, g.clock.Now(), &cam, hover)
		follow := g.follow
		g.mu.Unlock()
		err := p.v.Present(f)
		p.mu.Lock()
		if follow {
			p.cam.TargetKm = cam.TargetKm
		}
		p.lastPresentErr = err
		if err == nil {
			p.presented++
		}
		p.mu.Unlock()
	}
}

// Presented is how many frames have been shown, and the last error.
func (p *PopOut) Presented() (frames int, lastErr error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.presented, p.lastPresentErr
}

// Camera is the pop-out's camera.
func (p *PopOut) Camera() render.Camera {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cam
}

// MouseButton starts or ends a drag; a release within a few pixels of its
// press is a click that selects the object under it (as in the main view).
// Secondary button or Shift pans.
func (p *PopOut) MouseButton(button int, pressed, shift bool, x, y float64) {
	p.mu.Lock()
	if pressed {
		p.down, p.pan, p.moved = true, button == 1 || shift, false
		p.downX, p.downY, p.lastX, p.lastY = x, y, x, y
		p.mu.Unlock()
		return
	}
	click := p.down && !p.moved
	p.down = false
	p.mu.Unlock()
	if !click || button != 0 {
		return
	}
	i, ok := p.v.Pick(int(x), int(y))
	if !ok {
		i = -1
	}
	if p.g.OnPick != nil {
		onUI(func() { p.g.OnPick(i) })
	}
}

// CursorMoved orbits or pans while a button is down, else hovers.
func (p *PopOut) CursorMoved(x, y float64) {
	_, h := p.v.Size()
	p.mu.Lock()
	if p.down {
		if math.Hypot(x-p.downX, y-p.downY) > 3 {
			p.moved = true
		}
		if h > 0 {
			dragCamera(&p.cam, (x-p.lastX)/float64(h), (y-p.lastY)/float64(h), p.pan)
		}
		p.lastX, p.lastY = x, y
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	i, ok := p.v.Pick(int(x), int(y))
	if !ok {
		i = -1
	}
	p.mu.Lock()
	p.hover = i
	p.mu.Unlock()
}

// Scrolled zooms (one wheel notch, dy = ±1, zooms by 10 %).
func (p *PopOut) Scrolled(dy float64) {
	p.mu.Lock()
	p.cam.Zoom(math.Pow(0.9, dy))
	p.mu.Unlock()
}

// popOutKeys maps render.WindowEvents key names to the main view's keys.
var popOutKeys = map[string]fyne.KeyName{
	"Left": fyne.KeyLeft, "Right": fyne.KeyRight, "Up": fyne.KeyUp, "Down": fyne.KeyDown,
	"PageUp": fyne.KeyPageUp, "PageDown": fyne.KeyPageDown,
}

// Key moves the camera as the main view's keys do (render.WindowEvents
// names): arrows orbit, Page Up/Down zoom, Home resets. Follow mode is set
// in the main window and moves both cameras.
func (p *PopOut) Key(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if name == "Home" {
		p.cam = render.DayCamera(p.g.clock.Now())
		return
	}
	if k, ok := popOutKeys[name]; ok {
		keyCamera(&p.cam, k)
	}
}
