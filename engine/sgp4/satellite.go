package sgp4

import (
	"fmt"
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// MaxTsinceMin bounds |tsince| (about 190 years): beyond it Propagate returns
// CodeInvalid. SGP4 means nothing there, and the deep-space resonance
// integrator's cost grows with |tsince|.
const MaxTsinceMin = 1e8

const (
	twopi  = 2.0 * math.Pi
	x2o3   = 2.0 / 3.0
	deg2rd = math.Pi / 180.0
	xpdotp = 1440.0 / (2.0 * math.Pi) // rev/day per rad/min
	temp4  = 1.5e-12                  // Vallado's divisor guard near 180 deg inclination
)

// Satellite is one initialised element set. It is immutable after New and
// safe for concurrent use.
//
// Field order puts what the near-earth propagation reads first so that it
// spans few cache lines; deep-space data sit behind ds.
type Satellite struct {
	// Secular gravity and drag (sgp4init names; no is the un-Kozai'd mean
	// motion, rad/min; bcc4 = bstar*cc4, bcc5 = bstar*cc5).
	mo, mdot, argpo, argpdot, nodeo, nodedot, nodecf float64
	cc1, bcc4, t2cof                                 float64
	omgcof, eta, xmcof, delmo, bcc5, sinmao          float64
	d2, d3, d4, t3cof, t4cof, t5cof                  float64
	no, ecco, inclo, ao, sinio, cosio                float64

	// Long- and short-period coefficients at the epoch inclination.
	aycof, xlcof, con41, x1mth2, x7thm1 float64

	// Earth constants: j2h = j2/2, xke, 1/xke, earth radius (km), and
	// earth radii per minute to km/s.
	j2h, xke, invxke, radiusearthkm, vkmpersec, j3oj2 float64

	isimp bool        // simplified drag (perigee < 220 km, and all deep-space)
	ds    *deepSpace  // nil for near-earth (period < 225 min)
	cold  satelliteID // not read by Propagate
}

type satelliteID struct {
	epoch   time.Time
	satnum  int
	gravity Gravity
	opsMode OpsMode
}

// Epoch is the element set's epoch (UTC).
func (s *Satellite) Epoch() time.Time { return s.cold.epoch }

// CatalogNumber is the element set's NORAD/SATCAT number.
func (s *Satellite) CatalogNumber() int { return s.cold.satnum }

// DeepSpace reports whether SDP4 (period of 225 min or more) is in use.
func (s *Satellite) DeepSpace() bool { return s.ds != nil }

// Gravity is the gravity model the satellite was initialised with.
func (s *Satellite) Gravity() Gravity { return s.cold.gravity }

// OpsMode is the operation mode the satellite was initialised with.
func (s *Satellite) OpsMode() OpsMode { return s.cold.opsMode }

// New initialises SGP4/SDP4 for e (Vallado's sgp4init) and propagates to epoch
// once. Errors: *Error with CodeInvalid for a non-finite element, missing epoch
// or unknown option; CodeEccentricity for an eccentricity outside [0, 1);
// CodeMeanMotion for a mean motion that is not positive; and any error of the
// propagation to epoch (TsinceMin 0).
func New(e gp.ElementSet, opts ...Option) (*Satellite, error) {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	g, ok := gravityConstants(cfg.gravity)
	if !ok {
		return nil, invalidf(e.CatalogNumber, "unknown gravity model %v", cfg.gravity)
	}
	if cfg.opsMode != OpsImproved && cfg.opsMode != OpsAFSPC {
		return nil, invalidf(e.CatalogNumber, "unknown operation mode %v", cfg.opsMode)
	}
	if err := checkElements(&e); err != nil {
		return nil, err
	}

	s := &Satellite{cold: satelliteID{
		epoch:   e.Epoch.UTC(),
		satnum:  e.CatalogNumber,
		gravity: cfg.gravity,
		opsMode: cfg.opsMode,
	}}
	s.init(g, cfg.opsMode, valladoEpoch(e.Epoch), el{
		bstar:   e.BStarPerEarthRadius,
		ecco:    e.Eccentricity,
		argpo:   e.ArgPerigeeDeg * deg2rd,
		inclo:   e.InclinationDeg * deg2rd,
		mo:      e.MeanAnomalyDeg * deg2rd,
		noKozai: e.MeanMotionRevPerDay / xpdotp,
		nodeo:   e.RAANDeg * deg2rd,
	})

	// Like sgp4init, finish with a propagation to epoch: an element set that
	// cannot be evaluated there is refused.
	var r, v [3]float64
	if code, val := s.propagate(0, &r, &v); code != CodeOK {
		return nil, newError(code, s.cold.satnum, 0, val)
	}
	return s, nil
}

func invalidf(satnum int, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, CatalogNumber: satnum, detail: fmt.Sprintf(format, args...)}
}

