// Package engine is the domain core of AstroShield: element sets, SGP4/SDP4,
// frames, conjunction screening, probability of collision, CCSDS messages,
// manoeuvre detection and CCDM indicators. It imports only the standard
// library and its own subpackages — never UI, GL, HTTP or SQL.
//
// # Units
//
// Lengths are kilometres and speeds kilometres per second unless a name says
// otherwise (MissDistanceM, HardBodyRadiusM, covariances in m² where they come
// from CCSDS messages). Angles are radians inside the math; element sets keep
// degrees and revolutions per day, as every source format writes them, and
// name it (InclinationDeg, MeanMotionRevPerDay). Durations are time.Duration;
// SGP4's own time argument is minutes since the element set's epoch
// (tsinceMin).
//
// # Time scales
//
// Every API takes and returns time.Time in UTC. Julian dates and
// minutes-since-epoch exist only inside packages. UT1 is taken equal to UTC
// unless a caller passes UT1−UTC (|UT1−UTC| < 0.9 s, i.e. < 0.4 km along-track
// for an Earth-fixed point); TT = UTC + 69.184 s is used where the Sun's
// position needs it. Propagation spans count leap seconds: SGP4's tsince is
// the elapsed SI time between two UTC instants (engine/timescale, IERS
// table 1972–2017), so a history propagated across 1995-12-31T23:59:60 is
// not 7.5 km along-track off. Screening grids (engine/conjunction) take the
// leap seconds up to their start; a window across a leap second is one
// second off after it.
//
// # Frames
//
//   - TEME: true equator, mean equinox — the output frame of SGP4 and the frame
//     of every element set. Screening and relative geometry are done in TEME,
//     where relative vectors are the same as in any inertial frame to well
//     under a metre over a conjunction.
//   - PEF/ITRF: TEME rotated by GMST (IAU-82) about Z; polar motion is optional
//     (up to about 20 m at the surface when ignored).
//   - WGS-84 geodetic latitude, longitude and height for ground tracks and sites.
//   - RTN (radial, transverse, normal; also called RIC/RSW): the local frame of
//     a primary object, used for miss components and covariances.
//
// # Accuracy limits
//
// A TLE propagated with SGP4 is good to about 1 km at its epoch, and its error
// grows by roughly 1–3 km per day (more for low perigees, during high solar
// activity, and after manoeuvres). The SGP4 implementation itself reproduces
// Vallado's reference code to 2e-7 km and 1e-9 km/s on the verification set;
// the physical error is the element set's, not the code's. Every analysis that
// depends on element sets reports their age, and says "insufficient data"
// rather than inventing an answer.
package engine
