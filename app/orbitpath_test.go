package app

import (
	"math"
	"testing"
	"time"
)

func TestOrbitPathAndGroundTrack(t *testing.T) {
	c := fullCatalog(t)
	i, _ := c.ByNorad(25544)
	o := &c.Objects[i]
	at := time.Date(2022, 7, 15, 12, 0, 0, 0, time.UTC)
	p := PeriodOf(o.Set.MeanMotionRevPerDay)
	if p < 92*time.Minute || p > 94*time.Minute {
		t.Fatalf("ISS period %v", p)
	}
	path, future := OrbitPath(o.Sat, p, at, 90)
	if len(path) != 181 || future != 90 {
		t.Fatalf("%d points, future from %d", len(path), future)
	}
	// One period apart the ISS is back near the same place (drag and J2
	// move it a few hundred km).
	a, b := path[0], path[180]
	if d := math.Sqrt(float64((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))); d > 600 {
		t.Errorf("path ends %g km apart", d)
	}
	gt := GroundTrack(o.Sat, at, 0, p, time.Minute)
	maxLat := 0.0
	for _, ll := range gt {
		maxLat = math.Max(maxLat, math.Abs(float64(ll[0])))
	}
	if deg := maxLat * 180 / math.Pi; deg < 51 || deg > 52.2 {
		t.Errorf("ISS ground track reaches %.2f° latitude, want ≈ inclination 51.6°", deg)
	}
	runs := SplitAntimeridian(gt)
	if len(runs) < 2 {
		t.Fatalf("one orbit of ground track should cross the antimeridian: %d runs", len(runs))
	}
	for _, r := range runs {
		for j := 1; j < len(r); j++ {
			if math.Abs(float64(r[j][1]-r[j-1][1])) > math.Pi {
				t.Fatalf("run still jumps across the map at %d", j)
			}
		}
	}
}

func TestSplitAntimeridian(t *testing.T) {
	deg := func(lat, lon float64) [2]float32 {
		return [2]float32{float32(lat * math.Pi / 180), float32(lon * math.Pi / 180)}
	}
	runs := SplitAntimeridian([][2]float32{deg(0, 170), deg(10, -170), deg(20, -150)})
	if len(runs) != 2 || len(runs[0]) != 2 || len(runs[1]) != 3 {
		t.Fatalf("runs %v", runs)
	}
	end, start := runs[0][1], runs[1][0]
	if math.Abs(float64(end[1])-math.Pi) > 1e-6 || math.Abs(float64(start[1])+math.Pi) > 1e-6 {
		t.Errorf("crossing at lon %v / %v", end[1], start[1])
	}
	if lat := float64(end[0]) * 180 / math.Pi; math.Abs(lat-5) > 1e-3 {
		t.Errorf("crossing latitude %g, want 5", lat)
	}
	if SplitAntimeridian(nil) != nil {
		t.Error("empty track")
	}
}
