package collision

import (
	"fmt"
	"math"
)

// Usage-violation check for the 2D methods, after CARA's UsageViolationPc2D
// and PcMultiStep (NASA CARA Analysis Tools; D. Hall et al.).
//
// The 2D methods assume a short encounter: the objects cross the combined
// covariance quickly along a straight line near TCA. With A the combined
// position covariance (eigenvalues clipped at (1e-4·HBR)²), r and v the
// relative position and velocity, the Mahalanobis distance along the
// rectilinear trajectory r + v·t is smallest at T = −rᵀA⁻¹v / vᵀA⁻¹v, and the
// time to cross one sigma of the covariance is σT = 1/√(vᵀA⁻¹v). The
// encounter spans Ta,b = T ∓ σT·√2·erfcinv(γ) with γ = 1e-16. The curvilinear
// analysis (curvilinear.go) refines T and σT along two-body trajectories with
// propagated covariances when it converges. Compared with the shorter
// orbital period Pmin:
//
//	Extended   = min(1, (Tb−Ta)/Pmin)              violation above 0.02
//	Offset     = min(1, max(|Ta|,|Tb|)/Pmin)       violation above 0.01
//	Inaccurate = 1 − exp(−|ln F|)                  violation above 0.02
//
// (PcMultiStep's default cutoffs for Extended and Offset; ln F is the
// estimated log ratio of the curvilinear to the rectilinear Pc, and the
// Inaccurate cutoff is the top of CARA's recommended 0.01–0.10 range because
// the Cartesian curvilinear estimate scatters by a few hundredths on benign
// encounters).
//
// A Cartesian Gaussian also stops describing an orbit's uncertainty when its
// long (in-track) axis is long enough for the orbit's curvature to matter:
// the arc of ±3σ along the largest axis of an object's position covariance
// deviates from its chord by the sagitta s = (3σmax)²/(2|r|), toward the
// Earth's centre. CovarianceCurvatureSigmas is the largest such displacement
// measured in sigmas of the encounter-plane covariance (its Mahalanobis
// length in the plane); above 1 the 2D result, and the Cartesian curvilinear
// analysis, are not trusted (CARA's equinoctial 2D-Nc exists for these
// cases). A non-positive-definite primary, secondary or combined position
// covariance is a violation too.

const (
	usageGamma       = 1e-16
	extendedCutoff   = 0.02
	offsetCutoff     = 0.01
	inaccurateCutoff = 0.10
	curvatureCutoff  = 1.0         // sigmas
	muEarthKm3S2     = 398600.4418 // EGM-96/WGS-84 [km³/s²]
)

// UsageCheck2D reports whether the 2D (short-encounter) assumptions hold,
// with the numbers behind the verdict. Times are relative to the stated TCA.
type UsageCheck2D struct {
	RelativeSpeedMS float64 `json:"relative_speed_m_s"`
	// Rectilinear analysis: time T of minimum Mahalanobis distance [s],
	// its time width σT [s] and Q(T) = MD² + ln det A (A in m²).
	RectilinearTimeS  float64 `json:"rectilinear_time_s"`
	RectilinearSigmaS float64 `json:"rectilinear_sigma_s"`
	RectilinearQ      float64 `json:"rectilinear_q"`
	// CovarianceCurvatureSigmas is the orbit-curvature displacement of the
	// ±3σ in-track arc in encounter-plane sigmas (see above).
	CovarianceCurvatureSigmas float64 `json:"covariance_curvature_sigmas"`
	// Curvilinear analysis: the same along two-body trajectories with
	// propagated covariances; run only when the curvature is at most 1
	// sigma, and only meaningful when CurvilinearConverged.
	CurvilinearConverged bool    `json:"curvilinear_converged"`
	CurvilinearTimeS     float64 `json:"curvilinear_time_s"`
	CurvilinearSigmaS    float64 `json:"curvilinear_sigma_s"`
	CurvilinearQ         float64 `json:"curvilinear_q"`
	CurvilinearSpeedMS   float64 `json:"curvilinear_speed_m_s"`
	// LogPcCorrection estimates ln(curvilinear Pc / 2D Pc) for small HBR.
	LogPcCorrection float64 `json:"log_pc_correction"`
	// EncounterStartS and EncounterEndS are Ta and Tb [s].
	EncounterStartS float64 `json:"encounter_start_s"`
	EncounterEndS   float64 `json:"encounter_end_s"`
	// Two-body orbital periods [s]; 0 for an open (non-elliptic) orbit.
	PeriodPrimaryS   float64 `json:"period_primary_s"`
	PeriodSecondaryS float64 `json:"period_secondary_s"`
	// Indicators in [0, 1] and their verdicts.
	Extended           float64 `json:"extended"`
	Offset             float64 `json:"offset"`
	Inaccurate         float64 `json:"inaccurate"`
	ExtendedViolated   bool    `json:"extended_violated"`
	OffsetViolated     bool    `json:"offset_violated"`
	InaccurateViolated bool    `json:"inaccurate_violated"`
	CurvatureViolated  bool    `json:"curvature_violated"`
	// Non-positive-definite position covariances: primary, secondary, and
	// their sum (before any remediation).
	NPDPrimary   bool `json:"npd_primary"`
	NPDSecondary bool `json:"npd_secondary"`
	NPDCombined  bool `json:"npd_combined"`
}

