//go:build cgo && linux

package render

import (
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-gl/gl/v3.3-core/gl"
)

// newTestRenderer opens a Mesa EGL surfaceless context. Without one the test
// skips, unless ASTROSHIELD_REQUIRE_GL=1 (as `make test` sets) makes it fail.
func newTestRenderer(t *testing.T) *Renderer {
	t.Helper()
	ctx, err := NewEGLContext()
	if err == nil {
		var r *Renderer
		if r, err = NewRenderer(ctx); err == nil {
			t.Cleanup(func() { r.Close(); ctx.Destroy() })
			return r
		}
		ctx.Destroy()
	}
	if os.Getenv("ASTROSHIELD_REQUIRE_GL") == "1" {
		t.Fatalf("no OpenGL 3.3 core context: %v", err)
	}
	t.Skipf("no OpenGL 3.3 core context (install libegl-mesa0 libgl1-mesa-dri): %v", err)
	return nil
}

var sceneTime = time.Date(2022, 7, 15, 12, 0, 0, 0, time.UTC)

func baseFrame(w, h int) Frame {
	return Frame{Width: w, Height: h, Time: sceneTime, Camera: DefaultCamera(), Selected: -1, Hover: -1,
		KindMask: 0x0f, PointSizePx: 4, Palette: DefaultPalette(), Background: color.RGBA{A: 255}}
}

// lookAlong points the camera from direction d (unit) at the Earth's centre.
func lookAlong(d [3]float64, distKm float64) Camera {
	return Camera{YawRad: math.Atan2(d[1], d[0]), PitchRad: math.Asin(d[2]), DistanceKm: distKm, FovYDeg: 45}
}

// saveArtifact writes img as a PNG under $ASTROSHIELD_ARTIFACTS when set, so
// a person can look at what a scene test drew.
func saveArtifact(t *testing.T, name string, img image.Image) {
	dir := os.Getenv("ASTROSHIELD_ARTIFACTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Log(err)
		return
	}
	fh, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Log(err)
		return
	}
	defer fh.Close()
	if err := png.Encode(fh, img); err != nil {
		t.Log(err)
	}
}

// brightest is the most luminous pixel within radius of (x, y).
func brightest(img *image.RGBA, x, y, radius int) color.RGBA {
	var best color.RGBA
	for j := y - radius; j <= y+radius; j++ {
		for i := x - radius; i <= x+radius; i++ {
			if c := img.RGBAAt(i, j); luminance(c) > luminance(best) {
				best = c
			}
		}
	}
	return best
}

func luminance(c color.RGBA) float64 {
	return 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
}

func TestShadersCompileAndReportErrors(t *testing.T) {
	r := newTestRenderer(t)
	if !strings.Contains(r.Info(), "OpenGL") {
		t.Errorf("Info() = %q", r.Info())
	}
	t.Logf("GL: %s", r.Info())
	var err error
	r.do(func() {
		_, err = compileSource("broken.frag.glsl", "#version 330 core\nvoid main() { undefined_thing = 1.0; }\n", gl.FRAGMENT_SHADER)
	})
	var ce *CompileError
	if !errors.As(err, &ce) || ce.File != "broken.frag.glsl" || !strings.Contains(err.Error(), "broken.frag.glsl") || ce.Log == "" {
		t.Fatalf("broken shader: %v", err)
	}
}

func TestEarthDrawnWhereExpected(t *testing.T) {
	r := newTestRenderer(t)
	f := baseFrame(320, 240)
	f.Camera = lookAlong(SunDirection(sceneTime), 30000) // the lit hemisphere
	img, err := r.Draw(f)
	if err != nil {
		t.Fatal(err)
	}
	saveArtifact(t, "scene-earth-dayside.png", img)
	// The Earth's limb from the default camera: radius on screen in pixels.
	d := f.Camera.DistanceKm / EarthRadiusKm
	limbPx := math.Tan(math.Asin(1/d)) / math.Tan(f.Camera.FovYDeg*math.Pi/360) * 120
	inside, outside := 0, 0
	for y := 0; y < 240; y += 4 {
		for x := 0; x < 320; x += 4 {
			rr := math.Hypot(float64(x)+0.5-160, float64(y)+0.5-120)
			c := img.RGBAAt(x, y)
			drawn := c.R > 4 || c.G > 4 || c.B > 4
			switch {
			case rr < limbPx-3 && !drawn:
				inside++
			case rr > limbPx*1.06+3 && drawn:
				outside++
			}
		}
	}
	if inside > 0 || outside > 0 {
		t.Fatalf("limb radius %.1f px: %d blank samples inside the disc, %d drawn outside it", limbPx, inside, outside)
	}
}

