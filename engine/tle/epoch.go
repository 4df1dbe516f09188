package tle

import (
	"fmt"
	"time"
)

const (
	nsPerDay = int64(24 * time.Hour)
	// epochUnitNs is the resolution of the written epoch: 1e-8 day = 864 µs.
	epochUnitNs = nsPerDay / 1e8
)

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int) int {
	if isLeap(y) {
		return 366
	}
	return 365
}

// parseEpoch converts the 14-column epoch field "YYDDD.DDDDDDDD" to UTC.
// The day fraction (at most 8 digits, as Format writes it) is taken as an
// integer, so it maps to an exact number of nanoseconds (1e-8 day =
// 864,000 ns) with no floating-point step.
func parseEpoch[T text](s T) (time.Time, error) {
	if len(s) != 14 {
		return time.Time{}, fmt.Errorf("%w %q: want YYDDD.DDDDDDDD", ErrEpoch, string(s))
	}
	if !isDigit(s[0]) || !isDigit(s[1]) {
		return time.Time{}, fmt.Errorf("%w: year %q is not two digits", ErrEpoch, string(s[:2]))
	}
	yy := int(s[0]-'0')*10 + int(s[1]-'0')
	year := 2000 + yy
	if yy >= 57 {
		year = 1900 + yy
	}
	d := trimSpaces(s[2:])
	day, i := 0, 0
	for ; i < len(d) && isDigit(d[i]); i++ {
		day = day*10 + int(d[i]-'0')
	}
	if i == 0 || i > 3 {
		return time.Time{}, fmt.Errorf("%w: day of year %q", ErrEpoch, string(s[2:]))
	}
	var frac int64
	nfrac := 0
	if i < len(d) {
		if d[i] != '.' {
			return time.Time{}, fmt.Errorf("%w: day of year %q", ErrEpoch, string(s[2:]))
		}
		for i++; i < len(d); i++ {
			if !isDigit(d[i]) || nfrac == 8 {
				return time.Time{}, fmt.Errorf("%w: day of year %q (want DDD.DDDDDDDD)", ErrEpoch, string(s[2:]))
			}
			frac = frac*10 + int64(d[i]-'0')
			nfrac++
		}
	}
	ns := frac * epochUnitNs
	for k := nfrac; k < 8; k++ {
		ns *= 10
	}
	if day < 1 || day > daysIn(year) || (day == daysIn(year) && ns >= nsPerDay) {
		return time.Time{}, fmt.Errorf("%w: day of year %q outside year %d", ErrEpoch, string(trimSpaces(s[2:])), year)
	}
	t := time.Date(year, time.January, day, 0, 0, 0, 0, time.UTC)
	return t.Add(time.Duration(ns)), nil
}

// appendEpoch writes t as "YYDDD.DDDDDDDD", rounded to the nearest 1e-8 day.
func appendEpoch(dst []byte, t time.Time) ([]byte, error) {
	t = t.UTC()
	year := t.Year()
	jan1 := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
	units := (int64(t.Sub(jan1)) + epochUnitNs/2) / epochUnitNs
	if units >= int64(daysIn(year))*1e8 {
		units -= int64(daysIn(year)) * 1e8
		year++
	}
	if year < 1957 || year > 2056 {
		return dst, fmt.Errorf("%w: epoch year %d outside 1957..2056", ErrFormat, year)
	}
	day := units/1e8 + 1
	frac := units % 1e8
	dst = append2(dst, year%100)
	dst = append(dst, byte('0'+day/100), byte('0'+day/10%10), byte('0'+day%10), '.')
	for p := int64(1e7); p > 0; p /= 10 {
		dst = append(dst, byte('0'+frac/p%10))
	}
	return dst, nil
}

func append2(dst []byte, n int) []byte { return append(dst, byte('0'+n/10), byte('0'+n%10)) }