// checkElements refuses what SGP4 cannot start from: non-finite values, a
// missing epoch, an eccentricity outside [0, 1) or a non-positive mean motion.
func checkElements(e *gp.ElementSet) error {
	fields := [...]struct {
		name string
		v    float64
	}{
		{"mean motion", e.MeanMotionRevPerDay},
		{"eccentricity", e.Eccentricity},
		{"inclination", e.InclinationDeg},
		{"RAAN", e.RAANDeg},
		{"argument of perigee", e.ArgPerigeeDeg},
		{"mean anomaly", e.MeanAnomalyDeg},
		{"B*", e.BStarPerEarthRadius},
	}
	for _, f := range fields {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return invalidf(e.CatalogNumber, "%s %g is not finite", f.name, f.v)
		}
	}
	if e.Epoch.IsZero() {
		return invalidf(e.CatalogNumber, "missing epoch")
	}
	if y := e.Epoch.UTC().Year(); y < 1900 || y > 2200 {
		return invalidf(e.CatalogNumber, "epoch year %d outside 1900..2200", y)
	}
	if !(e.Eccentricity >= 0 && e.Eccentricity < 1) {
		return newError(CodeEccentricity, e.CatalogNumber, 0, e.Eccentricity)
	}
	if !(e.MeanMotionRevPerDay > 0) {
		return newError(CodeMeanMotion, e.CatalogNumber, 0, e.MeanMotionRevPerDay/xpdotp)
	}
	return nil
}

// epochDays1950 splits t into whole days and a day fraction since
// 1949 December 31 00:00 UTC (JD 2433281.5), Vallado's epoch origin, keeping
// the nanosecond precision of t.
func epochDays1950(t time.Time) (whole, frac float64) {
	const unixTo1950 = 7306 // days from 1949-12-31 (JD 2433281.5) to 1970-01-01 (JD 2440587.5)
	sec := t.Unix()
	day := sec / 86400
	rem := sec % 86400
	if rem < 0 {
		rem += 86400
		day--
	}
	ns := float64(rem)*1e9 + float64(t.Nanosecond())
	return float64(day + unixTo1950), ns / 86400e9
}

// valladoEpoch is sgp4init's epoch argument: days since 1949 December 31
// 00:00 UTC obtained, as in Vallado's code, from the Julian date held in one
// float64 (jdsatepoch - 2433281.5). That rounds the epoch to about 20 µs;
// the rounding reaches only the deep-space lunar-solar and sidereal-time
// terms (tsince is computed from time.Time to the nanosecond), where it is
// physically negligible, and the verification output was computed with it
// (keeping the exact fraction moves the e = 0.97 WIND case by 4e-6 km).
func valladoEpoch(t time.Time) float64 {
	const jd1950 = 2433281.5
	whole, frac := epochDays1950(t)
	jdsatepoch := (whole + jd1950) + frac
	return jdsatepoch - jd1950 // exact (Sterbenz)
}

// el are the mean elements in Vallado's units (radians, rad/min).
type el struct {
	bstar, ecco, argpo, inclo, mo, noKozai, nodeo float64
}

