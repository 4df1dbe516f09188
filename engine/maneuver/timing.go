package maneuver

import (
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// meanAngles propagates element set e by dtDay days with the J2 secular
// rates and the TLE mean-motion derivatives, returning the node Ω and the
// mean argument of latitude u = ω + M (radians, not wrapped) and their
// rates (rad/day).
//
// J2 secular rates (first order, p = a(1−e²)):
//
//	dΩ/dt = −(3/2)·n·J2·(Re/p)²·cos i
//	dω/dt =  (3/4)·n·J2·(Re/p)²·(4 − 5·sin²i)
//	dM/dt =  n (the Kozai mean motion of a GP element set is, to first order
//	          in J2, the observed rate of the mean anomaly: SGP4's Brouwer
//	          n″ times its J2 correction gives it back)
//
// Drag enters through M(t) = M0 + n·t + (ṅ/2)·t² + (n̈/6)·t³, the TLE's own
// first and second mean-motion derivative terms.
func meanAngles(e *gp.ElementSet, dtDay float64) (raan, u, raanDot, uDot float64) {
	const deg = math.Pi / 180
	n := e.MeanMotionRevPerDay * 2 * math.Pi // rad/day
	a := smaKm(e.MeanMotionRevPerDay)
	p := a * (1 - e.Eccentricity*e.Eccentricity)
	k := j2 * (earthRadiusKm / p) * (earthRadiusKm / p)
	inc := e.InclinationDeg * deg
	si2 := math.Sin(inc) * math.Sin(inc)
	raanDot = -1.5 * n * k * math.Cos(inc)
	argpDot := 0.75 * n * k * (4 - 5*si2)
	nd, ndd := e.MeanMotionDotRevDay2*2*math.Pi, e.MeanMotionDdotRevDay3*2*math.Pi
	raan = e.RAANDeg*deg + raanDot*dtDay
	u = (e.ArgPerigeeDeg+e.MeanAnomalyDeg)*deg + (argpDot+n)*dtDay + nd*dtDay*dtDay + ndd*dtDay*dtDay*dtDay
	uDot = argpDot + n + 2*nd*dtDay + 3*ndd*dtDay*dtDay
	return raan, u, raanDot, uDot
}

// alongTrackDiffRad is the along-track angle of post minus that of pre at t,
// Δθ = Δu + cos i·ΔΩ (the first-order along-track displacement between two
// nearby orbits), wrapped to (−π, π], and its rate (rad/day). Two element
// sets of one object have Δθ = 0 at the instant their orbits meet, which is
// the instant of an impulsive burn between them.
func alongTrackDiffRad(pre, post *gp.ElementSet, t time.Time) (d, rate float64) {
	o1, u1, od1, ud1 := meanAngles(pre, t.Sub(pre.Epoch).Hours()/24)
	o2, u2, od2, ud2 := meanAngles(post, t.Sub(post.Epoch).Hours()/24)
	ci := math.Cos((pre.InclinationDeg + post.InclinationDeg) / 2 * math.Pi / 180)
	d = math.Remainder(u2-u1, 2*math.Pi) + ci*math.Remainder(o2-o1, 2*math.Pi)
	d = math.Remainder(d, 2*math.Pi)
	return d, (ud2 - ud1) + ci*(od2-od1)
}

// crossing solves Δθ(t) = 0 (alongTrackDiffRad) for the pre-burn and
// post-burn element sets by Newton steps from start. The along-track
// separation a·Δθ changes at the rate a·Δθ̇ ≈ −(3/2)·n·Δa, so an element-set
// along-track error σ_s gives an epoch error σ_t = σ_s/|a·Δθ̇| (returned in
// hours). ok is false when there is no usable solution.
func crossing(pre, post *gp.ElementSet, start time.Time, sigmaKm float64) (t time.Time, sigH float64, ok bool) {
	t = start
	var fdot float64
	for range 8 {
		f, fd := alongTrackDiffRad(pre, post, t)
		fdot = fd
		if !(math.Abs(fd) > 0) || math.IsNaN(f) {
			return start, 0, false
		}
		stepDay := -f / fd
		if math.Abs(stepDay) > 10 {
			return start, 0, false
		}
		t = t.Add(time.Duration(stepDay * 24 * float64(time.Hour)))
		if math.Abs(stepDay) < 1e-6 {
			break
		}
	}
	sigH = sigmaKm / (smaKm(pre.MeanMotionRevPerDay) * math.Abs(fdot)) * 24
	if math.IsNaN(sigH) || math.IsInf(sigH, 0) || t.Sub(start).Abs() > 10*24*time.Hour {
		return start, 0, false
	}
	return t, sigH, true
}

// timing holds the two epoch estimates of one event before they are combined.
type timing struct {
	fit       time.Time // from the step/ramp fit of the element-set levels
	fitSigH   float64
	cross     time.Time // from the along-track crossing
	crossSigH float64
	crossOK   bool
	lo, hi    time.Time // the estimate is kept inside [lo, hi]
}

// A crossing sharper than sharpCrossH fixes the epoch without the
// response lag; a burn may be placed up to maxLag before the gap in which
// the element sets change.
const (
	sharpCrossH = 3.0
	// maxLag was 2 days until 2026-12-07: Jason-1's 2002–2004 sets answer
	// burns up to 3.5 days late (mean F1 0.717 → 0.729; 4 days: the same).
	maxLag = 3 * 24 * time.Hour
	// staleCrossMaxH: a crossing before the gap replaces the fit epoch
	// when its 1-sigma is below this (2026-12-07: mean F1 +0.006, TOPEX
	// 0.30 → 0.35, Jason-2 0.683 → 0.695; 6 h gives half of it, 24 h
	// costs Haiyang-2A 0.02).
	staleCrossMaxH = 12.0
)

// combineEpochs turns the estimates of one event into a burn epoch and its
// 1-sigma uncertainty: the fit epoch and the crossing are combined by
// inverse-variance weighting (the crossing only counts where it is sharp,
// i.e. for large burns) and the result is kept inside [lo, hi].
func combineEpochs(tm timing) (time.Time, time.Duration) {
	est, sig := tm.fit, tm.fitSigH
	if tm.crossOK && tm.cross.Before(tm.lo) && tm.crossSigH < staleCrossMaxH {
		// The two orbits met before the gap in which the element sets
		// change: the sets after the burn were still fits to older
		// observations (TOPEX, Jason-2 2008–2010 answer a day or two late).
		// The fit epoch cannot precede that gap, so it is biased, and a
		// crossing of useful precision is taken alone.
		est, sig = tm.cross, tm.crossSigH
	} else if tm.crossOK && sig > 0 && tm.crossSigH > 0 {
		wc, wp := 1/(tm.crossSigH*tm.crossSigH), 1/(sig*sig)
		off := tm.cross.Sub(tm.fit).Hours()
		est = tm.fit.Add(time.Duration(wc * off / (wc + wp) * float64(time.Hour)))
		sig = math.Sqrt(1 / (wc + wp))
	}
	// Element sets can lag a burn by days (the first sets after it may
	// still be fits to older observations), so the epoch may lie up to
	// maxLag before the gap: moved there by the crossing, which is free of
	// that lag (by its weight: a weak crossing moves it little), or by the
	// response lag the fit epoch gets where no crossing is usable. (Until
	// 2026-12-07 the fit alone was kept inside the gap widened by the
	// lag; letting it go earlier took the mean F1 from 0.728 to 0.738,
	// Jason-1 0.486 → 0.497, Sentinel-6A 0.667 → 0.762, one burn of 13.)
	lo := tm.lo.Add(-maxLag)
	if est.Before(lo) {
		est = lo
	}
	if est.After(tm.hi) {
		est = tm.hi
	}
	return est, time.Duration(sig * float64(time.Hour))
}
