//go:build !cgo

package main

import (
	"context"
	"fmt"
	"io"
)

// runDesktop: the desktop client needs cgo (Fyne's GLFW driver and the
// OpenGL renderer); this is a server-only build.
func runDesktop(_ context.Context, _ []string, stderr io.Writer) int {
	fmt.Fprintln(stderr, "astroshield: this is a server-only build (CGO_ENABLED=0) without the desktop client; build with `make build`, or run 'astroshield help' for the command-line tools")
	return 2
}
