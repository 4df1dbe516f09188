package maneuver

import (
	"math"
	"slices"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// buildEvent describes the manoeuvre found at peak p, located at loc, with
// the burn epoch already estimated. all holds the step statistics per scale;
// a channel not computed at p's scale is read at the short scale.
func buildEvent(sets []gp.ElementSet, all [][numElements]channelStats, det []Element, p peak, loc location,
	epoch time.Time, epochSig time.Duration, norad int, c Config) Event {
	peak := p.b
	var stats [numElements]*channelStats
	for ch := range stats {
		stats[ch] = &all[p.scale][ch]
		if stats[ch].step == nil {
			stats[ch] = &all[0][ch]
		}
	}
	b := loc.first
	pre, post := &sets[b-1], &sets[b]
	ev := Event{
		NORAD:       norad,
		BeforeEpoch: pre.Epoch,
		AfterEpoch:  post.Epoch,
		FullEpoch:   sets[loc.full].Epoch,
	}
	ev.Epoch, ev.EpochUncertainty = epoch, epochSig

	// Evidence at the peak boundary: a channel counts when its step passes
	// the threshold and the channel's size floor.
	sig := func(ch Element) bool {
		return math.Abs(stats[ch].z(peak)) >= c.Threshold && math.Abs(nz(stats[ch].stepAt(peak))) >= minStep(ch, c)
	}
	for ch := Element(0); ch < numElements; ch++ {
		if c.Regime == RegimeGEO && ch == ElementInclination {
			continue // the inclination vector speaks for it
		}
		if c.Regime != RegimeGEO && (ch == ElementInclinationVectorX || ch == ElementInclinationVectorY) {
			continue // the node of a LEO orbit moves by J2 far more than by any burn
		}
		if !usedChannel(c.Regime, ch) || (!sig(ch) && ch != ElementSMA) {
			continue
		}
		cs := stats[ch]
		e := Evidence{Element: ch, Jump: cs.stepAt(peak), Noise: cs.sigmaAt(peak), Score: math.Abs(cs.z(peak))}
		if math.IsNaN(e.Jump) {
			e.Jump, e.Score = 0, 0
		}
		if ch == ElementSMA && c.Regime == RegimeGEO {
			e.LongitudeDriftDegDay = driftRateDegDay(smaKm(pre.MeanMotionRevPerDay), e.Jump/1000)
		}
		ev.Evidence = append(ev.Evidence, e)
	}
	slices.SortStableFunc(ev.Evidence, func(x, y Evidence) int {
		switch {
		case x.Score > y.Score:
			return -1
		case x.Score < y.Score:
			return 1
		}
		return 0
	})

	// Mean-element steps that count for Δv: only significant channels, so
	// that noise does not add phantom impulse.
	// For the semi-major axis the step/ramp fit's level change (on a local
	// trend, over the whole ramp) is better than the short-window step.
	daM := nz(stats[ElementSMA].stepAt(peak))
	if p.ch == ElementSMA && loc.jump != 0 && !math.IsNaN(loc.jump) {
		daM = loc.jump
	}
	ev.DeltaSMAKm = daM / 1000
	var dPlaneRad, dIncRad float64
	if c.Regime == RegimeGEO {
		dx, dy := nz(stats[ElementInclinationVectorX].stepAt(peak)), nz(stats[ElementInclinationVectorY].stepAt(peak))
		if sig(ElementInclinationVectorX) || sig(ElementInclinationVectorY) {
			dPlaneRad = math.Hypot(dx, dy) * math.Pi / 180
			dIncRad = nz(stats[ElementInclination].stepAt(peak)) * math.Pi / 180
		}
	} else if sig(ElementInclination) {
		dIncRad = nz(stats[ElementInclination].stepAt(peak)) * math.Pi / 180
		dPlaneRad = math.Abs(dIncRad)
	}
	// The eccentricity vector is noisy (and an in-track burn moves it by
	// 2·Δv_I/v anyway): it only adds a radial component when its step
	// exceeds what the in-track part explains by Threshold times its noise.
	var dEcc float64
	ex, ey := stats[ElementEccentricityVectorX], stats[ElementEccentricityVectorY]
	if de := math.Hypot(nz(ex.stepAt(peak)), nz(ey.stepAt(peak))); de > 0 {
		aKm := smaKm(pre.MeanMotionRevPerDay)
		fromInTrack := math.Abs(daM/1000) / aKm // 2·Δv_I/v = Δa/a
		if de-fromInTrack > c.Threshold*math.Hypot(ex.sigmaAt(peak), ey.sigmaAt(peak)) {
			dEcc = de
		}
	}
	dv := gaussDeltaV(smaKm(pre.MeanMotionRevPerDay), daM/1000, dEcc, dPlaneRad, dIncRad)
	ev.DeltaVMS = math.Sqrt(dv[0]*dv[0] + dv[1]*dv[1] + dv[2]*dv[2])
	if ev.DeltaVMS > 0 {
		for i := range dv {
			ev.DirectionRIC[i] = dv[i] / ev.DeltaVMS
		}
	}

	wide := post.Epoch.Sub(pre.Epoch) > c.WideGap
	ev.Kind = classify(c, sets, b, dv, daM/1000, dPlaneRad, wide)

	// Confidence: logistic in log(score/threshold): 0.5 at the threshold,
	// ~0.9 at twice it; halved across a wide gap.
	best := 0.0
	for _, ch := range det {
		best = max(best, math.Abs(stats[ch].z(peak)))
	}
	conf := 1 / (1 + math.Pow(best/c.Threshold, -3))
	if wide {
		conf *= 0.5
	}
	ev.Confidence = math.Max(0, math.Min(1, conf))
	return ev
}

func nz(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// driftRateDegDay is the change of mean longitude drift rate caused by a
// semi-major-axis change Δa at GEO: Δλ̇ = −(3/2)·n·Δa/a.
func driftRateDegDay(aKm, daKm float64) float64 {
	n := math.Sqrt(muKm3S2/(aKm*aKm*aKm)) * secPerDay // rad/day
	return -1.5 * n * daKm / aKm * 180 / math.Pi
}
