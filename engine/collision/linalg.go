package collision

import "math"

// Small fixed-size linear algebra: 3-vectors, 3x3 and 6x6 matrices, and
// symmetric eigen-decompositions (2x2 in closed form, 3x3 and 6x6 by cyclic
// Jacobi rotations). Everything is value-typed and allocation-free.

type vec3 = [3]float64
type mat3 = [3][3]float64
type mat6 = [6][6]float64

func add3(a, b vec3) vec3           { return vec3{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func sub3(a, b vec3) vec3           { return vec3{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func scale3(s float64, a vec3) vec3 { return vec3{s * a[0], s * a[1], s * a[2]} }
func dot3(a, b vec3) float64        { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func norm3(a vec3) float64          { return math.Sqrt(dot3(a, a)) }

func cross3(a, b vec3) vec3 {
	return vec3{
		a[1]*b[2] - a[2]*b[1],
		a[2]*b[0] - a[0]*b[2],
		a[0]*b[1] - a[1]*b[0],
	}
}

// unit3 returns a/|a| and false when a has zero or non-finite length.
func unit3(a vec3) (vec3, bool) {
	n := norm3(a)
	if !(n > 0) || math.IsInf(n, 0) {
		return vec3{}, false
	}
	return scale3(1/n, a), true
}

// perpendicular3 returns a unit vector perpendicular to the unit vector u.
func perpendicular3(u vec3) vec3 {
	// Cross with the coordinate axis least aligned with u.
	ax := vec3{1, 0, 0}
	if math.Abs(u[1]) < math.Abs(u[0]) && math.Abs(u[1]) <= math.Abs(u[2]) {
		ax = vec3{0, 1, 0}
	} else if math.Abs(u[2]) < math.Abs(u[0]) {
		ax = vec3{0, 0, 1}
	}
	p, _ := unit3(cross3(u, ax))
	return p
}

func mulMat3Vec(m mat3, v vec3) vec3 {
	return vec3{
		m[0][0]*v[0] + m[0][1]*v[1] + m[0][2]*v[2],
		m[1][0]*v[0] + m[1][1]*v[1] + m[1][2]*v[2],
		m[2][0]*v[0] + m[2][1]*v[1] + m[2][2]*v[2],
	}
}

func transpose3(m mat3) mat3 {
	var t mat3
	for i := range 3 {
		for j := range 3 {
			t[i][j] = m[j][i]
		}
	}
	return t
}

func mul3(a, b mat3) mat3 {
	var c mat3
	for i := range 3 {
		for j := range 3 {
			c[i][j] = a[i][0]*b[0][j] + a[i][1]*b[1][j] + a[i][2]*b[2][j]
		}
	}
	return c
}

func symmetrize3(c mat3) mat3 {
	for i := range 3 {
		for j := i + 1; j < 3; j++ {
			m := 0.5 * (c[i][j] + c[j][i])
			c[i][j], c[j][i] = m, m
		}
	}
	return c
}

func addMat3(a, b mat3) mat3 {
	var c mat3
	for i := range 3 {
		for j := range 3 {
			c[i][j] = a[i][j] + b[i][j]
		}
	}
	return c
}

// quadForm3 returns aᵀ·C·b.
func quadForm3(a vec3, c mat3, b vec3) float64 { return dot3(a, mulMat3Vec(c, b)) }

// rotate6 applies a 3x3 rotation to both the position and velocity blocks of
// a 6x6 covariance: blockdiag(R,R)·C·blockdiag(R,R)ᵀ, symmetrised.
func rotate6(r mat3, c mat6) mat6 {
	var big mat6
	for i := range 3 {
		for j := range 3 {
			big[i][j] = r[i][j]
			big[i+3][j+3] = r[i][j]
		}
	}
	var tmp, out mat6
	for i := range 6 {
		for j := range 6 {
			s := 0.0
			for k := range 6 {
				s += big[i][k] * c[k][j]
			}
			tmp[i][j] = s
		}
	}
	for i := range 6 {
		for j := range 6 {
			s := 0.0
			for k := range 6 {
				s += tmp[i][k] * big[j][k]
			}
			out[i][j] = s
		}
	}
	return symmetrize6(out)
}

func symmetrize6(c mat6) mat6 {
	for i := range 6 {
		for j := i + 1; j < 6; j++ {
			m := 0.5 * (c[i][j] + c[j][i])
			c[i][j], c[j][i] = m, m
		}
	}
	return c
}

func posBlock(c mat6) mat3 {
	var p mat3
	for i := range 3 {
		for j := range 3 {
			p[i][j] = c[i][j]
		}
	}
	return p
}

// eig2Sym returns the eigenvalues l1 >= l2 of the symmetric 2x2 matrix
// [[a, b], [b, c]] and the unit eigenvector (v1x, v1y) of l1. The second
// eigenvector is (-v1y, v1x).
func eig2Sym(a, b, c float64) (l1, l2, v1x, v1y float64) {
	if b == 0 {
		if a >= c {
			return a, c, 1, 0
		}
		return c, a, 0, 1
	}
	mean := 0.5 * (a + c)
	half := 0.5 * (a - c)
	r := math.Hypot(half, b)
	l1 = mean + r
	// For a positive-definite matrix take l2 from the determinant, which
	// avoids the cancellation in mean−r when the ellipse is very elongated.
	if det := a*c - b*b; det > 0 && l1 > 0 {
		l2 = math.Min(det/l1, l1)
	} else {
		l2 = mean - r
	}
	// Eigenvector of l1: rows of (A − l1·I) are orthogonal to it; use the
	// better-conditioned row.
	if half >= 0 {
		v1x, v1y = r+half, b
	} else {
		v1x, v1y = b, r-half
	}
	n := math.Hypot(v1x, v1y)
	if !(n > 0) || math.IsInf(n, 0) {
		return l1, l2, 1, 0
	}
	return l1, l2, v1x / n, v1y / n
}

// jacobiEig diagonalises the symmetric n×n matrix a (n ≤ 6, stored in the
// top-left corner of a 6x6 array) by cyclic Jacobi rotations. It returns the
// eigenvalues and the eigenvectors as the columns of v. a is not modified.
func jacobiEig(a mat6, n int) (vals [6]float64, v mat6) {
	for i := range n {
		v[i][i] = 1
	}
	for sweep := 0; sweep < 60; sweep++ {
		off := 0.0
		diag := 0.0
		for i := range n {
			diag += a[i][i] * a[i][i]
			for j := i + 1; j < n; j++ {
				off += a[i][j] * a[i][j]
			}
		}
		if off == 0 || off <= 1e-34*diag {
			break
		}
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				apq := a[p][q]
				if apq == 0 {
					continue
				}
				theta := (a[q][q] - a[p][p]) / (2 * apq)
				var t float64
				if math.IsInf(theta, 0) || math.Abs(theta) > 1e154 {
					t = 1 / (2 * theta)
				} else {
					t = math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				}
				c := 1 / math.Sqrt(t*t+1)
				s := t * c
				for k := range n {
					akp, akq := a[k][p], a[k][q]
					a[k][p] = c*akp - s*akq
					a[k][q] = s*akp + c*akq
				}
				for k := range n {
					apk, aqk := a[p][k], a[q][k]
					a[p][k] = c*apk - s*aqk
					a[q][k] = s*apk + c*aqk
				}
				a[p][q], a[q][p] = 0, 0
				for k := range n {
					vkp, vkq := v[k][p], v[k][q]
					v[k][p] = c*vkp - s*vkq
					v[k][q] = s*vkp + c*vkq
				}
			}
		}
	}
	for i := range n {
		vals[i] = a[i][i]
	}
	return vals, v
}

// eig3Sym is jacobiEig for a 3x3 symmetric matrix.
func eig3Sym(c mat3) (vals vec3, vecs mat3) {
	var a mat6
	for i := range 3 {
		for j := range 3 {
			a[i][j] = c[i][j]
		}
	}
	w, v := jacobiEig(a, 3)
	for i := range 3 {
		vals[i] = w[i]
		for j := range 3 {
			vecs[i][j] = v[i][j]
		}
	}
	return vals, vecs
}

// finiteMat3 reports whether every element of c is finite.
func finiteMat3(c mat3) bool {
	for i := range 3 {
		for j := range 3 {
			if math.IsNaN(c[i][j]) || math.IsInf(c[i][j], 0) {
				return false
			}
		}
	}
	return true
}

func finiteMat6(c mat6) bool {
	for i := range 6 {
		for j := range 6 {
			if math.IsNaN(c[i][j]) || math.IsInf(c[i][j], 0) {
				return false
			}
		}
	}
	return true
}

func finite3(v vec3) bool {
	return !math.IsNaN(v[0]) && !math.IsInf(v[0], 0) &&
		!math.IsNaN(v[1]) && !math.IsInf(v[1], 0) &&
		!math.IsNaN(v[2]) && !math.IsInf(v[2], 0)
}
