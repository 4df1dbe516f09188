package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModelCommands trains, lists, evaluates and exports through the
// binary, as a user would.
func TestModelCommands(t *testing.T) {
	hist := refPath(t, "catalog", "history", "maneuver_benchmark_shorten2023")
	reg := filepath.Join(t.TempDir(), "models")

	res := runCLI(t, "model", "train", "--history", hist, "--registry", reg, "--backend", "go")
	if res.code != 0 {
		t.Fatalf("train: exit %d\n%s", res.code, res.stderr)
	}
	var tr struct {
		Registered struct {
			Name    string             `json:"name"`
			SHA256  string             `json:"sha256"`
			Metrics map[string]float64 `json:"metrics"`
		} `json:"registered"`
		Evaluation struct {
			Backend string   `json:"backend"`
			HeldOut []string `json:"held_out"`
			Model   struct {
				MeanF1 float64 `json:"mean_f1"`
			} `json:"model"`
			Statistical struct {
				MeanF1 float64 `json:"mean_f1"`
			} `json:"statistical"`
		} `json:"evaluation"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &tr); err != nil {
		t.Fatalf("train output: %v\n%s", err, res.stdout)
	}
	if tr.Registered.Name != "v1" || len(tr.Registered.SHA256) != 64 || tr.Evaluation.Backend != "go" || len(tr.Evaluation.HeldOut) != 4 {
		t.Fatalf("train summary %+v", tr)
	}
	if f := tr.Evaluation.Model.MeanF1; f < 0.45 || f != tr.Registered.Metrics["heldout_mean_f1"] || tr.Evaluation.Statistical.MeanF1 <= 0 {
		t.Fatalf("held-out F1 model %v statistical %v, metrics %v", f, tr.Evaluation.Statistical.MeanF1, tr.Registered.Metrics)
	}

	res = runCLI(t, "model", "eval", "--history", hist, "--registry", reg, "--backend", "go")
	if res.code != 0 || !strings.Contains(res.stdout, "Sentinel-3A") || !strings.Contains(res.stdout, "backend go") {
		t.Fatalf("eval: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}

	res = runCLI(t, "model", "list", "--registry", reg, "--format", "json")
	var m struct {
		Active   string `json:"active"`
		Versions []struct {
			Outcomes struct {
				TP     int `json:"true_positives"`
				Scored int `json:"objects_scored"`
			} `json:"outcomes"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &m); err != nil || m.Active != "v1" || len(m.Versions) != 1 {
		t.Fatalf("list: %v\n%s", err, res.stdout)
	}
	if o := m.Versions[0].Outcomes; o.Scored != 4 || o.TP == 0 {
		t.Errorf("eval did not record outcomes: %+v", o)
	}

	out := filepath.Join(t.TempDir(), "m.onnx")
	res = runCLI(t, "model", "export", "--registry", reg, "--out", out)
	if res.code != 0 || !strings.Contains(res.stdout, tr.Registered.SHA256) {
		t.Fatalf("export: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(filepath.Join(reg, "v1.onnx"))
	if len(a) == 0 || string(a) != string(b) {
		t.Fatal("exported file differs from the registered one")
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", []string{"model"}, 2, "missing subcommand"},
		{"unknown subcommand", []string{"model", "fly"}, 2, "unknown subcommand"},
		{"train without history", []string{"model", "train", "--registry", reg}, 2, "--history"},
		{"unknown holdout", []string{"model", "train", "--history", hist, "--registry", reg, "--holdout", "Voyager-1"}, 2, "holdout"},
		{"export unknown version", []string{"model", "export", "--registry", reg, "--version", "v7", "--out", out}, 1, "no such version"},
		{"bad ab", []string{"model", "list", "--registry", reg, "--ab", "v1,v1,50"}, 1, "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, tc.code, tc.want)
			}
		})
	}
}
