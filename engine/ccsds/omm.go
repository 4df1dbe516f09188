package ccsds

import (
	"fmt"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// OMM is one CCSDS Orbit Mean-elements Message (CCSDS 502.0-B-2/-3).
//
// Optional numbers are pointers (nil = absent); optional blocks are nil when
// the message has none. Times are as written, in Metadata.TimeSystem (they
// carry the UTC location only as a container).
type OMM struct {
	Header       ODMHeader
	Metadata     OMMMetadata
	MeanElements OMMMeanElements
	Spacecraft   *OMMSpacecraft    // spacecraft parameters; nil when absent
	TLE          *OMMTLEParameters // TLE-related parameters; nil when absent
	Covariance   *OMMCovariance    // nil when absent
	// UserDefined holds USER_DEFINED_x keywords in message order (Name is x).
	UserDefined         []UserParam
	UserDefinedComments []string
}

// ODMHeader is the header shared by the orbit data messages.
type ODMHeader struct {
	Version        string // CCSDS_OMM_VERS: "2.0" or "3.0"
	Comments       []string
	Classification string    // CLASSIFICATION (ODM 3.0, optional)
	CreationDate   time.Time // CREATION_DATE; zero when the producer left it empty (CelesTrak)
	Originator     string    // ORIGINATOR
	MessageID      string    // MESSAGE_ID (optional)
}

// OMMMetadata identifies the object and the conventions of the elements.
type OMMMetadata struct {
	Comments          []string
	ObjectName        string    // OBJECT_NAME
	ObjectID          string    // OBJECT_ID, international designator YYYY-NNNP{PP}
	CenterName        string    // CENTER_NAME, normally EARTH
	RefFrame          string    // REF_FRAME, TEME for SGP4 elements
	RefFrameEpoch     time.Time // REF_FRAME_EPOCH (optional)
	TimeSystem        string    // TIME_SYSTEM, UTC for SGP4 elements
	MeanElementTheory string    // MEAN_ELEMENT_THEORY: SGP/SGP4, SGP4, SGP4-XP, DSST, …
}

// OMMMeanElements are the mean Keplerian elements. Exactly one of
// MeanMotionRevPerDay and SemiMajorAxisKm is normally set (0 = absent).
type OMMMeanElements struct {
	Comments            []string
	Epoch               time.Time // EPOCH, in Metadata.TimeSystem
	SemiMajorAxisKm     float64   // SEMI_MAJOR_AXIS [km]; 0 when absent
	MeanMotionRevPerDay float64   // MEAN_MOTION [rev/day]; 0 when absent
	Eccentricity        float64   // ECCENTRICITY
	InclinationDeg      float64   // INCLINATION [deg]
	RAANDeg             float64   // RA_OF_ASC_NODE [deg]
	ArgPericenterDeg    float64   // ARG_OF_PERICENTER [deg]
	MeanAnomalyDeg      float64   // MEAN_ANOMALY [deg]
	GMKm3S2             float64   // GM [km³/s²]; 0 when absent
}

// OMMSpacecraft are the optional spacecraft parameters.
type OMMSpacecraft struct {
	Comments       []string
	MassKg         *float64 // MASS [kg]
	SolarRadAreaM2 *float64 // SOLAR_RAD_AREA [m²]
	SolarRadCoeff  *float64 // SOLAR_RAD_COEFF
	DragAreaM2     *float64 // DRAG_AREA [m²]
	DragCoeff      *float64 // DRAG_COEFF
}

// OMMTLEParameters are the TLE-related parameters. Values absent from the
// message read as their defaults: EphemerisType 0, ClassificationType "U",
// NoradCatID, ElementSetNo and RevAtEpoch 0.
type OMMTLEParameters struct {
	Comments             []string
	EphemerisType        int      // EPHEMERIS_TYPE: 0 SGP4, 2 SGP4 (same), 4 SGP4-XP
	ClassificationType   string   // CLASSIFICATION_TYPE: U, C, S
	NoradCatID           int      // NORAD_CAT_ID, up to 9 digits
	ElementSetNo         int      // ELEMENT_SET_NO
	RevAtEpoch           int      // REV_AT_EPOCH
	BStarPerEarthRadius  *float64 // BSTAR [1/ER] (SGP4); nil when BTERM is given instead
	BTermM2Kg            *float64 // BTERM [m²/kg] (SGP4-XP, ODM 3.0)
	MeanMotionDotRevDay2 float64  // MEAN_MOTION_DOT [rev/day²], TLE convention (n-dot/2)
	// MEAN_MOTION_DDOT [rev/day³], TLE convention (n-ddot/6); nil when AGOM is given instead.
	MeanMotionDdotRevDay3 *float64
	AGOMM2Kg              *float64 // AGOM [m²/kg] (SGP4-XP, ODM 3.0)
}

// OMMCovariance is the 6x6 position/velocity covariance, lower triangle
// CX_X … CZ_DOT_Z_DOT, stored full and symmetric. Units km², km²/s, km²/s².
type OMMCovariance struct {
	Comments []string
	RefFrame string // COV_REF_FRAME; "" means the metadata REF_FRAME
	Cov      [6][6]float64
}

// UserParam is one USER_DEFINED_x keyword.
type UserParam struct {
	Name  string // the x of USER_DEFINED_x
	Value string
}

// ElementSet converts an OMM whose elements are SGP4 mean elements
// (MEAN_ELEMENT_THEORY SGP/SGP4 or SGP4, REF_FRAME TEME, TIME_SYSTEM UTC,
// CENTER_NAME EARTH, MEAN_MOTION and BSTAR given) into a gp.ElementSet. Any
// other theory, SGP4-XP included, is refused with ErrUnsupportedTheory: its
// elements would be silently wrong in SGP4.
func (o *OMM) ElementSet() (gp.ElementSet, error) {
	th := strings.ToUpper(strings.TrimSpace(o.Metadata.MeanElementTheory))
	switch th {
	case "SGP/SGP4", "SGP4":
	default:
		return gp.ElementSet{}, fmt.Errorf("%w: MEAN_ELEMENT_THEORY %q (object %q): only SGP/SGP4 and SGP4 elements can be used", ErrUnsupportedTheory, o.Metadata.MeanElementTheory, o.Metadata.ObjectName)
	}
	bad := func(format string, args ...any) (gp.ElementSet, error) {
		return gp.ElementSet{}, fmt.Errorf("%w: object %q: %s", ErrNotSGP4, o.Metadata.ObjectName, fmt.Sprintf(format, args...))
	}
	switch {
	case !strings.EqualFold(o.Metadata.RefFrame, "TEME"):
		return bad("REF_FRAME %q, SGP4 elements are in TEME", o.Metadata.RefFrame)
	case !strings.EqualFold(o.Metadata.TimeSystem, "UTC"):
		return bad("TIME_SYSTEM %q, SGP4 epochs are UTC", o.Metadata.TimeSystem)
	case !strings.EqualFold(o.Metadata.CenterName, "EARTH"):
		return bad("CENTER_NAME %q, SGP4 is for Earth orbits", o.Metadata.CenterName)
	case o.MeanElements.MeanMotionRevPerDay == 0:
		return bad("no MEAN_MOTION (SGP4 needs the Kozai mean motion, not SEMI_MAJOR_AXIS)")
	case o.TLE == nil:
		return bad("no TLE parameters (BSTAR, MEAN_MOTION_DOT, …)")
	case o.TLE.EphemerisType == 4 || o.TLE.BTermM2Kg != nil || o.TLE.AGOMM2Kg != nil:
		return gp.ElementSet{}, fmt.Errorf("%w: object %q: EPHEMERIS_TYPE %d, BTERM or AGOM mark SGP4-XP elements", ErrUnsupportedTheory, o.Metadata.ObjectName, o.TLE.EphemerisType)
	case o.TLE.BStarPerEarthRadius == nil:
		return bad("no BSTAR")
	}
	e := gp.ElementSet{
		Name:                  o.Metadata.ObjectName,
		CatalogNumber:         o.TLE.NoradCatID,
		IntlDesignator:        TLEDesignator(o.Metadata.ObjectID),
		Epoch:                 o.MeanElements.Epoch,
		MeanMotionRevPerDay:   o.MeanElements.MeanMotionRevPerDay,
		Eccentricity:          o.MeanElements.Eccentricity,
		InclinationDeg:        o.MeanElements.InclinationDeg,
		RAANDeg:               o.MeanElements.RAANDeg,
		ArgPerigeeDeg:         o.MeanElements.ArgPericenterDeg,
		MeanAnomalyDeg:        o.MeanElements.MeanAnomalyDeg,
		MeanMotionDotRevDay2:  o.TLE.MeanMotionDotRevDay2,
		BStarPerEarthRadius:   *o.TLE.BStarPerEarthRadius,
		EphemerisType:         o.TLE.EphemerisType,
		ElementSetNumber:      o.TLE.ElementSetNo,
		RevAtEpoch:            o.TLE.RevAtEpoch,
		Classification:        'U',
		MeanMotionDdotRevDay3: 0,
	}
	if o.TLE.MeanMotionDdotRevDay3 != nil {
		e.MeanMotionDdotRevDay3 = *o.TLE.MeanMotionDdotRevDay3
	}
	if c := strings.TrimSpace(o.TLE.ClassificationType); c != "" {
		e.Classification = c[0]
	}
	if err := e.Validate(); err != nil {
		return gp.ElementSet{}, fmt.Errorf("ccsds: OMM object %q: %w", o.Metadata.ObjectName, err)
	}
	return e, nil
}

// OMMFromElementSet builds an OMM (version 2.0, SGP4 theory, TEME, UTC) from
// a GP element set. CreationDate and Originator are left for the caller; an
// element set without a (valid) designator gets an empty ObjectID, which the
// KVN and XML writers write as UNKNOWN.
func OMMFromElementSet(e gp.ElementSet) OMM {
	cls := "U"
	if e.Classification != 0 {
		cls = string(rune(e.Classification))
	}
	return OMM{
		Header: ODMHeader{Version: "2.0"},
		Metadata: OMMMetadata{
			ObjectName:        e.Name,
			ObjectID:          COSPARDesignator(e.IntlDesignator),
			CenterName:        "EARTH",
			RefFrame:          "TEME",
			TimeSystem:        "UTC",
			MeanElementTheory: "SGP4",
		},
		MeanElements: OMMMeanElements{
			Epoch:               e.Epoch.UTC(),
			MeanMotionRevPerDay: e.MeanMotionRevPerDay,
			Eccentricity:        e.Eccentricity,
			InclinationDeg:      e.InclinationDeg,
			RAANDeg:             e.RAANDeg,
			ArgPericenterDeg:    e.ArgPerigeeDeg,
			MeanAnomalyDeg:      e.MeanAnomalyDeg,
		},
		TLE: &OMMTLEParameters{
			EphemerisType:         e.EphemerisType,
			ClassificationType:    cls,
			NoradCatID:            e.CatalogNumber,
			ElementSetNo:          e.ElementSetNumber,
			RevAtEpoch:            e.RevAtEpoch,
			BStarPerEarthRadius:   Float(e.BStarPerEarthRadius),
			MeanMotionDotRevDay2:  e.MeanMotionDotRevDay2,
			MeanMotionDdotRevDay3: Float(e.MeanMotionDdotRevDay3),
		},
	}
}

// TLEDesignator turns a COSPAR designator "1998-067A" into the TLE form
// "98067A". The piece letters may be missing, as in some analyst and
// historical TLEs ("1981-053" ↔ "81053"). Text that is not a COSPAR
// designator gives "".
func TLEDesignator(objectID string) string {
	s := strings.TrimSpace(objectID)
	if len(s) < 8 || len(s) > 11 || s[4] != '-' {
		return ""
	}
	if _, ok := digitsN(s[:4]); !ok {
		return ""
	}
	if _, ok := digitsN(s[5:8]); !ok {
		return ""
	}
	for i := 8; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return ""
		}
	}
	return s[2:4] + s[5:]
}

// COSPARDesignator turns a TLE designator "98067A" into "1998-067A" (years
// 57-99 are 19xx, 00-56 20xx). Text that is not a TLE designator gives "".
func COSPARDesignator(tleID string) string {
	s := strings.TrimSpace(tleID)
	if len(s) < 5 || len(s) > 8 {
		return ""
	}
	yy, ok := digitsN(s[:2])
	if !ok {
		return ""
	}
	if _, ok := digitsN(s[2:5]); !ok {
		return ""
	}
	for i := 5; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return ""
		}
	}
	century := "20"
	if yy >= 57 {
		century = "19"
	}
	return century + s[:2] + "-" + s[2:5] + s[5:]
}
