package onnx

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/astroshield/astroshield/engine/onnx/onnxpb"
)

// testMLP is a deterministic 2-layer network with the shape of the
// manoeuvre scorer (nf → hidden ReLU → 1 sigmoid).
func testMLP(nf, hidden int) *MLP {
	var s uint64 = 0x9e3779b97f4a7c15
	next := func() float32 {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		return float32(int64(s>>11)%2001-1000) / 1000
	}
	m := &MLP{Metadata: map[string]string{"purpose": "test"}}
	for i := range nf {
		m.Features = append(m.Features, fmt.Sprintf("f%d", i))
		m.Mean = append(m.Mean, next())
		m.InvStd = append(m.InvStd, 1+next()/2)
	}
	mk := func(in, out int, act Activation) Layer {
		l := Layer{In: in, Out: out, Act: act}
		for range in * out {
			l.W = append(l.W, next())
		}
		for range out {
			l.B = append(l.B, next()/4)
		}
		return l
	}
	m.Layers = []Layer{mk(nf, hidden, ActRelu), mk(hidden, 1, ActSigmoid)}
	return m
}

func testRows(n, nf int) []float32 {
	x := make([]float32, n*nf)
	for i := range x {
		x[i] = float32(math.Sin(float64(i)*0.37)) * 3
	}
	return x
}

func TestExportDecodeMatchesPredict(t *testing.T) {
	for _, tc := range []struct {
		name       string
		nf, hidden int
		batch      int
	}{
		{"14x16 batch1", 14, 16, 1},
		{"14x16 batch33", 14, 16, 33},
		{"3x2 batch5", 3, 2, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := testMLP(tc.nf, tc.hidden)
			b, err := m.Export("test")
			if err != nil {
				t.Fatal(err)
			}
			g, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if g.Features != tc.nf || g.Outputs != 1 || g.Opset != Opset || g.Metadata["purpose"] != "test" {
				t.Fatalf("decoded %v, metadata %v", g, g.Metadata)
			}
			if g.Metadata["features"] != strings.Join(m.Features, ",") {
				t.Errorf("features metadata %q", g.Metadata["features"])
			}
			x := testRows(tc.batch, tc.nf)
			y, err := g.Run(x, tc.batch)
			if err != nil {
				t.Fatal(err)
			}
			for r := range tc.batch {
				want := m.Predict(x[r*tc.nf : (r+1)*tc.nf])
				if d := math.Abs(float64(y[r]) - want); d > 2e-6 {
					t.Errorf("row %d: interpreter %v, reference %v (|Δ| %.2g)", r, y[r], want, d)
				}
			}
		})
	}
}

func TestExportDeterministic(t *testing.T) {
	a, _ := testMLP(5, 4).Export("x")
	b, _ := testMLP(5, 4).Export("x")
	if string(a) != string(b) {
		t.Fatal("two exports of the same model differ")
	}
}

