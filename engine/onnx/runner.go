package onnx

import (
	"errors"
	"fmt"
	"os"
)

// Runner evaluates a model with one float32 [batch, features] input and
// one float32 [batch, outputs] output.
type Runner interface {
	// Run evaluates batch rows of x (row-major) and returns the outputs.
	Run(x []float32, batch int) ([]float32, error)
	// Backend names what runs the model: "go", "onnxruntime-cpu" or
	// "onnxruntime-cuda".
	Backend() string
	// Close releases the runner's resources (ORT session and tensors).
	Close() error
}

// ErrNoRuntime is returned by NewORT when ONNX Runtime cannot be used:
// a build without cgo, no library path, or a library that fails to load.
var ErrNoRuntime = errors.New("onnx: ONNX Runtime not available")

// LibraryEnv names the environment variable with the absolute path of
// libonnxruntime.so.1 (`make ort` fetches it into .ort/).
const LibraryEnv = "ASTROSHIELD_ORT_LIB"

// Options select how Open runs a model.
type Options struct {
	// LibraryPath is the absolute path of libonnxruntime; empty means
	// $ASTROSHIELD_ORT_LIB, and none at all means the pure-Go interpreter.
	LibraryPath string
	// PureGo forces the pure-Go interpreter.
	PureGo bool
	// CPUOnly skips the CUDA execution provider.
	CPUOnly bool
}

// GoRunner runs a model with the pure-Go interpreter.
type GoRunner struct{ G *Graph }

// Run implements Runner.
func (r GoRunner) Run(x []float32, batch int) ([]float32, error) { return r.G.Run(x, batch) }

// Backend implements Runner.
func (GoRunner) Backend() string { return "go" }

// Close implements Runner.
func (GoRunner) Close() error { return nil }

var _ Runner = GoRunner{}

// Open decodes a model and returns a runner for it: ONNX Runtime (CUDA,
// else CPU) where it is available, else the pure-Go interpreter. The model
// is always decoded by the interpreter first, so both paths accept the same
// files. fallback says why ONNX Runtime was not used (nil when it was, or
// when PureGo was asked for).
func Open(model []byte, opt Options) (r Runner, fallback error, err error) {
	g, err := Decode(model)
	if err != nil {
		return nil, nil, err
	}
	if opt.PureGo {
		return GoRunner{g}, nil, nil
	}
	lib := opt.LibraryPath
	if lib == "" {
		lib = os.Getenv(LibraryEnv)
	}
	if lib == "" {
		return GoRunner{g}, fmt.Errorf("%w: %s is not set", ErrNoRuntime, LibraryEnv), nil
	}
	o, ferr := NewORT(model, lib, g.InputName, g.OutputName, g.Features, g.Outputs, opt.CPUOnly)
	if ferr != nil {
		return GoRunner{g}, ferr, nil
	}
	return o, nil, nil
}
