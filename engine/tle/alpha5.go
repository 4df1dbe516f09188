package tle

import "fmt"

// MaxCatalogNumber is the largest satellite number a TLE can carry (Alpha-5 "Z9999").
const MaxCatalogNumber = 339999

// alpha5Letters lists the Alpha-5 leading letters in value order from 10;
// I and O are excluded because they read as 1 and 0.
const alpha5Letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"

func alpha5Value(c byte) int {
	for i := 0; i < len(alpha5Letters); i++ {
		if alpha5Letters[i] == c {
			return 10 + i
		}
	}
	return -1
}

// DecodeAlpha5 decodes a TLE satellite number: up to five digits, possibly
// right-justified with leading blanks ("    5", "00005"), or the Alpha-5 form
// of a letter and four digits ("T0000" = 270000; I and O are not used).
func DecodeAlpha5(s string) (int, error) {
	n, ok := decodeCatalog(s)
	if !ok {
		return 0, fmt.Errorf("%w %q", ErrCatalogNumber, s)
	}
	return n, nil
}

func decodeCatalog[T text](s T) (int, bool) {
	s = trimSpaces(s)
	if len(s) == 0 || len(s) > 5 {
		return 0, false
	}
	if isDigit(s[0]) {
		return parseUint(s, false)
	}
	if len(s) != 5 {
		return 0, false
	}
	lead := alpha5Value(s[0])
	if lead < 0 {
		return 0, false
	}
	rest, ok := parseUint(s[1:], false)
	if !ok || !isDigit(s[1]) {
		return 0, false
	}
	return lead*10000 + rest, true
}

// EncodeAlpha5 writes n as a five-character TLE satellite number: zero-padded
// digits below 100000, Alpha-5 from 100000 ("A0000") to 339999 ("Z9999").
func EncodeAlpha5(n int) (string, error) {
	var b [5]byte
	if !encodeCatalog(&b, n) {
		return "", fmt.Errorf("%w: satellite number %d outside 0..%d", ErrFormat, n, MaxCatalogNumber)
	}
	return string(b[:]), nil
}

// encodeCatalog writes n into dst as EncodeAlpha5 does; false when n does
// not fit.
func encodeCatalog(dst *[5]byte, n int) bool {
	if n < 0 || n > MaxCatalogNumber {
		return false
	}
	digits := 5
	if n >= 100000 {
		dst[0] = alpha5Letters[n/10000-10]
		n %= 10000
		digits = 4
	}
	for i := 4; i >= 5-digits; i-- {
		dst[i] = byte('0' + n%10)
		n /= 10
	}
	return true
}