// TestOnnxChecker runs onnx.checker (Debian python3-onnx) on an exported file.
func TestOnnxChecker(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("skip: /usr/bin/python3 absent (install python3-onnx to run onnx.checker)")
	}
	if err := exec.Command(py, "-c", "import onnx").Run(); err != nil {
		t.Skip("skip: python3-onnx not installed (apt-get install python3-onnx)")
	}
	b, err := testMLP(14, 16).Export("test")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "m.onnx")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `import onnx, sys
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m, full_check=True)
print(m.opset_import[0].version, len(m.graph.node))`, p).CombinedOutput()
	if err != nil {
		t.Fatalf("onnx.checker: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "13 6" {
		t.Errorf("checker printed %q, want opset 13 and 6 nodes", got)
	}
	// The checker must be able to fail: an unknown operator is rejected.
	var mp onnxpb.ModelProto
	if err := proto.Unmarshal(b, &mp); err != nil {
		t.Fatal(err)
	}
	mp.Graph.Node[2].OpType = proto.String("NoSuchOp")
	bad, _ := proto.Marshal(&mp)
	if err := os.WriteFile(p, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(py, "-c", "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)", p).CombinedOutput(); err == nil {
		t.Errorf("checker accepted an unknown operator:\n%s", out)
	}
}

func mutate(t *testing.T, f func(*onnxpb.ModelProto)) []byte {
	t.Helper()
	b, err := testMLP(4, 3).Export("t")
	if err != nil {
		t.Fatal(err)
	}
	var mp onnxpb.ModelProto
	if err := proto.Unmarshal(b, &mp); err != nil {
		t.Fatal(err)
	}
	f(&mp)
	out, err := proto.Marshal(&mp)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDecodeRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		data func(t *testing.T) []byte
		want string
	}{
		{"not protobuf", func(*testing.T) []byte { return []byte("\xff\xff\xff") }, "not an ONNX ModelProto"},
		{"no graph", func(t *testing.T) []byte { return mutate(t, func(m *onnxpb.ModelProto) { m.Graph = nil }) }, "no graph"},
		{"opset 99", func(t *testing.T) []byte {
			return mutate(t, func(m *onnxpb.ModelProto) { m.OpsetImport[0].Version = proto.Int64(99) })
		}, "opset 99"},
		{"unknown op", func(t *testing.T) []byte {
			return mutate(t, func(m *onnxpb.ModelProto) { m.Graph.Node[3].OpType = proto.String("Conv") })
		}, `"Conv"`},
		{"short initializer", func(t *testing.T) []byte {
			return mutate(t, func(m *onnxpb.ModelProto) { m.Graph.Initializer[2].FloatData = m.Graph.Initializer[2].FloatData[1:] })
		}, "want 12"},
		{"undefined input", func(t *testing.T) []byte {
			return mutate(t, func(m *onnxpb.ModelProto) { m.Graph.Node[1].Input[0] = "nowhere" })
		}, `reads "nowhere"`},
		{"shape mismatch", func(t *testing.T) []byte {
			return mutate(t, func(m *onnxpb.ModelProto) { m.Graph.Initializer[2].Dims = []int64{4, 3} })
		}, "inner dimensions"},
		{"int64 weights", func(t *testing.T) []byte {
			return mutate(t, func(m *onnxpb.ModelProto) {
				m.Graph.Initializer[0].DataType = proto.Int32(int32(onnxpb.TensorProto_INT64))
			})
		}, "want FLOAT"},
		{"output never computed", func(t *testing.T) []byte {
			return mutate(t, func(m *onnxpb.ModelProto) { m.Graph.Output[0].Name = proto.String("elsewhere") })
		}, "never computed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.data(t))
			if !errors.Is(err, ErrModel) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode error %v, want ErrModel containing %q", err, tc.want)
			}
		})
	}
}

