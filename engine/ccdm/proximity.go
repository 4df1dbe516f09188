package ccdm

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/conjunction"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/sgp4"
)

// ric returns d = r2 − r1 in object 1's radial, in-track, cross-track frame
// (R along r1, C along r1×v1, I = C×R).
func ric(r1, v1, r2 [3]float64) [3]float64 {
	d := [3]float64{r2[0] - r1[0], r2[1] - r1[1], r2[2] - r1[2]}
	unit := func(a [3]float64) [3]float64 {
		n := math.Sqrt(a[0]*a[0] + a[1]*a[1] + a[2]*a[2])
		return [3]float64{a[0] / n, a[1] / n, a[2] / n}
	}
	cross := func(a, b [3]float64) [3]float64 {
		return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
	}
	dot := func(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
	R := unit(r1)
	C := unit(cross(r1, v1))
	I := cross(C, R)
	return [3]float64{dot(d, R), dot(d, I), dot(d, C)}
}

// relativeMotion summarises the sampled RIC track of a secondary about a
// primary over the window.
type relativeMotion struct {
	samples        int
	minKm, maxKm   float64
	startKm, endKm float64
	tMin           time.Time
	speedAtMinKmS  float64
	insideFraction float64
	meanRIC        [3]float64
	spanRIC        [3]float64 // max − min of each component
	windingTurns   float64    // net turns of the (R, I) projection about the primary
	rangeRateKmDay float64    // Theil–Sen slope of the range
}

// sampleRelative propagates both objects every step over [start, start+span]
// and measures the relative motion.
func sampleRelative(p, s *sgp4.Satellite, start time.Time, span, step time.Duration, radiusKm float64) (relativeMotion, error) {
	var m relativeMotion
	m.minKm = math.Inf(1)
	var t, rng []float64
	var lo, hi [3]float64
	prevAng, turns := math.NaN(), 0.0
	for k := 0; ; k++ {
		at := start.Add(time.Duration(k) * step)
		if at.After(start.Add(span)) {
			break
		}
		r1, v1, err := p.At(at)
		if err != nil {
			return m, err
		}
		r2, v2, err := s.At(at)
		if err != nil {
			return m, err
		}
		d := ric(r1, v1, r2)
		dist := math.Sqrt(d[0]*d[0] + d[1]*d[1] + d[2]*d[2])
		if k == 0 {
			m.startKm, lo, hi = dist, d, d
		}
		m.endKm = dist
		for i := range d {
			m.meanRIC[i] += d[i]
			lo[i], hi[i] = math.Min(lo[i], d[i]), math.Max(hi[i], d[i])
		}
		if dist < m.minKm {
			m.minKm, m.tMin = dist, at
			m.speedAtMinKmS = math.Sqrt((v2[0]-v1[0])*(v2[0]-v1[0]) + (v2[1]-v1[1])*(v2[1]-v1[1]) + (v2[2]-v1[2])*(v2[2]-v1[2]))
		}
		m.maxKm = math.Max(m.maxKm, dist)
		if dist <= radiusKm {
			m.insideFraction++
		}
		ang := math.Atan2(d[1], d[0])
		if !math.IsNaN(prevAng) {
			turns += math.Remainder(ang-prevAng, 2*math.Pi)
		}
		prevAng = ang
		t = append(t, at.Sub(start).Hours()/24)
		rng = append(rng, dist)
		m.samples++
	}
	if m.samples == 0 {
		return m, fmt.Errorf("%w: empty proximity window", ErrInput)
	}
	n := float64(m.samples)
	for i := range m.meanRIC {
		m.meanRIC[i] /= n
		m.spanRIC[i] = hi[i] - lo[i]
	}
	m.insideFraction /= n
	m.windingTurns = turns / (2 * math.Pi)
	// Range trend from a thinned track (the Theil–Sen fit is quadratic).
	var tt, rr []float64
	stride := max(1, m.samples/200)
	for i := 0; i < m.samples; i += stride {
		tt, rr = append(tt, t[i]), append(rr, rng[i])
	}
	m.rangeRateKmDay = theilSen(tt, rr, nil).b
	return m, nil
}

// classifyRPO names the pattern of a relative motion, by these rules in
// order (co-orbital pairs only: relative speed at closest approach below
// CoOrbitalMaxSpeedKmS):
//   - co-located: never more than coLocatedKm apart over the window (docked
//     vehicles carried on their station's elements, or a tight formation;
//     the separation is then within element-set error);
//   - rendezvous: the range falls through the window (end < half the start,
//     Theil–Sen range rate below −1 km/day) and ends inside ProximityKm;
//   - inspection: inside ProximityKm for at least PersistentFraction of the
//     window and the secondary circles the primary in the radial/in-track
//     plane (net winding ≥ 1 turn): a natural-motion circumnavigation;
//   - lead/trail: inside for at least PersistentFraction, no winding, mean
//     in-track offset larger than the radial and cross-track extents: the
//     same orbit, ahead (lead) or behind (trail);
//   - fly-by: enters and leaves the sphere (inside for less than
//     PersistentFraction, range at both ends larger than at the minimum);
//   - co-orbital: persistent but none of the above.
func classifyRPO(m relativeMotion, c Config) string {
	persistent := m.insideFraction >= c.PersistentFraction
	switch {
	case m.maxKm <= coLocatedKm:
		return "co-located"
	case m.endKm < 0.5*m.startKm && m.rangeRateKmDay < -1 && m.endKm <= c.ProximityKm && m.endKm <= 1.05*m.minKm+0.1:
		return "rendezvous"
	case persistent && math.Abs(m.windingTurns) >= 1:
		return "inspection"
	case persistent && math.Abs(m.meanRIC[1]) > math.Max(m.spanRIC[0], m.spanRIC[2]):
		if m.meanRIC[1] > 0 {
			return "lead"
		}
		return "trail"
	case !persistent && m.startKm > m.minKm && m.endKm > m.minKm:
		return "fly-by"
	}
	return "co-orbital"
}

// coLocatedKm is the largest range of a co-located pair: about what two
// element sets of one object disagree by over two days.
const coLocatedKm = 5.0

// proximityEvents screens the primary against the catalog (one-vs-all,
// engine/conjunction) over ProximitySpan from the primary's epoch, then
// samples the relative motion of each secondary found and classifies it.
// Crossing conjunctions (fast) count only when RepeatedApproaches or more of
// them with one secondary come within RepeatedApproachKm.
func proximityEvents(ctx context.Context, primary gp.ElementSet, catalog []gp.ElementSet, c Config) ([]Finding, error) {
	norad := primary.CatalogNumber
	const rule = "proximity.ric-pattern"
	start := primary.Epoch
	var cat []gp.ElementSet
	stale := 0
	cat = append(cat, primary)
	for i := range catalog {
		e := catalog[i]
		if e.CatalogNumber == norad || e.Validate() != nil {
			continue
		}
		if e.Epoch.Sub(start).Abs() > c.MaxCatalogAge {
			stale++
			continue
		}
		cat = append(cat, e)
	}
	if len(cat) < 2 {
		return []Finding{insufficientFinding(ProximityEvents, start, rule,
			fmt.Sprintf("no catalog element set within %.0f days of the primary's epoch %s (%d too old or too new)",
				c.MaxCatalogAge.Hours()/24, start.Format(time.RFC3339), stale), norad)}, nil
	}
	res, err := conjunction.Screen(ctx, cat, conjunction.Options{Start: start, Span: c.ProximitySpan, ThresholdKm: c.ProximityKm, Primaries: []int{norad}})
	if err != nil {
		return nil, fmt.Errorf("ccdm: proximity screening: %w", err)
	}
	bySec := map[int][]conjunction.Event{}
	for _, ev := range res.Events {
		sec := ev.Norad2
		if sec == norad {
			sec = ev.Norad1
		}
		bySec[sec] = append(bySec[sec], ev)
	}
	// Co-orbital candidates the screening may not report as a local minimum
	// of distance (a monotone approach, a constant offset): objects whose
	// orbit is within the screening radius in semi-major axis and close in
	// plane. They are sampled like the others and kept only if they come
	// inside the radius.
	po := orbitOf(&primary)
	for _, e := range cat[1:] {
		o := orbitOf(&e)
		if _, ok := bySec[e.CatalogNumber]; ok || math.Abs(o.smaKm-po.smaKm) > c.ProximityKm ||
			math.Abs(o.incDeg-po.incDeg) > 0.5 || (po.incDeg > 1 && math.Abs(math.Remainder(o.raanDeg-po.raanDeg, 360)) > 0.5) {
			continue
		}
		bySec[e.CatalogNumber] = nil
	}
	secs := make([]int, 0, len(bySec))
	for s := range bySec {
		secs = append(secs, s)
	}
	slices.Sort(secs)
	ps, err := sgp4.New(primary)
	if err != nil {
		return []Finding{insufficientFinding(ProximityEvents, start, rule, "the primary's element set cannot be propagated: "+err.Error(), norad)}, nil
	}
	byNorad := map[int]gp.ElementSet{}
	for _, e := range cat {
		byNorad[e.CatalogNumber] = e
	}
	var out []Finding
	crossings := 0
	for _, sn := range secs {
		evs := bySec[sn]
		var minEv conjunction.Event
		if len(evs) > 0 {
			minEv = evs[0]
		} else {
			minEv.MissDistanceKm = math.Inf(1)
		}
		close := 0
		for _, ev := range evs {
			if ev.MissDistanceKm < minEv.MissDistanceKm {
				minEv = ev
			}
			if ev.MissDistanceKm <= c.RepeatedApproachKm {
				close++
			}
		}
		f := newFinding(ProximityEvents, norad, sn)
		f.RuleID = rule
		f.Time = minEv.TCA
		f.Thresholds = []Quantity{{"screening-radius", c.ProximityKm, "km"}, {"co-orbital-max-speed", c.CoOrbitalMaxSpeedKmS, "km/s"},
			{"persistent-fraction", c.PersistentFraction, ""}}
		f.Evidence = []Quantity{{"approaches", float64(len(evs)), ""}, {"min-miss", minEv.MissDistanceKm, "km"},
			{"relative-speed-at-min", minEv.RelativeSpeedKmS, "km/s"}, {"radial-at-min", minEv.RadialKm, "km"},
			{"in-track-at-min", minEv.InTrackKm, "km"}, {"cross-track-at-min", minEv.CrossTrackKm, "km"}}
		if len(evs) > 0 && minEv.RelativeSpeedKmS > c.CoOrbitalMaxSpeedKmS {
			crossings++
			if close < c.RepeatedApproaches {
				continue
			}
			f.Status, f.Pattern = StatusDetected, "repeated-approach"
			f.Rule = fmt.Sprintf("%d or more crossing approaches (relative speed > %.1f km/s) within %.0f km in %.0f h",
				c.RepeatedApproaches, c.CoOrbitalMaxSpeedKmS, c.RepeatedApproachKm, c.ProximitySpan.Hours())
			f.Confidence = confidence(float64(close), float64(c.RepeatedApproaches))
			out = append(out, f)
			continue
		}
		ss, err := sgp4.New(byNorad[sn])
		if err != nil {
			continue
		}
		m, err := sampleRelative(ps, ss, start, c.ProximitySpan, c.ProximityStep, c.ProximityKm)
		if err != nil {
			f.Status, f.Reason = StatusInsufficient, "insufficient data: propagation failed: "+err.Error()
			out = append(out, f)
			continue
		}
		if m.minKm > c.ProximityKm || m.speedAtMinKmS > c.CoOrbitalMaxSpeedKmS {
			continue
		}
		f.Status = StatusDetected
		f.Pattern = classifyRPO(m, c)
		f.Evidence = append(f.Evidence[:0], Quantity{"approaches", float64(len(evs)), ""},
			Quantity{"relative-speed-at-min", m.speedAtMinKmS, "km/s"})
		f.Rule = "co-orbital pair inside the screening radius, classified in the primary's RIC frame: rendezvous (range falling to its minimum at the end), inspection (persistent, winding ≥ 1 turn in R–I), lead/trail (persistent, in-track offset dominant), fly-by (enters and leaves), else co-orbital"
		f.Evidence = append(f.Evidence,
			Quantity{"fraction-inside", round(m.insideFraction, 3), ""}, Quantity{"range-start", m.startKm, "km"},
			Quantity{"range-end", m.endKm, "km"}, Quantity{"range-min", m.minKm, "km"}, Quantity{"range-max", m.maxKm, "km"},
			Quantity{"range-rate", m.rangeRateKmDay, "km/day"}, Quantity{"winding", round(m.windingTurns, 2), "turns"},
			Quantity{"mean-radial", m.meanRIC[0], "km"}, Quantity{"mean-in-track", m.meanRIC[1], "km"}, Quantity{"mean-cross-track", m.meanRIC[2], "km"},
			Quantity{"span-radial", m.spanRIC[0], "km"}, Quantity{"span-in-track", m.spanRIC[1], "km"}, Quantity{"span-cross-track", m.spanRIC[2], "km"})
		// Closer and more persistent is more confident.
		f.Confidence = math.Max(0, math.Min(1, 0.5+0.5*m.insideFraction)*(1-0.5*m.minKm/c.ProximityKm))
		f.Time = m.tMin
		if p := constellation(primary.Name); p != "" && p == constellation(byNorad[sn].Name) && f.Pattern != "rendezvous" && f.Pattern != "inspection" {
			f.Notes = append(f.Notes, fmt.Sprintf("both objects are named %s…: likely neighbours in one constellation (confidence halved)", p))
			f.Confidence *= 0.5
		}
		dEpoch := byNorad[sn].Epoch.Sub(primary.Epoch).Hours()
		f.Evidence = append(f.Evidence, Quantity{"element-set-epoch-difference", dEpoch, "h"})
		if math.Abs(dEpoch) > 12 && m.maxKm <= 3*(coLocatedKm+3*math.Abs(dEpoch)/24) {
			f.Notes = append(f.Notes, fmt.Sprintf("the element sets are %.0f h apart and the separation is within a few times their extrapolation error: possibly docked or carried on the primary's elements (confidence halved)", math.Abs(dEpoch)))
			f.Confidence *= 0.5
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		f := newFinding(ProximityEvents, norad)
		f.RuleID, f.Time = rule, start
		f.Rule = fmt.Sprintf("no co-orbital object and no repeated approach within %.0f km in %.0f h", c.ProximityKm, c.ProximitySpan.Hours())
		f.Evidence = []Quantity{{"objects-screened", float64(res.Objects), ""}, {"crossing-secondaries", float64(crossings), ""}}
		out = append(out, f)
	}
	return out, nil
}

// constellation is the first word of an object name ("STARLINK-1007" →
// "STARLINK", "ONEWEB-0012" → "ONEWEB"), or "" for names that say nothing
// about an operator (debris, rocket bodies, unnamed objects).
func constellation(name string) string {
	n := strings.ToUpper(strings.TrimSpace(name))
	if n == "" || isDebris(n) || isRocketBody(n) {
		return ""
	}
	if i := strings.IndexAny(n, "- ("); i > 0 {
		n = n[:i]
	}
	if len(n) < 3 {
		return ""
	}
	return n
}
