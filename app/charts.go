package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/astroshield/astroshield/engine/ccdm"
	"github.com/astroshield/astroshield/engine/frames"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/engine/sgp4"
)

// Chart errors.
var (
	ErrChartNoData = errors.New("app: no data to chart")
	ErrChartNoGEO  = errors.New("app: no GEO element sets (mean motion 0.9–1.1 rev/day, e < 0.1)")
)

// chartTheme holds the colours a chart is drawn with, taken from the Fyne
// theme so charts match dark and light mode.
type chartTheme struct {
	bg, fg, grid, muted color.Color
	series              []color.Color
	mark                color.Color // manoeuvre / TCA marks
}

func chartThemeFor(dark bool) chartTheme {
	v := theme.VariantLight
	if dark {
		v = theme.VariantDark
	}
	// The app's own theme when charting for its current mode (so a custom
	// theme is matched); Fyne's default theme for the other mode, since a
	// custom theme may ignore the variant it is asked for.
	var th fyne.Theme = theme.DefaultTheme()
	if a := fyne.CurrentApp(); a != nil && a.Settings() != nil && a.Settings().Theme() != nil && chartDark() == dark {
		th = a.Settings().Theme()
	}
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
	return chartTheme{
		bg: c(theme.ColorNameBackground), fg: c(theme.ColorNameForeground),
		grid: c(theme.ColorNameSeparator), muted: c(theme.ColorNameDisabled),
		series: []color.Color{c(theme.ColorNamePrimary), c(theme.ColorNameSuccess), c(theme.ColorNameWarning),
			color.NRGBA{R: 0x9c, G: 0x6a, B: 0xde, A: 0xff}, color.NRGBA{R: 0x26, G: 0xa6, B: 0x9a, A: 0xff}},
		mark: c(theme.ColorNameError),
	}
}

func (th chartTheme) seriesColor(i int) color.Color { return th.series[i%len(th.series)] }

// chartNewPlot is a plot styled with th.
func chartNewPlot(th chartTheme, title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = th.bg
	p.Title.Text = title
	p.Title.TextStyle.Color = th.fg
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.Legend.TextStyle.Color = th.fg
	p.Legend.Top = true
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Color = th.fg
		a.Label.TextStyle.Color = th.fg
		a.Tick.Color = th.fg
		a.Tick.Label.Color = th.fg
		a.Tick.Label.Font.Size = vg.Points(9)
		a.Label.TextStyle.Font.Size = vg.Points(10)
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = th.grid, th.grid
	p.Add(g)
	return p
}

// chartDraw draws plots stacked top to bottom into a w×h image.
func chartDraw(w, h int, th chartTheme, plots ...*plot.Plot) (*image.RGBA, error) {
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("app: chart size %dx%d must be positive", w, h)
	}
	c := vgimg.NewWith(vgimg.UseImage(image.NewRGBA(image.Rect(0, 0, w, h))), vgimg.UseDPI(96))
	dc := draw.New(c)
	dc.SetColor(th.bg)
	dc.Fill(dc.Rectangle.Path())
	if len(plots) == 1 {
		plots[0].Draw(dc)
	} else if len(plots) > 1 {
		grid := make([][]*plot.Plot, len(plots))
		for i, p := range plots {
			grid[i] = []*plot.Plot{p}
		}
		cs := plot.Align(grid, draw.Tiles{Rows: len(plots), Cols: 1, PadY: vg.Points(4)}, dc)
		for i := range plots {
			plots[i].Draw(cs[i][0])
		}
	}
	img, ok := c.Image().(*image.RGBA)
	if !ok {
		return nil, fmt.Errorf("app: chart canvas is %T, not *image.RGBA", c.Image())
	}
	return img, nil
}

// ChartMessage is a chart-sized image that only says msg (no data, errors).
func ChartMessage(msg string, w, h int, dark bool) *image.RGBA {
	th := chartThemeFor(dark)
	p := chartNewPlot(th, msg, "", "")
	p.HideAxes()
	img, err := chartDraw(max(w, 1), max(h, 1), th, p)
	if err != nil {
		return image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	}
	return img
}

// chartVLines draws full-height vertical lines at data x values.
type chartVLines struct {
	xs    []float64
	style draw.LineStyle
}

