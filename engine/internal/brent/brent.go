// Package brent finds roots of scalar functions by Brent's (1973) method,
// shared by the engine packages that locate events in time (passes,
// closest approaches, threshold crossings).
package brent

import "math"

// Root finds a zero of f in [a, b], where fa = f(a) and fb = f(b) do not
// have the same strict sign, to within tol (absolute, in f's argument). It is
// Brent's method (Brent 1973, ch. 4): inverse quadratic interpolation or the
// secant step where it stays inside the bracket and shrinks it fast enough,
// bisection otherwise, so it never needs more than about log2((b−a)/tol)²
// evaluations and usually needs a handful. An error from f stops it.
func Root(f func(float64) (float64, error), a, b, fa, fb, tol float64) (float64, error) {
	if fa == 0 {
		return a, nil
	}
	if fb == 0 {
		return b, nil
	}
	const maxIter = 200
	c, fc := b, fb
	var d, e float64
	for range maxIter {
		if (fb > 0) == (fc > 0) {
			// Keep [b, c] a bracket: c takes the previous point a.
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			// Make b the best estimate so far.
			a, fa = b, fb
			b, fb = c, fc
			c, fc = a, fa
		}
		tol1 := 2*2.220446049250313e-16*math.Abs(b) + 0.5*tol
		m := 0.5 * (c - b)
		if math.Abs(m) <= tol1 || fb == 0 {
			return b, nil
		}
		if math.Abs(e) >= tol1 && math.Abs(fa) > math.Abs(fb) {
			// Try interpolation.
			s := fb / fa
			var p, q float64
			if a == c {
				p = 2 * m * s
				q = 1 - s
			} else {
				qa := fa / fc
				r := fb / fc
				p = s * (2*m*qa*(qa-r) - (b-a)*(r-1))
				q = (qa - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if 2*p < math.Min(3*m*q-math.Abs(tol1*q), math.Abs(e*q)) {
				e = d
				d = p / q
			} else {
				d = m
				e = m
			}
		} else {
			d = m
			e = m
		}
		a, fa = b, fb
		if math.Abs(d) > tol1 {
			b += d
		} else if m > 0 {
			b += tol1
		} else {
			b -= tol1
		}
		var err error
		if fb, err = f(b); err != nil {
			return b, err
		}
		if math.IsNaN(fb) {
			return b, nil
		}
	}
	return b, nil
}
