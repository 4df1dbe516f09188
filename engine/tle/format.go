package tle

import (
	"fmt"
	"math"
	"strconv"

	"github.com/astroshield/astroshield/engine/gp"
)

// Format writes e as the two lines of a TLE with their checksums, in the
// layout Space-Track uses today: zero-padded satellite numbers (Alpha-5 from
// 100000 to 339999), blank signs for positive values, zero written
// " 00000-0", and values rounded to the columns' precision. It fails with
// ErrFormat for what the columns cannot hold (satellite number above
// 339999, epoch outside 1957-2056, eccentricity that rounds to 1, ...) and
// for values Parse would reject. e.Name is not written: a 3-line file puts
// it on its own line before line 1.
func Format(e gp.ElementSet) (line1, line2 string, err error) {
	var b1, b2 [69]byte
	if err := format1(b1[:0], &e); err != nil {
		return "", "", err
	}
	if err := format2(b2[:0], &e); err != nil {
		return "", "", err
	}
	return string(b1[:]), string(b2[:]), nil
}

func formatErr(what string, v any, why string) error {
	return fmt.Errorf("%w: %s %v %s", ErrFormat, what, v, why)
}

func format1(b []byte, e *gp.ElementSet) error {
	b = append(b, '1', ' ')
	var sat [5]byte
	if !encodeCatalog(&sat, e.CatalogNumber) {
		return formatErr("satellite number", e.CatalogNumber, fmt.Sprintf("outside 0..%d", MaxCatalogNumber))
	}
	b = append(b, sat[:]...)
	switch c := e.Classification; c {
	case 'U', 'C', 'S':
		b = append(b, c)
	case 0:
		b = append(b, ' ')
	default:
		return formatErr("classification", strconv.QuoteRune(rune(c)), "is not U, C or S")
	}
	b = append(b, ' ')
	if len(e.IntlDesignator) > 8 {
		return formatErr("international designator", strconv.Quote(e.IntlDesignator), "is longer than 8 characters")
	}
	if perr := checkDesignator(e.IntlDesignator, lineErr{}); perr != nil {
		return fmt.Errorf("%w: %v", ErrFormat, perr.Err)
	}
	b = append(b, e.IntlDesignator...)
	b = appendBlanks(b, 8-len(e.IntlDesignator))
	b = append(b, ' ')
	var err error
	if b, err = appendEpoch(b, e.Epoch); err != nil {
		return err
	}
	b = append(b, ' ')
	if b, err = appendNDot(b, e.MeanMotionDotRevDay2); err != nil {
		return err
	}
	b = append(b, ' ')
	if b, err = appendImpliedExp(b, e.MeanMotionDdotRevDay3, "second derivative of mean motion"); err != nil {
		return err
	}
	b = append(b, ' ')
	if b, err = appendImpliedExp(b, e.BStarPerEarthRadius, "B*"); err != nil {
		return err
	}
	b = append(b, ' ')
	if b, err = appendUint(b, e.EphemerisType, 1, "ephemeris type"); err != nil {
		return err
	}
	b = append(b, ' ')
	if b, err = appendUint(b, e.ElementSetNumber, 4, "element set number"); err != nil {
		return err
	}
	_ = append(b, byte('0'+checksum(b))) // b aliases the caller's line array
	return nil
}

