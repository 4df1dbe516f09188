package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme names stored in the "theme" preference.
const (
	ThemeNameDark  = "dark"
	ThemeNameLight = "light"
)

// Theme is Fyne's default theme with its variant forced, so the workstation
// is dark (or light) whatever the desktop's own setting is.
type Theme struct {
	base    fyne.Theme
	variant fyne.ThemeVariant
}

var _ fyne.Theme = (*Theme)(nil)

// NewTheme is the dark theme when dark is true, the light one otherwise.
func NewTheme(dark bool) *Theme {
	v := theme.VariantLight
	if dark {
		v = theme.VariantDark
	}
	return &Theme{base: theme.DefaultTheme(), variant: v}
}

// ThemeFromName maps a preference value to a theme: "light" is light,
// anything else (including "") dark, the default.
func ThemeFromName(name string) *Theme { return NewTheme(name != ThemeNameLight) }

// Dark reports whether t is the dark variant.
func (t *Theme) Dark() bool { return t.variant == theme.VariantDark }

// Name is the preference value for t ("dark" or "light").
func (t *Theme) Name() string {
	if t.Dark() {
		return ThemeNameDark
	}
	return ThemeNameLight
}

// Color ignores the requested variant in favour of t's own.
func (t *Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.base.Color(n, t.variant)
}

// Font is the default theme's.
func (t *Theme) Font(s fyne.TextStyle) fyne.Resource { return t.base.Font(s) }

// Icon is the default theme's.
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

// Size is the default theme's.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 { return t.base.Size(n) }

// ApplyTheme sets a's theme from a preference value ("dark" or "light").
func ApplyTheme(a fyne.App, name string) *Theme {
	t := ThemeFromName(name)
	if a != nil && a.Settings() != nil {
		a.Settings().SetTheme(t)
	}
	return t
}

// ThemeIsDark reports whether the running app shows dark colours: the forced
// variant of a *Theme, else the desktop's variant. Charts and the 3D view
// use it to match the panels (Settings().ThemeVariant() alone is the
// desktop's setting, not the forced one).
func ThemeIsDark() bool {
	a := fyne.CurrentApp()
	if a == nil || a.Settings() == nil {
		return true
	}
	if t, ok := a.Settings().Theme().(*Theme); ok {
		return t.Dark()
	}
	return a.Settings().ThemeVariant() == theme.VariantDark
}
