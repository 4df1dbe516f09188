package maneuver

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// Physical constants (WGS-72, the constants of the GP element sets).
const (
	muKm3S2       = 398600.8 // km³/s²
	earthRadiusKm = 6378.135
	j2            = 1.082616e-3
	secPerDay     = 86400.0
)

// prepared is a cleaned history: valid, one object, sorted, de-duplicated.
type prepared struct {
	sets   []gp.ElementSet
	norad  int
	notes  []string
	regime Regime
}

// prepare validates, sorts and de-duplicates a history.
func prepare(history []gp.ElementSet, dupWindow time.Duration) (prepared, error) {
	type item struct {
		e   gp.ElementSet
		idx int
	}
	var p prepared
	items := make([]item, 0, len(history))
	invalid := 0
	for i := range history {
		if history[i].Validate() != nil || !finiteSet(&history[i]) {
			invalid++
			continue
		}
		items = append(items, item{history[i], i})
	}
	if invalid > 0 {
		p.notes = append(p.notes, fmt.Sprintf("%d invalid element sets ignored", invalid))
	}
	if len(items) == 0 {
		return p, nil
	}
	p.norad = items[0].e.CatalogNumber
	for _, it := range items {
		if it.e.CatalogNumber != p.norad {
			return p, fmt.Errorf("%w: catalog numbers %d and %d (detect one object at a time)",
				ErrMixedObjects, p.norad, it.e.CatalogNumber)
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return a.e.Epoch.Compare(b.e.Epoch) })

	// Merge runs of (near-)identical epochs: keep the highest element-set
	// number, then the one that came later in the input.
	merged := 0
	out := make([]gp.ElementSet, 0, len(items))
	for i := 0; i < len(items); {
		best := i
		j := i + 1
		for ; j < len(items) && items[j].e.Epoch.Sub(items[i].e.Epoch) < dupWindow; j++ {
			b := items[best]
			c := items[j]
			if c.e.ElementSetNumber > b.e.ElementSetNumber ||
				(c.e.ElementSetNumber == b.e.ElementSetNumber && c.idx > b.idx) {
				best = j
			}
		}
		merged += j - i - 1
		out = append(out, items[best].e)
		i = j
	}
	if merged > 0 {
		p.notes = append(p.notes, fmt.Sprintf("%d duplicate or near-identical-epoch element sets merged (window %s)", merged, dupWindow))
	}
	p.sets = out
	nn := make([]float64, len(out))
	ee := make([]float64, len(out))
	for i := range out {
		nn[i] = out[i].MeanMotionRevPerDay
		ee[i] = out[i].Eccentricity
	}
	p.regime = ClassifyRegime(median(nn), median(ee))
	return p, nil
}

