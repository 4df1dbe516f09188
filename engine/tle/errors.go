package tle

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every parse failure is a *ParseError whose Err wraps one
// of these, so callers can test with errors.Is; Format and EncodeAlpha5
// errors wrap ErrFormat.
var (
	ErrLength         = errors.New("tle: bad line length")
	ErrLineNumber     = errors.New("tle: wrong line number")
	ErrBlankExpected  = errors.New("tle: expected a blank")
	ErrCharacter      = errors.New("tle: not a printable ASCII character")
	ErrNumber         = errors.New("tle: invalid number")
	ErrCatalogNumber  = errors.New("tle: invalid satellite number")
	ErrCatalogDiffers = errors.New("tle: satellite numbers of line 1 and line 2 differ")
	ErrClassification = errors.New("tle: invalid classification")
	ErrDesignator     = errors.New("tle: invalid international designator")
	ErrEpoch          = errors.New("tle: invalid epoch")
	ErrRange          = errors.New("tle: value out of range")
	ErrChecksum       = errors.New("tle: checksum mismatch")
	ErrMissingLine    = errors.New("tle: missing line")
	ErrFormat         = errors.New("tle: element set cannot be written as a TLE")
)

// ParseError locates a parse failure.
type ParseError struct {
	// Line is the 1-based line in the file (Reader); 0 when the lines were
	// passed directly to Parse or ParseWith.
	Line int
	// RecordLine is which line of the record failed: 0 the name line, 1 or 2.
	RecordLine int
	// Column is the 1-based column of the offending field; 0 when the error
	// concerns the whole line.
	Column int
	// Field names the field ("mean motion", "checksum", ...); may be empty.
	Field string
	Err   error
}

// Error formats as, e.g.,
// `tle: file line 118 (line 2 of record), column 53 (mean motion): invalid number "1x.2"`.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("tle: ")
	rec := "name line"
	if e.RecordLine > 0 {
		rec = "line " + strconv.Itoa(e.RecordLine)
	}
	if e.Line > 0 {
		b.WriteString("file line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(" (")
		b.WriteString(rec)
		b.WriteString(" of record)")
	} else {
		b.WriteString(rec)
	}
	if e.Column > 0 {
		b.WriteString(", column ")
		b.WriteString(strconv.Itoa(e.Column))
	}
	if e.Field != "" {
		b.WriteString(" (")
		b.WriteString(e.Field)
		b.WriteString(")")
	}
	b.WriteString(": ")
	msg := "unknown error"
	if e.Err != nil {
		msg = strings.TrimPrefix(e.Err.Error(), "tle: ")
	}
	b.WriteString(msg)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }
