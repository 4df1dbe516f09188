package tle

import (
	"fmt"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// field describes one fixed-column field (1-based inclusive columns).
type field struct {
	first, last int
	name        string
}

// Fields of both lines.
var (
	fLineNumber = field{1, 1, "line number"}
	fChecksum   = field{69, 69, "checksum"}
)

// Line 1 fields.
var (
	f1Sat     = field{3, 7, "satellite number"}
	f1Class   = field{8, 8, "classification"}
	f1Intl    = field{10, 17, "international designator"}
	f1Epoch   = field{19, 32, "epoch"}
	f1NDot    = field{34, 43, "first derivative of mean motion"}
	f1NDDot   = field{45, 52, "second derivative of mean motion"}
	f1BStar   = field{54, 61, "B*"}
	f1Ephem   = field{63, 63, "ephemeris type"}
	f1ElSet   = field{65, 68, "element set number"}
	line1Gaps = [...]int{2, 9, 18, 33, 44, 53, 62, 64}
)

// Line 2 fields.
var (
	f2Sat     = field{3, 7, "satellite number"}
	f2Incl    = field{9, 16, "inclination"}
	f2RAAN    = field{18, 25, "right ascension of the ascending node"}
	f2Ecc     = field{27, 33, "eccentricity"}
	f2ArgP    = field{35, 42, "argument of perigee"}
	f2M       = field{44, 51, "mean anomaly"}
	f2N       = field{53, 63, "mean motion"}
	f2Rev     = field{64, 68, "revolution number"}
	line2Gaps = [...]int{2, 8, 17, 26, 34, 43, 52}
)

// lineErr carries the location context of one line for error reports.
type lineErr struct {
	rec  int // 1 or 2
	file int // file line, 0 when unknown
}

func (l lineErr) at(f field, err error) *ParseError {
	return &ParseError{Line: l.file, RecordLine: l.rec, Column: f.first, Field: f.name, Err: err}
}

func (l lineErr) col(col int, name string, err error) *ParseError {
	return &ParseError{Line: l.file, RecordLine: l.rec, Column: col, Field: name, Err: err}
}

// checkShape validates a line's length, line number, blank separators and
// characters, and returns it cut to its 69 (or 68) columns with its
// computed checksum.
func checkShape[T text](line T, want byte, gaps []int, le lineErr, opt Options) (T, int, *ParseError) {
	line = trimRight(line)
	n := len(line)
	switch {
	case n == 68 && opt.SkipChecksum:
	case n == 69:
	case n > 69 && opt.AllowTrailing:
		line = line[:69]
	case n > 69:
		return line, 0, le.col(70, "", fmt.Errorf("%w: %d columns, want 69 (text after column 69 needs AllowTrailing)", ErrLength, n))
	default:
		wantCols := "69"
		if opt.SkipChecksum {
			wantCols = "68 or 69"
		}
		return line, 0, le.col(0, "", fmt.Errorf("%w: %d columns, want %s", ErrLength, n, wantCols))
	}
	if line[0] != want {
		return line, 0, le.at(fLineNumber, fmt.Errorf("%w: %q, want %q", ErrLineNumber, line[0], want))
	}
	for _, g := range gaps {
		if line[g-1] != ' ' {
			return line, 0, le.col(g, "separator", fmt.Errorf("%w, found %q", ErrBlankExpected, line[g-1]))
		}
	}
	sum := 0
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c < 0x20 || c > 0x7e {
			return line, 0, le.col(i+1, "", fmt.Errorf("%w: %q", ErrCharacter, c))
		}
		if i < 68 {
			sum += int(checkValue[c])
		}
	}
	return line, sum % 10, nil
}

// verifyChecksum compares column 69 with the computed sum.
func verifyChecksum[T text](line T, sum int, le lineErr) *ParseError {
	if got := line[68]; !isDigit(got) || int(got-'0') != sum {
		return le.at(fChecksum, fmt.Errorf("%w: column 69 is %q, computed %d", ErrChecksum, got, sum))
	}
	return nil
}

func sub[T text](line T, f field) T { return line[f.first-1 : f.last] }