// init is Vallado's sgp4init (with initl inlined) minus the final
// propagation to epoch.
func (s *Satellite) init(g gravConst, ops OpsMode, epoch float64, e el) {
	s.xke, s.invxke = g.xke, 1/g.xke
	s.j2h = 0.5 * g.j2
	s.j3oj2 = g.j3oj2
	s.radiusearthkm = g.radiusearthkm
	s.vkmpersec = g.radiusearthkm * g.xke / 60.0
	s.ecco, s.inclo, s.argpo, s.mo, s.nodeo = e.ecco, e.inclo, e.argpo, e.mo, e.nodeo
	bstar, ecco := e.bstar, e.ecco
	j2 := g.j2

	// ----- initl: epoch quantities, un-Kozai the mean motion -----
	eccsq := ecco * ecco
	omeosq := 1.0 - eccsq
	rteosq := math.Sqrt(omeosq)
	cosio := math.Cos(e.inclo)
	cosio2 := cosio * cosio
	ak := math.Pow(g.xke/e.noKozai, x2o3)
	d1 := 0.75 * j2 * (3.0*cosio2 - 1.0) / (rteosq * omeosq)
	del := d1 / (ak * ak)
	adel := ak * (1.0 - del*del - del*(1.0/3.0+134.0*del*del/81.0))
	del = d1 / (adel * adel)
	no := e.noKozai / (1.0 + del)
	ao := math.Pow(g.xke/no, x2o3)
	sinio := math.Sin(e.inclo)
	po := ao * omeosq
	con42 := 1.0 - 5.0*cosio2
	con41 := -con42 - cosio2 - cosio2
	posq := po * po
	rp := ao * (1.0 - ecco)
	s.no, s.ao, s.sinio, s.cosio, s.con41 = no, ao, sinio, cosio, con41

	// ----- sgp4init -----
	ss := 78.0/g.radiusearthkm + 1.0
	qzms2ttemp := (120.0 - 78.0) / g.radiusearthkm
	qzms2t := qzms2ttemp * qzms2ttemp * qzms2ttemp * qzms2ttemp

	s.isimp = rp < 220.0/g.radiusearthkm+1.0
	sfour := ss
	qzms24 := qzms2t
	perige := (rp - 1.0) * g.radiusearthkm
	// for perigees below 156 km, s and qoms2t are altered
	if perige < 156.0 {
		sfour = perige - 78.0
		if perige < 98.0 {
			sfour = 20.0
		}
		qzms24temp := (120.0 - sfour) / g.radiusearthkm
		qzms24 = qzms24temp * qzms24temp * qzms24temp * qzms24temp
		sfour = sfour/g.radiusearthkm + 1.0
	}
	pinvsq := 1.0 / posq
	tsi := 1.0 / (ao - sfour)
	eta := ao * ecco * tsi
	etasq := eta * eta
	eeta := ecco * eta
	psisq := math.Abs(1.0 - etasq)
	coef := qzms24 * math.Pow(tsi, 4.0)
	coef1 := coef / math.Pow(psisq, 3.5)
	cc2 := coef1 * no * (ao*(1.0+1.5*etasq+eeta*(4.0+etasq)) +
		0.375*j2*tsi/psisq*con41*(8.0+3.0*etasq*(8.0+etasq)))
	cc1 := bstar * cc2
	cc3 := 0.0
	if ecco > 1.0e-4 {
		cc3 = -2.0 * coef * tsi * g.j3oj2 * no * sinio / ecco
	}
	x1mth2 := 1.0 - cosio2
	cc4 := 2.0 * no * coef1 * ao * omeosq *
		(eta*(2.0+0.5*etasq) + ecco*(0.5+2.0*etasq) -
			j2*tsi/(ao*psisq)*
				(-3.0*con41*(1.0-2.0*eeta+etasq*(1.5-0.5*eeta))+
					0.75*x1mth2*(2.0*etasq-eeta*(1.0+etasq))*math.Cos(2.0*e.argpo)))
	cc5 := 2.0 * coef1 * ao * omeosq * (1.0 + 2.75*(etasq+eeta) + eeta*etasq)
	cosio4 := cosio2 * cosio2
	temp1 := 1.5 * j2 * pinvsq * no
	temp2 := 0.5 * temp1 * j2 * pinvsq
	temp3 := -0.46875 * g.j4 * pinvsq * pinvsq * no
	s.mdot = no + 0.5*temp1*rteosq*con41 + 0.0625*temp2*rteosq*(13.0-78.0*cosio2+137.0*cosio4)
	s.argpdot = -0.5*temp1*con42 + 0.0625*temp2*(7.0-114.0*cosio2+395.0*cosio4) +
		temp3*(3.0-36.0*cosio2+49.0*cosio4)
	xhdot1 := -temp1 * cosio
	s.nodedot = xhdot1 + (0.5*temp2*(4.0-19.0*cosio2)+2.0*temp3*(3.0-7.0*cosio2))*cosio
	xpidot := s.argpdot + s.nodedot
	s.omgcof = bstar * cc3 * math.Cos(e.argpo)
	if ecco > 1.0e-4 {
		s.xmcof = -x2o3 * coef * bstar / eeta
	}
	s.nodecf = 3.5 * omeosq * xhdot1 * cc1
	s.t2cof = 1.5 * cc1
	if math.Abs(cosio+1.0) > 1.5e-12 {
		s.xlcof = -0.25 * g.j3oj2 * sinio * (3.0 + 5.0*cosio) / (1.0 + cosio)
	} else {
		s.xlcof = -0.25 * g.j3oj2 * sinio * (3.0 + 5.0*cosio) / temp4
	}
	s.aycof = -0.5 * g.j3oj2 * sinio
	delmotemp := 1.0 + eta*math.Cos(e.mo)
	s.delmo = delmotemp * delmotemp * delmotemp
	s.sinmao = math.Sin(e.mo)
	s.x7thm1 = 7.0*cosio2 - 1.0
	s.x1mth2 = x1mth2
	s.cc1, s.eta = cc1, eta
	s.bcc4, s.bcc5 = bstar*cc4, bstar*cc5

	// ----- deep-space initialisation -----
	if twopi/no >= 225.0 {
		s.isimp = true
		s.ds = newDeepSpace(g.xke, ops, epoch, e, no, eccsq, s.mdot, s.nodedot, xpidot)
	}

	// ----- drag terms for the full near-earth model -----
	if !s.isimp {
		cc1sq := cc1 * cc1
		s.d2 = 4.0 * ao * tsi * cc1sq
		temp := s.d2 * tsi * cc1 / 3.0
		s.d3 = (17.0*ao + sfour) * temp
		s.d4 = 0.5 * temp * ao * tsi * (221.0*ao + 31.0*sfour) * cc1
		s.t3cof = s.d2 + 2.0*cc1sq
		s.t4cof = 0.25 * (3.0*s.d3 + cc1*(12.0*s.d2+10.0*cc1sq))
		s.t5cof = 0.2 * (3.0*s.d4 + 12.0*cc1*s.d3 + 6.0*s.d2*s.d2 + 15.0*cc1sq*(2.0*s.d2+cc1sq))
	}
}
