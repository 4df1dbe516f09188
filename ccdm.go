package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/ccdm"
	"github.com/astroshield/astroshield/engine/gp"
)

// runCcdm computes the SS4 CCDM indicators and the threat assessment of
// every object in a history file or directory.
func runCcdm(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ccdm", stderr)
	hist := fs.String("history", "", "element-set history `FILE` or DIR of files (TLE or OMM; one or more objects)")
	catPath := fs.String("catalog", "", "catalog snapshot `FILE` for proximity, orbit density and launch siblings (optional)")
	format := fs.String("format", "json", "output format: json")
	atStr := fs.String("at", "", "assessment epoch `RFC3339` (default: each object's last element set)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *hist == "" {
		return usagef("--history FILE|DIR is required")
	}
	if *format != "json" {
		return usagef("--format %q: want json", *format)
	}
	cfg := ccdm.DefaultConfig()
	if *atStr != "" {
		t, err := time.Parse(time.RFC3339, *atStr)
		if err != nil {
			return usagef("--at %q: want RFC3339, e.g. 2021-10-01T00:00:00Z", *atStr)
		}
		cfg.At = t.UTC()
	}
	files, err := historyFiles(*hist)
	if err != nil {
		return err
	}
	byObject := map[int][]gp.ElementSet{}
	bad := false
	for _, f := range files {
		sets, recErrs, err := loadElementSets(f)
		if err != nil {
			fmt.Fprintf(stderr, "astroshield ccdm: skipping %s: %v\n", f, err)
			continue
		}
		if recErrs != nil {
			fmt.Fprintf(stderr, "astroshield ccdm: skipping bad records:\n%v\n", recErrs)
			bad = true
		}
		for _, e := range sets {
			byObject[e.CatalogNumber] = append(byObject[e.CatalogNumber], e)
		}
	}
	if len(byObject) == 0 {
		return fmt.Errorf("no element sets found in %s", *hist)
	}
	var catalog []gp.ElementSet
	if *catPath != "" {
		var recErrs error
		catalog, recErrs, err = loadElementSets(*catPath)
		if err != nil {
			return fmt.Errorf("catalog: %w", err)
		}
		if recErrs != nil {
			fmt.Fprintf(stderr, "astroshield ccdm: catalog: %d objects read, some records skipped\n", len(catalog))
		}
	}
	norads := make([]int, 0, len(byObject))
	for n := range byObject {
		norads = append(norads, n)
	}
	slices.Sort(norads)
	reports := []ccdm.Report{}
	for _, n := range norads {
		if err := ctx.Err(); err != nil {
			return err
		}
		rep, err := ccdm.Analyze(ctx, byObject[n], catalog, cfg)
		if err != nil {
			fmt.Fprintf(stderr, "object %d: %v\n", n, err)
			bad = true
			continue
		}
		det := 0
		for _, f := range rep.Findings {
			if f.Status == ccdm.StatusDetected {
				det++
			}
		}
		fmt.Fprintf(stderr, "object %d: %d element sets, %d findings detected, threat %s (score %.2f)\n", n, rep.SetsUsed, det, rep.Threat.Level, rep.Threat.Score)
		reports = append(reports, rep)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(reports); err != nil {
		return err
	}
	if bad {
		return fmt.Errorf("some input could not be used (listed above)")
	}
	return nil
}

// historyFiles lists path itself, or the regular files directly inside a
// directory (not its subdirectories), leaving out label and text files
// that cannot hold element sets.
func historyFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	ents, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".yaml", ".yml", ".md", ".fy":
			continue
		}
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no files", path)
	}
	return out, nil
}
