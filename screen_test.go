package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/ccsds"
)

const screenStart = "2022-07-15T00:00:00Z"

// screenISS runs the one-vs-all screen of the ISS and a Starlink against the
// full 2022 catalog for a day, the cheapest real screening there is.
func screenISS(t *testing.T, extra ...string) cliResult {
	t.Helper()
	cat := refPath(t, "catalog", "full_catalog_3le_2022-07-15.txt")
	args := append([]string{"screen", "--catalog", cat, "--start", screenStart, "--hours", "24",
		"--threshold-km", "10", "--primary", "25544,48274"}, extra...)
	r := runCLI(t, args...)
	if r.code != 0 {
		t.Fatalf("screen %v: exit %d\n%s", extra, r.code, r.stderr)
	}
	return r
}

func TestScreenCSVContract(t *testing.T) {
	r := screenISS(t)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "norad_1,norad_2,tca,miss_km,rel_speed_km_s,radial_km,intrack_km,crosstrack_km,pc"
	if got := strings.Join(rows[0], ","); got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
	if len(rows) < 3 {
		t.Fatalf("only %d events for the ISS over a day at 10 km", len(rows)-1)
	}
	start, _ := time.Parse(time.RFC3339, screenStart)
	var prev time.Time
	for i, row := range rows[1:] {
		if row[0] != "25544" && row[0] != "48274" {
			t.Errorf("row %d: norad_1 %s is not a primary", i+1, row[0])
		}
		tca, err := time.Parse(time.RFC3339, row[2])
		if err != nil {
			t.Fatalf("row %d: tca %q: %v", i+1, row[2], err)
		}
		if tca.Before(start) || tca.After(start.Add(24*time.Hour)) || tca.Before(prev) {
			t.Errorf("row %d: tca %s outside the window or out of order", i+1, row[2])
		}
		prev = tca
		var f [6]float64
		for k := range f {
			if f[k], err = strconv.ParseFloat(row[3+k], 64); err != nil {
				t.Fatalf("row %d col %d: %v", i+1, 4+k, err)
			}
		}
		// miss² = radial² + in-track² + cross-track² (RIC is a rotation).
		if d := f[0]*f[0] - (f[2]*f[2] + f[3]*f[3] + f[4]*f[4]); d > 1e-4 || d < -1e-4 || f[0] > 10 {
			t.Errorf("row %d: miss %g km inconsistent with RIC %v or above threshold", i+1, f[0], f[2:5])
		}
		pc, err := strconv.ParseFloat(row[8], 64)
		if err != nil || pc < 0 || pc > 1 {
			t.Errorf("row %d: pc %q", i+1, row[8])
		}
	}
	for _, w := range []string{"stage", "apogee-perigee", "orbit-path", "refine", "screened"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks the filter log entry %q:\n%s", w, r.stderr)
		}
	}
}

