//go:build cgo

package render

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// Window is a visible native GLFW window with an OpenGL 3.3 core context:
// the pop-out 3D view (DESIGN §3). It shares the toolkit's GLFW instance
// (this package never calls glfw.Init or glfw.Terminate), so it must be
// created and destroyed on the main thread; a Renderer made with it draws
// with Present. Input arrives through WindowEvents while the toolkit polls.
type Window struct {
	win *glfw.Window

	mu       sync.Mutex
	fbW, fbH int
	cursorX  float64
	cursorY  float64
}

// NewWindow opens a window of w×h screen coordinates titled title. Call it on
// the main thread; it resets the window hints afterwards.
func NewWindow(title string, w, h int, ev WindowEvents) (win *Window, err error) {
	defer glfw.DefaultWindowHints()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: GLFW: %v", ErrGLTooOld, r)
		}
	}()
	glfw.DefaultWindowHints()
	glfw.WindowHint(glfw.Visible, glfw.True)
	glfw.WindowHint(glfw.Resizable, glfw.True)
	glfw.WindowHint(glfw.ContextVersionMajor, 3)
	glfw.WindowHint(glfw.ContextVersionMinor, 3)
	glfw.WindowHint(glfw.OpenGLProfile, glfw.OpenGLCoreProfile)
	glfw.WindowHint(glfw.OpenGLForwardCompatible, glfw.True)
	glfw.WindowHint(glfw.DoubleBuffer, glfw.True)
	gw, err := glfw.CreateWindow(w, h, title, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: GLFW could not open a window with an OpenGL 3.3 core context: %v", ErrGLTooOld, err)
	}
	glfw.DetachCurrentContext()
	win = &Window{win: gw}
	win.fbW, win.fbH = gw.GetFramebufferSize()
	gw.SetFramebufferSizeCallback(func(_ *glfw.Window, w, h int) {
		win.mu.Lock()
		win.fbW, win.fbH = w, h
		win.mu.Unlock()
	})
	gw.SetCursorPosCallback(func(_ *glfw.Window, x, y float64) {
		win.mu.Lock()
		win.cursorX, win.cursorY = x, y
		win.mu.Unlock()
		if ev.CursorMoved != nil {
			ev.CursorMoved(x, y)
		}
	})
	gw.SetMouseButtonCallback(func(_ *glfw.Window, b glfw.MouseButton, a glfw.Action, mods glfw.ModifierKey) {
		if ev.MouseButton == nil || a == glfw.Repeat {
			return
		}
		x, y := gw.GetCursorPos()
		ev.MouseButton(int(b), a == glfw.Press, mods&glfw.ModShift != 0, x, y)
	})
	gw.SetScrollCallback(func(_ *glfw.Window, _, dy float64) {
		if ev.Scrolled != nil {
			ev.Scrolled(dy)
		}
	})
	gw.SetKeyCallback(func(_ *glfw.Window, k glfw.Key, _ int, a glfw.Action, _ glfw.ModifierKey) {
		if ev.Key == nil || a == glfw.Release {
			return
		}
		if name, ok := windowKeyNames[k]; ok {
			ev.Key(name)
		}
	})
	gw.SetCloseCallback(func(*glfw.Window) {
		if ev.Closed != nil {
			ev.Closed()
		}
	})
	return win, nil
}

var windowKeyNames = map[glfw.Key]string{
	glfw.KeyLeft: "Left", glfw.KeyRight: "Right", glfw.KeyUp: "Up", glfw.KeyDown: "Down",
	glfw.KeyPageUp: "PageUp", glfw.KeyPageDown: "PageDown", glfw.KeyHome: "Home",
	glfw.KeyF: "F", glfw.KeyEscape: "Escape",
}

// FramebufferSize is the window's drawable size in pixels (any goroutine).
func (w *Window) FramebufferSize() (width, height int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.fbW, w.fbH
}

// ScreenToPixels converts window coordinates (as WindowEvents give them)
// to framebuffer pixels, which differ on high-DPI screens (main thread).
func (w *Window) ScreenToPixels(x, y float64) (int, int) {
	ww, wh := w.win.GetSize()
	fw, fh := w.FramebufferSize()
	if ww <= 0 || wh <= 0 {
		return int(x), int(y)
	}
	return int(x * float64(fw) / float64(ww)), int(y * float64(fh) / float64(wh))
}

// MakeCurrent binds the window's context to the calling OS thread.
func (w *Window) MakeCurrent() error {
	w.win.MakeContextCurrent()
	return nil
}

// ReleaseCurrent unbinds whatever context the calling thread has.
func (w *Window) ReleaseCurrent() { glfw.DetachCurrentContext() }

// ProcAddress resolves a GL entry point.
func (w *Window) ProcAddress(name string) unsafe.Pointer { return glfw.GetProcAddress(name) }

// SwapBuffers shows the back buffer (the render thread, context current).
func (w *Window) SwapBuffers() { w.win.SwapBuffers() }

// Focus raises the window (main thread).
func (w *Window) Focus() { w.win.Show(); w.win.Focus() }

// Destroy closes the window; call it on the main thread after the
// Renderer drawing into it has been closed.
func (w *Window) Destroy() {
	if w.win != nil {
		w.win.Destroy()
		w.win = nil
	}
}
