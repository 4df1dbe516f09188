package ccsds

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CDM is a CCSDS Conjunction Data Message (CCSDS 508.0-B-1, version 1.0;
// messages labelled 2.0 are read too, their extra keywords kept in Extra).
//
// It is plain data: build one by hand and write it with WriteCDMKVN or
// WriteCDMXML. Optional numbers are pointers (nil = absent), optional times
// are the zero time.Time, optional text is "". An optional number the message
// gave as NaN (CARA does so for unknown values) is kept as a pointer to NaN;
// an optional integer given as NaN is read as absent. Times are UTC.
type CDM struct {
	Header   CDMHeader
	Relative CDMRelative
	// Objects[0] is OBJECT1 (usually the operator's satellite), Objects[1] OBJECT2.
	Objects [2]CDMObject
}

// CDMHeader is the message header.
type CDMHeader struct {
	Version      string // CCSDS_CDM_VERS, "1.0" or "2.0"
	Comments     []string
	CreationDate time.Time // CREATION_DATE
	Originator   string    // ORIGINATOR
	MessageFor   string    // MESSAGE_FOR (optional)
	MessageID    string    // MESSAGE_ID
	Extra        []Field   // CDM 2.0 header keywords not modelled here (CLASSIFICATION, …)
}

// CDMRelative is the relative metadata/data section: the encounter geometry
// at the time of closest approach. RTN is object 1's radial, transverse,
// normal frame; values are object 2 relative to object 1.
type CDMRelative struct {
	Comments              []string
	TCA                   time.Time   // time of closest approach (UTC)
	MissDistanceM         float64     // MISS_DISTANCE [m]
	RelativeSpeedMS       *float64    // RELATIVE_SPEED [m/s]
	RelativePositionRTNM  *[3]float64 // RELATIVE_POSITION_R/T/N [m]; a component not given is NaN
	RelativeVelocityRTNMS *[3]float64 // RELATIVE_VELOCITY_R/T/N [m/s]; a component not given is NaN
	StartScreenPeriod     time.Time   // START_SCREEN_PERIOD
	StopScreenPeriod      time.Time   // STOP_SCREEN_PERIOD
	ScreenVolumeFrame     string      // SCREEN_VOLUME_FRAME (RTN or TVN)
	ScreenVolumeShape     string      // SCREEN_VOLUME_SHAPE (ELLIPSOID or BOX)
	ScreenVolumeXM        *float64    // SCREEN_VOLUME_X [m]
	ScreenVolumeYM        *float64    // SCREEN_VOLUME_Y [m]
	ScreenVolumeZM        *float64    // SCREEN_VOLUME_Z [m]
	ScreenEntryTime       time.Time   // SCREEN_ENTRY_TIME
	ScreenExitTime        time.Time   // SCREEN_EXIT_TIME
	CollisionProbability  *float64    // COLLISION_PROBABILITY
	// COLLISION_PROBABILITY_METHOD, e.g. FOSTER-1992, ALFANO-2005.
	CollisionProbabilityMethod string
	Extra                      []Field // CDM 2.0 relative keywords not modelled here
}

// CDMObject is one object's metadata and data.
//
// The state vector is in RefFrame (EME2000, GCRF or ITRF) centred on
// OrbitCenter. CovRTN is the covariance of that state expressed in the
// object's own RTN frame (R along the position vector, N along the angular
// momentum, T completing the triad), in SI units as CCSDS writes it:
// index 0..2 are R, T, N position [m], 3..5 their rates [m/s]; so the 6x6
// block is in m², m²/s and m²/s². Rows 6, 7, 8 (present when CovSize is 7, 8
// or 9) are the drag (C_D·A/m [m²/kg]), solar-pressure (C_R·A/m [m²/kg]) and
// thrust acceleration [m/s²] terms: CDRG_* [m³/kg, m³/(kg·s), m⁴/kg²],
// CSRP_* likewise, CTHR_* [m²/s², m²/s³, m³/(kg·s²), m²/s⁴]. The matrix is
// stored full and symmetric; entries of a present row that the message did
// not give are NaN.
type CDMObject struct {
	// Metadata.
	MetadataComments        []string
	Object                  string // OBJECT: OBJECT1 or OBJECT2
	ObjectDesignator        string // OBJECT_DESIGNATOR (satellite catalog number as text)
	CatalogName             string // CATALOG_NAME, e.g. SATCAT
	ObjectName              string // OBJECT_NAME
	InternationalDesignator string // INTERNATIONAL_DESIGNATOR, e.g. 1997-030E
	ObjectType              string // OBJECT_TYPE: PAYLOAD, ROCKET BODY, DEBRIS, UNKNOWN, OTHER
	OperatorContactPosition string
	OperatorOrganization    string
	OperatorPhone           string
	OperatorEmail           string
	EphemerisName           string // EPHEMERIS_NAME (NONE when from the catalog)
	CovarianceMethod        string // CALCULATED or DEFAULT
	Maneuverable            string // YES, NO or N/A
	OrbitCenter             string // ORBIT_CENTER; EARTH when the message omits it
	RefFrame                string // REF_FRAME of the state vector: EME2000, GCRF, ITRF
	GravityModel            string
	AtmosphericModel        string
	NBodyPerturbations      string
	SolarRadPressure        string // YES or NO
	EarthTides              string // YES or NO
	IntrackThrust           string // YES or NO

	// OD parameters (all optional).
	ODComments            []string
	TimeLastObStart       time.Time
	TimeLastObEnd         time.Time
	RecommendedODSpanDays *float64
	ActualODSpanDays      *float64
	ObsAvailable          *int
	ObsUsed               *int
	TracksAvailable       *int
	TracksUsed            *int
	ResidualsAcceptedPct  *float64
	WeightedRMS           *float64

	// Additional parameters (all optional).
	AdditionalComments    []string
	AreaPCM2              *float64 // AREA_PC [m²]
	AreaDragM2            *float64 // AREA_DRG [m²]
	AreaSRPM2             *float64 // AREA_SRP [m²]
	MassKg                *float64 // MASS [kg]
	CDAreaOverMassM2Kg    *float64 // CD_AREA_OVER_MASS [m²/kg]
	CRAreaOverMassM2Kg    *float64 // CR_AREA_OVER_MASS [m²/kg]
	ThrustAccelerationMS2 *float64 // THRUST_ACCELERATION [m/s²]
	SEDRWKg               *float64 // SEDR, energy dissipation rate [W/kg]

	// State vector at TCA, in RefFrame.
	StateComments []string
	PositionKm    [3]float64 // X, Y, Z [km]
	VelocityKmS   [3]float64 // X_DOT, Y_DOT, Z_DOT [km/s]

	// Covariance at TCA in the object's RTN frame (see the type comment).
	CovarianceComments []string
	CovRTN             [9][9]float64
	CovSize            int // 6, 7, 8 or 9; 0 is read as 6 when writing

	Extra []Field // CDM 2.0 and USER_DEFINED_* keywords not modelled here, in message order
}

// Field is a keyword this package keeps but does not interpret.
type Field struct {
	Keyword string
	Value   string
	Units   string // "" when none
}

// Float returns a pointer to v, for filling optional fields.
func Float(v float64) *float64 { return &v }

// Int returns a pointer to v, for filling optional fields.
func Int(v int) *int { return &v }

// CovRTN6 returns the position/velocity block of CovRTN [m², m²/s, m²/s²].
func (o *CDMObject) CovRTN6() [6][6]float64 {
	var c [6][6]float64
	for i := range 6 {
		copy(c[i][:], o.CovRTN[i][:6])
	}
	return c
}

// SetCovRTN6 stores a 6x6 RTN covariance [m², m²/s, m²/s²], clearing any
// extended rows, and sets CovSize to 6. Only the lower triangle is read; the
// stored matrix is symmetric.
func (o *CDMObject) SetCovRTN6(c [6][6]float64) {
	o.CovRTN = [9][9]float64{}
	for i := range 6 {
		for j := 0; j <= i; j++ {
			o.CovRTN[i][j] = c[i][j]
			o.CovRTN[j][i] = c[i][j]
		}
	}
	o.CovSize = 6
}

var hbrComment = regexp.MustCompile(`^(?i)\s*HBR\s*[=:]\s*([-+0-9.eE]+)\s*(?:\[\s*(m|km)\s*\])?\s*$`)

// HardBodyRadiusM returns the combined hard-body radius in metres and
// whether the message states one. CARA writes it as a comment
// "HBR = 20 [m]" (units m when not given; [km] is converted); CDM 2.0 has an
// HBR keyword per object in the additional parameters, and when both objects
// give it the sum is returned. A comment takes precedence.
func (c *CDM) HardBodyRadiusM() (float64, bool) {
	lists := [][]string{c.Header.Comments, c.Relative.Comments}
	for i := range c.Objects {
		o := &c.Objects[i]
		lists = append(lists, o.MetadataComments, o.ODComments, o.AdditionalComments, o.StateComments, o.CovarianceComments)
	}
	for _, l := range lists {
		for _, s := range l {
			m := hbrComment.FindStringSubmatch(s)
			if m == nil {
				continue
			}
			v, ok := parseNumber(m[1])
			if !ok || v < 0 {
				continue
			}
			if strings.EqualFold(m[2], "km") {
				v *= 1000
			}
			return v, true
		}
	}
	sum, n := 0.0, 0
	for i := range c.Objects {
		for _, f := range c.Objects[i].Extra {
			if f.Keyword != "HBR" {
				continue
			}
			v, err := strconv.ParseFloat(f.Value, 64)
			if err != nil || v < 0 || math.IsInf(v, 0) {
				return 0, false
			}
			if strings.EqualFold(f.Units, "km") {
				v *= 1000
			}
			sum += v
			n++
			break
		}
	}
	if n == 2 {
		return sum, true
	}
	return 0, false
}