func format2(b []byte, e *gp.ElementSet) error {
	if perr := checkRanges(e, lineErr{}); perr != nil {
		return fmt.Errorf("%w: %s: %v", ErrFormat, perr.Field, perr.Err)
	}
	b = append(b, '2', ' ')
	var sat [5]byte
	if !encodeCatalog(&sat, e.CatalogNumber) {
		return formatErr("satellite number", e.CatalogNumber, fmt.Sprintf("outside 0..%d", MaxCatalogNumber))
	}
	b = append(b, sat[:]...)
	var err error
	b = append(b, ' ')
	if b, err = appendFixed(b, e.InclinationDeg, 8, 4, "inclination"); err != nil {
		return err
	}
	b = append(b, ' ')
	if b, err = appendFixed(b, e.RAANDeg, 8, 4, "right ascension of the ascending node"); err != nil {
		return err
	}
	b = append(b, ' ')
	ecc := math.Round(e.Eccentricity * 1e7)
	if !(e.Eccentricity >= 0) || ecc >= 1e7 {
		return formatErr("eccentricity", e.Eccentricity, "cannot be written in [0, 0.9999999]")
	}
	b = appendZeroPadded(b, int(ecc), 7)
	b = append(b, ' ')
	if b, err = appendFixed(b, e.ArgPerigeeDeg, 8, 4, "argument of perigee"); err != nil {
		return err
	}
	b = append(b, ' ')
	if b, err = appendFixed(b, e.MeanAnomalyDeg, 8, 4, "mean anomaly"); err != nil {
		return err
	}
	b = append(b, ' ')
	if b, err = appendFixed(b, e.MeanMotionRevPerDay, 11, 8, "mean motion"); err != nil {
		return err
	}
	if b, err = appendUint(b, e.RevAtEpoch, 5, "revolution number"); err != nil {
		return err
	}
	_ = append(b, byte('0'+checksum(b))) // b aliases the caller's line array
	return nil
}

func appendBlanks(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

func appendZeroPadded(b []byte, v, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// appendUint right-justifies v in width columns.
func appendUint(b []byte, v, width int, what string) ([]byte, error) {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	if v < 0 || len(s) > width {
		return b, formatErr(what, v, fmt.Sprintf("does not fit %d digit(s)", width))
	}
	b = appendBlanks(b, width-len(s))
	return append(b, s...), nil
}

// appendFixed right-justifies v with prec decimals in width columns.
func appendFixed(b []byte, v float64, width, prec int, what string) ([]byte, error) {
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], v, 'f', prec, 64)
	if math.IsNaN(v) || math.IsInf(v, 0) || len(s) > width {
		return b, formatErr(what, v, fmt.Sprintf("does not fit %d columns with %d decimals", width, prec))
	}
	b = appendBlanks(b, width-len(s))
	return append(b, s...), nil
}

// appendNDot writes the first derivative of mean motion as " .00000023" or
// "-.00000084" (sign, point, eight decimals).
func appendNDot(b []byte, v float64) ([]byte, error) {
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], v, 'f', 8, 64)
	sign := byte(' ')
	if len(s) > 0 && s[0] == '-' {
		sign, s = '-', s[1:]
	}
	if math.IsNaN(v) || len(s) != 10 || s[0] != '0' {
		return b, formatErr("first derivative of mean motion", v, "rev/day² is not within ±0.99999999")
	}
	b = append(b, sign)
	return append(b, s[1:]...), nil
}

// appendImpliedExp writes v in the 8-column implied-decimal exponent form
// " 12345-3" = 0.12345e-3; zero is " 00000-0", other values with exponent
// 0 are "+0" (" 12387+0"), as Space-Track writes them. Magnitudes below 1e-10 are
// written with leading zeros at exponent -9 (resolution 1e-14).
func appendImpliedExp(b []byte, v float64, what string) ([]byte, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return b, formatErr(what, v, "is not a number")
	}
	sign := byte(' ')
	if math.Signbit(v) {
		sign = '-'
		v = -v
	}
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], v, 'e', 4, 64) // d.dddde±XX
	mant := [5]byte{s[0], s[2], s[3], s[4], s[5]}
	exp, _ := strconv.Atoi(string(s[7:]))
	exp++ // 0.ddddd form
	switch {
	case v == 0:
		mant, exp = [5]byte{'0', '0', '0', '0', '0'}, 0
	case exp < -9:
		// below 0.1e-9 the mantissa takes leading zeros: 0.0ddddE-9
		m := int(math.Round(v * 1e14))
		var tmp [8]byte
		copy(mant[:], appendZeroPadded(tmp[:0], m, 5))
		exp = -9
		if m == 0 {
			exp = 0
		}
	}
	if exp > 9 {
		return b, formatErr(what, v, "is too large for the one-digit exponent")
	}
	b = append(b, sign)
	b = append(b, mant[:]...)
	if exp < 0 || (exp == 0 && mant == [5]byte{'0', '0', '0', '0', '0'}) {
		b = append(b, '-', byte('0'-exp))
	} else {
		b = append(b, '+', byte('0'+exp))
	}
	return b, nil
}