// Violated reports whether any 2D usage violation was found.
func (u *UsageCheck2D) Violated() bool {
	return u.ExtendedViolated || u.OffsetViolated || u.InaccurateViolated ||
		u.CurvatureViolated || u.NPDPrimary || u.NPDSecondary || u.NPDCombined
}

// CheckUsage2D evaluates the 2D-method usage-violation indicators for an
// encounter built by NewEncounter from the same primary and secondary.
func CheckUsage2D(e *Encounter, primary, secondary Object, hbrM float64) (UsageCheck2D, error) {
	if e == nil {
		return UsageCheck2D{}, errInvalidf("nil encounter")
	}
	if err := checkHBR(hbrM); err != nil {
		return UsageCheck2D{}, err
	}
	if primary.Covariance == nil || secondary.Covariance == nil {
		return UsageCheck2D{}, fmt.Errorf("%w: usage check needs both covariances", ErrNoCovariance)
	}
	u := UsageCheck2D{
		RelativeSpeedMS: e.RelativeSpeedMS,
		NPDPrimary:      e.PrimaryNPD,
		NPDSecondary:    e.SecondaryNPD,
		NPDCombined:     e.CombinedNPD,
	}
	clip := clipVarianceM2(hbrM)

	// Rectilinear analysis.
	vals, vecs := eig3Sym(e.CombinedCovM2)
	var ainv mat3
	logDet := 0.0
	for k := range 3 {
		l := vals[k]
		if !(l >= clip) {
			l = clip
		}
		logDet += math.Log(l)
		for i := range 3 {
			for j := range 3 {
				ainv[i][j] += vecs[i][k] * vecs[j][k] / l
			}
		}
	}
	r, v := vec3(e.RelPositionM), vec3(e.RelVelocityMS)
	rAv := quadForm3(r, ainv, v)
	vAv := quadForm3(v, ainv, v)
	if !(vAv > 0) || math.IsInf(vAv, 0) {
		// Not reachable for a finite non-zero relative velocity; stay finite.
		return u, nil
	}
	u.RectilinearTimeS = -rAv / vAv
	u.RectilinearSigmaS = 1 / math.Sqrt(vAv)
	tr := u.RectilinearTimeS
	u.RectilinearQ = quadForm3(r, ainv, r) + 2*tr*rAv + tr*tr*vAv + logDet
	u.PeriodPrimaryS = orbitPeriodS(primary.PositionKm, primary.VelocityKmS)
	u.PeriodSecondaryS = orbitPeriodS(secondary.PositionKm, secondary.VelocityKmS)
	pMin := math.Inf(1)
	for _, p := range [...]float64{u.PeriodPrimaryS, u.PeriodSecondaryS} {
		if p > 0 && p < pMin {
			pMin = p
		}
	}
	tMid, sigma := u.RectilinearTimeS, u.RectilinearSigmaS

	// Covariance curvature, then the curvilinear analysis where it is valid.
	u.CovarianceCurvatureSigmas = covarianceCurvatureSigmas(e, primary, secondary, clip)
	u.CurvatureViolated = u.CovarianceCurvatureSigmas > curvatureCutoff
	extendedCL := false
	if !math.IsInf(pMin, 1) && !u.CurvatureViolated {
		if cl, ok := curvilinearAnalysis(primary, secondary, clip, tMid, sigma, pMin/2); ok {
			u.CurvilinearConverged = true
			if cl.extended {
				extendedCL = true
				u.CurvilinearTimeS, u.CurvilinearQ = cl.t, cl.q
			} else {
				u.CurvilinearTimeS, u.CurvilinearSigmaS = cl.t, cl.sigma
				u.CurvilinearQ, u.CurvilinearSpeedMS = cl.q, cl.speed
				u.LogPcCorrection = math.Log(cl.sigma/sigma) + math.Log(cl.speed/e.RelativeSpeedMS) +
					(u.RectilinearQ-cl.q)/2
				if !isFinite(u.LogPcCorrection) {
					u.LogPcCorrection = 0
					u.CurvilinearConverged = false
				} else {
					tMid, sigma = cl.t, cl.sigma
				}
			}
		}
	}

	dtau := sigma * math.Sqrt2 * erfcInv(usageGamma)
	u.EncounterStartS = tMid - dtau
	u.EncounterEndS = tMid + dtau
	if !math.IsInf(pMin, 1) {
		u.Extended = math.Min(1, 2*dtau/pMin)
		u.Offset = math.Min(1, math.Max(math.Abs(u.EncounterStartS), math.Abs(u.EncounterEndS))/pMin)
	}
	if extendedCL {
		u.Extended = 1
	}
	u.Inaccurate = 1 - math.Exp(-math.Abs(u.LogPcCorrection))
	u.ExtendedViolated = u.Extended > extendedCutoff
	u.OffsetViolated = u.Offset > offsetCutoff
	u.InaccurateViolated = u.Inaccurate > inaccurateCutoff
	return u, nil
}

