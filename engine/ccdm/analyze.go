package ccdm

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
)

// Report is the CCDM analysis of one object.
type Report struct {
	NORAD          int       `json:"norad"`
	Name           string    `json:"name,omitempty"`
	IntlDesignator string    `json:"intl_designator,omitempty"`
	Regime         string    `json:"regime"`
	At             time.Time `json:"assessment_epoch"`
	HistoryStart   time.Time `json:"history_start"`
	HistoryEnd     time.Time `json:"history_end"`
	SetsUsed       int       `json:"element_sets_used"`
	// CatalogObjects is the size of the catalog snapshot used (0: none).
	CatalogObjects int           `json:"catalog_objects"`
	Findings       []Finding     `json:"findings"`
	NotAssessed    []NotAssessed `json:"not_assessed"`
	Threat         Assessment    `json:"threat"`
	Notes          []string      `json:"notes,omitempty"`
}

// Analyze computes every element-set indicator for one object's history
// (and, with a catalog snapshot, the indicators that need other objects)
// and the threat assessment. Only element sets at or before cfg.At are used.
func Analyze(ctx context.Context, history, catalog []gp.ElementSet, cfg Config) (Report, error) {
	if err := cfg.check(); err != nil {
		return Report{}, err
	}
	sets, invalid, dups, err := clean(history)
	if err != nil {
		return Report{}, err
	}
	at := cfg.At
	if !at.IsZero() {
		k := 0
		for k < len(sets) && !sets[k].Epoch.After(at) {
			k++
		}
		sets = sets[:k]
	}
	if len(sets) == 0 {
		return Report{}, fmt.Errorf("%w: no valid element set (at or before the assessment epoch)", ErrInput)
	}
	last := sets[len(sets)-1]
	if at.IsZero() {
		at = last.Epoch
	}
	rep := Report{NORAD: last.CatalogNumber, Name: last.Name, IntlDesignator: last.IntlDesignator, At: at,
		HistoryStart: sets[0].Epoch, HistoryEnd: last.Epoch, SetsUsed: len(sets), CatalogObjects: len(catalog),
		NotAssessed: notAssessed(), Findings: []Finding{}}
	if invalid > 0 || dups > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d invalid element sets ignored, %d duplicates merged", invalid, dups))
	}
	regime := regimeOf(&last)
	rep.Regime = regime.String()

	// maneuvers-detected
	mres, err := maneuver.Detect(sets, maneuver.DefaultConfig())
	if err != nil {
		return rep, fmt.Errorf("ccdm: %w", err)
	}
	rep.Findings = append(rep.Findings, maneuverFindings(mres, at)...)
	if len(sets) >= 2 {
		rep.Findings = append(rep.Findings, orbitOOF(sets, at, regime, cfg))
		rep.Findings = append(rep.Findings, stabilityChanged(sets, mres.Events, at, regime, cfg))
		ch, oof := amrChanges(sets, at, cfg)
		rep.Findings = append(rep.Findings, ch, oof)
	} else {
		for _, ind := range []Indicator{OrbitOOF, StabilityChanged, AMRChanges, AMROOF} {
			rep.Findings = append(rep.Findings, insufficientFinding(ind, at, string(ind), "one element set; a history is needed", last.CatalogNumber))
		}
	}

	// Catalog indicators: the primary is the catalog's own element set of
	// the object when it has one, else the last of the history.
	primary := last
	for i := range catalog {
		if catalog[i].CatalogNumber == last.CatalogNumber && catalog[i].Validate() == nil {
			primary = catalog[i]
			if primary.IntlDesignator == "" {
				primary.IntlDesignator = last.IntlDesignator
			}
			if primary.Name == "" {
				primary.Name = last.Name
			}
		}
	}
	if len(catalog) > 0 && !primary.Epoch.Equal(last.Epoch) {
		rep.Notes = append(rep.Notes, fmt.Sprintf("catalog indicators use the catalog's element set of the object (epoch %s, %.1f days from the last history set)",
			primary.Epoch.Format(time.RFC3339), primary.Epoch.Sub(last.Epoch).Hours()/24))
	}
	if len(catalog) == 0 {
		rep.Findings = append(rep.Findings, insufficientFinding(ProximityEvents, at, "proximity.ric-pattern", "no catalog snapshot given (--catalog)", last.CatalogNumber))
	} else {
		pf, err := proximityEvents(ctx, primary, catalog, cfg)
		if err != nil {
			return rep, err
		}
		rep.Findings = append(rep.Findings, pf...)
	}
	rep.Findings = append(rep.Findings, unoccupiedOrbit(primary, catalog, cfg), subSats(primary, catalog, cfg), debrisHigher(primary, catalog, cfg))
	for i := range rep.Findings {
		finite(&rep.Findings[i])
	}
	rep.Threat = Assess(rep.Findings, at, cfg.RecentWindow)
	return rep, nil
}

