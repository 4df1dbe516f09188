package app

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/astroshield/astroshield/engine/catalog"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
)

// chartColours counts the distinct colours of img.
func chartColours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

func chartCheck(t *testing.T, name string, img *image.RGBA, err error, w, h int) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s: size %dx%d, want %dx%d", name, b.Dx(), b.Dy(), w, h)
	}
	if n := chartColours(img); n < 20 {
		t.Errorf("%s: %d distinct colours: blank?", name, n)
	}
}

func TestRangeChart(t *testing.T) {
	test.NewTempApp(t)
	sets := conjLEOSets500(t)
	cat := NewCatalog(sets[:50], "leo50")
	// A real event from a one-vs-all screening of the subset.
	res, evs, err := ScreenCatalog(t.Context(), cat, ScreenRequest{Start: cat.MedianEpoch(), Span: 24 * time.Hour, ThresholdKm: 1000,
		Primaries: []int{cat.Objects[0].Set.CatalogNumber}, HardBodyRadiusM: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 {
		t.Fatalf("no events at 1000 km (%d objects)", res.Objects)
	}
	ev := evs[0]
	for _, dark := range []bool{false, true} {
		img, err := RenderRangeChart(ev, cat, 800, 400, dark)
		chartCheck(t, "range", img, err, 800, 400)
		if err == nil {
			bg := chartThemeFor(dark).bg
			r, g, b, _ := img.At(1, 1).RGBA()
			br, bgc, bb, _ := bg.RGBA()
			if r>>8 != br>>8 || g>>8 != bgc>>8 || b>>8 != bb>>8 {
				t.Errorf("dark=%v: corner %v,%v,%v, want theme background %v", dark, r>>8, g>>8, b>>8, bg)
			}
		}
	}
	dk, lt := chartThemeFor(true).bg, chartThemeFor(false).bg
	if r1, g1, b1, _ := dk.RGBA(); true {
		r2, g2, b2, _ := lt.RGBA()
		if r1 == r2 && g1 == g2 && b1 == b2 {
			t.Errorf("dark and light chart backgrounds are both %v", dk)
		}
	}
	// With a Pc series the chart grows a second panel (still w×h).
	ev.PcSeries = []PcPoint{{ev.TCA.Add(-72 * time.Hour), 1e-6}, {ev.TCA.Add(-24 * time.Hour), 3e-5}, {ev.TCA.Add(-2 * time.Hour), 1e-4}}
	img, err := RenderRangeChart(ev, cat, 640, 480, true)
	chartCheck(t, "range+pc", img, err, 640, 480)
	// Objects missing from the catalog are an error, not an empty chart.
	ev.A = -1
	if _, err := RenderRangeChart(ev, cat, 100, 100, true); err == nil {
		t.Error("range chart of an unknown object")
	}
}

func TestElementGEOAndCCDMCharts(t *testing.T) {
	test.NewTempApp(t)
	path := refPath(t, "catalog", "history", "maneuver_benchmark_shorten2023", "Fengyun-2D.tle")
	sets, _, err := catalog.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	det, err := maneuver.Detect(sets, maneuver.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if det.Regime != maneuver.RegimeGEO || len(det.Events) == 0 {
		t.Fatalf("Fengyun-2D: regime %v, %d manoeuvres", det.Regime, len(det.Events))
	}
	img, err := RenderElementHistoryChart(sets, &det, 900, 700, true)
	chartCheck(t, "elements", img, err, 900, 700)
	// The manoeuvre marks are drawn in the theme's mark colour.
	if n := chartCountColour(img, chartThemeFor(true).mark); n < 50 {
		t.Errorf("elements: %d pixels in the manoeuvre mark colour", n)
	}
	img, err = RenderGEOLongitudeChart(sets, 700, 400, false)
	chartCheck(t, "geo", img, err, 700, 400)
	lon, err := GEOLongitudeDeg(NewCatalog(sets[:1], "").Objects[0].Sat, sets[0].Epoch)
	if err != nil || math.Abs(lon-86.5) > 5 { // FY-2D was stationed near 86.5° E
		t.Errorf("FY-2D longitude %.2f° (%v)", lon, err)
	}
	if _, err := RenderGEOLongitudeChart(conjLEOSets500(t)[:10], 100, 100, false); !errors.Is(err, ErrChartNoGEO) {
		t.Errorf("LEO objects in the GEO chart: %v", err)
	}
	began := time.Now()
	samples, err := CCDMTimeline(t.Context(), sets, nil, 6, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CCDM timeline, 6 epochs of %d sets: %.2f s", len(sets), time.Since(began).Seconds())
	img, err = RenderCCDMTimelineChart(samples, 800, 500, true)
	chartCheck(t, "ccdm", img, err, 800, 500)
}

func chartCountColour(img *image.RGBA, c interface{ RGBA() (r, g, b, a uint32) }) int {
	r0, g0, b0, _ := c.RGBA()
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 == r0>>8 && g>>8 == g0>>8 && bl>>8 == b0>>8 {
				n++
			}
		}
	}
	return n
}

func TestChartsPanel(t *testing.T) {
	test.NewTempApp(t)
	p := NewChartsPanel(NewSession(NewClock(nil), nil, nil))
	w := test.NewWindow(p.Object())
	defer w.Close()
	w.Resize(fyne.NewSize(500, 400))
	// Nothing to show: a message image, still of the asked size.
	img := p.Render(300, 200)
	if b := img.Bounds(); b.Dx() != 300 || b.Dy() != 200 || chartColours(img) < 5 {
		t.Errorf("empty chart %v, %d colours", b, chartColours(img))
	}
	path := refPath(t, "catalog", "history", "maneuver_benchmark_shorten2023", "Fengyun-2D.tle")
	sets, _, err := catalog.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p.ShowHistory(sets)
	if p.Kind() != ChartElements || p.det == nil || len(p.det.Events) == 0 {
		t.Fatalf("kind %v, det %v", p.Kind(), p.det)
	}
	a := p.Render(400, 300)
	if a2 := p.Render(400, 300); a2 != a {
		t.Error("same size and data redrawn instead of cached")
	}
	p.sel.SetSelected(ChartGEOLongitude.String())
	if p.Kind() != ChartGEOLongitude {
		t.Errorf("selector: kind %v", p.Kind())
	}
	if g := p.Render(400, 300); g == a || chartColours(g) < 20 {
		t.Error("GEO chart not drawn")
	}
}

func TestWritePNG(t *testing.T) {
	img := ChartMessage("hello", 64, 32, true)
	var b bytes.Buffer
	if err := WritePNG(&b, img); err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(&b)
	if err != nil || back.Bounds().Dx() != 64 || back.Bounds().Dy() != 32 {
		t.Fatalf("decoded %v, %v", back, err)
	}
	if WritePNG(&b, nil) == nil {
		t.Error("nil image exported")
	}
	scene := newConjFakeScene()
	snap, err := scene.Snapshot()
	if err != nil || WritePNG(&bytes.Buffer{}, snap) != nil {
		t.Error("snapshot export failed")
	}
}

// TestCCDMTimelineWithCatalog runs the ISS history against the 2022 full
// catalog: catalog indicators are judged at the last epoch only.
func TestCCDMTimelineWithCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("full catalog")
	}
	cat := fullCatalog(t)
	hist, _, err := catalog.ReadFile(refPath(t, "catalog", "history", "iss_25544_3le_2021-01-01_to_2022-03-03.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sets := make([]gp.ElementSet, cat.Len())
	for i := range cat.Objects {
		sets[i] = cat.Objects[i].Set
	}
	began := time.Now()
	samples, err := CCDMTimeline(t.Context(), hist, sets, 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ISS %d sets, 4 epochs, catalog %d: %.2f s", len(hist), len(sets), time.Since(began).Seconds())
	if samples[0].Report.CatalogObjects != 0 || samples[3].Report.CatalogObjects != len(sets) {
		t.Errorf("catalog objects %d … %d", samples[0].Report.CatalogObjects, samples[3].Report.CatalogObjects)
	}
}
