package ccsds

import (
	"strconv"
	"strings"
	"time"
)

// parseNumber parses a CCSDS real: [+-]digits[.digits][(e|E)[+-]digits],
// with digits allowed to be absent on one side of the point. Go-only forms
// (hex, underscores, Inf, NaN) are refused.
func parseNumber(s string) (float64, bool) {
	if !isNumber(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

func isNumber(s string) bool {
	i, n := 0, len(s)
	if i < n && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < n && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < n && s[i] == '.' {
		i++
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		ed := 0
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
			ed++
		}
		if ed == 0 {
			return false
		}
	}
	return i == n
}

// parseInteger parses [+-]digits.
func parseInteger(s string) (int, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i == len(s) || len(s)-i > 18 {
		return 0, false
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.Atoi(s)
	return v, err == nil
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// parseTime parses a CCSDS ASCII time, calendar (YYYY-MM-DDThh:mm:ss[.d…])
// or ordinal (YYYY-DDDThh:mm:ss[.d…]) form, with an optional trailing Z. The
// time part may be omitted. The result carries the UTC location whatever the
// message's time system is. A seconds value of 60 (leap second) rolls over
// into the next minute.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSuffix(s, "Z")
	date, clock, hasClock := strings.Cut(s, "T")
	if len(date) < 8 || date[4] != '-' {
		return time.Time{}, false
	}
	year, ok := digitsN(date[0:4])
	if !ok {
		return time.Time{}, false
	}
	var month, day int
	switch len(date) {
	case 8: // YYYY-DDD
		doy, ok := digitsN(date[5:8])
		if !ok || doy < 1 || doy > daysInYear(year) {
			return time.Time{}, false
		}
		month, day = 1, doy
	case 10: // YYYY-MM-DD
		if date[7] != '-' {
			return time.Time{}, false
		}
		m, ok1 := digitsN(date[5:7])
		d, ok2 := digitsN(date[8:10])
		if !ok1 || !ok2 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), year) {
			return time.Time{}, false
		}
		month, day = m, d
	default:
		return time.Time{}, false
	}
	var hh, mm, ss, ns int
	if hasClock {
		if len(clock) < 8 || clock[2] != ':' || clock[5] != ':' {
			return time.Time{}, false
		}
		var ok1, ok2, ok3 bool
		hh, ok1 = digitsN(clock[0:2])
		mm, ok2 = digitsN(clock[3:5])
		ss, ok3 = digitsN(clock[6:8])
		if !ok1 || !ok2 || !ok3 || hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm != 0 || ss != 0)) {
			return time.Time{}, false
		}
		if rest := clock[8:]; rest != "" {
			if rest[0] != '.' || len(rest) == 1 {
				return time.Time{}, false
			}
			frac := rest[1:]
			scale := 100_000_000
			for i := 0; i < len(frac); i++ {
				c := frac[i]
				if c < '0' || c > '9' {
					return time.Time{}, false
				}
				ns += int(c-'0') * scale
				scale /= 10
			}
		}
	}
	return time.Date(year, time.Month(month), day, hh, mm, ss, ns, time.UTC), true
}

func digitsN(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, len(s) > 0
}

func daysInYear(y int) int {
	if time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC).YearDay() == 366 {
		return 366
	}
	return 365
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// formatTime writes YYYY-MM-DDThh:mm:ss.fff… with as many fraction digits as
// the value needs (at least three), so parseTime(formatTime(t)) == t to the
// nanosecond for years 0000-9999.
func formatTime(t time.Time) string {
	t = t.UTC()
	b := make([]byte, 0, 32)
	b = t.AppendFormat(b, "2006-01-02T15:04:05")
	frac := strconv.Itoa(1_000_000_000 + t.Nanosecond())[1:]
	frac = strings.TrimRight(frac, "0")
	for len(frac) < 3 {
		frac += "0"
	}
	b = append(b, '.')
	b = append(b, frac...)
	return string(b)
}

// intern returns a copy of s that does not keep the input buffer alive,
// sharing one copy of the values almost every message repeats.
func intern(s string) string {
	switch s {
	case "U":
		return "U"
	case "1.0":
		return "1.0"
	case "2.0":
		return "2.0"
	case "3.0":
		return "3.0"
	case "EARTH":
		return "EARTH"
	case "TEME":
		return "TEME"
	case "UTC":
		return "UTC"
	case "SGP4":
		return "SGP4"
	case "SGP/SGP4":
		return "SGP/SGP4"
	case "EME2000":
		return "EME2000"
	case "SATCAT":
		return "SATCAT"
	case "NONE":
		return "NONE"
	case "YES":
		return "YES"
	case "NO":
		return "NO"
	}
	return strings.Clone(s)
}
