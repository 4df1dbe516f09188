package collision

import (
	"fmt"
	"strings"
)

// Method names a Pc method as the CLI spells it.
type Method string

const (
	MethodFoster     Method = "foster"      // Foster1992
	MethodChan       Method = "chan"        // Chan1997
	MethodAlfanoMax  Method = "alfano-max"  // Alfano2005MaxPc / Alfano2005MaxPcScaled
	MethodMonteCarlo Method = "monte-carlo" // Pc3DMonteCarlo
)

// ParseMethods reads a comma-separated list of method names; "all" stands
// for foster, chan and alfano-max (Monte Carlo is slow and must be asked for
// by name).
func ParseMethods(s string) ([]Method, error) {
	var out []Method
	seen := map[Method]bool{}
	add := func(m Method) {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	for _, f := range strings.Split(s, ",") {
		switch m := Method(strings.ToLower(strings.TrimSpace(f))); m {
		case "all":
			add(MethodFoster)
			add(MethodChan)
			add(MethodAlfanoMax)
		case MethodFoster, MethodChan, MethodAlfanoMax, MethodMonteCarlo:
			add(m)
		case "montecarlo", "mc":
			add(MethodMonteCarlo)
		default:
			return nil, fmt.Errorf("%w %q (want foster, chan, alfano-max, monte-carlo or all)", ErrUnknownMethod, f)
		}
	}
	return out, nil
}

// Request is one Pc computation: two objects at TCA, the combined hard-body
// radius and the methods wanted.
type Request struct {
	Primary, Secondary Object
	HardBodyRadiusM    float64
	Methods            []Method // empty: foster
	MonteCarlo         MonteCarloOptions
}

// Flags summarise the caveats behind a Pc.
type Flags struct {
	// NPDRemediated: a covariance eigenvalue was clipped (2D: the projected
	// 2x2 below (1e-4·HBR)²; Monte Carlo: a 6x6 below 0).
	NPDRemediated bool `json:"npd_remediated"`
	// DefaultCovariance: at least one covariance came from
	// DefaultCovarianceTLE rather than orbit determination.
	DefaultCovariance bool `json:"default_covariance"`
	// Violates2D: CheckUsage2D found a usage violation; a 2D Pc may then be
	// far from the true value (use Monte Carlo or a 3D method).
	Violates2D bool `json:"violates_2d"`
	// NoCovariance: computed without covariances (alfano-max bound).
	NoCovariance bool `json:"no_covariance"`
}

// Result is one method's answer, with the numbers that explain it.
type Result struct {
	Method          Method  `json:"method"`
	Pc              float64 `json:"pc"`
	HardBodyRadiusM float64 `json:"hbr_m"`
	// MissDistanceM is the encounter-plane miss distance [m].
	MissDistanceM   float64 `json:"miss_distance_m"`
	RelativeSpeedMS float64 `json:"relative_speed_m_s"`
	// Plane: miss components and sigmas along the covariance principal axes
	// (nil without covariances).
	Plane *PlaneGeometry `json:"plane,omitempty"`
	// Usage: the 2D usage-violation indicators (nil without covariances).
	Usage *UsageCheck2D `json:"usage,omitempty"`
	Flags Flags         `json:"flags"`
	// CovarianceScale is, for alfano-max with covariances, the factor k on
	// the sigmas (covariance ×k²) that maximises Pc; 0 otherwise.
	CovarianceScale float64 `json:"covariance_scale,omitempty"`
	// BoundSigmaM is, for alfano-max without covariances, the worst-case
	// 1-sigma along the miss [m].
	BoundSigmaM float64 `json:"bound_sigma_m,omitempty"`
	// MonteCarlo holds the sample counts and confidence interval.
	MonteCarlo *MonteCarloResult `json:"monte_carlo,omitempty"`
	// Note says in one sentence what the number is.
	Note string `json:"note"`
}

// Compute runs the requested methods. A method that cannot run (for example
// foster without covariances) makes the whole call fail with a wrapped
// sentinel; nothing is computed from invented data.
func Compute(req Request) ([]Result, error) {
	if err := checkHBR(req.HardBodyRadiusM); err != nil {
		return nil, err
	}
	if err := req.Primary.validate("primary"); err != nil {
		return nil, err
	}
	if err := req.Secondary.validate("secondary"); err != nil {
		return nil, err
	}
	methods := req.Methods
	if len(methods) == 0 {
		methods = []Method{MethodFoster}
	}
	hbr := req.HardBodyRadiusM
	haveCov := req.Primary.Covariance != nil && req.Secondary.Covariance != nil

	// Shared geometry for every covariance-based method.
	var (
		enc   *Encounter
		plane PlaneGeometry
		usage UsageCheck2D
		base  Result
	)
	if haveCov {
		var err error
		enc, err = NewEncounter(req.Primary, req.Secondary)
		if err != nil {
			return nil, err
		}
		plane, err = enc.Plane.principal(hbr)
		if err != nil {
			return nil, err
		}
		usage, err = CheckUsage2D(enc, req.Primary, req.Secondary, hbr)
		if err != nil {
			return nil, err
		}
		base = Result{
			HardBodyRadiusM: hbr,
			MissDistanceM:   enc.MissDistanceM,
			RelativeSpeedMS: enc.RelativeSpeedMS,
			Plane:           &plane,
			Usage:           &usage,
			Flags: Flags{
				NPDRemediated:     plane.Remediated,
				DefaultCovariance: enc.DefaultCovariance,
				Violates2D:        usage.Violated(),
			},
		}
	}

	out := make([]Result, 0, len(methods))
	for _, m := range methods {
		r := base
		r.Method = m
		switch m {
		case MethodFoster:
			if !haveCov {
				return nil, fmt.Errorf("foster: %w", ErrNoCovariance)
			}
			r.Pc = fosterPrincipal(plane.MissMajorM, plane.MissMinorM, plane.SigmaMajorM, plane.SigmaMinorM, hbr)
			r.Note = "Foster (1992) 2D Pc: Gaussian integrated over the HBR disk in the encounter plane"
		case MethodChan:
			if !haveCov {
				return nil, fmt.Errorf("chan: %w", ErrNoCovariance)
			}
			r.Pc = chanPrincipal(plane.MissMajorM, plane.MissMinorM, plane.SigmaMajorM, plane.SigmaMinorM, hbr)
			r.Note = "Chan (1997) 2D Pc: series for the equal-area circle in the isotropic-scaled plane"
		case MethodAlfanoMax:
			if haveCov {
				pc, k, err := Alfano2005MaxPcScaled(enc.Plane, hbr)
				if err != nil {
					return nil, err
				}
				r.Pc, r.CovarianceScale = pc, k
				r.Note = "Alfano (2005) maximum 2D Pc over the covariance size, shape kept"
				break
			}
			g, err := newGeometry(req.Primary, req.Secondary)
			if err != nil {
				return nil, err
			}
			pc, s, err := Alfano2005MaxPc(g.MissDistanceM, hbr)
			if err != nil {
				return nil, err
			}
			r = Result{
				Method:          m,
				Pc:              pc,
				HardBodyRadiusM: hbr,
				MissDistanceM:   g.MissDistanceM,
				RelativeSpeedMS: g.RelativeSpeedMS,
				Flags:           Flags{NoCovariance: true},
				BoundSigmaM:     s,
				Note:            "Alfano (2005) upper bound on the 2D Pc over all covariances (no covariance used)",
			}
		case MethodMonteCarlo:
			if !haveCov {
				return nil, fmt.Errorf("monte-carlo: %w", ErrNoCovariance)
			}
			mc, err := Pc3DMonteCarlo(req.Primary, req.Secondary, hbr, req.MonteCarlo)
			if err != nil {
				return nil, err
			}
			r.Pc = mc.Pc
			r.MonteCarlo = &mc
			// The 2D usage flags describe the 2D methods, not this one.
			r.Flags.Violates2D = false
			r.Flags.NPDRemediated = mc.NPDRemediated
			r.Note = "Monte Carlo Pc: sampled states moved over the encounter window, HBR penetrations counted"
		default:
			return nil, fmt.Errorf("%w %q", ErrUnknownMethod, string(m))
		}
		out = append(out, r)
	}
	return out, nil
}

func errInvalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidInput, fmt.Sprintf(format, args...))
}
