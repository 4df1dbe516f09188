package sgp4

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors, one per error code; a returned *Error matches its code's
// sentinel with errors.Is.
var (
	ErrEccentricity          = errors.New("sgp4: mean eccentricity out of range")             // code 1
	ErrMeanMotion            = errors.New("sgp4: mean motion not positive")                   // code 2
	ErrPerturbedEccentricity = errors.New("sgp4: perturbed eccentricity out of range")        // code 3
	ErrSemiLatusRectum       = errors.New("sgp4: semi-latus rectum negative")                 // code 4
	ErrDecayed               = errors.New("sgp4: satellite decayed")                          // code 6
	ErrInvalid               = errors.New("sgp4: non-finite or out-of-range input or result") // code 7
)

// ErrorCode is Vallado's SGP4 error code; 0 means success. ErrorCode is itself
// an error (for the batch API); its Error text names the condition without the
// values that *Error carries.
type ErrorCode uint8

// Error codes. 1-4 and 6 are Vallado's (5, sub-orbital epoch elements, was
// dropped by Vallado and is never returned); 7 is this package's.
const (
	CodeOK                    ErrorCode = 0
	CodeEccentricity          ErrorCode = 1
	CodeMeanMotion            ErrorCode = 2
	CodePerturbedEccentricity ErrorCode = 3
	CodeSemiLatusRectum       ErrorCode = 4
	CodeDecayed               ErrorCode = 6
	CodeInvalid               ErrorCode = 7
)

// sentinel returns the sentinel error of a code, nil for CodeOK or unknown codes.
func (c ErrorCode) sentinel() error {
	switch c {
	case CodeEccentricity:
		return ErrEccentricity
	case CodeMeanMotion:
		return ErrMeanMotion
	case CodePerturbedEccentricity:
		return ErrPerturbedEccentricity
	case CodeSemiLatusRectum:
		return ErrSemiLatusRectum
	case CodeDecayed:
		return ErrDecayed
	case CodeInvalid:
		return ErrInvalid
	}
	return nil
}

// Error implements error.
func (c ErrorCode) Error() string {
	if s := c.sentinel(); s != nil {
		return fmt.Sprintf("%s (code %d)", s.Error(), uint8(c))
	}
	if c == CodeOK {
		return "sgp4: no error (code 0)"
	}
	return fmt.Sprintf("sgp4: unknown error code %d", uint8(c))
}

// Is lets errors.Is match a code against its sentinel.
func (c ErrorCode) Is(target error) bool { return target != nil && target == c.sentinel() }

// Error is an initialisation or propagation failure: the code, the
// satellite, the time since epoch it happened at, and the offending value
// (eccentricity, mean motion in rad/min, semi-latus rectum in earth radii, or
// mrt, the radius in earth radii).
type Error struct {
	Code          ErrorCode
	CatalogNumber int
	TsinceMin     float64
	Value         float64
	detail        string // what is wrong, for CodeInvalid
}

// Error gives Vallado's message with the time since epoch.
func (e *Error) Error() string {
	var msg string
	switch e.Code {
	case CodeEccentricity:
		msg = fmt.Sprintf("mean eccentricity %f not within range 0.0 <= e < 1.0", e.Value)
	case CodeMeanMotion:
		msg = fmt.Sprintf("mean motion %f is less than zero", e.Value)
	case CodePerturbedEccentricity:
		msg = fmt.Sprintf("perturbed eccentricity %f not within range 0.0 <= e <= 1.0", e.Value)
	case CodeSemiLatusRectum:
		msg = fmt.Sprintf("semilatus rectum %f is less than zero", e.Value)
	case CodeDecayed:
		msg = fmt.Sprintf("mrt %f is less than 1.0 indicating the satellite has decayed", e.Value)
	case CodeInvalid:
		msg = e.detail
		if msg == "" {
			msg = "non-finite state (elements outside the model's domain)"
		}
	default:
		msg = fmt.Sprintf("unknown error code %d", uint8(e.Code))
	}
	return fmt.Sprintf("sgp4: satellite %d: %s (code %d, tsince %g min)", e.CatalogNumber, msg, uint8(e.Code), e.TsinceMin)
}

// Unwrap returns the code's sentinel.
func (e *Error) Unwrap() error { return e.Code.sentinel() }

func newError(code ErrorCode, satnum int, tsince, value float64) *Error {
	e := &Error{Code: code, CatalogNumber: satnum, TsinceMin: tsince, Value: value}
	if code == CodeInvalid {
		switch {
		case math.IsNaN(tsince) || math.IsInf(tsince, 0):
			e.detail = fmt.Sprintf("tsince %g min is not finite", tsince)
		case math.Abs(tsince) > MaxTsinceMin:
			e.detail = fmt.Sprintf("tsince %g min beyond ±%g min", tsince, MaxTsinceMin)
		}
	}
	return e
}
