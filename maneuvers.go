package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
)

// maneuverJSON is one detected event; the first five keys are the
// DESIGN.md §6 contract, the rest is the evidence behind it.
type maneuverJSON struct {
	NORAD        int                `json:"norad"`
	Epoch        time.Time          `json:"epoch"`
	DeltaVMS     float64            `json:"delta_v_m_s"`
	Kind         string             `json:"kind"`
	Confidence   float64            `json:"confidence"`
	DirectionRIC [3]float64         `json:"direction_ric"`
	EpochSigmaH  float64            `json:"epoch_uncertainty_h"`
	BeforeEpoch  time.Time          `json:"element_set_before"`
	AfterEpoch   time.Time          `json:"element_set_after"`
	Evidence     []maneuverEvidence `json:"evidence"`
}

type maneuverEvidence struct {
	Element string  `json:"element"`
	Unit    string  `json:"unit"`
	Jump    float64 `json:"jump"`
	Noise   float64 `json:"noise"`
	Score   float64 `json:"score_sigma"`
}

func runManeuvers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("maneuvers", stderr)
	path := fs.String("history", "", "element-set history `FILE` (TLE or OMM; one or more objects, any order)")
	format := fs.String("format", "json", "output format: json or csv")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *path == "" {
		return usagef("--history FILE is required")
	}
	if *format != "json" && *format != "csv" {
		return usagef("--format %q: want json or csv", *format)
	}
	sets, recordErrs, err := loadElementSets(*path)
	if err != nil {
		return err
	}
	if recordErrs != nil {
		fmt.Fprintf(stderr, "astroshield maneuvers: skipping bad records:\n%v\n", recordErrs)
	}

	// One history per object, objects in catalog-number order.
	byObject := map[int][]gp.ElementSet{}
	for _, e := range sets {
		byObject[e.CatalogNumber] = append(byObject[e.CatalogNumber], e)
	}
	norads := make([]int, 0, len(byObject))
	for n := range byObject {
		norads = append(norads, n)
	}
	slices.Sort(norads)

	events := []maneuverJSON{}
	for _, n := range norads {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := maneuver.Detect(byObject[n], maneuver.DefaultConfig())
		if err != nil {
			return fmt.Errorf("object %d: %w", n, err)
		}
		if res.Status == maneuver.StatusInsufficientData {
			fmt.Fprintf(stderr, "object %d: insufficient data (%d element sets): %v\n", n, res.SetsUsed, res.Notes)
			continue
		}
		fmt.Fprintf(stderr, "object %d: %s regime, %d element sets, %d manoeuvres\n", n, res.Regime, res.SetsUsed, len(res.Events))
		for _, ev := range res.Events {
			m := maneuverJSON{
				NORAD: n, Epoch: ev.Epoch.UTC().Round(time.Second), DeltaVMS: ev.DeltaVMS, Kind: ev.Kind.String(),
				Confidence: ev.Confidence, DirectionRIC: ev.DirectionRIC,
				EpochSigmaH: ev.EpochUncertainty.Hours(), BeforeEpoch: ev.BeforeEpoch.UTC(), AfterEpoch: ev.AfterEpoch.UTC(),
			}
			for _, e := range ev.Evidence {
				m.Evidence = append(m.Evidence, maneuverEvidence{e.Element.String(), e.Element.Unit(), e.Jump, e.Noise, e.Score})
			}
			events = append(events, m)
		}
	}

	if *format == "csv" {
		w := csv.NewWriter(stdout)
		w.Write([]string{"norad", "epoch", "delta_v_m_s", "kind", "confidence"})
		for _, m := range events {
			w.Write([]string{strconv.Itoa(m.NORAD), m.Epoch.Format(time.RFC3339), strconv.FormatFloat(m.DeltaVMS, 'f', 4, 64),
				m.Kind, strconv.FormatFloat(m.Confidence, 'f', 3, 64)})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
	} else {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(events); err != nil {
			return err
		}
	}
	if recordErrs != nil {
		return fmt.Errorf("some records in %s could not be read (listed above)", *path)
	}
	return nil
}
