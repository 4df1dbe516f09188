// Package render draws the AstroShield 3D view (Earth, every catalogued
// object, orbit paths) with OpenGL 3.3 core into an offscreen framebuffer and
// reads it back as an image; it knows nothing of the UI toolkit.
package render

import (
	"errors"
	"unsafe"
)

// ErrGLTooOld reports a machine that cannot give an OpenGL 3.3 core context.
var ErrGLTooOld = errors.New("render: OpenGL 3.3 core is not available on this machine (the 3D view needs it; panels and charts still work)")

// Context is an OpenGL context the render thread can make current.
type Context interface {
	MakeCurrent() error
	ReleaseCurrent()
	ProcAddress(name string) unsafe.Pointer
	Destroy()
}
