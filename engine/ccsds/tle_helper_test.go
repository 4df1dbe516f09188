package ccsds

import (
	"errors"
	"io"
	"testing"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/tle"
)

// readTLEs reads every element set with engine/tle (the project's TLE reader).
func readTLEs(t *testing.T, r io.Reader) []gp.ElementSet {
	t.Helper()
	rd := tle.NewReader(r, tle.Options{})
	var out []gp.ElementSet
	for {
		e, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
}
