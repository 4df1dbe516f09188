package app

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/astroshield/astroshield/render"
)

// Globe is the 3D view: a canvas.Raster drawn by a render.Viewport at the
// widget's exact pixel size (DESIGN §3), with mouse and keyboard camera
// control, click picking and hover. Two goroutines belong to it and stop with
// Stop: the frame ticker (asks Fyne to redraw at up to FPS) and the keyframe
// worker (propagates every object at two times around the clock's time so
// the vertex shader only interpolates).
type Globe struct {
	widget.BaseWidget

	vp    render.Viewport
	clock *Clock
	// OnPick is called (on Fyne's goroutine) with the catalog index of a
	// clicked object, or -1 for a click on empty space.
	OnPick func(i int)
	// FPS is the redraw rate asked of Fyne (default 60).
	FPS int

	raster *canvas.Raster

	mu         sync.Mutex
	cat        *Catalog
	cam        render.Camera
	selected   int
	hover      int
	follow     bool
	kindMask   uint8
	graticule  bool
	conj       [2]int // catalog indices, -1 when no conjunction is shown
	pathAt     time.Time
	pathFor    int
	path       [][3]float32
	future     int
	track      [][2]float32
	pxW, pxH   int
	last       *image.RGBA
	lastErr    error
	frameCPU   time.Duration // last frame's CPU cost outside the GL draw
	frameTotal time.Duration
	drawing    bool
	dragPan    bool
	firstObjs  time.Time // wall time of the first frame drawn with objects
	popOuts    []*PopOut // native windows showing this scene (copy on write)

	kfMu      sync.Mutex
	kfCur     *render.Keyframes // keyframes given to the viewport
	kfSpare   *render.Keyframes // reused buffers for the next window
	kfGen     uint64
	kfWanted  chan struct{}
	stop      context.CancelFunc
	stopped   chan struct{}
	startOnce sync.Once
}

// Keyframe window: the shader interpolates between states h apart; h grows
// with the clock rate so fast playback does not outrun the worker, capped
// where cubic Hermite on a LEO orbit stays within a few km.
const (
	keyframeMinStep = 60 * time.Second
	keyframeMaxStep = 600 * time.Second
)

// NewGlobe wraps vp, which the Globe then owns (Stop closes it).
func NewGlobe(vp render.Viewport, clock *Clock) *Globe {
	g := &Globe{vp: vp, clock: clock, cam: render.DayCamera(clock.Now()), selected: -1, hover: -1, kindMask: 0x0f,
		conj: [2]int{-1, -1}, pathFor: -1, kfWanted: make(chan struct{}, 1), FPS: 60}
	g.raster = canvas.NewRaster(g.generate)
	g.raster.ScaleMode = canvas.ImageScalePixels
	g.ExtendBaseWidget(g)
	return g
}

// CreateRenderer implements fyne.Widget.
func (g *Globe) CreateRenderer() fyne.WidgetRenderer {
	g.start()
	return widget.NewSimpleRenderer(g.raster)
}

// MinSize keeps the view usable in a 1280x720 window.
func (g *Globe) MinSize() fyne.Size { return fyne.NewSize(320, 240) }

func (g *Globe) start() {
	g.startOnce.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		g.stop = cancel
		g.stopped = make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); g.keyframeWorker(ctx) }()
		go func() { defer wg.Done(); g.ticker(ctx) }()
		go func() { wg.Wait(); close(g.stopped) }()
		g.clock.OnChange(g.wantKeyframes)
	})
}

// Stop ends the Globe's goroutines and closes the viewport.
func (g *Globe) Stop() {
	if g.stop != nil {
		g.stop()
		<-g.stopped
	}
	if g.vp != nil {
		g.vp.Close()
	}
}