func (v chartVLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, x := range v.xs {
		if x < p.X.Min || x > p.X.Max {
			continue
		}
		px := trX(x)
		c.StrokeLine2(v.style, px, c.Min.Y, px, c.Max.Y)
	}
}

// chartAddLine adds xy as a line (and its legend entry when name != "").
func chartAddLine(p *plot.Plot, xy plotter.XYs, col color.Color, name string) error {
	if len(xy) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xy)
	if err != nil {
		return err
	}
	l.Color = col
	l.Width = vg.Points(1.5)
	p.Add(l)
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

func chartAddPoints(p *plot.Plot, xy plotter.XYs, col color.Color, r vg.Length, shape draw.GlyphDrawer) (*plotter.Scatter, error) {
	if len(xy) == 0 {
		return nil, nil
	}
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: r, Shape: shape}
	p.Add(s)
	return s, nil
}

func chartTimeAxis(p *plot.Plot, t0, t1 time.Time) {
	f := "2006-01-02"
	if t1.Sub(t0) < 72*time.Hour {
		f = "01-02 15:04"
	}
	p.X.Tick.Marker = plot.TimeTicks{Format: f}
	p.X.Label.Text = "epoch (UTC)"
}

func unixS(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// RangeChartSpan is how far either side of TCA the range chart goes.
const RangeChartSpan = 30 * time.Minute

// RenderRangeChart plots the range between an event's objects (SGP4 from
// their element sets in c) over ±30 min around TCA, and Pc against time
// where the event has successive values (PcSeries, from CDMs or the
// server's event history); otherwise the title gives the one Pc there is.
func RenderRangeChart(ev Event, c *Catalog, w, h int, dark bool) (*image.RGBA, error) {
	if ev.A < 0 || ev.B < 0 || ev.A >= c.Len() || ev.B >= c.Len() {
		return nil, fmt.Errorf("app: range chart: objects %d and %d must both be in the loaded catalog", ev.Norad1, ev.Norad2)
	}
	s1, s2 := c.Objects[ev.A].Sat, c.Objects[ev.B].Sat
	if s1 == nil || s2 == nil {
		return nil, fmt.Errorf("app: range chart: SGP4 could not initialise %d or %d", ev.Norad1, ev.Norad2)
	}
	const step = 10 * time.Second
	var xy plotter.XYs
	minKm, minMin := math.Inf(1), 0.0
	for dt := -RangeChartSpan; dt <= RangeChartSpan; dt += step {
		t := ev.TCA.Add(dt)
		r1, _, err1 := s1.At(t)
		r2, _, err2 := s2.At(t)
		if err1 != nil || err2 != nil {
			continue
		}
		d := math.Sqrt((r2[0]-r1[0])*(r2[0]-r1[0]) + (r2[1]-r1[1])*(r2[1]-r1[1]) + (r2[2]-r1[2])*(r2[2]-r1[2]))
		m := dt.Minutes()
		xy = append(xy, plotter.XY{X: m, Y: d})
		if d < minKm {
			minKm, minMin = d, m
		}
	}
	if len(xy) == 0 {
		return nil, fmt.Errorf("%w: SGP4 failed for %d × %d around %s", ErrChartNoData, ev.Norad1, ev.Norad2, ev.TCA.Format(time.RFC3339))
	}
	th := chartThemeFor(dark)
	title := fmt.Sprintf("Range %s × %s, TCA %s, miss %.3f km", conjName(ev.Name1, ev.Norad1), conjName(ev.Name2, ev.Norad2),
		ev.TCA.UTC().Format("2006-01-02 15:04:05Z"), ev.MissKm)
	if len(ev.PcSeries) == 0 {
		if math.IsNaN(ev.Pc) {
			title += "\nPc vs time: n/a (one screening, no Pc computed)"
		} else {
			title += fmt.Sprintf("\nPc %.2e (%s, one screening: no Pc history to plot)", ev.Pc, ev.PcMethod)
		}
	}
	p := chartNewPlot(th, title, "minutes from TCA", "range (km)")
	if err := chartAddLine(p, xy, th.seriesColor(0), "SGP4 range"); err != nil {
		return nil, err
	}
	if _, err := chartAddPoints(p, plotter.XYs{{X: minMin, Y: minKm}}, th.mark, vg.Points(3), draw.CircleGlyph{}); err != nil {
		return nil, err
	}
	p.Add(chartVLines{xs: []float64{0}, style: draw.LineStyle{Color: th.mark, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}})
	p.Y.Min = 0
	if len(ev.PcSeries) == 0 {
		return chartDraw(w, h, th, p)
	}
	pts := append([]PcPoint(nil), ev.PcSeries...)
	sort.Slice(pts, func(i, j int) bool { return pts[i].At.Before(pts[j].At) })
	var pxy plotter.XYs
	for _, pt := range pts {
		if pt.Pc > 0 && !math.IsInf(pt.Pc, 0) {
			pxy = append(pxy, plotter.XY{X: unixS(pt.At), Y: pt.Pc})
		}
	}
	pp := chartNewPlot(th, "Pc by message", "", "Pc")
	if len(pxy) == 0 {
		pp.Title.Text = "Pc by message: every Pc is zero or not a number"
	} else {
		pp.Y.Scale = plot.LogScale{}
		pp.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		if err := chartAddLine(pp, pxy, th.seriesColor(1), ""); err != nil {
			return nil, err
		}
		if _, err := chartAddPoints(pp, pxy, th.seriesColor(1), vg.Points(2.5), draw.CircleGlyph{}); err != nil {
			return nil, err
		}
	}
	chartTimeAxis(pp, pts[0].At, pts[len(pts)-1].At)
	return chartDraw(w, h, th, p, pp)
}

// elementHistorySorted copies sets sorted by epoch.
func elementHistorySorted(sets []gp.ElementSet) []gp.ElementSet {
	out := append([]gp.ElementSet(nil), sets...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Epoch.Before(out[j].Epoch) })
	return out
}

