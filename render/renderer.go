//go:build cgo

package render

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-gl/gl/v3.3-core/gl"

	"github.com/astroshield/astroshield/assets"
	"github.com/astroshield/astroshield/shaders"
)

// Renderer is the OpenGL 3.3 core implementation of Viewport. It owns one OS
// thread (runtime.LockOSThread) on which its context is current for its whole
// life; every method hands work to that thread and waits, so callers may be
// on any goroutine.
type Renderer struct {
	ctx   Context
	life  sync.RWMutex // held for reading while a call is handed over; Close takes it to close calls
	shut  bool
	calls chan func()
	done  chan struct{}
	once  sync.Once
	info  string

	mu      sync.Mutex
	pending *Keyframes // set by SetKeyframes, uploaded by the next Draw

	g *glState // render thread only
}

// ErrClosed is returned by a Renderer used after Close.
var ErrClosed = errors.New("render: renderer is closed")

// NewRenderer starts the render thread, makes ctx current on it, and builds
// every GL object (shaders, Earth mesh and textures, buffers). Shader errors
// name the file and quote the driver's log; a context below GL 3.3 core gives
// ErrGLTooOld. The caller keeps ownership of ctx and destroys it after Close.
func NewRenderer(ctx Context) (*Renderer, error) {
	r := &Renderer{ctx: ctx, calls: make(chan func()), done: make(chan struct{})}
	started := make(chan error, 1)
	go r.loop(started)
	if err := <-started; err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Renderer) loop(started chan<- error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer close(r.done)
	if err := r.ctx.MakeCurrent(); err != nil {
		started <- err
		return
	}
	g, info, err := newGLState(r.ctx)
	if err != nil {
		r.ctx.ReleaseCurrent()
		started <- err
		return
	}
	r.g, r.info = g, info
	started <- nil
	for f := range r.calls {
		f()
	}
	r.g.free()
	r.ctx.ReleaseCurrent()
}

// do runs f on the render thread and waits for it.
func (r *Renderer) do(f func()) error {
	finished := make(chan struct{})
	r.life.RLock()
	if r.shut {
		r.life.RUnlock()
		return ErrClosed
	}
	r.calls <- func() { f(); close(finished) }
	r.life.RUnlock()
	<-finished
	return nil
}

// Info names the GL implementation, e.g. "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 (Core Profile) Mesa 22.3.6".
func (r *Renderer) Info() string { return r.info }

// SetKeyframes implements Viewport.
func (r *Renderer) SetKeyframes(k *Keyframes) {
	r.mu.Lock()
	r.pending = k
	r.mu.Unlock()
}

// Draw implements Viewport.
func (r *Renderer) Draw(f Frame) (*image.RGBA, error) {
	if f.Width <= 0 || f.Height <= 0 || f.Width > 16384 || f.Height > 16384 {
		return nil, fmt.Errorf("render: frame size %dx%d out of range", f.Width, f.Height)
	}
	r.mu.Lock()
	k := r.pending
	r.pending = nil
	r.mu.Unlock()
	var img *image.RGBA
	var err error
	if e := r.do(func() {
		if k != nil {
			r.g.uploadKeyframes(k)
		}
		img, err = r.g.draw(&f)
	}); e != nil {
		return nil, e
	}
	return img, err
}

// Pick implements Viewport: the object whose id is nearest pixel (x, y)
// (y down) within a few pixels, in the last drawn frame.
func (r *Renderer) Pick(x, y int) (int, bool) {
	idx, ok := -1, false
	if r.do(func() { idx, ok = r.g.pick(x, y, 4) }) != nil {
		return -1, false
	}
	return idx, ok
}

// Close implements Viewport: frees GL objects and stops the thread.
func (r *Renderer) Close() error {
	r.once.Do(func() {
		r.life.Lock()
		r.shut = true
		close(r.calls)
		r.life.Unlock()
		<-r.done
	})
	return nil
}

