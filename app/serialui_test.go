package app

import "testing"

// serialUI is one goroutine that runs UI work in the order it is posted,
// as the app's main goroutine does: useSerialUI routes onUI to it for the
// rest of the test, and do runs the test's own UI actions and reads there.
type serialUI struct {
	ch   chan func()
	quit chan struct{}
}

func useSerialUI(t *testing.T) *serialUI {
	t.Helper()
	s := &serialUI{ch: make(chan func(), 1<<16), quit: make(chan struct{})}
	go func() {
		for {
			select {
			case f := <-s.ch:
				f()
			case <-s.quit:
				return
			}
		}
	}()
	post := s.post
	uiPoster.Store(&post)
	t.Cleanup(func() {
		uiPoster.Store(nil)
		close(s.quit)
	})
	return s
}

// post queues f (from any goroutine, the executor included).
func (s *serialUI) post(f func()) {
	select {
	case s.ch <- f:
	case <-s.quit:
	}
}

// do runs f on the executor and waits for it. f must not call t.Fatal
// (it runs on another goroutine): return what to check instead.
func (s *serialUI) do(f func()) {
	done := make(chan struct{})
	s.post(func() { defer close(done); f() })
	<-done
}

// cond wraps a waitFor condition so that it reads the UI on the executor.
func (s *serialUI) cond(f func() bool) func() bool {
	return func() bool {
		var ok bool
		s.do(func() { ok = f() })
		return ok
	}
}
