package ccsds

import (
	"strings"
	"time"
)

// ommSec is a block of an OMM, in message order.
type ommSec uint8

const (
	ommSecHeader ommSec = iota
	ommSecMeta
	ommSecMean
	ommSecSpacecraft
	ommSecTLE
	ommSecCov
	ommSecUser
)

func (s ommSec) String() string {
	return [...]string{"header", "metadata", "mean elements", "spacecraft parameters", "TLE parameters", "covariance matrix", "user defined parameters"}[s]
}

// ommSecXML names the XML element of each data block.
var ommSecXML = map[string]ommSec{
	"meanElements":          ommSecMean,
	"spacecraftParameters":  ommSecSpacecraft,
	"tleParameters":         ommSecTLE,
	"covarianceMatrix":      ommSecCov,
	"userDefinedParameters": ommSecUser,
}

type ommKey struct {
	name  string
	idx   int
	sec   ommSec
	units string
	req   bool
	ref   func(o *OMM) any // allocates the optional block it points into
}

// cov6Ref points at a 6x6 covariance entry (stored symmetric).
type cov6Ref struct {
	c    *[6][6]float64
	i, j int
}

var (
	ommKeys      []*ommKey
	ommKeyByName = map[string]*ommKey{}
)

var ommCovNames = [6]string{"X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"}

func ommCovKeyword(i, j int) string { return "C" + ommCovNames[i] + "_" + ommCovNames[j] }

func (o *OMM) spacecraft() *OMMSpacecraft {
	if o.Spacecraft == nil {
		o.Spacecraft = &OMMSpacecraft{}
	}
	return o.Spacecraft
}

func (o *OMM) tle() *OMMTLEParameters {
	if o.TLE == nil {
		o.TLE = &OMMTLEParameters{ClassificationType: "U"}
	}
	return o.TLE
}

func (o *OMM) cov() *OMMCovariance {
	if o.Covariance == nil {
		o.Covariance = &OMMCovariance{}
	}
	return o.Covariance
}

