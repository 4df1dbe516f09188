package maneuver

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// MatchWindow is the event-matching tolerance used for a regime: ±12 h in
// LEO (the convention of the published TLE-based detectors) and ±24 h for
// GEO, where element sets are sparser and burns are placed less precisely.
func MatchWindow(r Regime) time.Duration {
	if r == RegimeGEO {
		return 24 * time.Hour
	}
	return 12 * time.Hour
}

// Pair is one detection matched to one true manoeuvre.
type Pair struct {
	Truth, Detected time.Time
	Offset          time.Duration // Detected − Truth
}

// Score is an event-level comparison of detections with ground truth.
type Score struct {
	TruePositives, FalsePositives, FalseNegatives int
	// Precision = TP/(TP+FP), Recall = TP/(TP+FN), F1 their harmonic mean.
	// With no detections precision is 1; with no truth recall is 1; F1 is
	// 0 whenever TP is 0 unless there was nothing to find and nothing found.
	Precision, Recall, F1 float64
	Pairs                 []Pair
	Missed                []time.Time // truth with no detection
	Spurious              []time.Time // detections with no truth
}

// Match pairs detections with truth one-to-one: every pair closer than
// window is a candidate, and candidates are taken closest first (ties by
// truth time, then detection time), each truth and each detection at most
// once.
func Match(detected, truth []time.Time, window time.Duration) Score {
	type cand struct {
		d, t int
		off  time.Duration
	}
	var cands []cand
	for i, d := range detected {
		for j, t := range truth {
			if off := d.Sub(t); off <= window && off >= -window {
				cands = append(cands, cand{i, j, off})
			}
		}
	}
	abs := func(d time.Duration) time.Duration {
		if d < 0 {
			return -d
		}
		return d
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		if c := cmp.Compare(abs(a.off), abs(b.off)); c != 0 {
			return c
		}
		if c := truth[a.t].Compare(truth[b.t]); c != 0 {
			return c
		}
		return detected[a.d].Compare(detected[b.d])
	})
	usedD := make([]bool, len(detected))
	usedT := make([]bool, len(truth))
	var s Score
	for _, c := range cands {
		if usedD[c.d] || usedT[c.t] {
			continue
		}
		usedD[c.d], usedT[c.t] = true, true
		s.Pairs = append(s.Pairs, Pair{Truth: truth[c.t], Detected: detected[c.d], Offset: c.off})
	}
	slices.SortFunc(s.Pairs, func(a, b Pair) int { return a.Truth.Compare(b.Truth) })
	for i, u := range usedD {
		if !u {
			s.Spurious = append(s.Spurious, detected[i])
		}
	}
	for j, u := range usedT {
		if !u {
			s.Missed = append(s.Missed, truth[j])
		}
	}
	slices.SortFunc(s.Spurious, time.Time.Compare)
	slices.SortFunc(s.Missed, time.Time.Compare)
	s.TruePositives = len(s.Pairs)
	s.FalsePositives = len(s.Spurious)
	s.FalseNegatives = len(s.Missed)
	s.Precision, s.Recall = 1, 1
	if n := s.TruePositives + s.FalsePositives; n > 0 {
		s.Precision = float64(s.TruePositives) / float64(n)
	}
	if n := s.TruePositives + s.FalseNegatives; n > 0 {
		s.Recall = float64(s.TruePositives) / float64(n)
	}
	switch {
	case s.TruePositives > 0:
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	case len(detected) == 0 && len(truth) == 0:
		s.F1 = 1
	}
	return s
}

// Case is one object of a labelled benchmark.
type Case struct {
	Name    string
	NORAD   int
	History []gp.ElementSet
	Truth   []time.Time // the benchmark's labelled manoeuvre times, UTC, as published
	// OperatorTruth are the manoeuvre start times read from the operators'
	// own files (nil when absent); see ParseOperatorManeuvers for why they
	// differ from Truth.
	OperatorTruth []time.Time
	// OperatorRecords are the same manoeuvres with their burns, in the
	// same order (ParseOperatorRecords).
	OperatorRecords []OperatorManeuver
	// Notes say what was lost reading the case (unreadable element sets).
	Notes []string
}

// CaseReport is the evaluation of one Case.
type CaseReport struct {
	Name   string
	NORAD  int
	Regime Regime
	Status Status
	Window time.Duration
	// TruthSource is the truth actually used for this case.
	TruthSource TruthSource
	Score       Score
	// TruthOutside counts true manoeuvres before the first or after the
	// last element set: no detector can see them, so they are left out of
	// the score (and listed here for the record).
	TruthOutside []time.Time
	Events       []Event
	// MedianAbsOffset is the median |detected − truth| of the matched pairs.
	MedianAbsOffset time.Duration
	// ByGeometry is the recall per burn geometry of the operator's records
	// (scored truth only; empty without operator records), in Geometry order.
	ByGeometry []GeometryRecall
}

// GeometryRecall counts, for one burn geometry, the true manoeuvres scored
// and how many of them were detected.
type GeometryRecall struct {
	Geometry     Geometry
	Truth, Found int
}

// Report is the evaluation of a benchmark.
type Report struct {
	Cases []CaseReport
	// Mean* are unweighted means over the cases (each object counts once).
	MeanPrecision, MeanRecall, MeanF1 float64
	// Pooled scores all events of all cases together.
	Pooled Score
	// ByGeometry pools the cases' ByGeometry.
	ByGeometry []GeometryRecall
}

// TruthSource selects which ground truth Evaluate scores against.
type TruthSource int

