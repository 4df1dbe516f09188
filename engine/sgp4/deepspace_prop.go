package sgp4

import "math"

// Deep-space (SDP4) propagation: Vallado's dspace (secular lunar-solar
// effects and the resonance integrator) and dpper (lunar-solar long-period
// periodics). Vallado's variable names are kept.

// meanElements are the mean elements handed between the propagation steps.
type meanElements struct {
	em, argpm, inclm, mm, nodem, nm float64
}

// dspace applies the lunar-solar secular rates and, for resonant orbits,
// integrates the resonance from epoch to t with 720-min Euler-Maclaurin steps
// (restarting from epoch on every call keeps the Satellite immutable; the
// fixed step grid makes the result the same as Vallado's stored-state
// continuation). no is the un-Kozai'd mean motion, argpo and argpdot the
// epoch argument of perigee and its rate.
func (ds *deepSpace) dspace(t, no, argpo, argpdot float64, m *meanElements) {
	const (
		fasx2 = 0.13130908
		fasx4 = 2.8843198
		fasx6 = 0.37448087
		g22   = 5.7686396
		g32   = 0.95240898
		g44   = 1.8014998
		g52   = 1.0508330
		g54   = 4.4108898
		rptim = 4.37526908801129966e-3 // earth rotation, rad/min
		stepp = 720.0
		stepn = -720.0
		step2 = 259200.0
	)
	m.em += ds.dedt * t
	m.inclm += ds.didt * t
	m.argpm += ds.domdt * t
	m.nodem += ds.dnodt * t
	m.mm += ds.dmdt * t
	if ds.irez == 0 {
		return
	}
	theta := math.Mod(ds.gsto+t*rptim, twopi)

	atime, xni, xli := 0.0, no, ds.xlamo
	delt := stepn
	if t > 0.0 {
		delt = stepp
	}
	var xndt, xldot, xnddt, ft float64
	for {
		if ds.irez != 2 { // near-synchronous resonance terms
			s1, c1 := math.Sincos(xli - fasx2)
			s2, c2 := math.Sincos(2.0 * (xli - fasx4))
			s3, c3 := math.Sincos(3.0 * (xli - fasx6))
			xndt = ds.del1*s1 + ds.del2*s2 + ds.del3*s3
			xldot = xni + ds.xfact
			xnddt = ds.del1*c1 + 2.0*ds.del2*c2 + 3.0*ds.del3*c3
			xnddt = xnddt * xldot
		} else { // near half-day resonance terms
			xomi := argpo + argpdot*atime
			x2omi := xomi + xomi
			x2li := xli + xli
			s2201, c2201 := math.Sincos(x2omi + xli - g22)
			s2211, c2211 := math.Sincos(xli - g22)
			s3210, c3210 := math.Sincos(xomi + xli - g32)
			s3222, c3222 := math.Sincos(-xomi + xli - g32)
			s4410, c4410 := math.Sincos(x2omi + x2li - g44)
			s4422, c4422 := math.Sincos(x2li - g44)
			s5220, c5220 := math.Sincos(xomi + xli - g52)
			s5232, c5232 := math.Sincos(-xomi + xli - g52)
			s5421, c5421 := math.Sincos(xomi + x2li - g54)
			s5433, c5433 := math.Sincos(-xomi + x2li - g54)
			xndt = ds.d2201*s2201 + ds.d2211*s2211 +
				ds.d3210*s3210 + ds.d3222*s3222 +
				ds.d4410*s4410 + ds.d4422*s4422 +
				ds.d5220*s5220 + ds.d5232*s5232 +
				ds.d5421*s5421 + ds.d5433*s5433
			xldot = xni + ds.xfact
			xnddt = ds.d2201*c2201 + ds.d2211*c2211 +
				ds.d3210*c3210 + ds.d3222*c3222 +
				ds.d5220*c5220 + ds.d5232*c5232 +
				2.0*(ds.d4410*c4410+ds.d4422*c4422+
					ds.d5421*c5421+ds.d5433*c5433)
			xnddt = xnddt * xldot
		}
		if math.Abs(t-atime) < stepp {
			ft = t - atime
			break
		}
		xli = xli + xldot*delt + xndt*step2
		xni = xni + xndt*delt + xnddt*step2
		atime = atime + delt
	}
	nm := xni + xndt*ft + xnddt*ft*ft*0.5
	xl := xli + xldot*ft + xndt*ft*ft*0.5
	if ds.irez != 1 {
		m.mm = xl - 2.0*m.nodem + 2.0*theta
	} else {
		m.mm = xl - m.nodem - m.argpm + theta
	}
	dndt := nm - no
	m.nm = no + dndt
}