// parseLines is the shared core of Parse and Reader. It returns the element
// set without Name and IntlDesignator, plus the designator text.
func parseLines[T text](line1, line2 T, opt Options) (gp.ElementSet, T, *ParseError) {
	return parseLinesAt(line1, line2, opt, 0, 0)
}

func parseLinesAt[T text](line1, line2 T, opt Options, file1, file2 int) (e gp.ElementSet, intl T, perr *ParseError) {
	l1e := lineErr{rec: 1, file: file1}
	l2e := lineErr{rec: 2, file: file2}
	l1, sum1, perr := checkShape(line1, '1', line1Gaps[:], l1e, opt)
	if perr != nil {
		return e, intl, perr
	}
	l2, sum2, perr := checkShape(line2, '2', line2Gaps[:], l2e, opt)
	if perr != nil {
		return e, intl, perr
	}

	// line 1
	sat, ok := decodeCatalog(sub(l1, f1Sat))
	if !ok {
		return e, intl, l1e.at(f1Sat, fmt.Errorf("%w %q", ErrCatalogNumber, string(sub(l1, f1Sat))))
	}
	e.CatalogNumber = sat
	switch c := l1[f1Class.first-1]; c {
	case 'U', 'C', 'S':
		e.Classification = c
	case ' ':
	default:
		return e, intl, l1e.at(f1Class, fmt.Errorf("%w %q, want U, C or S", ErrClassification, c))
	}
	intl = trimSpaces(sub(l1, f1Intl))
	if perr = checkDesignator(intl, l1e); perr != nil {
		return e, intl, perr
	}
	if e.Epoch, perr = epochField(l1, l1e); perr != nil {
		return e, intl, perr
	}
	if e.MeanMotionDotRevDay2, perr = decimalField(l1, f1NDot, specNDot, l1e); perr != nil {
		return e, intl, perr
	}
	if e.MeanMotionDdotRevDay3, perr = expField(l1, f1NDDot, l1e); perr != nil {
		return e, intl, perr
	}
	if e.BStarPerEarthRadius, perr = expField(l1, f1BStar, l1e); perr != nil {
		return e, intl, perr
	}
	if e.EphemerisType, perr = uintField(l1, f1Ephem, l1e); perr != nil {
		return e, intl, perr
	}
	if e.ElementSetNumber, perr = uintField(l1, f1ElSet, l1e); perr != nil {
		return e, intl, perr
	}

	// line 2
	sat2, ok := decodeCatalog(sub(l2, f2Sat))
	if !ok {
		return e, intl, l2e.at(f2Sat, fmt.Errorf("%w %q", ErrCatalogNumber, string(sub(l2, f2Sat))))
	}
	if sat2 != sat {
		return e, intl, l2e.at(f2Sat, fmt.Errorf("%w: %d on line 1, %d on line 2", ErrCatalogDiffers, sat, sat2))
	}
	if e.InclinationDeg, perr = decimalField(l2, f2Incl, specAngle, l2e); perr != nil {
		return e, intl, perr
	}
	if e.RAANDeg, perr = decimalField(l2, f2RAAN, specAngle, l2e); perr != nil {
		return e, intl, perr
	}
	ecc, perr := uintField(l2, f2Ecc, l2e)
	if perr != nil {
		return e, intl, perr
	}
	e.Eccentricity = float64(ecc) / 1e7
	if e.ArgPerigeeDeg, perr = decimalField(l2, f2ArgP, specAngle, l2e); perr != nil {
		return e, intl, perr
	}
	if e.MeanAnomalyDeg, perr = decimalField(l2, f2M, specAngle, l2e); perr != nil {
		return e, intl, perr
	}
	if e.MeanMotionRevPerDay, perr = decimalField(l2, f2N, specN, l2e); perr != nil {
		return e, intl, perr
	}
	if e.RevAtEpoch, perr = uintField(l2, f2Rev, l2e); perr != nil {
		return e, intl, perr
	}
	if perr = checkRanges(&e, l2e); perr != nil {
		return e, intl, perr
	}
	// Checksums last: when a field is malformed, naming it helps more.
	if !opt.SkipChecksum {
		if perr = verifyChecksum(l1, sum1, l1e); perr != nil {
			return e, intl, perr
		}
		if perr = verifyChecksum(l2, sum2, l2e); perr != nil {
			return e, intl, perr
		}
	}
	return e, intl, nil
}

