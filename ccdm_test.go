package main

import (
	"encoding/json"
	"strings"
	"testing"
)

type ccdmReportJSON struct {
	NORAD    int `json:"norad"`
	Findings []struct {
		Indicator  string  `json:"indicator"`
		Topic      string  `json:"topic"`
		Status     string  `json:"status"`
		Objects    []int   `json:"objects"`
		Confidence float64 `json:"confidence"`
		RuleID     string  `json:"rule_id"`
		Pattern    string  `json:"pattern"`
		Reason     string  `json:"reason"`
		Evidence   []struct {
			Name  string  `json:"name"`
			Value float64 `json:"value"`
		} `json:"evidence"`
	} `json:"findings"`
	NotAssessed []struct {
		Indicator, Topic, Reason string
	} `json:"not_assessed"`
	Threat struct {
		Level   string  `json:"level"`
		Score   float64 `json:"score"`
		Reasons []struct {
			Indicator string `json:"indicator"`
			Why       string `json:"why"`
		} `json:"reasons"`
	} `json:"threat"`
}

func TestCcdmCLIISSWithCatalog(t *testing.T) {
	hist := refPath(t, "catalog", "history", "iss_25544_3le_2021-01-01_to_2022-03-03.txt")
	cat := refPath(t, "catalog", "full_catalog_3le_2022-07-15.txt")
	r := runCLI(t, "ccdm", "--history", hist, "--catalog", cat)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var reps []ccdmReportJSON
	if err := json.Unmarshal([]byte(r.stdout), &reps); err != nil {
		t.Fatal(err)
	}
	if len(reps) != 1 || reps[0].NORAD != 25544 {
		t.Fatalf("%d reports", len(reps))
	}
	rep := reps[0]
	seen := map[string]bool{}
	raises := 0
	for _, f := range rep.Findings {
		seen[f.Indicator] = true
		if f.Topic != "ss4.indicators."+f.Indicator || f.RuleID == "" || len(f.Objects) == 0 || f.Objects[0] != 25544 {
			t.Errorf("finding %+v", f)
		}
		if f.Status == "detected" && f.Indicator == "maneuvers-detected" && f.Pattern != "orbit-lower" {
			for _, q := range f.Evidence {
				if q.Name == "delta-sma" && q.Value > 0.3 {
					raises++
				}
			}
		}
		if f.Status == "insufficient-data" && !strings.HasPrefix(f.Reason, "insufficient data") {
			t.Errorf("insufficient without reason: %+v", f)
		}
	}
	for _, ind := range []string{"maneuvers-detected", "orbit-oof", "stability-changed", "amr-changes", "amr-oof",
		"proximity-events-valid-remote-sense", "object-in-unoccupied-orbit", "sub-sats-deployed", "unknown-debris-sma-higher-than-parent"} {
		if !seen[ind] {
			t.Errorf("no %s finding", ind)
		}
	}
	if raises < 11 {
		t.Errorf("%d reboosts", raises)
	}
	if len(rep.NotAssessed) != 16 || !strings.Contains(rep.NotAssessed[0].Reason, "needs") {
		t.Errorf("not assessed: %+v", rep.NotAssessed)
	}
	switch rep.Threat.Level {
	case "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL":
	default:
		t.Errorf("threat level %q", rep.Threat.Level)
	}
	if rep.Threat.Score > 0 && len(rep.Threat.Reasons) == 0 {
		t.Error("score without reasons")
	}
}

func TestCcdmCLIBenchmarkDirAndErrors(t *testing.T) {
	dir := refPath(t, "catalog", "history", "maneuver_benchmark_shorten2023")
	r := runCLI(t, "ccdm", "--history", dir)
	// One TOPEX record has a malformed B* field: it is skipped, named on
	// stderr, the others are analysed, and the exit status says so.
	if r.code != 1 || !strings.Contains(r.stderr, "TOPEX.tle") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var reps []ccdmReportJSON
	if err := json.Unmarshal([]byte(r.stdout), &reps); err != nil {
		t.Fatal(err)
	}
	if len(reps) != 11 {
		t.Fatalf("%d reports, want the 11 benchmark satellites", len(reps))
	}
	for _, rep := range reps {
		for _, f := range rep.Findings {
			// Without --catalog the catalog indicators are insufficient data.
			if f.Indicator == "sub-sats-deployed" && f.Status != "insufficient-data" {
				t.Errorf("%d: sub-sats %s without a catalog", rep.NORAD, f.Status)
			}
			// Fengyun (GEO): B* is not drag-determined.
			if rep.NORAD == 29640 && f.Indicator == "amr-changes" && f.Status != "insufficient-data" {
				t.Errorf("GEO amr-changes %s", f.Status)
			}
		}
	}
	for _, args := range [][]string{{"ccdm"}, {"ccdm", "--history", dir, "--format", "csv"}, {"ccdm", "--history", dir, "--at", "yesterday"}} {
		if r := runCLI(t, args...); r.code != 2 {
			t.Errorf("%v: exit %d", args, r.code)
		}
	}
	if r := runCLI(t, "ccdm", "--history", dir+"/nonexistent"); r.code != 1 || r.stderr == "" {
		t.Errorf("missing file: exit %d", r.code)
	}
}