// Truth sources.
const (
	// TruthOperator: the operators' files where the case has them, else the labels.
	TruthOperator TruthSource = iota
	// TruthLabels: the benchmark's published label lists, as they are.
	TruthLabels
)

// String names the source.
func (s TruthSource) String() string {
	if s == TruthLabels {
		return "labels"
	}
	return "operator"
}

// Evaluate runs Detect with cfg on every case and scores the events
// against the chosen truth with MatchWindow of the detected regime. Truth
// outside the span of a case's element sets is excluded
// (CaseReport.TruthOutside).
func Evaluate(cases []Case, cfg Config, src TruthSource) (Report, error) {
	var rep Report
	for _, cs := range cases {
		res, err := Detect(cs.History, cfg)
		if err != nil {
			return rep, fmt.Errorf("maneuver: evaluate %s: %w", cs.Name, err)
		}
		cr := CaseReport{Name: cs.Name, NORAD: cs.NORAD, Regime: res.Regime, Status: res.Status,
			Window: MatchWindow(res.Regime), Events: res.Events, TruthSource: TruthLabels}
		all := cs.Truth
		if src == TruthOperator && cs.OperatorTruth != nil {
			all, cr.TruthSource = cs.OperatorTruth, TruthOperator
		}
		first, last, ok := span(cs.History)
		var truth []time.Time
		for _, t := range all {
			if ok && (t.Before(first) || t.After(last)) {
				cr.TruthOutside = append(cr.TruthOutside, t)
				continue
			}
			truth = append(truth, t)
		}
		cr.Score = Match(EventEpochs(res.Events), truth, cr.Window)
		if len(cr.Score.Pairs) > 0 {
			offs := make([]float64, len(cr.Score.Pairs))
			for i, p := range cr.Score.Pairs {
				offs[i] = math.Abs(float64(p.Offset))
			}
			cr.MedianAbsOffset = time.Duration(median(offs))
		}
		if cr.TruthSource == TruthOperator && len(cs.OperatorRecords) == len(cs.OperatorTruth) {
			cr.ByGeometry = geometryRecall(cs, cr.Score.Missed, first, last)
		}
		rep.ByGeometry = addGeometryRecall(rep.ByGeometry, cr.ByGeometry)
		rep.Cases = append(rep.Cases, cr)
		rep.Pooled.TruePositives += cr.Score.TruePositives
		rep.Pooled.FalsePositives += cr.Score.FalsePositives
		rep.Pooled.FalseNegatives += cr.Score.FalseNegatives
	}
	if k := float64(len(rep.Cases)); k > 0 {
		for _, c := range rep.Cases {
			rep.MeanPrecision += c.Score.Precision / k
			rep.MeanRecall += c.Score.Recall / k
			rep.MeanF1 += c.Score.F1 / k
		}
	}
	p := &rep.Pooled
	p.Precision, p.Recall = 1, 1
	if n := p.TruePositives + p.FalsePositives; n > 0 {
		p.Precision = float64(p.TruePositives) / float64(n)
	}
	if n := p.TruePositives + p.FalseNegatives; n > 0 {
		p.Recall = float64(p.TruePositives) / float64(n)
	}
	if p.TruePositives > 0 {
		p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	}
	return rep, nil
}

// EventEpochs returns the burn epochs of events, in their order: the
// detections that Match takes.
func EventEpochs(events []Event) []time.Time {
	out := make([]time.Time, len(events))
	for i, e := range events {
		out[i] = e.Epoch
	}
	return out
}

// geometryRecall classifies the operator records of a case inside
// [first, last] (the orbit from the history's median mean motion) and
// counts those not missed.
func geometryRecall(cs Case, missed []time.Time, first, last time.Time) []GeometryRecall {
	a, n, ok := medianOrbit(cs.History)
	if !ok {
		return nil
	}
	miss := map[time.Time]int{}
	for _, t := range missed {
		miss[t]++
	}
	out := make([]GeometryRecall, len(geometryNames))
	for g := range out {
		out[g].Geometry = Geometry(g)
	}
	for _, m := range cs.OperatorRecords {
		if m.Start.Before(first) || m.Start.After(last) {
			continue
		}
		g := &out[m.Geometry(a, n)]
		g.Truth++
		if miss[m.Start] > 0 {
			miss[m.Start]--
		} else {
			g.Found++
		}
	}
	return out
}

// medianOrbit is the semi-major axis (km) and mean motion (rev/day) of a
// history's median mean motion; ok is false without a usable set.
func medianOrbit(h []gp.ElementSet) (aKm, nRevPerDay float64, ok bool) {
	nn := make([]float64, 0, len(h))
	for i := range h {
		if n := h[i].MeanMotionRevPerDay; n > 0 && !math.IsInf(n, 0) {
			nn = append(nn, n)
		}
	}
	if len(nn) == 0 {
		return 0, 0, false
	}
	n := median(nn)
	return smaKm(n), n, true
}

// addGeometryRecall adds b's counts to a (allocating a if empty).
func addGeometryRecall(a, b []GeometryRecall) []GeometryRecall {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		a = make([]GeometryRecall, len(b))
		for g := range a {
			a[g].Geometry = Geometry(g)
		}
	}
	for g := range b {
		a[g].Truth += b[g].Truth
		a[g].Found += b[g].Found
	}
	return a
}

// span returns the first and last valid epochs of a history.
func span(h []gp.ElementSet) (first, last time.Time, ok bool) {
	for i := range h {
		if h[i].Validate() != nil {
			continue
		}
		t := h[i].Epoch
		if !ok || t.Before(first) {
			first = t
		}
		if !ok || t.After(last) {
			last = t
		}
		ok = true
	}
	return first, last, ok
}