func init() {
	add := func(name string, sec ommSec, units string, req bool, ref func(o *OMM) any) {
		k := &ommKey{name: name, idx: len(ommKeys), sec: sec, units: units, req: req, ref: ref}
		ommKeys = append(ommKeys, k)
		ommKeyByName[name] = k
	}
	add("CLASSIFICATION", ommSecHeader, "", false, func(o *OMM) any { return &o.Header.Classification })
	add("CREATION_DATE", ommSecHeader, "", true, func(o *OMM) any { return &o.Header.CreationDate })
	add("ORIGINATOR", ommSecHeader, "", true, func(o *OMM) any { return &o.Header.Originator })
	add("MESSAGE_ID", ommSecHeader, "", false, func(o *OMM) any { return &o.Header.MessageID })

	add("OBJECT_NAME", ommSecMeta, "", true, func(o *OMM) any { return &o.Metadata.ObjectName })
	add("OBJECT_ID", ommSecMeta, "", true, func(o *OMM) any { return &o.Metadata.ObjectID })
	add("CENTER_NAME", ommSecMeta, "", true, func(o *OMM) any { return &o.Metadata.CenterName })
	add("REF_FRAME", ommSecMeta, "", true, func(o *OMM) any { return &o.Metadata.RefFrame })
	add("REF_FRAME_EPOCH", ommSecMeta, "", false, func(o *OMM) any { return &o.Metadata.RefFrameEpoch })
	add("TIME_SYSTEM", ommSecMeta, "", true, func(o *OMM) any { return &o.Metadata.TimeSystem })
	add("MEAN_ELEMENT_THEORY", ommSecMeta, "", true, func(o *OMM) any { return &o.Metadata.MeanElementTheory })

	add("EPOCH", ommSecMean, "", true, func(o *OMM) any { return &o.MeanElements.Epoch })
	add("SEMI_MAJOR_AXIS", ommSecMean, "km", false, func(o *OMM) any { return &o.MeanElements.SemiMajorAxisKm })
	add("MEAN_MOTION", ommSecMean, "rev/day", false, func(o *OMM) any { return &o.MeanElements.MeanMotionRevPerDay })
	add("ECCENTRICITY", ommSecMean, "", true, func(o *OMM) any { return &o.MeanElements.Eccentricity })
	add("INCLINATION", ommSecMean, "deg", true, func(o *OMM) any { return &o.MeanElements.InclinationDeg })
	add("RA_OF_ASC_NODE", ommSecMean, "deg", true, func(o *OMM) any { return &o.MeanElements.RAANDeg })
	add("ARG_OF_PERICENTER", ommSecMean, "deg", true, func(o *OMM) any { return &o.MeanElements.ArgPericenterDeg })
	add("MEAN_ANOMALY", ommSecMean, "deg", true, func(o *OMM) any { return &o.MeanElements.MeanAnomalyDeg })
	add("GM", ommSecMean, "km**3/s**2", false, func(o *OMM) any { return &o.MeanElements.GMKm3S2 })

	add("MASS", ommSecSpacecraft, "kg", false, func(o *OMM) any { return &o.spacecraft().MassKg })
	add("SOLAR_RAD_AREA", ommSecSpacecraft, "m**2", false, func(o *OMM) any { return &o.spacecraft().SolarRadAreaM2 })
	add("SOLAR_RAD_COEFF", ommSecSpacecraft, "", false, func(o *OMM) any { return &o.spacecraft().SolarRadCoeff })
	add("DRAG_AREA", ommSecSpacecraft, "m**2", false, func(o *OMM) any { return &o.spacecraft().DragAreaM2 })
	add("DRAG_COEFF", ommSecSpacecraft, "", false, func(o *OMM) any { return &o.spacecraft().DragCoeff })

	add("EPHEMERIS_TYPE", ommSecTLE, "", false, func(o *OMM) any { return &o.tle().EphemerisType })
	add("CLASSIFICATION_TYPE", ommSecTLE, "", false, func(o *OMM) any { return &o.tle().ClassificationType })
	add("NORAD_CAT_ID", ommSecTLE, "", false, func(o *OMM) any { return &o.tle().NoradCatID })
	add("ELEMENT_SET_NO", ommSecTLE, "", false, func(o *OMM) any { return &o.tle().ElementSetNo })
	add("REV_AT_EPOCH", ommSecTLE, "", false, func(o *OMM) any { return &o.tle().RevAtEpoch })
	add("BSTAR", ommSecTLE, "1/ER", false, func(o *OMM) any { return &o.tle().BStarPerEarthRadius })
	add("BTERM", ommSecTLE, "m**2/kg", false, func(o *OMM) any { return &o.tle().BTermM2Kg })
	add("MEAN_MOTION_DOT", ommSecTLE, "rev/day**2", false, func(o *OMM) any { return &o.tle().MeanMotionDotRevDay2 })
	add("MEAN_MOTION_DDOT", ommSecTLE, "rev/day**3", false, func(o *OMM) any { return &o.tle().MeanMotionDdotRevDay3 })
	add("AGOM", ommSecTLE, "m**2/kg", false, func(o *OMM) any { return &o.tle().AGOMM2Kg })

	add("COV_REF_FRAME", ommSecCov, "", false, func(o *OMM) any { return &o.cov().RefFrame })
	for i := range 6 {
		for j := 0; j <= i; j++ {
			units := "km**2"
			switch {
			case i >= 3 && j >= 3:
				units = "km**2/s**2"
			case i >= 3:
				units = "km**2/s"
			}
			add(ommCovKeyword(i, j), ommSecCov, units, false, func(o *OMM) any { return cov6Ref{&o.cov().Cov, i, j} })
		}
	}
}

// ommBuilder assembles one OMM from keyword/value pairs of any syntax.
type ommBuilder struct {
	o     OMM
	seen  [2]uint64 // by ommKey.idx
	blank bool      // CelesTrak JSON/CSV: empty values mean absent
	start pos
}

func (b *ommBuilder) isSeen(k *ommKey) bool { return b.seen[k.idx/64]&(1<<(k.idx%64)) != 0 }
func (b *ommBuilder) markSeen(k *ommKey)    { b.seen[k.idx/64] |= 1 << (k.idx % 64) }

func (b *ommBuilder) setVersion(v string, p pos) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return p.errf(ErrEmptyValue, "CCSDS_OMM_VERS", "version is empty")
	}
	if _, ok := parseNumber(v); !ok || !(strings.HasPrefix(v, "1.") || strings.HasPrefix(v, "2.") || strings.HasPrefix(v, "3.")) {
		return p.errf(ErrBadValue, "CCSDS_OMM_VERS", "unsupported OMM version %q (want 1.0, 2.0 or 3.0)", clip(v))
	}
	b.o.Header.Version = intern(v)
	return nil
}

// comments returns the comment list of block sec.
func (b *ommBuilder) comments(sec ommSec) *[]string {
	switch sec {
	case ommSecHeader:
		return &b.o.Header.Comments
	case ommSecMeta:
		return &b.o.Metadata.Comments
	case ommSecMean:
		return &b.o.MeanElements.Comments
	case ommSecSpacecraft:
		return &b.o.spacecraft().Comments
	case ommSecTLE:
		return &b.o.tle().Comments
	case ommSecCov:
		return &b.o.cov().Comments
	}
	return &b.o.UserDefinedComments
}