func TestDayAndNightSides(t *testing.T) {
	r := newTestRenderer(t)
	sun := SunDirection(sceneTime)
	mean := func(cam Camera) float64 {
		f := baseFrame(160, 160)
		f.Camera = cam
		img, err := r.Draw(f)
		if err != nil {
			t.Fatal(err)
		}
		var s float64
		for y := 70; y < 90; y++ {
			for x := 70; x < 90; x++ {
				s += luminance(img.RGBAAt(x, y))
			}
		}
		return s / 400
	}
	day := mean(lookAlong(sun, 20000))
	night := mean(lookAlong([3]float64{-sun[0], -sun[1], -sun[2]}, 20000))
	if !(day > 40 && day > 3*night) {
		t.Fatalf("sub-solar disc luminance %.1f vs anti-solar %.1f", day, night)
	}
}

// ringKeyframes puts n objects on a circle of radius rKm in the plane facing
// a camera on +x, all at rest, kinds cycling through the four classes.
func ringKeyframes(n int, rKm float64) *Keyframes {
	k := &Keyframes{TA: sceneTime, TB: sceneTime.Add(time.Minute), Generation: 1,
		PosAKm: make([]float32, 3*n), VelAKmS: make([]float32, 3*n), PosBKm: make([]float32, 3*n), VelBKmS: make([]float32, 3*n), Kinds: make([]Kind, n)}
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		p := [3]float32{float32(2 * EarthRadiusKm), float32(rKm * math.Cos(a)), float32(rKm * math.Sin(a))}
		copy(k.PosAKm[3*i:], p[:])
		copy(k.PosBKm[3*i:], p[:])
		k.Kinds[i] = Kind(i % 4)
	}
	return k
}

func TestObjectsVisibleAndPicked(t *testing.T) {
	r := newTestRenderer(t)
	const n = 48
	k := ringKeyframes(n, 1.6*EarthRadiusKm)
	r.SetKeyframes(k)
	f := baseFrame(400, 400)
	f.Camera = lookAlong([3]float64{1, 0, 0}, 40000)
	if _, err := r.Draw(f); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		x, y, ok := f.Camera.ProjectKm([3]float64{float64(k.PosAKm[3*i]), float64(k.PosAKm[3*i+1]), float64(k.PosAKm[3*i+2])}, 400, 400)
		if !ok {
			t.Fatalf("object %d projects off screen", i)
		}
		got, hit := r.Pick(int(x), int(y))
		if !hit || got != i {
			t.Errorf("pick at object %d's pixel (%.0f,%.0f) = %d, %v", i, x, y, got, hit)
		}
	}
	if got, hit := r.Pick(2, 2); hit {
		t.Errorf("empty corner picked %d", got)
	}
	// Hide debris (kind 2): those objects vanish from the id buffer.
	f.KindMask = 0x0f &^ (1 << KindDebris)
	if _, err := r.Draw(f); err != nil {
		t.Fatal(err)
	}
	for i := 2; i < n; i += 4 {
		x, y, _ := f.Camera.ProjectKm([3]float64{float64(k.PosAKm[3*i]), float64(k.PosAKm[3*i+1]), float64(k.PosAKm[3*i+2])}, 400, 400)
		if got, hit := r.Pick(int(x), int(y)); hit && got == i {
			t.Errorf("hidden debris object %d still picked", i)
		}
	}
}

