package sgp4

import (
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/timescale"
)

// Propagate evaluates the model tsinceMin minutes after epoch and returns the
// TEME position (km) and velocity (km/s). On failure both are zero and err is
// an *Error. It does not modify s and allocates nothing on success.
func (s *Satellite) Propagate(tsinceMin float64) (rTEMEKm, vTEMEKmS [3]float64, err error) {
	if s == nil {
		return [3]float64{}, [3]float64{}, &Error{Code: CodeInvalid, TsinceMin: tsinceMin, detail: "nil *Satellite"}
	}
	if code, val := s.propagate(tsinceMin, &rTEMEKm, &vTEMEKmS); code != CodeOK {
		return [3]float64{}, [3]float64{}, newError(code, s.cold.satnum, tsinceMin, val)
	}
	return rTEMEKm, vTEMEKmS, nil
}

// At is Propagate at the UTC instant t.
func (s *Satellite) At(t time.Time) (rTEMEKm, vTEMEKmS [3]float64, err error) {
	if s == nil {
		return s.Propagate(0)
	}
	return s.Propagate(TsinceMin(s.cold.epoch, t))
}

// TsinceMin returns the elapsed minutes from epoch to t, both UTC
// instants: the label difference plus the leap seconds inserted between
// them (timescale.Elapsed), since the satellite moves on through a
// leap second (without it a LEO state is 7.5 km along-track off across
// one). It keeps the nanoseconds of both and saturates beyond about
// ±292 years.
func TsinceMin(epoch, t time.Time) float64 {
	d := timescale.Elapsed(epoch, t)
	return float64(d/time.Minute) + float64(d%time.Minute)/float64(time.Minute)
}

