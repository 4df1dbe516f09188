package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/astroshield/astroshield/engine/sgp4"
)

const maxPropagateTimes = 10_000_000

func runPropagate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("propagate", stderr)
	tlePath := fs.String("tle", "", "element-set `FILE`: TLE (2- or 3-line) or OMM (KVN, XML, CelesTrak JSON/CSV)")
	tsince := fs.String("tsince-min", "", "minutes since each element set's epoch: a `LIST` (0,30,60) or START:STOP:STEP (inclusive)")
	format := fs.String("format", "csv", "output `format`: csv, json or null (compute all, print a one-line summary)")
	workers := fs.Int("workers", 0, "propagation goroutines (0 = all cores)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *tlePath == "" {
		return usagef("--tle FILE is required")
	}
	if *tsince == "" {
		return usagef("--tsince-min is required (e.g. 0:1440:10 or 0,30,60)")
	}
	times, err := parseTsinceList(*tsince)
	if err != nil {
		return usagef("--tsince-min: %v", err)
	}
	var out propagateWriter
	bw := bufio.NewWriterSize(stdout, 1<<20)
	switch *format {
	case "csv":
		out = &csvStateWriter{w: bw}
	case "json":
		out = &jsonStateWriter{w: bw}
	case "null":
		out = &nullStateWriter{w: bw}
	default:
		return usagef("--format %q: want csv, json or null", *format)
	}

	sets, recordErrs, err := loadElementSets(*tlePath)
	if err != nil {
		return err
	}
	if recordErrs != nil {
		fmt.Fprintf(stderr, "astroshield propagate: skipping bad records:\n%v\n", recordErrs)
	}

	if err := out.begin(); err != nil {
		return err
	}
	// Satellites are initialised and propagated a chunk at a time so memory
	// stays bounded (chunk × times states) whatever the catalog size.
	const chunk = 512
	sats := make([]*sgp4.Satellite, 0, chunk)
	norads := make([]int, 0, chunk)
	states := make([]sgp4.State, chunk*len(times))
	for start := 0; start < len(sets); start += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		sats, norads = sats[:0], norads[:0]
		for i := start; i < min(start+chunk, len(sets)); i++ {
			s, err := sgp4.New(sets[i])
			if err != nil {
				if err := out.failure(sets[i].CatalogNumber, times[0], err); err != nil {
					return err
				}
				continue
			}
			sats = append(sats, s)
			norads = append(norads, sets[i].CatalogNumber)
		}
		buf := states[:len(sats)*len(times)]
		if err := sgp4.PropagateBatch(ctx, sats, times, buf, *workers); err != nil {
			return err
		}
		for i := range sats {
			row := buf[i*len(times) : (i+1)*len(times)]
			for k := range row {
				if row[k].Err != 0 {
					if err := out.failure(norads[i], times[k], row[k].Err); err != nil {
						return err
					}
					break // like Vallado's driver: an element set stops at its first error
				}
				if err := out.state(norads[i], times[k], &row[k]); err != nil {
					return err
				}
			}
		}
	}
	if err := out.end(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if recordErrs != nil {
		return fmt.Errorf("some records in %s could not be read (listed above)", *tlePath)
	}
	return nil
}

// parseTsinceList parses "a,b,c" or "start:stop:step" (stop inclusive within
// a 1e-9 step tolerance, either direction).
func parseTsinceList(s string) ([]float64, error) {
	num := func(f string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%q is not a finite number of minutes", f)
		}
		return v, nil
	}
	if parts := strings.Split(s, ":"); len(parts) > 1 {
		if len(parts) != 3 {
			return nil, fmt.Errorf("range %q must be START:STOP:STEP", s)
		}
		var v [3]float64
		for i, p := range parts {
			x, err := num(p)
			if err != nil {
				return nil, err
			}
			v[i] = x
		}
		start, stop, step := v[0], v[1], v[2]
		if step == 0 || (stop-start)*step < 0 {
			return nil, fmt.Errorf("step %g does not lead from %g to %g", step, start, stop)
		}
		n := math.Floor((stop-start)/step+1e-9) + 1
		if n > maxPropagateTimes {
			return nil, fmt.Errorf("range gives %.0f times, more than %d", n, maxPropagateTimes)
		}
		out := make([]float64, int(n))
		for i := range out {
			out[i] = start + float64(i)*step
		}
		return out, nil
	}
	fields := strings.Split(s, ",")
	if len(fields) > maxPropagateTimes {
		return nil, fmt.Errorf("more than %d times", maxPropagateTimes)
	}
	out := make([]float64, 0, len(fields))
	for _, f := range fields {
		x, err := num(f)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}
