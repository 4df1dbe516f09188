package ccdm

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
)

// window returns the indices of sets with epoch in (from, to].
func window(sets []gp.ElementSet, from, to time.Time) []int {
	var idx []int
	for i := range sets {
		if sets[i].Epoch.After(from) && !sets[i].Epoch.After(to) {
			idx = append(idx, i)
		}
	}
	return idx
}

// segments numbers each set by how many detected manoeuvres precede it, so
// that rates are measured between manoeuvres only.
func segments(sets []gp.ElementSet, events []maneuver.Event) []int {
	seg := make([]int, len(sets))
	for i := range sets {
		k := 0
		for _, e := range events {
			// A set belongs after a burn once it is at or past the first set
			// showing the new orbit.
			if !sets[i].Epoch.Before(e.AfterEpoch) {
				k++
			}
		}
		seg[i] = k
	}
	return seg
}

// oofChannel is one element channel of the orbit-oof rule.
type oofChannel struct {
	name, unit string
	value      func(e *gp.ElementSet) float64
	floor      float64 // smallest spread accepted (quantisation, natural variation)
	minJump    float64 // smallest departure reported
	trend      bool    // remove a robust linear trend (drag decay) first
}

func oofChannels(r maneuver.Regime) []oofChannel {
	smaFloor, smaMin, incMin := 0.02, 0.2, 0.01
	if r == maneuver.RegimeGEO {
		smaFloor, smaMin, incMin = 0.2, 2, 0.02
	}
	return []oofChannel{
		{"semi-major-axis", "km", func(e *gp.ElementSet) float64 { return e.SemiMajorAxisKm() }, smaFloor, smaMin, r != maneuver.RegimeGEO},
		// At GEO the inclination is a station-keeping box (a sawtooth a
		// line cannot follow), elsewhere a slow secular drift.
		{"inclination", "deg", func(e *gp.ElementSet) float64 { return e.InclinationDeg }, 1e-4, incMin, r != maneuver.RegimeGEO},
		{"eccentricity", "1", func(e *gp.ElementSet) float64 { return e.Eccentricity }, 1e-6, 1e-4, false},
	}
}

