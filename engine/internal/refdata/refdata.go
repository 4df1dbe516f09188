// Package refdata locates the shared reference data (../shared/testdata) for
// tests, through ASTROSHIELD_TESTDATA or by walking up from the working
// directory to the folder beside the module root.
package refdata

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the variable that overrides where the reference data is.
const EnvVar = "ASTROSHIELD_TESTDATA"

// Dir returns the reference-data directory, or "" when it cannot be found.
func Dir() string {
	if d := os.Getenv(EnvVar); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			cand := filepath.Join(d, "..", "shared", "testdata")
			if st, err := os.Stat(cand); err == nil && st.IsDir() {
				return cand
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Path joins elem onto the reference-data directory and skips the test with
// a clear message when the data (or that file) is absent.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skipf("reference data not found: set %s or place shared/testdata beside the repository", EnvVar)
	}
	p := filepath.Join(append([]string{d}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("reference file %s not present: %v", p, err)
	}
	return p
}
