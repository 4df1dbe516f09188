package maneuver

import (
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/sgp4"
)

// sgp4Crossing is the burn epoch between two element sets found with the
// full SGP4/SDP4 theory: both sets are propagated and the instant at which
// their orbits meet along-track is solved for. Near an impulsive burn the
// two orbits coincide; elsewhere the post-burn orbit runs ahead of or
// behind the pre-burn one at the rate (3/2)·n·Δa.
//
// The along-track separation is the projection of r_post − r_pre on the
// pre-burn velocity direction, averaged over one orbital period (eight
// samples) so that the once-per-revolution terms of an eccentricity or
// inclination change cancel and the secular drift remains. The root is
// found by secant steps from start; the 1-sigma epoch error is σ_s over the
// drift rate. Using SGP4 rather than first-order J2 secular rates matters
// at GEO, where SDP4's luni-solar and resonance terms move the mean
// longitude by kilometres a day: the mean-element crossing (crossing) is
// 4–9 h late there against the operators' burn times, SGP4's within ±2 h
// (engine/maneuver tests, TestGEOCrossingAgreesWithOperatorTimes).
func sgp4Crossing(pre, post *gp.ElementSet, start time.Time, sigmaKm float64) (t time.Time, sigH float64, ok bool) {
	s1, err1 := sgp4.New(*pre)
	s2, err2 := sgp4.New(*post)
	if err1 != nil || err2 != nil {
		return start, 0, false
	}
	t, sigH, _, ok = sgp4CrossingOf(s1, s2, pre, post, start, sigmaKm)
	return t, sigH, ok
}

// sgp4CrossingOf is sgp4Crossing on satellites already initialised from
// pre and post (which may differ from them in B*, see alongtrack.go); it
// also returns the drift rate of the along-track separation at the
// crossing, km/day (positive: the post-burn orbit runs ahead).
func sgp4CrossingOf(s1, s2 *sgp4.Satellite, pre, post *gp.ElementSet, start time.Time, sigmaKm float64) (t time.Time, sigH, slopeKmDay float64, ok bool) {
	if !(pre.MeanMotionRevPerDay > 0) {
		return start, 0, 0, false
	}
	periodMin := 1440 / pre.MeanMotionRevPerDay
	sep := func(t time.Time) (float64, bool) { return orbitAveragedAlongTrack(s1, s2, t, periodMin) }
	ta, tb := pre.Epoch, post.Epoch
	if !tb.After(ta) {
		return start, 0, 0, false
	}
	fa, oka := sep(ta)
	fb, okb := sep(tb)
	if !oka || !okb {
		return start, 0, 0, false
	}
	slopeDay := 0.0
	for range 6 {
		dtDay := tb.Sub(ta).Hours() / 24
		if !(math.Abs(fb-fa) > 0) || dtDay == 0 {
			return start, 0, 0, false
		}
		slopeDay = (fb - fa) / dtDay // km/day
		stepDay := -fb / slopeDay
		if math.IsNaN(stepDay) || math.Abs(stepDay) > 10 {
			return start, 0, 0, false
		}
		tn := tb.Add(time.Duration(stepDay * 24 * float64(time.Hour)))
		fn, okn := sep(tn)
		if !okn {
			return start, 0, 0, false
		}
		ta, fa, tb, fb = tb, fb, tn, fn
		if math.Abs(stepDay) < 1.0/1440 {
			break
		}
	}
	if !(math.Abs(slopeDay) > 0) {
		return start, 0, 0, false
	}
	sigH = sigmaKm / math.Abs(slopeDay) * 24
	if math.IsNaN(sigH) || math.IsInf(sigH, 0) || tb.Sub(start).Abs() > 10*24*time.Hour {
		return start, 0, 0, false
	}
	return tb, sigH, slopeDay, true
}

// alongTrackNoiseKm estimates the along-track uncertainty of one element
// set of this history from the history itself: each set is propagated with
// SGP4 to the epoch of the next, and the orbit-averaged along-track
// difference from the next set is taken (at most maxPairs pairs, evenly
// spread). Burns spoil only a few pairs, so the robust spread (1.4826·MAD)
// is used; the difference holds the errors of two sets, hence the 1/√2.
// ok is false when fewer than 20 pairs could be used.
func alongTrackNoiseKm(sets []gp.ElementSet) (sigma float64, ok bool) {
	const maxPairs = 400
	n := len(sets)
	if n < 21 {
		return 0, false
	}
	step := max(1, (n-1)/maxPairs)
	d := make([]float64, 0, maxPairs+1)
	for k := 1; k < n; k += step {
		a, b := &sets[k-1], &sets[k]
		if b.Epoch.Sub(a.Epoch) > 3*24*time.Hour {
			continue
		}
		s1, err1 := sgp4.New(*a)
		s2, err2 := sgp4.New(*b)
		if err1 != nil || err2 != nil || !(a.MeanMotionRevPerDay > 0) {
			continue
		}
		v, good := orbitAveragedAlongTrack(s1, s2, b.Epoch, 1440/a.MeanMotionRevPerDay)
		if good {
			d = append(d, v)
		}
	}
	if len(d) < 20 {
		return 0, false
	}
	return robustSigma(d) / math.Sqrt2, true
}

// orbitAveragedAlongTrack is the along-track separation of s2 from s1 at t,
// averaged over one period (eight samples).
func orbitAveragedAlongTrack(s1, s2 *sgp4.Satellite, t time.Time, periodMin float64) (float64, bool) {
	const samples = 8
	sum := 0.0
	for k := range samples {
		off := (float64(k)+0.5)/samples - 0.5
		tk := t.Add(time.Duration(off * periodMin * float64(time.Minute)))
		r1, v1, e1 := s1.At(tk)
		r2, _, e2 := s2.At(tk)
		if e1 != nil || e2 != nil {
			return 0, false
		}
		vn := math.Sqrt(v1[0]*v1[0] + v1[1]*v1[1] + v1[2]*v1[2])
		if !(vn > 0) {
			return 0, false
		}
		sum += ((r2[0]-r1[0])*v1[0] + (r2[1]-r1[1])*v1[1] + (r2[2]-r1[2])*v1[2]) / vn
	}
	return sum / samples, true
}
