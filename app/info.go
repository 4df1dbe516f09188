package app

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/frames"
)

// WGS-72 constants, the ones SGP4 element sets are fitted with.
const (
	wgs72MuKm3S2 = 398600.8 // km³/s²
	wgs72ReKm    = 6378.135 // equatorial radius, km
)

// InfoRefresh is how often the info panel recomputes the selected object's
// state.
const InfoRefresh = time.Second

// ObjectInfo is what the info panel shows for one object at one time.
// Angles are degrees, distances km, speeds km/s.
type ObjectInfo struct {
	Name, Norad, COSPAR string
	Epoch               time.Time
	DataAge             time.Duration // t − epoch
	PeriodMin           float64
	InclinationDeg      float64
	Eccentricity        float64
	// ApogeeAltKm and PerigeeAltKm come from Kepler's third law on the
	// element set's (Kozai) mean motion with WGS-72 mu: a = (mu/n²)^(1/3),
	// r_a,p = a(1 ± e), altitude = r − Re(WGS-72). This is a mean-element
	// estimate (SGP4's un-Kozai'd a differs by ~1e-3 relative, the osculating
	// altitudes by kilometres).
	ApogeeAltKm, PerigeeAltKm float64
	Kind, Regime              string
	Status                    string // "propagating", or why not
	Propagated                bool   // the rest is valid
	RTEMEKm, VTEMEKmS         float64
	SubLatDeg, SubLonDeg      float64
	SubAltKm                  float64 // above the WGS-84 ellipsoid
	Look                      frames.LookAngles
	Visible                   bool // geometrically above the site's horizon
	Illumination              frames.Illumination
}

// DescribeObject computes o's info at t as seen from site.
func DescribeObject(o *Object, t time.Time, site SiteDeg) ObjectInfo {
	e := &o.Set
	in := ObjectInfo{
		Name:           e.Name,
		Norad:          NoradString(e.CatalogNumber),
		COSPAR:         ccsds.COSPARDesignator(e.IntlDesignator),
		Epoch:          e.Epoch,
		DataAge:        t.Sub(e.Epoch),
		InclinationDeg: e.InclinationDeg,
		Eccentricity:   e.Eccentricity,
		Kind:           o.Kind.String(),
		Regime:         strings.ToUpper(o.Regime.String()),
	}
	if in.Name == "" {
		in.Name = "(unnamed)"
	}
	if in.COSPAR == "" {
		in.COSPAR = e.IntlDesignator
	}
	if n := e.MeanMotionRevPerDay; n > 0 {
		in.PeriodMin = 1440 / n
		nRadS := n * 2 * math.Pi / 86400
		a := math.Cbrt(wgs72MuKm3S2 / (nRadS * nRadS))
		in.ApogeeAltKm = a*(1+e.Eccentricity) - wgs72ReKm
		in.PerigeeAltKm = a*(1-e.Eccentricity) - wgs72ReKm
	}
	switch {
	case o.Sat == nil:
		in.Status = "not propagated: " + errText(o.InitErr, "SGP4 initialisation failed")
		return in
	}
	r, v, err := o.Sat.At(t)
	if err != nil {
		in.Status = "not propagated at this time: " + err.Error()
		return in
	}
	in.Status, in.Propagated = "propagating", true
	in.RTEMEKm, in.VTEMEKmS = norm3(r), norm3(v)
	rE, _ := frames.TEMEToECEF(t, r, v, frames.EOP{})
	g := frames.ECEFToGeodetic(rE)
	in.SubLatDeg, in.SubLonDeg, in.SubAltKm = g.LatRad*180/math.Pi, g.LonRad*180/math.Pi, g.HeightKm
	st := frames.NewSite(site.Geodetic())
	in.Look = st.LookAnglesTEME(t, r, v, frames.EOP{})
	in.Visible = in.Look.ElevationRad > 0
	in.Illumination, _ = frames.EclipseConical(r, frames.SunPositionTEMEKm(t))
	return in
}

