// Package scorer is a learned second stage for the statistical manoeuvre detector: it re-scores the detector's candidates (found with a low threshold) from element-change and candidate features with a small MLP trained in Go and exported to ONNX.
package scorer

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
)

// FeatureVersion names the feature definition below; a model records it and
// refuses to score features of another version.
const FeatureVersion = "mscore-features-2"

// FeatureNames are the columns of a feature row, in order. "z" features are
// robust step scores (step over its noise, see stepScore), compressed with
// sign(z)·ln(1+|z|); "plane" is the inclination outside GEO and the
// inclination vector (i cos Ω, i sin Ω) at GEO; the step windows are 1, 3
// and 8 element sets on each side of the boundary.
var FeatureNames = []string{
	"sma_z1", "sma_z3", "sma_z8",
	"plane_z1", "plane_z3", "plane_z8",
	"ecc_z3", "ndot_z3",
	"log10_sma_step3_m", "log10_plane_step3_mdeg",
	"ln_gap_ratio", "geo",
	"sma_peak", "plane_peak",
	// Candidate features, from the statistical detector's event.
	"cand_ln_score", "cand_log10_dv_ms", "cand_confidence", "cand_channels",
	"cand_log10_dsma_m", "cand_ln_absorb",
}

// numBoundaryFeatures is the count of boundary features (the first
// columns); the rest describe the candidate.
const numBoundaryFeatures = 14

// NumFeatures is len(FeatureNames).
var NumFeatures = len(FeatureNames)

// Errors.
var (
	// ErrInsufficientData: too few element sets to compute features.
	ErrInsufficientData = errors.New("scorer: insufficient data")
	// ErrMixedObjects: a history with more than one catalog number.
	ErrMixedObjects = errors.New("scorer: history mixes objects")
)

// MinSets is the fewest distinct element sets a history needs.
const MinSets = 10

// noiseWindow is how many set-to-set differences on each side of a boundary
// give its local slope and noise.
const noiseWindow = 15

// Boundary is the interval between two consecutive element sets.
type Boundary struct {
	Before, After time.Time // epochs of the sets on either side
}

// Series is a cleaned history with one boundary-feature row per boundary.
type Series struct {
	NORAD      int
	Regime     maneuver.Regime
	Sets       []gp.ElementSet // valid, sorted, de-duplicated
	Boundaries []Boundary      // len(Sets)-1
	X          []float32       // row-major [len(Boundaries)][numBoundaryFeatures]
	Notes      []string
}

// Row returns feature row i.
func (s *Series) Row(i int) []float32 { return s.X[i*numBoundaryFeatures : (i+1)*numBoundaryFeatures] }

// clean validates, sorts and de-duplicates (epochs closer than 10 minutes:
// the higher element-set number, then the later one in the input, wins).
func clean(history []gp.ElementSet) ([]gp.ElementSet, []string, error) {
	var notes []string
	type item struct {
		e   gp.ElementSet
		idx int
	}
	var items []item
	bad := 0
	for i := range history {
		if history[i].Validate() != nil || math.IsNaN(history[i].MeanMotionRevPerDay) {
			bad++
			continue
		}
		items = append(items, item{history[i], i})
	}
	if bad > 0 {
		notes = append(notes, fmt.Sprintf("%d invalid element sets ignored", bad))
	}
	for _, it := range items {
		if it.e.CatalogNumber != items[0].e.CatalogNumber {
			return nil, notes, fmt.Errorf("%w: %d and %d", ErrMixedObjects, items[0].e.CatalogNumber, it.e.CatalogNumber)
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return a.e.Epoch.Compare(b.e.Epoch) })
	var out []gp.ElementSet
	merged := 0
	for i := 0; i < len(items); {
		best, j := i, i+1
		for ; j < len(items) && items[j].e.Epoch.Sub(items[i].e.Epoch) < 10*time.Minute; j++ {
			if items[j].e.ElementSetNumber >= items[best].e.ElementSetNumber {
				best = j
			}
		}
		merged += j - i - 1
		out = append(out, items[best].e)
		i = j
	}
	if merged > 0 {
		notes = append(notes, fmt.Sprintf("%d duplicate element sets merged", merged))
	}
	return out, notes, nil
}

