//go:build cgo && linux

package main

import (
	"context"
	"image"
	"time"

	"github.com/astroshield/astroshield/app"
	"github.com/astroshield/astroshield/render"
)

// renderSnapshot draws the view offscreen on a Mesa EGL surfaceless context:
// no display or X server needed.
func renderSnapshot(ctx context.Context, cat *app.Catalog, o snapshotOptions) (*image.RGBA, snapshotStats, error) {
	var st snapshotStats
	f, err := snapshotFrame(cat, o)
	if err != nil {
		return nil, st, err
	}
	k := &render.Keyframes{Generation: 1}
	if err := app.PropagateKeyframes(ctx, cat, o.at, o.at.Add(time.Minute), k, 0); err != nil {
		return nil, st, err
	}
	for _, kd := range k.Kinds {
		if kd != render.KindHidden {
			st.drawn++
		}
	}
	glctx, err := render.NewEGLContext()
	if err != nil {
		return nil, st, err
	}
	defer glctx.Destroy()
	r, err := render.NewRenderer(glctx)
	if err != nil {
		return nil, st, err
	}
	defer r.Close()
	st.gl = r.Info()
	r.SetKeyframes(k)
	img, err := r.Draw(f)
	return img, st, err
}
