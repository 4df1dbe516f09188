//go:build cgo

package render

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/go-gl/gl/v3.3-core/gl"
)

// Scene constants.
const (
	atmosphereRadius = 1.025 // Earth radii
	groundTrackLift  = 1.003 // ground track drawn just above the surface
	defaultPointPx   = 2.5
)

var (
	orbitColor       = [3]float32{0.45, 0.85, 1.0}
	groundTrackColor = [3]float32{1.0, 0.85, 0.30}
	conjunctionColor = [3]float32{1.0, 0.30, 0.25}
	markerColor      = [3]float32{1.0, 1.0, 1.0}
)

func (g *glState) draw(f *Frame) (*image.RGBA, error) {
	if err := g.renderScene(f); err != nil {
		return nil, err
	}
	return g.readback(f.Width, f.Height)
}

// present draws f and copies the colour attachment to the current context's
// window (its default framebuffer, back buffer) for a swap: no readback.
func (g *glState) present(f *Frame) error {
	if err := g.renderScene(f); err != nil {
		return err
	}
	w, h := int32(f.Width), int32(f.Height)
	gl.BindFramebuffer(gl.READ_FRAMEBUFFER, g.fbo)
	gl.ReadBuffer(gl.COLOR_ATTACHMENT0)
	gl.BindFramebuffer(gl.DRAW_FRAMEBUFFER, 0)
	gl.DrawBuffer(gl.BACK)
	gl.BlitFramebuffer(0, 0, w, h, 0, 0, w, h, gl.COLOR_BUFFER_BIT, gl.NEAREST)
	gl.BindFramebuffer(gl.FRAMEBUFFER, 0)
	if e := gl.GetError(); e != gl.NO_ERROR {
		return fmt.Errorf("render: GL error 0x%x while presenting", e)
	}
	return nil
}

