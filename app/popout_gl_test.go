//go:build cgo && linux

package app

import (
	"image"
	"math"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/astroshield/astroshield/render"
)

// eglPopOut is a PopOutView on a second real renderer (Mesa EGL
// surfaceless): Present draws and keeps the image, which is what the
// desktop's native window shows after its blit and swap (that part runs in
// the Xvfb smoke test, `--popout`).
type eglPopOut struct {
	*render.Renderer
	w, h int
	mu   sync.Mutex
	last *image.RGBA
}

func (e *eglPopOut) Present(f render.Frame) error {
	img, err := e.Draw(f)
	if err == nil {
		e.mu.Lock()
		e.last = img
		e.mu.Unlock()
	}
	return err
}

func (e *eglPopOut) Size() (int, int) { return e.w, e.h }

func newEGLPopOut(t *testing.T, w, h int) *eglPopOut {
	r, ctx := newEGLRenderer(t)
	t.Cleanup(func() { r.Close(); ctx.Destroy() })
	return &eglPopOut{Renderer: r, w: w, h: h}
}

// TestPopOutSharesSceneOwnCamera pops the full-catalog scene out: the pop-out
// draws the same objects with its own camera, a drag there moves only its
// camera, a click there selects (through the Globe's OnPick) the object
// under the pointer, and Detach stops it.
func TestPopOutSharesSceneOwnCamera(t *testing.T) {
	test.NewTempApp(t)
	c := fullCatalog(t)
	at := time.Date(2022, 7, 15, 12, 0, 0, 0, time.UTC)
	clock := NewClock(nil)
	clock.Set(at)
	clock.SetPaused(true)
	g := newGLGlobe(t, clock)
	g.SetCatalog(c)
	g.start()
	waitKeyframes(t, g)

	v := newEGLPopOut(t, 640, 480)
	p := g.AttachPopOut(v, 30)
	t.Cleanup(p.Detach)

	iss, _ := c.ByNorad(25544)
	r, _, err := c.Objects[iss].Sat.At(at)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.cam = render.Camera{TargetKm: r, YawRad: atan2(r[1], r[0]), PitchRad: asinNorm(r), DistanceKm: 2500, FovYDeg: 45}
	p.mu.Unlock()
	n0, _ := p.Presented()
	waitPresented(t, p, n0+3)
	v.mu.Lock()
	img := v.last
	v.mu.Unlock()
	if img == nil || img.Bounds().Dx() != 640 || img.Bounds().Dy() != 480 {
		t.Fatalf("pop-out image %v", img)
	}

	picked := make(chan int, 1)
	g.OnPick = func(i int) { picked <- i }
	p.MouseButton(0, true, false, 320, 240)
	p.MouseButton(0, false, false, 320, 240)
	select {
	case i := <-picked:
		// Modules docked to the ISS (e.g. Nauka) share its pixel.
		var ri [3]float64
		if i >= 0 {
			ri, _, _ = c.Objects[i].Sat.At(at)
		}
		if d := math.Sqrt((ri[0]-r[0])*(ri[0]-r[0]) + (ri[1]-r[1])*(ri[1]-r[1]) + (ri[2]-r[2])*(ri[2]-r[2])); i < 0 || d > 5 {
			t.Fatalf("click at the pop-out's centre picked %d (%s), want the ISS (%d)", i, c.Objects[max(i, 0)].Label(), iss)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no pick")
	}

	globeCam, popCam := g.Camera(), p.Camera()
	p.MouseButton(0, true, false, 100, 100)
	p.CursorMoved(200, 100)
	p.MouseButton(0, false, false, 200, 100)
	if p.Camera().YawRad == popCam.YawRad {
		t.Error("drag in the pop-out did not orbit its camera")
	}
	if g.Camera() != globeCam {
		t.Error("drag in the pop-out moved the main view's camera")
	}
	p.Scrolled(1)
	if p.Camera().DistanceKm >= popCam.DistanceKm {
		t.Error("scroll did not zoom in")
	}

	p.Detach()
	n, _ := p.Presented()
	time.Sleep(200 * time.Millisecond)
	if m, _ := p.Presented(); m != n {
		t.Errorf("presented %d frames after Detach", m-n)
	}
	g.mu.Lock()
	left := len(g.popOuts)
	g.mu.Unlock()
	if left != 0 {
		t.Errorf("%d pop-outs still attached", left)
	}
}

func waitPresented(t *testing.T, p *PopOut, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		got, err := p.Presented()
		if got >= n {
			return
		}
		if err != nil {
			t.Fatalf("present: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("fewer than %d frames presented in 10 s", n)
}