func TestScreenFormatsAgree(t *testing.T) {
	csvOut := screenISS(t, "--quiet")
	if csvOut.stderr != "" {
		t.Errorf("--quiet still wrote to stderr: %q", csvOut.stderr)
	}
	rows, _ := csv.NewReader(strings.NewReader(csvOut.stdout)).ReadAll()
	jsonOut := screenISS(t, "--quiet", "--format", "json")
	var doc struct {
		Events []struct {
			Norad1 int       `json:"norad_1"`
			Norad2 int       `json:"norad_2"`
			TCA    time.Time `json:"tca"`
			MissKm float64   `json:"miss_km"`
			Pc     float64   `json:"pc"`
			PcMax  float64   `json:"pc_max"`
		} `json:"events"`
		FilterLog []map[string]any `json:"filter_log"`
	}
	if err := json.Unmarshal([]byte(jsonOut.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Events) != len(rows)-1 {
		t.Fatalf("json %d events, csv %d", len(doc.Events), len(rows)-1)
	}
	for i, e := range doc.Events {
		if strconv.Itoa(e.Norad2) != rows[i+1][1] || e.TCA.Format("2006-01-02T15:04:05.000Z07:00") != rows[i+1][2] {
			t.Errorf("event %d differs: json %d %s, csv %v", i, e.Norad2, e.TCA, rows[i+1][:3])
		}
		if e.PcMax < e.Pc {
			t.Errorf("event %d: Alfano's maximum Pc %g below the Pc %g", i, e.PcMax, e.Pc)
		}
	}
	if len(doc.FilterLog) < 4 {
		t.Errorf("filter log has %d stages", len(doc.FilterLog))
	}

	soc := screenISS(t, "--quiet", "--format", "socrates")
	srows, err := csv.NewReader(strings.NewReader(soc.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(srows[0], ","); got != "NORAD_CAT_ID_1,OBJECT_NAME_1,DSE_1,NORAD_CAT_ID_2,OBJECT_NAME_2,DSE_2,TCA,TCA_RANGE,TCA_RELATIVE_SPEED,MAX_PROB,DILUTION" {
		t.Errorf("SOCRATES header %q", got)
	}
	if len(srows) != len(rows) {
		t.Errorf("SOCRATES %d rows, csv %d", len(srows), len(rows))
	}
}

func TestScreenCDMs(t *testing.T) {
	dir := t.TempDir()
	screenISS(t, "--quiet", "--format", "cdm", "--out", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.cdm"))
	csvOut := screenISS(t, "--quiet")
	rows, _ := csv.NewReader(strings.NewReader(csvOut.stdout)).ReadAll()
	if len(files) == 0 || len(files) != len(rows)-1 {
		t.Fatalf("%d CDM files for %d events", len(files), len(rows)-1)
	}
	sort.Strings(files)
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		cdm, err := ccsds.ParseCDM(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s does not read back: %v", filepath.Base(p), err)
		}
		if len(cdm.Objects) != 2 || cdm.Relative.MissDistanceM <= 0 || cdm.Relative.MissDistanceM > 10000 {
			t.Errorf("%s: %d objects, miss %g m", filepath.Base(p), len(cdm.Objects), cdm.Relative.MissDistanceM)
		}
	}
}

func TestScreenBadInput(t *testing.T) {
	cat := refPath(t, "catalog", "full_catalog_3le_2022-07-15.txt")
	bad := writeTemp(t, "bad.tle", "ISS (ZARYA)\n1 25544U 98067A   20194.88612269 -.00002218  00000-0 -31515-4 0  9992\n2 25544  51.6461 221.2784 0001413  89.1723 280.4612 15.4950789623600X\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no catalog", []string{"screen", "--start", screenStart}, 2, "--catalog"},
		{"no start", []string{"screen", "--catalog", cat}, 2, "--start"},
		{"bad start", []string{"screen", "--catalog", cat, "--start", "yesterday"}, 2, "RFC3339"},
		{"bad hours", []string{"screen", "--catalog", cat, "--start", screenStart, "--hours", "-1"}, 2, "--hours"},
		{"bad threshold", []string{"screen", "--catalog", cat, "--start", screenStart, "--threshold-km", "0"}, 2, "--threshold-km"},
		{"bad format", []string{"screen", "--catalog", cat, "--start", screenStart, "--format", "xml"}, 2, "--format"},
		{"cdm without dir", []string{"screen", "--catalog", cat, "--start", screenStart, "--format", "cdm"}, 2, "--out"},
		{"bad primary", []string{"screen", "--catalog", cat, "--start", screenStart, "--primary", "ISS"}, 2, "--primary"},
		{"unknown primary", []string{"screen", "--catalog", cat, "--start", screenStart, "--primary", "99999999"}, 1, "99999999"},
		{"missing file", []string{"screen", "--catalog", "/nonexistent.tle", "--start", screenStart}, 1, "/nonexistent.tle"},
		{"bad record", []string{"screen", "--catalog", bad, "--start", screenStart}, 1, "line 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d (want %d), stderr %q (want it to mention %q)", r.code, tc.code, r.stderr, tc.want)
			}
		})
	}
}

// An RIC ellipsoid inside the sphere keeps exactly the sphere's events that
// fall inside it.
func TestScreenEllipsoid(t *testing.T) {
	sphere, _ := csv.NewReader(strings.NewReader(screenISS(t, "--quiet").stdout)).ReadAll()
	ell, _ := csv.NewReader(strings.NewReader(screenISS(t, "--quiet", "--ellipsoid-km", "2,10,10").stdout)).ReadAll()
	want := 0
	for _, row := range sphere[1:] {
		var r, i, c float64
		r, _ = strconv.ParseFloat(row[5], 64)
		i, _ = strconv.ParseFloat(row[6], 64)
		c, _ = strconv.ParseFloat(row[7], 64)
		if (r/2)*(r/2)+(i/10)*(i/10)+(c/10)*(c/10) <= 1 {
			want++
		}
	}
	if got := len(ell) - 1; got != want || want == len(sphere)-1 {
		t.Errorf("ellipsoid kept %d events, %d of the sphere's %d lie inside it", got, want, len(sphere)-1)
	}
	if r := runCLI(t, "screen", "--catalog", "x", "--start", screenStart, "--ellipsoid-km", "1,2"); r.code != 2 {
		t.Errorf("bad ellipsoid: exit %d", r.code)
	}
}
