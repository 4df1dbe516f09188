package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/engine/onnx"
	"github.com/astroshield/astroshield/engine/onnx/registry"
	"github.com/astroshield/astroshield/engine/onnx/scorer"
)

// modelKind is the registry kind of the manoeuvre re-scorer.
const modelKind = "maneuver-rescorer"

func runModel(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, `Usage: astroshield model train|eval|export|list [flags]

  train   train the manoeuvre re-scorer on a benchmark directory, evaluate it on
          held-out satellites against the statistical detector, register it
  eval    evaluate a registered version (or --model FILE) against the statistical detector
  export  copy a registered version's ONNX file out (sha256-checked)
  list    list versions, the active one and the A/B split (--activate, --ab change them)

Run 'astroshield model <sub> -h' for its flags.
`)
		if len(args) == 0 {
			return usagef("missing subcommand: train, eval, export or list")
		}
		return nil
	}
	switch args[0] {
	case "train":
		return modelTrain(ctx, args[1:], stdout, stderr)
	case "eval":
		return modelEval(ctx, args[1:], stdout, stderr)
	case "export":
		return modelExport(args[1:], stdout, stderr)
	case "list":
		return modelList(args[1:], stdout, stderr)
	}
	return usagef("unknown subcommand %q: want train, eval, export or list", args[0])
}

func registryFlag(fs interface {
	String(name, value, usage string) *string
}) *string {
	def := os.Getenv("ASTROSHIELD_MODELS")
	if def == "" {
		def = "models"
	}
	return fs.String("registry", def, "model registry `DIR` (manifest.json + *.onnx; default $ASTROSHIELD_MODELS or ./models)")
}

