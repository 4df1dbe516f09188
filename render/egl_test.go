//go:build cgo && linux

package render

import (
	"os"
	"runtime"
	"sync"
	"testing"
)

// TestEGLContextAcrossThreads creates and renders with EGL contexts from many
// goroutines while others keep the scheduler busy, so goroutines move
// between OS threads. EGL's bound API is per thread: a context created on a
// thread still bound to OpenGL ES refuses the core-profile attribute
// (EGL_BAD_ATTRIBUTE, seen once in CI on a loaded two-core machine, and
// reproduced in C by creating without eglBindAPI on the thread), so every
// creation must bind and create on one thread. Go cannot force a migration
// between two cgo calls, so this is a stress test: it makes one likely.
func TestEGLContextAcrossThreads(t *testing.T) {
	if _, err := NewEGLContext(); err != nil {
		if os.Getenv("ASTROSHIELD_REQUIRE_GL") == "1" {
			t.Fatalf("no OpenGL 3.3 core context: %v", err)
		}
		t.Skipf("no OpenGL 3.3 core context: %v", err)
	}
	stop := make(chan struct{})
	var busy sync.WaitGroup
	for range 4 {
		busy.Add(1)
		go func() {
			defer busy.Done()
			for {
				select {
				case <-stop:
					return
				default:
					runtime.Gosched()
				}
			}
		}()
	}
	const workers, each = 4, 4
	errs := make(chan error, workers*each)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				ctx, err := NewEGLContext()
				if err != nil {
					errs <- err
					continue
				}
				r, err := NewRenderer(ctx)
				if err != nil {
					errs <- err
				} else {
					r.Close()
				}
				ctx.Destroy()
			}
		}()
	}
	wg.Wait()
	close(stop)
	busy.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n == 0 {
			t.Error(err)
		}
		n++
	}
	if n > 0 {
		t.Errorf("%d of %d contexts failed", n, workers*each)
	}
}
