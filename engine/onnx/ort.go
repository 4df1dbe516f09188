//go:build cgo

package onnx

// The one file of the engine that uses cgo (through onnxruntime_go).

import (
	"fmt"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// One ORT environment per process, created on first use with the first
// library path given; it lives until the process ends.
var (
	ortOnce sync.Once
	ortLib  string
	ortErr  error
)

func ortInit(lib string) error {
	ortOnce.Do(func() {
		if !filepath.IsAbs(lib) {
			ortErr = fmt.Errorf("%w: library path %q is not absolute", ErrNoRuntime, lib)
			return
		}
		ortLib = lib
		ort.SetSharedLibraryPath(lib)
		if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
			ortErr = fmt.Errorf("%w: %s: %v", ErrNoRuntime, lib, err)
		}
	})
	if ortErr == nil && lib != ortLib {
		return fmt.Errorf("%w: environment already uses %s, not %s", ErrNoRuntime, ortLib, lib)
	}
	return ortErr
}

// ORTVersion is the version string of the loaded ONNX Runtime, or "" before
// the first NewORT.
func ORTVersion() string {
	if !ort.IsInitialized() {
		return ""
	}
	return ort.GetVersion()
}

// ORTRunner runs a model with ONNX Runtime.
type ORTRunner struct {
	mu       sync.Mutex
	sess     *ort.DynamicAdvancedSession
	backend  string
	nIn      int
	nOut     int
	fallback error // why CUDA is not used, nil when it is
}

var _ Runner = (*ORTRunner)(nil)

// NewORT creates an ONNX Runtime session for model (input and output
// names and widths as decoded). It tries the CUDA execution provider
// first unless cpuOnly, then the CPU provider.
func NewORT(model []byte, lib, input, output string, nIn, nOut int, cpuOnly bool) (*ORTRunner, error) {
	if err := ortInit(lib); err != nil {
		return nil, err
	}
	r := &ORTRunner{nIn: nIn, nOut: nOut}
	if !cpuOnly {
		s, err := newSession(model, input, output, true)
		if err == nil {
			r.sess, r.backend = s, "onnxruntime-cuda"
			return r, nil
		}
		r.fallback = err
	}
	s, err := newSession(model, input, output, false)
	if err != nil {
		return nil, fmt.Errorf("%w: create session: %v", ErrNoRuntime, err)
	}
	r.sess, r.backend = s, "onnxruntime-cpu"
	return r, nil
}

func newSession(model []byte, input, output string, cuda bool) (*ort.DynamicAdvancedSession, error) {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, err
	}
	defer opts.Destroy()
	if err := opts.SetIntraOpNumThreads(1); err != nil {
		return nil, err
	}
	if cuda {
		co, err := ort.NewCUDAProviderOptions()
		if err != nil {
			return nil, fmt.Errorf("CUDA provider options: %w", err)
		}
		defer co.Destroy()
		if err := opts.AppendExecutionProviderCUDA(co); err != nil {
			return nil, fmt.Errorf("CUDA execution provider: %w", err)
		}
	}
	return ort.NewDynamicAdvancedSessionWithONNXData(model, []string{input}, []string{output}, opts)
}

// CUDAFallback says why the CUDA provider is not used (nil when it is, or
// when it was not tried).
func (r *ORTRunner) CUDAFallback() error { return r.fallback }

// Backend implements Runner.
func (r *ORTRunner) Backend() string { return r.backend }

// Run implements Runner. Calls are serialised; tensors are destroyed
// before it returns.
func (r *ORTRunner) Run(x []float32, batch int) ([]float32, error) {
	if batch <= 0 || len(x) != batch*r.nIn {
		return nil, fmt.Errorf("onnx: input has %d values, want batch %d × %d features", len(x), batch, r.nIn)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sess == nil {
		return nil, fmt.Errorf("onnx: session closed")
	}
	in, err := ort.NewTensor(ort.NewShape(int64(batch), int64(r.nIn)), x)
	if err != nil {
		return nil, fmt.Errorf("onnx: input tensor: %w", err)
	}
	defer in.Destroy()
	out, err := ort.NewEmptyTensor[float32](ort.NewShape(int64(batch), int64(r.nOut)))
	if err != nil {
		return nil, fmt.Errorf("onnx: output tensor: %w", err)
	}
	defer out.Destroy()
	if err := r.sess.Run([]ort.Value{in}, []ort.Value{out}); err != nil {
		return nil, fmt.Errorf("onnx: run: %w", err)
	}
	return append([]float32(nil), out.GetData()...), nil
}

// Close implements Runner: it destroys the session (the environment stays
// for the process).
func (r *ORTRunner) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sess == nil {
		return nil
	}
	err := r.sess.Destroy()
	r.sess = nil
	return err
}
