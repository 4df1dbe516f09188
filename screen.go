package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/collision"
	"github.com/astroshield/astroshield/engine/conjunction"
)

// defaultHBRM is the combined hard-body radius used for screening Pc when
// none is given: 10 m, a common screening value for two intact spacecraft
// of a few metres (CARA's cases range from 5 to 20 m).
const defaultHBRM = 10

// screenedEvent is one conjunction with its Pc, as written by every format.
type screenedEvent struct {
	conjunction.Event
	Pc    collision.Result // Foster 1992 with default covariances from element-set age
	PcMax collision.Result // Alfano 2005 upper bound, no covariance
}

func runScreen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("screen", stderr)
	catPath := fs.String("catalog", "", "catalog `FILE` (TLE or OMM)")
	startS := fs.String("start", "", "window start, RFC3339 (e.g. 2022-07-15T00:00:00Z)")
	hours := fs.Float64("hours", 24, "window length in hours")
	threshold := fs.Float64("threshold-km", 5, "screening distance in km")
	primary := fs.String("primary", "", "comma-separated NORAD numbers to screen against the catalog (default: all vs all)")
	format := fs.String("format", "csv", "output format: csv, json, socrates (CelesTrak SOCRATES CSV) or cdm (one CCSDS CDM KVN file per event into --out DIR)")
	outPath := fs.String("out", "", "output `FILE` (csv, json) or directory (cdm); default standard output")
	hbrM := fs.Float64("hbr-m", defaultHBRM, "combined hard-body radius in metres for the pc column")
	ellipsoid := fs.String("ellipsoid-km", "", "also require events inside this `R,I,C` ellipsoid (semi-axes in km, object 1's radial/in-track/cross-track frame)")
	quiet := fs.Bool("quiet", false, "no progress or filter log on stderr")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opt, err := screenOptions(*catPath, *startS, *hours, *threshold, *primary, *format, *outPath, *hbrM)
	if err != nil {
		return err
	}
	if *ellipsoid != "" {
		if opt.Ellipsoid, err = parseEllipsoid(*ellipsoid); err != nil {
			return err
		}
	}
	sets, recordErrs, err := loadElementSets(*catPath)
	if err != nil {
		return err
	}
	if recordErrs != nil {
		fmt.Fprintf(stderr, "astroshield screen: skipping bad records:\n%v\n", recordErrs)
	}
	if !*quiet {
		opt.Progress = newProgressPrinter(stderr)
	}
	began := time.Now()
	res, err := conjunction.Screen(ctx, sets, opt)
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stderr, "\nscreened %d objects, %s → %s, %d events, %d failures, %.1f s\n%s",
			res.Objects, res.Start.Format(time.RFC3339), res.End.Format(time.RFC3339), len(res.Events), len(res.Failures),
			time.Since(began).Seconds(), res.LogTable())
		for _, f := range res.Failures {
			fmt.Fprintf(stderr, "not screened after %s: %d %s: %v\n", f.At.Format(time.RFC3339), f.Norad, f.Name, f.Err)
		}
	}

	events := make([]screenedEvent, len(res.Events))
	for i, ev := range res.Events {
		events[i], err = withPc(ev, *hbrM)
		if err != nil {
			return fmt.Errorf("pc for %d × %d at %s: %w", ev.Norad1, ev.Norad2, ev.TCA.Format(time.RFC3339), err)
		}
	}

	if *format == "cdm" {
		return writeScreenCDMs(*outPath, events, res, sets)
	}
	var w io.Writer = stdout
	if *outPath != "" {
		f, err := os.Create(*outPath)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	if *format == "json" {
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		if err := enc.Encode(screenJSON(events, res)); err != nil {
			return err
		}
	} else if *format == "socrates" {
		if err := writeScreenSOCRATES(bw, events); err != nil {
			return err
		}
	} else if err := writeScreenCSV(bw, events); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if recordErrs != nil {
		return fmt.Errorf("some records in %s could not be read (listed above)", *catPath)
	}
	return nil
}

