//go:build !(cgo && linux)

package main

import (
	"context"
	"errors"
	"image"

	"github.com/astroshield/astroshield/app"
)

// renderSnapshot needs OpenGL (EGL), which this build (no cgo, or not
// Linux) does not have.
func renderSnapshot(context.Context, *app.Catalog, snapshotOptions) (*image.RGBA, snapshotStats, error) {
	return nil, snapshotStats{}, errors.New("this build has no OpenGL: build with cgo on Linux (make build) to render snapshots")
}
