package app

import (
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/frames"
	"github.com/astroshield/astroshield/engine/sgp4"
)

// PeriodOf is the orbital period from the Kozai mean motion.
func PeriodOf(meanMotionRevPerDay float64) time.Duration {
	if !(meanMotionRevPerDay > 0) {
		return 0
	}
	return time.Duration(float64(24*time.Hour) / meanMotionRevPerDay)
}

// OrbitPath samples the object's TEME position from one period before t to
// one period after (steps points each side); futureFrom is the index of the
// first point after t. Points where SGP4 fails are skipped, so a decaying
// object's path simply ends.
func OrbitPath(sat *sgp4.Satellite, period time.Duration, t time.Time, steps int) (pathKm [][3]float32, futureFrom int) {
	if sat == nil || period <= 0 || steps < 2 {
		return nil, 0
	}
	dt := period / time.Duration(steps)
	pathKm = make([][3]float32, 0, 2*steps+1)
	futureFrom = -1
	for i := -steps; i <= steps; i++ {
		ti := t.Add(time.Duration(i) * dt)
		r, _, err := sat.At(ti)
		if err != nil {
			continue
		}
		if i >= 0 && futureFrom < 0 {
			futureFrom = len(pathKm)
		}
		pathKm = append(pathKm, [3]float32{float32(r[0]), float32(r[1]), float32(r[2])})
	}
	if futureFrom < 0 {
		futureFrom = len(pathKm)
	}
	return pathKm, futureFrom
}

// GroundTrack is the geodetic (WGS-84) sub-satellite track as (lat, lon)
// radians from t−before to t+after, every step.
func GroundTrack(sat *sgp4.Satellite, t time.Time, before, after, step time.Duration) [][2]float32 {
	if sat == nil || step <= 0 {
		return nil
	}
	var out [][2]float32
	for ti := t.Add(-before); !ti.After(t.Add(after)); ti = ti.Add(step) {
		r, v, err := sat.At(ti)
		if err != nil {
			continue
		}
		ecef, _ := frames.TEMEToECEF(ti, r, v, frames.EOP{})
		g := frames.ECEFToGeodetic(ecef)
		out = append(out, [2]float32{float32(g.LatRad), float32(g.LonRad)})
	}
	return out
}

// SplitAntimeridian cuts a (lat, lon radians) track into runs that do not
// cross ±180° longitude, inserting the crossing point (interpolated on the
// unwrapped longitude) at the end of one run and the start of the next, so a
// 2D map draws no line across the whole map.
func SplitAntimeridian(track [][2]float32) [][][2]float32 {
	if len(track) == 0 {
		return nil
	}
	var runs [][][2]float32
	cur := [][2]float32{track[0]}
	for i := 1; i < len(track); i++ {
		a, b := track[i-1], track[i]
		d := float64(b[1] - a[1])
		if math.Abs(d) > math.Pi { // wrapped
			edge := math.Pi
			if d > 0 { // moving west across −180°: b is near +180
				edge = -math.Pi
			}
			bu := float64(b[1]) // unwrap b's longitude next to a
			if d > 0 {
				bu -= 2 * math.Pi
			} else {
				bu += 2 * math.Pi
			}
			f := (edge - float64(a[1])) / (bu - float64(a[1]))
			lat := float32(float64(a[0]) + f*float64(b[0]-a[0]))
			cur = append(cur, [2]float32{lat, float32(edge)})
			runs = append(runs, cur)
			cur = [][2]float32{{lat, float32(-edge)}}
		}
		cur = append(cur, b)
	}
	return append(runs, cur)
}
