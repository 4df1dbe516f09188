package conjunction

import "errors"

// Sentinel errors. Screen wraps them with context; test with errors.Is.
var (
	// ErrOptions is wrapped by every refusal of Options.
	ErrOptions = errors.New("conjunction: invalid options")
	// ErrPrimary is wrapped when a primary NORAD number is not in the catalog
	// or cannot be propagated.
	ErrPrimary = errors.New("conjunction: primary not screenable")
	// ErrPropagation is wrapped by Failure.Err when SGP4 refuses an object
	// (at initialisation or at some time in the window).
	ErrPropagation = errors.New("conjunction: propagation failed")
	// ErrImplausible is wrapped (inside ErrPropagation) when SGP4 returns a
	// state far outside the element set's radial band without an error.
	ErrImplausible = errors.New("conjunction: implausible SGP4 state")
	// ErrDuplicate is wrapped by Failure.Err for an element set dropped
	// because the catalog holds a newer one for the same NORAD number.
	ErrDuplicate = errors.New("conjunction: duplicate catalog number")
)
