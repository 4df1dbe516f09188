package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/collision"
)

// pcOutput is the JSON document of `astroshield pc`: the method and Pc
// first (DESIGN.md §6), then what they were computed from.
type pcOutput struct {
	Method string  `json:"method"`
	Pc     float64 `json:"pc"`
	// Results holds every method's full result (one element unless --method
	// all or a list was asked for; then Pc is the first method's, Foster's
	// for "all").
	Results []collision.Result `json:"results"`
	CDM     pcCDMSummary       `json:"cdm"`
}

type pcCDMSummary struct {
	File          string    `json:"file"`
	MessageID     string    `json:"message_id"`
	TCA           time.Time `json:"tca"`
	Object1       string    `json:"object1"`
	Object2       string    `json:"object2"`
	MissDistanceM float64   `json:"miss_distance_m"`
	HBRSource     string    `json:"hbr_source"`
	// PcInCDM is the COLLISION_PROBABILITY the CDM itself carries, for
	// comparison (absent when it has none).
	PcInCDM       *float64 `json:"pc_in_cdm,omitempty"`
	PcMethodInCDM string   `json:"pc_method_in_cdm,omitempty"`
}

func runPc(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("pc", stderr)
	cdmPath := fs.String("cdm", "", "conjunction data message `FILE` (CCSDS CDM KVN or XML)")
	hbrM := fs.Float64("hbr-m", 0, "combined hard-body radius in metres (default: the CDM's `HBR` comment)")
	method := fs.String("method", "foster", "foster, chan, alfano-max, monte-carlo, all, or a comma-separated list")
	format := fs.String("format", "json", "output format: json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cdmPath == "" {
		return usagef("--cdm FILE is required")
	}
	if *format != "json" {
		return usagef("--format %q: only json is supported", *format)
	}
	methods, err := collision.ParseMethods(*method)
	if err != nil {
		return usagef("--method: %v", err)
	}
	f, err := os.Open(*cdmPath)
	if err != nil {
		return err
	}
	defer f.Close()
	cdm, err := ccsds.ParseCDM(f)
	if err != nil {
		return fmt.Errorf("%s: %w", *cdmPath, err)
	}

	hbr, hbrSource := *hbrM, "--hbr-m"
	if hbr == 0 {
		v, ok := cdm.HardBodyRadiusM()
		if !ok {
			return usagef("%s carries no hard-body radius (COMMENT HBR = ... [m]); pass --hbr-m", *cdmPath)
		}
		hbr, hbrSource = v, "cdm comment"
	}
	if !(hbr > 0) || math.IsInf(hbr, 0) {
		return usagef("--hbr-m %g: the hard-body radius must be a positive number of metres", hbr)
	}

	req := collision.Request{
		Primary:         cdmObject(&cdm.Objects[0]),
		Secondary:       cdmObject(&cdm.Objects[1]),
		HardBodyRadiusM: hbr,
		Methods:         methods,
	}
	results, err := collision.Compute(req)
	if err != nil {
		return fmt.Errorf("%s: %w", *cdmPath, err)
	}
	out := pcOutput{
		Method:  *method,
		Pc:      results[0].Pc,
		Results: results,
		CDM: pcCDMSummary{
			File:          *cdmPath,
			MessageID:     cdm.Header.MessageID,
			TCA:           cdm.Relative.TCA,
			Object1:       cdm.Objects[0].ObjectDesignator,
			Object2:       cdm.Objects[1].ObjectDesignator,
			MissDistanceM: cdm.Relative.MissDistanceM,
			HBRSource:     hbrSource,
			PcInCDM:       cdm.Relative.CollisionProbability,
			PcMethodInCDM: cdm.Relative.CollisionProbabilityMethod,
		},
	}
	if len(methods) == 1 {
		out.Method = string(methods[0])
	}
	if out.CDM.PcInCDM != nil && math.IsNaN(*out.CDM.PcInCDM) {
		out.CDM.PcInCDM = nil // JSON has no NaN; CARA writes NaN for "not computed"
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// cdmObject turns one CDM object (state in km, km/s; covariance in its RTN
// frame, m²) into a collision.Object.
func cdmObject(o *ccsds.CDMObject) collision.Object {
	cov := collision.FullCovariance(collision.FrameRTN, o.CovRTN6())
	return collision.Object{PositionKm: o.PositionKm, VelocityKmS: o.VelocityKmS, Covariance: &cov}
}
