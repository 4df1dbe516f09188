package app

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"

	"github.com/astroshield/astroshield/engine/frames"
)

// Preference keys the workstation persists in Session.Prefs.
const (
	PrefTheme      = "theme"        // "dark" | "light"
	PrefSiteLatDeg = "site.lat_deg" // observer geodetic latitude, degrees north
	PrefSiteLonDeg = "site.lon_deg" // observer longitude, degrees east
	PrefSiteAltKm  = "site.alt_km"  // observer height above the WGS-84 ellipsoid, km
	PrefRate       = "clock.rate"   // simulation rate (x real time)
	PrefKindMask   = "filter.kinds" // bit k shows render.Kind k
	PrefLastFile   = "catalog.last_file"
	// PrefAlertPc is the Pc at or above which a new server conjunction
	// raises an alert.
	PrefAlertPc = "alerts.pc_threshold"
	// PrefServerURL is the last server connected to.
	PrefServerURL = "server.url"
	// PrefServerUser is the last username (never the password).
	PrefServerUser = "server.username"
)

// DefaultAlertPc is the default alert threshold: Pc ≥ 1e-4, the usual
// manoeuvre-planning threshold.
const DefaultAlertPc = 1e-4

// LoadAlertPc is the saved alert threshold (DefaultAlertPc when none or
// not in (0, 1]).
func LoadAlertPc(p fyne.Preferences) float64 {
	if p == nil {
		return DefaultAlertPc
	}
	v := p.FloatWithFallback(PrefAlertPc, DefaultAlertPc)
	if !(v > 0 && v <= 1) {
		return DefaultAlertPc
	}
	return v
}

// SaveAlertPc stores the alert threshold; values outside (0, 1] are refused.
func SaveAlertPc(p fyne.Preferences, pc float64) error {
	if !(pc > 0 && pc <= 1) {
		return fmt.Errorf("alert threshold: Pc %v is outside (0, 1]", pc)
	}
	if p != nil {
		p.SetFloat(PrefAlertPc, pc)
	}
	return nil
}

// SiteDeg is an observer site as the user types it: degrees and km.
type SiteDeg struct {
	LatDeg, LonDeg, AltKm float64
}

// DefaultSite is the Royal Observatory, Greenwich.
var DefaultSite = SiteDeg{LatDeg: 51.4779, LonDeg: -0.0015, AltKm: 0.046}

// Geodetic converts the site to frames' radians.
func (s SiteDeg) Geodetic() frames.Geodetic {
	return frames.Geodetic{LatRad: s.LatDeg * math.Pi / 180, LonRad: s.LonDeg * math.Pi / 180, HeightKm: s.AltKm}
}

// Validate rejects latitudes outside ±90°, longitudes outside ±360° and
// heights outside -1..100 km (a ground observer).
func (s SiteDeg) Validate() error {
	switch {
	case math.IsNaN(s.LatDeg) || s.LatDeg < -90 || s.LatDeg > 90:
		return fmt.Errorf("site: latitude %v° is outside -90..90", s.LatDeg)
	case math.IsNaN(s.LonDeg) || s.LonDeg < -360 || s.LonDeg > 360:
		return fmt.Errorf("site: longitude %v° is outside -360..360", s.LonDeg)
	case math.IsNaN(s.AltKm) || s.AltKm < -1 || s.AltKm > 100:
		return fmt.Errorf("site: height %v km is outside -1..100", s.AltKm)
	}
	return nil
}

// allKinds shows payloads, rocket bodies, debris and unknown objects.
const allKinds uint8 = 0x0f

// Each Load* returns the default when p is nil or holds no (valid) value.

// LoadThemeName is the saved theme, "dark" by default.
func LoadThemeName(p fyne.Preferences) string {
	if p == nil {
		return ThemeNameDark
	}
	if n := p.StringWithFallback(PrefTheme, ThemeNameDark); n == ThemeNameLight {
		return n
	}
	return ThemeNameDark
}

// SaveThemeName stores the theme ("dark" or "light").
func SaveThemeName(p fyne.Preferences, name string) {
	if p != nil {
		p.SetString(PrefTheme, name)
	}
}

// LoadSite is the saved observer site (DefaultSite when none or invalid).
func LoadSite(p fyne.Preferences) SiteDeg {
	if p == nil {
		return DefaultSite
	}
	s := SiteDeg{
		LatDeg: p.FloatWithFallback(PrefSiteLatDeg, DefaultSite.LatDeg),
		LonDeg: p.FloatWithFallback(PrefSiteLonDeg, DefaultSite.LonDeg),
		AltKm:  p.FloatWithFallback(PrefSiteAltKm, DefaultSite.AltKm),
	}
	if s.Validate() != nil {
		return DefaultSite
	}
	return s
}

// SaveSite stores the observer site.
func SaveSite(p fyne.Preferences, s SiteDeg) {
	if p == nil {
		return
	}
	p.SetFloat(PrefSiteLatDeg, s.LatDeg)
	p.SetFloat(PrefSiteLonDeg, s.LonDeg)
	p.SetFloat(PrefSiteAltKm, s.AltKm)
}

// LoadRate is the saved clock rate (1 when none; never 0).
func LoadRate(p fyne.Preferences) float64 {
	if p == nil {
		return 1
	}
	r := p.FloatWithFallback(PrefRate, 1)
	if r == 0 || math.IsNaN(r) || math.Abs(r) > MaxRate {
		return 1
	}
	return r
}

// SaveRate stores the clock rate.
func SaveRate(p fyne.Preferences, r float64) {
	if p != nil && r != 0 {
		p.SetFloat(PrefRate, r)
	}
}

// LoadKindMask is the saved type filter (all kinds shown by default).
func LoadKindMask(p fyne.Preferences) uint8 {
	if p == nil {
		return allKinds
	}
	m := p.IntWithFallback(PrefKindMask, int(allKinds))
	if m < 0 || m > 0xff {
		return allKinds
	}
	return uint8(m) & allKinds
}

// SaveKindMask stores the type filter.
func SaveKindMask(p fyne.Preferences, m uint8) {
	if p != nil {
		p.SetInt(PrefKindMask, int(m&allKinds))
	}
}

// LoadLastFile is the catalog file last opened ("" when none).
func LoadLastFile(p fyne.Preferences) string {
	if p == nil {
		return ""
	}
	return p.String(PrefLastFile)
}

// SaveLastFile remembers the catalog file opened.
func SaveLastFile(p fyne.Preferences, path string) {
	if p != nil {
		p.SetString(PrefLastFile, path)
	}
}
