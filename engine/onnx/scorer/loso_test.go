package scorer

import (
	"os"
	"testing"

	"github.com/astroshield/astroshield/engine/maneuver"
)

func TestExperimentLOSO(t *testing.T) {
	if os.Getenv("SCORER_EXPERIMENT") == "" {
		t.Skip("set SCORER_EXPERIMENT=1")
	}
	cases := loadCases(t)
	var all []labelled
	for _, cs := range cases {
		l, err := label(cs, maneuver.TruthOperator, DefaultCandidateZ)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, l)
	}
	stat, _ := maneuver.Evaluate(cases, maneuver.DefaultConfig(), maneuver.TruthOperator)
	for _, cfg := range []TrainConfig{
		{}, {Hidden: 16, L2: 1e-3}, {Hidden: 8, L2: 1e-2, Epochs: 100}, {Hidden: 2, L2: 3e-2, Epochs: 100},
	} {
		cfg = cfg.withDefaults()
		mean, meanStat := 0.0, 0.0
		for i := range all {
			var tr []labelled
			for j := range all {
				if j != i {
					tr = append(tr, all[j])
				}
			}
			m, _, err := trainLabelled(tr, cfg)
			if err != nil {
				t.Fatal(err)
			}
			l := all[i]
			sc := make([]float64, len(l.y))
			for k := range sc {
				sc[k] = m.MLP.Predict(l.c.row(k))
			}
			f1 := maneuver.Match(maneuver.EventEpochs(keep(l.c.res.Events, sc, m.Threshold)), l.truth, l.window).F1
			mean += f1 / float64(len(all))
			meanStat += stat.Cases[i].Score.F1 / float64(len(all))
			t.Logf("  %-12s thr %.3f model %.3f stat %.3f", l.name, m.Threshold, f1, stat.Cases[i].Score.F1)
		}
		t.Logf("cfg %+v: LOSO mean F1 model %.3f, stat %.3f", cfg, mean, meanStat)
	}
}