// glState is everything that lives in the GL context.
type glState struct {
	earth, atmos, points, line, marker *program

	earthVAO, earthVBO, earthEBO uint32
	earthIndices                 int32
	dayTex, nightTex             uint32

	pointsVAO uint32
	pointBufs [5]uint32 // posA, velA, posB, velB, kind
	pointCap  int
	nPoints   int
	kf        Keyframes // times of the uploaded keyframes (slices unused)

	lineVAO, lineVBO uint32
	markerVAO        uint32

	fbo, rbColor, rbID, rbDepth uint32
	fbW, fbH                    int

	images  [3]*image.RGBA
	nextImg int
	scratch []byte
	lineBuf []float32
}

func newGLState(ctx Context) (g *glState, info string, err error) {
	if err := gl.InitWithProcAddrFunc(ctx.ProcAddress); err != nil {
		return nil, "", fmt.Errorf("%w (%v)", ErrGLTooOld, err)
	}
	ver := gl.GoStr(gl.GetString(gl.VERSION))
	rend := gl.GoStr(gl.GetString(gl.RENDERER))
	var major, minor int32
	gl.GetIntegerv(gl.MAJOR_VERSION, &major)
	gl.GetIntegerv(gl.MINOR_VERSION, &minor)
	if major < 3 || (major == 3 && minor < 3) {
		return nil, "", fmt.Errorf("%w (driver offers %s on %s)", ErrGLTooOld, ver, rend)
	}
	info = fmt.Sprintf("%s, OpenGL %s", rend, ver)
	g = &glState{}
	defer func() {
		if err != nil {
			g.free()
			g = nil
		}
	}()
	for _, p := range []struct {
		dst        **program
		vert, frag string
	}{
		{&g.earth, "earth.vert.glsl", "earth.frag.glsl"},
		{&g.atmos, "earth.vert.glsl", "atmosphere.frag.glsl"},
		{&g.points, "points.vert.glsl", "points.frag.glsl"},
		{&g.line, "line.vert.glsl", "line.frag.glsl"},
		{&g.marker, "marker.vert.glsl", "marker.frag.glsl"},
	} {
		if *p.dst, err = buildProgram(p.vert, p.frag); err != nil {
			return nil, "", err
		}
	}
	g.buildEarthMesh(128, 64)
	if g.dayTex, err = loadTexture(assets.EarthDayJPEG, "earth_day.jpg"); err != nil {
		return nil, "", err
	}
	if g.nightTex, err = loadTexture(assets.EarthNightJPEG, "earth_night.jpg"); err != nil {
		return nil, "", err
	}
	g.buildPointBuffers()
	gl.GenVertexArrays(1, &g.lineVAO)
	gl.GenBuffers(1, &g.lineVBO)
	gl.BindVertexArray(g.lineVAO)
	gl.BindBuffer(gl.ARRAY_BUFFER, g.lineVBO)
	gl.EnableVertexAttribArray(0)
	gl.VertexAttribPointerWithOffset(0, 3, gl.FLOAT, false, 16, 0)
	gl.EnableVertexAttribArray(1)
	gl.VertexAttribPointerWithOffset(1, 1, gl.FLOAT, false, 16, 12)
	gl.GenVertexArrays(1, &g.markerVAO)
	gl.BindVertexArray(0)
	if e := gl.GetError(); e != gl.NO_ERROR {
		return nil, "", fmt.Errorf("render: GL error 0x%x while building the scene", e)
	}
	return g, info, nil
}

func (g *glState) free() {
	for _, p := range []*program{g.earth, g.atmos, g.points, g.line, g.marker} {
		if p != nil {
			gl.DeleteProgram(p.id)
		}
	}
	bufs := []uint32{g.earthVBO, g.earthEBO, g.lineVBO}
	bufs = append(bufs, g.pointBufs[:]...)
	for _, b := range bufs {
		if b != 0 {
			gl.DeleteBuffers(1, &b)
		}
	}
	for _, v := range []uint32{g.earthVAO, g.pointsVAO, g.lineVAO, g.markerVAO} {
		if v != 0 {
			gl.DeleteVertexArrays(1, &v)
		}
	}
	for _, t := range []uint32{g.dayTex, g.nightTex} {
		if t != 0 {
			gl.DeleteTextures(1, &t)
		}
	}
	g.freeFramebuffer()
}

