// Package frames converts times, positions and velocities between the frames an
// SGP4 workstation needs (TEME, PEF, ITRF/ECEF, WGS-84 geodetic, topocentric)
// and computes Sun and Moon positions, eclipse state and ground-site passes.
//
// # Frames
//
//   - TEME (true equator, mean equinox): the output frame of SGP4. Rotating
//     TEME about Z by the IAU-1982 Greenwich mean sidereal time gives PEF; the
//     equation-of-the-equinoxes terms are not applied, which is the convention
//     of Vallado et al., AIAA 2006-6753 (Rev 2), Vallado's teme2ecef and
//     python-sgp4/skyfield.
//   - PEF (pseudo Earth-fixed) and ITRF (called ECEF in names): PEF rotated
//     by polar motion xp, yp. With EOP's zero value the two coincide; leaving
//     polar motion out moves a surface point by up to about 20 m (|xp|,|yp| <
//     0.7"), a GEO point by up to about 140 m.
//   - WGS-84 geodetic latitude, longitude and ellipsoidal height.
//   - Topocentric east-north-up at a site, giving azimuth (from north through
//     east), geometric elevation (no refraction), range and range rate.
//   - Sun and Moon positions are mean-of-date equatorial; they are used as
//     TEME, which differs by nutation (< 20", below the models' own error).
//
// # Time scales
//
// APIs take time.Time; the instant is what counts, so any location works, and
// the civil label is taken as UTC. Julian dates count UTC days as Vallado's
// jday does: leap seconds are not inside a day. UT1 = UTC + EOP.UT1MinusUTC
// (zero by default); ignoring UT1−UTC (|UT1−UTC| < 0.9 s) turns the Earth by
// up to 6.6e-5 rad: 0.45 km for a LEO position, 2.8 km at GEO. The Sun and
// Moon series take UT1 ≈ TT ≈ UTC; the ~69 s difference moves the Sun by 3"
// and the Moon by 40", well inside their stated accuracy.
//
// # Accuracy limits
//
// TEME↔ITRF reproduces the AIAA 2006-6753 / Vallado Example 3-15 vectors to
// their printed digits (5e-8 km, 1e-8 km/s) given the example's own T_UT1;
// from the UTC instant it differs by 8.5 mm, which is the float64 Julian-date
// rounding inside the reference code (this package keeps sub-microsecond
// time). LOD is not modelled (1e-8 km/s). Geodetic conversion round-trips to
// under 1 µm from deep inside the Earth to lunar distance, poles included.
// The Sun is good to about 0.01° and 1e-4 AU, the Moon to about 0.3°
// (low-precision almanac series, Vallado algorithms 29 and 31). Eclipses use
// a conical shadow, a spherical Earth of the WGS-84 equatorial radius (the
// real limb is up to 21 km lower near the poles) and no atmosphere. Pass
// times are found to the requested tolerance (10 ms by default) of the
// geometric elevation crossing.
package frames
