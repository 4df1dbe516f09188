package collision

import (
	"fmt"
	"math"
	"time"
)

// CovarianceFrame names the axes a covariance is expressed in.
type CovarianceFrame int

const (
	// FrameRTN is the object's own radial, transverse, normal frame (R along
	// the position vector, N along the orbital angular momentum r×v,
	// T = N×R), the frame of CCSDS CDM covariances. Also called RIC or RSW.
	FrameRTN CovarianceFrame = iota
	// FrameInertial is the inertial frame of the object's state vector.
	FrameInertial
)

func (f CovarianceFrame) String() string {
	switch f {
	case FrameRTN:
		return "RTN"
	case FrameInertial:
		return "inertial"
	}
	return fmt.Sprintf("CovarianceFrame(%d)", int(f))
}

// Covariance is one object's state covariance at the time of closest
// approach, in SI units as CCSDS writes it: index 0..2 are position [m],
// 3..5 velocity [m/s], so the blocks are m², m²/s and m²/s².
type Covariance struct {
	Frame CovarianceFrame
	// Dim is 3 for a position-only covariance (rows and columns 3..5 are
	// ignored) or 6 for position and velocity.
	Dim int
	M   [6][6]float64
	// IsDefault marks a covariance invented from a model (DefaultCovarianceTLE)
	// rather than estimated by orbit determination; results say so.
	IsDefault bool
}

// PositionCovariance returns a position-only covariance [m²].
func PositionCovariance(frame CovarianceFrame, m [3][3]float64) Covariance {
	c := Covariance{Frame: frame, Dim: 3}
	for i := range 3 {
		for j := range 3 {
			c.M[i][j] = m[i][j]
		}
	}
	return c
}

// FullCovariance returns a position-velocity covariance [m², m²/s, m²/s²].
func FullCovariance(frame CovarianceFrame, m [6][6]float64) Covariance {
	return Covariance{Frame: frame, Dim: 6, M: m}
}

// validate checks dimensions and finiteness.
func (c *Covariance) validate() error {
	switch c.Dim {
	case 3:
		if !finiteMat3(posBlock(c.M)) {
			return fmt.Errorf("%w: covariance has a NaN or infinite element", ErrInvalidInput)
		}
	case 6:
		if !finiteMat6(c.M) {
			return fmt.Errorf("%w: covariance has a NaN or infinite element", ErrInvalidInput)
		}
	default:
		return fmt.Errorf("%w: covariance dimension %d (want 3 or 6)", ErrInvalidInput, c.Dim)
	}
	if c.Frame != FrameRTN && c.Frame != FrameInertial {
		return fmt.Errorf("%w: unknown covariance frame %d", ErrInvalidInput, int(c.Frame))
	}
	return nil
}

// RTNToInertial returns the rotation matrix whose columns are the R, T and N
// unit vectors of the state (r, v) expressed in the inertial frame, so that
// x_inertial = M·x_RTN. Units of r and v do not matter. It fails when r or
// r×v is zero or not finite.
func RTNToInertial(r, v [3]float64) ([3][3]float64, error) {
	rh, ok := unit3(r)
	if !ok {
		return mat3{}, fmt.Errorf("%w: RTN frame needs a non-zero finite position", ErrInvalidInput)
	}
	nh, ok := unit3(cross3(r, v))
	if !ok {
		return mat3{}, fmt.Errorf("%w: RTN frame needs non-parallel position and velocity", ErrInvalidInput)
	}
	th := cross3(nh, rh)
	var m mat3
	for i := range 3 {
		m[i][0] = rh[i]
		m[i][1] = th[i]
		m[i][2] = nh[i]
	}
	return m, nil
}

// inertial6 returns the covariance as a 6x6 in the inertial frame (velocity
// block zero for a 3x3), rotating RTN by the state (rKm, vKmS). Like CARA's
// RIC-to-ECI conversion it rotates the velocity block with the same matrix
// (the rotating-frame term ω×r is not added).
func (c *Covariance) inertial6(rKm, vKmS vec3) (mat6, error) {
	if err := c.validate(); err != nil {
		return mat6{}, err
	}
	m := c.M
	if c.Dim == 3 {
		var p mat6
		for i := range 3 {
			for j := range 3 {
				p[i][j] = m[i][j]
			}
		}
		m = p
	}
	m = symmetrize6(m)
	if c.Frame == FrameInertial {
		return m, nil
	}
	rot, err := RTNToInertial(rKm, vKmS)
	if err != nil {
		return mat6{}, err
	}
	return rotate6(rot, m), nil
}

// ToInertial returns the covariance expressed in the inertial frame of the
// state (rKm [km], vKmS [km/s]). An inertial covariance is returned as is.
func (c Covariance) ToInertial(rKm, vKmS [3]float64) (Covariance, error) {
	m, err := c.inertial6(rKm, vKmS)
	if err != nil {
		return Covariance{}, err
	}
	return Covariance{Frame: FrameInertial, Dim: c.Dim, M: m, IsDefault: c.IsDefault}, nil
}

// ToRTN returns the covariance expressed in the RTN frame of the state
// (rKm [km], vKmS [km/s]). An RTN covariance is returned as is.
func (c Covariance) ToRTN(rKm, vKmS [3]float64) (Covariance, error) {
	if err := c.validate(); err != nil {
		return Covariance{}, err
	}
	if c.Frame == FrameRTN {
		return c, nil
	}
	rot, err := RTNToInertial(rKm, vKmS)
	if err != nil {
		return Covariance{}, err
	}
	m := c.M
	if c.Dim == 3 {
		m = mat6{}
		for i := range 3 {
			for j := range 3 {
				m[i][j] = c.M[i][j]
			}
		}
	}
	return Covariance{Frame: FrameRTN, Dim: c.Dim, M: rotate6(transpose3(rot), symmetrize6(m)), IsDefault: c.IsDefault}, nil
}