func TestHermiteInterpolationInShader(t *testing.T) {
	r := newTestRenderer(t)
	// One object on a circular orbit in the y-z plane seen from +x: the
	// shader must place it at the exact circle point halfway between two
	// keyframes a quarter of an hour apart.
	rKm := 2.0 * EarthRadiusKm
	mu := 398600.4418
	vKmS := math.Sqrt(mu / rKm)
	omega := vKmS / rKm
	h := 1800.0
	state := func(t float64) (p, v [3]float32) {
		a := omega * t
		return [3]float32{float32(1.5 * EarthRadiusKm), float32(rKm * math.Cos(a)), float32(rKm * math.Sin(a))},
			[3]float32{0, float32(-vKmS * math.Sin(a)), float32(vKmS * math.Cos(a))}
	}
	pa, va := state(0)
	pb, vb := state(h)
	k := &Keyframes{TA: sceneTime, TB: sceneTime.Add(time.Duration(h) * time.Second), Generation: 1,
		PosAKm: pa[:], VelAKmS: va[:], PosBKm: pb[:], VelBKmS: vb[:], Kinds: []Kind{KindPayload}}
	r.SetKeyframes(k)
	f := baseFrame(600, 600)
	f.Camera = lookAlong([3]float64{1, 0, 0}, 45000)
	f.Time = sceneTime.Add(time.Duration(h/2) * time.Second)
	if _, err := r.Draw(f); err != nil {
		t.Fatal(err)
	}
	pm, _ := state(h / 2)
	x, y, _ := f.Camera.ProjectKm([3]float64{float64(pm[0]), float64(pm[1]), float64(pm[2])}, 600, 600)
	if got, hit := r.Pick(int(x), int(y)); !hit || got != 0 {
		t.Fatalf("object not at its interpolated position (%.0f,%.0f): %d %v", x, y, got, hit)
	}
	// Linear interpolation would put it on the chord, well inside the arc.
	chord := [3]float64{float64(pa[0]+pb[0]) / 2, float64(pa[1]+pb[1]) / 2, float64(pa[2]+pb[2]) / 2}
	cx, cy, _ := f.Camera.ProjectKm(chord, 600, 600)
	if math.Hypot(cx-x, cy-y) < 12 {
		t.Fatalf("test too weak: chord midpoint only %.1f px from the arc", math.Hypot(cx-x, cy-y))
	}
	if _, hit := r.Pick(int(cx), int(cy)); hit {
		t.Error("object drawn at the chord midpoint (linear, not Hermite)")
	}
}

func TestSelectionMarkerAndLines(t *testing.T) {
	r := newTestRenderer(t)
	k := ringKeyframes(8, 1.6*EarthRadiusKm)
	r.SetKeyframes(k)
	f := baseFrame(300, 300)
	f.Camera = lookAlong([3]float64{1, 0, 0}, 40000)
	f.Selected = 3
	// The selected object is drawn at SelectedPosKm (exact SGP4), not at its
	// keyframe position.
	f.SelectedPosKm = [3]float64{2 * EarthRadiusKm, 0, 0.5 * EarthRadiusKm}
	var orbit [][3]float32
	for i := 0; i <= 90; i++ {
		a := 2 * math.Pi * float64(i) / 90
		orbit = append(orbit, [3]float32{float32(2 * EarthRadiusKm), float32(1.3 * EarthRadiusKm * math.Cos(a)), float32(1.3 * EarthRadiusKm * math.Sin(a))})
	}
	f.OrbitPathKm, f.FutureFrom = orbit, 45
	f.GroundTrack = [][2]float32{{0, 0}, {0.3, 0.4}, {0.5, 1.0}}
	f.ConjunctionKm = &[2][3]float64{{2 * EarthRadiusKm, -1e4, 0}, {2 * EarthRadiusKm, 1e4, 0}}
	f.ShowAtmosphere, f.ShowGraticule = true, true
	img, err := r.Draw(f)
	if err != nil {
		t.Fatal(err)
	}
	x, y, _ := f.Camera.ProjectKm(f.SelectedPosKm, 300, 300)
	if got, hit := r.Pick(int(x), int(y)); !hit || got != 3 {
		t.Errorf("marker pick = %d %v", got, hit)
	}
	kx, ky, _ := f.Camera.ProjectKm([3]float64{float64(k.PosAKm[9]), float64(k.PosAKm[10]), float64(k.PosAKm[11])}, 300, 300)
	if got, hit := r.Pick(int(kx), int(ky)); hit && got == 3 {
		t.Error("selected object also drawn at its keyframe position")
	}
	if c := img.RGBAAt(int(x), int(y)); luminance(c) < 150 {
		t.Errorf("marker pixel %v not bright", c)
	}
	// The orbit ring (radius 1.3 Re) is drawn off the Earth's disc at the top.
	ox, oy, _ := f.Camera.ProjectKm([3]float64{float64(orbit[22][0]), float64(orbit[22][1]), float64(orbit[22][2])}, 300, 300)
	saveArtifact(t, "scene-selection-lines.png", img)
	if c := brightest(img, int(ox), int(oy), 2); c.B < 60 {
		t.Errorf("orbit path pixel %v", c)
	}
}