// frameKey is what a frame of the view depends on. While it is unchanged
// (a paused clock, a still camera, nothing selected or hovered anew) the
// ticker asks for no redraw, except every idleRedraw, so that an input this
// key misses cannot leave the view stale for long. On software GL an idle
// view otherwise keeps a whole core busy.
type frameKey struct {
	now          time.Time
	cam          render.Camera
	selected     int
	hover        int
	follow, grat bool
	mask         uint8
	conj         [2]int
	cat          *Catalog
	kf           *render.Keyframes
}

const idleRedraw = time.Second

func (g *Globe) frameKeyLocked() frameKey {
	g.kfMu.Lock()
	kf := g.kfCur
	g.kfMu.Unlock()
	return frameKey{now: g.clock.Now(), cam: g.cam, selected: g.selected, hover: g.hover, follow: g.follow, grat: g.graticule,
		mask: g.kindMask, conj: g.conj, cat: g.cat, kf: kf}
}

func (g *Globe) ticker(ctx context.Context) {
	fps := g.FPS
	if fps <= 0 {
		fps = 60
	}
	t := time.NewTicker(time.Second / time.Duration(fps))
	defer t.Stop()
	var last frameKey
	var lastAt time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			g.mu.Lock()
			busy := g.drawing
			key := g.frameKeyLocked()
			g.mu.Unlock()
			if busy || (key == last && time.Since(lastAt) < idleRedraw) {
				continue
			}
			last, lastAt = key, time.Now()
			onUI(g.raster.Refresh)
		}
	}
}

func (g *Globe) wantKeyframes() {
	select {
	case g.kfWanted <- struct{}{}:
	default:
	}
}

// keyframeWindow is the interval the worker propagates for simulated time
// now at rate: mostly ahead of now in the direction time runs.
func keyframeWindow(now time.Time, rate float64) (ta, tb time.Time) {
	h := time.Duration(math.Abs(rate) * float64(2*time.Second))
	h = max(keyframeMinStep, min(keyframeMaxStep, h))
	if rate < 0 {
		return now.Add(-h * 9 / 10), now.Add(h / 10)
	}
	return now.Add(-h / 10), now.Add(h * 9 / 10)
}

// keyframesStale reports whether the window [ta, tb] no longer serves now:
// outside it, or within its last quarter in the direction of travel.
func keyframesStale(k *render.Keyframes, now time.Time, rate float64) bool {
	if k == nil {
		return true
	}
	q := k.TB.Sub(k.TA) / 4
	if rate < 0 {
		return now.Before(k.TA.Add(q)) || now.After(k.TB)
	}
	return now.Before(k.TA) || now.After(k.TB.Add(-q))
}

func (g *Globe) keyframeWorker(ctx context.Context) {
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-poll.C:
		case <-g.kfWanted:
		}
		g.mu.Lock()
		cat := g.cat
		g.mu.Unlock()
		if cat == nil {
			continue
		}
		now, rate := g.clock.Now(), g.clock.Rate()
		g.kfMu.Lock()
		cur, gen := g.kfCur, g.kfGen
		stale := cur == nil || cur.Generation != gen || keyframesStale(cur, now, rate)
		next := g.kfSpare
		g.kfMu.Unlock()
		if !stale {
			continue
		}
		if next == nil {
			next = &render.Keyframes{}
		}
		ta, tb := keyframeWindow(now, rate)
		if err := PropagateKeyframes(ctx, cat, ta, tb, next, 0); err != nil {
			continue
		}
		next.Generation = gen
		g.kfMu.Lock()
		if g.kfGen != gen { // catalog replaced meanwhile: try again
			g.kfMu.Unlock()
			g.wantKeyframes()
			continue
		}
		// The viewport keeps cur until it uploads next, so cur can only be
		// reused after the following swap: keep two spares in rotation.
		g.kfSpare = nil
		if cur != nil && cur != next {
			g.kfSpare = cur
		}
		g.kfCur = next
		g.kfMu.Unlock()
		g.vp.SetKeyframes(next)
		g.mu.Lock()
		pops := g.popOuts
		g.mu.Unlock()
		for _, p := range pops {
			p.v.SetKeyframes(next)
		}
	}
}

