package ccdm

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// leoSet is a near-circular LEO element set at t0 with the given
// semi-major axis, eccentricity, argument of perigee and mean anomaly.
func leoSet(norad int, aKm, ecc, argpDeg, maDeg float64) gp.ElementSet {
	return gp.ElementSet{CatalogNumber: norad, IntlDesignator: "22001A", Name: "TEST", Classification: 'U', Epoch: t0,
		MeanMotionRevPerDay: nForSMA(aKm), Eccentricity: ecc, InclinationDeg: 51.6, RAANDeg: 120,
		ArgPerigeeDeg: argpDeg, MeanAnomalyDeg: maDeg, BStarPerEarthRadius: 0, ElementSetNumber: 1}
}

// Constructed pairs whose relative motion is known from Clohessy–Wiltshire:
// a phase offset in the same orbit is a constant in-track offset; equal
// semi-major axes and mean argument of latitude with different
// eccentricity give a 2:1 ellipse centred on the primary; a lower orbit
// drifts ahead at (3/2)·n·|Δa| (about 14 km/day per 100 m at 7,000 km).
func TestProximityPatterns(t *testing.T) {
	const a = 7000.0
	const kmPerDeg = a * math.Pi / 180
	tests := []struct {
		name string
		sec  gp.ElementSet
		want string
	}{
		{"trail 10 km behind", leoSet(2, a, 0.0001, 90, 10-10/kmPerDeg), "trail"},
		{"lead 10 km ahead", leoSet(2, a, 0.0001, 90, 10+10/kmPerDeg), "lead"},
		// e = 0.001 → radial ±7 km, in-track ±14 km about the primary.
		{"inspection ellipse", leoSet(2, a, 0.0011, 90, 10), "inspection"},
		// 100 m lower, 40 km behind: closes at ~14 km/day to ~12 km.
		{"rendezvous", leoSet(2, a-0.1, 0.0001, 90, 10-40/kmPerDeg), "rendezvous"},
		// 500 m lower, 60 km behind: passes under the primary and leaves ahead.
		{"fly-by", leoSet(2, a-0.5, 0.0001, 90, 10-60/kmPerDeg), "fly-by"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prim := leoSet(1, a, 0.0001, 90, 10)
			far := leoSet(3, a+300, 0.0001, 90, 200)
			fs, err := proximityEvents(context.Background(), prim, []gp.ElementSet{tt.sec, far}, DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 || fs[0].Status != StatusDetected || fs[0].Pattern != tt.want {
				for _, f := range fs {
					t.Logf("%s %s %v %v", f.Status, f.Pattern, f.Objects, f.Evidence)
				}
				t.Fatalf("want one %s finding", tt.want)
			}
			if fs[0].Objects[0] != 1 || fs[0].Objects[1] != 2 || fs[0].Topic != "ss4.indicators.proximity-events-valid-remote-sense" {
				t.Errorf("objects %v topic %s", fs[0].Objects, fs[0].Topic)
			}
		})
	}
	// Nothing near: not detected, and a stale catalog is insufficient data.
	prim := leoSet(1, a, 0.0001, 90, 10)
	far := leoSet(3, a+300, 0.0001, 90, 200)
	fs, err := proximityEvents(context.Background(), prim, []gp.ElementSet{far}, DefaultConfig())
	if err != nil || len(fs) != 1 || fs[0].Status != StatusNotDetected {
		t.Errorf("nothing near: %v %+v", err, fs)
	}
	far.Epoch = t0.Add(-30 * 24 * time.Hour)
	fs, err = proximityEvents(context.Background(), prim, []gp.ElementSet{far}, DefaultConfig())
	if err != nil || len(fs) != 1 || fs[0].Status != StatusInsufficient {
		t.Errorf("stale catalog: %v %+v", err, fs)
	}
}

func TestConstellation(t *testing.T) {
	for in, want := range map[string]string{"STARLINK-1007": "STARLINK", "ONEWEB-0012": "ONEWEB", "ISS (ZARYA)": "ISS",
		"COSMOS 2251 DEB": "", "FALCON 9 R/B": "", "": "", "TBA - TO BE ASSIGNED": ""} {
		if got := constellation(in); got != want {
			t.Errorf("constellation(%q) = %q, want %q", in, got, want)
		}
	}
}