// program is a linked shader program with cached uniform locations.
type program struct {
	id   uint32
	name string
	locs map[string]int32
}

func (p *program) loc(name string) int32 {
	if l, ok := p.locs[name]; ok {
		return l
	}
	l := gl.GetUniformLocation(p.id, gl.Str(name+"\x00"))
	p.locs[name] = l
	return l
}

func buildProgram(vertName, fragName string) (*program, error) {
	vs, err := compileShader(vertName, gl.VERTEX_SHADER)
	if err != nil {
		return nil, err
	}
	defer gl.DeleteShader(vs)
	fs, err := compileShader(fragName, gl.FRAGMENT_SHADER)
	if err != nil {
		return nil, err
	}
	defer gl.DeleteShader(fs)
	id := gl.CreateProgram()
	gl.AttachShader(id, vs)
	gl.AttachShader(id, fs)
	gl.BindFragDataLocation(id, 0, gl.Str("oColor\x00"))
	gl.BindFragDataLocation(id, 1, gl.Str("oID\x00"))
	gl.LinkProgram(id)
	var ok int32
	gl.GetProgramiv(id, gl.LINK_STATUS, &ok)
	if ok == gl.FALSE {
		log := programLog(id)
		gl.DeleteProgram(id)
		return nil, fmt.Errorf("render: linking %s + %s: %s", vertName, fragName, log)
	}
	return &program{id: id, name: vertName + "+" + fragName, locs: map[string]int32{}}, nil
}

// CompileError is a shader that the driver rejected.
type CompileError struct {
	File string // e.g. "points.vert.glsl"
	Log  string // the driver's info log
}

func (e *CompileError) Error() string {
	return fmt.Sprintf("render: compiling shader %s: %s", e.File, strings.TrimSpace(e.Log))
}

func compileShader(name string, kind uint32) (uint32, error) {
	src, err := shaders.Source(name)
	if err != nil {
		return 0, err
	}
	return compileSource(name, src, kind)
}

func compileSource(name, src string, kind uint32) (uint32, error) {
	sh := gl.CreateShader(kind)
	csrc, free := gl.Strs(src + "\x00")
	gl.ShaderSource(sh, 1, csrc, nil)
	free()
	gl.CompileShader(sh)
	var ok int32
	gl.GetShaderiv(sh, gl.COMPILE_STATUS, &ok)
	if ok == gl.FALSE {
		var n int32
		gl.GetShaderiv(sh, gl.INFO_LOG_LENGTH, &n)
		log := make([]byte, n+1)
		gl.GetShaderInfoLog(sh, n, nil, &log[0])
		gl.DeleteShader(sh)
		return 0, &CompileError{File: name, Log: strings.TrimRight(string(log), "\x00")}
	}
	return sh, nil
}

func programLog(id uint32) string {
	var n int32
	gl.GetProgramiv(id, gl.INFO_LOG_LENGTH, &n)
	if n == 0 {
		return "(no log)"
	}
	log := make([]byte, n+1)
	gl.GetProgramInfoLog(id, n, nil, &log[0])
	return strings.TrimSpace(strings.TrimRight(string(log), "\x00"))
}