// osculating are the elements after the long-period periodics.
type osculating struct {
	ep, xincp, nodep, argpp, mp float64
}

// dpper adds the lunar-solar long-period periodics at time t to p (Vallado's
// dpper with init = 'n'), with the Lyddane modification below 0.2 rad of
// perturbed inclination.
func (ds *deepSpace) dpper(t float64, p *osculating) {
	const (
		zns = 1.19459e-5
		zes = 0.01675
		znl = 1.5835218e-4
		zel = 0.05490
	)
	// solar
	zm := ds.zmos + zns*t
	zf := zm + 2.0*zes*math.Sin(zm)
	sinzf, coszf := math.Sincos(zf)
	f2 := 0.5*sinzf*sinzf - 0.25
	f3 := -0.5 * sinzf * coszf
	ses := ds.se2*f2 + ds.se3*f3
	sis := ds.si2*f2 + ds.si3*f3
	sls := ds.sl2*f2 + ds.sl3*f3 + ds.sl4*sinzf
	sghs := ds.sgh2*f2 + ds.sgh3*f3 + ds.sgh4*sinzf
	shs := ds.sh2*f2 + ds.sh3*f3
	// lunar
	zm = ds.zmol + znl*t
	zf = zm + 2.0*zel*math.Sin(zm)
	sinzf, coszf = math.Sincos(zf)
	f2 = 0.5*sinzf*sinzf - 0.25
	f3 = -0.5 * sinzf * coszf
	sel := ds.ee2*f2 + ds.e3*f3
	sil := ds.xi2*f2 + ds.xi3*f3
	sll := ds.xl2*f2 + ds.xl3*f3 + ds.xl4*sinzf
	sghl := ds.xgh2*f2 + ds.xgh3*f3 + ds.xgh4*sinzf
	shll := ds.xh2*f2 + ds.xh3*f3

	pe := ses + sel
	pinc := sis + sil
	pl := sls + sll
	pgh := sghs + sghl
	ph := shs + shll

	p.xincp += pinc
	p.ep += pe
	sinip, cosip := math.Sincos(p.xincp)

	// Vallado's "Lyddane choice": the perturbed inclination (GSFC) decides.
	if p.xincp >= 0.2 {
		ph = ph / sinip
		pgh = pgh - cosip*ph
		p.argpp += pgh
		p.nodep += ph
		p.mp += pl
		return
	}
	// apply periodics with the Lyddane modification
	sinop, cosop := math.Sincos(p.nodep)
	alfdp := sinip * sinop
	betdp := sinip * cosop
	dalf := ph*cosop + pinc*cosip*sinop
	dbet := -ph*sinop + pinc*cosip*cosop
	alfdp = alfdp + dalf
	betdp = betdp + dbet
	nodep := math.Mod(p.nodep, twopi)
	// afspc-written intrinsics: node used without a trigonometric function
	if nodep < 0.0 && ds.afspc {
		nodep = nodep + twopi
	}
	xls := p.mp + p.argpp + cosip*nodep
	dls := pl + pgh - pinc*nodep*sinip
	xls = xls + dls
	xnoh := nodep
	nodep = math.Atan2(alfdp, betdp)
	if nodep < 0.0 && ds.afspc {
		nodep = nodep + twopi
	}
	if math.Abs(xnoh-nodep) > math.Pi {
		if nodep < xnoh {
			nodep = nodep + twopi
		} else {
			nodep = nodep - twopi
		}
	}
	p.mp += pl
	p.nodep = nodep
	p.argpp = xls - p.mp - cosip*nodep
}
