package sgp4

import (
	"fmt"
	"math"
)

// Gravity selects the Earth model constants of SGP4.
type Gravity uint8

const (
	// WGS72 is the default and what the element sets are fitted with.
	WGS72 Gravity = iota
	// WGS72Old is WGS-72 with the low-precision xke of Spacetrack Report #3.
	WGS72Old
	// WGS84 is WGS-84; element sets are not fitted with it, so it is rarely right.
	WGS84
)

// String names the model.
func (g Gravity) String() string {
	switch g {
	case WGS72:
		return "WGS-72"
	case WGS72Old:
		return "WGS-72 old"
	case WGS84:
		return "WGS-84"
	}
	return fmt.Sprintf("Gravity(%d)", uint8(g))
}

// OpsMode selects Vallado's operation mode.
type OpsMode uint8

const (
	// OpsImproved is Vallado's "i" mode: modern sidereal time at epoch.
	OpsImproved OpsMode = iota
	// OpsAFSPC is Vallado's "a" mode, closer to the operational AFSPC code: the
	// 1970-based sidereal time at epoch and node wrapping into [0, 2pi) in the
	// Lyddane modification.
	OpsAFSPC
)

// String gives Vallado's one-letter name.
func (m OpsMode) String() string {
	switch m {
	case OpsImproved:
		return "i"
	case OpsAFSPC:
		return "a"
	}
	return fmt.Sprintf("OpsMode(%d)", uint8(m))
}

// Option configures New.
type Option func(*config)

type config struct {
	gravity Gravity
	opsMode OpsMode
}

// WithGravity selects the gravity constants (default WGS72).
func WithGravity(g Gravity) Option { return func(c *config) { c.gravity = g } }

// WithOpsMode selects the operation mode (default OpsImproved).
func WithOpsMode(m OpsMode) Option { return func(c *config) { c.opsMode = m } }

// gravConst holds getgravconst's outputs.
type gravConst struct {
	tumin, mus, radiusearthkm, xke, j2, j3, j4, j3oj2 float64
}

func gravityConstants(g Gravity) (gravConst, bool) {
	var c gravConst
	switch g {
	case WGS72Old:
		c.mus = 398600.79964 // km³/s²
		c.radiusearthkm = 6378.135
		c.xke = 0.0743669161
		c.j2, c.j3, c.j4 = 0.001082616, -0.00000253881, -0.00000165597
	case WGS72:
		c.mus = 398600.8
		c.radiusearthkm = 6378.135
		c.xke = 60.0 / math.Sqrt(c.radiusearthkm*c.radiusearthkm*c.radiusearthkm/c.mus)
		c.j2, c.j3, c.j4 = 0.001082616, -0.00000253881, -0.00000165597
	case WGS84:
		c.mus = 398600.5
		c.radiusearthkm = 6378.137
		c.xke = 60.0 / math.Sqrt(c.radiusearthkm*c.radiusearthkm*c.radiusearthkm/c.mus)
		c.j2, c.j3, c.j4 = 0.00108262998905, -0.00000253215306, -0.00000161098761
	default:
		return c, false
	}
	c.tumin = 1 / c.xke
	c.j3oj2 = c.j3 / c.j2
	return c, true
}