// generate is the raster's draw function (Fyne's goroutine, pixel size).
func (g *Globe) generate(w, h int) image.Image {
	start := time.Now()
	g.mu.Lock()
	g.drawing = true
	f := g.composeLocked(w, h, g.clock.Now(), &g.cam, g.hover)
	g.mu.Unlock()
	cpu := time.Since(start)
	g.kfMu.Lock()
	haveObjects := g.kfCur != nil && g.kfCur.Len() > 0
	g.kfMu.Unlock()
	img, err := g.vp.Draw(f)
	g.mu.Lock()
	if err == nil && haveObjects && g.firstObjs.IsZero() {
		g.firstObjs = time.Now()
	}
	g.drawing = false
	g.pxW, g.pxH = w, h
	g.frameCPU, g.frameTotal = cpu, time.Since(start)
	g.lastErr = err
	if err == nil {
		g.last = img
	}
	g.mu.Unlock()
	if err != nil || img == nil {
		return image.NewUniform(color.RGBA{R: 40, A: 255})
	}
	return img
}

// composeLocked builds the frame for time now: the selected object and a
// shown conjunction are propagated exactly (SGP4 every frame); the orbit
// path and ground track are refreshed when the selection changes or the
// clock has moved a little. cam is the view's camera (the Globe's own or a
// pop-out's); follow mode moves it to the selected object.
func (g *Globe) composeLocked(w, h int, now time.Time, cam *render.Camera, hover int) render.Frame {
	f := render.Frame{Width: w, Height: h, Time: now, Camera: *cam, Selected: -1, Hover: hover,
		ShowGraticule: g.graticule, ShowAtmosphere: true, KindMask: g.kindMask, PointSizePx: 2.5,
		Palette: render.DefaultPalette(), Background: SceneBackground}
	cat := g.cat
	if cat == nil {
		return f
	}
	if i := g.selected; i >= 0 && i < cat.Len() && cat.Objects[i].Sat != nil {
		o := &cat.Objects[i]
		if r, _, err := o.Sat.At(now); err == nil {
			f.Selected, f.SelectedPosKm = i, r
			if g.follow {
				cam.TargetKm = r
				f.Camera.TargetKm = r
			}
			p := PeriodOf(o.Set.MeanMotionRevPerDay)
			if g.pathFor != i || now.Sub(g.pathAt).Abs() > p/90 {
				g.path, g.future = OrbitPath(o.Sat, p, now, 180)
				g.track = GroundTrack(o.Sat, now, p/2, p, p/200)
				g.pathFor, g.pathAt = i, now
			}
			f.OrbitPathKm, f.FutureFrom, f.GroundTrack = g.path, g.future, g.track
		}
	}
	if a, b := g.conj[0], g.conj[1]; a >= 0 && b >= 0 && a < cat.Len() && b < cat.Len() && cat.Objects[a].Sat != nil && cat.Objects[b].Sat != nil {
		ra, _, errA := cat.Objects[a].Sat.At(now)
		rb, _, errB := cat.Objects[b].Sat.At(now)
		if errA == nil && errB == nil {
			f.ConjunctionKm = &[2][3]float64{ra, rb}
		}
	}
	return f
}

// FrameStats are the last frame's costs: CPU is the composition outside the
// viewport's Draw, Total includes it.
func (g *Globe) FrameStats() (cpu, total time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.frameCPU, g.frameTotal
}

// FirstFrameWithObjects is when the first frame showing catalogued objects
// was drawn (zero until then).
func (g *Globe) FirstFrameWithObjects() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.firstObjs
}

// SetCatalog implements SceneView.
func (g *Globe) SetCatalog(c *Catalog) {
	g.mu.Lock()
	if g.cat.Len() == 0 {
		// The first catalog: face the sunlit Earth at its time. A catalog
		// that replaces another (a server sync) keeps the user's camera.
		g.cam = render.DayCamera(g.clock.Now())
	}
	g.cat = c
	g.selected, g.hover, g.pathFor = -1, -1, -1
	g.conj = [2]int{-1, -1}
	g.mu.Unlock()
	g.kfMu.Lock()
	g.kfGen++
	g.kfMu.Unlock()
	g.wantKeyframes()
}