func parseHoldout(s string) []string {
	if s == "none" || s == "" {
		return nil
	}
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// evalSummary is the JSON of one evaluation: both detectors on the same
// held-out cases with the same matching rules.
type evalSummary struct {
	Version     string      `json:"version,omitempty"`
	Backend     string      `json:"backend"`
	Fallback    string      `json:"ort_fallback,omitempty"`
	HeldOut     []string    `json:"held_out"`
	Truth       string      `json:"truth"`
	Model       scoreJSON   `json:"model"`
	Statistical scoreJSON   `json:"statistical"`
	Cases       []caseScore `json:"cases"`
}

type scoreJSON struct {
	MeanF1         float64 `json:"mean_f1"`
	MeanPrecision  float64 `json:"mean_precision"`
	MeanRecall     float64 `json:"mean_recall"`
	PooledF1       float64 `json:"pooled_f1"`
	TruePositives  int     `json:"tp"`
	FalsePositives int     `json:"fp"`
	FalseNegatives int     `json:"fn"`
}

type caseScore struct {
	Name          string  `json:"name"`
	Regime        string  `json:"regime"`
	ModelF1       float64 `json:"model_f1"`
	StatisticalF1 float64 `json:"statistical_f1"`
}

func toScore(r maneuver.Report) scoreJSON {
	return scoreJSON{MeanF1: r.MeanF1, MeanPrecision: r.MeanPrecision, MeanRecall: r.MeanRecall, PooledF1: r.Pooled.F1,
		TruePositives: r.Pooled.TruePositives, FalsePositives: r.Pooled.FalsePositives, FalseNegatives: r.Pooled.FalseNegatives}
}

// evaluate runs the model file and the statistical detector on test.
func evaluate(model []byte, test []maneuver.Case, opt onnx.Options) (evalSummary, maneuver.Report, error) {
	var s evalSummary
	if _, fb, err := onnx.Open(model, opt); err == nil && fb != nil {
		s.Fallback = fb.Error()
	}
	d, err := scorer.NewDetector(model, opt)
	if err != nil {
		return s, maneuver.Report{}, err
	}
	defer d.Close()
	s.Backend = d.Runner.Backend()
	rep, err := d.Evaluate(test, maneuver.TruthOperator)
	if err != nil {
		return s, rep, err
	}
	stat, err := maneuver.Evaluate(test, maneuver.DefaultConfig(), maneuver.TruthOperator)
	if err != nil {
		return s, rep, err
	}
	s.Truth = maneuver.TruthOperator.String()
	s.Model, s.Statistical = toScore(rep), toScore(stat)
	for i, c := range rep.Cases {
		s.HeldOut = append(s.HeldOut, c.Name)
		s.Cases = append(s.Cases, caseScore{Name: c.Name, Regime: c.Regime.String(), ModelF1: c.Score.F1, StatisticalF1: stat.Cases[i].Score.F1})
	}
	return s, rep, nil
}

func backendOptions(backend string) (onnx.Options, error) {
	switch backend {
	case "auto":
		return onnx.Options{}, nil
	case "go":
		return onnx.Options{PureGo: true}, nil
	case "cpu":
		return onnx.Options{CPUOnly: true}, nil
	}
	return onnx.Options{}, usagef("--backend %q: want auto, go or cpu", backend)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func modelTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("model train", stderr)
	hist := fs.String("history", "", "benchmark `DIR` (manoeuvres_<Name>.yaml + <Name>.tle, e.g. shared/testdata/catalog/history/maneuver_benchmark_shorten2023)")
	reg := registryFlag(fs)
	holdout := fs.String("holdout", strings.Join(scorer.HeldOut, ","), "comma-separated satellites kept out of training and used for evaluation (none: train on all)")
	seed := fs.Uint64("seed", scorer.DefaultTrainConfig().Seed, "seed of weight initialisation and mini-batch order")
	backend := fs.String("backend", "auto", "inference for the evaluation: auto (ONNX Runtime if available), go, cpu")
	activate := fs.Bool("activate", false, "make the new version active")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *hist == "" {
		return usagef("--history DIR is required")
	}
	opt, err := backendOptions(*backend)
	if err != nil {
		return err
	}
	cases, err := maneuver.LoadBenchmark(*hist)
	if err != nil {
		return err
	}
	held := parseHoldout(*holdout)
	train, test := scorer.Split(cases, held)
	if len(test) != len(held) {
		return usagef("--holdout %q: %d of %d names are benchmark satellites", *holdout, len(test), len(held))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	cfg := scorer.DefaultTrainConfig()
	cfg.Seed = *seed
	m, tr, err := scorer.Train(train, cfg)
	if err != nil {
		return err
	}
	b, err := m.MLP.Export(version)
	if err != nil {
		return err
	}
	training := map[string]string{
		"data":          "Shorten et al. benchmark (" + *hist + "), operator manoeuvre files as truth",
		"train_cases":   strings.Join(tr.Cases, ","),
		"held_out":      strings.Join(held, ","),
		"config":        m.MLP.Metadata[scorer.MetaTrainConfig],
		"features":      scorer.FeatureVersion,
		"candidates":    fmt.Sprintf("%d (%d true, %d false)", tr.Rows, tr.Positives, tr.Negatives),
		"threshold":     strconv.FormatFloat(m.Threshold, 'g', -1, 64),
		"producer":      "astroshield " + version,
		"matching_rule": "one-to-one, ±12 h LEO / ±24 h GEO",
	}
	metrics := map[string]float64{"train_mean_f1": tr.TrainMeanF1, "train_loss": tr.FinalLoss}
	var sum evalSummary
	if len(test) > 0 {
		sum, _, err = evaluate(b, test, opt)
		if err != nil {
			return err
		}
		metrics["heldout_mean_f1"] = sum.Model.MeanF1
		metrics["heldout_pooled_f1"] = sum.Model.PooledF1
		metrics["statistical_heldout_mean_f1"] = sum.Statistical.MeanF1
		metrics["statistical_heldout_pooled_f1"] = sum.Statistical.PooledF1
	}
	r, err := registry.Open(*reg)
	if err != nil {
		return err
	}
	v, err := r.Add(b, modelKind, training, metrics, time.Now())
	if err != nil {
		return err
	}
	if *activate {
		if err := r.SetActive(v.Name); err != nil {
			return err
		}
	}
	out := struct {
		Registered registry.Version `json:"registered"`
		Evaluation *evalSummary     `json:"evaluation,omitempty"`
	}{Registered: v}
	if len(test) > 0 {
		sum.Version = v.Name
		out.Evaluation = &sum
	}
	return writeJSON(stdout, out)
}

func modelEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("model eval", stderr)
	hist := fs.String("history", "", "benchmark `DIR` (as for train)")
	reg := registryFlag(fs)
	ver := fs.String("version", "", "registered version (default: the active one)")
	file := fs.String("model", "", "evaluate this ONNX `FILE` instead of a registered version")
	holdout := fs.String("holdout", "", "satellites to evaluate on (default: the version's own held-out list)")
	backend := fs.String("backend", "auto", "inference: auto (ONNX Runtime if available), go, cpu")
	record := fs.Bool("record", true, "add the outcome counts to the version in the registry")
	format := fs.String("format", "text", "output: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *hist == "" {
		return usagef("--history DIR is required")
	}
	if *format != "text" && *format != "json" {
		return usagef("--format %q: want text or json", *format)
	}
	opt, err := backendOptions(*backend)
	if err != nil {
		return err
	}
	var model []byte
	var v registry.Version
	var r *registry.Registry
	held := parseHoldout(*holdout)
	if *file != "" {
		if model, err = os.ReadFile(*file); err != nil {
			return err
		}
	} else {
		if r, err = registry.Open(*reg); err != nil {
			return err
		}
		if v, model, err = r.Load(*ver); err != nil {
			return err
		}
		if held == nil {
			held = parseHoldout(v.Training["held_out"])
		}
	}
	if held == nil {
		held = scorer.HeldOut
	}
	cases, err := maneuver.LoadBenchmark(*hist)
	if err != nil {
		return err
	}
	_, test := scorer.Split(cases, held)
	if len(test) == 0 {
		return usagef("no benchmark satellite among %v", held)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	sum, rep, err := evaluate(model, test, opt)
	if err != nil {
		return err
	}
	sum.Version = v.Name
	if r != nil && *record {
		for _, c := range rep.Cases {
			if err := r.RecordOutcome(v.Name, c.Score.TruePositives, c.Score.FalsePositives, c.Score.FalseNegatives); err != nil {
				return err
			}
		}
	}
	if *format == "json" {
		return writeJSON(stdout, sum)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "satellite\tregime\tmodel F1\tstatistical F1\n")
	for _, c := range sum.Cases {
		fmt.Fprintf(tw, "%s\t%s\t%.3f\t%.3f\n", c.Name, c.Regime, c.ModelF1, c.StatisticalF1)
	}
	fmt.Fprintf(tw, "mean\t\t%.3f\t%.3f\n", sum.Model.MeanF1, sum.Statistical.MeanF1)
	fmt.Fprintf(tw, "pooled\t\t%.3f\t%.3f\n", sum.Model.PooledF1, sum.Statistical.PooledF1)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backend %s; truth %s; matching one-to-one ±12 h LEO / ±24 h GEO\n", sum.Backend, sum.Truth)
	if sum.Fallback != "" {
		fmt.Fprintf(stdout, "ONNX Runtime not used: %s\n", sum.Fallback)
	}
	return nil
}

func modelExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("model export", stderr)
	reg := registryFlag(fs)
	ver := fs.String("version", "", "registered version (default: the active one)")
	out := fs.String("out", "", "write the ONNX file here (required)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out FILE is required")
	}
	r, err := registry.Open(*reg)
	if err != nil {
		return err
	}
	v, b, err := r.Load(*ver)
	if err != nil {
		return err
	}
	g, err := onnx.Decode(b)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s: %s (%d bytes, sha256 %s, %s)\n", *out, v.Name, len(b), v.SHA256, g)
	return err
}

