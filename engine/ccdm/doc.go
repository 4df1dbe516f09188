// Package ccdm computes the Welders Arc SS4 CCDM indicators that element-set data supports, each with its rule, thresholds and evidence, and combines them into a threat assessment.
package ccdm

// Method (file comment, not package documentation).
//
// Every indicator is a documented rule on element sets (engine/gp) and,
// where it needs other objects, a catalog snapshot. Rules and thresholds
// are in Config (DefaultConfig gives the values), the weights of the
// threat assessment in Weights. No random numbers; an indicator that cannot
// be judged says "insufficient data" and why.
//
//   - maneuvers-detected: engine/maneuver on the history (robust mean-element
//     steps); one finding per manoeuvre, the kind as Pattern.
//   - orbit-oof: the sets of the last OOFGuard (3 d) against the object's
//     own family in the BaselineWindow (120 d) before: Theil–Sen trend for
//     semi-major axis (not at GEO) and inclination (not at GEO, where it is
//     a station-keeping box), constant level for eccentricity; spread
//     1.4826·MAD of the baseline residuals; fires at z ≥ 6, above a size
//     floor, and at least 2σ outside the 5–95 % range of the baseline
//     residuals. Routine manoeuvres that stay inside the family (ISS
//     reboosts within its sawtooth, GEO station-keeping) do not fire it;
//     TOPEX's 2002 move to the tandem orbit does.
//   - stability-changed: orbital behaviour only (attitude stability needs
//     photometry): the natural drift of the semi-major axis between
//     detected manoeuvres (Theil–Sen within segments) in the recent 30 d
//     against the 120 d before (z ≥ 5, ≥ 5 m/day and a factor 3), and the
//     set-to-set scatter (factor 3); at GEO the median longitude drift rate
//     (the station-keeping state: ≥ 0.1°/day and 5× its natural spread).
//     Along the benchmark histories orbit-oof fires at 0–5 % of monthly
//     epochs and stability-changed at 0–15 % (alarm_test.go).
//   - amr-changes / amr-oof: B* = ρ0·Cd·A/(2m) as the area-to-mass proxy
//     (ρ0 = 0.15696615 kg/m²/ER), median change between windows (z and a
//     factor) and the last set's outlier score; LEO with perigee below
//     1,000 km only. B* also absorbs atmosphere-model errors, hence the
//     factor requirement.
//   - proximity-events-valid-remote-sense: one-vs-all screening
//     (engine/conjunction) at 50 km over 48 h from the primary's epoch; each
//     co-orbital secondary (relative speed at closest approach < 0.5 km/s)
//     is propagated with SGP4 every minute and its motion in the primary's
//     RIC frame classified: rendezvous, inspection (winding about the
//     primary), lead/trail, fly-by, co-orbital; fast crossings count only
//     when repeated (≥ 3 within 10 km). Confidence is halved when the
//     separation is within the extrapolation error of element sets of
//     different epochs (docked vehicles carried on their station's
//     elements) and when both names share an operator prefix (STARLINK…:
//     constellation neighbours), each with a note.
//   - object-in-unoccupied-orbit: catalog neighbours with perigee and apogee
//     within ±25 km and inclination within ±1° (GEO: mean longitude within
//     ±2°); unoccupied with at most 2.
//   - sub-sats-deployed: objects of the same launch (designator YYNNN),
//     catalogued after the parent, not R/B or DEB, with perigee/apogee within
//     ±50 km and inclination within ±0.2° of the parent.
//   - unknown-debris-sma-higher-than-parent: debris of the launch whose
//     semi-major axis exceeds the parent's by 10 km.
//
// The other SS4 indicators need RF, photometry, radar, registries, filings
// or analyst records and are listed in Report.NotAssessed with what they
// need (Unsupported).
//
// Threat: score = Σ weight·confidence over detected findings, each
// indicator/pattern counted once by its most confident finding, manoeuvres
// only inside the recent window; NONE < 0.5 ≤ LOW < 2 ≤ MEDIUM < 4 ≤
// HIGH < 6 ≤ CRITICAL. Confidences are monotone scores, not calibrated
// probabilities, so the level is an ordering aid for an analyst.
