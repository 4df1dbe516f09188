package collision

import (
	"fmt"
	"math"
)

// Object is one participant of a conjunction at the time of closest approach
// (TCA). Both objects' states must be in the same inertial frame (EME2000,
// GCRF or TEME: the relative geometry differs between them by far less than a
// metre over an encounter).
type Object struct {
	PositionKm  [3]float64 // inertial position [km]
	VelocityKmS [3]float64 // inertial velocity [km/s]
	// Covariance of the state at TCA; nil when none is known (only the
	// alfano-max bound can then be computed, or use DefaultCovarianceTLE).
	Covariance *Covariance
}

// NewObjectRTN returns an Object from a CDM-style state — inertial position
// [km] and velocity [km/s] — and its 6x6 covariance in the object's RTN frame
// [m², m²/s, m²/s²], as CCSDS CDMs carry them.
func NewObjectRTN(positionKm, velocityKmS [3]float64, covRTN [6][6]float64) Object {
	c := FullCovariance(FrameRTN, covRTN)
	return Object{PositionKm: positionKm, VelocityKmS: velocityKmS, Covariance: &c}
}

func (o *Object) validate(name string) error {
	if !finite3(o.PositionKm) || !finite3(o.VelocityKmS) {
		return fmt.Errorf("%w: %s state has a NaN or infinite component", ErrInvalidInput, name)
	}
	if norm3(o.PositionKm) == 0 {
		return fmt.Errorf("%w: %s position is zero", ErrInvalidInput, name)
	}
	if o.Covariance != nil {
		if err := o.Covariance.validate(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// Encounter2D is the input of the 2D (short-encounter) methods: the miss
// vector and the combined position covariance of the two objects, both in the
// encounter plane (the plane through the primary perpendicular to the
// relative velocity at TCA), in any orthonormal axes of that plane.
type Encounter2D struct {
	MissM [2]float64    // secondary minus primary position in the plane [m]
	CovM2 [2][2]float64 // combined position covariance in the plane [m²]
}

// PlaneGeometry is an Encounter2D in the principal axes of its covariance,
// after non-positive-definite remediation: every 2D Pc is a function of
// these five numbers (and the HBR).
type PlaneGeometry struct {
	MissMajorM  float64 `json:"miss_major_m"`  // miss component along the major principal axis [m], >= 0
	MissMinorM  float64 `json:"miss_minor_m"`  // miss component along the minor principal axis [m], >= 0
	SigmaMajorM float64 `json:"sigma_major_m"` // 1-sigma along the major axis after remediation [m]
	SigmaMinorM float64 `json:"sigma_minor_m"` // 1-sigma along the minor axis after remediation [m]
	// MajorAxisAngleRad is the angle from the first plane axis to the major
	// principal axis.
	MajorAxisAngleRad float64 `json:"major_axis_angle_rad"`
	// EigenMajorM2 and EigenMinorM2 are the projected covariance's eigenvalues
	// before remediation [m²].
	EigenMajorM2 float64 `json:"eigen_major_m2"`
	EigenMinorM2 float64 `json:"eigen_minor_m2"`
	// Remediated is true when an eigenvalue was below the clipping level
	// (1e-4·HBR)² (CARA's PcCircle rule) and was raised to it; a
	// non-positive-definite projected covariance is always remediated.
	Remediated bool `json:"remediated"`
}

// principal decomposes e into its principal axes, clipping eigenvalues below
// (1e-4·hbrM)² as CARA's PcCircle does.
func (e Encounter2D) principal(hbrM float64) (PlaneGeometry, error) {
	a, b, c := e.CovM2[0][0], 0.5*(e.CovM2[0][1]+e.CovM2[1][0]), e.CovM2[1][1]
	if !isFinite(a) || !isFinite(b) || !isFinite(c) || !isFinite(e.MissM[0]) || !isFinite(e.MissM[1]) {
		return PlaneGeometry{}, fmt.Errorf("%w: encounter-plane miss or covariance not finite", ErrInvalidInput)
	}
	l1, l2, vx, vy := eig2Sym(a, b, c)
	g := PlaneGeometry{EigenMajorM2: l1, EigenMinorM2: l2, MajorAxisAngleRad: math.Atan2(vy, vx)}
	clip := clipVarianceM2(hbrM)
	if !(l1 >= clip) {
		l1 = clip
		g.Remediated = true
	}
	if !(l2 >= clip) {
		l2 = clip
		g.Remediated = true
	}
	// Keep the sigmas finite (a covariance near the float64 limit).
	l1, l2 = math.Min(l1, math.MaxFloat64), math.Min(l2, math.MaxFloat64)
	g.SigmaMajorM = math.Sqrt(l1)
	g.SigmaMinorM = math.Sqrt(l2)
	g.MissMajorM = math.Abs(e.MissM[0]*vx + e.MissM[1]*vy)
	g.MissMinorM = math.Abs(-e.MissM[0]*vy + e.MissM[1]*vx)
	return g, nil
}

// Encounter is the full conjunction geometry at TCA reduced to the encounter
// plane. Relative vectors are secondary minus primary, in the inertial frame
// of the states, in metres.
type Encounter struct {
	RelPositionM    [3]float64 // as given (at the stated TCA) [m]
	RelVelocityMS   [3]float64 // [m/s]
	RelativeSpeedMS float64
	// TCAOffsetS is the time from the stated TCA to the closest approach of
	// linear relative motion, −(r·v)/|v|². CDMs round TCA to the
	// millisecond; the plane projection below is the same as moving both
	// states to the true TCA (CARA's FindNearbyCA, linear mode).
	TCAOffsetS float64
	// MissDistanceM is the miss distance in the plane (|r| at the true TCA).
	MissDistanceM float64
	// AxisX is along the in-plane miss vector, AxisY along the relative
	// velocity, AxisZ = AxisX × AxisY; unit vectors in the inertial frame.
	AxisX, AxisY, AxisZ [3]float64
	// CombinedCovM2 is the sum of the two inertial position covariances [m²].
	CombinedCovM2 [3][3]float64
	// Plane is the 2D input: miss (MissDistanceM, 0) and the combined
	// covariance projected on (AxisX, AxisZ).
	Plane Encounter2D
	// NPD flags: the primary's, the secondary's and the combined 3x3
	// position covariance are not positive definite.
	PrimaryNPD, SecondaryNPD, CombinedNPD bool
	// DefaultCovariance is true when either covariance IsDefault.
	DefaultCovariance bool
}

// NewEncounter builds the encounter-plane geometry from two objects with
// covariances. It fails with ErrNoCovariance when either has none and with
// ErrZeroRelativeVelocity when the relative velocity vanishes (the 2D methods
// are undefined there).
func NewEncounter(primary, secondary Object) (*Encounter, error) {
	if err := primary.validate("primary"); err != nil {
		return nil, err
	}
	if err := secondary.validate("secondary"); err != nil {
		return nil, err
	}
	if primary.Covariance == nil || secondary.Covariance == nil {
		return nil, fmt.Errorf("%w: both objects need a covariance for this method", ErrNoCovariance)
	}
	c1, err := primary.Covariance.inertial6(primary.PositionKm, primary.VelocityKmS)
	if err != nil {
		return nil, fmt.Errorf("primary: %w", err)
	}
	c2, err := secondary.Covariance.inertial6(secondary.PositionKm, secondary.VelocityKmS)
	if err != nil {
		return nil, fmt.Errorf("secondary: %w", err)
	}
	e, err := newGeometry(primary, secondary)
	if err != nil {
		return nil, err
	}
	p1, p2 := posBlock(c1), posBlock(c2)
	e.CombinedCovM2 = addMat3(p1, p2)
	e.PrimaryNPD = !isPositiveDefinite3(p1)
	e.SecondaryNPD = !isPositiveDefinite3(p2)
	e.CombinedNPD = !isPositiveDefinite3(e.CombinedCovM2)
	e.DefaultCovariance = primary.Covariance.IsDefault || secondary.Covariance.IsDefault
	x, z := vec3(e.AxisX), vec3(e.AxisZ)
	cxz := quadForm3(x, e.CombinedCovM2, z)
	e.Plane = Encounter2D{
		MissM: [2]float64{e.MissDistanceM, 0},
		CovM2: [2][2]float64{
			{quadForm3(x, e.CombinedCovM2, x), cxz},
			{cxz, quadForm3(z, e.CombinedCovM2, z)},
		},
	}
	return e, nil
}

// newGeometry fills the covariance-free part of an Encounter.
func newGeometry(primary, secondary Object) (*Encounter, error) {
	r := scale3(1000, sub3(secondary.PositionKm, primary.PositionKm))
	v := scale3(1000, sub3(secondary.VelocityKmS, primary.VelocityKmS))
	e := &Encounter{RelPositionM: r, RelVelocityMS: v, RelativeSpeedMS: norm3(v)}
	yh, ok := unit3(v)
	if !ok {
		return nil, fmt.Errorf("%w: |v2−v1| = %g m/s", ErrZeroRelativeVelocity, e.RelativeSpeedMS)
	}
	e.TCAOffsetS = -dot3(r, v) / dot3(v, v)
	rPerp := sub3(r, scale3(dot3(r, yh), yh))
	xh, ok := unit3(rPerp)
	if !ok {
		xh = perpendicular3(yh)
	}
	e.MissDistanceM = dot3(rPerp, xh)
	if e.MissDistanceM < 0 {
		e.MissDistanceM = 0
	}
	e.AxisX, e.AxisY, e.AxisZ = xh, yh, cross3(xh, yh)
	return e, nil
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