func TestDrawRejectsBadSizeAndClose(t *testing.T) {
	r := newTestRenderer(t)
	if _, err := r.Draw(Frame{Width: 0, Height: 10}); err == nil {
		t.Error("0-wide frame accepted")
	}
	// Resizing reallocates the framebuffer.
	for _, sz := range []image.Point{{64, 48}, {200, 100}, {64, 48}} {
		img, err := r.Draw(baseFrame(sz.X, sz.Y))
		if err != nil || img.Rect.Dx() != sz.X || img.Rect.Dy() != sz.Y {
			t.Fatalf("%v: %v %v", sz, err, img.Rect)
		}
	}
	r.Close()
	if _, err := r.Draw(baseFrame(10, 10)); !errors.Is(err, ErrClosed) {
		t.Errorf("draw after close: %v", err)
	}
	if _, ok := r.Pick(1, 1); ok {
		t.Error("pick after close")
	}
}

// TestGeographyFollowsEarthRotation looks straight down at two places at
// 2022-07-15 12:00 UTC, both in daylight: the Sahara must come out sandy and
// the equatorial Atlantic blue, which holds only if the texture, the
// Earth-fixed mesh and the GMST rotation agree.
func TestGeographyFollowsEarthRotation(t *testing.T) {
	r := newTestRenderer(t)
	centre := func(latDeg, lonDeg float64) color.RGBA {
		d := unit(FixedToTEMEKm(sceneTime, latDeg*math.Pi/180, lonDeg*math.Pi/180, 1))
		f := baseFrame(64, 64)
		f.Camera = lookAlong(d, 12000)
		img, err := r.Draw(f)
		if err != nil {
			t.Fatal(err)
		}
		return img.RGBAAt(32, 32)
	}
	if c := centre(23, 12); !(int(c.R) > int(c.B)+30) {
		t.Errorf("Sahara (23N 12E) pixel %v is not sandy", c)
	}
	if c := centre(-5, -20); !(int(c.B) > int(c.R)+15) {
		t.Errorf("Atlantic (5S 20W) pixel %v is not blue", c)
	}
}

// Present needs a window: on the surfaceless test context it says so, and
// the renderer still draws afterwards. (The windowed path runs in the
// root package's Xvfb test of --popout.)
func TestPresentWithoutWindow(t *testing.T) {
	r := newTestRenderer(t)
	f := Frame{Width: 64, Height: 48, Time: time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC), Camera: DefaultCamera(), Selected: -1, Hover: -1}
	if err := r.Present(f); !errors.Is(err, ErrNoSurface) {
		t.Fatalf("Present on EGL surfaceless: %v, want ErrNoSurface", err)
	}
	if _, err := r.Draw(f); err != nil {
		t.Fatalf("Draw after Present: %v", err)
	}
}