// buildEarthMesh makes a UV sphere of unit Earth-fixed vectors: lon -180°
// at u = 0 to +180° at u = 1, north pole at v = 0 (the first image row).
func (g *glState) buildEarthMesh(nLon, nLat int) {
	verts := make([]float32, 0, (nLon+1)*(nLat+1)*5)
	for j := 0; j <= nLat; j++ {
		v := float64(j) / float64(nLat)
		lat := math.Pi/2 - v*math.Pi
		for i := 0; i <= nLon; i++ {
			u := float64(i) / float64(nLon)
			lon := -math.Pi + u*2*math.Pi
			verts = append(verts,
				float32(math.Cos(lat)*math.Cos(lon)), float32(math.Cos(lat)*math.Sin(lon)), float32(math.Sin(lat)),
				float32(u), float32(v))
		}
	}
	idx := make([]uint32, 0, nLon*nLat*6)
	row := uint32(nLon + 1)
	for j := 0; j < nLat; j++ {
		for i := 0; i < nLon; i++ {
			a := uint32(j)*row + uint32(i)
			b := a + row
			idx = append(idx, a, b, a+1, a+1, b, b+1)
		}
	}
	gl.GenVertexArrays(1, &g.earthVAO)
	gl.BindVertexArray(g.earthVAO)
	gl.GenBuffers(1, &g.earthVBO)
	gl.BindBuffer(gl.ARRAY_BUFFER, g.earthVBO)
	gl.BufferData(gl.ARRAY_BUFFER, len(verts)*4, gl.Ptr(verts), gl.STATIC_DRAW)
	gl.GenBuffers(1, &g.earthEBO)
	gl.BindBuffer(gl.ELEMENT_ARRAY_BUFFER, g.earthEBO)
	gl.BufferData(gl.ELEMENT_ARRAY_BUFFER, len(idx)*4, gl.Ptr(idx), gl.STATIC_DRAW)
	gl.EnableVertexAttribArray(0)
	gl.VertexAttribPointerWithOffset(0, 3, gl.FLOAT, false, 20, 0)
	gl.EnableVertexAttribArray(1)
	gl.VertexAttribPointerWithOffset(1, 2, gl.FLOAT, false, 20, 12)
	gl.BindVertexArray(0)
	g.earthIndices = int32(len(idx))
}

func loadTexture(jpg []byte, name string) (uint32, error) {
	src, err := jpeg.Decode(bytes.NewReader(jpg))
	if err != nil {
		return 0, fmt.Errorf("render: decoding %s: %w", name, err)
	}
	rgba := image.NewRGBA(src.Bounds())
	draw.Draw(rgba, rgba.Bounds(), src, src.Bounds().Min, draw.Src)
	var tex uint32
	gl.GenTextures(1, &tex)
	gl.BindTexture(gl.TEXTURE_2D, tex)
	gl.PixelStorei(gl.UNPACK_ALIGNMENT, 1)
	gl.TexImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, int32(rgba.Rect.Dx()), int32(rgba.Rect.Dy()), 0, gl.RGBA, gl.UNSIGNED_BYTE, gl.Ptr(rgba.Pix))
	gl.GenerateMipmap(gl.TEXTURE_2D)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR_MIPMAP_LINEAR)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.REPEAT)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
	return tex, nil
}

func (g *glState) buildPointBuffers() {
	gl.GenVertexArrays(1, &g.pointsVAO)
	gl.GenBuffers(int32(len(g.pointBufs)), &g.pointBufs[0])
	gl.BindVertexArray(g.pointsVAO)
	for i := 0; i < 4; i++ {
		gl.BindBuffer(gl.ARRAY_BUFFER, g.pointBufs[i])
		gl.EnableVertexAttribArray(uint32(i))
		gl.VertexAttribPointerWithOffset(uint32(i), 3, gl.FLOAT, false, 0, 0)
		gl.VertexAttribDivisor(uint32(i), 1)
	}
	gl.BindBuffer(gl.ARRAY_BUFFER, g.pointBufs[4])
	gl.EnableVertexAttribArray(4)
	gl.VertexAttribIPointerWithOffset(4, 1, gl.UNSIGNED_BYTE, 0, 0)
	gl.VertexAttribDivisor(4, 1)
	gl.BindVertexArray(0)
}