// covarianceCurvatureSigmas returns the larger of the two objects' ±3σ
// arc sagittas, each taken along the object's radial direction and measured
// as a Mahalanobis length with the (clipped) encounter-plane covariance.
func covarianceCurvatureSigmas(e *Encounter, primary, secondary Object, clip float64) float64 {
	c := e.Plane.CovM2
	l1, l2, vx, vy := eig2Sym(c[0][0], 0.5*(c[0][1]+c[1][0]), c[1][1])
	l1, l2 = math.Max(l1, clip), math.Max(l2, clip)
	worst := 0.0
	for _, o := range [...]Object{primary, secondary} {
		cov, err := o.Covariance.inertial6(o.PositionKm, o.VelocityKmS)
		if err != nil {
			continue
		}
		vals, _ := eig3Sym(posBlock(cov))
		smax2 := math.Max(0, math.Max(vals[0], math.Max(vals[1], vals[2])))
		rKm := norm3(o.PositionKm)
		sag := 9 * smax2 / (2 * rKm * 1000) // [m]
		rh := scale3(1/rKm, o.PositionKm)
		px, pz := sag*dot3(rh, e.AxisX), sag*dot3(rh, e.AxisZ)
		a := px*vx + pz*vy  // along the major axis
		b := -px*vy + pz*vx // along the minor axis
		if m := math.Sqrt(a*a/l1 + b*b/l2); m > worst && isFinite(m) {
			worst = m
		}
	}
	return worst
}

// curvilinearAnalysis runs curvilinearMin for the two objects; false when an
// orbit is not closed or a covariance is unusable.
func curvilinearAnalysis(primary, secondary Object, clip, tStart, h, limit float64) (curvilinearResult, bool) {
	var s [2]*stmOrbits
	for i, o := range [...]Object{primary, secondary} {
		c, err := o.Covariance.inertial6(o.PositionKm, o.VelocityKmS)
		if err != nil {
			return curvilinearResult{}, false
		}
		var x [6]float64
		for k := range 3 {
			x[k], x[k+3] = o.PositionKm[k]*1000, o.VelocityKmS[k]*1000
		}
		st, ok := newSTMOrbits(x, c)
		if !ok {
			return curvilinearResult{}, false
		}
		s[i] = st
	}
	cl := curvilinearMin(s[0], s[1], clip, tStart, h, limit)
	if !cl.converged || !isFinite(cl.t) || !isFinite(cl.q) {
		return curvilinearResult{}, false
	}
	return cl, true
}

// orbitPeriodS is the two-body period [s] of the state (km, km/s), or 0
// when the orbit is not closed.
func orbitPeriodS(rKm, vKmS vec3) float64 {
	rr := norm3(rKm)
	inva := 2/rr - dot3(vKmS, vKmS)/muEarthKm3S2
	if !(inva > 0) {
		return 0
	}
	a := 1 / inva
	p := 2 * math.Pi * math.Sqrt(a*a*a/muEarthKm3S2)
	if !isFinite(p) {
		return 0
	}
	return p
}

// erfcInv returns x with erfc(x) = y for 0 < y < 2 (Newton iteration on
// ln erfc, accurate far below y = 1e-16 where 1−y rounds to 1).
func erfcInv(y float64) float64 {
	switch {
	case !(y > 0):
		return math.Inf(1)
	case y >= 2:
		return math.Inf(-1)
	case y > 1:
		return -erfcInv(2 - y)
	}
	x := math.Erfinv(1 - y)
	if y <= 1e-3 {
		// Asymptotic start: erfc(x) ≈ e^{-x²}/(x√π).
		x = math.Sqrt(-math.Log(y * math.Sqrt(math.Pi)))
	}
	ly := math.Log(y)
	for range 60 {
		ec := math.Erfc(x)
		if !(ec > 0) {
			break
		}
		g := math.Log(ec) - ly
		dg := -2 / math.Sqrt(math.Pi) * math.Exp(-x*x) / ec
		if dg == 0 || math.IsNaN(dg) {
			break
		}
		dx := g / dg
		x -= dx
		if math.Abs(dx) <= 1e-15*math.Max(1, math.Abs(x)) {
			break
		}
	}
	return x
}