// finite removes quantities that are not finite numbers (a ratio to a zero
// median, the spread of an empty set), which JSON cannot carry, and says so
// in the notes.
func finite(f *Finding) {
	keep := func(qs []Quantity) []Quantity {
		out := qs[:0]
		for _, q := range qs {
			if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) {
				f.Notes = append(f.Notes, q.Name+" undefined (not a finite number)")
				continue
			}
			out = append(out, q)
		}
		return out
	}
	f.Evidence = keep(f.Evidence)
	f.Thresholds = keep(f.Thresholds)
	if math.IsNaN(f.Confidence) {
		f.Confidence = 0
	}
}

// maneuverFindings turns detected manoeuvres into findings.
func maneuverFindings(res maneuver.Result, at time.Time) []Finding {
	const rule = "maneuvers.mean-element-step"
	if res.Status == maneuver.StatusInsufficientData {
		why := "history too short or sparse"
		if len(res.Notes) > 0 {
			why = res.Notes[len(res.Notes)-1]
		}
		f := insufficientFinding(ManeuversDetected, at, rule, why, res.NORAD)
		return []Finding{f}
	}
	c := maneuver.RegimeConfig(res.Regime)
	th := []Quantity{{"z", c.Threshold, "sigma"}, {"min-delta-sma", c.MinDeltaAKm, "km"}, {"min-plane-change", c.MinPlaneChangeDeg, "deg"}}
	text := fmt.Sprintf("robust step (median of %d sets after − before, detrended) of a mean element ≥ %.0f·1.4826·MAD and above the regime's size floor (engine/maneuver)", c.StepSets, c.Threshold)
	if len(res.Events) == 0 {
		f := newFinding(ManeuversDetected, res.NORAD)
		f.RuleID, f.Rule, f.Thresholds, f.Time = rule, text, th, at
		f.Evidence = []Quantity{{"element-sets", float64(res.SetsUsed), ""}}
		return []Finding{f}
	}
	const atRule = "maneuvers.along-track-residual"
	atText := fmt.Sprintf("along-track residual of an element set against the previous one propagated by SGP4 (common B*) ≥ %.0f·1.4826·MAD, persisting over the next sets, away from every mean-element step (engine/maneuver)", c.AlongTrackThreshold)
	atTh := []Quantity{{"z", c.AlongTrackThreshold, "sigma"}}
	out := make([]Finding, 0, len(res.Events))
	for _, e := range res.Events {
		f := newFinding(ManeuversDetected, res.NORAD)
		f.Status, f.Time, f.Confidence = StatusDetected, e.Epoch, e.Confidence
		f.RuleID, f.Rule, f.Thresholds, f.Pattern = rule, text, th, e.Kind.String()
		if len(e.Evidence) > 0 && e.Evidence[0].Element == maneuver.ElementAlongTrack {
			f.RuleID, f.Rule, f.Thresholds = atRule, atText, atTh
		}
		f.Evidence = []Quantity{{"delta-v", e.DeltaVMS, "m/s"}, {"delta-sma", e.DeltaSMAKm, "km"},
			{"direction-radial", e.DirectionRIC[0], ""}, {"direction-in-track", e.DirectionRIC[1], ""}, {"direction-cross-track", e.DirectionRIC[2], ""},
			{"epoch-uncertainty", e.EpochUncertainty.Hours(), "h"}}
		for _, ev := range e.Evidence {
			f.Evidence = append(f.Evidence, Quantity{ev.Element.String() + "-jump", ev.Jump, ev.Element.Unit()},
				Quantity{ev.Element.String() + "-score", math.Round(ev.Score*100) / 100, "sigma"})
		}
		out = append(out, f)
	}
	return out
}