// propagate is Vallado's sgp4. It returns the error code with the offending
// value; r and v hold the state only when the code is CodeOK.
func (s *Satellite) propagate(t float64, r, v *[3]float64) (ErrorCode, float64) {
	if !(math.Abs(t) <= MaxTsinceMin) { // also refuses NaN
		return CodeInvalid, t
	}

	// ------- secular gravity and atmospheric drag -------
	xmdf := s.mo + s.mdot*t
	argpdf := s.argpo + s.argpdot*t
	nodedf := s.nodeo + s.nodedot*t
	argpm := argpdf
	mm := xmdf
	t2 := t * t
	nodem := nodedf + s.nodecf*t2
	tempa := 1.0 - s.cc1*t
	tempe := s.bcc4 * t
	templ := s.t2cof * t2
	if !s.isimp {
		delomg := s.omgcof * t
		sinxmdf, cosxmdf := math.Sincos(xmdf)
		delmtemp := 1.0 + s.eta*cosxmdf
		delm := s.xmcof * (delmtemp*delmtemp*delmtemp - s.delmo)
		temp := delomg + delm
		mm = xmdf + temp
		argpm = argpdf - temp
		t3 := t2 * t
		t4 := t3 * t
		tempa = tempa - s.d2*t2 - s.d3*t3 - s.d4*t4
		sinmm, _ := sincosAdd(sinxmdf, cosxmdf, temp) // sin(mm)
		tempe = tempe + s.bcc5*(sinmm-s.sinmao)
		templ = templ + s.t3cof*t3 + t4*(s.t4cof+t*s.t5cof)
	}

	var am, nm, em, inclm float64
	ds := s.ds
	if ds == nil {
		// nm is no, so pow(xke/nm, 2/3) is ao.
		em, inclm = s.ecco, s.inclo
		am = s.ao * tempa * tempa
	} else {
		m := meanElements{em: s.ecco, argpm: argpm, inclm: s.inclo, mm: mm, nodem: nodem, nm: s.no}
		ds.dspace(t, s.no, s.argpo, s.argpdot, &m)
		em, argpm, inclm, mm, nodem, nm = m.em, m.argpm, m.inclm, m.mm, m.nodem, m.nm
		if nm <= 0.0 {
			return CodeMeanMotion, nm
		}
		xkenm := s.xke / nm
		am = math.Cbrt(xkenm*xkenm) * tempa * tempa // pow(xke/nm, 2/3)
	}
	sqrtam := math.Sqrt(am)
	nm = s.xke / (am * sqrtam) // xke / pow(am, 1.5)
	em = em - tempe
	if em >= 1.0 || em < -0.001 {
		return CodeEccentricity, em
	}
	if em < 1.0e-6 { // avoid a divide by zero
		em = 1.0e-6
	}
	mm = mm + s.no*templ
	xlm := mm + argpm + nodem
	nodem = fmod2pi(nodem)
	argpm = fmod2pi(argpm)
	xlm = fmod2pi(xlm)
	mm = fmod2pi(xlm - argpm - nodem)

	// ------- lunar-solar periodics -------
	ep, xincp, argpp, nodep, mp := em, inclm, argpm, nodem, mm
	sinip, cosip := s.sinio, s.cosio
	aycof, xlcof := s.aycof, s.xlcof
	con41, x1mth2, x7thm1 := s.con41, s.x1mth2, s.x7thm1
	if ds != nil {
		p := osculating{ep: ep, xincp: xincp, nodep: nodep, argpp: argpp, mp: mp}
		ds.dpper(t, &p)
		ep, xincp, nodep, argpp, mp = p.ep, p.xincp, p.nodep, p.argpp, p.mp
		if xincp < 0.0 {
			xincp = -xincp
			nodep = nodep + math.Pi
			argpp = argpp - math.Pi
		}
		if ep < 0.0 || ep > 1.0 {
			return CodePerturbedEccentricity, ep
		}
		// long-period and short-period coefficients at the perturbed inclination
		sinip, cosip = math.Sincos(xincp)
		aycof = -0.5 * s.j3oj2 * sinip
		if math.Abs(cosip+1.0) > 1.5e-12 {
			xlcof = -0.25 * s.j3oj2 * sinip * (3.0 + 5.0*cosip) / (1.0 + cosip)
		} else {
			xlcof = -0.25 * s.j3oj2 * sinip * (3.0 + 5.0*cosip) / temp4
		}
		cosisq := cosip * cosip
		con41 = 3.0*cosisq - 1.0
		x1mth2 = 1.0 - cosisq
		x7thm1 = 7.0*cosisq - 1.0
	}

	// ------- long-period periodics -------
	sinargpp, cosargpp := math.Sincos(argpp)
	axnl := ep * cosargpp
	temp := 1.0 / (am * (1.0 - ep*ep))
	aynl := ep*sinargpp + temp*aycof
	xl := mp + argpp + nodep + temp*xlcof*axnl

	// ------- Kepler's equation -------
	// Newton iterations as Vallado's (at most 10, stop below 1e-12, steps
	// clamped to 0.95), with sin and cos of the next iterate rotated from the
	// previous ones by the (small) step instead of evaluated afresh.
	u := fmod2pi(xl - nodep)
	eo1 := u
	sineo1, coseo1 := math.Sincos(eo1)
	for ktr := 1; ; ktr++ {
		tem5 := 1.0 - coseo1*axnl - sineo1*aynl
		tem5 = (u - aynl*coseo1 + axnl*sineo1 - eo1) / tem5
		if math.Abs(tem5) >= 0.95 {
			if tem5 > 0.0 {
				tem5 = 0.95
			} else {
				tem5 = -0.95
			}
		}
		eo1 = eo1 + tem5
		if math.Abs(tem5) < 1.0e-12 || ktr >= 10 || tem5 != tem5 {
			break // sineo1, coseo1 stay those of the previous iterate, as in Vallado's loop
		}
		if math.Abs(tem5) < smallAngle {
			sineo1, coseo1 = sincosAdd(sineo1, coseo1, tem5)
		} else {
			sineo1, coseo1 = math.Sincos(eo1)
		}
	}

	// ------- short-period preliminary quantities -------
	ecose := axnl*coseo1 + aynl*sineo1
	esine := axnl*sineo1 - aynl*coseo1
	el2 := axnl*axnl + aynl*aynl
	pl := am * (1.0 - el2)
	if pl < 0.0 {
		return CodeSemiLatusRectum, pl
	}
	rl := am * (1.0 - ecose)
	invrl := 1.0 / rl
	rdotl := sqrtam * esine * invrl
	rvdotl := math.Sqrt(pl) * invrl
	betal := math.Sqrt(1.0 - el2)
	temp = esine / (1.0 + betal)
	amrl := am * invrl
	sinu := amrl * (sineo1 - aynl - axnl*temp)
	cosu := amrl * (coseo1 - axnl + aynl*temp)
	sin2u := (cosu + cosu) * sinu
	cos2u := 1.0 - 2.0*sinu*sinu
	temp = 1.0 / pl
	temp1 := s.j2h * temp
	temp2 := temp1 * temp

	// ------- short-period periodics -------
	// su = atan2(sinu, cosu) + dsu, xinc = xincp + dinc: both corrections are
	// small, so their sines and cosines come from rotating known ones.
	mrt := rl*(1.0-1.5*temp2*betal*con41) + 0.5*temp1*x1mth2*cos2u
	dsu := -0.25 * temp2 * x7thm1 * sin2u
	xnode := nodep + 1.5*temp2*cosip*sin2u
	dinc := 1.5 * temp2 * cosip * sinip * cos2u
	mvt := rdotl - nm*temp1*x1mth2*sin2u*s.invxke
	rvdot := rvdotl + nm*temp1*(x1mth2*cos2u+1.5*con41)*s.invxke

	// ------- orientation vectors -------
	invu := 1.0 / math.Sqrt(sinu*sinu+cosu*cosu)
	sinsu, cossu := sincosAdd(sinu*invu, cosu*invu, dsu)
	snod, cnod := math.Sincos(xnode)
	sini, cosi := sincosAdd(sinip, cosip, dinc)
	xmx := -snod * cosi
	xmy := cnod * cosi
	ux := xmx*sinsu + cnod*cossu
	uy := xmy*sinsu + snod*cossu
	uz := sini * sinsu
	vx := xmx*cossu - cnod*sinsu
	vy := xmy*cossu - snod*sinsu
	vz := sini * cossu

	if !(mrt >= 1.0) { // decayed (NaN lands here too)
		if mrt != mrt {
			return CodeInvalid, mrt
		}
		return CodeDecayed, mrt
	}
	re, vk := s.radiusearthkm, s.vkmpersec
	r[0] = (mrt * ux) * re
	r[1] = (mrt * uy) * re
	r[2] = (mrt * uz) * re
	v[0] = (mvt*ux + rvdot*vx) * vk
	v[1] = (mvt*uy + rvdot*vy) * vk
	v[2] = (mvt*uz + rvdot*vz) * vk
	if f := r[0] + r[1] + r[2] + v[0] + v[1] + v[2]; f-f != 0 { // NaN or Inf
		return CodeInvalid, f
	}
	return CodeOK, 0
}

// smallAngle bounds the angles sincosAdd expands in series.
const smallAngle = 0.0625

// sincosAdd returns sin(a+d) and cos(a+d) from sa = sin(a) and ca = cos(a).
// For |d| < smallAngle it uses Taylor series to d^10 (truncation below
// 1e-20), otherwise math.Sincos(d).
func sincosAdd(sa, ca, d float64) (float64, float64) {
	if !(math.Abs(d) < smallAngle) {
		sd, cd := math.Sincos(d)
		return sa*cd + ca*sd, ca*cd - sa*sd
	}
	d2 := d * d
	sd := d + d*d2*(-1.0/6+d2*(1.0/120+d2*(-1.0/5040+d2*(1.0/362880))))               // sin d
	cm1 := d2 * (-1.0/2 + d2*(1.0/24+d2*(-1.0/720+d2*(1.0/40320+d2*(-1.0/3628800))))) // cos d - 1
	return sa + (sa*cm1 + ca*sd), ca + (ca*cm1 - sa*sd)
}

// fmod2pi is C's fmod(x, 2pi) (the result has the sign of x) to within a
// few ulp of x, much faster than math.Mod.
func fmod2pi(x float64) float64 {
	return x - twopi*math.Trunc(x*(1.0/twopi))
}
