package maneuver

import "math"

// channelStats holds, for one channel and every boundary b (between sets
// b-1 and b, b = 1..n-1), the local robust rate, the noise, the step and the
// single-pair residual. Index 0 is unused.
type channelStats struct {
	rate  []float64 // per day
	sigma []float64 // robust 1-sigma of set-to-set residuals
	step  []float64 // median level after − median level before (NaN where not judged)
	pair  []float64 // x[b] − x[b-1] − rate·Δt
	// psigma is the robust 1-sigma of pair over the same window (floored
	// at the channel's quantisation): the noise of one set-to-set change.
	psigma []float64
}

// windowStride: the rolling rate and noise are evaluated every
// windowStride boundaries (centred on the block) and held in between.
const windowStride = 4

// stepParams are the window sizes used by computeStats.
type stepParams struct {
	stepSets  int // m: sets each side for the step medians
	minSide   int // fewest sets each side to judge a boundary
	noiseSets int // half-width of the rate/noise window
	floor     float64
}

// computeStats evaluates one channel.
//
// Rate: the median of the slopes (x[j+m]−x[j])/(t[j+m]−t[j]) over the window
// (a lag of m sets keeps epoch jitter from inflating the slopes; a burn
// spoils only m of the ~2·noiseSets slopes). Noise: 1.4826·MAD of the
// detrended set-to-set differences in the window, floored at the channel's
// quantisation. Step: median of the detrended values of the m sets after the
// boundary minus the median of the m sets before.
func computeStats(t, x []float64, p stepParams) channelStats {
	n := len(x)
	cs := channelStats{
		rate:  make([]float64, n),
		sigma: make([]float64, n),
		step:  make([]float64, n),
		pair:  make([]float64, n),
		// psigma is filled with sigma below.
		psigma: make([]float64, n),
	}
	if n < 2 {
		return cs
	}
	lag := max(p.stepSets, 1)
	slopes := make([]float64, 0, n)
	for j := 0; j+lag < n; j++ {
		dt := t[j+lag] - t[j]
		if dt <= 0 {
			slopes = append(slopes, math.NaN())
			continue
		}
		slopes = append(slopes, (x[j+lag]-x[j])/dt)
	}
	buf := make([]float64, 0, 2*p.noiseSets+2)
	r := 0.0
	for b := 1; b < n; b++ {
		// The window statistics change slowly from one boundary to the
		// next; they are evaluated every windowStride boundaries and held.
		if (b-1)%windowStride == 0 {
			c := min(n-1, b+windowStride/2)
			lo, hi := max(0, c-p.noiseSets), min(len(slopes), c+p.noiseSets-lag)
			buf = buf[:0]
			for j := lo; j < hi; j++ {
				if !math.IsNaN(slopes[j]) {
					buf = append(buf, slopes[j])
				}
			}
			r = 0
			if len(buf) > 0 {
				r = median(buf)
			}
		}
		cs.rate[b] = r
		cs.pair[b] = x[b] - x[b-1] - r*(t[b]-t[b-1])
	}
	pre := make([]float64, 0, p.stepSets)
	post := make([]float64, 0, p.stepSets)
	for b := 1; b < n; b++ {
		lo, hi := max(0, b-p.stepSets), min(n, b+p.stepSets)
		if b-lo < p.minSide || hi-b < p.minSide {
			cs.step[b] = math.NaN()
			continue
		}
		tm := (t[b-1] + t[b]) / 2
		r := cs.rate[b]
		pre, post = pre[:0], post[:0]
		for j := lo; j < b; j++ {
			pre = append(pre, x[j]-r*(t[j]-tm))
		}
		for j := b; j < hi; j++ {
			post = append(post, x[j]-r*(t[j]-tm))
		}
		cs.step[b] = median(post) - median(pre)
	}
	pairs := make([]float64, 0, 2*p.noiseSets+2)
	for b := 1; b < n; b++ {
		if (b-1)%windowStride != 0 {
			cs.sigma[b] = cs.sigma[b-1]
			cs.psigma[b] = cs.psigma[b-1]
			continue
		}
		// The window keeps its full width near the ends of the history
		// (shifted inwards), so the noise there is not judged on a handful
		// of boundaries.
		c := min(n-1, b+windowStride/2)
		lo, hi := c-p.noiseSets, c+p.noiseSets+1
		if lo < 1 {
			hi, lo = min(n, hi+1-lo), 1
		}
		if hi > n {
			lo, hi = max(1, lo-(hi-n)), n
		}
		buf, pairs = buf[:0], pairs[:0]
		for j := lo; j < hi; j++ {
			if v := cs.step[j]; !math.IsNaN(v) {
				buf = append(buf, v)
			}
			pairs = append(pairs, cs.pair[j])
		}
		ps := robustSigma(pairs)
		s := max(robustSigma(buf), medianSpread(p.stepSets)*ps)
		if !(s >= p.floor) {
			s = p.floor
		}
		if !(ps >= p.floor) {
			ps = p.floor
		}
		cs.sigma[b], cs.psigma[b] = s, ps
	}
	return cs
}

// medianSpread is the standard deviation of the difference of two medians
// of m independent Gaussian values relative to that of the difference of two
// single values (σ_step/σ_pair): exact for m ≤ 3 (the median of 3 has
// standard deviation 0.670σ), asymptotic √(π/2)/√m beyond. It gives the
// step noise a floor from the set-to-set differences, which are far less
// correlated than neighbouring step values and so better estimated.
func medianSpread(m int) float64 {
	switch {
	case m <= 1:
		return 1
	case m == 2:
		return math.Sqrt(0.5)
	case m == 3:
		return 0.670
	}
	return math.Sqrt(math.Pi/2) / math.Sqrt(float64(m))
}

// z returns the step score at boundary b (0 where not judged or not
// computed).
func (cs *channelStats) z(b int) float64 {
	if b < 0 || b >= len(cs.step) {
		return 0
	}
	s := cs.step[b]
	if math.IsNaN(s) || !(cs.sigma[b] > 0) {
		return 0
	}
	return s / cs.sigma[b]
}

// stepAt is step[b], NaN where not computed.
func (cs *channelStats) stepAt(b int) float64 {
	if b < 0 || b >= len(cs.step) {
		return math.NaN()
	}
	return cs.step[b]
}

// sigmaAt is sigma[b], 0 where not computed.
func (cs *channelStats) sigmaAt(b int) float64 {
	if b < 0 || b >= len(cs.sigma) {
		return 0
	}
	return cs.sigma[b]
}