// renderScene draws f into the offscreen framebuffer (colour and id).
func (g *glState) renderScene(f *Frame) error {
	w, h := f.Width, f.Height
	if err := g.ensureFramebuffer(w, h); err != nil {
		return err
	}
	gl.BindFramebuffer(gl.FRAMEBUFFER, g.fbo)
	bufs := []uint32{gl.COLOR_ATTACHMENT0, gl.COLOR_ATTACHMENT1}
	gl.DrawBuffers(2, &bufs[0])
	gl.Viewport(0, 0, int32(w), int32(h))
	gl.ColorMaski(0, true, true, true, true)
	gl.ColorMaski(1, true, true, true, true)
	gl.DepthMask(true)
	bg := [4]float32{float32(f.Background.R) / 255, float32(f.Background.G) / 255, float32(f.Background.B) / 255, 1}
	gl.ClearBufferfv(gl.COLOR, 0, &bg[0])
	zero := [4]uint32{}
	gl.ClearBufferuiv(gl.COLOR, 1, &zero[0])
	gl.ClearDepth(1)
	gl.Clear(gl.DEPTH_BUFFER_BIT)
	gl.Enable(gl.DEPTH_TEST)
	gl.DepthFunc(gl.LESS)
	gl.Disable(gl.CULL_FACE)
	gl.Disable(gl.BLEND)

	vp := f.Camera.ViewProj(w, h).Float32()
	model := EarthRotation(f.Time).Float32()
	sun := SunDirection(f.Time)
	eye := f.Camera.Eye()

	// Earth.
	p := g.earth
	gl.UseProgram(p.id)
	gl.UniformMatrix4fv(p.loc("uViewProj"), 1, false, &vp[0])
	gl.UniformMatrix4fv(p.loc("uModel"), 1, false, &model[0])
	gl.Uniform1f(p.loc("uRadius"), 1)
	gl.Uniform3f(p.loc("uSunDir"), float32(sun[0]), float32(sun[1]), float32(sun[2]))
	gl.Uniform3f(p.loc("uEye"), float32(eye[0]), float32(eye[1]), float32(eye[2]))
	gl.Uniform1i(p.loc("uGraticule"), boolInt(f.ShowGraticule))
	gl.ActiveTexture(gl.TEXTURE0)
	gl.BindTexture(gl.TEXTURE_2D, g.dayTex)
	gl.Uniform1i(p.loc("uDay"), 0)
	gl.ActiveTexture(gl.TEXTURE1)
	gl.BindTexture(gl.TEXTURE_2D, g.nightTex)
	gl.Uniform1i(p.loc("uNight"), 1)
	gl.BindVertexArray(g.earthVAO)
	gl.DrawElementsWithOffset(gl.TRIANGLES, g.earthIndices, gl.UNSIGNED_INT, 0)

	// Objects.
	if g.nPoints > 0 {
		p = g.points
		gl.UseProgram(p.id)
		gl.Enable(gl.PROGRAM_POINT_SIZE)
		gl.UniformMatrix4fv(p.loc("uViewProj"), 1, false, &vp[0])
		hSec := g.kf.TB.Sub(g.kf.TA).Seconds()
		s := 0.0
		if hSec > 0 {
			s = f.Time.Sub(g.kf.TA).Seconds() / hSec
			// Hermite is exact at the ends; beyond them it extrapolates and
			// the caller is due new keyframes. Limit the damage.
			s = math.Max(-0.5, math.Min(1.5, s))
		}
		gl.Uniform1f(p.loc("uS"), float32(s))
		gl.Uniform1f(p.loc("uH"), float32(hSec))
		gl.Uniform1f(p.loc("uKmToWorld"), KmToWorld)
		size := f.PointSizePx
		if size <= 0 {
			size = defaultPointPx
		}
		gl.Uniform1f(p.loc("uPointSize"), size)
		gl.Uniform1ui(p.loc("uSelected"), idPlusOne(f.Selected))
		gl.Uniform1ui(p.loc("uHover"), idPlusOne(f.Hover))
		pal := f.Palette
		if pal == ([4]color.RGBA{}) {
			pal = DefaultPalette()
		}
		var pv [12]float32
		for i, c := range pal {
			pv[3*i], pv[3*i+1], pv[3*i+2] = float32(c.R)/255, float32(c.G)/255, float32(c.B)/255
		}
		gl.Uniform3fv(p.loc("uPalette[0]"), 4, &pv[0])
		gl.Uniform1ui(p.loc("uKindMask"), uint32(f.KindMask))
		gl.BindVertexArray(g.pointsVAO)
		gl.DrawArraysInstanced(gl.POINTS, 0, 1, int32(g.nPoints))
	}

	// Lines (no ids: they must not hide the objects from picking).
	gl.ColorMaski(1, false, false, false, false)
	gl.Enable(gl.BLEND)
	gl.BlendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA)
	gl.UseProgram(g.line.id)
	gl.UniformMatrix4fv(g.line.loc("uViewProj"), 1, false, &vp[0])
	gl.Uniform1f(g.line.loc("uKmToWorld"), KmToWorld)
	gl.BindVertexArray(g.lineVAO)
	if n := len(f.OrbitPathKm); n > 1 {
		buf := g.lineBuf[:0]
		future := n - f.FutureFrom
		for i, q := range f.OrbitPathKm {
			fade := float32(1)
			if i >= f.FutureFrom && future > 0 {
				fade = 1 - float32(i-f.FutureFrom)/float32(future)
			}
			buf = append(buf, q[0], q[1], q[2], fade)
		}
		g.drawLine(buf, gl.LINE_STRIP, orbitColor)
	}
	if n := len(f.GroundTrack); n > 1 {
		buf := g.lineBuf[:0]
		rKm := EarthRadiusKm * groundTrackLift
		for _, ll := range f.GroundTrack {
			q := FixedToTEMEKm(f.Time, float64(ll[0]), float64(ll[1]), rKm)
			buf = append(buf, float32(q[0]), float32(q[1]), float32(q[2]), 0.6)
		}
		g.drawLine(buf, gl.LINE_STRIP, groundTrackColor)
	}
	if c := f.ConjunctionKm; c != nil {
		buf := append(g.lineBuf[:0],
			float32(c[0][0]), float32(c[0][1]), float32(c[0][2]), 1,
			float32(c[1][0]), float32(c[1][1]), float32(c[1][2]), 1)
		g.drawLine(buf, gl.LINES, conjunctionColor)
	}
	gl.Disable(gl.BLEND)
	gl.ColorMaski(1, true, true, true, true)

	// The selected object, at its exact position.
	if f.Selected >= 0 {
		p = g.marker
		gl.UseProgram(p.id)
		gl.Enable(gl.PROGRAM_POINT_SIZE)
		gl.UniformMatrix4fv(p.loc("uViewProj"), 1, false, &vp[0])
		sp := f.SelectedPosKm
		gl.Uniform3f(p.loc("uPos"), float32(sp[0]*KmToWorld), float32(sp[1]*KmToWorld), float32(sp[2]*KmToWorld))
		size := f.PointSizePx
		if size <= 0 {
			size = defaultPointPx
		}
		gl.Uniform1f(p.loc("uPointSize"), max(16, 5*size))
		gl.Uniform3f(p.loc("uColor"), markerColor[0], markerColor[1], markerColor[2])
		gl.Uniform1ui(p.loc("uID"), idPlusOne(f.Selected))
		gl.BindVertexArray(g.markerVAO)
		gl.DrawArrays(gl.POINTS, 0, 1)
	}

	// Atmosphere rim, added on top; no depth or id writes.
	if f.ShowAtmosphere {
		p = g.atmos
		gl.UseProgram(p.id)
		gl.Enable(gl.BLEND)
		gl.BlendFunc(gl.ONE, gl.ONE)
		gl.DepthMask(false)
		gl.ColorMaski(1, false, false, false, false)
		gl.UniformMatrix4fv(p.loc("uViewProj"), 1, false, &vp[0])
		gl.UniformMatrix4fv(p.loc("uModel"), 1, false, &model[0])
		gl.Uniform1f(p.loc("uRadius"), atmosphereRadius)
		gl.Uniform3f(p.loc("uSunDir"), float32(sun[0]), float32(sun[1]), float32(sun[2]))
		gl.Uniform3f(p.loc("uEye"), float32(eye[0]), float32(eye[1]), float32(eye[2]))
		gl.BindVertexArray(g.earthVAO)
		gl.DrawElementsWithOffset(gl.TRIANGLES, g.earthIndices, gl.UNSIGNED_INT, 0)
		gl.DepthMask(true)
		gl.Disable(gl.BLEND)
		gl.ColorMaski(1, true, true, true, true)
	}
	gl.BindVertexArray(0)
	return nil
}

// readback copies the colour attachment into the next of the triple-buffered images.
func (g *glState) readback(w, h int) (*image.RGBA, error) {
	img := g.images[g.nextImg]
	g.nextImg = (g.nextImg + 1) % len(g.images)
	gl.ReadBuffer(gl.COLOR_ATTACHMENT0)
	gl.PixelStorei(gl.PACK_ALIGNMENT, 1)
	gl.ReadPixels(0, 0, int32(w), int32(h), gl.RGBA, gl.UNSIGNED_BYTE, gl.Ptr(g.scratch))
	stride := 4 * w
	for y := 0; y < h; y++ { // GL rows run bottom-up
		copy(img.Pix[y*img.Stride:y*img.Stride+stride], g.scratch[(h-1-y)*stride:(h-y)*stride])
	}
	if e := gl.GetError(); e != gl.NO_ERROR {
		return img, fmt.Errorf("render: GL error 0x%x while drawing", e)
	}
	return img, nil
}

func (g *glState) drawLine(buf []float32, mode uint32, c [3]float32) {
	g.lineBuf = buf
	gl.BindBuffer(gl.ARRAY_BUFFER, g.lineVBO)
	gl.BufferData(gl.ARRAY_BUFFER, len(buf)*4, gl.Ptr(buf), gl.STREAM_DRAW)
	gl.Uniform3f(g.line.loc("uColor"), c[0], c[1], c[2])
	gl.DrawArrays(mode, 0, int32(len(buf)/4))
}

// pick reads the id buffer around (x, y) and returns the object nearest the
// centre within radius pixels.
func (g *glState) pick(x, y, radius int) (int, bool) {
	if g.fbo == 0 || x < 0 || y < 0 || x >= g.fbW || y >= g.fbH {
		return -1, false
	}
	x0, x1 := max(0, x-radius), min(g.fbW-1, x+radius)
	gy := g.fbH - 1 - y
	y0, y1 := max(0, gy-radius), min(g.fbH-1, gy+radius)
	bw, bh := x1-x0+1, y1-y0+1
	ids := make([]uint32, bw*bh)
	gl.BindFramebuffer(gl.FRAMEBUFFER, g.fbo)
	gl.ReadBuffer(gl.COLOR_ATTACHMENT1)
	gl.PixelStorei(gl.PACK_ALIGNMENT, 4)
	gl.ReadPixels(int32(x0), int32(y0), int32(bw), int32(bh), gl.RED_INTEGER, gl.UNSIGNED_INT, gl.Ptr(ids))
	best, bestD := -1, math.MaxInt
	for j := 0; j < bh; j++ {
		for i := 0; i < bw; i++ {
			id := ids[j*bw+i]
			if id == 0 {
				continue
			}
			dx, dy := x0+i-x, y0+j-gy
			if d := dx*dx + dy*dy; d < bestD {
				best, bestD = int(id)-1, d
			}
		}
	}
	return best, best >= 0
}

func idPlusOne(i int) uint32 {
	if i < 0 {
		return 0
	}
	return uint32(i) + 1
}

func boolInt(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
