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
// crossing is not sharp, the fit epoch is moved earlier by
// 6 h + 0.15·W, W the fitted ramp duration (leoResponseLag,
// leoRampLagFactor): GP fits begin to show a burn some time after it, the
// later the more slowly they absorb it.
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
// Figures (Shorten et al. benchmark, 11 satellites, operator truth,
// event-level F1 at ±12 h LEO / ±24 h GEO, one-to-one matching; measured
// 2026-12-06, TestBenchmarkShorten and TestBenchmarkHeldOut):
//
//	satellite     in-sample  leave-one-out  two-fold split  (before the ramp lag)
//	CryoSat-2       0.715        0.713          0.740          0.679
//	Fengyun-2D      0.864        0.864          0.864          0.864
//	Fengyun-2E      0.889        0.889          0.889          0.889
//	Fengyun-2F      0.881        0.881          0.881          0.881
//	Fengyun-4A      0.760        0.760          0.760          0.760
//	Haiyang-2A      0.526        0.396          0.453          0.568
//	Jason-1         0.302        0.323          0.281          0.221
//	Jason-2         0.503        0.497          0.510          0.424
//	Sentinel-3A     0.912        0.904          0.887          0.912
//	Sentinel-6A     0.222        0.286          0.095          0.111
//	TOPEX           0.123        0.150          0.125          0.092
//	mean            0.609        0.606          0.590          0.582
//
// In-sample is the default configuration (threshold 6; LEO lag
// 6 h + 0.15·W). Held-out: the threshold (4–12), the LEO lag (0–12 h) and
// the ramp factor (0, 0.15, 0.25) are chosen together on the other
// satellites of the regime only (leave-one-satellite-out), or on the other
// half of a fixed alternating split by name; before the ramp term the
// held-out means were 0.586 and 0.579. Against the published labels the
// mean is 0.392 (their IDS-derived times are one day late, see
// ParseOperatorManeuvers).
//
// The goal (mean ≥ 0.85) is met by the GEO satellites and
// Sentinel-3A only. The 1,336 km orbits (Jason-1/2, Sentinel-6A, TOPEX)
// are limited by recall: most of their burns move the semi-major axis by a
// few metres, often in sequences one to two days apart (27 of Jason-1's
// 119 and 38 of Jason-2's 111 burns follow another within 48 h), which a
// daily element-set history cannot separate or, for the smallest, see at
// all; and their element sets often show a burn only a day or more after
// it (the ramp term recovers part of that). Tried and not kept (no
// held-out gain): a chained along-track channel; the Hodges–Lehmann shift
// instead of the difference of medians (pooled F1 0.613 → 0.622, mean
// 0.582 → 0.577); 2-set step windows; noise windows of 10 or 40 sets
// (±0.02, within the spread of the held-out choices); turning off the
// excursion filter (no change); a LEO threshold of 4, which the held-out
// choice picks for every LEO satellite (in-sample mean 0.622) but which
// reports spurious events on quiet synthetic histories with known answers
// (maneuver_test.go), so 6 is kept. Also tried (2026-12-06) and not kept:
// an along-track hinge epoch after Lemmens & Krag (2014) and Patera — the
// along-track offsets a·Δθ of the ±8 sets around a LEO event from one
// reference set, fitted with c0 + c1·t + c2·t² + k·max(0, t − τ) by Huber
// IRLS over an hourly τ grid. Its τ is 15–40 h late for Jason-1's
// mm/s burns (the sets' positions at epoch lag the burn as their mean
// motions do), so it lowers the mean to 0.55–0.58 used alone and to
// 0.59–0.60 averaged with the fit epoch, for windows of 5, 8 or 12 sets
// and leads of 1–3 days. Nor splitting a LEO ramp of ≥ 1–5 days into one
// burn per gap whose own set-to-set change is significant (z ≥ 4–12) with
// the step's sign, for daily burn campaigns: mean 0.603–0.611, within the
// spread of the held-out choices (Jason-1 ≤ 0.330, CryoSat-2 down to 0.67).
//
// Where the remaining misses come from (default configuration, operator
// truth; a miss is "mistimed" when an unmatched detection lies within
// 72 h of it, "burst" when another burn lies within 48 h, else "unseen"):
//
//	satellite     FN  mistimed  burst  unseen   FP
//	CryoSat-2     65     19       13     33     14
//	Haiyang-2A    31     12        0     19     14
//	Jason-1       89     24       33     32     31
//	Jason-2       59     23       25     11     16
//	Sentinel-6A   11      4        5      2      3
//	TOPEX         35      9        3     23     22
//	(GEO and Sentinel-3A: 2–11 FN each)
//
// Even if every mistimed miss were matched to its detection, the mean F1
// would be 0.767 (Jason-1 0.58, Jason-2 0.72, Sentinel-6A 0.56, TOPEX
// 0.40): the goal needs burns that the element sets do not resolve.
// Jason-1's mistimed detections are also not one constant lag — 34–75 h
// late in 2002–2004, 13–25 h early in 2009–2013 — so no fixed lag, chosen
// with or without the scored satellite, recovers them.
