package scorer

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/internal/refdata"
	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/engine/onnx"
)

var (
	benchOnce  sync.Once
	benchCases []maneuver.Case
	benchErr   error
)

func loadCases(tb testing.TB) []maneuver.Case {
	tb.Helper()
	dir := refdata.Path(tb, "catalog", "history", "maneuver_benchmark_shorten2023")
	benchOnce.Do(func() { benchCases, benchErr = maneuver.LoadBenchmark(dir) })
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchCases
}

func summary(rep maneuver.Report) string {
	var b strings.Builder
	for _, c := range rep.Cases {
		fmt.Fprintf(&b, "  %-12s %-4s P %.2f R %.2f F1 %.3f (TP %d FP %d FN %d)\n", c.Name, c.Regime, c.Score.Precision, c.Score.Recall, c.Score.F1,
			c.Score.TruePositives, c.Score.FalsePositives, c.Score.FalseNegatives)
	}
	fmt.Fprintf(&b, "  mean F1 %.3f  pooled P %.3f R %.3f F1 %.3f", rep.MeanF1, rep.Pooled.Precision, rep.Pooled.Recall, rep.Pooled.F1)
	return b.String()
}

func TestHeldOutAgainstStatistical(t *testing.T) {
	cases := loadCases(t)
	train, test := Split(cases, HeldOut)
	if len(test) != len(HeldOut) {
		t.Fatalf("held-out cases %d, want %d", len(test), len(HeldOut))
	}
	t0 := time.Now()
	m, tr, err := Train(train, TrainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained on %v in %s: rows %d (+%d/−%d), loss %.4f, train mean F1 %.3f, threshold %.3f",
		tr.Cases, time.Since(t0).Round(time.Millisecond), tr.Rows, tr.Positives, tr.Negatives, tr.FinalLoss, tr.TrainMeanF1, tr.Threshold)
	b, err := m.MLP.Export("test")
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDetector(b, onnx.Options{PureGo: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := d.Evaluate(test, maneuver.TruthOperator)
	if err != nil {
		t.Fatal(err)
	}
	stat, err := maneuver.Evaluate(test, maneuver.DefaultConfig(), maneuver.TruthOperator)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("model (held out):\n%s", summary(rep))
	t.Logf("statistical detector (same cases):\n%s", summary(stat))
	if rep.MeanF1 < 0.45 || rep.MeanF1 < stat.MeanF1-0.1 {
		t.Errorf("held-out mean F1 %.3f (statistical %.3f): below 0.45 or 0.1 under the statistical detector", rep.MeanF1, stat.MeanF1)
	}
	// The model filters the statistical detector's candidates; it must keep some.
	for _, c := range rep.Cases {
		if c.Score.TruePositives+c.Score.FalsePositives == 0 {
			t.Errorf("%s: no events kept", c.Name)
		}
	}
	// Same file, same answers: a second training run is byte-identical.
	m2, _, err := Train(train, TrainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := m2.MLP.Export("test")
	if string(b) != string(b2) {
		t.Error("training is not deterministic: two runs gave different files")
	}
}

func TestParamsFromMetadata(t *testing.T) {
	good := map[string]string{MetaFeatureVersion: FeatureVersion, "features": strings.Join(FeatureNames, ","),
		MetaThreshold: "0.15", MetaCandidateZ: "3.5"}
	if p, err := ParamsFromMetadata(good); err != nil || p.Threshold != 0.15 || p.CandidateZ != 3.5 {
		t.Fatalf("good metadata: %+v %v", p, err)
	}
	for _, tc := range []struct{ name, key, val string }{
		{"old features", MetaFeatureVersion, "mscore-features-0"},
		{"columns", "features", "a,b"},
		{"threshold 1", MetaThreshold, "1"},
		{"threshold junk", MetaThreshold, "x"},
		{"candidate z 0", MetaCandidateZ, "0"},
	} {
		md := map[string]string{}
		for k, v := range good {
			md[k] = v
		}
		md[tc.key] = tc.val
		if _, err := ParamsFromMetadata(md); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestFeaturesInsufficient(t *testing.T) {
	cases := loadCases(t)
	if _, err := Features(cases[0].History[:5]); err == nil || !strings.Contains(err.Error(), "insufficient") {
		t.Fatalf("5 sets: %v", err)
	}
	s, err := Features(cases[0].History)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.X) != len(s.Boundaries)*numBoundaryFeatures || len(s.Boundaries) != len(s.Sets)-1 {
		t.Fatalf("shapes: %d values, %d boundaries, %d sets", len(s.X), len(s.Boundaries), len(s.Sets))
	}
	for i, v := range s.X {
		if v != v {
			t.Fatalf("feature %d is NaN", i)
		}
	}
}