func epochField[T text](line T, le lineErr) (time.Time, *ParseError) {
	t, err := parseEpoch(sub(line, f1Epoch))
	if err != nil {
		return time.Time{}, le.at(f1Epoch, err)
	}
	return t, nil
}

// Precision of the fixed-point fields: what Format writes back.
var (
	specNDot  = decimalSpec{maxInt: 0, maxFrac: 8} // " .00000023"
	specAngle = decimalSpec{maxInt: 3, maxFrac: 4} // "%8.4f"
	specN     = decimalSpec{maxInt: 2, maxFrac: 8} // "%11.8f"
)

func decimalField[T text](line T, f field, spec decimalSpec, le lineErr) (float64, *ParseError) {
	v, ok := parseDecimal(sub(line, f), spec)
	if !ok {
		return 0, le.at(f, fmt.Errorf("%w %q", ErrNumber, string(trimSpaces(sub(line, f)))))
	}
	return v, nil
}

func expField[T text](line T, f field, le lineErr) (float64, *ParseError) {
	v, ok := parseImpliedExp(sub(line, f))
	if !ok {
		return 0, le.at(f, fmt.Errorf("%w %q (want implied-decimal form like \" 12345-3\")", ErrNumber, string(trimSpaces(sub(line, f)))))
	}
	return v, nil
}

func uintField[T text](line T, f field, le lineErr) (int, *ParseError) {
	// eccentricity must be all digits; the counters may be blank (0)
	blankOK := f != f2Ecc
	v, ok := parseUint(sub(line, f), blankOK)
	if !ok {
		return 0, le.at(f, fmt.Errorf("%w %q", ErrNumber, string(trimSpaces(sub(line, f)))))
	}
	return v, nil
}

// checkDesignator accepts a blank designator or digits, capital letters and
// blanks (e.g. "98067A", "85108AA", and old files' "92052  A").
func checkDesignator[T text](intl T, le lineErr) *ParseError {
	for i := 0; i < len(intl); i++ {
		c := intl[i]
		if !(isDigit(c) || (c >= 'A' && c <= 'Z') || c == ' ') {
			return le.at(f1Intl, fmt.Errorf("%w %q: only digits, capital letters and blanks", ErrDesignator, string(intl)))
		}
	}
	return nil
}

// checkRanges applies the range checks that no genuine element set fails.
// They are the same in every mode: Vallado's verification records, whose
// oddities SGP4 must report itself, all pass them.
func checkRanges(e *gp.ElementSet, l2e lineErr) *ParseError {
	switch {
	case !(e.InclinationDeg >= 0 && e.InclinationDeg <= 180):
		return l2e.at(f2Incl, fmt.Errorf("%w: %v deg not in [0,180]", ErrRange, e.InclinationDeg))
	case !(e.RAANDeg >= 0 && e.RAANDeg <= 360):
		return l2e.at(f2RAAN, fmt.Errorf("%w: %v deg not in [0,360]", ErrRange, e.RAANDeg))
	case !(e.ArgPerigeeDeg >= 0 && e.ArgPerigeeDeg <= 360):
		return l2e.at(f2ArgP, fmt.Errorf("%w: %v deg not in [0,360]", ErrRange, e.ArgPerigeeDeg))
	case !(e.MeanAnomalyDeg >= 0 && e.MeanAnomalyDeg <= 360):
		return l2e.at(f2M, fmt.Errorf("%w: %v deg not in [0,360]", ErrRange, e.MeanAnomalyDeg))
	case !(e.MeanMotionRevPerDay > 0):
		return l2e.at(f2N, fmt.Errorf("%w: %v rev/day must be positive", ErrRange, e.MeanMotionRevPerDay))
	}
	return nil
}
