package main

import (
	"github.com/astroshield/astroshield/engine/catalog"
	"github.com/astroshield/astroshield/engine/gp"
)

// loadElementSets reads every element set in path (TLE or OMM); see
// catalog.ReadFile.
func loadElementSets(path string) (sets []gp.ElementSet, recordErrs, err error) {
	return catalog.ReadFile(path)
}