func modelList(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("model list", stderr)
	reg := registryFlag(fs)
	activate := fs.String("activate", "", "make `VERSION` active first")
	ab := fs.String("ab", "", "set an A/B split first: `A,B,PERCENT` (PERCENT of objects to B by stable hash; 0 ends it)")
	format := fs.String("format", "text", "output: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usagef("--format %q: want text or json", *format)
	}
	r, err := registry.Open(*reg)
	if err != nil {
		return err
	}
	if *activate != "" {
		if err := r.SetActive(*activate); err != nil {
			return err
		}
	}
	if *ab != "" {
		p := strings.Split(*ab, ",")
		if len(p) != 3 {
			return usagef("--ab %q: want A,B,PERCENT", *ab)
		}
		pct, err := strconv.Atoi(p[2])
		if err != nil {
			return usagef("--ab %q: percent %q is not a number", *ab, p[2])
		}
		if err := r.SetAB(p[0], p[1], pct); err != nil {
			return err
		}
	}
	m, err := r.Manifest()
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(stdout, m)
	}
	if len(m.Versions) == 0 {
		_, err := fmt.Fprintf(stdout, "no models in %s (astroshield model train --history DIR)\n", *reg)
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "version\tactive\tcreated\theld-out F1 (model/statistical)\toutcomes TP/FP/FN\tsha256\n")
	for _, v := range m.Versions {
		act := ""
		if v.Name == m.Active {
			act = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f/%.3f\t%d/%d/%d\t%.12s\n", v.Name, act, v.CreatedAt.Format(time.RFC3339),
			v.Metrics["heldout_mean_f1"], v.Metrics["statistical_heldout_mean_f1"],
			v.Outcomes.TruePositives, v.Outcomes.FalsePositives, v.Outcomes.FalseNegatives, v.SHA256)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if m.AB != nil {
		fmt.Fprintf(stdout, "A/B: %s / %s, %d%% of objects to %s (stable hash of the catalog number)\n", m.AB.A, m.AB.B, m.AB.BPercent, m.AB.B)
	}
	return nil
}
