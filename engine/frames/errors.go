package frames

import "errors"

// ErrInvalidInput is wrapped by errors for arguments no computation can use:
// non-finite values, latitudes beyond the poles, empty time windows.
var ErrInvalidInput = errors.New("frames: invalid input")

// ErrPropagator is wrapped, together with the propagator's own error, when a
// Propagator fails during a pass search.
var ErrPropagator = errors.New("frames: propagator failed")
