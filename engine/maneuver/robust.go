package maneuver

import (
	"math"
	"slices"
)

// madToSigma turns a median absolute deviation into a Gaussian-equivalent
// standard deviation (1/Φ⁻¹(3/4)).
const madToSigma = 1.4826

// median returns the median of x, reordering x in place; NaN for empty x.
// It selects rather than sorts (expected linear time). x must hold no NaN.
func median(x []float64) float64 {
	n := len(x)
	switch n {
	case 0:
		return math.NaN()
	case 1:
		return x[0]
	case 2:
		return (x[0] + x[1]) / 2
	}
	k := n / 2
	hi := selectKth(x, k)
	if n%2 == 1 {
		return hi
	}
	// The lower middle is the largest of the elements left of k.
	return (slices.Max(x[:k]) + hi) / 2
}

// selectKth reorders x so that x[k] is the value a sort would put there,
// with no larger value before it and no smaller after (Hoare's selection
// with a median-of-three pivot; deterministic).
func selectKth(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for hi > lo {
		if hi-lo < 12 {
			slices.Sort(x[lo : hi+1])
			return x[k]
		}
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}

// robustSigma returns 1.4826·MAD of x about its median (x is reordered).
func robustSigma(x []float64) float64 {
	m := median(x)
	if math.IsNaN(m) {
		return m
	}
	for i, v := range x {
		x[i] = math.Abs(v - m)
	}
	return madToSigma * median(x)
}
