//go:build !cgo

package onnx

import "fmt"

// ORTRunner is unavailable without cgo; NewORT always fails and Open
// falls back to the pure-Go interpreter.
type ORTRunner struct{ GoRunner }

// NewORT reports that this build has no ONNX Runtime.
func NewORT(model []byte, lib, input, output string, nIn, nOut int, cpuOnly bool) (*ORTRunner, error) {
	return nil, fmt.Errorf("%w: built without cgo", ErrNoRuntime)
}

// ORTVersion is "" in a build without cgo.
func ORTVersion() string { return "" }

// CUDAFallback is nil: nothing was tried.
func (r *ORTRunner) CUDAFallback() error { return nil }
