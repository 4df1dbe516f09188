package ccsds

import (
	"strings"
)

// cdmSec is a section of a CDM; object sections follow the XML grouping.
type cdmSec uint8

const (
	cdmSecHeader cdmSec = iota
	cdmSecRel
	cdmSecMeta
	cdmSecOD
	cdmSecAdd
	cdmSecState
	cdmSecCov
	cdmSecUser
)

func (s cdmSec) String() string {
	return [...]string{"header", "relative metadata/data", "metadata", "OD parameters", "additional parameters", "state vector", "covariance", "user defined parameters"}[s]
}

// cdmKey describes one CDM 1.0 keyword: where it lives, its units and an
// accessor to the field that holds it.
type cdmKey struct {
	name  string
	sec   cdmSec
	units string // expected units ("" = none)
	req   bool   // mandatory
	ref   func(c *CDM, o *CDMObject) any
}

// Accessor results besides plain pointers.
type vecRef struct {
	p **[3]float64
	i int
}

type covRef struct {
	o    *CDMObject
	i, j int
}

var covRowNames = [9]string{"R", "T", "N", "RDOT", "TDOT", "NDOT", "DRG", "SRP", "THR"}

func covKeyword(i, j int) string { return "C" + covRowNames[i] + "_" + covRowNames[j] }

// covUnits gives the units of CovRTN[i][j], i >= j.
func covUnits(i, j int) string {
	cls := func(k int) int { // 0 position, 1 velocity, 2 drag/srp, 3 thrust
		switch {
		case k < 3:
			return 0
		case k < 6:
			return 1
		case k < 8:
			return 2
		}
		return 3
	}
	a, b := cls(i), cls(j)
	if a < b {
		a, b = b, a
	}
	return [4][4]string{
		{"m**2"},
		{"m**2/s", "m**2/s**2"},
		{"m**3/kg", "m**3/(kg*s)", "m**4/kg**2"},
		{"m**2/s**2", "m**2/s**3", "m**3/(kg*s**2)", "m**2/s**4"},
	}[a][b]
}

var (
	cdmHeaderKeys []*cdmKey
	cdmRelKeys    []*cdmKey
	cdmObjKeys    []*cdmKey
	cdmKeyByName  = map[string]*cdmKey{}
	// cdmAmbiguous are RTN covariance keywords that CDM 2.0 also uses in the
	// alternate (XYZ) covariance block.
	cdmAmbiguous = map[string]bool{"CDRG_DRG": true, "CSRP_DRG": true, "CSRP_SRP": true, "CTHR_DRG": true, "CTHR_SRP": true, "CTHR_THR": true}
)

