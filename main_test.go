package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// binPath is the astroshield binary built once for these tests: the CLI is
// tested as a user runs it, as a separate process.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "astroshield-cli")
	if err != nil {
		panic(err)
	}
	binPath = filepath.Join(dir, "astroshield")
	build := exec.Command("go", "build", "-o", binPath, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("building astroshield: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// refPath locates a reference file the way engine/internal/refdata does; the
// root package's tests run in the repository root, so the default is simply
// ../shared/testdata.
func refPath(t *testing.T, elem ...string) string {
	t.Helper()
	dir := os.Getenv("ASTROSHIELD_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "shared", "testdata")
	}
	p := filepath.Join(append([]string{dir}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("reference data not found (%v): set ASTROSHIELD_TESTDATA or place shared/testdata beside the repository", err)
	}
	return p
}

type cliResult struct {
	stdout, stderr string
	code           int
}

func runCLI(t *testing.T, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %v: %v", args, err)
	}
	return cliResult{out.String(), errb.String(), code}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const issTLE = `ISS (ZARYA)
1 25544U 98067A   20194.88612269 -.00002218  00000-0 -31515-4 0  9992
2 25544  51.6461 221.2784 0001413  89.1723 280.4612 15.49507896236008
`

func TestPropagateCSVContract(t *testing.T) {
	p := writeTemp(t, "iss.tle", issTLE)
	r := runCLI(t, "propagate", "--tle", p, "--tsince-min", "0:60:10")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr: %s", r.code, r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rows[0], ","), "norad,tsince_min,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s"; got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
	if len(rows) != 1+7 {
		t.Fatalf("%d data rows, want 7 (0:60:10 inclusive)", len(rows)-1)
	}
	for i, row := range rows[1:] {
		if row[0] != "25544" || row[1] != strconv.Itoa(10*i) {
			t.Errorf("row %d starts %q,%q", i, row[0], row[1])
		}
		var r2, v2 float64
		for k := 2; k < 8; k++ {
			x, err := strconv.ParseFloat(row[k], 64)
			if err != nil {
				t.Fatalf("row %d col %d: %v", i, k, err)
			}
			if k < 5 {
				r2 += x * x
			} else {
				v2 += x * x
			}
		}
		// ISS: |r| ≈ 6,790 km, |v| ≈ 7.66 km/s.
		if r2 < 6700*6700 || r2 > 6850*6850 || v2 < 7.5*7.5 || v2 > 7.8*7.8 {
			t.Errorf("row %d: |r|²=%g |v|²=%g not an ISS orbit", i, r2, v2)
		}
	}
}

func TestPropagateFormatsAgree(t *testing.T) {
	p := writeTemp(t, "iss.tle", issTLE)
	null := runCLI(t, "propagate", "--tle", p, "--tsince-min", "0,30,-30", "--format", "null")
	if null.code != 0 || !strings.HasPrefix(null.stdout, "propagated 3 states, 0 errors, sum_r_km ") {
		t.Fatalf("null: exit %d out %q err %q", null.code, null.stdout, null.stderr)
	}
	js := runCLI(t, "propagate", "--tle", p, "--tsince-min", "0,30,-30", "--format", "json")
	if js.code != 0 || strings.Count(js.stdout, `"norad":25544`) != 3 || !strings.Contains(js.stdout, `"vz_km_s":`) {
		t.Fatalf("json: exit %d out %q", js.code, js.stdout)
	}
}

func TestPropagateErrorRowsAndGoesOn(t *testing.T) {
	// 1) A decaying object (Vallado's 28872 case, perigee inside the Earth soon after
	// epoch) gives one error row and stops; 2) the next object is still propagated.
	const decaying = `1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534
2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708
`
	p := writeTemp(t, "two.tle", decaying+issTLE)
	r := runCLI(t, "propagate", "--tle", p, "--tsince-min", "0:1440:60")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	var errRows, issRows int
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		switch {
		case strings.HasPrefix(line, "28872,") && strings.Contains(line, ",error="):
			errRows++
		case strings.HasPrefix(line, "25544,"):
			issRows++
		}
	}
	if errRows != 1 || issRows != 25 {
		t.Fatalf("error rows %d (want 1), ISS rows %d (want 25):\n%s", errRows, issRows, r.stdout)
	}
}

func TestPropagateBadInput(t *testing.T) {
	good := writeTemp(t, "iss.tle", issTLE)
	badChecksum := writeTemp(t, "bad.tle", strings.Replace(issTLE, "9992", "9993", 1))
	tests := []struct {
		name      string
		args      []string
		code      int
		stderrHas []string
	}{
		{"missing file", []string{"propagate", "--tle", "/nonexistent/x.tle", "--tsince-min", "0"}, 1, []string{"/nonexistent/x.tle"}},
		{"no tle flag", []string{"propagate", "--tsince-min", "0"}, 2, []string{"--tle"}},
		{"bad range", []string{"propagate", "--tle", good, "--tsince-min", "0:10:-1"}, 2, []string{"step"}},
		{"bad number", []string{"propagate", "--tle", good, "--tsince-min", "0,abc"}, 2, []string{`"abc"`}},
		{"bad format", []string{"propagate", "--tle", good, "--tsince-min", "0", "--format", "xml"}, 2, []string{"xml"}},
		{"bad checksum", []string{"propagate", "--tle", badChecksum, "--tsince-min", "0"}, 1, []string{"line 2", "checksum"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{"unknown command"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tc.code, r.stderr)
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr %q lacks %q", r.stderr, s)
				}
			}
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
				t.Errorf("panicked: %s", r.stderr)
			}
		})
	}
}