func errText(err error, fallback string) string {
	if err == nil {
		return fallback
	}
	return err.Error()
}

func norm3(v [3]float64) float64 { return math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2]) }

// InfoRow is one labelled value of the info panel.
type InfoRow struct{ Key, Value string }

// Rows formats the info for display.
func (in ObjectInfo) Rows() []InfoRow {
	rows := []InfoRow{
		{"Name", in.Name},
		{"NORAD", in.Norad},
		{"COSPAR", in.COSPAR},
		{"Epoch", in.Epoch.UTC().Format("2006-01-02 15:04:05 UTC")},
		{"Data age", FormatDataAge(in.DataAge)},
		{"Period", fmt.Sprintf("%.2f min", in.PeriodMin)},
		{"Inclination", fmt.Sprintf("%.4f°", in.InclinationDeg)},
		{"Eccentricity", fmt.Sprintf("%.7f", in.Eccentricity)},
		{"Apogee alt", fmt.Sprintf("%.1f km", in.ApogeeAltKm)},
		{"Perigee alt", fmt.Sprintf("%.1f km", in.PerigeeAltKm)},
		{"Type", in.Kind},
		{"Regime", in.Regime},
		{"Status", in.Status},
	}
	if !in.Propagated {
		return rows
	}
	vis := "no (below horizon)"
	if in.Visible {
		vis = "yes (above horizon)"
	}
	return append(rows,
		InfoRow{"|r| TEME", fmt.Sprintf("%.3f km", in.RTEMEKm)},
		InfoRow{"|v| TEME", fmt.Sprintf("%.5f km/s", in.VTEMEKmS)},
		InfoRow{"Sub-sat lat", fmt.Sprintf("%.4f°", in.SubLatDeg)},
		InfoRow{"Sub-sat lon", fmt.Sprintf("%.4f°", in.SubLonDeg)},
		InfoRow{"Altitude", fmt.Sprintf("%.2f km", in.SubAltKm)},
		InfoRow{"Azimuth", fmt.Sprintf("%.3f°", in.Look.AzimuthRad*180/math.Pi)},
		InfoRow{"Elevation", fmt.Sprintf("%.3f°", in.Look.ElevationRad*180/math.Pi)},
		InfoRow{"Range", fmt.Sprintf("%.3f km", in.Look.RangeKm)},
		InfoRow{"Range rate", fmt.Sprintf("%.4f km/s", in.Look.RangeRateKmS)},
		InfoRow{"Visible", vis},
		InfoRow{"Illumination", in.Illumination.String()},
	)
}

// InfoPanel shows the selected object's elements and current state, and the
// look angles from a site the user edits. While shown it refreshes every
// InfoRefresh on a goroutine it owns (Start/Stop).
type InfoPanel struct {
	s *Session

	grid    *fyne.Container
	none    *widget.Label
	lat     *widget.Entry
	lon     *widget.Entry
	alt     *widget.Entry
	siteErr *widget.Label
	root    fyne.CanvasObject

	mu     sync.Mutex
	site   SiteDeg
	values map[string]*widget.Label

	startOnce, stopOnce sync.Once
	done                chan struct{}
}

