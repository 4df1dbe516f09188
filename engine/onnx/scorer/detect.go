package scorer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/engine/onnx"
)

// Metadata keys written into the ONNX file.
const (
	MetaFeatureVersion = "astroshield.feature_version"
	MetaThreshold      = "astroshield.threshold"
	MetaCandidateZ     = "astroshield.candidate_z"
	MetaTrainCases     = "astroshield.train_cases"
	MetaTrainConfig    = "astroshield.train_config"
)

// ErrMetadata is returned for a model file without a usable decision rule.
var ErrMetadata = errors.New("scorer: model metadata missing or invalid")

func (m *Model) metadata(rep TrainReport) map[string]string {
	return map[string]string{
		MetaFeatureVersion: FeatureVersion,
		MetaThreshold:      strconv.FormatFloat(m.Threshold, 'g', -1, 64),
		MetaCandidateZ:     strconv.FormatFloat(m.CandidateZ, 'g', -1, 64),
		MetaTrainCases:     strings.Join(rep.Cases, ","),
		MetaTrainConfig: fmt.Sprintf("hidden=%d epochs=%d batch=%d lr=%g l2=%g seed=%d truth=%s candidate_z=%g", rep.Config.Hidden, rep.Config.Epochs,
			rep.Config.BatchSize, rep.Config.LearnRate, rep.Config.L2, rep.Config.Seed, rep.Config.Truth, rep.Config.CandidateZ),
	}
}

// ParamsFromMetadata reads the decision rule from a decoded file's metadata
// and checks that the file expects this package's features.
func ParamsFromMetadata(md map[string]string) (Params, error) {
	var p Params
	if v := md[MetaFeatureVersion]; v != FeatureVersion {
		return p, fmt.Errorf("%w: feature version %q, want %q", ErrMetadata, v, FeatureVersion)
	}
	if md["features"] != strings.Join(FeatureNames, ",") {
		return p, fmt.Errorf("%w: feature columns differ", ErrMetadata)
	}
	var err error
	if p.Threshold, err = strconv.ParseFloat(md[MetaThreshold], 64); err != nil || !(p.Threshold >= 0 && p.Threshold < 1) {
		return p, fmt.Errorf("%w: threshold %q", ErrMetadata, md[MetaThreshold])
	}
	if p.CandidateZ, err = strconv.ParseFloat(md[MetaCandidateZ], 64); err != nil || !(p.CandidateZ > 0 && p.CandidateZ < 100) {
		return p, fmt.Errorf("%w: candidate z %q", ErrMetadata, md[MetaCandidateZ])
	}
	return p, nil
}

// keep returns the events whose score is at least thr, with Confidence
// set to the score.
func keep(ev []maneuver.Event, score []float64, thr float64) []maneuver.Event {
	var out []maneuver.Event
	for i, e := range ev {
		if score[i] >= thr {
			e.Confidence = math.Round(score[i]*1000) / 1000
			out = append(out, e)
		}
	}
	return out
}

// Detector scores element-set histories with a model file through a Runner.
type Detector struct {
	Runner onnx.Runner
	Params Params
}

// NewDetector opens a model file (ONNX Runtime where available, else the
// pure-Go interpreter; see onnx.Open) and reads its decision rule.
func NewDetector(model []byte, opt onnx.Options) (*Detector, error) {
	g, err := onnx.Decode(model)
	if err != nil {
		return nil, err
	}
	if g.Features != NumFeatures || g.Outputs != 1 {
		return nil, fmt.Errorf("%w: model is %d→%d, want %d→1", ErrMetadata, g.Features, g.Outputs, NumFeatures)
	}
	p, err := ParamsFromMetadata(g.Metadata)
	if err != nil {
		return nil, err
	}
	r, _, err := onnx.Open(model, opt)
	if err != nil {
		return nil, err
	}
	return &Detector{Runner: r, Params: p}, nil
}

// Close releases the runner.
func (d *Detector) Close() error { return d.Runner.Close() }