// RenderElementHistoryChart plots one object's semi-major axis (km, from
// the mean motion), inclination, eccentricity and RAAN against epoch, with
// the detected manoeuvres (det, from maneuver.Detect; may be nil) as
// vertical marks.
func RenderElementHistoryChart(sets []gp.ElementSet, det *maneuver.Result, w, h int, dark bool) (*image.RGBA, error) {
	if len(sets) == 0 {
		return nil, ErrChartNoData
	}
	hs := elementHistorySorted(sets)
	th := chartThemeFor(dark)
	var a, inc, ecc, raan plotter.XYs
	for i := range hs {
		x := unixS(hs[i].Epoch)
		a = append(a, plotter.XY{X: x, Y: hs[i].SemiMajorAxisKm()})
		inc = append(inc, plotter.XY{X: x, Y: hs[i].InclinationDeg})
		ecc = append(ecc, plotter.XY{X: x, Y: hs[i].Eccentricity})
		raan = append(raan, plotter.XY{X: x, Y: hs[i].RAANDeg})
	}
	var marks []float64
	title := fmt.Sprintf("%s: %d element sets", conjName(hs[len(hs)-1].Name, hs[0].CatalogNumber), len(hs))
	if det != nil {
		if det.Status == maneuver.StatusInsufficientData {
			title += ", manoeuvre detection: insufficient data"
		} else {
			title += fmt.Sprintf(", %s, %d manoeuvres detected (vertical marks)", det.Regime, len(det.Events))
		}
		for _, e := range det.Events {
			marks = append(marks, unixS(e.Epoch))
		}
	}
	markStyle := draw.LineStyle{Color: th.mark, Width: vg.Points(1)}
	mk := func(ttl, y string, xy plotter.XYs, k int, line bool) (*plot.Plot, error) {
		p := chartNewPlot(th, ttl, "", y)
		p.Add(chartVLines{xs: marks, style: markStyle})
		if line {
			if err := chartAddLine(p, xy, th.seriesColor(k), ""); err != nil {
				return nil, err
			}
		}
		if _, err := chartAddPoints(p, xy, th.seriesColor(k), vg.Points(1.2), draw.CircleGlyph{}); err != nil {
			return nil, err
		}
		chartTimeAxis(p, hs[0].Epoch, hs[len(hs)-1].Epoch)
		p.X.Label.Text = ""
		return p, nil
	}
	pa, err := mk(title, "a (km)", a, 0, true)
	if err != nil {
		return nil, err
	}
	pi, err := mk("", "i (deg)", inc, 1, true)
	if err != nil {
		return nil, err
	}
	pe, err := mk("", "e", ecc, 2, true)
	if err != nil {
		return nil, err
	}
	pr, err := mk("", "RAAN (deg)", raan, 3, false) // wraps at 360: points only
	if err != nil {
		return nil, err
	}
	pr.X.Label.Text = "epoch (UTC)"
	return chartDraw(w, h, th, pa, pi, pe, pr)
}