// orbitOOF judges whether the orbit in (At−OOFGuard, At] is outside the
// object's own family: the baseline is the sets in
// (At−OOFGuard−BaselineWindow, At−OOFGuard]. For each channel the baseline
// is fitted with a Theil–Sen line (secular channels) or taken as constant;
// the family spread σ is 1.4826·MAD of the baseline residuals (floored);
// the departure is the median residual of the recent sets against the
// line extrapolated to their epochs. The rule fires when a channel's
// |departure|/σ ≥ OOFThreshold and |departure| ≥ its size floor.
func orbitOOF(sets []gp.ElementSet, at time.Time, r maneuver.Regime, c Config) Finding {
	norad := sets[0].CatalogNumber
	const rule = "orbit-oof.robust-family"
	split := at.Add(-c.OOFGuard)
	base := window(sets, split.Add(-c.BaselineWindow), split)
	recent := window(sets, split, at)
	if len(base) < c.MinBaselineSets || len(recent) == 0 {
		return insufficientFinding(OrbitOOF, at, rule, fmt.Sprintf("%d baseline sets in the %.0f days before %s (need %d) and %d sets after it (need 1)",
			len(base), c.BaselineWindow.Hours()/24, split.Format(time.RFC3339), c.MinBaselineSets, len(recent)), norad)
	}
	f := newFinding(OrbitOOF, norad)
	f.Time, f.RuleID = at, rule
	f.Rule = fmt.Sprintf("a mean element of the sets in the last %.0f days departs from the object's own %.0f-day family (Theil–Sen trend for secular channels, spread 1.4826·MAD) by at least %.0fσ, by more than the channel's size floor, and lies outside the 5–95 percent range of the family's residuals by at least 2σ",
		c.OOFGuard.Hours()/24, c.BaselineWindow.Hours()/24, c.OOFThreshold)
	f.Thresholds = []Quantity{{"z", c.OOFThreshold, "sigma"}}
	ref := sets[base[len(base)-1]].Epoch
	best := 0.0
	for _, ch := range oofChannels(r) {
		t := make([]float64, len(base))
		y := make([]float64, len(base))
		for k, i := range base {
			t[k], y[k] = days(sets[i].Epoch, ref), ch.value(&sets[i])
		}
		var l line
		if ch.trend {
			l = theilSen(t, y, nil)
		} else {
			l = line{a: median(y), sigma: robustSigma(y), n: len(y)}
		}
		sigma := math.Max(l.sigma, ch.floor)
		res := make([]float64, len(recent))
		for k, i := range recent {
			res[k] = ch.value(&sets[i]) - l.at(days(sets[i].Epoch, ref))
		}
		dep := median(res)
		z := math.Abs(dep) / sigma
		// The family's envelope: the 5th to 95th percentile of the baseline
		// residuals. A value inside what the object has already done (a
		// station-keeping box, a sawtooth) is in family however far from
		// the median; the percentiles keep a few early sets of the same
		// departure (or bad sets) from widening the envelope.
		rs := make([]float64, len(t))
		for k := range t {
			rs[k] = y[k] - l.at(t[k])
		}
		slices.Sort(rs)
		lo, hi := rs[len(rs)*5/100], rs[(len(rs)*95)/100]
		outside := math.Max(0, math.Max(dep-hi, lo-dep))
		f.Thresholds = append(f.Thresholds, Quantity{ch.name + "-min-departure", ch.minJump, ch.unit})
		f.Evidence = append(f.Evidence,
			Quantity{ch.name + "-departure", dep, ch.unit},
			Quantity{ch.name + "-family-sigma", sigma, ch.unit},
			Quantity{ch.name + "-z", round(z, 2), "sigma"},
			Quantity{ch.name + "-outside-envelope", outside, ch.unit})
		if z >= c.OOFThreshold && math.Abs(dep) >= ch.minJump && outside >= 2*sigma {
			f.Status = StatusDetected
			if z > best {
				best = z
				f.Pattern = ch.name
			}
		}
	}
	f.Evidence = append(f.Evidence, Quantity{"baseline-sets", float64(len(base)), ""}, Quantity{"recent-sets", float64(len(recent)), ""})
	if f.Status == StatusDetected {
		// One recent set is weaker evidence than several.
		f.Confidence = confidence(best, c.OOFThreshold) * math.Min(1, (float64(len(recent))+1)/3)
	}
	return f
}

// minRateChangeKmDay is the smallest change of the natural semi-major-axis
// drift that stability-changed reports (5 m/day): below it, ratios of
// near-zero decay rates of high orbits are noise.
const minRateChangeKmDay = 0.005

// rateChange is the robust natural drift of a channel in one window.
type rateChange struct {
	rate, se, scatter float64
	n                 int
}

// windowRate fits a Theil–Sen line to value over the sets idx, counting
// only pairs between the same manoeuvres, and measures the set-to-set
// scatter (1.4826·MAD of the detrended consecutive differences within a
// segment). se is the slope's standard error from the residual spread.
func windowRate(sets []gp.ElementSet, idx []int, seg []int, value func(*gp.ElementSet) float64) rateChange {
	t := make([]float64, len(idx))
	y := make([]float64, len(idx))
	s := make([]int, len(idx))
	ref := sets[idx[len(idx)-1]].Epoch
	for k, i := range idx {
		t[k], y[k], s[k] = days(sets[i].Epoch, ref), value(&sets[i]), seg[i]
	}
	l := theilSen(t, y, s)
	var diffs []float64
	for k := 1; k < len(idx); k++ {
		if s[k] == s[k-1] {
			diffs = append(diffs, y[k]-y[k-1]-l.b*(t[k]-t[k-1]))
		}
	}
	mt := 0.0
	for _, v := range t {
		mt += v / float64(len(t))
	}
	var st float64
	for _, v := range t {
		st += (v - mt) * (v - mt)
	}
	se := math.Inf(1)
	if st > 0 {
		se = 1.1 * l.sigma / math.Sqrt(st)
	}
	return rateChange{rate: l.b, se: se, scatter: robustSigma(diffs), n: len(idx)}
}

