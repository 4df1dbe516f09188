// Package tle reads and writes NORAD Two-Line Element sets (2- and 3-line forms, Alpha-5 numbers) as gp.ElementSet.
package tle

import "github.com/astroshield/astroshield/engine/gp"

// Options relaxes the strict reading of Parse.
//
// Line length: a line (after trailing blanks, CR and LF are removed) must
// have 69 columns. With SkipChecksum a 68-column line (checksum column
// missing) is accepted and column 69 is not checked; with AllowTrailing text
// after column 69 is ignored. Trailing blanks are always ignored.
type Options struct {
	// SkipChecksum does not verify column 69 (Vallado's SGP4-VER.TLE has
	// five lines whose checksums do not verify).
	SkipChecksum bool
	// AllowTrailing ignores text after column 69 (SGP4-VER.TLE writes the
	// start, stop and step minutes of each test case there).
	AllowTrailing bool
}

// Parse reads one element set from its two lines, strictly: 69 columns
// (trailing blanks, CR and LF ignored), valid checksums, blanks between the
// fields, each field well formed and written to no more precision than
// Format writes back, satellite numbers equal, and inclination in [0,180],
// the other angles in [0,360], mean motion above 0 (eccentricity, an
// implied-decimal 7-digit field, is in [0,1) by construction). A blank
// classification reads as 0; blank ephemeris type, element set number and
// revolution number as 0. On failure the error is a *ParseError.
func Parse(line1, line2 string) (gp.ElementSet, error) {
	return ParseWith("", line1, line2, Options{})
}

// ParseWith reads one element set with an optional name (the 3-line form's
// line 0, with or without its "0 " prefix) under opt.
func ParseWith(name, line1, line2 string, opt Options) (gp.ElementSet, error) {
	e, intl, perr := parseLines(line1, line2, opt)
	if perr != nil {
		return gp.ElementSet{}, perr
	}
	e.IntlDesignator = intl
	e.Name = cleanName(name)
	return e, nil
}

// cleanName strips the 3-line form's "0 " prefix and surrounding blanks.
func cleanName[T text](s T) T {
	s = trimRight(s)
	if len(s) >= 2 && s[0] == '0' && s[1] == ' ' {
		s = s[2:]
	}
	return trimSpaces(s)
}

// trimRight removes trailing blanks, tabs, CR and LF.
func trimRight[T text](s T) T {
	j := len(s)
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\r' || s[j-1] == '\n') {
		j--
	}
	return s[:j]
}