// Select implements SceneView.
func (g *Globe) Select(i int) {
	g.mu.Lock()
	g.selected = i
	g.pathFor = -1
	if i < 0 {
		g.follow = false
	}
	g.mu.Unlock()
}

// FrameConjunction implements SceneView: the camera looks at the midpoint of
// the two objects at tca from far enough to see both and the Earth's limb.
func (g *Globe) FrameConjunction(a, b int, tca time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.conj = [2]int{a, b}
	g.follow = false
	cat := g.cat
	if cat == nil || a < 0 || b < 0 || a >= cat.Len() || b >= cat.Len() || cat.Objects[a].Sat == nil || cat.Objects[b].Sat == nil {
		return
	}
	ra, _, errA := cat.Objects[a].Sat.At(tca)
	rb, _, errB := cat.Objects[b].Sat.At(tca)
	if errA != nil || errB != nil {
		return
	}
	mid := [3]float64{(ra[0] + rb[0]) / 2, (ra[1] + rb[1]) / 2, (ra[2] + rb[2]) / 2}
	g.cam.TargetKm = mid
	g.cam.DistanceKm = 4000
	// Look from outside, along the radial, slightly raised.
	rn := math.Sqrt(mid[0]*mid[0] + mid[1]*mid[1] + mid[2]*mid[2])
	if rn > 0 {
		g.cam.YawRad = math.Atan2(mid[1], mid[0])
		g.cam.PitchRad = math.Asin(mid[2]/rn) + 0.3
	}
}

// ClearConjunction implements SceneView.
func (g *Globe) ClearConjunction() {
	g.mu.Lock()
	g.conj = [2]int{-1, -1}
	g.mu.Unlock()
}

// ResetView implements SceneView.
func (g *Globe) ResetView() {
	g.mu.Lock()
	g.cam = render.DayCamera(g.clock.Now())
	g.follow = false
	g.mu.Unlock()
}

// SetFollow implements SceneView.
func (g *Globe) SetFollow(on bool) {
	g.mu.Lock()
	g.follow = on && g.selected >= 0
	if !g.follow {
		g.cam.TargetKm = [3]float64{}
	} else {
		g.cam.DistanceKm = math.Min(g.cam.DistanceKm, 8000)
	}
	g.mu.Unlock()
}

// SetKindMask implements SceneView.
func (g *Globe) SetKindMask(mask uint8) {
	g.mu.Lock()
	g.kindMask = mask
	g.mu.Unlock()
}

// SetGraticule implements SceneView.
func (g *Globe) SetGraticule(on bool) {
	g.mu.Lock()
	g.graticule = on
	g.mu.Unlock()
}

// Graticule reports whether the grid is on.
func (g *Globe) Graticule() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.graticule
}

// Snapshot implements SceneView: a copy of the last drawn frame.
func (g *Globe) Snapshot() (image.Image, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.last == nil {
		if g.lastErr != nil {
			return nil, g.lastErr
		}
		return nil, errNoFrame
	}
	cp := image.NewRGBA(g.last.Rect)
	draw.Draw(cp, cp.Rect, g.last, image.Point{}, draw.Src)
	return cp, nil
}

type globeError string

func (e globeError) Error() string { return string(e) }

const errNoFrame = globeError("3D view: nothing drawn yet")

// Camera returns the current camera.
func (g *Globe) Camera() render.Camera {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cam
}

// toPixels converts a position in the widget (Fyne units) to raster pixels.
func (g *Globe) toPixels(p fyne.Position) (int, int) {
	g.mu.Lock()
	w, h := g.pxW, g.pxH
	g.mu.Unlock()
	sz := g.Size()
	if sz.Width <= 0 || sz.Height <= 0 || w == 0 {
		return int(p.X), int(p.Y)
	}
	return int(float64(p.X) * float64(w) / float64(sz.Width)), int(float64(p.Y) * float64(h) / float64(sz.Height))
}