// stabilityChanged compares the object's orbital behaviour in the recent
// window with the baseline before it: the natural drift of the
// semi-major axis between manoeuvres (LEO decay; at GEO the mean longitude
// drift rate, which is the station-keeping state) and the set-to-set scatter.
// This is orbital stability from element sets; attitude stability needs
// photometry (see object-stable).
func stabilityChanged(sets []gp.ElementSet, events []maneuver.Event, at time.Time, r maneuver.Regime, c Config) Finding {
	norad := sets[0].CatalogNumber
	const rule = "stability-changed.orbital-behaviour"
	split := at.Add(-c.RecentWindow)
	base := window(sets, split.Add(-c.BaselineWindow), split)
	recent := window(sets, split, at)
	if len(base) < c.MinBaselineSets || len(recent) < c.MinBaselineSets {
		return insufficientFinding(StabilityChanged, at, rule, fmt.Sprintf("%d baseline and %d recent sets (need %d each)",
			len(base), len(recent), c.MinBaselineSets), norad)
	}
	seg := segments(sets, events)
	f := newFinding(StabilityChanged, norad)
	f.Time, f.RuleID = at, rule
	f.Notes = []string{"orbital behaviour only; attitude stability needs photometry"}
	f.Thresholds = []Quantity{{"z", c.StabilityThreshold, "sigma"}, {"ratio", c.StabilityRatio, ""}}
	score := 0.0
	var why []string
	if r == maneuver.RegimeGEO {
		// Station-keeping state: the median mean-longitude drift rate.
		const minDrift = 0.1 // deg/day: a relocation-class change, beyond east-west station-keeping drift
		f.Rule = fmt.Sprintf("the median longitude drift rate of the last %.0f days differs from the %.0f days before by ≥ %.0fσ (σ: the larger 1.4826·MAD of the two windows' drift rates) and ≥ %.2f deg/day, or the set-to-set scatter of the semi-major axis changed by a factor ≥ %.0f",
			c.RecentWindow.Hours()/24, c.BaselineWindow.Hours()/24, c.StabilityThreshold, minDrift, c.StabilityRatio)
		f.Thresholds = append(f.Thresholds, Quantity{"min-drift-change", minDrift, "deg/day"})
		d := func(idx []int) []float64 {
			v := make([]float64, len(idx))
			for k, i := range idx {
				v[k] = driftDegDay(sets[i].MeanMotionRevPerDay)
			}
			return v
		}
		d0, d1 := d(base), d(recent)
		m0, m1 := median(d0), median(d1)
		// Against the natural variation of the drift rate (the
		// station-keeping cycle), not the standard error of the medians:
		// consecutive sets are strongly correlated.
		se := math.Max(math.Max(robustSigma(d0), robustSigma(d1)), 1e-3)
		z := math.Abs(m1-m0) / se
		f.Evidence = append(f.Evidence, Quantity{"drift-rate-baseline", m0, "deg/day"}, Quantity{"drift-rate-recent", m1, "deg/day"},
			Quantity{"drift-rate-change-z", round(z, 2), "sigma"})
		if z >= c.StabilityThreshold && math.Abs(m1-m0) >= minDrift {
			score = math.Max(score, z/c.StabilityThreshold)
			why = append(why, "longitude-drift")
		}
	} else {
		f.Rule = fmt.Sprintf("the natural drift rate of the semi-major axis between manoeuvres in the last %.0f days differs from the %.0f days before by ≥ %.0fσ, by ≥ %.3f km/day and by a factor ≥ %.0f (or changes sign), or the set-to-set scatter changed by a factor ≥ %.0f",
			c.RecentWindow.Hours()/24, c.BaselineWindow.Hours()/24, c.StabilityThreshold, minRateChangeKmDay, c.StabilityRatio, c.StabilityRatio)
	}
	sma := func(e *gp.ElementSet) float64 { return e.SemiMajorAxisKm() }
	r0, r1 := windowRate(sets, base, seg, sma), windowRate(sets, recent, seg, sma)
	f.Evidence = append(f.Evidence,
		Quantity{"sma-rate-baseline", r0.rate, "km/day"}, Quantity{"sma-rate-recent", r1.rate, "km/day"},
		Quantity{"sma-scatter-baseline", r0.scatter, "km"}, Quantity{"sma-scatter-recent", r1.scatter, "km"})
	if r != maneuver.RegimeGEO {
		z := math.Abs(r1.rate-r0.rate) / math.Hypot(r0.se, r1.se)
		f.Evidence = append(f.Evidence, Quantity{"sma-rate-change-z", round(z, 2), "sigma"})
		ratio := math.Abs(r1.rate) / math.Max(math.Abs(r0.rate), 1e-12)
		if z >= c.StabilityThreshold && math.Abs(r1.rate-r0.rate) >= minRateChangeKmDay &&
			(ratio >= c.StabilityRatio || ratio <= 1/c.StabilityRatio || r0.rate*r1.rate < 0) {
			score = math.Max(score, z/c.StabilityThreshold)
			why = append(why, "drift-rate")
		}
	}
	if r0.scatter > 0 && r1.scatter > 0 {
		q := r1.scatter / r0.scatter
		f.Evidence = append(f.Evidence, Quantity{"sma-scatter-ratio", round(q, 3), ""})
		if q >= c.StabilityRatio || q <= 1/c.StabilityRatio {
			score = math.Max(score, math.Max(q, 1/q)/c.StabilityRatio)
			why = append(why, "scatter")
		}
	}
	if len(why) > 0 {
		f.Status = StatusDetected
		f.Pattern = fmt.Sprint(why)
		f.Confidence = confidence(score, 1)
	}
	return f
}