// npdClipFactor is CARA's eigenvalue clipping factor: eigenvalues below
// (npdClipFactor·HBR)² are raised to that level (PcCircle, Fclip = 1e-4).
const npdClipFactor = 1e-4

// minClipVarianceM2 and maxClipVarianceM2 keep the clipping level
// representable for denormal-small or astronomically large HBRs.
const (
	minClipVarianceM2 = 1e-280
	maxClipVarianceM2 = 1e280
)

// clipVarianceM2 is the eigenvalue clipping level (1e-4·HBR)² [m²].
func clipVarianceM2(hbrM float64) float64 {
	c := npdClipFactor * hbrM
	return math.Max(minClipVarianceM2, math.Min(maxClipVarianceM2, c*c))
}

// isPositiveDefinite3 reports whether the symmetric 3x3 matrix has only
// positive eigenvalues.
func isPositiveDefinite3(c mat3) bool {
	vals, _ := eig3Sym(c)
	return vals[0] > 0 && vals[1] > 0 && vals[2] > 0
}

// Default covariance for element sets without one.
//
// Source of the numbers: Vallado & Cefola (2012), "Two-line element sets —
// practice and use", IAC-12.C1.6.12, report TLE/SGP4 positions good to about
// 1 km at epoch with errors growing by roughly 1–3 km per day, almost all of
// it along track; Flohrer, Krag & Klinkrad (2008), "Assessment and
// categorization of TLE orbit errors for the US SSN catalogue" (AMOS), find
// the in-track error dominating, with radial and cross-track errors several
// times smaller. AstroShield takes the middle of that growth range and, as
// its own choice (not a published value), radial and cross-track sigmas one
// fifth of the in-track ones:
//
//	σ_T(age) = 1.0 km + 2.0 km/day·|age|
//	σ_R(age) = σ_N(age) = σ_T(age)/5
//
// with no correlations and no velocity terms (a 3x3 covariance). It is a
// coarse, documented placeholder for ranking, never a substitute for an
// estimated covariance; results computed with it say so.
const (
	defaultSigmaTAtEpochKm   = 1.0
	defaultSigmaTGrowthKmDay = 2.0
	defaultRadialCrossRatio  = 0.2
)

// DefaultCovarianceTLE returns the default position covariance (RTN, m²)
// for an element set of the given age at the time of closest approach (TCA
// minus element-set epoch; negative ages count by magnitude). See the
// constants above for the model and its sources. The result has IsDefault set.
func DefaultCovarianceTLE(age time.Duration) Covariance {
	days := math.Abs(age.Hours() / 24)
	sT := (defaultSigmaTAtEpochKm + defaultSigmaTGrowthKmDay*days) * 1000 // m
	sRN := defaultRadialCrossRatio * sT
	c := Covariance{Frame: FrameRTN, Dim: 3, IsDefault: true}
	c.M[0][0] = sRN * sRN
	c.M[1][1] = sT * sT
	c.M[2][2] = sRN * sRN
	return c
}

// DefaultCovarianceTLERTN6 is DefaultCovarianceTLE's position covariance
// [m²] with velocity variances (n·σ)² [m²/s²] on each axis, n = |v|/|r| the
// mean angular rate: a 6x6 RTN covariance a CDM reader can invert, for
// element sets that carry none (documented as COVARIANCE_METHOD = DEFAULT).
func DefaultCovarianceTLERTN6(age time.Duration, rKm, vKmS [3]float64) [6][6]float64 {
	pos := DefaultCovarianceTLE(age).M
	n := math.Sqrt((vKmS[0]*vKmS[0] + vKmS[1]*vKmS[1] + vKmS[2]*vKmS[2]) / (rKm[0]*rKm[0] + rKm[1]*rKm[1] + rKm[2]*rKm[2])) // rad/s
	var m [6][6]float64
	for i := range 3 {
		for j := range 3 {
			m[i][j] = pos[i][j]
		}
		m[i+3][i+3] = n * n * pos[i][i]
	}
	return m
}

// FosterDefaultCovariancePc is the Pc AstroShield reports for a conjunction
// found by screening element sets (TLE/OMM), which carry no covariance:
// Foster (1992) with DefaultCovarianceTLE for each object at its element-set
// age at TCA (the Result's Flags.DefaultCovariance is set), and Alfano
// (2005)'s upper bound over every covariance for the same miss distance.
// The CLI's `screen` and the desktop's conjunctions table both use it, so the
// two show the same numbers for the same inputs.
func FosterDefaultCovariancePc(primary, secondary Object, agePrimary, ageSecondary time.Duration, hbrM float64) (foster, alfanoMax Result, err error) {
	c1, c2 := DefaultCovarianceTLE(agePrimary), DefaultCovarianceTLE(ageSecondary)
	primary.Covariance, secondary.Covariance = &c1, &c2
	req := Request{Primary: primary, Secondary: secondary, HardBodyRadiusM: hbrM, Methods: []Method{MethodFoster}}
	r, err := Compute(req)
	if err != nil {
		return foster, alfanoMax, fmt.Errorf("foster pc with default covariances: %w", err)
	}
	foster = r[0]
	req.Primary.Covariance, req.Secondary.Covariance = nil, nil
	req.Methods = []Method{MethodAlfanoMax}
	if r, err = Compute(req); err != nil {
		return foster, alfanoMax, fmt.Errorf("alfano max pc: %w", err)
	}
	return foster, r[0], nil
}