// NewInfoPanel builds the panel with the saved site.
func NewInfoPanel(s *Session) *InfoPanel {
	p := &InfoPanel{s: s, site: LoadSite(s.Prefs), values: map[string]*widget.Label{}, done: make(chan struct{})}
	p.none = widget.NewLabel("No object selected")
	p.grid = container.New(layout.NewFormLayout())
	p.lat, p.lon, p.alt = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	p.lat.SetText(strconv.FormatFloat(p.site.LatDeg, 'f', -1, 64))
	p.lon.SetText(strconv.FormatFloat(p.site.LonDeg, 'f', -1, 64))
	p.alt.SetText(strconv.FormatFloat(p.site.AltKm, 'f', -1, 64))
	for _, e := range []*widget.Entry{p.lat, p.lon, p.alt} {
		e.OnChanged = func(string) { p.siteEdited() }
	}
	p.siteErr = widget.NewLabel("")
	p.siteErr.Importance = widget.DangerImportance
	p.siteErr.Wrapping = fyne.TextWrapWord
	p.siteErr.Hide()
	site := container.NewVBox(
		widget.NewLabelWithStyle("Observer site (WGS-84)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.New(layout.NewFormLayout(),
			widget.NewLabel("Lat °N"), p.lat,
			widget.NewLabel("Lon °E"), p.lon,
			widget.NewLabel("Alt km"), p.alt),
		p.siteErr,
	)
	// The site sits under the object's rows, in the same scroll: it is
	// edited rarely and the rows need the height.
	body := container.NewVBox(widget.NewLabelWithStyle("Object", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.none, p.grid, widget.NewSeparator(), site)
	p.root = container.NewVScroll(body)
	s.OnSelect(func(int) { onUI(p.Refresh) })
	s.OnCatalog(func(*Catalog) { onUI(p.Refresh) })
	s.Clock.OnChange(func() { onUI(p.Refresh) })
	p.Refresh()
	return p
}

// CanvasObject is the panel's content.
func (p *InfoPanel) CanvasObject() fyne.CanvasObject { return p.root }

// Site is the observer site in use.
func (p *InfoPanel) Site() SiteDeg {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.site
}

// Value is the text shown for key (a Rows key such as "Inclination"), ""
// when not shown.
func (p *InfoPanel) Value(key string) string {
	if l, ok := p.values[key]; ok && p.grid.Visible() {
		return l.Text
	}
	return ""
}

func (p *InfoPanel) siteEdited() {
	var s SiteDeg
	var err error
	parse := func(e *widget.Entry, what string) float64 {
		v, perr := strconv.ParseFloat(strings.TrimSpace(e.Text), 64)
		if perr != nil && err == nil {
			err = fmt.Errorf("site: %s %q is not a number", what, e.Text)
		}
		return v
	}
	s.LatDeg, s.LonDeg, s.AltKm = parse(p.lat, "latitude"), parse(p.lon, "longitude"), parse(p.alt, "height")
	if err == nil {
		err = s.Validate()
	}
	if err != nil {
		p.siteErr.SetText(err.Error())
		p.siteErr.Show()
		return
	}
	p.siteErr.Hide()
	p.mu.Lock()
	p.site = s
	p.mu.Unlock()
	SaveSite(p.s.Prefs, s)
	p.Refresh()
}

// Refresh recomputes the panel now (call on Fyne's goroutine).
func (p *InfoPanel) Refresh() {
	c, sel := p.s.Catalog(), p.s.Selected()
	if sel < 0 || sel >= c.Len() {
		p.none.Show()
		p.grid.Hide()
		return
	}
	rows := DescribeObject(&c.Objects[sel], p.s.Clock.Now(), p.Site()).Rows()
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		seen[r.Key] = true
		l, ok := p.values[r.Key]
		if !ok {
			l = widget.NewLabel("")
			l.Wrapping = fyne.TextWrapWord
			p.values[r.Key] = l
			p.grid.Add(widget.NewLabelWithStyle(r.Key, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
			p.grid.Add(l)
		}
		if l.Text != r.Value {
			l.SetText(r.Value)
		}
	}
	// Rows only shown while propagating are blanked otherwise.
	for k, l := range p.values {
		if !seen[k] && l.Text != "" {
			l.SetText("")
		}
	}
	p.none.Hide()
	p.grid.Show()
}

// Start begins refreshing every InfoRefresh while the panel is visible.
func (p *InfoPanel) Start() {
	p.startOnce.Do(func() {
		go func() {
			tk := time.NewTicker(InfoRefresh)
			defer tk.Stop()
			for {
				select {
				case <-p.done:
					return
				case <-tk.C:
					onUI(func() {
						if p.root.Visible() {
							p.Refresh()
						}
					})
				}
			}
		}()
	})
}

// Stop ends the refresh goroutine (idempotent).
func (p *InfoPanel) Stop() { p.stopOnce.Do(func() { close(p.done) }) }
