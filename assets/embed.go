// Package assets embeds the public-domain Earth imagery of the 3D view (see
// README.md for provenance).
package assets

import _ "embed"

// EarthDayJPEG is the 1024x512 equirectangular day texture.
//
//go:embed earth_day.jpg
var EarthDayJPEG []byte

// EarthNightJPEG is the 1024x512 equirectangular night-lights texture.
//
//go:embed earth_night.jpg
var EarthNightJPEG []byte

// IconPNG is the 512x512 application icon (the 3D view of the full catalog;
// README.md says how it was made).
//
//go:embed icon.png
var IconPNG []byte
