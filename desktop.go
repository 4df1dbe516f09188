package main

import (
	"context"
	"fmt"
	"io"
)

// runDesktop starts the desktop client. Until the client exists (issue 6) it
// says so and points at what the binary can do.
func runDesktop(_ context.Context, stderr io.Writer) int {
	fmt.Fprintln(stderr, "astroshield: the desktop client is not built yet; run 'astroshield help' for the command-line tools")
	return 2
}
