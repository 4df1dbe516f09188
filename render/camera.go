package render

import (
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/frames"
)

// World units are Earth equatorial radii (WGS-84), so the scene's numbers
// stay near 1 whatever the orbit: KmToWorld scales TEME kilometres.
const (
	EarthRadiusKm = 6378.137
	KmToWorld     = 1 / EarthRadiusKm
)

// Mat4 is a column-major 4x4 matrix, the layout glUniformMatrix4fv expects.
type Mat4 [16]float64

// Mul returns a·b.
func (a Mat4) Mul(b Mat4) Mat4 {
	var m Mat4
	for c := 0; c < 4; c++ {
		for r := 0; r < 4; r++ {
			var s float64
			for k := 0; k < 4; k++ {
				s += a[k*4+r] * b[c*4+k]
			}
			m[c*4+r] = s
		}
	}
	return m
}

// Apply transforms the point p (w = 1) and returns clip coordinates.
func (a Mat4) Apply(p [3]float64) [4]float64 {
	var out [4]float64
	for r := 0; r < 4; r++ {
		out[r] = a[r]*p[0] + a[4+r]*p[1] + a[8+r]*p[2] + a[12+r]
	}
	return out
}

// Float32 converts for upload.
func (a Mat4) Float32() [16]float32 {
	var f [16]float32
	for i, v := range a {
		f[i] = float32(v)
	}
	return f
}

// Eye is the camera position in world units (TEME axes).
func (c Camera) Eye() [3]float64 {
	d := c.DistanceKm * KmToWorld
	cp, sp := math.Cos(c.PitchRad), math.Sin(c.PitchRad)
	cy, sy := math.Cos(c.YawRad), math.Sin(c.YawRad)
	t := c.TargetKm
	return [3]float64{t[0]*KmToWorld + d*cp*cy, t[1]*KmToWorld + d*cp*sy, t[2]*KmToWorld + d*sp}
}

// View is the look-at matrix from Eye to the target with TEME +z up.
func (c Camera) View() Mat4 {
	eye := c.Eye()
	tgt := [3]float64{c.TargetKm[0] * KmToWorld, c.TargetKm[1] * KmToWorld, c.TargetKm[2] * KmToWorld}
	f := unit(sub(tgt, eye))
	up := [3]float64{0, 0, 1}
	if math.Abs(dot(f, up)) > 0.999 { // looking straight down the pole
		up = [3]float64{0, 1, 0}
	}
	s := unit(cross(f, up))
	u := cross(s, f)
	return Mat4{
		s[0], u[0], -f[0], 0,
		s[1], u[1], -f[1], 0,
		s[2], u[2], -f[2], 0,
		-dot(s, eye), -dot(u, eye), dot(f, eye), 1,
	}
}

// Projection is a right-handed perspective with near and far planes chosen
// from the camera distance so depth precision follows the zoom.
func (c Camera) Projection(aspect float64) Mat4 {
	fov := c.FovYDeg
	if fov <= 1 || fov >= 170 {
		fov = 45
	}
	d := c.DistanceKm * KmToWorld
	near := math.Max(d*0.002, 1e-4)
	far := d + 200 // beyond GEO and HEO apogees from any camera position
	f := 1 / math.Tan(fov*math.Pi/360)
	return Mat4{
		f / aspect, 0, 0, 0,
		0, f, 0, 0,
		0, 0, (far + near) / (near - far), -1,
		0, 0, 2 * far * near / (near - far), 0,
	}
}

// ViewProj is Projection·View for a viewport of w x h pixels.
func (c Camera) ViewProj(w, h int) Mat4 {
	aspect := 1.0
	if w > 0 && h > 0 {
		aspect = float64(w) / float64(h)
	}
	return c.Projection(aspect).Mul(c.View())
}

// ProjectKm gives the pixel (x right, y down) of a TEME point for a viewport
// of w x h, and whether it is in front of the camera and inside the view.
func (c Camera) ProjectKm(pKm [3]float64, w, h int) (x, y float64, ok bool) {
	clip := c.ViewProj(w, h).Apply([3]float64{pKm[0] * KmToWorld, pKm[1] * KmToWorld, pKm[2] * KmToWorld})
	if clip[3] <= 0 {
		return 0, 0, false
	}
	nx, ny, nz := clip[0]/clip[3], clip[1]/clip[3], clip[2]/clip[3]
	x = (nx + 1) / 2 * float64(w)
	y = (1 - ny) / 2 * float64(h)
	return x, y, nx >= -1 && nx <= 1 && ny >= -1 && ny <= 1 && nz >= -1 && nz <= 1
}

// Orbit turns the camera by yaw and pitch increments (radians), keeping the
// pitch short of the poles.
func (c *Camera) Orbit(dYaw, dPitch float64) {
	c.YawRad = math.Mod(c.YawRad+dYaw, 2*math.Pi)
	c.PitchRad = math.Max(-1.55, math.Min(1.55, c.PitchRad+dPitch))
}

// Zoom multiplies the distance by factor, kept between just above the
// surface and 60 Earth radii beyond the Moon's distance scale of HEOs.
func (c *Camera) Zoom(factor float64) {
	c.DistanceKm = math.Max(200, math.Min(600000, c.DistanceKm*factor))
}

// Pan moves the target across the view by fractions of the distance (dx to
// the right, dy up on screen).
func (c *Camera) Pan(dx, dy float64) {
	eye := c.Eye()
	tgt := [3]float64{c.TargetKm[0] * KmToWorld, c.TargetKm[1] * KmToWorld, c.TargetKm[2] * KmToWorld}
	f := unit(sub(tgt, eye))
	s := unit(cross(f, [3]float64{0, 0, 1}))
	u := cross(s, f)
	for i := 0; i < 3; i++ {
		c.TargetKm[i] += (s[i]*dx + u[i]*dy) * c.DistanceKm
	}
}

// EarthRotation is the model matrix of the Earth-fixed sphere at t: a
// rotation about z by the Greenwich mean sidereal angle (IAU-82, as SGP4's
// TEME uses), turning Earth-fixed vectors into TEME.
func EarthRotation(t time.Time) Mat4 {
	th := frames.GMSTRad(t, 0)
	c, s := math.Cos(th), math.Sin(th)
	return Mat4{
		c, s, 0, 0,
		-s, c, 0, 0,
		0, 0, 1, 0,
		0, 0, 0, 1,
	}
}

// SunDirection is the unit TEME vector from the Earth to the Sun at t.
func SunDirection(t time.Time) [3]float64 {
	return unit(frames.SunPositionTEMEKm(t))
}

// FixedToTEMEKm turns a geodetic-sphere point (lat, lon radians on a sphere
// of radius rKm) into TEME at t; the renderer uses it for ground tracks.
func FixedToTEMEKm(t time.Time, latRad, lonRad, rKm float64) [3]float64 {
	m := EarthRotation(t)
	cl := math.Cos(latRad)
	p := [3]float64{rKm * cl * math.Cos(lonRad), rKm * cl * math.Sin(lonRad), rKm * math.Sin(latRad)}
	q := m.Apply(p)
	return [3]float64{q[0], q[1], q[2]}
}

func sub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func dot(a, b [3]float64) float64    { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
func unit(a [3]float64) [3]float64 {
	n := math.Sqrt(dot(a, a))
	if n == 0 {
		return a
	}
	return [3]float64{a[0] / n, a[1] / n, a[2] / n}
}