// smaM is the semi-major axis (m) implied by a Kozai mean motion, WGS-72.
func smaM(nRevPerDay float64) float64 {
	const mu = 398600.8e9 // m³/s²
	n := nRevPerDay * 2 * math.Pi / 86400
	return math.Cbrt(mu / (n * n))
}

// channel is one mean-element time series with a noise floor per component.
type channel struct {
	comp  [][]float64 // 1 or 2 components
	floor float64
}

// Features cleans a history and computes a feature row for every boundary.
func Features(history []gp.ElementSet) (Series, error) {
	sets, notes, err := clean(history)
	s := Series{Sets: sets, Notes: notes}
	if err != nil {
		return s, err
	}
	if len(sets) < MinSets {
		return s, fmt.Errorf("%w: %d distinct element sets, need %d", ErrInsufficientData, len(sets), MinSets)
	}
	n := len(sets)
	s.NORAD = sets[0].CatalogNumber
	nn, ee := make([]float64, n), make([]float64, n)
	for i := range sets {
		nn[i], ee[i] = sets[i].MeanMotionRevPerDay, sets[i].Eccentricity
	}
	medN := median(slices.Clone(nn))
	s.Regime = maneuver.ClassifyRegime(medN, median(ee))
	geo := s.Regime == maneuver.RegimeGEO

	t := make([]float64, n)
	a, inc, ix, iy, ex, ey, nd := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range sets {
		e := &sets[i]
		t[i] = e.Epoch.Sub(sets[0].Epoch).Hours() / 24
		a[i] = smaM(e.MeanMotionRevPerDay)
		inc[i] = e.InclinationDeg
		raan := e.RAANDeg * math.Pi / 180
		ix[i], iy[i] = e.InclinationDeg*math.Cos(raan), e.InclinationDeg*math.Sin(raan)
		per := e.ArgPerigeeDeg * math.Pi / 180
		if geo {
			per += raan
		}
		ex[i], ey[i] = e.Eccentricity*math.Cos(per), e.Eccentricity*math.Sin(per)
		nd[i] = e.MeanMotionDotRevDay2
	}
	smaCh := channel{comp: [][]float64{a}, floor: 3 * (2.0 / 3) * smaM(medN) * 1e-8 / medN}
	planeCh := channel{comp: [][]float64{inc}, floor: 1e-4}
	if geo {
		planeCh.comp = [][]float64{ix, iy}
	}
	eccCh := channel{comp: [][]float64{ex, ey}, floor: 3e-7}
	ndCh := channel{comp: [][]float64{nd}, floor: 1e-8}

	gaps := make([]float64, n-1)
	for j := 1; j < n; j++ {
		gaps[j-1] = t[j] - t[j-1]
	}
	medGap := math.Max(median(slices.Clone(gaps)), 1e-3)

	nb := n - 1
	s.Boundaries = make([]Boundary, nb)
	s.X = make([]float32, nb*numBoundaryFeatures)
	sma3, plane3 := make([]float64, nb), make([]float64, nb)
	for b := range nb {
		j := b + 1 // first set after the boundary
		s.Boundaries[b] = Boundary{Before: sets[j-1].Epoch, After: sets[j].Epoch}
		row := s.Row(b)
		za1, _ := stepScore(t, smaCh, j, 1)
		za3, da3 := stepScore(t, smaCh, j, 3)
		za8, _ := stepScore(t, smaCh, j, 8)
		zp1, _ := stepScore(t, planeCh, j, 1)
		zp3, dp3 := stepScore(t, planeCh, j, 3)
		zp8, _ := stepScore(t, planeCh, j, 8)
		ze3, _ := stepScore(t, eccCh, j, 3)
		zn3, _ := stepScore(t, ndCh, j, 3)
		sma3[b], plane3[b] = za3, zp3
		vals := []float64{
			slog(za1), slog(za3), slog(za8),
			slog(zp1), slog(zp3), slog(zp8),
			slog(ze3), slog(zn3),
			math.Log10(1 + math.Abs(da3)), math.Log10(1 + 1000*math.Abs(dp3)),
			math.Log(math.Max(gaps[b], 1e-4) / medGap), 0,
			0, 0,
		}
		if geo {
			vals[11] = 1
		}
		for k, v := range vals {
			row[k] = float32(v)
		}
	}
	for b := range nb {
		row := s.Row(b)
		row[12] = float32(slog(peak(sma3, b)))
		row[13] = float32(slog(peak(plane3, b)))
	}
	return s, nil
}

