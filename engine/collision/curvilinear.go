package collision

import "math"

// Curvilinear part of the 2D usage check.
//
// Following the idea of CARA's UsageViolationPc2D (curvilinear Q function),
// the modified Mahalanobis distance
//
//	Q(t) = Δr(t)ᵀ A(t)⁻¹ Δr(t) + ln det A(t)
//
// is evaluated along the two-body trajectories of both objects, with
// A(t) = P1,rr(t) + P2,rr(t) the relative position covariance at time t
// obtained by propagating each 6x6 covariance with its two-body
// state-transition matrix (central finite differences of the f-and-g
// propagation). Its minimum is located by descending from the rectilinear
// minimum time, then bracketed and refined by golden-section search. The
// minimum time Tc, the time width σc = √(2/Q''(Tc)) and the relative speed
// there replace the rectilinear values in the Extended/Offset indicators,
// and
//
//	ln F = ln(σc/σr) + ln(Vc/Vr) + (Qr − Qc)/2
//
// estimates ln(Nc2D/Pc2D) in the small-HBR limit; Inaccurate = 1 − e^{−|ln F|}.
// Unlike CARA this propagates Cartesian (not equinoctial) covariances, so it
// does not see the curvature of very long in-track uncertainty regions.

// stmOrbits holds an orbit and the 12 orbits of its ± perturbed initial
// states, for finite-difference state-transition matrices.
type stmOrbits struct {
	nom  keplerOrbit
	pert [12]keplerOrbit
	step [6]float64
	dE   [13]keplerGuess // warm starts
	cov  mat6            // inertial covariance at t = 0 [m, m/s]
}

func newSTMOrbits(x [6]float64, cov mat6) (*stmOrbits, bool) {
	s := &stmOrbits{cov: cov}
	r := vec3{x[0], x[1], x[2]}
	v := vec3{x[3], x[4], x[5]}
	var ok bool
	if s.nom, ok = newKeplerOrbit(r, v); !ok {
		return nil, false
	}
	rs, vs := norm3(r), norm3(v)
	for i := range 6 {
		h := 1e-6 * rs
		if i >= 3 {
			h = 1e-6 * vs
		}
		s.step[i] = h
		for k, sign := range [2]float64{1, -1} {
			y := x
			y[i] += sign * h
			o, ok := newKeplerOrbit(vec3{y[0], y[1], y[2]}, vec3{y[3], y[4], y[5]})
			if !ok {
				return nil, false
			}
			s.pert[2*i+k] = o
		}
	}
	return s, true
}

// at returns position, velocity and the propagated position covariance
// P_rr(t) = Φ_r· C Φ_r·ᵀ at time t.
func (s *stmOrbits) at(t float64) (r, v vec3, prr mat3) {
	r, v, _ = s.nom.state(t, &s.dE[12])
	var phi [3][6]float64 // ∂r(t)/∂x(0)
	for i := range 6 {
		rp, _, _ := s.pert[2*i].state(t, &s.dE[2*i])
		rm, _, _ := s.pert[2*i+1].state(t, &s.dE[2*i+1])
		for k := range 3 {
			phi[k][i] = (rp[k] - rm[k]) / (2 * s.step[i])
		}
	}
	var tmp [3][6]float64
	for k := range 3 {
		for j := range 6 {
			sum := 0.0
			for i := range 6 {
				sum += phi[k][i] * s.cov[i][j]
			}
			tmp[k][j] = sum
		}
	}
	for k := range 3 {
		for l := range 3 {
			sum := 0.0
			for j := range 6 {
				sum += tmp[k][j] * phi[l][j]
			}
			prr[k][l] = sum
		}
	}
	return r, v, symmetrize3(prr)
}

// qFunction returns Q(t) for positions and covariance A, with A's
// eigenvalues clipped at clip.
func qFunction(dr vec3, a mat3, clip float64) float64 {
	vals, vecs := eig3Sym(a)
	q := 0.0
	for k := range 3 {
		l := vals[k]
		if !(l >= clip) {
			l = clip
		}
		p := vecs[0][k]*dr[0] + vecs[1][k]*dr[1] + vecs[2][k]*dr[2]
		q += p*p/l + math.Log(l)
	}
	return q
}

type curvilinearResult struct {
	converged bool
	extended  bool // Q not convex at its minimum or no minimum within ±Pmin/2
	t, sigma  float64
	q, speed  float64
}

// curvilinearMin locates the minimum of Q(t) within ±limit of t = 0 by
// descending from tStart with initial step h.
func curvilinearMin(s1, s2 *stmOrbits, clip, tStart, h, limit float64) curvilinearResult {
	q := func(t float64) float64 {
		r1, _, p1 := s1.at(t)
		r2, _, p2 := s2.at(t)
		return qFunction(sub3(r2, r1), addMat3(p1, p2), clip)
	}
	if !(h > 0) || !(limit > 0) {
		return curvilinearResult{}
	}
	h = math.Min(h, limit/4)
	clampT := func(t float64) float64 { return math.Max(-limit, math.Min(limit, t)) }
	t0 := clampT(tStart)
	f0 := q(t0)
	fp, fm := q(clampT(t0+h)), q(clampT(t0-h))
	// Bracket a minimum: x0 < x1 < x2 (in the search direction) with
	// f(x1) <= f(x0), f(x1) <= f(x2).
	var x0, x1, x2, f1 float64
	switch {
	case fp >= f0 && fm >= f0:
		x0, x1, x2, f1 = clampT(t0-h), t0, clampT(t0+h), f0
	default:
		dir := 1.0
		fn := fp
		if fm < fp {
			dir, fn = -1, fm
		}
		a, b, fb := t0, clampT(t0+dir*h), fn
		step := h
		for {
			step *= 2
			c := clampT(b + dir*step)
			fc := q(c)
			if fc >= fb {
				x0, x1, x2, f1 = a, b, c, fb
				break
			}
			if c == b || math.Abs(c) >= limit {
				// Still decreasing at the edge of the search range.
				return curvilinearResult{converged: true, extended: true, t: c, q: fc}
			}
			a, b, fb = b, c, fc
		}
		if x0 > x2 {
			x0, x2 = x2, x0
		}
	}
	// Golden-section refinement.
	const invPhi = 0.6180339887498949
	a, b := x0, x2
	c := b - invPhi*(b-a)
	d := a + invPhi*(b-a)
	fc, fd := q(c), q(d)
	tol := 1e-6 * math.Max(h, 1e-6)
	for i := 0; i < 200 && b-a > tol; i++ {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - invPhi*(b-a)
			fc = q(c)
		} else {
			a, c, fc = c, d, fd
			d = a + invPhi*(b-a)
			fd = q(d)
		}
	}
	tMin, fMin := x1, f1
	if fc < fMin {
		tMin, fMin = c, fc
	}
	if fd < fMin {
		tMin, fMin = d, fd
	}
	// Curvature: second difference with a step near the time sigma.
	hc := h
	var qdd float64
	for range 3 {
		qdd = (q(tMin+hc) - 2*fMin + q(tMin-hc)) / (hc * hc)
		if !(qdd > 0) {
			return curvilinearResult{converged: true, extended: true, t: tMin, q: fMin}
		}
		hc = math.Min(math.Sqrt(2/qdd), limit/4)
	}
	_, v1, _ := s1.at(tMin)
	_, v2, _ := s2.at(tMin)
	return curvilinearResult{
		converged: true,
		t:         tMin,
		sigma:     math.Sqrt(2 / qdd),
		q:         fMin,
		speed:     norm3(sub3(v2, v1)),
	}
}
