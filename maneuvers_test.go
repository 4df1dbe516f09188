package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// The ISS history has reboosts at the twelve semi-major-axis jumps listed in
// the catalog README (year, day-of-year of the element sets around each).
func TestManeuversCLIFindsISSReboosts(t *testing.T) {
	path := refPath(t, "catalog", "history", "iss_25544_3le_2021-01-01_to_2022-03-03.txt")
	r := runCLI(t, "maneuvers", "--history", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var events []struct {
		NORAD      int       `json:"norad"`
		Epoch      time.Time `json:"epoch"`
		DeltaVMS   float64   `json:"delta_v_m_s"`
		Kind       string    `json:"kind"`
		Confidence float64   `json:"confidence"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &events); err != nil {
		t.Fatal(err)
	}
	jumps := []struct {
		year     int
		from, to float64
	}{
		{2021, 21.66, 21.91}, {2021, 92.73, 92.87}, {2021, 140.81, 141.07}, {2021, 174.89, 175.39},
		{2021, 233.19, 233.39}, {2021, 254.88, 255.02}, {2021, 285.32, 285.53}, {2021, 314.65, 315.09},
		{2022, 12.54, 13.18}, {2022, 39.31, 39.56}, {2022, 57.04, 57.22},
	}
	doy := func(y int, d float64) time.Time {
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration((d - 1) * 24 * float64(time.Hour)))
	}
	found := 0
	for _, j := range jumps {
		lo, hi := doy(j.year, j.from).Add(-12*time.Hour), doy(j.year, j.to).Add(12*time.Hour)
		for _, e := range events {
			if e.NORAD == 25544 && !e.Epoch.Before(lo) && !e.Epoch.After(hi) && e.DeltaVMS > 0 && e.Kind != "" {
				found++
				break
			}
		}
	}
	if found < 10 {
		t.Errorf("found %d of %d known ISS reboosts", found, len(jumps))
	}
}

func TestManeuversCLICSVAndErrors(t *testing.T) {
	path := refPath(t, "catalog", "history", "maneuver_benchmark_shorten2023", "Sentinel-3A.tle")
	r := runCLI(t, "maneuvers", "--history", path, "--format", "csv")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || lines[0] != "norad,epoch,delta_v_m_s,kind,confidence" || len(lines) < 20 {
		t.Fatalf("exit %d, %d lines, header %q", r.code, len(lines), lines[0])
	}
	short := writeTemp(t, "one.tle", issTLE)
	r = runCLI(t, "maneuvers", "--history", short)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" || !strings.Contains(r.stderr, "insufficient data") {
		t.Errorf("one element set: exit %d out %q err %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "maneuvers", "--history", path, "--format", "yaml")
	if r.code != 2 {
		t.Errorf("bad format: exit %d", r.code)
	}
}
