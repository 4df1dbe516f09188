package ccsds

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Parse errors wrap one of these inside a *ParseError that
// says where the problem is.
var (
	ErrSyntax            = errors.New("ccsds: syntax error")
	ErrMissingKeyword    = errors.New("ccsds: missing mandatory keyword")
	ErrUnknownKeyword    = errors.New("ccsds: unknown keyword")
	ErrDuplicateKeyword  = errors.New("ccsds: duplicate keyword")
	ErrMisplacedKeyword  = errors.New("ccsds: keyword out of place")
	ErrEmptyValue        = errors.New("ccsds: empty value")
	ErrBadValue          = errors.New("ccsds: invalid value")
	ErrBadUnits          = errors.New("ccsds: unexpected units")
	ErrUnsupportedFormat = errors.New("ccsds: unrecognised message format")
	ErrUnsupportedTheory = errors.New("ccsds: mean element theory cannot be converted to SGP4 elements")
	ErrNotSGP4           = errors.New("ccsds: OMM cannot be converted to SGP4 elements")
)

// ParseError locates a problem in an input message.
type ParseError struct {
	Line    int    // 1-based line of the input; 0 when unknown
	Column  int    // 1-based column of the value; 0 when unknown
	Record  int    // 1-based object (JSON) or data row (CSV) index; 0 when not applicable
	Keyword string // keyword or XML element concerned; "" when none
	Msg     string // what is wrong
	Err     error  // one of the package sentinels
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("ccsds: error")
	}
	sep := ": "
	if e.Line > 0 {
		fmt.Fprintf(&b, "%sline %d", sep, e.Line)
		sep = ", "
		if e.Column > 0 {
			fmt.Fprintf(&b, " column %d", e.Column)
		}
	}
	if e.Record > 0 {
		fmt.Fprintf(&b, "%srecord %d", sep, e.Record)
		sep = ", "
	}
	if e.Keyword != "" {
		fmt.Fprintf(&b, "%skeyword %s", sep, e.Keyword)
	}
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// pos is where a value came from.
type pos struct {
	line, col, record int
}

func (p pos) errf(sentinel error, keyword, format string, args ...any) *ParseError {
	return &ParseError{Line: p.line, Column: p.col, Record: p.record, Keyword: keyword, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}