// uploadKeyframes copies k into the instance buffers, growing them by
// doubling so a catalog that grows a little does not reallocate every time.
func (g *glState) uploadKeyframes(k *Keyframes) {
	n := k.Len()
	if len(k.PosAKm) < 3*n || len(k.VelAKmS) < 3*n || len(k.PosBKm) < 3*n || len(k.VelBKmS) < 3*n {
		n = 0 // malformed: draw nothing rather than read out of bounds
	}
	if n > g.pointCap {
		c := max(n, 2*g.pointCap, 1024)
		for i := 0; i < 4; i++ {
			gl.BindBuffer(gl.ARRAY_BUFFER, g.pointBufs[i])
			gl.BufferData(gl.ARRAY_BUFFER, c*12, nil, gl.DYNAMIC_DRAW)
		}
		gl.BindBuffer(gl.ARRAY_BUFFER, g.pointBufs[4])
		gl.BufferData(gl.ARRAY_BUFFER, c, nil, gl.DYNAMIC_DRAW)
		g.pointCap = c
	}
	if n > 0 {
		for i, s := range [][]float32{k.PosAKm, k.VelAKmS, k.PosBKm, k.VelBKmS} {
			gl.BindBuffer(gl.ARRAY_BUFFER, g.pointBufs[i])
			gl.BufferSubData(gl.ARRAY_BUFFER, 0, 3*n*4, gl.Ptr(s))
		}
		gl.BindBuffer(gl.ARRAY_BUFFER, g.pointBufs[4])
		gl.BufferSubData(gl.ARRAY_BUFFER, 0, n, unsafe.Pointer(&k.Kinds[0]))
	}
	gl.BindBuffer(gl.ARRAY_BUFFER, 0)
	g.nPoints = n
	g.kf = Keyframes{TA: k.TA, TB: k.TB, Generation: k.Generation}
}

func (g *glState) ensureFramebuffer(w, h int) error {
	if g.fbo != 0 && g.fbW == w && g.fbH == h {
		return nil
	}
	g.freeFramebuffer()
	gl.GenFramebuffers(1, &g.fbo)
	gl.BindFramebuffer(gl.FRAMEBUFFER, g.fbo)
	mk := func(format uint32, attach uint32) uint32 {
		var rb uint32
		gl.GenRenderbuffers(1, &rb)
		gl.BindRenderbuffer(gl.RENDERBUFFER, rb)
		gl.RenderbufferStorage(gl.RENDERBUFFER, format, int32(w), int32(h))
		gl.FramebufferRenderbuffer(gl.FRAMEBUFFER, attach, gl.RENDERBUFFER, rb)
		return rb
	}
	g.rbColor = mk(gl.RGBA8, gl.COLOR_ATTACHMENT0)
	g.rbID = mk(gl.R32UI, gl.COLOR_ATTACHMENT1)
	g.rbDepth = mk(gl.DEPTH_COMPONENT24, gl.DEPTH_ATTACHMENT)
	if st := gl.CheckFramebufferStatus(gl.FRAMEBUFFER); st != gl.FRAMEBUFFER_COMPLETE {
		g.freeFramebuffer()
		return fmt.Errorf("render: framebuffer %dx%d incomplete (status 0x%x)", w, h, st)
	}
	g.fbW, g.fbH = w, h
	for i := range g.images {
		g.images[i] = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	g.scratch = make([]byte, 4*w*h)
	return nil
}

func (g *glState) freeFramebuffer() {
	if g.fbo != 0 {
		gl.DeleteFramebuffers(1, &g.fbo)
		g.fbo = 0
	}
	for _, rb := range []*uint32{&g.rbColor, &g.rbID, &g.rbDepth} {
		if *rb != 0 {
			gl.DeleteRenderbuffers(1, rb)
			*rb = 0
		}
	}
	g.fbW, g.fbH = 0, 0
}

// swapper is a Context with a visible surface (Window).
type swapper interface {
	SwapBuffers()
}

// ErrNoSurface is returned by Present on a Renderer whose context has no
// window to show frames in (the hidden and EGL contexts).
var ErrNoSurface = errors.New("render: this renderer's context has no window to present to")

// Present draws f into the context's own window and swaps its buffers: the
// pop-out view's path, with no readback. f's size should be the window's
// framebuffer size (Window.FramebufferSize). Pick works as after Draw.
func (r *Renderer) Present(f Frame) error {
	sw, ok := r.ctx.(swapper)
	if !ok {
		return ErrNoSurface
	}
	if f.Width <= 0 || f.Height <= 0 || f.Width > 16384 || f.Height > 16384 {
		return fmt.Errorf("render: frame size %dx%d out of range", f.Width, f.Height)
	}
	r.mu.Lock()
	k := r.pending
	r.pending = nil
	r.mu.Unlock()
	var err error
	if e := r.do(func() {
		if k != nil {
			r.g.uploadKeyframes(k)
		}
		if err = r.g.present(&f); err == nil {
			sw.SwapBuffers()
		}
	}); e != nil {
		return e
	}
	return err
}
