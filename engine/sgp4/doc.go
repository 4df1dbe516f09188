// Package sgp4 propagates GP mean element sets with SGP4/SDP4 as revised by Vallado, Crawford, Hujsak & Kelso (AIAA 2006-6753) to TEME position (km) and velocity (km/s).
package sgp4

// Notes on the implementation.
//
// Model. New runs the initialisation (sgp4init with initl and, for periods of
// 225 min or more, the deep-space dscom and dsinit); Propagate evaluates the
// model at a time since epoch in minutes (sgp4 with dspace and dpper). Both
// follow the 2006 paper and its companion code as revised up to 2020: WGS-72
// constants by default (WGS-72 old and WGS-84 selectable), operation mode
// "improved" by default ("afspc" selectable: 1970-based sidereal time at epoch
// and node wrapping in the Lyddane branch), and Vallado's error codes 1-4 and
// 6 with his checks in his order. Code 7 is this package's own: non-finite
// input or result, or |tsince| beyond MaxTsinceMin.
//
// Names. Inside this package Vallado's variable names (no, ecco, inclo,
// nodeo, argpo, mo, cc1, xmcof, irez, d2201, xlamo, ...) are kept on purpose,
// so that each line can be checked against the paper and its reference code;
// only the exported API carries units and frames in its names.
//
// Immutability. The deep-space resonance integrator (720-min Euler-Maclaurin
// steps) restarts from epoch on every call instead of keeping its last state
// in the satellite record. The step grid is fixed, so this gives the same
// numbers as Vallado's sequential use, and a Satellite can be propagated from
// many goroutines at once.
//
// Epoch. tsince is taken from time.Time to the nanosecond, as elapsed time:
// leap seconds between the epoch and t count (TsinceMin). The deep-space
// lunar-solar and sidereal-time terms use the epoch as Vallado's code does,
// a Julian date in one float64 (about 20 µs resolution); see valladoEpoch.
//
// Speed. Identities replace some library calls without changing the model:
// pow(xke/no, 2/3) is precomputed for near-earth orbits, pow(am, 1.5) is
// am*sqrt(am), fmod(x, 2pi) is x - 2pi*trunc(x/2pi), and the sines and
// cosines of angles that differ from known ones by a small correction (the
// Kepler iterates, su, xinc and the drag mean anomaly) come from the
// angle-addition formulas with series for the small angle. Against a
// line-by-line port these move results by at most 4e-8 km over the full
// 2022 catalog (-1440..2880 min), and by up to 1e-5 km only on degenerate
// cases (e = 0.995 with perigee below the surface) where the model is
// ill-conditioned; error codes do not change.
//
// Accuracy. Against Vallado's verification output (tcppver.out: 33 element
// sets, 666 compared states, written in the improved mode) positions agree
// within 2e-7 km and velocities within 1e-9 km/s. SGP4 itself is only as good
// as the element set: about 1 km at epoch, growing by kilometres per day.