// The same three objects as TLEs and as CelesTrak OMM XML give the same states.
func TestPropagateTLEAndOMMAgree(t *testing.T) {
	tlePath := refPath(t, "ccsds", "omm", "celestrak_formats", "stations-tle.txt")
	ommPath := refPath(t, "ccsds", "omm", "celestrak_formats", "stations.xml")
	a := runCLI(t, "propagate", "--tle", tlePath, "--tsince-min", "0:720:120")
	b := runCLI(t, "propagate", "--tle", ommPath, "--tsince-min", "0:720:120")
	if a.code != 0 || b.code != 0 {
		t.Fatalf("exit %d/%d: %s %s", a.code, b.code, a.stderr, b.stderr)
	}
	ra, _ := csv.NewReader(strings.NewReader(a.stdout)).ReadAll()
	rb, _ := csv.NewReader(strings.NewReader(b.stdout)).ReadAll()
	if len(ra) != len(rb) || len(ra) != 1+3*7 {
		t.Fatalf("rows %d vs %d, want 22", len(ra), len(rb))
	}
	for i := 1; i < len(ra); i++ {
		for k := 2; k < 5; k++ {
			x, _ := strconv.ParseFloat(ra[i][k], 64)
			y, _ := strconv.ParseFloat(rb[i][k], 64)
			// The OMM carries more digits than the TLE columns; 1 m agreement.
			if d := x - y; d > 1e-3 || d < -1e-3 {
				t.Errorf("row %d col %d: TLE %g vs OMM %g", i, k, x, y)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "astroshield ") {
		t.Fatalf("version: %+v", r)
	}
}

// Under the C.UTF-8 locale of most containers the binary's stderr stays
// clean (Fyne, linked in for the desktop, would otherwise log that it
// cannot parse the locale on every command).
func TestCLIQuietUnderCLocale(t *testing.T) {
	for _, lang := range []string{"C.UTF-8", "C", "POSIX"} {
		cmd := exec.Command(binPath, "version")
		env := []string{"LANG=" + lang}
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "LANG=") && !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANGUAGE=") {
				env = append(env, kv)
			}
		}
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || !strings.HasPrefix(string(out), "astroshield ") || stderr.Len() != 0 {
			t.Errorf("LANG=%s: %v, stdout %q, stderr %q", lang, err, out, stderr.String())
		}
	}
}