// setUser stores USER_DEFINED_name.
func (b *ommBuilder) setUser(name, value string, p pos) error {
	for _, u := range b.o.UserDefined {
		if u.Name == name {
			return p.errf(ErrDuplicateKeyword, "USER_DEFINED_"+name, "given twice")
		}
	}
	b.o.UserDefined = append(b.o.UserDefined, UserParam{Name: strings.Clone(name), Value: strings.Clone(strings.TrimSpace(value))})
	return nil
}

// set stores one keyword; raw is the value with any [units], value without.
func (b *ommBuilder) set(k *ommKey, raw, value, units string, isNil bool, p pos) error {
	if b.start.line == 0 && b.start.record == 0 {
		b.start = p
	}
	value = strings.TrimSpace(value)
	if b.blank && (isNil || value == "") {
		return nil // CelesTrak JSON/CSV: a blank cell or null is an absent value
	}
	if b.isSeen(k) {
		return p.errf(ErrDuplicateKeyword, k.name, "given twice in the %s", k.sec)
	}
	b.markSeen(k)
	if isNil || value == "" {
		switch {
		case k.name == "CREATION_DATE" || k.name == "ORIGINATOR":
			return nil // CelesTrak's XML leaves these empty
		}
		return p.errf(ErrEmptyValue, k.name, "value is empty")
	}
	if units != "" && k.units != "" && unitsRescaled(units, k.units) {
		return p.errf(ErrBadUnits, k.name, "units [%s], expected [%s]", clip(units), k.units)
	}
	switch r := k.ref(&b.o).(type) {
	case *string:
		*r = intern(strings.TrimSpace(raw))
	case *time.Time:
		t, ok := parseTime(value)
		if !ok {
			return p.errf(ErrBadValue, k.name, "%q is not a valid CCSDS time (YYYY-MM-DDThh:mm:ss[.fff] or YYYY-DDDThh:mm:ss[.fff])", clip(value))
		}
		*r = t
	case *int:
		v, ok := parseInteger(value)
		if !ok {
			return p.errf(ErrBadValue, k.name, "%q is not an integer", clip(value))
		}
		if v < 0 || v > 999_999_999 {
			return p.errf(ErrBadValue, k.name, "%d out of range 0..999999999", v)
		}
		*r = v
	default:
		f, ok := parseNumber(value)
		if !ok {
			return p.errf(ErrBadValue, k.name, "%q is not a number", clip(value))
		}
		switch r := r.(type) {
		case *float64:
			*r = f
		case **float64:
			*r = &f
		case cov6Ref:
			r.c[r.i][r.j] = f
			r.c[r.j][r.i] = f
		}
	}
	return nil
}

// finish checks mandatory keywords. defaults fills CelesTrak's implied
// metadata (JSON and CSV carry none).
func (b *ommBuilder) finish(defaults bool) (OMM, error) {
	p := b.start
	p.col = 0
	at := func(k string) *ParseError {
		e := p.errf(ErrMissingKeyword, k, "not given")
		if p.line > 0 {
			e.Msg = "not given in the message starting at line " + itoa(p.line)
			e.Line = 0
		}
		return e
	}
	o := &b.o
	if defaults {
		for _, d := range []struct {
			s *string
			v string
		}{{&o.Header.Version, "2.0"}, {&o.Metadata.CenterName, "EARTH"}, {&o.Metadata.RefFrame, "TEME"}, {&o.Metadata.TimeSystem, "UTC"}, {&o.Metadata.MeanElementTheory, "SGP4"}} {
			if *d.s == "" {
				*d.s = d.v
			}
		}
	} else {
		if o.Header.Version == "" {
			return OMM{}, at("CCSDS_OMM_VERS")
		}
		for _, k := range ommKeys {
			if k.req && !b.isSeen(k) {
				return OMM{}, at(k.name)
			}
		}
	}
	if defaults {
		for _, name := range []string{"EPOCH", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY"} {
			if !b.isSeen(ommKeyByName[name]) {
				return OMM{}, at(name)
			}
		}
	}
	if o.MeanElements.MeanMotionRevPerDay == 0 && o.MeanElements.SemiMajorAxisKm == 0 {
		return OMM{}, at("MEAN_MOTION")
	}
	if c := o.Covariance; c != nil {
		for i := range 6 {
			for j := 0; j <= i; j++ {
				if !b.isSeen(ommKeyByName[ommCovKeyword(i, j)]) {
					return OMM{}, at(ommCovKeyword(i, j))
				}
			}
		}
	}
	if t := o.TLE; t != nil && !defaults && !b.blank {
		if t.BStarPerEarthRadius == nil && t.BTermM2Kg == nil {
			return OMM{}, at("BSTAR")
		}
		if !b.isSeen(ommKeyByName["MEAN_MOTION_DOT"]) {
			return OMM{}, at("MEAN_MOTION_DOT")
		}
	}
	return b.o, nil
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}