// Scores finds the statistical detector's candidates and the model's
// score for each.
func (d *Detector) Scores(history []gp.ElementSet) (maneuver.Result, []float64, error) {
	c, err := findCandidates(history, d.Params.CandidateZ)
	if err != nil {
		return c.res, nil, err
	}
	n := len(c.res.Events)
	if n == 0 {
		return c.res, nil, nil
	}
	y, err := d.Runner.Run(c.X, n)
	if err != nil {
		return c.res, nil, fmt.Errorf("scorer: %w", err)
	}
	sc := make([]float64, n)
	for i := range sc {
		sc[i] = float64(y[i])
	}
	return c.res, sc, nil
}

// Detect returns the statistical detector's candidates that the model
// keeps. Epoch, Δv, direction, kind and evidence are the statistical
// detector's; Confidence is the network's score (not calibrated).
func (d *Detector) Detect(history []gp.ElementSet) (maneuver.Result, error) {
	res, sc, err := d.Scores(history)
	if err != nil {
		return res, err
	}
	res.Events = keep(res.Events, sc, d.Params.Threshold)
	return res, nil
}

// Evaluate scores the model's detections on cases with the statistical
// detector's rules (maneuver.Match, maneuver.MatchWindow of the regime,
// truth outside the element-set span left out), so the two reports compare
// directly.
func (d *Detector) Evaluate(cases []maneuver.Case, src maneuver.TruthSource) (maneuver.Report, error) {
	var rep maneuver.Report
	for _, cs := range cases {
		res, err := d.Detect(cs.History)
		if err != nil {
			return rep, fmt.Errorf("scorer: evaluate %s: %w", cs.Name, err)
		}
		s := Series{Sets: nil}
		if sets, _, err := clean(cs.History); err == nil {
			s.Sets = sets
		}
		truth := caseTruth(cs, s, src)
		cr := maneuver.CaseReport{Name: cs.Name, NORAD: cs.NORAD, Regime: res.Regime, Status: res.Status,
			Window: maneuver.MatchWindow(res.Regime), Events: res.Events, TruthSource: maneuver.TruthLabels}
		if src == maneuver.TruthOperator && cs.OperatorTruth != nil {
			cr.TruthSource = maneuver.TruthOperator
		}
		cr.Score = maneuver.Match(maneuver.EventEpochs(res.Events), truth, cr.Window)
		if len(cr.Score.Pairs) > 0 {
			offs := make([]float64, len(cr.Score.Pairs))
			for i, pr := range cr.Score.Pairs {
				offs[i] = math.Abs(float64(pr.Offset))
			}
			cr.MedianAbsOffset = time.Duration(median(offs))
		}
		rep.Cases = append(rep.Cases, cr)
		rep.Pooled.TruePositives += cr.Score.TruePositives
		rep.Pooled.FalsePositives += cr.Score.FalsePositives
		rep.Pooled.FalseNegatives += cr.Score.FalseNegatives
	}
	Summarise(&rep)
	return rep, nil
}

// Summarise fills a report's means and pooled precision, recall and F1
// from its cases' scores and pooled counts.
func Summarise(rep *maneuver.Report) {
	rep.MeanPrecision, rep.MeanRecall, rep.MeanF1 = 0, 0, 0
	if k := float64(len(rep.Cases)); k > 0 {
		for _, c := range rep.Cases {
			rep.MeanPrecision += c.Score.Precision / k
			rep.MeanRecall += c.Score.Recall / k
			rep.MeanF1 += c.Score.F1 / k
		}
	}
	p := &rep.Pooled
	p.Precision, p.Recall, p.F1 = 1, 1, 0
	if n := p.TruePositives + p.FalsePositives; n > 0 {
		p.Precision = float64(p.TruePositives) / float64(n)
	}
	if n := p.TruePositives + p.FalseNegatives; n > 0 {
		p.Recall = float64(p.TruePositives) / float64(n)
	}
	if p.TruePositives > 0 {
		p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	}
}
