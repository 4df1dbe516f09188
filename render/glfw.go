//go:build cgo

package render

import (
	"fmt"
	"unsafe"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// GLFWContext is the OpenGL 3.3 core context of a hidden GLFW window. The
// desktop app creates it on the main thread after its toolkit has initialised
// GLFW (this package never calls glfw.Init or glfw.Terminate) and renders with
// it on the render thread into framebuffer objects.
type GLFWContext struct {
	win *glfw.Window
}

// NewHiddenGLFWContext must be called on the main thread with GLFW already
// initialised. It resets the window hints afterwards so that the toolkit's
// next window gets its own defaults.
func NewHiddenGLFWContext() (c *GLFWContext, err error) {
	defer glfw.DefaultWindowHints()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: GLFW: %v", ErrGLTooOld, r)
		}
	}()
	glfw.DefaultWindowHints()
	glfw.WindowHint(glfw.Visible, glfw.False)
	glfw.WindowHint(glfw.ContextVersionMajor, 3)
	glfw.WindowHint(glfw.ContextVersionMinor, 3)
	glfw.WindowHint(glfw.OpenGLProfile, glfw.OpenGLCoreProfile)
	glfw.WindowHint(glfw.OpenGLForwardCompatible, glfw.True)
	win, err := glfw.CreateWindow(16, 16, "astroshield-render", nil, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: GLFW could not create an OpenGL 3.3 core context: %v", ErrGLTooOld, err)
	}
	glfw.DetachCurrentContext()
	return &GLFWContext{win: win}, nil
}

// MakeCurrent binds the context to the calling OS thread.
func (c *GLFWContext) MakeCurrent() error {
	c.win.MakeContextCurrent()
	return nil
}

// ReleaseCurrent unbinds whatever context the calling thread has.
func (c *GLFWContext) ReleaseCurrent() { glfw.DetachCurrentContext() }

// ProcAddress resolves a GL entry point.
func (c *GLFWContext) ProcAddress(name string) unsafe.Pointer { return glfw.GetProcAddress(name) }

// Destroy closes the hidden window; call it on the main thread after the
// render thread has stopped.
func (c *GLFWContext) Destroy() {
	if c.win != nil {
		c.win.Destroy()
		c.win = nil
	}
}
