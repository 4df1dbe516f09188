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

// ParseOperatorManeuvers reads the operators' manoeuvre history files that
// the benchmark ships in raw_manoeuvre_files/ and returns each manoeuvre's
// start time in UTC, sorted. Two layouts are understood, line by line:
//
//   - IDS/DORIS "*man.txt": "CODE YYYY DDD HH MM YYYY DDD HH MM ..." (start
//     and end, DDD the day of year with 1 January = 001);
//   - CMA Fengyun "manFY*.txt.fy": KIND COSPAR "YYYY-MM-DDTHH:MM:SS CST" ...;
//     CST is China Standard Time, UTC+8.
//
// The benchmark's manoeuvres_<Name>.yaml lists were derived from these
// files, but every IDS-derived time there is exactly one day later than the
// file says (the day of year was added to 1 January), and the Fengyun times
// are the CST wall-clock times written as UTC.
func ParseOperatorManeuvers(r io.Reader) ([]time.Time, error) {
	var out []time.Time
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		var t time.Time
		var err error
		if strings.HasPrefix(f[0], "GEO-") || (len(f) > 2 && strings.HasPrefix(f[2], `"`)) {
			t, err = parseCMAStart(f)
		} else {
			t, err = parseIDSStart(f)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrTruthFormat, line, err)
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("maneuver: reading operator manoeuvres: %w", err)
	}
	slices.SortFunc(out, time.Time.Compare)
	return out, nil
}

func parseIDSStart(f []string) (time.Time, error) {
	if len(f) < 9 {
		return time.Time{}, fmt.Errorf("IDS line has %d fields, want at least 9", len(f))
	}
	var v [4]int
	for i := range v {
		n, err := strconv.Atoi(f[1+i])
		if err != nil {
			return time.Time{}, fmt.Errorf("IDS field %d %q: not a number", 2+i, f[1+i])
		}
		v[i] = n
	}
	y, doy, hh, mm := v[0], v[1], v[2], v[3]
	if y < 1950 || y > 2200 || doy < 1 || doy > 366 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return time.Time{}, fmt.Errorf("IDS start %d %03d %02d:%02d out of range", y, doy, hh, mm)
	}
	return time.Date(y, 1, doy, hh, mm, 0, 0, time.UTC), nil
}

// chinaStandardTime is UTC+8, the zone of the CMA manoeuvre files.
var chinaStandardTime = time.FixedZone("CST", 8*3600)

func parseCMAStart(f []string) (time.Time, error) {
	if len(f) < 4 {
		return time.Time{}, fmt.Errorf("CMA line has %d fields, want at least 4", len(f))
	}
	s := strings.Trim(f[2], `"`)
	s = strings.ReplaceAll(s, "/", "-")
	t, err := time.ParseInLocation("2006-01-02T15:04:05", s, chinaStandardTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("CMA start %q: %v", s, err)
	}
	return t.UTC(), nil
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
			times, perr := ParseOperatorManeuvers(of)
			of.Close()
			if perr != nil {
				return c, fmt.Errorf("maneuver: load benchmark %s: %w", op, perr)
			}
			c.OperatorTruth = times
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
