package maneuver

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// heldOutGrid is the parameter grid of the held-out evaluations: the
// threshold for every regime and, in LEO, the response lag, the ramp lag
// factor and the along-track threshold too (negative = none), so that
// none is chosen on the satellite being scored.
var (
	heldOutThresholds = []float64{4, 5, 6, 8, 12}
	heldOutLags       = []time.Duration{-1, 3 * time.Hour, 6 * time.Hour, 9 * time.Hour, 12 * time.Hour}
	heldOutRamp       = []float64{-1, 0.15, 0.25}
	heldOutAlongTrack = []float64{-1, 8, 12, 16}
)

type gridPoint struct {
	th   float64
	lag  time.Duration
	ramp float64
	at   float64
}

func (g gridPoint) String() string {
	lag, ramp := g.lag, g.ramp
	if lag < 0 {
		lag = 0
	}
	if ramp < 0 {
		ramp = 0
	}
	at := "off"
	if g.at > 0 {
		at = fmt.Sprintf("≥%g", g.at)
	}
	return fmt.Sprintf("z≥%g lag %v+%.2f·W along-track %s", g.th, lag, ramp, at)
}

// points lists the grid in a fixed order.
func points() []gridPoint {
	var out []gridPoint
	for _, th := range heldOutThresholds {
		for _, lag := range heldOutLags {
			for _, r := range heldOutRamp {
				for _, at := range heldOutAlongTrack {
					out = append(out, gridPoint{th, lag, r, at})
				}
			}
		}
	}
	return out
}

// gridF1 scores every grid point on every case: F1[point][name]. GEO
// cases are scored once per threshold (the lag is a LEO parameter).
func gridF1(t *testing.T, cases []Case) (map[gridPoint]map[string]float64, map[string]Regime) {
	t.Helper()
	f1 := map[gridPoint]map[string]float64{}
	regime := map[string]Regime{}
	for _, c := range cases {
		res, err := Detect(c.History, DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		regime[c.Name] = res.Regime
	}
	var leo, geo []Case
	for _, c := range cases {
		if regime[c.Name] == RegimeLEO {
			leo = append(leo, c)
		} else {
			geo = append(geo, c)
		}
	}
	geoF1 := map[float64]map[string]float64{}
	for _, th := range heldOutThresholds {
		rg, err := Evaluate(geo, Config{Threshold: th}, TruthOperator)
		if err != nil {
			t.Fatal(err)
		}
		geoF1[th] = map[string]float64{}
		for _, c := range rg.Cases {
			geoF1[th][c.Name] = c.Score.F1
		}
	}
	pts := points()
	leoF1 := make([]map[string]float64, len(pts))
	var wg sync.WaitGroup
	jobs := make(chan int)
	errs := make(chan error, len(pts))
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				g := pts[k]
				rl, err := Evaluate(leo, Config{Threshold: g.th, ResponseLag: g.lag, RampLagFactor: g.ramp, AlongTrackThreshold: g.at}, TruthOperator)
				if err != nil {
					errs <- err
					continue
				}
				m := map[string]float64{}
				for _, c := range rl.Cases {
					m[c.Name] = c.Score.F1
				}
				leoF1[k] = m
			}
		}()
	}
	for k := range pts {
		jobs <- k
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for k, g := range pts {
		f1[g] = map[string]float64{}
		for n, v := range geoF1[g.th] {
			f1[g][n] = v
		}
		for n, v := range leoF1[k] {
			f1[g][n] = v
		}
	}
	return f1, regime
}

// choose returns the grid point with the best mean F1 over the training
// satellites of one regime (ties: the earlier point of the grid order).
func choose(f1 map[gridPoint]map[string]float64, regime map[string]Regime, train []string, r Regime) gridPoint {
	var best gridPoint
	bestF := -1.0
	for _, g := range points() {
		sum, k := 0.0, 0
		for _, n := range train {
			if regime[n] == r {
				sum += f1[g][n]
				k++
			}
		}
		if k > 0 && sum/float64(k) > bestF+1e-12 {
			best, bestF = g, sum/float64(k)
		}
	}
	return best
}

// TestBenchmarkHeldOut scores each satellite with parameters chosen
// without it, two ways: leave-one-satellite-out (within its regime), and a
// fixed two-fold split (satellites alternately by name; each fold's
// parameters are chosen on the other fold).
func TestBenchmarkHeldOut(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the detector over the benchmark for every grid point")
	}
	cases := loadShorten(t)
	f1, regime := gridF1(t, cases)
	names := make([]string, len(cases))
	for i, c := range cases {
		names[i] = c.Name
	}
	def := gridPoint{6, leoResponseLag, leoRampLagFactor, leoAlongTrackThreshold}
	var loo, split, in float64
	var lines []string
	for i, n := range names {
		others := slices.Delete(slices.Clone(names), i, i+1)
		gl := choose(f1, regime, others, regime[n])
		var fold []string
		for j, m := range names {
			if j%2 != i%2 {
				fold = append(fold, m)
			}
		}
		gs := choose(f1, regime, fold, regime[n])
		loo += f1[gl][n] / float64(len(names))
		split += f1[gs][n] / float64(len(names))
		in += f1[def][n] / float64(len(names))
		lines = append(lines, fmt.Sprintf("%-12s default %.3f | leave-one-out %.3f (%v) | two-fold %.3f (%v)", n, f1[def][n], f1[gl][n], gl, f1[gs][n], gs))
	}
	t.Logf("held-out evaluation (operator truth, ±12 h LEO / ±24 h GEO):\n%s", strings.Join(lines, "\n"))
	t.Logf("mean F1: default %.3f, leave-one-satellite-out %.3f, two-fold split %.3f", in, loo, split)
	if loo < meanF1Floor-0.03 || split < meanF1Floor-0.05 {
		t.Errorf("held-out mean F1 %.3f (LOO) / %.3f (split) below floors %.2f / %.2f", loo, split, meanF1Floor-0.03, meanF1Floor-0.05)
	}
}