// GEOLongitudeDeg is the sub-satellite (WGS-84 geodetic) longitude of an
// element set at its own epoch, in degrees east in (−180, 180].
func GEOLongitudeDeg(sat *sgp4.Satellite, epoch time.Time) (float64, error) {
	r, v, err := sat.At(epoch)
	if err != nil {
		return 0, err
	}
	rE, _ := frames.TEMEToECEF(epoch, r, v, frames.EOP{})
	return frames.ECEFToGeodetic(rE).LonRad * 180 / math.Pi, nil
}

// RenderGEOLongitudeChart plots the sub-satellite longitude at each epoch of
// every GEO object in sets (one series per object), showing longitude drift
// and station-keeping boxes.
func RenderGEOLongitudeChart(sets []gp.ElementSet, w, h int, dark bool) (*image.RGBA, error) {
	byObj := map[int][]gp.ElementSet{}
	var order []int
	for _, s := range sets {
		if maneuver.ClassifyRegime(s.MeanMotionRevPerDay, s.Eccentricity) != maneuver.RegimeGEO {
			continue
		}
		if _, ok := byObj[s.CatalogNumber]; !ok {
			order = append(order, s.CatalogNumber)
		}
		byObj[s.CatalogNumber] = append(byObj[s.CatalogNumber], s)
	}
	if len(order) == 0 {
		return nil, ErrChartNoGEO
	}
	th := chartThemeFor(dark)
	p := chartNewPlot(th, "GEO sub-satellite longitude at each element-set epoch", "epoch (UTC)", "longitude (deg E)")
	var t0, t1 time.Time
	points := 0
	for k, n := range order {
		hs := elementHistorySorted(byObj[n])
		var segs []plotter.XYs
		var cur plotter.XYs
		prev := math.NaN()
		for i := range hs {
			sat, err := sgp4.New(hs[i])
			if err != nil {
				continue
			}
			lon, err := GEOLongitudeDeg(sat, hs[i].Epoch)
			if err != nil {
				continue
			}
			if !math.IsNaN(prev) && math.Abs(lon-prev) > 180 { // wrapped: break the line
				segs = append(segs, cur)
				cur = nil
			}
			prev = lon
			cur = append(cur, plotter.XY{X: unixS(hs[i].Epoch), Y: lon})
			if t0.IsZero() || hs[i].Epoch.Before(t0) {
				t0 = hs[i].Epoch
			}
			if hs[i].Epoch.After(t1) {
				t1 = hs[i].Epoch
			}
			points++
		}
		segs = append(segs, cur)
		col := th.seriesColor(k)
		for j, s := range segs {
			name := ""
			if j == 0 {
				name = conjName(hs[len(hs)-1].Name, n)
			}
			if err := chartAddLine(p, s, col, name); err != nil {
				return nil, err
			}
		}
	}
	if points == 0 {
		return nil, fmt.Errorf("%w: SGP4 failed for every GEO element set", ErrChartNoData)
	}
	chartTimeAxis(p, t0, t1)
	return chartDraw(w, h, th, p)
}

// CCDMSample is the CCDM analysis of one object as of one assessment epoch.
type CCDMSample struct {
	At     time.Time
	Report ccdm.Report
	Err    error // analysis failed at this epoch (e.g. no element set yet)
}

