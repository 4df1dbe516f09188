package frames

import (
	"math"
	"time"
)

// Time constants. Julian dates here are UTC-labelled days (Vallado's jday
// convention): a Julian date is the count of 86 400-second days of the civil
// label, so leap seconds never appear inside a day.
const (
	// JulianDateUnixEpoch is the Julian date of 1970-01-01T00:00:00 UTC.
	JulianDateUnixEpoch = 2440587.5
	// JulianDateJ2000 is the Julian date of 2000-01-01T12:00:00 (J2000.0).
	JulianDateJ2000 = 2451545.0

	secondsPerDay     = 86400.0
	daysPerCentury    = 36525.0
	unixSecondsJ2000  = 946728000 // 2000-01-01T12:00:00Z as Unix seconds
	secondsPerCentury = secondsPerDay * daysPerCentury
)

// EOP holds the Earth-orientation parameters the TEME↔ITRF rotation uses. The
// zero value means "not known": UT1 = UTC and no polar motion, which costs up
// to 0.45 km (LEO) and 20 m (surface) respectively; see the package comment.
type EOP struct {
	// UT1MinusUTC is UT1 − UTC (IERS DUT1, |DUT1| < 0.9 s).
	UT1MinusUTC time.Duration
	// XpRad and YpRad are the polar-motion angles (IERS publishes them in
	// arcseconds; multiply by ArcsecToRad).
	XpRad, YpRad float64
}

// ArcsecToRad converts arcseconds to radians.
const ArcsecToRad = math.Pi / (180 * 3600)

// JulianDate returns the Julian date of t's UTC label. A float64 Julian date
// resolves about 40 µs; use it for display and interchange, not for
// arithmetic that needs better.
func JulianDate(t time.Time) float64 {
	return JulianDateUnixEpoch + unixSeconds(t)/secondsPerDay
}

// TimeFromJulianDate returns the UTC instant of a Julian date, rounded to the
// microsecond (the resolution a float64 Julian date carries). A non-finite or
// out-of-range Julian date gives the zero time.Time.
func TimeFromJulianDate(jd float64) time.Time {
	s := (jd - JulianDateUnixEpoch) * secondsPerDay
	// ±8e12 s is ±250 000 years, inside what time.Time can hold.
	if math.IsNaN(s) || math.Abs(s) > 8e12 {
		return time.Time{}
	}
	whole := math.Floor(s)
	us := math.Round((s - whole) * 1e6)
	return time.Unix(int64(whole), int64(us)*1000).UTC()
}

// unixSeconds returns t as fractional Unix seconds.
func unixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())*1e-9
}

// centuriesJ2000 returns Julian centuries since J2000.0 of t shifted by
// offset (UT1−UTC for T_UT1). It subtracts before converting to float so the
// result keeps sub-microsecond resolution.
func centuriesJ2000(t time.Time, offset time.Duration) float64 {
	s := float64(t.Unix()-unixSecondsJ2000) + float64(t.Nanosecond())*1e-9 + offset.Seconds()
	return s / secondsPerCentury
}

// GMSTRad returns the IAU-1982 Greenwich mean sidereal time in [0, 2π) at the
// instant t (UTC) with UT1 = UTC + ut1MinusUTC: the angle used to rotate TEME
// into PEF (Vallado's gstime, Eq. 3-47).
func GMSTRad(t time.Time, ut1MinusUTC time.Duration) float64 {
	// Eq. 3-47's (876 600 h)·T_UT1 term is 86 400 s per UT1 day since
	// J2000.0; only its part within the current day matters, which integer
	// seconds give exactly. Evaluating it from T_UT1 in float64 would lose
	// about 1e-11 rad.
	s := (t.Unix() - unixSecondsJ2000) % secondsPerDayInt
	sec := float64(s) + float64(t.Nanosecond())*1e-9 + ut1MinusUTC.Seconds()
	return gmst82(sec, centuriesJ2000(t, ut1MinusUTC))
}

const secondsPerDayInt = 86400

// gmst82 evaluates the IAU-1982 GMST (Vallado Eq. 3-47) from the UT1 seconds
// elapsed in the current J2000-aligned day (any whole number of days may be
// added) and T_UT1 in Julian centuries, and returns radians in [0, 2π).
func gmst82(secOfDayUT1, tUT1 float64) float64 {
	sec := 67310.54841 + secOfDayUT1 + 8640184.812866*tUT1 +
		0.093104*tUT1*tUT1 - 6.2e-6*tUT1*tUT1*tUT1
	// 86 400 s of sidereal time are one turn.
	theta := math.Mod(sec, secondsPerDay) * (2 * math.Pi / secondsPerDay)
	if theta < 0 {
		theta += 2 * math.Pi
	}
	if theta >= 2*math.Pi {
		theta = 0
	}
	return theta
}
