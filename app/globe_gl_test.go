//go:build cgo && linux

package app

import (
	"math"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/astroshield/astroshield/render"
)

// newEGLRenderer is a real renderer on Mesa EGL surfaceless; destroy the
// returned context after closing the renderer. No GL 3.3 skips the test
// (fails it where ASTROSHIELD_REQUIRE_GL=1, as in CI).
func newEGLRenderer(t testing.TB) (*render.Renderer, render.Context) {
	t.Helper()
	ctx, err := render.NewEGLContext()
	var r *render.Renderer
	if err == nil {
		r, err = render.NewRenderer(ctx)
	}
	if err != nil {
		if os.Getenv("ASTROSHIELD_REQUIRE_GL") == "1" {
			t.Fatalf("no OpenGL 3.3 core context: %v", err)
		}
		t.Skipf("no OpenGL 3.3 core context: %v", err)
	}
	return r, ctx
}

// newGLGlobe is a Globe on a real renderer (Mesa EGL surfaceless).
func newGLGlobe(t testing.TB, clock *Clock) *Globe {
	t.Helper()
	r, ctx := newEGLRenderer(t)
	g := NewGlobe(r, clock)
	t.Cleanup(func() { g.Stop(); ctx.Destroy() })
	return g
}

func waitKeyframes(t testing.TB, g *Globe) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		g.kfMu.Lock()
		ok := g.kfCur != nil && g.kfCur.Generation == g.kfGen
		g.kfMu.Unlock()
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("keyframes not propagated within 10 s")
}

// TestGlobeFullCatalogPickAndSelect runs the 3D view widget on the real
// renderer with the 24,132-object catalog: it draws, a click on the ISS's
// pixel picks the ISS, and once selected the ISS is drawn at its exact SGP4
// position with its orbit.
func TestGlobeFullCatalogPickAndSelect(t *testing.T) {
	test.NewTempApp(t)
	c := fullCatalog(t)
	at := time.Date(2022, 7, 15, 12, 0, 0, 0, time.UTC)
	clock := NewClock(nil)
	clock.Set(at)
	clock.SetPaused(true)
	g := newGLGlobe(t, clock)
	w := test.NewTempWindow(t, g)
	w.Resize(fyne.NewSize(800, 600))
	g.Resize(fyne.NewSize(800, 600))
	g.SetCatalog(c)
	waitKeyframes(t, g)

	iss, _ := c.ByNorad(25544)
	r, _, err := c.Objects[iss].Sat.At(at)
	if err != nil {
		t.Fatal(err)
	}
	// Point the camera at the ISS from outside so nothing is in front of it.
	g.mu.Lock()
	g.cam = render.Camera{TargetKm: r, YawRad: atan2(r[1], r[0]), PitchRad: asinNorm(r), DistanceKm: 2500, FovYDeg: 45}
	g.mu.Unlock()
	img := g.generate(800, 600)
	if img == nil {
		t.Fatal("no image")
	}
	picked := -2
	g.OnPick = func(i int) { picked = i }
	g.Tapped(&fyne.PointEvent{Position: fyne.NewPos(400, 300)})
	if picked != iss {
		name := "nothing"
		if picked >= 0 {
			name = c.Objects[picked].Label()
		}
		t.Fatalf("click at the centre picked %s, want the ISS", name)
	}
	g.Select(iss)
	g.generate(800, 600)
	g.mu.Lock()
	pathLen := len(g.path)
	g.mu.Unlock()
	if pathLen < 300 {
		t.Errorf("orbit path of %d points", pathLen)
	}
	snap, err := g.Snapshot()
	if err != nil || snap.Bounds().Dx() != 800 {
		t.Fatalf("snapshot: %v", err)
	}
	// The centre pixel is the bright selection marker.
	if cr, cg, cb, _ := snap.At(400, 300).RGBA(); cr>>8 < 200 || cg>>8 < 200 || cb>>8 < 200 {
		t.Errorf("centre pixel (%d,%d,%d) is not the white marker", cr>>8, cg>>8, cb>>8)
	}
	cpu, total := g.FrameStats()
	t.Logf("frame: %v composition, %v total at 800x600 with %d objects", cpu, total, c.Len())
}

func TestGlobeCameraInput(t *testing.T) {
	test.NewTempApp(t)
	g := newGLGlobe(t, NewClock(nil))
	g.Resize(fyne.NewSize(400, 300))
	before := g.Camera()
	g.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 30, DY: 0}})
	if g.Camera().YawRad == before.YawRad {
		t.Error("drag did not orbit")
	}
	g.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.Delta{DY: 50}})
	if g.Camera().DistanceKm >= before.DistanceKm {
		t.Error("scroll up did not zoom in")
	}
	if !g.KeyCamera(fyne.KeyPageDown) || g.KeyCamera(fyne.KeyA) {
		t.Error("KeyCamera")
	}
	g.ResetView()
	// The clock runs: the sun (and so the reset yaw) moves 7e-5 rad/s.
	if got, want := g.Camera(), render.DayCamera(g.clock.Now()); got.DistanceKm != want.DistanceKm ||
		got.PitchRad != want.PitchRad || math.Abs(got.YawRad-want.YawRad) > 1e-3 || got.TargetKm != want.TargetKm {
		t.Errorf("reset view: %+v, want %+v", got, want)
	}
}

func atan2(y, x float64) float64 { return math.Atan2(y, x) }

func asinNorm(r [3]float64) float64 {
	return math.Asin(r[2] / math.Sqrt(r[0]*r[0]+r[1]*r[1]+r[2]*r[2]))
}
