package app

import (
	"sync/atomic"

	"fyne.io/fyne/v2"
)

// onUI runs f on Fyne's UI goroutine without waiting (fyne.Do). Every
// widget update made from another goroutine goes through it.
//
// Tests that drive the UI while feed and timer goroutines update it route
// it to one executor goroutine instead (uiPoster; serialUI in the tests):
// Fyne's test driver runs fyne.Do on the goroutine that calls it, so the
// test goroutine and every caller would each be "the UI goroutine", which
// the race detector rightly reports; in the app Fyne's main goroutine
// serialises them.
func onUI(f func()) {
	if p := uiPoster.Load(); p != nil {
		(*p)(f)
		return
	}
	fyne.Do(f)
}

// uiPoster, when set, replaces fyne.Do in onUI (tests only).
var uiPoster atomic.Pointer[func(func())]
