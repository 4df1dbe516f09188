package sgp4

import "math"

// Deep-space (SDP4) initialisation: Vallado's dscom and dsinit, and the
// sidereal time at epoch. Vallado's variable names are kept.

// deepSpace holds what the deep-space propagation reads.
type deepSpace struct {
	// Lunar-solar long-period periodic coefficients (dscom), read by dpper.
	// Vallado's peo, pinco, plo, pgho and pho are always zero in the 2006+
	// code and are left out.
	e3, ee2, se2, se3, sgh2, sgh3, sgh4, sh2, sh3, si2, si3, sl2, sl3, sl4 float64
	xgh2, xgh3, xgh4, xh2, xh3, xi2, xi3, xl2, xl3, xl4, zmol, zmos        float64

	// Lunar-solar secular rates (dsinit).
	dedt, didt, dmdt, dnodt, domdt float64

	// Resonance (dsinit): irez 0 none, 1 synchronous (24 h), 2 half-day (12 h).
	irez                                                                 int8
	afspc                                                                bool // opsmode 'a'
	d2201, d2211, d3210, d3222, d4410, d4422, d5220, d5232, d5421, d5433 float64
	del1, del2, del3, xfact, xlamo, gsto                                 float64
}

// gstime is Vallado's Greenwich mean sidereal time (IAU 1982) in radians at
// the UT1 Julian date jdut1.
func gstime(jdut1 float64) float64 {
	tut1 := (jdut1 - 2451545.0) / 36525.0 // centuries from J2000
	temp := -6.2e-6*tut1*tut1*tut1 + 0.093104*tut1*tut1 +
		(876600.0*3600+8640184.812866)*tut1 + 67310.54841 // seconds
	temp = math.Mod(temp*deg2rd/240.0, twopi) // 360/86400 = 1/240
	if temp < 0.0 {
		temp += twopi
	}
	return temp
}

// gstime70 is the sidereal time at epoch (days since 1949-12-31 00:00) of
// the AFSPC code (opsmode 'a'), counted from 1970 January 0.
func gstime70(epoch float64) float64 {
	const (
		c1     = 1.72027916940703639e-2
		thgr70 = 1.7321343856509374
		fk5r   = 5.07551419432269442e-15
		c1p2p  = c1 + twopi
	)
	ts70 := epoch - 7305.0
	ds70 := math.Floor(ts70 + 1.0e-8)
	tfrac := ts70 - ds70
	gsto := math.Mod(thgr70+c1*ds70+c1p2p*tfrac+ts70*ts70*fk5r, twopi)
	if gsto < 0.0 {
		gsto += twopi
	}
	return gsto
}

// body is one disturbing body's contribution in dscom (solar: ss*, sz*;
// lunar: s*, z*).
type body struct {
	s1, s2, s3, s4, s5, s6, s7                              float64
	z1, z2, z3, z11, z12, z13, z21, z22, z23, z31, z32, z33 float64
}

// dscomBody evaluates one pass of dscom's solar/lunar loop for a body whose
// orbit orientation is given by (zcosg, zsing, zcosi, zsini, zcosh, zsinh)
// and whose coefficient is cc.
func dscomBody(zcosg, zsing, zcosi, zsini, zcosh, zsinh, cc,
	cosim, sinim, cosomm, sinomm, emsq, betasq, rtemsq, em, xnoi float64) body {
	var b body
	a1 := zcosg*zcosh + zsing*zcosi*zsinh
	a3 := -zsing*zcosh + zcosg*zcosi*zsinh
	a7 := -zcosg*zsinh + zsing*zcosi*zcosh
	a8 := zsing * zsini
	a9 := zsing*zsinh + zcosg*zcosi*zcosh
	a10 := zcosg * zsini
	a2 := cosim*a7 + sinim*a8
	a4 := cosim*a9 + sinim*a10
	a5 := -sinim*a7 + cosim*a8
	a6 := -sinim*a9 + cosim*a10

	x1 := a1*cosomm + a2*sinomm
	x2 := a3*cosomm + a4*sinomm
	x3 := -a1*sinomm + a2*cosomm
	x4 := -a3*sinomm + a4*cosomm
	x5 := a5 * sinomm
	x6 := a6 * sinomm
	x7 := a5 * cosomm
	x8 := a6 * cosomm

	b.z31 = 12.0*x1*x1 - 3.0*x3*x3
	b.z32 = 24.0*x1*x2 - 6.0*x3*x4
	b.z33 = 12.0*x2*x2 - 3.0*x4*x4
	b.z1 = 3.0*(a1*a1+a2*a2) + b.z31*emsq
	b.z2 = 6.0*(a1*a3+a2*a4) + b.z32*emsq
	b.z3 = 3.0*(a3*a3+a4*a4) + b.z33*emsq
	b.z11 = -6.0*a1*a5 + emsq*(-24.0*x1*x7-6.0*x3*x5)
	b.z12 = -6.0*(a1*a6+a3*a5) + emsq*(-24.0*(x2*x7+x1*x8)-6.0*(x3*x6+x4*x5))
	b.z13 = -6.0*a3*a6 + emsq*(-24.0*x2*x8-6.0*x4*x6)
	b.z21 = 6.0*a2*a5 + emsq*(24.0*x1*x5-6.0*x3*x7)
	b.z22 = 6.0*(a4*a5+a2*a6) + emsq*(24.0*(x2*x5+x1*x6)-6.0*(x4*x7+x3*x8))
	b.z23 = 6.0*a4*a6 + emsq*(24.0*x2*x6-6.0*x4*x8)
	b.z1 = b.z1 + b.z1 + betasq*b.z31
	b.z2 = b.z2 + b.z2 + betasq*b.z32
	b.z3 = b.z3 + b.z3 + betasq*b.z33
	b.s3 = cc * xnoi
	b.s2 = -0.5 * b.s3 / rtemsq
	b.s4 = b.s3 * rtemsq
	b.s1 = -15.0 * em * b.s4
	b.s5 = x1*x3 + x2*x4
	b.s6 = x2*x3 + x1*x4
	b.s7 = x2*x4 - x1*x3
	return b
}

