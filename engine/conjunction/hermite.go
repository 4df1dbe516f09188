package conjunction

import "math"

// vec is a 3-vector (km or km/s; TEME).
type vec = [3]float64

func sub(a, b vec) vec           { return vec{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func dot(a, b vec) float64       { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func norm(a vec) float64         { return math.Sqrt(dot(a, a)) }
func scale(a vec, k float64) vec { return vec{a[0] * k, a[1] * k, a[2] * k} }
func cross(a, b vec) vec {
	return vec{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// cubic is the cubic Hermite interpolant of one knot interval in power form,
// x(s) = c0 + c1·s + c2·s² + c3·s³ with s in [0,1] across h seconds.
type cubic struct {
	c [4]vec
	h float64
}

// newCubic builds the interpolant through (r0,v0) and (r1,v1), h seconds apart.
func newCubic(r0, v0, r1, v1 vec, h float64) cubic {
	var c cubic
	c.h = h
	for a := range 3 {
		d0, d1 := v0[a]*h, v1[a]*h
		c.c[0][a] = r0[a]
		c.c[1][a] = d0
		c.c[2][a] = 3*(r1[a]-r0[a]) - 2*d0 - d1
		c.c[3][a] = 2*(r0[a]-r1[a]) + d0 + d1
	}
	return c
}

// at returns the position (km) and the derivative with respect to s (km per
// unit s, i.e. velocity times h).
func (c *cubic) at(s float64) (x, dxds vec) {
	for a := range 3 {
		x[a] = ((c.c[3][a]*s+c.c[2][a])*s+c.c[1][a])*s + c.c[0][a]
		dxds[a] = (3*c.c[3][a]*s+2*c.c[2][a])*s + c.c[1][a]
	}
	return x, dxds
}

// bezier is a cubic Bézier curve: the control points of a Hermite piece are
// x0, x0 + d0/3, x1 - d1/3, x1 (d = derivative × interval length). The curve
// lies in the convex hull of its control points, which is what makes the
// sieve's bounds rigorous.
type bezier [4]vec

func hermiteBezier(x0, d0, x1, d1 vec) bezier {
	var q bezier
	for a := range 3 {
		q[0][a] = x0[a]
		q[1][a] = x0[a] + d0[a]/3
		q[2][a] = x1[a] - d1[a]/3
		q[3][a] = x1[a]
	}
	return q
}

func (q *bezier) sub(p *bezier) bezier {
	var r bezier
	for k := range 4 {
		for a := range 3 {
			r[k][a] = q[k][a] - p[k][a]
		}
	}
	return r
}

// split cuts the curve at s = 1/2 (de Casteljau).
func (q *bezier) split() (l, r bezier) {
	for a := range 3 {
		p01 := 0.5 * (q[0][a] + q[1][a])
		p12 := 0.5 * (q[1][a] + q[2][a])
		p23 := 0.5 * (q[2][a] + q[3][a])
		p012 := 0.5 * (p01 + p12)
		p123 := 0.5 * (p12 + p23)
		m := 0.5 * (p012 + p123)
		l[0][a], l[1][a], l[2][a], l[3][a] = q[0][a], p01, p012, m
		r[0][a], r[1][a], r[2][a], r[3][a] = m, p123, p23, q[3][a]
	}
	return l, r
}

// lowerBound2 is the squared distance from the origin to the control
// points' bounding box, a lower bound of |q(s)|² on [0,1].
func (q *bezier) lowerBound2() float64 {
	var d2 float64
	for a := range 3 {
		lo := min(q[0][a], q[1][a], q[2][a], q[3][a])
		hi := max(q[0][a], q[1][a], q[2][a], q[3][a])
		switch {
		case lo > 0:
			d2 += lo * lo
		case hi < 0:
			d2 += hi * hi
		}
	}
	return d2
}

// nearOriginDepth limits the subdivision of nearOrigin (2⁻¹⁰ of the interval).
const nearOriginDepth = 10

// nearOrigin reports whether the curve may come within d of the origin. It
// is conservative: false means |q(s)| > d for every s in [0,1]; true means a
// point within d was found, or the subdivision limit was reached with the
// bound still at or below d.
func (q *bezier) nearOrigin(d float64) bool {
	d2 := d * d
	type item struct {
		q     bezier
		depth int
	}
	var stack [2*nearOriginDepth + 2]item
	n := 0
	stack[n] = item{*q, 0}
	n++
	for n > 0 {
		n--
		it := stack[n]
		if it.q.lowerBound2() > d2 {
			continue
		}
		if dot(it.q[0], it.q[0]) <= d2 || dot(it.q[3], it.q[3]) <= d2 || it.depth == nearOriginDepth {
			return true
		}
		l, r := it.q.split()
		stack[n] = item{r, it.depth + 1}
		stack[n+1] = item{l, it.depth + 1}
		n += 2
	}
	return false
}

// eval returns the curve point at s.
func (q *bezier) eval(s float64) vec {
	u := 1 - s
	b0, b1, b2, b3 := u*u*u, 3*u*u*s, 3*u*s*s, s*s*s
	var x vec
	for a := range 3 {
		x[a] = b0*q[0][a] + b1*q[1][a] + b2*q[2][a] + b3*q[3][a]
	}
	return x
}

// minParam estimates the s in [0,1] that minimises |q(s)|: the best of 17
// samples refined by golden-section search on its neighbourhood. It guides
// refinement and need not be exact.
func (q *bezier) minParam() float64 {
	const n = 16
	best, bestD := 0.0, math.Inf(1)
	for k := 0; k <= n; k++ {
		s := float64(k) / n
		x := q.eval(s)
		if d := dot(x, x); d < bestD {
			best, bestD = s, d
		}
	}
	a, b := max(0, best-1.0/n), min(1, best+1.0/n)
	const g = 0.3819660112501051
	x1, x2 := a+g*(b-a), b-g*(b-a)
	p1, p2 := q.eval(x1), q.eval(x2)
	f1, f2 := dot(p1, p1), dot(p2, p2)
	for range 30 {
		if f1 < f2 {
			b, x2, f2 = x2, x1, f1
			x1 = a + g*(b-a)
			p := q.eval(x1)
			f1 = dot(p, p)
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = b - g*(b-a)
			p := q.eval(x2)
			f2 = dot(p, p)
		}
	}
	return 0.5 * (a + b)
}