func TestRawDataInitializer(t *testing.T) {
	m := testMLP(4, 3)
	b := mutate(t, func(mp *onnxpb.ModelProto) {
		for _, init := range mp.Graph.Initializer {
			raw := make([]byte, 4*len(init.FloatData))
			for i, v := range init.FloatData {
				u := math.Float32bits(v)
				raw[4*i], raw[4*i+1], raw[4*i+2], raw[4*i+3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
			}
			init.RawData, init.FloatData = raw, nil
		}
	})
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	x := testRows(1, 4)
	y, _ := g.Run(x, 1)
	if d := math.Abs(float64(y[0]) - m.Predict(x)); d > 2e-6 {
		t.Fatalf("raw_data model differs by %g", d)
	}
}

// ortLibrary finds the ONNX Runtime library for tests: $ASTROSHIELD_ORT_LIB,
// else the repository's .ort/ (make ort).
func ortLibrary(t testing.TB) string {
	if p := os.Getenv(LibraryEnv); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := filepath.Abs("../../.ort/libonnxruntime.so.1")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	t.Skipf("skip: ONNX Runtime library not found (%s unset; run `make ort`)", LibraryEnv)
	return ""
}

// TestORTAgreesWithGo runs the same file through ONNX Runtime and the
// interpreter (the cgo path; a !cgo build shows the fallback).
func TestORTAgreesWithGo(t *testing.T) {
	lib := ortLibrary(t)
	m := testMLP(14, 16)
	b, err := m.Export("test")
	if err != nil {
		t.Fatal(err)
	}
	r, fallback, err := Open(b, Options{LibraryPath: lib})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Backend() == "go" {
		if cgoEnabled {
			t.Fatalf("cgo build fell back to Go: %v", fallback)
		}
		if !errors.Is(fallback, ErrNoRuntime) {
			t.Fatalf("fallback %v, want ErrNoRuntime", fallback)
		}
		t.Skipf("skip: no cgo, Go fallback used (%v)", fallback)
	}
	t.Logf("backend %s, ORT %s, CUDA: %v", r.Backend(), ORTVersion(), r.(*ORTRunner).CUDAFallback())
	g, _ := Decode(b)
	for _, batch := range []int{1, 7, 1024} {
		x := testRows(batch, 14)
		yo, err := r.Run(x, batch)
		if err != nil {
			t.Fatal(err)
		}
		yg, _ := g.Run(x, batch)
		if len(yo) != batch {
			t.Fatalf("ORT returned %d values for batch %d", len(yo), batch)
		}
		worst := 0.0
		for i := range yo {
			worst = math.Max(worst, math.Abs(float64(yo[i]-yg[i])))
		}
		if worst > 1e-5 {
			t.Errorf("batch %d: ORT and Go differ by up to %g", batch, worst)
		}
	}
	if _, err := r.Run(make([]float32, 13), 1); err == nil {
		t.Error("ORT accepted a row of the wrong width")
	}
}

func TestOpenPureGo(t *testing.T) {
	b, _ := testMLP(3, 2).Export("t")
	r, fb, err := Open(b, Options{PureGo: true})
	if err != nil || fb != nil || r.Backend() != "go" {
		t.Fatalf("Open PureGo: %v %v %v", r, fb, err)
	}
	t.Setenv(LibraryEnv, "")
	r, fb, err = Open(b, Options{})
	if err != nil || !errors.Is(fb, ErrNoRuntime) || r.Backend() != "go" {
		t.Fatalf("Open without library: backend %v, fallback %v, err %v", r.Backend(), fb, err)
	}
}

func FuzzDecodeModel(f *testing.F) {
	b, _ := testMLP(4, 3).Export("fuzz")
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrModel) {
				t.Fatalf("error %v does not wrap ErrModel", err)
			}
			return
		}
		if _, err := g.Run(make([]float32, 2*g.Features), 2); err != nil && !errors.Is(err, ErrModel) {
			t.Fatalf("run: %v", err)
		}
	})
}

func benchRun(b *testing.B, r Runner, batch int) {
	x := testRows(batch, 14)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := r.Run(x, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(batch), "ns/row")
}

func BenchmarkInferGo(b *testing.B) {
	m, _ := testMLP(14, 16).Export("bench")
	r, _, _ := Open(m, Options{PureGo: true})
	for _, batch := range []int{1, 1024} {
		b.Run(fmt.Sprintf("batch%d", batch), func(b *testing.B) { benchRun(b, r, batch) })
	}
}

func BenchmarkInferORT(b *testing.B) {
	lib := ortLibrary(b)
	m, _ := testMLP(14, 16).Export("bench")
	r, fb, err := Open(m, Options{LibraryPath: lib})
	if err != nil {
		b.Fatal(err)
	}
	if r.Backend() == "go" {
		b.Skipf("skip: ONNX Runtime unavailable: %v", fb)
	}
	defer r.Close()
	for _, batch := range []int{1, 1024} {
		b.Run(fmt.Sprintf("batch%d", batch), func(b *testing.B) { benchRun(b, r, batch) })
	}
}
