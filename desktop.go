//go:build cgo

package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"

	asapp "github.com/astroshield/astroshield/app"
	"github.com/astroshield/astroshield/assets"
	"github.com/astroshield/astroshield/engine/catalog"
	"github.com/astroshield/astroshield/render"
)

// desktopOptions are the desktop client's flags (DESIGN §6).
type desktopOptions struct {
	catalog, cdm, history, server string
	popOut                        bool
}

func parseDesktopFlags(args []string, stderr io.Writer) (desktopOptions, error) {
	var o desktopOptions
	fs := newFlagSet("", stderr)
	fs.StringVar(&o.catalog, "catalog", "", "TLE or OMM file to open")
	fs.StringVar(&o.cdm, "cdm", "", "CDM file to analyse (probability of collision)")
	fs.StringVar(&o.history, "history", "", "element-set history file to analyse (manoeuvres, CCDM)")
	fs.StringVar(&o.server, "server", "", "AstroShield server URL")
	fs.BoolVar(&o.popOut, "popout", false, "open the 3D view in its own native window too (View → Pop out 3D view, Ctrl+Shift+P)")
	return o, parseFlags(fs, args)
}

// runDesktop starts the desktop client. The 3D view gets its own OpenGL 3.3
// core context (a hidden GLFW window made after Fyne has initialised GLFW,
// DESIGN §3); where the machine cannot give one the panels and charts still
// work and the centre says why.
func runDesktop(_ context.Context, args []string, stderr io.Writer) int {
	start := time.Now()
	o, err := parseDesktopFlags(args, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "astroshield: %v\n", err)
		return 2
	}
	// --server: the local cache opens before the window (no network
	// needed); the connection starts once the window is up.
	var remote *asapp.Remote
	if o.server != "" {
		if remote, err = asapp.OpenRemote(asapp.RemoteConfig{URL: o.server}); err != nil {
			fmt.Fprintf(stderr, "astroshield: --server %s: %v; working offline on local files\n", o.server, err)
		} else {
			fmt.Fprintf(stderr, "astroshield: server %s, local cache %s\n", remote.URL(), remote.CacheDir())
		}
	}
	// The catalog is read and SGP4 initialised while Fyne and the GL
	// context start (about 0.1 s for 24k objects against ~1.5 s of window
	// start-up), so the first frame with objects is not delayed by it.
	var preload <-chan loadedCatalog
	if o.catalog != "" {
		preload = readCatalogAsync(o.catalog)
	}
	fa := fyneapp.NewWithID("io.astroshield.workstation")
	fa.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	clock := asapp.NewClock(nil)
	sess := asapp.NewSession(clock, nil, fa.Preferences())

	fa.Lifecycle().SetOnStarted(func() {
		var globe *asapp.Globe
		glctx, err := render.NewHiddenGLFWContext()
		if err == nil {
			var r *render.Renderer
			if r, err = render.NewRenderer(glctx); err != nil {
				glctx.Destroy()
			} else {
				globe = asapp.NewGlobe(r, clock)
				sess.Scene = globe
				fmt.Fprintf(stderr, "astroshield: 3D view on %s\n", r.Info())
			}
		}
		if err != nil {
			sess.SceneErr = err
			fmt.Fprintf(stderr, "astroshield: 3D view unavailable: %v\n", err)
		}
		ws := asapp.NewWorkstation(fa, sess)
		win := ws.Window()
		var pop *popOut
		if globe != nil {
			globe.OnPick = sess.Select
			pop = &popOut{globe: globe, parent: win, stderr: stderr}
			ws.AddViewItem(pop.menuItem())
			ws.AddOnClosed(func() { pop.close(); globe.Stop(); glctx.Destroy() })
		}
		analysis := asapp.NewAnalysisPanel(sess, win)
		ws.AddTab("Analysis", analysis.Object())
		load := func(path string) {
			ws.SetStatus("loading " + filepath.Base(path) + " …")
			go showCatalog(sess, ws, globe, <-readCatalogAsync(path), start, stderr)
		}
		ws.OnOpen = load
		if remote != nil {
			ru := asapp.AttachRemote(ws, sess, analysis.Conjunctions(), remote)
			ru.KeepCatalog = o.catalog != ""
			ws.OnOpen = func(path string) { ru.KeepCatalog = true; load(path) }
			defer ru.Start() // after win.Show: the connect dialog needs the window
		}
		win.Show()
		if o.popOut && pop != nil {
			pop.open()
		}
		if preload != nil {
			ws.SetStatus("loading " + filepath.Base(o.catalog) + " …")
			go showCatalog(sess, ws, globe, <-preload, start, stderr)
		}
		if o.history != "" {
			if err := analysis.StartHistory(o.history); err != nil {
				dialog.ShowError(err, win)
			}
		}
		if o.cdm != "" {
			if err := analysis.StartCDM(o.cdm); err != nil {
				dialog.ShowError(err, win)
			}
		}
	})
	fa.Run()
	return 0
}

// loadedCatalog is a catalog file read and initialised for SGP4, or why not.
type loadedCatalog struct {
	path string
	cat  *asapp.Catalog
	err  error
}

// readCatalogAsync reads path and initialises SGP4 for every object on a
// goroutine of its own; the one value sent on the returned channel is the
// result. It touches no Fyne state, so it may run before the app starts.
func readCatalogAsync(path string) <-chan loadedCatalog {
	done := make(chan loadedCatalog, 1)
	go func() {
		sets, recErrs, err := catalog.ReadFile(path)
		if err != nil {
			done <- loadedCatalog{path: path, err: err}
			return
		}
		c := asapp.NewCatalog(sets, path)
		c.RecordErrs = recErrs
		done <- loadedCatalog{path: path, cat: c}
	}()
	return done
}

// showCatalog hands a loaded catalog to the session on Fyne's goroutine.
// Old data is shown at its own epoch: if the newest element set is more
// than asapp.StaleDataAge old, the clock moves to the catalog's median
// epoch (paused) and the status bar says so.
func showCatalog(sess *asapp.Session, ws *asapp.Workstation, globe *asapp.Globe, l loadedCatalog, start time.Time, stderr io.Writer) {
	path, c := l.path, l.cat
	if l.err != nil {
		fyne.Do(func() {
			ws.SetStatus("could not open " + filepath.Base(path))
			dialog.ShowError(fmt.Errorf("opening %s: %w", path, l.err), ws.Window())
		})
		return
	}
	recErrs := c.RecordErrs
	fyne.Do(func() {
		sess.ShowAtEpochsIfStale(c)
		sess.SetCatalog(c)
		ws.SetStatus("") // the "loading …" message
		if recErrs != nil {
			dialog.ShowError(fmt.Errorf("some records of %s were skipped: %w", filepath.Base(path), recErrs), ws.Window())
		}
	})
	fmt.Fprintf(stderr, "astroshield: loaded %d objects from %s in %.2f s\n", c.Len(), path, time.Since(start).Seconds())
	if globe == nil {
		return
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if t := globe.FirstFrameWithObjects(); !t.IsZero() {
			fmt.Fprintf(stderr, "astroshield: first frame with %d objects %.2f s after start\n", c.Len(), t.Sub(start).Seconds())
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
