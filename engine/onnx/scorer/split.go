package scorer

import (
	"slices"

	"github.com/astroshield/astroshield/engine/maneuver"
)

// HeldOut are the benchmark satellites kept out of training for the
// figures in the package comment and `astroshield model eval`: one GEO, and
// one LEO of each altitude band (≈970, 814 and 1,336 km).
var HeldOut = []string{"Fengyun-2E", "Haiyang-2A", "Jason-2", "Sentinel-3A"}

// Split divides cases into those named in heldOut and the rest, keeping
// their order.
func Split(cases []maneuver.Case, heldOut []string) (train, test []maneuver.Case) {
	for _, c := range cases {
		if slices.Contains(heldOut, c.Name) {
			test = append(test, c)
		} else {
			train = append(train, c)
		}
	}
	return train, test
}