// newDeepSpace runs dscom and dsinit at epoch (tc = 0) for the mean elements
// e with un-Kozai'd mean motion no and the near-earth secular rates.
func newDeepSpace(xke float64, ops OpsMode, epoch float64, e el,
	no, eccsq, mdot, nodedot, xpidot float64) *deepSpace {
	ds := &deepSpace{afspc: ops == OpsAFSPC}
	if ds.afspc {
		ds.gsto = gstime70(epoch)
	} else {
		ds.gsto = gstime(epoch + 2433281.5)
	}

	// ------------------------------- dscom -------------------------------
	const (
		zes    = 0.01675
		zel    = 0.05490
		c1ss   = 2.9864797e-6
		c1l    = 4.7968065e-7
		zsinis = 0.39785416
		zcosis = 0.91744867
		zcosgs = 0.1945905
		zsings = -0.98088458
	)
	nm := no
	em := e.ecco
	snodm, cnodm := math.Sincos(e.nodeo)
	sinomm, cosomm := math.Sincos(e.argpo)
	sinim, cosim := math.Sincos(e.inclo)
	emsq := em * em
	betasq := 1.0 - emsq
	rtemsq := math.Sqrt(betasq)

	day := epoch + 18261.5 // days since 1900 Jan 0.5 (tc = 0)
	xnodce := math.Mod(4.5236020-9.2422029e-4*day, twopi)
	stem, ctem := math.Sincos(xnodce)
	zcosil := 0.91375164 - 0.03568096*ctem
	zsinil := math.Sqrt(1.0 - zcosil*zcosil)
	zsinhl := 0.089683511 * stem / zsinil
	zcoshl := math.Sqrt(1.0 - zsinhl*zsinhl)
	gam := 5.8351514 + 0.0019443680*day
	zx := 0.39785416 * stem / zsinil
	zy := zcoshl*ctem + 0.91744867*zsinhl*stem
	zx = math.Atan2(zx, zy)
	zx = gam + zx - xnodce
	zsingl, zcosgl := math.Sincos(zx)

	xnoi := 1.0 / nm
	sol := dscomBody(zcosgs, zsings, zcosis, zsinis, cnodm, snodm, c1ss,
		cosim, sinim, cosomm, sinomm, emsq, betasq, rtemsq, em, xnoi)
	lun := dscomBody(zcosgl, zsingl, zcosil, zsinil,
		zcoshl*cnodm+zsinhl*snodm, snodm*zcoshl-cnodm*zsinhl, c1l,
		cosim, sinim, cosomm, sinomm, emsq, betasq, rtemsq, em, xnoi)

	ds.zmol = math.Mod(4.7199672+0.22997150*day-gam, twopi)
	ds.zmos = math.Mod(6.2565837+0.017201977*day, twopi)

	// solar terms
	ds.se2 = 2.0 * sol.s1 * sol.s6
	ds.se3 = 2.0 * sol.s1 * sol.s7
	ds.si2 = 2.0 * sol.s2 * sol.z12
	ds.si3 = 2.0 * sol.s2 * (sol.z13 - sol.z11)
	ds.sl2 = -2.0 * sol.s3 * sol.z2
	ds.sl3 = -2.0 * sol.s3 * (sol.z3 - sol.z1)
	ds.sl4 = -2.0 * sol.s3 * (-21.0 - 9.0*emsq) * zes
	ds.sgh2 = 2.0 * sol.s4 * sol.z32
	ds.sgh3 = 2.0 * sol.s4 * (sol.z33 - sol.z31)
	ds.sgh4 = -18.0 * sol.s4 * zes
	ds.sh2 = -2.0 * sol.s2 * sol.z22
	ds.sh3 = -2.0 * sol.s2 * (sol.z23 - sol.z21)
	// lunar terms
	ds.ee2 = 2.0 * lun.s1 * lun.s6
	ds.e3 = 2.0 * lun.s1 * lun.s7
	ds.xi2 = 2.0 * lun.s2 * lun.z12
	ds.xi3 = 2.0 * lun.s2 * (lun.z13 - lun.z11)
	ds.xl2 = -2.0 * lun.s3 * lun.z2
	ds.xl3 = -2.0 * lun.s3 * (lun.z3 - lun.z1)
	ds.xl4 = -2.0 * lun.s3 * (-21.0 - 9.0*emsq) * zel
	ds.xgh2 = 2.0 * lun.s4 * lun.z32
	ds.xgh3 = 2.0 * lun.s4 * (lun.z33 - lun.z31)
	ds.xgh4 = -18.0 * lun.s4 * zel
	ds.xh2 = -2.0 * lun.s2 * lun.z22
	ds.xh3 = -2.0 * lun.s2 * (lun.z23 - lun.z21)

	// (sgp4init's dpper call with init = 'y' changes nothing and is skipped.)

	// ------------------------------- dsinit ------------------------------
	const (
		q22    = 1.7891679e-6
		q31    = 2.1460748e-6
		q33    = 2.2123015e-7
		root22 = 1.7891679e-6
		root44 = 7.3636953e-9
		root54 = 2.1765803e-9
		rptim  = 4.37526908801129966e-3 // earth rotation, rad/min
		root32 = 3.7393792e-7
		root52 = 1.1428639e-7
		znl    = 1.5835218e-4
		zns    = 1.19459e-5
	)
	inclm := e.inclo

	if nm < 0.0052359877 && nm > 0.0034906585 {
		ds.irez = 1
	}
	if nm >= 8.26e-3 && nm <= 9.24e-3 && em >= 0.5 {
		ds.irez = 2
	}

	// solar secular terms
	ses := sol.s1 * zns * sol.s5
	sis := sol.s2 * zns * (sol.z11 + sol.z13)
	sls := -zns * sol.s3 * (sol.z1 + sol.z3 - 14.0 - 6.0*emsq)
	sghs := sol.s4 * zns * (sol.z31 + sol.z33 - 6.0)
	shs := -zns * sol.s2 * (sol.z21 + sol.z23)
	if inclm < 5.2359877e-2 || inclm > math.Pi-5.2359877e-2 { // near 0 or 180 deg
		shs = 0.0
	}
	if sinim != 0.0 {
		shs = shs / sinim
	}
	sgs := sghs - cosim*shs

	// lunar secular terms
	ds.dedt = ses + lun.s1*znl*lun.s5
	ds.didt = sis + lun.s2*znl*(lun.z11+lun.z13)
	ds.dmdt = sls - znl*lun.s3*(lun.z1+lun.z3-14.0-6.0*emsq)
	sghl := lun.s4 * znl * (lun.z31 + lun.z33 - 6.0)
	shll := -znl * lun.s2 * (lun.z21 + lun.z23)
	if inclm < 5.2359877e-2 || inclm > math.Pi-5.2359877e-2 {
		shll = 0.0
	}
	ds.domdt = sgs + sghl
	ds.dnodt = shs
	if sinim != 0.0 {
		ds.domdt = ds.domdt - cosim/sinim*shll
		ds.dnodt = ds.dnodt + shll/sinim
	}

	// resonance terms (dsinit's secular updates at t = 0 change nothing)
	if ds.irez == 0 {
		return ds
	}
	theta := math.Mod(ds.gsto, twopi) // gsto + tc*rptim with tc = 0
	aonv := math.Pow(nm/xke, x2o3)

	if ds.irez == 2 { // geopotential resonance for 12-hour orbits
		cosisq := cosim * cosim
		em := e.ecco
		emsq := eccsq
		eoc := em * emsq
		g201 := -0.306 - (em-0.64)*0.440
		var g211, g310, g322, g410, g422, g520, g521, g532, g533 float64
		if em <= 0.65 {
			g211 = 3.616 - 13.2470*em + 16.2900*emsq
			g310 = -19.302 + 117.3900*em - 228.4190*emsq + 156.5910*eoc
			g322 = -18.9068 + 109.7927*em - 214.6334*emsq + 146.5816*eoc
			g410 = -41.122 + 242.6940*em - 471.0940*emsq + 313.9530*eoc
			g422 = -146.407 + 841.8800*em - 1629.014*emsq + 1083.4350*eoc
			g520 = -532.114 + 3017.977*em - 5740.032*emsq + 3708.2760*eoc
		} else {
			g211 = -72.099 + 331.819*em - 508.738*emsq + 266.724*eoc
			g310 = -346.844 + 1582.851*em - 2415.925*emsq + 1246.113*eoc
			g322 = -342.585 + 1554.908*em - 2366.899*emsq + 1215.972*eoc
			g410 = -1052.797 + 4758.686*em - 7193.992*emsq + 3651.957*eoc
			g422 = -3581.690 + 16178.110*em - 24462.770*emsq + 12422.520*eoc
			if em > 0.715 {
				g520 = -5149.66 + 29936.92*em - 54087.36*emsq + 31324.56*eoc
			} else {
				g520 = 1464.74 - 4664.75*em + 3763.64*emsq
			}
		}
		if em < 0.7 {
			g533 = -919.22770 + 4988.6100*em - 9064.7700*emsq + 5542.21*eoc
			g521 = -822.71072 + 4568.6173*em - 8491.4146*emsq + 5337.524*eoc
			g532 = -853.66600 + 4690.2500*em - 8624.7700*emsq + 5341.4*eoc
		} else {
			g533 = -37995.780 + 161616.52*em - 229838.20*emsq + 109377.94*eoc
			g521 = -51752.104 + 218913.95*em - 309468.16*emsq + 146349.42*eoc
			g532 = -40023.880 + 170470.89*em - 242699.48*emsq + 115605.82*eoc
		}
		sini2 := sinim * sinim
		f220 := 0.75 * (1.0 + 2.0*cosim + cosisq)
		f221 := 1.5 * sini2
		f321 := 1.875 * sinim * (1.0 - 2.0*cosim - 3.0*cosisq)
		f322 := -1.875 * sinim * (1.0 + 2.0*cosim - 3.0*cosisq)
		f441 := 35.0 * sini2 * f220
		f442 := 39.3750 * sini2 * sini2
		f522 := 9.84375 * sinim * (sini2*(1.0-2.0*cosim-5.0*cosisq) +
			0.33333333*(-2.0+4.0*cosim+6.0*cosisq))
		f523 := sinim * (4.92187512*sini2*(-2.0-4.0*cosim+10.0*cosisq) +
			6.56250012*(1.0+2.0*cosim-3.0*cosisq))
		f542 := 29.53125 * sinim * (2.0 - 8.0*cosim + cosisq*(-12.0+8.0*cosim+10.0*cosisq))
		f543 := 29.53125 * sinim * (-2.0 - 8.0*cosim + cosisq*(12.0+8.0*cosim-10.0*cosisq))
		xno2 := nm * nm
		ainv2 := aonv * aonv
		temp1 := 3.0 * xno2 * ainv2
		temp := temp1 * root22
		ds.d2201 = temp * f220 * g201
		ds.d2211 = temp * f221 * g211
		temp1 = temp1 * aonv
		temp = temp1 * root32
		ds.d3210 = temp * f321 * g310
		ds.d3222 = temp * f322 * g322
		temp1 = temp1 * aonv
		temp = 2.0 * temp1 * root44
		ds.d4410 = temp * f441 * g410
		ds.d4422 = temp * f442 * g422
		temp1 = temp1 * aonv
		temp = temp1 * root52
		ds.d5220 = temp * f522 * g520
		ds.d5232 = temp * f523 * g532
		temp = 2.0 * temp1 * root54
		ds.d5421 = temp * f542 * g521
		ds.d5433 = temp * f543 * g533
		ds.xlamo = math.Mod(e.mo+e.nodeo+e.nodeo-theta-theta, twopi)
		ds.xfact = mdot + ds.dmdt + 2.0*(nodedot+ds.dnodt-rptim) - no
	}

	if ds.irez == 1 { // synchronous resonance terms
		g200 := 1.0 + emsq*(-2.5+0.8125*emsq)
		g310 := 1.0 + 2.0*emsq
		g300 := 1.0 + emsq*(-6.0+6.60937*emsq)
		f220 := 0.75 * (1.0 + cosim) * (1.0 + cosim)
		f311 := 0.9375*sinim*sinim*(1.0+3.0*cosim) - 0.75*(1.0+cosim)
		f330 := 1.0 + cosim
		f330 = 1.875 * f330 * f330 * f330
		del1 := 3.0 * nm * nm * aonv * aonv
		ds.del2 = 2.0 * del1 * f220 * g200 * q22
		ds.del3 = 3.0 * del1 * f330 * g300 * q33 * aonv
		ds.del1 = del1 * f311 * g310 * q31 * aonv
		ds.xlamo = math.Mod(e.mo+e.nodeo+e.argpo-theta, twopi)
		ds.xfact = mdot + xpidot - rptim + ds.dmdt + ds.domdt + ds.dnodt - no
	}
	return ds
}