func init() {
	hdr := func(name string, req bool, ref func(h *CDMHeader) any) {
		cdmHeaderKeys = append(cdmHeaderKeys, &cdmKey{name: name, sec: cdmSecHeader, req: req, ref: func(c *CDM, _ *CDMObject) any { return ref(&c.Header) }})
	}
	hdr("CREATION_DATE", true, func(h *CDMHeader) any { return &h.CreationDate })
	hdr("ORIGINATOR", true, func(h *CDMHeader) any { return &h.Originator })
	hdr("MESSAGE_FOR", false, func(h *CDMHeader) any { return &h.MessageFor })
	hdr("MESSAGE_ID", true, func(h *CDMHeader) any { return &h.MessageID })

	rel := func(name, units string, req bool, ref func(r *CDMRelative) any) {
		cdmRelKeys = append(cdmRelKeys, &cdmKey{name: name, sec: cdmSecRel, units: units, req: req, ref: func(c *CDM, _ *CDMObject) any { return ref(&c.Relative) }})
	}
	rel("TCA", "", true, func(r *CDMRelative) any { return &r.TCA })
	rel("MISS_DISTANCE", "m", true, func(r *CDMRelative) any { return &r.MissDistanceM })
	rel("RELATIVE_SPEED", "m/s", false, func(r *CDMRelative) any { return &r.RelativeSpeedMS })
	for i, a := range []string{"R", "T", "N"} {
		rel("RELATIVE_POSITION_"+a, "m", false, func(r *CDMRelative) any { return vecRef{&r.RelativePositionRTNM, i} })
	}
	for i, a := range []string{"R", "T", "N"} {
		rel("RELATIVE_VELOCITY_"+a, "m/s", false, func(r *CDMRelative) any { return vecRef{&r.RelativeVelocityRTNMS, i} })
	}
	rel("START_SCREEN_PERIOD", "", false, func(r *CDMRelative) any { return &r.StartScreenPeriod })
	rel("STOP_SCREEN_PERIOD", "", false, func(r *CDMRelative) any { return &r.StopScreenPeriod })
	rel("SCREEN_VOLUME_FRAME", "", false, func(r *CDMRelative) any { return &r.ScreenVolumeFrame })
	rel("SCREEN_VOLUME_SHAPE", "", false, func(r *CDMRelative) any { return &r.ScreenVolumeShape })
	rel("SCREEN_VOLUME_X", "m", false, func(r *CDMRelative) any { return &r.ScreenVolumeXM })
	rel("SCREEN_VOLUME_Y", "m", false, func(r *CDMRelative) any { return &r.ScreenVolumeYM })
	rel("SCREEN_VOLUME_Z", "m", false, func(r *CDMRelative) any { return &r.ScreenVolumeZM })
	rel("SCREEN_ENTRY_TIME", "", false, func(r *CDMRelative) any { return &r.ScreenEntryTime })
	rel("SCREEN_EXIT_TIME", "", false, func(r *CDMRelative) any { return &r.ScreenExitTime })
	rel("COLLISION_PROBABILITY", "", false, func(r *CDMRelative) any { return &r.CollisionProbability })
	rel("COLLISION_PROBABILITY_METHOD", "", false, func(r *CDMRelative) any { return &r.CollisionProbabilityMethod })

	obj := func(name string, sec cdmSec, units string, req bool, ref func(o *CDMObject) any) {
		cdmObjKeys = append(cdmObjKeys, &cdmKey{name: name, sec: sec, units: units, req: req, ref: func(_ *CDM, o *CDMObject) any { return ref(o) }})
	}
	meta := func(name string, req bool, ref func(o *CDMObject) any) { obj(name, cdmSecMeta, "", req, ref) }
	meta("OBJECT", true, func(o *CDMObject) any { return &o.Object })
	meta("OBJECT_DESIGNATOR", true, func(o *CDMObject) any { return &o.ObjectDesignator })
	meta("CATALOG_NAME", true, func(o *CDMObject) any { return &o.CatalogName })
	meta("OBJECT_NAME", true, func(o *CDMObject) any { return &o.ObjectName })
	meta("INTERNATIONAL_DESIGNATOR", true, func(o *CDMObject) any { return &o.InternationalDesignator })
	meta("OBJECT_TYPE", false, func(o *CDMObject) any { return &o.ObjectType })
	meta("OPERATOR_CONTACT_POSITION", false, func(o *CDMObject) any { return &o.OperatorContactPosition })
	meta("OPERATOR_ORGANIZATION", false, func(o *CDMObject) any { return &o.OperatorOrganization })
	meta("OPERATOR_PHONE", false, func(o *CDMObject) any { return &o.OperatorPhone })
	meta("OPERATOR_EMAIL", false, func(o *CDMObject) any { return &o.OperatorEmail })
	meta("EPHEMERIS_NAME", true, func(o *CDMObject) any { return &o.EphemerisName })
	meta("COVARIANCE_METHOD", true, func(o *CDMObject) any { return &o.CovarianceMethod })
	meta("MANEUVERABLE", true, func(o *CDMObject) any { return &o.Maneuverable })
	meta("ORBIT_CENTER", false, func(o *CDMObject) any { return &o.OrbitCenter })
	meta("REF_FRAME", true, func(o *CDMObject) any { return &o.RefFrame })
	meta("GRAVITY_MODEL", false, func(o *CDMObject) any { return &o.GravityModel })
	meta("ATMOSPHERIC_MODEL", false, func(o *CDMObject) any { return &o.AtmosphericModel })
	meta("N_BODY_PERTURBATIONS", false, func(o *CDMObject) any { return &o.NBodyPerturbations })
	meta("SOLAR_RAD_PRESSURE", false, func(o *CDMObject) any { return &o.SolarRadPressure })
	meta("EARTH_TIDES", false, func(o *CDMObject) any { return &o.EarthTides })
	meta("INTRACK_THRUST", false, func(o *CDMObject) any { return &o.IntrackThrust })

	od := func(name, units string, ref func(o *CDMObject) any) { obj(name, cdmSecOD, units, false, ref) }
	od("TIME_LASTOB_START", "", func(o *CDMObject) any { return &o.TimeLastObStart })
	od("TIME_LASTOB_END", "", func(o *CDMObject) any { return &o.TimeLastObEnd })
	od("RECOMMENDED_OD_SPAN", "d", func(o *CDMObject) any { return &o.RecommendedODSpanDays })
	od("ACTUAL_OD_SPAN", "d", func(o *CDMObject) any { return &o.ActualODSpanDays })
	od("OBS_AVAILABLE", "", func(o *CDMObject) any { return &o.ObsAvailable })
	od("OBS_USED", "", func(o *CDMObject) any { return &o.ObsUsed })
	od("TRACKS_AVAILABLE", "", func(o *CDMObject) any { return &o.TracksAvailable })
	od("TRACKS_USED", "", func(o *CDMObject) any { return &o.TracksUsed })
	od("RESIDUALS_ACCEPTED", "%", func(o *CDMObject) any { return &o.ResidualsAcceptedPct })
	od("WEIGHTED_RMS", "", func(o *CDMObject) any { return &o.WeightedRMS })

	add := func(name, units string, ref func(o *CDMObject) any) { obj(name, cdmSecAdd, units, false, ref) }
	add("AREA_PC", "m**2", func(o *CDMObject) any { return &o.AreaPCM2 })
	add("AREA_DRG", "m**2", func(o *CDMObject) any { return &o.AreaDragM2 })
	add("AREA_SRP", "m**2", func(o *CDMObject) any { return &o.AreaSRPM2 })
	add("MASS", "kg", func(o *CDMObject) any { return &o.MassKg })
	add("CD_AREA_OVER_MASS", "m**2/kg", func(o *CDMObject) any { return &o.CDAreaOverMassM2Kg })
	add("CR_AREA_OVER_MASS", "m**2/kg", func(o *CDMObject) any { return &o.CRAreaOverMassM2Kg })
	add("THRUST_ACCELERATION", "m/s**2", func(o *CDMObject) any { return &o.ThrustAccelerationMS2 })
	add("SEDR", "W/kg", func(o *CDMObject) any { return &o.SEDRWKg })

	for i, a := range []string{"X", "Y", "Z"} {
		obj(a, cdmSecState, "km", true, func(o *CDMObject) any { return &o.PositionKm[i] })
	}
	for i, a := range []string{"X_DOT", "Y_DOT", "Z_DOT"} {
		obj(a, cdmSecState, "km/s", true, func(o *CDMObject) any { return &o.VelocityKmS[i] })
	}
	for i := range 9 {
		for j := 0; j <= i; j++ {
			obj(covKeyword(i, j), cdmSecCov, covUnits(i, j), i < 6, func(o *CDMObject) any { return covRef{o, i, j} })
		}
	}
	for _, list := range [][]*cdmKey{cdmHeaderKeys, cdmRelKeys, cdmObjKeys} {
		for _, k := range list {
			cdmKeyByName[k.name] = k
		}
	}

	// CDM 2.0 (CCSDS 508.0-B-2) keywords kept verbatim in Extra.
	for _, k := range []string{"CLASSIFICATION"} {
		cdm2Keys[k] = cdmSecHeader
	}
	for _, k := range strings.Fields(`CONJUNCTION_ID MAHALANOBIS_DISTANCE APPROACH_ANGLE SCREEN_TYPE SCREEN_VOLUME_RADIUS
		SCREEN_PC_THRESHOLD COLLISION_PERCENTILE COLLISION_MAX_PROBABILITY COLLISION_MAX_PC_METHOD SEFI_COLLISION_PROBABILITY
		SEFI_COLLISION_PROBABILITY_METHOD SEFI_FRAGMENTATION_MODEL PREVIOUS_MESSAGE_ID PREVIOUS_MESSAGE_EPOCH NEXT_MESSAGE_EPOCH`) {
		cdm2Keys[k] = cdmSecRel
	}
	for _, k := range strings.Fields(`ODM_MSG_LINK ADM_MSG_LINK OBS_BEFORE_NEXT_MESSAGE COVARIANCE_SOURCE ALT_COV_TYPE ALT_COV_REF_FRAME`) {
		cdm2Keys[k] = cdmSecMeta
	}
	cdm2Keys["OD_EPOCH"] = cdmSecOD
	for _, k := range strings.Fields(`AREA_PC_MIN AREA_PC_MAX OEB_PARENT_FRAME OEB_PARENT_FRAME_EPOCH OEB_Q1 OEB_Q2 OEB_Q3 OEB_QC
		OEB_MAX OEB_INT OEB_MIN AREA_ALONG_OEB_MAX AREA_ALONG_OEB_INT AREA_ALONG_OEB_MIN RCS RCS_MIN RCS_MAX VM_ABSOLUTE
		VM_APPARENT_MIN VM_APPARENT VM_APPARENT_MAX REFLECTANCE HBR APOAPSIS_ALTITUDE PERIAPSIS_ALTITUDE INCLINATION
		COV_CONFIDENCE COV_CONFIDENCE_METHOD`) {
		cdm2Keys[k] = cdmSecAdd
	}
	for _, k := range strings.Fields(`CSIG3EIGVEC3 DENSITY_FORECAST_UNCERTAINTY CSCALE_FACTOR_MIN CSCALE_FACTOR CSCALE_FACTOR_MAX
		SCREENING_DATA_SOURCE DCP_SENSITIVITY_VECTOR_POSITION DCP_SENSITIVITY_VECTOR_VELOCITY`) {
		cdm2Keys[k] = cdmSecCov
	}
	xyz := []string{"X", "Y", "Z", "XDOT", "YDOT", "ZDOT", "DRG", "SRP", "THR"}
	for i := range xyz {
		for j := 0; j <= i; j++ {
			k := "C" + xyz[i] + "_" + xyz[j]
			if _, rtn := cdmKeyByName[k]; !rtn {
				cdm2Keys[k] = cdmSecCov
			}
		}
	}
}

var cdm2Keys = map[string]cdmSec{}

// extraSection is where a kept keyword belongs; ok is false for unknown ones.
func extraSection(key string) (cdmSec, bool) {
	if strings.HasPrefix(key, "USER_DEFINED_") && len(key) > len("USER_DEFINED_") {
		return cdmSecUser, true
	}
	if cdmAmbiguous[key] {
		return cdmSecCov, true
	}
	s, ok := cdm2Keys[key]
	return s, ok
}