// CCDMTimeline runs ccdm.Analyze on one object's history at n assessment
// epochs evenly spaced from its first to its last element set, so the
// indicators can be followed over time. catalog (may be nil) enables the
// catalog indicators at the last epoch (a snapshot says nothing about the
// past). progress, when non-nil, is called after each epoch;
// ctx cancels between epochs.
func CCDMTimeline(ctx context.Context, history, catalog []gp.ElementSet, n int, progress func(done, total int)) ([]CCDMSample, error) {
	if len(history) == 0 {
		return nil, ErrChartNoData
	}
	if n < 1 {
		n = 1
	}
	hs := elementHistorySorted(history)
	t0, t1 := hs[0].Epoch, hs[len(hs)-1].Epoch
	out := make([]CCDMSample, 0, n)
	for k := 0; k < n; k++ {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		at := t1
		if n > 1 {
			at = t0.Add(time.Duration(float64(t1.Sub(t0)) * float64(k+1) / float64(n)))
		}
		cfg := ccdm.DefaultConfig()
		cfg.At = at
		// A catalog snapshot is one instant: its indicators (proximity,
		// orbit density, siblings) are judged at the last epoch only.
		var cat []gp.ElementSet
		if k == n-1 {
			cat = catalog
		}
		rep, err := ccdm.Analyze(ctx, hs, cat, cfg)
		if err != nil && ctx.Err() != nil {
			return out, ctx.Err()
		}
		out = append(out, CCDMSample{At: at, Report: rep, Err: err})
		if progress != nil {
			progress(k+1, n)
		}
	}
	return out, nil
}

// ccdmChartIndicators are the rows of the indicator timeline.
var ccdmChartIndicators = []ccdm.Indicator{
	ccdm.ManeuversDetected, ccdm.OrbitOOF, ccdm.StabilityChanged, ccdm.AMRChanges, ccdm.AMROOF,
	ccdm.ProximityEvents, ccdm.ObjectInUnoccupiedOrbit, ccdm.SubSatsDeployed, ccdm.UnknownDebrisSMAHigherThanParent,
}

// RenderCCDMTimelineChart plots the threat score at each assessment epoch
// and, below it, each indicator's status over time: filled marks where
// detected, small marks where judged and not detected, crosses where the
// data were insufficient. Detected manoeuvres are drawn at their own epochs.
func RenderCCDMTimelineChart(samples []CCDMSample, w, h int, dark bool) (*image.RGBA, error) {
	var ok []CCDMSample
	for _, s := range samples {
		if s.Err == nil {
			ok = append(ok, s)
		}
	}
	if len(ok) == 0 {
		return nil, fmt.Errorf("%w: no CCDM analysis succeeded", ErrChartNoData)
	}
	th := chartThemeFor(dark)
	last := ok[len(ok)-1].Report
	var score plotter.XYs
	for _, s := range ok {
		score = append(score, plotter.XY{X: unixS(s.At), Y: s.Report.Threat.Score})
	}
	top := chartNewPlot(th, fmt.Sprintf("CCDM %s: threat %s (score %.2f) at %s", conjName(last.Name, last.NORAD),
		last.Threat.Level, last.Threat.Score, last.At.UTC().Format("2006-01-02")), "", "threat score")
	if err := chartAddLine(top, score, th.seriesColor(0), ""); err != nil {
		return nil, err
	}
	if _, err := chartAddPoints(top, score, th.seriesColor(0), vg.Points(2), draw.CircleGlyph{}); err != nil {
		return nil, err
	}
	top.Y.Min = 0
	t0, t1 := ok[0].At, ok[len(ok)-1].At
	chartTimeAxis(top, t0, t1)
	top.X.Label.Text = ""

	bot := chartNewPlot(th, "indicators (● detected, · not detected, × insufficient data)", "epoch (UTC)", "")
	var ticks plot.ConstantTicks
	var det, not, insuf plotter.XYs
	for row, ind := range ccdmChartIndicators {
		y := float64(len(ccdmChartIndicators) - row)
		ticks = append(ticks, plot.Tick{Value: y, Label: string(ind)})
		if ind == ccdm.ManeuversDetected {
			for _, f := range last.Findings {
				if f.Indicator == ind && f.Status == ccdm.StatusDetected && !f.Time.IsZero() {
					det = append(det, plotter.XY{X: unixS(f.Time), Y: y})
				}
			}
		}
		for _, s := range ok {
			st := ccdm.Status("")
			for _, f := range s.Report.Findings {
				if f.Indicator != ind {
					continue
				}
				if ind == ccdm.ManeuversDetected {
					// Manoeuvres are drawn at their own epochs above; a
					// sample only says whether the history could be judged.
					if f.Status == ccdm.StatusInsufficient {
						st = f.Status
					} else if st == "" {
						st = ccdm.StatusNotDetected
					}
					continue
				}
				if f.Status == ccdm.StatusDetected || st == "" || (st == ccdm.StatusNotDetected && f.Status == ccdm.StatusInsufficient) {
					st = f.Status
				}
			}
			pt := plotter.XY{X: unixS(s.At), Y: y}
			switch st {
			case ccdm.StatusDetected:
				det = append(det, pt)
			case ccdm.StatusNotDetected:
				not = append(not, pt)
			case ccdm.StatusInsufficient:
				insuf = append(insuf, pt)
			}
		}
	}
	if _, err := chartAddPoints(bot, not, th.muted, vg.Points(1.5), draw.CircleGlyph{}); err != nil {
		return nil, err
	}
	if _, err := chartAddPoints(bot, insuf, th.muted, vg.Points(3), draw.CrossGlyph{}); err != nil {
		return nil, err
	}
	if _, err := chartAddPoints(bot, det, th.mark, vg.Points(3.5), draw.CircleGlyph{}); err != nil {
		return nil, err
	}
	bot.Y.Tick.Marker = ticks
	bot.Y.Min, bot.Y.Max = 0.5, float64(len(ccdmChartIndicators))+0.5
	chartTimeAxis(bot, t0, t1)
	bot.X.Min, bot.X.Max = top.X.Min, top.X.Max
	if score.Len() > 0 {
		lo, hi := unixS(t0), unixS(t1)
		for _, p := range det {
			lo, hi = math.Min(lo, p.X), math.Max(hi, p.X)
		}
		top.X.Min, top.X.Max, bot.X.Min, bot.X.Max = lo, hi, lo, hi
	}
	return chartDraw(w, h, th, top, bot)
}

