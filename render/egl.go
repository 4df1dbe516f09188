//go:build linux && cgo

package render

/*
#cgo LDFLAGS: -lEGL
#include <stdlib.h>
#include <EGL/egl.h>
#include <EGL/eglext.h>

#ifndef EGL_PLATFORM_SURFACELESS_MESA
#define EGL_PLATFORM_SURFACELESS_MESA 0x31DD
#endif

static EGLDisplay as_surfaceless_display(void) {
	PFNEGLGETPLATFORMDISPLAYEXTPROC get =
		(PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
	if (get == NULL) {
		return EGL_NO_DISPLAY;
	}
	return get(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
}

// as_create_context binds desktop OpenGL and creates the context in one call:
// the bound API is per OS thread, and a context created on a thread still
// bound to the default (OpenGL ES) API refuses the core-profile attribute
// with EGL_BAD_ATTRIBUTE.
static EGLContext as_create_context(EGLDisplay dpy, EGLint major, EGLint minor, EGLConfig *cfgOut) {
	if (!eglBindAPI(EGL_OPENGL_API)) {
		return EGL_NO_CONTEXT;
	}
	EGLint cfgAttr[] = {
		EGL_SURFACE_TYPE, EGL_PBUFFER_BIT,
		EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
		EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8,
		EGL_NONE
	};
	EGLConfig cfg = NULL;
	EGLint n = 0;
	if (!eglChooseConfig(dpy, cfgAttr, &cfg, 1, &n) || n == 0) {
		// Surfaceless displays may offer configs without pbuffer support.
		EGLint cfgAttr2[] = { EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE };
		if (!eglChooseConfig(dpy, cfgAttr2, &cfg, 1, &n) || n == 0) {
			cfg = NULL; // EGL_KHR_no_config_context
		}
	}
	*cfgOut = cfg;
	EGLint ctxAttr[] = {
		EGL_CONTEXT_MAJOR_VERSION, major,
		EGL_CONTEXT_MINOR_VERSION, minor,
		EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
		EGL_NONE
	};
	return eglCreateContext(dpy, cfg, EGL_NO_CONTEXT, ctxAttr);
}

// as_make_current binds desktop OpenGL on the calling thread (a render
// thread starts on the default OpenGL ES API) and makes ctx current with no
// surface.
static EGLBoolean as_make_current(EGLDisplay dpy, EGLContext ctx) {
	if (!eglBindAPI(EGL_OPENGL_API)) {
		return EGL_FALSE;
	}
	return eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx);
}

static void *as_proc(const char *name) { return (void *)eglGetProcAddress(name); }
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// EGLContext is a Mesa EGL surfaceless OpenGL 3.3 core context: it renders
// into framebuffer objects with no window system and no X server.
type EGLContext struct {
	dpy C.EGLDisplay
	ctx C.EGLContext
}

var eglInitMu sync.Mutex

// NewEGLContext opens the surfaceless platform and creates a GL 3.3 core
// context. It does not make it current; call MakeCurrent on the thread that
// will render.
func NewEGLContext() (*EGLContext, error) {
	eglInitMu.Lock()
	defer eglInitMu.Unlock()
	// EGL's bound API and last error are per OS thread: every call here,
	// and the eglGetError that explains a failure, must run on one thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	dpy := C.as_surfaceless_display()
	if dpy == C.EGLDisplay(C.EGL_NO_DISPLAY) {
		return nil, fmt.Errorf("render: EGL: no surfaceless platform display (needs Mesa's EGL_MESA_platform_surfaceless; install libegl-mesa0): %s", eglError())
	}
	var major, minor C.EGLint
	if C.eglInitialize(dpy, &major, &minor) == C.EGL_FALSE {
		return nil, fmt.Errorf("render: EGL: eglInitialize: %s", eglError())
	}
	var cfg C.EGLConfig
	ctx := C.as_create_context(dpy, 3, 3, &cfg)
	if ctx == C.EGLContext(C.EGL_NO_CONTEXT) {
		return nil, fmt.Errorf("%w: EGL could not create an OpenGL 3.3 core context (%s)", ErrGLTooOld, eglError())
	}
	return &EGLContext{dpy: dpy, ctx: ctx}, nil
}

// MakeCurrent binds the context to the calling OS thread with no surface;
// the caller holds that thread (runtime.LockOSThread), as the renderer does.
func (c *EGLContext) MakeCurrent() error {
	if C.as_make_current(c.dpy, c.ctx) == C.EGL_FALSE {
		return fmt.Errorf("render: EGL: eglMakeCurrent: %s", eglError())
	}
	return nil
}

// ReleaseCurrent unbinds the context from the calling thread.
func (c *EGLContext) ReleaseCurrent() {
	C.eglMakeCurrent(c.dpy, C.EGLSurface(C.EGL_NO_SURFACE), C.EGLSurface(C.EGL_NO_SURFACE), C.EGLContext(C.EGL_NO_CONTEXT))
}

// ProcAddress resolves a GL entry point (for gl.InitWithProcAddrFunc).
func (c *EGLContext) ProcAddress(name string) unsafe.Pointer {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return C.as_proc(cs)
}

// Destroy frees the context. The display stays initialised (Mesa shares it
// between contexts of the process).
func (c *EGLContext) Destroy() {
	if c.ctx != nil {
		C.eglDestroyContext(c.dpy, c.ctx)
		c.ctx = nil
	}
}

func eglError() string {
	code := C.eglGetError()
	names := map[C.EGLint]string{
		C.EGL_SUCCESS: "EGL_SUCCESS", C.EGL_NOT_INITIALIZED: "EGL_NOT_INITIALIZED",
		C.EGL_BAD_ACCESS: "EGL_BAD_ACCESS", C.EGL_BAD_ALLOC: "EGL_BAD_ALLOC",
		C.EGL_BAD_ATTRIBUTE: "EGL_BAD_ATTRIBUTE", C.EGL_BAD_CONFIG: "EGL_BAD_CONFIG",
		C.EGL_BAD_CONTEXT: "EGL_BAD_CONTEXT", C.EGL_BAD_DISPLAY: "EGL_BAD_DISPLAY",
		C.EGL_BAD_MATCH: "EGL_BAD_MATCH", C.EGL_BAD_PARAMETER: "EGL_BAD_PARAMETER",
	}
	if n, ok := names[code]; ok {
		return n
	}
	return fmt.Sprintf("EGL error 0x%x", int(code))
}
