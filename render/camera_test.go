package render

import (
	"math"
	"testing"
	"time"
)

func TestCameraProjection(t *testing.T) {
	c := DefaultCamera()
	x, y, ok := c.ProjectKm([3]float64{}, 800, 600)
	if !ok || math.Abs(x-400) > 1e-6 || math.Abs(y-300) > 1e-6 {
		t.Fatalf("target projects to (%g,%g) %v, want the centre", x, y, ok)
	}
	// A point behind the camera is not visible.
	eye := c.Eye()
	behind := [3]float64{eye[0] * 2 * EarthRadiusKm, eye[1] * 2 * EarthRadiusKm, eye[2] * 2 * EarthRadiusKm}
	if _, _, ok := c.ProjectKm(behind, 800, 600); ok {
		t.Error("point behind the camera reported visible")
	}
	// +z is up on screen.
	_, yUp, _ := c.ProjectKm([3]float64{0, 0, EarthRadiusKm}, 800, 600)
	if yUp >= 300 {
		t.Errorf("north pole at y=%g, below the centre", yUp)
	}
}

func TestCameraControls(t *testing.T) {
	c := DefaultCamera()
	c.Orbit(0, 10)
	if c.PitchRad > 1.56 {
		t.Errorf("pitch %g passed the pole", c.PitchRad)
	}
	c.Zoom(1e-9)
	if c.DistanceKm < 200 {
		t.Errorf("zoomed to %g km", c.DistanceKm)
	}
	c = DefaultCamera()
	c.Pan(0.1, 0)
	if d := math.Sqrt(dot(c.TargetKm, c.TargetKm)); math.Abs(d-0.1*c.DistanceKm) > 1e-6 {
		t.Errorf("pan moved the target %g km", d)
	}
}

func TestEarthRotationIsGMST(t *testing.T) {
	// At 2000-01-01 12:00 UT1 GMST is 280.46° (Vallado Eq. 3-47); Greenwich
	// (lat 0, lon 0) then lies at TEME right ascension 280.46°.
	at := time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)
	p := FixedToTEMEKm(at, 0, 0, 1)
	ra := math.Mod(math.Atan2(p[1], p[0])*180/math.Pi+360, 360)
	if math.Abs(ra-280.46) > 0.01 {
		t.Fatalf("Greenwich at RA %.3f°", ra)
	}
	s := SunDirection(at)
	if n := math.Sqrt(dot(s, s)); math.Abs(n-1) > 1e-12 {
		t.Fatalf("sun direction norm %g", n)
	}
}

// The starting view looks at the sunlit side: the eye is within 60° of the
// sun direction (34° of longitude, 20° pitch, the sun's declination up to
// 23°) at any time of year.
func TestDayCameraFacesTheSun(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2022, 7, 14, 19, 29, 0, 0, time.UTC),
		time.Date(2024, 12, 21, 3, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC),
	} {
		eye, sun := unit(DayCamera(at).Eye()), SunDirection(at)
		if a := math.Acos(dot(eye, sun)) * 180 / math.Pi; a > 60 {
			t.Errorf("%v: eye %.0f° from the sun", at, a)
		}
		if d := DayCamera(at).DistanceKm; d != DefaultCamera().DistanceKm {
			t.Errorf("distance %g", d)
		}
	}
}
