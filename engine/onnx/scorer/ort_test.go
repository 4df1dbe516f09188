package scorer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/engine/onnx"
)

// TestORTAndGoGiveSameEvents runs the trained model file through ONNX
// Runtime and the pure-Go interpreter on held-out histories: the scores
// agree to float32 rounding and the kept events are identical.
func TestORTAndGoGiveSameEvents(t *testing.T) {
	lib := os.Getenv(onnx.LibraryEnv)
	if lib == "" {
		lib, _ = filepath.Abs("../../../.ort/libonnxruntime.so.1")
	}
	if _, err := os.Stat(lib); err != nil {
		t.Skipf("skip: ONNX Runtime library not found (%s unset; run `make ort`)", onnx.LibraryEnv)
	}
	train, test := Split(loadCases(t), HeldOut)
	m, _, err := Train(train, TrainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := m.MLP.Export("test")
	dg, err := NewDetector(b, onnx.Options{PureGo: true})
	if err != nil {
		t.Fatal(err)
	}
	do, err := NewDetector(b, onnx.Options{LibraryPath: lib})
	if err != nil {
		t.Fatal(err)
	}
	defer do.Close()
	if do.Runner.Backend() == "go" {
		t.Skip("skip: ONNX Runtime not usable in this build (no cgo); the Go path is the one tested")
	}
	t.Logf("ONNX Runtime backend: %s", do.Runner.Backend())
	for _, cs := range test {
		_, sg, err := dg.Scores(cs.History)
		if err != nil {
			t.Fatal(err)
		}
		_, so, err := do.Scores(cs.History)
		if err != nil {
			t.Fatal(err)
		}
		for i := range sg {
			if d := sg[i] - so[i]; d > 1e-5 || d < -1e-5 {
				t.Errorf("%s candidate %d: Go %v, ORT %v", cs.Name, i, sg[i], so[i])
			}
		}
		rg, _ := dg.Detect(cs.History)
		ro, _ := do.Detect(cs.History)
		eg, eo := maneuver.EventEpochs(rg.Events), maneuver.EventEpochs(ro.Events)
		if len(eg) != len(eo) {
			t.Fatalf("%s: Go keeps %d events, ORT %d", cs.Name, len(eg), len(eo))
		}
		for i := range eg {
			if !eg[i].Equal(eo[i]) {
				t.Errorf("%s event %d: %v vs %v", cs.Name, i, eg[i], eo[i])
			}
		}
		if len(rg.Events) > 0 && rg.Events[0].NORAD != cs.NORAD {
			t.Errorf("%s: event NORAD %d", cs.Name, rg.Events[0].NORAD)
		}
	}
	_ = maneuver.TruthOperator
}