func screenOptions(cat, start string, hours, threshold float64, primary, format, out string, hbr float64) (conjunction.Options, error) {
	var opt conjunction.Options
	if cat == "" {
		return opt, usagef("--catalog FILE is required")
	}
	if start == "" {
		return opt, usagef("--start is required (RFC3339, e.g. 2022-07-15T00:00:00Z)")
	}
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return opt, usagef("--start %q is not RFC3339 (e.g. 2022-07-15T00:00:00Z)", start)
	}
	if !(hours > 0) || hours > conjunction.MaxSpan.Hours() {
		return opt, usagef("--hours %g must be in (0, %g]", hours, conjunction.MaxSpan.Hours())
	}
	if !(threshold > 0) || math.IsInf(threshold, 0) {
		return opt, usagef("--threshold-km %g must be a positive distance", threshold)
	}
	if !(hbr > 0) || math.IsInf(hbr, 0) {
		return opt, usagef("--hbr-m %g must be a positive radius", hbr)
	}
	switch format {
	case "csv", "json", "socrates":
	case "cdm":
		if out == "" {
			return opt, usagef("--format cdm writes one file per event: give --out DIR")
		}
	default:
		return opt, usagef("--format %q: want csv, json, socrates or cdm", format)
	}
	opt = conjunction.Options{Start: t.UTC(), Span: time.Duration(hours * float64(time.Hour)), ThresholdKm: threshold}
	if primary != "" {
		for _, f := range strings.Split(primary, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 0 {
				return opt, usagef("--primary: %q is not a NORAD catalog number", f)
			}
			opt.Primaries = append(opt.Primaries, n)
		}
	}
	return opt, nil
}

// parseEllipsoid reads "R,I,C" semi-axes in km.
func parseEllipsoid(s string) (*conjunction.Ellipsoid, error) {
	f := strings.Split(s, ",")
	if len(f) != 3 {
		return nil, usagef("--ellipsoid-km %q: want three semi-axes R,I,C in km (e.g. 2,25,25)", s)
	}
	var v [3]float64
	for i, x := range f {
		var err error
		v[i], err = strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil || !(v[i] > 0) || math.IsInf(v[i], 0) {
			return nil, usagef("--ellipsoid-km: %q is not a positive distance in km", x)
		}
	}
	return &conjunction.Ellipsoid{RadialKm: v[0], InTrackKm: v[1], CrossTrackKm: v[2]}, nil
}

// withPc adds the Foster Pc under default covariances (element-set age at
// TCA; the result is flagged default_covariance) and the Alfano upper bound.
func withPc(ev conjunction.Event, hbrM float64) (screenedEvent, error) {
	out := screenedEvent{Event: ev}
	var err error
	out.Pc, out.PcMax, err = collision.FosterDefaultCovariancePc(
		collision.Object{PositionKm: ev.State1.RTEMEKm, VelocityKmS: ev.State1.VTEMEKmS},
		collision.Object{PositionKm: ev.State2.RTEMEKm, VelocityKmS: ev.State2.VTEMEKmS},
		ev.ElementAge1, ev.ElementAge2, hbrM)
	return out, err
}

func writeScreenCSV(w *bufio.Writer, events []screenedEvent) error {
	w.WriteString("norad_1,norad_2,tca,miss_km,rel_speed_km_s,radial_km,intrack_km,crosstrack_km,pc\n")
	for _, e := range events {
		fmt.Fprintf(w, "%d,%d,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6e\n", e.Norad1, e.Norad2,
			e.TCA.UTC().Format("2006-01-02T15:04:05.000Z07:00"), e.MissDistanceKm, e.RelativeSpeedKmS,
			e.RadialKm, e.InTrackKm, e.CrossTrackKm, e.Pc.Pc)
	}
	return nil
}

// writeScreenSOCRATES writes CelesTrak SOCRATES' CSV fields (RFC 4180):
// days since epoch at TCA for each object, the range and relative speed at
// TCA, MAX_PROB and DILUTION (km). Our MAX_PROB is Alfano (2005)'s bound
// for an unknown covariance of any shape, so it is at or above SOCRATES'
// value, which fixes the covariance's axis ratio (100/300/100 m RIC);
// DILUTION is the 1-sigma that gives that bound.
func writeScreenSOCRATES(w *bufio.Writer, events []screenedEvent) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"NORAD_CAT_ID_1", "OBJECT_NAME_1", "DSE_1", "NORAD_CAT_ID_2", "OBJECT_NAME_2", "DSE_2",
		"TCA", "TCA_RANGE", "TCA_RELATIVE_SPEED", "MAX_PROB", "DILUTION"})
	days := func(d time.Duration) string { return strconv.FormatFloat(d.Hours()/24, 'f', 3, 64) }
	for _, e := range events {
		cw.Write([]string{
			strconv.Itoa(e.Norad1), e.Name1, days(e.ElementAge1),
			strconv.Itoa(e.Norad2), e.Name2, days(e.ElementAge2),
			e.TCA.UTC().Format("2006-01-02 15:04:05.000"),
			strconv.FormatFloat(e.MissDistanceKm, 'f', 3, 64),
			strconv.FormatFloat(e.RelativeSpeedKmS, 'f', 3, 64),
			strconv.FormatFloat(e.PcMax.Pc, 'E', 3, 64),
			strconv.FormatFloat(e.PcMax.BoundSigmaM/1000, 'f', 3, 64),
		})
	}
	cw.Flush()
	return cw.Error()
}