// amrChanges compares the median B* (a proxy of Cd·A/m: B* = ρ0·Cd·A/(2m))
// of the recent window with the baseline, and the last set's B* with the
// baseline's spread (amr-oof). B* also absorbs errors of the atmosphere
// model (space weather), which is why a factor change is required besides
// the z-score; above AMRMaxPerigeeKm B* is not determined by drag and the
// answer is insufficient data.
func amrChanges(sets []gp.ElementSet, at time.Time, c Config) (change, oof Finding) {
	norad := sets[0].CatalogNumber
	last := &sets[len(sets)-1]
	if p := orbitOf(last).perigeeKm; p > c.AMRMaxPerigeeKm || regimeOf(last) != maneuver.RegimeLEO {
		why := fmt.Sprintf("perigee %.0f km: B* is not drag-determined above %.0f km; area-to-mass needs photometry/radar or solar-radiation-pressure fits", p, c.AMRMaxPerigeeKm)
		return insufficientFinding(AMRChanges, at, "amr-changes.bstar-median", why, norad),
			insufficientFinding(AMROOF, at, "amr-oof.bstar-outlier", why, norad)
	}
	split := at.Add(-c.RecentWindow)
	base := window(sets, split.Add(-c.BaselineWindow), split)
	recent := window(sets, split, at)
	bs := func(idx []int) []float64 {
		v := make([]float64, len(idx))
		for k, i := range idx {
			v[k] = sets[i].BStarPerEarthRadius
		}
		return v
	}
	b0, b1 := bs(base), bs(recent)
	amr := func(b float64) float64 { return 2 * b / rho0 }
	if len(base) < c.MinBaselineSets || len(recent) < c.MinBaselineSets {
		change = insufficientFinding(AMRChanges, at, "amr-changes.bstar-median", fmt.Sprintf("%d baseline and %d recent sets (need %d each)", len(base), len(recent), c.MinBaselineSets), norad)
	} else {
		change = newFinding(AMRChanges, norad)
		change.Time, change.RuleID = at, "amr-changes.bstar-median"
		change.Rule = fmt.Sprintf("median B* of the last %.0f days differs from the %.0f days before by ≥ %.0fσ (σ from 1.253·1.4826·MAD/√n of each window) and by a factor ≥ %.1f",
			c.RecentWindow.Hours()/24, c.BaselineWindow.Hours()/24, c.AMRThreshold, c.AMRRatio)
		change.Thresholds = []Quantity{{"z", c.AMRThreshold, "sigma"}, {"ratio", c.AMRRatio, ""}}
		m0, m1 := median(b0), median(b1)
		se := math.Hypot(1.253*robustSigma(b0)/math.Sqrt(float64(len(b0))), 1.253*robustSigma(b1)/math.Sqrt(float64(len(b1))))
		se = math.Max(se, 1e-9)
		z := math.Abs(m1-m0) / se
		ratio := math.Inf(1)
		if m0 != 0 {
			ratio = m1 / m0
		}
		change.Evidence = []Quantity{{"bstar-baseline", m0, "1/earth-radius"}, {"bstar-recent", m1, "1/earth-radius"},
			{"cd-area-to-mass-baseline", amr(m0), "m²/kg"}, {"cd-area-to-mass-recent", amr(m1), "m²/kg"},
			{"z", round(z, 2), "sigma"}, {"ratio", round(ratio, 3), ""}}
		if z >= c.AMRThreshold && (ratio >= c.AMRRatio || ratio <= 1/c.AMRRatio) {
			change.Status = StatusDetected
			change.Confidence = confidence(z, c.AMRThreshold)
			if m1 > m0 {
				change.Pattern = "increase"
			} else {
				change.Pattern = "decrease"
			}
		}
	}
	all := append(slices2(b0), b1[:max(0, len(b1)-1)]...)
	if len(all) < c.MinBaselineSets {
		oof = insufficientFinding(AMROOF, at, "amr-oof.bstar-outlier", fmt.Sprintf("%d sets before the last (need %d)", len(all), c.MinBaselineSets), norad)
		return change, oof
	}
	oof = newFinding(AMROOF, norad)
	oof.Time, oof.RuleID = last.Epoch, "amr-oof.bstar-outlier"
	oof.Rule = fmt.Sprintf("the last set's B* departs from the median of the previous %.0f days by ≥ %.0f·1.4826·MAD and by a factor ≥ %.1f",
		(c.RecentWindow+c.BaselineWindow).Hours()/24, c.AMRThreshold, c.AMRRatio)
	oof.Thresholds = []Quantity{{"z", c.AMRThreshold, "sigma"}, {"ratio", c.AMRRatio, ""}}
	m, s := median(all), math.Max(robustSigma(all), 1e-9)
	b := last.BStarPerEarthRadius
	z := math.Abs(b-m) / s
	ratio := math.Inf(1)
	if m != 0 {
		ratio = b / m
	}
	oof.Evidence = []Quantity{{"bstar-last", b, "1/earth-radius"}, {"bstar-family-median", m, "1/earth-radius"},
		{"bstar-family-sigma", s, "1/earth-radius"}, {"z", round(z, 2), "sigma"}, {"ratio", round(ratio, 3), ""}}
	if z >= c.AMRThreshold && (ratio >= c.AMRRatio || ratio <= 1/c.AMRRatio) {
		oof.Status = StatusDetected
		oof.Confidence = confidence(z, c.AMRThreshold)
	}
	return change, oof
}

func slices2(x []float64) []float64 { return append([]float64(nil), x...) }
