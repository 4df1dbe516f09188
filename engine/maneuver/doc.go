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
// second is the along-track crossing of pre-burn and post-burn sets: both
// are propagated with SGP4/SDP4 and the instant at which their orbits meet
// along-track (separation averaged over one period) is solved for
// (sgp4cross.go); the crossing is the median over the pairs of the last
// two sets before the change and the first two that show it in full. The
// two estimates are combined by inverse variance, the crossing's variance
// being the object's own along-track noise, estimated from the history
// (each set propagated to the next, 1.4826·MAD/√2 of the orbit-averaged
// along-track differences; Sentinel-3A 0.02 km, Jason-2 0.06 km, TOPEX
// 0.27 km, Fengyun 1.1–1.3 km), over the drift rate (3/2)·n·Δa. Any usable
// crossing may move the epoch up to two days before the gap in which the
// element sets change (sets respond late); a sharp one (σ ≤ 3 h) also
// replaces the LEO response lag (6 h + 0.15·W, W the fitted ramp
// duration, leoResponseLag, leoRampLagFactor) that the fit epoch otherwise
// gets. Before 2026-12-06 the crossing used first-order J2 secular rates
// (crossing, now the fallback): at GEO, where SDP4's luni-solar and
// resonance terms matter, it placed the Fengyun burns 4–9 h late (median)
// against the operators' times; SGP4's crossing is within ±1.6 h
// (TestGEOCrossingAgreesWithOperatorTimes).
//
// Campaigns. A change spread over several sets is split into one burn per
// boundary whose own set-to-set change is significant (|Δ| ≥ Threshold
// times the set-to-set noise, with the sign of the whole change), when at
// least two such boundaries exist: for the semi-major axis only where the
// SGP4 crossing of the two sets is sharp and falls inside their gap
// (±2 h) — a burn between them, not a fit catching up with an earlier one
// (orbit-change campaigns: Jason-1 2009, Jason-2 2016–2017, Sentinel-6A
// 2020); for a LEO change found in the inclination, every such boundary
// (daily out-of-plane burns). Each piece is timed by its own crossing.
// Events closer than 6 h are one manoeuvre (the first is kept), as the
// operators list a sequence of burns a few revolutions apart as one.
//
// Δv, direction, kind: Gauss's variational equations on the steps
// (deltav.go); rule-based kind (classify).
//
// Limits. Element sets come about once a day and some objects' sets respond
// to a burn a day or more late and over several sets; several burns
// between the same pair of sets are one event; burns below the element-set
// noise (a few mm/s in LEO) are not seen. Confidence is a monotone
// function of the step's signal-to-noise ratio, not a calibrated
// probability.
//
// Ground truth. The operators' files are used (ParseOperatorManeuvers):
// the benchmark's YAML labels are one day late for the IDS files and leave
// the CMA times in China Standard Time; both readings were checked against
// the element sets (CryoSat-2 F1 0.80 against the files, 0.04 against the
// labels; the SGP4 crossings of the Fengyun sets centre on the CMA times
// minus 8 h). Matching is greedy closest-first one-to-one within ±12 h
// (LEO) / ±24 h (GEO); on this benchmark it gives the same true positives
// as a maximum-cardinality matching. Truth outside the span of the element
// sets is left out (TruthOutside). The CMA files are incomplete: 20 of the
// 30 GEO false positives are unambiguous east-west burns (|z| ≥ 50, Δa of
// several km) with no operator entry within 72 h.
//
// Figures (Shorten et al. benchmark, 11 satellites, operator truth,
// event-level F1 at ±12 h LEO / ±24 h GEO, one-to-one matching; measured
// 2026-12-06, TestBenchmarkShorten and TestBenchmarkHeldOut):
//
//	satellite     in-sample  leave-one-out  two-fold   (before: in-sample, LOO)
//	CryoSat-2       0.800        0.815        0.815       0.715  0.713
//	Fengyun-2D      0.864        0.864        0.864       0.864  0.864
//	Fengyun-2E      0.909        0.909        0.909       0.889  0.889
//	Fengyun-2F      0.895        0.895        0.895       0.881  0.881
//	Fengyun-4A      0.820        0.820        0.820       0.760  0.760
//	Haiyang-2A      0.526        0.472        0.469       0.526  0.396
//	Jason-1         0.456        0.440        0.440       0.302  0.323
//	Jason-2         0.650        0.642        0.658       0.503  0.497
//	Sentinel-3A     0.912        0.904        0.904       0.912  0.904
//	Sentinel-6A     0.421        0.400        0.300       0.222  0.286
//	TOPEX           0.154        0.148        0.148       0.123  0.150
//	mean            0.673        0.664        0.657       0.609  0.606
//
// In-sample is the default configuration (threshold 6; LEO lag
// 6 h + 0.15·W). Held-out: the threshold (4–12), the LEO lag (0–12 h) and
// the ramp factor (0, 0.15, 0.25) are chosen together on the other
// satellites of the regime only (leave-one-satellite-out), or on the other
// half of a fixed alternating split by name. The campaign and sequence
// constants (campaignZ 1, campaignSlack 2 h, sequenceWindow 6 h) were set
// before scoring and not tuned: 0.5–2, 1–4 h and 3–12 h all give a mean
// of 0.673–0.674.
//
// The goal (mean ≥ 0.85) is not reached; the GEO satellites,
// Sentinel-3A and CryoSat-2 are at 0.80–0.91. The misses (default
// configuration; "mistimed": an unmatched detection within 72 h, "burst":
// another burn within 48 h, else "unseen"):
//
//	satellite     FN  mistimed  burst  unseen   FP
//	CryoSat-2     52      3       16     33      4
//	Haiyang-2A    31     12        1     18     14
//	Jason-1       74     17       29     28     24
//	Jason-2       46     11       24     11      9
//	Sentinel-6A    9      2        5      2      2
//	TOPEX         34      8        3     23     21
//	(GEO and Sentinel-3A: 3–8 FN each)
//
// Most unseen and burst misses are physically out of reach of daily
// element sets: burns of a few mm/s (Haiyang-2A's are all < 0.03 m/s),
// out-of-plane or eccentricity pairs whose net along-track Δv is nil
// (Jason-1 misses 24 of its 27 burns ≥ 0.03 m/s of that kind, Jason-2 25
// of 37; CryoSat-2 misses 4 of 5), and daily burn campaigns with fewer
// informative sets than burns (CryoSat-2 May 2010: four burns, two sets
// that move). The mistimed ones are small LEO burns that the sets show
// one to three days late and over several sets (TOPEX, Haiyang-2A, Jason-1
// 2002–2008), where even the crossing, of a few hours' uncertainty, is
// pulled by the late fit epoch.
//
// Tried and not kept: earlier (before 2026-12-06) a chained along-track
// channel; the Hodges–Lehmann shift; 2-set step windows; noise windows of
// 10 or 40 sets; no excursion filter; a LEO threshold of 4 (chosen by the
// held-out grid but spurious on quiet synthetic histories); an
// along-track hinge epoch after Lemmens & Krag (2014), 15–40 h late for
// Jason-1; splitting long ramps per significant gap without a physical
// check (0.603–0.611). On 2026-12-06: the same split with the pair test
// alone (no crossing check; mean 0.580, many ramps of late-responding sets
// split into false burns); a response lag estimated per object from the
// sharp crossings nearest in time (median fit − crossing of 5 events;
// 0.650 against 0.658, Jason-1 0.36 → 0.25); the fit epoch's variance
// widened by the applied lag (±0.002, Jason-1 down, TOPEX up); treating
// crossings up to 6 or 12 h as sharp for the lag (no gain, Jason-1 down);
// dividing the median crossing's σ by √2 or 2 (+0.002/+0.006, all of it
// one or two TOPEX events: not a measurable gain).
