package main

import (
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/astroshield/astroshield/app"
	"github.com/astroshield/astroshield/render"
)

// snapshotOptions is one offscreen render of the 3D view.
type snapshotOptions struct {
	catalog    string
	at         time.Time
	out        string
	w, h       int
	selected   int // NORAD, 0 for none
	distanceKm float64
	graticule  bool
}

func runSnapshot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("snapshot", stderr)
	catalogPath := fs.String("catalog", "", "TLE or OMM file of the objects to draw (empty: Earth only)")
	at := fs.String("at", "", "time to show, RFC3339 (default: now)")
	out := fs.String("out", "", "PNG file to write (required)")
	size := fs.String("size", "1280x720", "image size WIDTHxHEIGHT in pixels")
	sel := fs.Int("select", 0, "NORAD number of an object to select (orbit path and ground track)")
	dist := fs.Float64("distance-km", render.DefaultCamera().DistanceKm, "camera distance from the Earth's centre, km")
	grat := fs.Bool("graticule", false, "draw the latitude/longitude grid")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	o := snapshotOptions{catalog: *catalogPath, out: *out, selected: *sel, distanceKm: *dist, graticule: *grat, at: time.Now().UTC()}
	if o.out == "" {
		return usagef("--out is required (the PNG to write)")
	}
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usagef("--at %q: want RFC3339, e.g. 2022-07-15T12:00:00Z", *at)
		}
		o.at = t.UTC()
	}
	var err error
	if o.w, o.h, err = parseSize(*size); err != nil {
		return usagef("--size %q: %v", *size, err)
	}
	if !(o.distanceKm >= 200 && o.distanceKm <= 600000) {
		return usagef("--distance-km %g: want 200 to 600000", o.distanceKm)
	}
	cat := &app.Catalog{}
	if o.catalog != "" {
		sets, recErrs, err := loadElementSets(o.catalog)
		if err != nil {
			return err
		}
		if recErrs != nil {
			fmt.Fprintf(stderr, "astroshield snapshot: some records skipped: %v\n", recErrs)
		}
		cat = app.NewCatalog(sets, o.catalog)
	}
	start := time.Now()
	img, stats, err := renderSnapshot(ctx, cat, o)
	if err != nil {
		return err
	}
	f, err := os.Create(o.out)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", o.out, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s: %dx%d, %d objects (%d drawn) at %s, %s, %.0f ms\n",
		o.out, o.w, o.h, cat.Len(), stats.drawn, o.at.Format(time.RFC3339), stats.gl, float64(time.Since(start).Microseconds())/1000)
	return err
}

type snapshotStats struct {
	drawn int
	gl    string
}

func parseSize(s string) (w, h int, err error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	if !ok {
		return 0, 0, fmt.Errorf("want WIDTHxHEIGHT")
	}
	if w, err = strconv.Atoi(ws); err != nil {
		return 0, 0, fmt.Errorf("width: %w", err)
	}
	if h, err = strconv.Atoi(hs); err != nil {
		return 0, 0, fmt.Errorf("height: %w", err)
	}
	if w < 16 || h < 16 || w > 8192 || h > 8192 {
		return 0, 0, fmt.Errorf("%dx%d out of range 16..8192", w, h)
	}
	return w, h, nil
}

// snapshotFrame composes the frame: default camera at the requested
// distance, atmosphere on, and the selected object's orbit and track.
func snapshotFrame(cat *app.Catalog, o snapshotOptions) (render.Frame, error) {
	cam := render.DefaultCamera()
	cam.DistanceKm = o.distanceKm
	f := render.Frame{Width: o.w, Height: o.h, Time: o.at, Camera: cam, Selected: -1, Hover: -1,
		ShowAtmosphere: true, ShowGraticule: o.graticule, KindMask: 0x0f, PointSizePx: 2.5,
		Palette: render.DefaultPalette(), Background: app.SceneBackground}
	if o.selected != 0 {
		i, ok := cat.ByNorad(o.selected)
		if !ok {
			return f, usagef("--select %d: not in the catalog", o.selected)
		}
		obj := &cat.Objects[i]
		if obj.Sat == nil {
			return f, fmt.Errorf("--select %d: %v", o.selected, obj.InitErr)
		}
		r, _, err := obj.Sat.At(o.at)
		if err != nil {
			return f, fmt.Errorf("--select %d at %s: %w", o.selected, o.at.Format(time.RFC3339), err)
		}
		p := app.PeriodOf(obj.Set.MeanMotionRevPerDay)
		f.Selected, f.SelectedPosKm = i, r
		f.OrbitPathKm, f.FutureFrom = app.OrbitPath(obj.Sat, p, o.at, 180)
		f.GroundTrack = app.GroundTrack(obj.Sat, o.at, p/2, p, p/200)
	}
	return f, nil
}