type screenEventJSON struct {
	Norad1           int        `json:"norad_1"`
	Norad2           int        `json:"norad_2"`
	Name1            string     `json:"name_1"`
	Name2            string     `json:"name_2"`
	TCA              time.Time  `json:"tca"`
	MissKm           float64    `json:"miss_km"`
	RelSpeedKmS      float64    `json:"rel_speed_km_s"`
	RadialKm         float64    `json:"radial_km"`
	InTrackKm        float64    `json:"intrack_km"`
	CrossTrackKm     float64    `json:"crosstrack_km"`
	Pc               float64    `json:"pc"`
	PcMethod         string     `json:"pc_method"`
	PcNote           string     `json:"pc_note"`
	PcMaxAlfano2005  float64    `json:"pc_max"`
	ThresholdEnter   time.Time  `json:"threshold_enter"`
	ThresholdExit    time.Time  `json:"threshold_exit"`
	ElementAge1Hours float64    `json:"element_age_1_h"`
	ElementAge2Hours float64    `json:"element_age_2_h"`
	State1TEME       [6]float64 `json:"state_1_teme_km_km_s"`
	State2TEME       [6]float64 `json:"state_2_teme_km_km_s"`
}

type screenJSONDoc struct {
	Start     time.Time              `json:"start"`
	End       time.Time              `json:"end"`
	Objects   int                    `json:"objects"`
	AllVsAll  bool                   `json:"all_vs_all"`
	Events    []screenEventJSON      `json:"events"`
	Failures  []map[string]any       `json:"failures"`
	FilterLog []conjunction.StageLog `json:"filter_log"`
}

func screenJSON(events []screenedEvent, res *conjunction.Result) screenJSONDoc {
	doc := screenJSONDoc{Start: res.Start, End: res.End, Objects: res.Objects, AllVsAll: res.AllVsAll,
		Events: []screenEventJSON{}, Failures: []map[string]any{}, FilterLog: res.Log}
	st := func(s conjunction.State) [6]float64 {
		return [6]float64{s.RTEMEKm[0], s.RTEMEKm[1], s.RTEMEKm[2], s.VTEMEKmS[0], s.VTEMEKmS[1], s.VTEMEKmS[2]}
	}
	for _, e := range events {
		doc.Events = append(doc.Events, screenEventJSON{
			Norad1: e.Norad1, Norad2: e.Norad2, Name1: e.Name1, Name2: e.Name2, TCA: e.TCA.UTC(),
			MissKm: e.MissDistanceKm, RelSpeedKmS: e.RelativeSpeedKmS,
			RadialKm: e.RadialKm, InTrackKm: e.InTrackKm, CrossTrackKm: e.CrossTrackKm,
			Pc: e.Pc.Pc, PcMethod: "foster-default-covariance", PcNote: "Foster (1992) with default covariances from element-set age (no orbit-determination covariance for TLEs); pc_max is Alfano (2005)'s upper bound",
			PcMaxAlfano2005: e.PcMax.Pc, ThresholdEnter: e.ThresholdEnter.UTC(), ThresholdExit: e.ThresholdExit.UTC(),
			ElementAge1Hours: e.ElementAge1.Hours(), ElementAge2Hours: e.ElementAge2.Hours(),
			State1TEME: st(e.State1), State2TEME: st(e.State2),
		})
	}
	for _, f := range res.Failures {
		doc.Failures = append(doc.Failures, map[string]any{"norad": f.Norad, "name": f.Name, "at": f.At, "error": f.Err.Error()})
	}
	return doc
}

// progressPrinter prints each stage's progress to stderr at most twice a
// second and once at its end.
func newProgressPrinter(w io.Writer) func(stage string, done, total int) {
	var last time.Time
	return func(stage string, done, total int) {
		if done < total && time.Since(last) < 500*time.Millisecond {
			return
		}
		last = time.Now()
		pct := 100.0
		if total > 0 {
			pct = 100 * float64(done) / float64(total)
		}
		end := "\r"
		if done >= total {
			end = "\n"
		}
		fmt.Fprintf(w, "\r%-15s %12d / %-12d %5.1f%%%s", stage, done, total, pct, end)
	}
}

// cdmFileName is the file a screening CDM is written to.
func cdmFileName(dir string, e screenedEvent) string {
	return filepath.Join(dir, fmt.Sprintf("%09d_conj_%09d_%s.cdm", e.Norad1, e.Norad2, e.TCA.UTC().Format("20060102_150405")))
}