func finiteSet(e *gp.ElementSet) bool {
	for _, v := range [...]float64{e.MeanMotionRevPerDay, e.Eccentricity, e.InclinationDeg, e.RAANDeg,
		e.ArgPerigeeDeg, e.MeanAnomalyDeg, e.MeanMotionDotRevDay2, e.MeanMotionDdotRevDay3, e.BStarPerEarthRadius} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// series holds the channels of a prepared history.
type series struct {
	tDay         []float64 // days since the first epoch
	couplingDays float64   // see dragCouplingDays
	x            [numElements][]float64
}

// smaKm is the semi-major axis implied by a Kozai mean motion (WGS-72 μ).
func smaKm(nRevPerDay float64) float64 {
	n := nRevPerDay * 2 * math.Pi / secPerDay
	return math.Cbrt(muKm3S2 / (n * n))
}

// buildSeries computes every channel. For GEO the eccentricity vector is
// referred to the longitude of perigee ϖ = Ω + ω (the node is ill-defined at
// small inclination); elsewhere to the argument of perigee ω.
func buildSeries(sets []gp.ElementSet, r Regime) series {
	n := len(sets)
	var s series
	s.tDay = make([]float64, n)
	for c := range s.x {
		s.x[c] = make([]float64, n)
	}
	t0 := sets[0].Epoch
	s.couplingDays = dragCouplingDays(sets)
	for j := range sets {
		e := &sets[j]
		s.tDay[j] = e.Epoch.Sub(t0).Hours() / 24
		s.x[ElementSMA][j] = smaKm(e.MeanMotionRevPerDay-s.couplingDays*2*e.MeanMotionDotRevDay2) * 1000
		s.x[ElementInclination][j] = e.InclinationDeg
		raan := e.RAANDeg * math.Pi / 180
		s.x[ElementInclinationVectorX][j] = e.InclinationDeg * math.Cos(raan)
		s.x[ElementInclinationVectorY][j] = e.InclinationDeg * math.Sin(raan)
		per := e.ArgPerigeeDeg * math.Pi / 180
		if r == RegimeGEO {
			per += raan
		}
		s.x[ElementEccentricityVectorX][j] = e.Eccentricity * math.Cos(per)
		s.x[ElementEccentricityVectorY][j] = e.Eccentricity * math.Sin(per)
	}
	return s
}

// dragCouplingDays estimates how far before its epoch an element set's
// mean motion is pinned by its observations, D (days), so that the
// drag-coupled mean motion n0 − D·ṅ can be used instead of n0.
//
// A GP fit trades the mean motion at epoch against the drag terms: the data
// lie mostly before the epoch, so an element set whose fit gives a larger ṅ
// extrapolates to a larger n0 while n(epoch − D) stays put. Between
// consecutive sets therefore Δn0 ≈ D·Δṅ (plus true decay and noise). D is
// the median of Δn0/Δṅ over the consecutive pairs whose ṅ changed by more
// than both its own median change and 1e-7 rev/day², clamped to [0, 3]
// days; with fewer than 10 such pairs (ṅ nearly constant, as for high or
// non-drag-fitted orbits) there is no coupling to remove and D = 0.
func dragCouplingDays(sets []gp.ElementSet) float64 {
	n := len(sets)
	if n < 3 {
		return 0
	}
	dnd := make([]float64, 0, n)
	for j := 1; j < n; j++ {
		dnd = append(dnd, math.Abs(2*(sets[j].MeanMotionDotRevDay2-sets[j-1].MeanMotionDotRevDay2)))
	}
	minChange := max(1e-7, median(slices.Clone(dnd)))
	ratios := make([]float64, 0, n)
	for j := 1; j < n; j++ {
		d := 2 * (sets[j].MeanMotionDotRevDay2 - sets[j-1].MeanMotionDotRevDay2)
		if math.Abs(d) <= minChange {
			continue
		}
		ratios = append(ratios, (sets[j].MeanMotionRevPerDay-sets[j-1].MeanMotionRevPerDay)/d)
	}
	if len(ratios) < 10 {
		return 0
	}
	return math.Max(0, math.Min(3, median(ratios)))
}

// detectChannels lists the channels whose steps can trigger a detection in
// a regime: semi-major axis (along-track burns; for GEO the east-west
// station-keeping that changes the longitude drift) and the plane
// (inclination for LEO/MEO/HEO, the inclination vector for GEO, where
// north-south station-keeping rotates the node as much as it changes i).
func detectChannels(r Regime) []Element {
	if r == RegimeGEO {
		return []Element{ElementSMA, ElementInclinationVectorX, ElementInclinationVectorY}
	}
	return []Element{ElementSMA, ElementInclination}
}

// noiseFloor is the smallest noise accepted per channel: about the
// quantisation of the TLE fields (8 decimals of rev/day in n, 4 decimals of
// degrees, 7 of eccentricity), so that a MAD of zero on a quantised channel
// cannot make every tiny change infinitely significant.
func noiseFloor(c Element, nRevPerDay float64) float64 {
	switch c {
	case ElementSMA:
		// δa = (2/3)·a·δn/n with δn = 1e-8 rev/day, times 3 for safety.
		return 3 * (2.0 / 3) * smaKm(nRevPerDay) * 1000 * 1e-8 / nRevPerDay
	case ElementInclination, ElementInclinationVectorX, ElementInclinationVectorY:
		return 1e-4
	default:
		return 3e-7
	}
}