// ChartKind selects what the charts panel shows.
type ChartKind int

// Chart kinds, in selector order.
const (
	ChartRange ChartKind = iota
	ChartElements
	ChartGEOLongitude
	ChartCCDM
)

var chartKindNames = []string{"Range around TCA", "Element history", "GEO longitude drift", "CCDM indicators"}

func (k ChartKind) String() string {
	if k < 0 || int(k) >= len(chartKindNames) {
		return "unknown"
	}
	return chartKindNames[k]
}

// ChartsPanel shows one chart at a time, chosen with a selector, drawn at
// the raster's exact pixel size.
type ChartsPanel struct {
	s *Session

	mu      sync.Mutex
	kind    ChartKind
	ev      *Event
	sets    []gp.ElementSet // one object's history (element chart)
	allSets []gp.ElementSet // every object of the history file (GEO chart)
	det     *maneuver.Result
	ccdm    []CCDMSample
	version int
	cache   struct {
		img           *image.RGBA
		w, h, version int
		kind          ChartKind
		dark          bool
	}

	sel    *widget.Select
	raster *canvas.Raster
	obj    fyne.CanvasObject
}

// NewChartsPanel builds a panel with nothing to show yet.
func NewChartsPanel(s *Session) *ChartsPanel {
	p := &ChartsPanel{s: s}
	p.raster = canvas.NewRaster(p.generate)
	// Small minimum so the 3D view keeps most of a 1280x720 window; the
	// chart grows with the split.
	p.raster.SetMinSize(fyne.NewSize(320, 140))
	p.sel = widget.NewSelect(chartKindNames, func(v string) {
		for i, n := range chartKindNames {
			if n == v {
				p.SetKind(ChartKind(i))
			}
		}
	})
	p.sel.SetSelectedIndex(0)
	p.obj = container.NewBorder(container.NewHBox(widget.NewLabel("Chart"), p.sel), nil, nil, nil, p.raster)
	return p
}

// Object is the panel's canvas object.
func (p *ChartsPanel) Object() fyne.CanvasObject { return p.obj }

// Kind is the chart shown.
func (p *ChartsPanel) Kind() ChartKind {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.kind
}