// peak is |z[b]| minus the larger |z| of its neighbours: positive where the
// boundary stands out from both sides.
func peak(z []float64, b int) float64 {
	nb := 0.0
	if b > 0 {
		nb = math.Abs(z[b-1])
	}
	if b+1 < len(z) {
		nb = math.Max(nb, math.Abs(z[b+1]))
	}
	return math.Abs(z[b]) - nb
}

// slog compresses a score: sign(z)·ln(1+|z|).
func slog(z float64) float64 {
	if z < 0 {
		return -math.Log1p(-z)
	}
	return math.Log1p(z)
}

// stepScore is the robust step of a channel at the boundary before set j
// with m sets on each side: after removing a local rate (median of the
// set-to-set slopes within noiseWindow differences, the boundary's own
// difference excluded), step = median(after) − median(before). The noise is
// σ_d·1.25/√m with σ_d = 1.4826·MAD of the detrended set-to-set differences
// (floored), i.e. the noise of a difference of two m-set medians. For a
// 1-component channel the score is signed; for two components it is the
// norm of the per-component scores and the step is the step vector's norm.
func stepScore(t []float64, ch channel, j, m int) (z, step float64) {
	n := len(t)
	lo, hi := max(0, j-noiseWindow), min(n-1, j+noiseWindow-1) // difference k: sets k, k+1
	m1 := min(m, j, n-j)
	var z2, s2 float64
	for _, x := range ch.comp {
		var slopes, diffs []float64
		for k := lo; k < hi; k++ {
			if k == j-1 {
				continue
			}
			if dt := t[k+1] - t[k]; dt > 1e-4 {
				slopes = append(slopes, (x[k+1]-x[k])/dt)
			}
		}
		rate := 0.0
		if len(slopes) > 0 {
			rate = median(slopes)
		}
		for k := lo; k < hi; k++ {
			if k == j-1 {
				continue
			}
			diffs = append(diffs, (x[k+1]-x[k])-rate*(t[k+1]-t[k]))
		}
		sigma := ch.floor
		if len(diffs) >= 4 {
			med := median(slices.Clone(diffs))
			for i := range diffs {
				diffs[i] = math.Abs(diffs[i] - med)
			}
			sigma = math.Max(sigma, 1.4826*median(diffs))
		}
		tb := (t[j-1] + t[j]) / 2
		before, after := make([]float64, 0, m1), make([]float64, 0, m1)
		for i := j - m1; i < j; i++ {
			before = append(before, x[i]-rate*(t[i]-tb))
		}
		for i := j; i < j+m1; i++ {
			after = append(after, x[i]-rate*(t[i]-tb))
		}
		d := median(after) - median(before)
		zc := d / (sigma * 1.25 / math.Sqrt(float64(m1)))
		if len(ch.comp) == 1 {
			return zc, d
		}
		z2 += zc * zc
		s2 += d * d
	}
	return math.Sqrt(z2), math.Sqrt(s2)
}

// median sorts v in place and returns its median (0 for empty).
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	h := len(v) / 2
	if len(v)%2 == 1 {
		return v[h]
	}
	return (v[h-1] + v[h]) / 2
}
