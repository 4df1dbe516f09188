package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestPrefsDefaultsAndRoundTrip(t *testing.T) {
	a := test.NewTempApp(t)
	p := a.Preferences()
	if LoadThemeName(p) != ThemeNameDark || LoadSite(p) != DefaultSite || LoadRate(p) != 1 || LoadKindMask(p) != allKinds || LoadLastFile(p) != "" {
		t.Error("defaults: want dark, Greenwich, x1, all kinds, no file")
	}
	if LoadThemeName(nil) != ThemeNameDark || LoadSite(nil) != DefaultSite || LoadRate(nil) != 1 || LoadKindMask(nil) != allKinds {
		t.Error("nil preferences do not give the defaults")
	}
	SaveThemeName(p, ThemeNameLight)
	SaveSite(p, SiteDeg{LatDeg: -33.9, LonDeg: 18.4, AltKm: 0.1})
	SaveRate(p, -1000)
	SaveKindMask(p, 0x05)
	SaveLastFile(p, "/tmp/x.tle")
	if LoadThemeName(p) != ThemeNameLight || LoadSite(p) != (SiteDeg{-33.9, 18.4, 0.1}) || LoadRate(p) != -1000 || LoadKindMask(p) != 0x05 || LoadLastFile(p) != "/tmp/x.tle" {
		t.Error("round trip lost a value")
	}
	// Values that make no sense fall back to the defaults.
	for _, tc := range []struct {
		name string
		set  func()
		ok   func() bool
	}{
		{"theme", func() { p.SetString(PrefTheme, "purple") }, func() bool { return LoadThemeName(p) == ThemeNameDark }},
		{"latitude", func() { p.SetFloat(PrefSiteLatDeg, 120) }, func() bool { return LoadSite(p) == DefaultSite }},
		{"rate 0", func() { p.SetFloat(PrefRate, 0) }, func() bool { return LoadRate(p) == 1 }},
		{"rate huge", func() { p.SetFloat(PrefRate, 1e9) }, func() bool { return LoadRate(p) == 1 }},
		{"mask", func() { p.SetInt(PrefKindMask, -3) }, func() bool { return LoadKindMask(p) == allKinds }},
	} {
		tc.set()
		if !tc.ok() {
			t.Errorf("%s: bad value not replaced by the default", tc.name)
		}
	}
}

func TestTheme(t *testing.T) {
	a := test.NewTempApp(t)
	dark, light := NewTheme(true), NewTheme(false)
	// The forced variant wins over the one asked for.
	if dark.Color(theme.ColorNameBackground, theme.VariantLight) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Error("dark theme gives a light background")
	}
	if light.Color(theme.ColorNameBackground, theme.VariantDark) != theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight) {
		t.Error("light theme gives a dark background")
	}
	if ThemeFromName("").Name() != ThemeNameDark || ThemeFromName("light").Name() != ThemeNameLight {
		t.Error("theme names")
	}
	ApplyTheme(a, ThemeNameLight)
	if ThemeIsDark() {
		t.Error("ThemeIsDark after applying light")
	}
	ApplyTheme(a, ThemeNameDark)
	if !ThemeIsDark() {
		t.Error("not ThemeIsDark after applying dark")
	}
}
