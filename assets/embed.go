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
