package app

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func issIndex(t *testing.T, c *Catalog) int {
	t.Helper()
	i, ok := c.ByNorad(25544)
	if !ok {
		t.Fatal("ISS not in the catalog")
	}
	return i
}

func TestDescribeISS(t *testing.T) {
	c := fullCatalog(t)
	iss := &c.Objects[issIndex(t, c)]
	at := iss.Set.Epoch.Add(30 * time.Minute)
	in := DescribeObject(iss, at, DefaultSite)
	for _, tc := range []struct {
		name    string
		got, lo float64
		hi      float64
	}{
		{"period min", in.PeriodMin, 92.8, 93.0},
		{"inclination deg", in.InclinationDeg, 51.63, 51.65},
		{"eccentricity", in.Eccentricity, 0, 0.002},
		// ISS in July 2022 flew at about 415-425 km.
		{"perigee alt km", in.PerigeeAltKm, 400, 430},
		{"apogee alt km", in.ApogeeAltKm, 410, 440},
		{"|r| km", in.RTEMEKm, 6770, 6810},
		{"|v| km/s", in.VTEMEKmS, 7.6, 7.7},
		{"sub-sat lat deg", in.SubLatDeg, -51.7, 51.7},
		{"altitude km", in.SubAltKm, 400, 440},
	} {
		if tc.got < tc.lo || tc.got > tc.hi || math.IsNaN(tc.got) {
			t.Errorf("%s = %v, want %v..%v", tc.name, tc.got, tc.lo, tc.hi)
		}
	}
	if in.PerigeeAltKm > in.ApogeeAltKm {
		t.Errorf("perigee %v above apogee %v", in.PerigeeAltKm, in.ApogeeAltKm)
	}
	if in.Name != "ISS (ZARYA)" || in.Norad != "25544" || in.COSPAR != "1998-067A" || in.Kind != "payload" || in.Regime != "LEO" {
		t.Errorf("identity %q %q %q %q %q", in.Name, in.Norad, in.COSPAR, in.Kind, in.Regime)
	}
	if in.Status != "propagating" || !in.Propagated || in.DataAge != 30*time.Minute {
		t.Errorf("status %q age %v", in.Status, in.DataAge)
	}

	// Seen from the point under it, the ISS is at the zenith, its altitude away.
	under := DescribeObject(iss, at, SiteDeg{LatDeg: in.SubLatDeg, LonDeg: in.SubLonDeg})
	if el := under.Look.ElevationRad * 180 / math.Pi; el < 89.9 || !under.Visible {
		t.Errorf("from the sub-satellite point: elevation %v°, visible %v", el, under.Visible)
	}
	if d := math.Abs(under.Look.RangeKm - in.SubAltKm); d > 0.01 {
		t.Errorf("range %v km vs altitude %v km", under.Look.RangeKm, in.SubAltKm)
	}
	// From the antipode it is below the horizon.
	anti := DescribeObject(iss, at, SiteDeg{LatDeg: -in.SubLatDeg, LonDeg: in.SubLonDeg + 180})
	if anti.Visible || anti.Look.ElevationRad > 0 {
		t.Errorf("from the antipode: elevation %v rad, visible", anti.Look.ElevationRad)
	}
}

func TestDescribeNotPropagated(t *testing.T) {
	c := fullCatalog(t)
	iss := c.Objects[issIndex(t, c)]
	broken := iss
	broken.Sat, broken.InitErr = nil, errors.New("sgp4: mean eccentricity out of range")
	if in := DescribeObject(&broken, iss.Set.Epoch, DefaultSite); !strings.Contains(in.Status, "sgp4: mean eccentricity out of range") || in.Propagated {
		t.Errorf("init failure status %q", in.Status)
	}
	// A year past its epoch SGP4 gives up on some low, draggy object
	// (decayed); the panel names SGP4's error.
	for i := range c.Objects {
		o := &c.Objects[i]
		if o.Sat == nil {
			continue
		}
		late := o.Set.Epoch.Add(365 * 24 * time.Hour)
		if _, _, err := o.Sat.At(late); err != nil {
			in := DescribeObject(o, late, DefaultSite)
			if in.Propagated || !strings.Contains(in.Status, err.Error()) {
				t.Errorf("%s: status %q, want it to name %v", o.Label(), in.Status, err)
			}
			return
		}
	}
	t.Error("no object in the catalog fails to propagate a year after its epoch")
}

func TestInfoPanel(t *testing.T) {
	a := test.NewTempApp(t)
	wall := newWSWall()
	s := NewSession(NewClock(wall.now), nil, a.Preferences())
	c := fullCatalog(t)
	s.SetCatalog(c)
	p := NewInfoPanel(s)
	test.NewWindow(p.CanvasObject())
	if !p.none.Visible() || p.Value("Name") != "" {
		t.Error(`no selection does not read "No object selected"`)
	}
	i := issIndex(t, c)
	s.Clock.SetPaused(true)
	s.Clock.Set(c.Objects[i].Set.Epoch.Add(time.Hour))
	s.Select(i)
	if p.none.Visible() {
		t.Fatal("still shows no object after selecting the ISS")
	}
	// The element set's 51.6398° (TLE precision) reads 51.64 to two places.
	inc, err := strconv.ParseFloat(strings.TrimSuffix(p.Value("Inclination"), "°"), 64)
	if err != nil || math.Abs(inc-51.64) > 0.005 {
		t.Errorf("inclination %q, want 51.64°", p.Value("Inclination"))
	}
	per, err := strconv.ParseFloat(strings.TrimSuffix(p.Value("Period"), " min"), 64)
	if err != nil || math.Abs(per-92.9) > 0.1 {
		t.Errorf("period %q, want ~92.9 min", p.Value("Period"))
	}
	for key, want := range map[string]string{
		"Name": "ISS (ZARYA)", "NORAD": "25544", "COSPAR": "1998-067A", "Type": "payload",
		"Regime": "LEO", "Status": "propagating", "Data age": "1 h",
	} {
		if got := p.Value(key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	for _, key := range []string{"Azimuth", "Elevation", "Range", "Range rate", "Visible", "Sub-sat lat", "Altitude"} {
		if p.Value(key) == "" {
			t.Errorf("%s not shown", key)
		}
	}

	// Moving the clock refreshes the state (the panel listens to it).
	rng := p.Value("Range")
	s.Clock.Set(s.Clock.Now().Add(10 * time.Minute))
	if p.Value("Range") == rng {
		t.Error("range unchanged 10 min later")
	}

	// Site edits: bad input is reported and ignored, good input is saved.
	site := p.Site()
	p.lat.SetText("north")
	if !p.siteErr.Visible() || p.Site() != site {
		t.Errorf("bad latitude: error shown %v, site %+v", p.siteErr.Visible(), p.Site())
	}
	p.lat.SetText("95")
	if !p.siteErr.Visible() || !strings.Contains(p.siteErr.Text, "latitude") {
		t.Errorf("latitude 95: %q", p.siteErr.Text)
	}
	p.lat.SetText("-33.9")
	if p.siteErr.Visible() || p.Site().LatDeg != -33.9 || LoadSite(s.Prefs).LatDeg != -33.9 {
		t.Errorf("site not taken or saved: %+v / %+v", p.Site(), LoadSite(s.Prefs))
	}

	s.Select(-1)
	if !p.none.Visible() || p.Value("Name") != "" {
		t.Error("clearing the selection leaves the object shown")
	}
}
