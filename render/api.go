package render

import (
	"image"
	"image/color"
	"math"
	"time"
)

// This file is the contract between the renderer and its users (the desktop
// app, `astroshield snapshot`, tests). It has no cgo so that packages which
// only describe scenes build with CGO_ENABLED=0.

// Kind is how an object is coloured.
type Kind uint8

// Object kinds; KindHidden objects are not drawn (filtered out or failed to
// propagate).
const (
	KindPayload Kind = iota
	KindRocketBody
	KindDebris
	KindUnknown
	KindHidden Kind = 255
)

// String names the kind for legends.
func (k Kind) String() string {
	switch k {
	case KindPayload:
		return "payload"
	case KindRocketBody:
		return "rocket body"
	case KindDebris:
		return "debris"
	case KindUnknown:
		return "unknown"
	}
	return "hidden"
}

// Keyframes are the states of every object (catalog order) at two times TA
// and TB, TEME km and km/s; the vertex shader interpolates between them by
// cubic Hermite for frame times in [TA, TB]. Pos and Vel slices are 3N long.
type Keyframes struct {
	TA, TB     time.Time
	PosAKm     []float32
	VelAKmS    []float32
	PosBKm     []float32
	VelBKmS    []float32
	Kinds      []Kind // colour class per object, KindHidden for failed/filtered
	Generation uint64 // bumps when the object list changes
}

// Len is the number of objects.
func (k *Keyframes) Len() int { return len(k.Kinds) }

// Camera orbits a target point. Yaw and pitch are about the TEME z axis and
// the horizontal plane; DistanceKm is from the target.
type Camera struct {
	TargetKm   [3]float64 // TEME point looked at (Earth centre, or the followed object)
	YawRad     float64
	PitchRad   float64
	DistanceKm float64
	FovYDeg    float64
}

// DefaultCamera frames the whole Earth and low orbits.
func DefaultCamera() Camera {
	return Camera{YawRad: 0.6, PitchRad: 0.35, DistanceKm: 30000, FovYDeg: 45}
}

// DayCamera is DefaultCamera turned to look at the sunlit side of the Earth
// at t, with the eye 34° of longitude from the subsolar direction so that the
// terminator is in view:
// the desktop's starting and reset view (a night-side start shows a black
// disc).
func DayCamera(t time.Time) Camera {
	c := DefaultCamera()
	sun := SunDirection(t)
	c.YawRad = math.Mod(math.Atan2(sun[1], sun[0])-0.6+2*math.Pi, 2*math.Pi)
	return c
}

// DefaultPalette colours payloads, rocket bodies, debris and unknowns the
// way most trackers do (green, orange, grey, violet).
func DefaultPalette() [4]color.RGBA {
	return [4]color.RGBA{
		{R: 80, G: 220, B: 120, A: 255},
		{R: 255, G: 150, B: 50, A: 255},
		{R: 150, G: 150, B: 160, A: 255},
		{R: 190, G: 120, B: 255, A: 255},
	}
}

// Frame is everything one rendered image depends on besides the keyframes.
type Frame struct {
	Width, Height int
	Time          time.Time // displayed time (UTC); Earth rotation and sun follow it
	Camera        Camera

	Selected      int        // object index or -1
	SelectedPosKm [3]float64 // exact (SGP4 every frame) TEME position of Selected
	Hover         int        // object index or -1

	// OrbitPathKm is the selected object's orbit (TEME km), one revolution
	// either side of Time; points before FutureFrom are past, after are future
	// (drawn fading).
	OrbitPathKm [][3]float32
	FutureFrom  int
	// GroundTrack is the sub-satellite track as (lat, lon) radians; the
	// renderer splits it at the antimeridian when it draws the 2D inset.
	GroundTrack [][2]float32
	// ConjunctionKm, when non-nil, draws a line between the two objects of a
	// selected conjunction (TEME km).
	ConjunctionKm *[2][3]float64

	ShowGraticule  bool
	ShowAtmosphere bool
	KindMask       uint8 // bit k set: Kind k shown
	PointSizePx    float32
	Palette        [4]color.RGBA // indexed by Kind
	Background     color.RGBA
}

// Viewport is what the app needs from a renderer. Implementations own an OS
// thread with the GL context; every method may be called from any goroutine.
type Viewport interface {
	// SetKeyframes replaces the objects' keyframes (the renderer keeps the
	// pointer until the next call; callers must not modify it afterwards).
	SetKeyframes(k *Keyframes)
	// Draw renders one frame and returns the image (valid until the call
	// after next: triple-buffered).
	Draw(f Frame) (*image.RGBA, error)
	// Pick returns the object under pixel (x, y) of the last drawn frame.
	Pick(x, y int) (index int, ok bool)
	// Close stops the render thread and frees GL objects.
	Close() error
}

// WindowEvents are the input callbacks of a native window (a pop-out 3D
// view). They run on the UI toolkit's main thread while it polls events;
// coordinates are window pixels, y down. Any of them may be nil.
type WindowEvents struct {
	// MouseButton reports a press or release: button 0 primary, 1
	// secondary, 2 middle; shift tells whether Shift was held.
	MouseButton func(button int, pressed, shift bool, x, y float64)
	CursorMoved func(x, y float64)
	Scrolled    func(dy float64)
	// Key reports a key press by name: "Left", "Right", "Up", "Down",
	// "PageUp", "PageDown", "Home", "F", "Escape" (others are not reported).
	Key func(name string)
	// Closed reports that the user closed the window.
	Closed func()
}
