package maneuver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/tle"
)

// ErrTruthFormat is returned for a ground-truth file that cannot be read.
var ErrTruthFormat = errors.New("maneuver: bad ground-truth file")

// Truth is a labelled manoeuvre list for one object.
type Truth struct {
	Name  string
	NORAD int
	Times []time.Time // UTC, sorted
}

// ParseTruth reads the manoeuvre list format of the Shorten et al. (2022)
// benchmark (manoeuvres_<Name>.yaml):
//
//	SATCAT number: 36508
//	manoeuvre_timestamps:
//	- 2010-04-16 17:47:00
//	name: CryoSat-2
//
// Only these keys are understood; other lines are ignored. Times are read as
// UTC.
func ParseTruth(r io.Reader) (Truth, error) {
	var tr Truth
	sc := bufio.NewScanner(r)
	line := 0
	inList := false
	for sc.Scan() {
		line++
		l := strings.TrimRight(sc.Text(), " \t\r")
		trim := strings.TrimSpace(l)
		switch {
		case trim == "" || strings.HasPrefix(trim, "#"):
		case strings.HasPrefix(trim, "- "):
			if !inList {
				continue
			}
			v := strings.Trim(strings.TrimSpace(trim[2:]), `'"`)
			t, err := parseTruthTime(v)
			if err != nil {
				return tr, fmt.Errorf("%w: line %d: %q: %v", ErrTruthFormat, line, v, err)
			}
			tr.Times = append(tr.Times, t)
		default:
			key, val, ok := strings.Cut(trim, ":")
			if !ok {
				continue
			}
			val = strings.Trim(strings.TrimSpace(val), `'"`)
			inList = false
			switch strings.TrimSpace(key) {
			case "SATCAT number":
				n, err := strconv.Atoi(val)
				if err != nil || n < 0 {
					return tr, fmt.Errorf("%w: line %d: SATCAT number %q", ErrTruthFormat, line, val)
				}
				tr.NORAD = n
			case "name":
				tr.Name = val
			case "manoeuvre_timestamps", "maneuver_timestamps":
				inList = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		return tr, fmt.Errorf("maneuver: reading ground truth: %w", err)
	}
	slices.SortFunc(tr.Times, time.Time.Compare)
	return tr, nil
}

func parseTruthTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("want YYYY-MM-DD HH:MM:SS")
}

// LoadBenchmark reads a directory laid out like the Shorten et al.
// benchmark: for each manoeuvres_<Name>.yaml a <Name>.tle history. Element
// sets the TLE reader rejects are skipped and counted in Case.Notes; a
// label file without its history is skipped. Cases are sorted by name.
func LoadBenchmark(dir string) ([]Case, error) {
	labels, err := filepath.Glob(filepath.Join(dir, "manoeuvres_*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("maneuver: load benchmark: %w", err)
	}
	var cases []Case
	for _, lp := range labels {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(lp), "manoeuvres_"), ".yaml")
		tp := filepath.Join(dir, name+".tle")
		if _, err := os.Stat(tp); err != nil {
			continue
		}
		c, err := loadCase(name, lp, tp)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("maneuver: load benchmark: no manoeuvres_<Name>.yaml with a <Name>.tle in %s", dir)
	}
	slices.SortFunc(cases, func(a, b Case) int { return strings.Compare(a.Name, b.Name) })
	return cases, nil
}

func loadCase(name, labelPath, tlePath string) (Case, error) {
	c := Case{Name: name}
	lf, err := os.Open(labelPath)
	if err != nil {
		return c, fmt.Errorf("maneuver: load benchmark: %w", err)
	}
	tr, err := ParseTruth(lf)
	lf.Close()
	if err != nil {
		return c, fmt.Errorf("maneuver: load benchmark %s: %w", labelPath, err)
	}
	c.NORAD, c.Truth = tr.NORAD, tr.Times
	if f, ok := operatorFiles[name]; ok {
		op := filepath.Join(filepath.Dir(labelPath), "raw_manoeuvre_files", f)
		if of, err := os.Open(op); err == nil {
			recs, perr := ParseOperatorRecords(of)
			of.Close()
			if perr != nil {
				return c, fmt.Errorf("maneuver: load benchmark %s: %w", op, perr)
			}
			c.OperatorRecords = recs
			c.OperatorTruth = make([]time.Time, len(recs))
			for i, m := range recs {
				c.OperatorTruth[i] = m.Start
			}
		}
	}
	tf, err := os.Open(tlePath)
	if err != nil {
		return c, fmt.Errorf("maneuver: load benchmark: %w", err)
	}
	defer tf.Close()
	sets, rerr := tle.ReadAll(tf, tle.Options{})
	if rerr != nil {
		n := 1
		if j, ok := rerr.(interface{ Unwrap() []error }); ok {
			n = len(j.Unwrap())
		}
		c.Notes = append(c.Notes, fmt.Sprintf("%d element sets unreadable and skipped (first: %v)", n, firstErr(rerr)))
	}
	if len(sets) == 0 {
		return c, fmt.Errorf("maneuver: load benchmark %s: no element sets: %w", tlePath, rerr)
	}
	c.History = sets
	return c, nil
}

func firstErr(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
		return j.Unwrap()[0]
	}
	return err
}

// operatorFiles maps benchmark names to their raw operator file.
var operatorFiles = map[string]string{
	"CryoSat-2": "cs2man.txt", "Haiyang-2A": "h2aman.txt", "Jason-1": "ja1man.txt", "Jason-2": "ja2man.txt",
	"Sentinel-3A": "s3aman.txt", "Sentinel-6A": "s6aman.txt", "TOPEX": "topman.txt",
	"Fengyun-2D": "manFY2D.txt.fy", "Fengyun-2E": "manFY2E.txt.fy", "Fengyun-2F": "manFY2F.txt.fy", "Fengyun-4A": "manFY4A.txt.fy",
}