// Tapped picks the object under the pointer (fyne.Tappable).
func (g *Globe) Tapped(e *fyne.PointEvent) {
	x, y := g.toPixels(e.Position)
	i, ok := g.vp.Pick(x, y)
	if !ok {
		i = -1
	}
	if g.OnPick != nil {
		g.OnPick(i)
	}
}

// Dragged orbits the camera, or pans it with the secondary button or Shift
// held (fyne.Draggable).
func (g *Globe) Dragged(e *fyne.DragEvent) {
	sz := g.Size()
	if sz.Height <= 0 {
		return
	}
	dx, dy := float64(e.Dragged.DX/sz.Height), float64(e.Dragged.DY/sz.Height)
	g.mu.Lock()
	if g.dragPan {
		g.follow = false
	}
	dragCamera(&g.cam, dx, dy, g.dragPan)
	g.mu.Unlock()
}

// dragCamera orbits cam (half a turn per view height dragged) or pans it.
func dragCamera(cam *render.Camera, dx, dy float64, pan bool) {
	if pan {
		cam.Pan(-dx*0.8, dy*0.8)
	} else {
		cam.Orbit(-dx*math.Pi, dy*math.Pi)
	}
}

// DragEnd implements fyne.Draggable.
func (g *Globe) DragEnd() {}

// MouseDown notes whether a drag should pan (desktop.Mouseable).
func (g *Globe) MouseDown(e *desktop.MouseEvent) {
	g.mu.Lock()
	g.dragPan = e.Button == desktop.MouseButtonSecondary || e.Modifier&fyne.KeyModifierShift != 0
	g.mu.Unlock()
}

// MouseUp implements desktop.Mouseable.
func (g *Globe) MouseUp(*desktop.MouseEvent) {}

// Scrolled zooms (fyne.Scrollable).
func (g *Globe) Scrolled(e *fyne.ScrollEvent) {
	g.mu.Lock()
	g.cam.Zoom(math.Pow(0.9, float64(e.Scrolled.DY)/10))
	g.mu.Unlock()
}

// MouseIn implements desktop.Hoverable.
func (g *Globe) MouseIn(e *desktop.MouseEvent) { g.MouseMoved(e) }

// MouseMoved highlights the object under the pointer.
func (g *Globe) MouseMoved(e *desktop.MouseEvent) {
	x, y := g.toPixels(e.Position)
	i, ok := g.vp.Pick(x, y)
	if !ok {
		i = -1
	}
	g.mu.Lock()
	g.hover = i
	g.mu.Unlock()
}

// MouseOut implements desktop.Hoverable.
func (g *Globe) MouseOut() {
	g.mu.Lock()
	g.hover = -1
	g.mu.Unlock()
}

// KeyCamera moves the camera for a key (arrows orbit, Page Up/Down and
// +/- zoom); it reports whether the key was one of them. The workstation
// routes keys here.
func (g *Globe) KeyCamera(k fyne.KeyName) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return keyCamera(&g.cam, k)
}

// keyCamera moves cam for a camera key and reports whether k was one.
func keyCamera(cam *render.Camera, k fyne.KeyName) bool {
	const step = 0.08
	switch k {
	case fyne.KeyLeft:
		cam.Orbit(-step, 0)
	case fyne.KeyRight:
		cam.Orbit(step, 0)
	case fyne.KeyUp:
		cam.Orbit(0, step)
	case fyne.KeyDown:
		cam.Orbit(0, -step)
	case fyne.KeyPageUp:
		cam.Zoom(0.85)
	case fyne.KeyPageDown:
		cam.Zoom(1 / 0.85)
	default:
		return false
	}
	return true
}

var _ SceneView = (*Globe)(nil)