// SetKind switches the chart (call on Fyne's goroutine).
func (p *ChartsPanel) SetKind(k ChartKind) {
	p.mu.Lock()
	changed := p.kind != k
	p.kind = k
	p.mu.Unlock()
	if p.sel.SelectedIndex() != int(k) {
		p.sel.SetSelectedIndex(int(k))
	}
	if changed {
		p.raster.Refresh()
	}
}

func (p *ChartsPanel) changed(k ChartKind, f func()) {
	p.mu.Lock()
	f()
	p.version++
	p.mu.Unlock()
	p.SetKind(k)
	p.raster.Refresh()
}

// ShowEvent shows the range chart of ev.
func (p *ChartsPanel) ShowEvent(ev Event) {
	p.changed(ChartRange, func() { p.ev = &ev })
}

// ShowHistory shows the element history of the first object in sets (in
// file order) with its manoeuvres (maneuver.Detect with the default
// configuration), and keeps every object for the GEO chart.
func (p *ChartsPanel) ShowHistory(sets []gp.ElementSet) {
	one := chartFirstObject(sets)
	var det *maneuver.Result
	if len(one) > 0 {
		if r, err := maneuver.Detect(one, maneuver.DefaultConfig()); err == nil {
			det = &r
		}
	}
	p.ShowHistoryResult(sets, one, det)
}

// ShowHistoryResult shows an element history with an already computed
// detection result; all is every object of the file (GEO chart).
func (p *ChartsPanel) ShowHistoryResult(all, one []gp.ElementSet, det *maneuver.Result) {
	p.changed(ChartElements, func() { p.allSets, p.sets, p.det, p.ccdm = all, one, det, nil })
}

// ShowCCDM shows a CCDM indicator timeline.
func (p *ChartsPanel) ShowCCDM(samples []CCDMSample) {
	p.changed(ChartCCDM, func() { p.ccdm = samples })
}

func chartFirstObject(sets []gp.ElementSet) []gp.ElementSet {
	if len(sets) == 0 {
		return nil
	}
	n := sets[0].CatalogNumber
	var out []gp.ElementSet
	for _, s := range sets {
		if s.CatalogNumber == n {
			out = append(out, s)
		}
	}
	return out
}

func chartDark() bool {
	a := fyne.CurrentApp()
	return a != nil && a.Settings() != nil && a.Settings().ThemeVariant() == theme.VariantDark
}

// Render draws the current chart at w×h pixels (what the raster shows).
func (p *ChartsPanel) Render(w, h int) *image.RGBA {
	dark := chartDark()
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := &p.cache; c.img != nil && c.w == w && c.h == h && c.version == p.version && c.kind == p.kind && c.dark == dark {
		return c.img
	}
	var img *image.RGBA
	var err error
	switch p.kind {
	case ChartRange:
		if p.ev == nil {
			err = errors.New("click a conjunction to see its range")
		} else {
			var cat *Catalog
			if p.s != nil {
				cat = p.s.Catalog()
			}
			img, err = RenderRangeChart(*p.ev, cat, w, h, dark)
		}
	case ChartElements:
		if len(p.sets) == 0 {
			err = errors.New("open a history file in the Analysis panel")
		} else {
			img, err = RenderElementHistoryChart(p.sets, p.det, w, h, dark)
		}
	case ChartGEOLongitude:
		if len(p.allSets) == 0 {
			err = errors.New("open a history file of a GEO object in the Analysis panel")
		} else {
			img, err = RenderGEOLongitudeChart(p.allSets, w, h, dark)
		}
	case ChartCCDM:
		if len(p.ccdm) == 0 {
			err = errors.New("run CCDM on a history file in the Analysis panel")
		} else {
			img, err = RenderCCDMTimelineChart(p.ccdm, w, h, dark)
		}
	}
	if err != nil {
		img = ChartMessage(err.Error(), w, h, dark)
	}
	p.cache.img, p.cache.w, p.cache.h, p.cache.version, p.cache.kind, p.cache.dark = img, w, h, p.version, p.kind, dark
	return img
}

func (p *ChartsPanel) generate(w, h int) image.Image { return p.Render(w, h) }
