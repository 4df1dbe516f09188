// Package maneuver detects orbit manoeuvres in the mean-element-set history of one object and estimates their epoch, Δv, direction and kind.
package maneuver

// Method (file comment, not package documentation).
//
// Channels. Each element set gives mean-element channels: the semi-major
// axis from the Kozai mean motion, corrected for drag coupling (a GP fit
// trades n0 against ṅ, so n0 − D·ṅ with D estimated from the history is
// used; see dragCouplingDays), the inclination (LEO/MEO/HEO) or the
// inclination vector (GEO), and the eccentricity vector. Osculating state
// differences are never used.
//
// Step test. At every boundary between consecutive sets, step = median of
// the m sets after − median of the m sets before, after removing a local
// robust rate (median of slopes over ±NoiseSets sets), which absorbs drag
// decay and slow natural drifts. The noise is 1.4826·MAD of the step
// statistic over the same window, floored by the set-to-set scatter and by
// the quantisation of the TLE fields. A boundary is a candidate when
// |step|/noise ≥ Threshold and |step| passes the regime's size floor
// (MinDeltaAKm, MinPlaneChangeDeg). The medians make one bad set harmless;
// runs of two or three bad sets show as a step undone a few sets later and
// are dropped (dropExcursions). A second, longer window (LongStepSets)
// catches burns that the GP fits absorb over several sets.
//
// Epoch. Around each candidate a step-or-linear-ramp model on a local trend
// is fitted (locate.go): its start is the first estimate of the burn. The
// second is the along-track crossing of the last pre-burn set and the first
// set that shows the post-burn orbit in full, propagated with mean elements
// (J2 secular rates and the sets' own ṅ, n̈; timing.go): two orbits meet at
// the instant of an impulsive burn. The two are combined by inverse
// variance. The crossing is sharp for large burns (GEO station-keeping,
// reboosts) and weak for millimetre-per-second burns. In LEO, where the
// crossing is not sharp, the fit epoch is moved 9 h earlier
// (leoResponseLag): GP fits begin to show a burn some hours after it.
//
// Δv, direction, kind: Gauss's variational equations on the steps
// (deltav.go); rule-based kind (classify).
//
// Limits. Element sets come about once a day and some objects' sets respond
// to a burn a day or more late and over several sets, so small LEO burns
// are often placed a day late; two burns between the same pair of sets are
// one event; burns below the element-set noise (a few mm/s in LEO) are not
// seen. Confidence is a monotone function of the step's signal-to-noise
// ratio, not a calibrated probability.
//
// Figures (Shorten et al. benchmark, 11 satellites, event-level F1 at
// ±12 h LEO / ±24 h GEO, one-to-one): mean 0.582 against the operators'
// files (0.593 with the threshold chosen leaving each satellite out), 0.410
// against the published labels. GEO 0.76–0.89, Sentinel-3A 0.91,
// CryoSat-2 0.68, Haiyang-2A 0.57; the 1,336 km orbits (Jason-1 0.22,
// Jason-2 0.42, Sentinel-6A 0.11, TOPEX 0.09) are limited by recall: most
// of their burns move the semi-major axis by a few metres over three or
// four sets, a step score of 2–6σ in the semi-major axis and equally in
// the chained along-track position, which was tried as an extra detection
// channel and gave no gain.
