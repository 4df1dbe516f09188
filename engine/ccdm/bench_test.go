package ccdm

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/astroshield/astroshield/engine/tle"
)

// BenchmarkAnalyzeISS is the full analysis of the ISS history (2,096 sets)
// against the 24,132-object 2022 catalog (proximity screening included).
func BenchmarkAnalyzeISS(b *testing.B) {
	sets := readTLE(b, "catalog", "history", "iss_25544_3le_2021-01-01_to_2022-03-03.txt")
	cat := loadCatalog2022(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := Analyze(b.Context(), sets, cat, DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzAnalyze feeds arbitrary TLE text through the analysis: it must
// return a report or an error, never panic, and every finding must carry
// its topic and a valid status.
func FuzzAnalyze(f *testing.F) {
	f.Add("1 25544U 98067A   22196.51021208  .00006684  00000-0  12517-3 0  9992\n2 25544  51.6426 178.1869 0004891 335.4398 148.4525 15.50061553349338\n")
	f.Fuzz(func(t *testing.T, text string) {
		sets, _ := tle.ReadAll(strings.NewReader(text), tle.Options{})
		if len(sets) == 0 {
			return
		}
		rep, err := Analyze(t.Context(), sets, sets, DefaultConfig())
		if err != nil {
			return
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatalf("report does not encode: %v", err)
		}
		for _, fd := range rep.Findings {
			if fd.Topic != fd.Indicator.Topic() {
				t.Fatalf("topic %q for %q", fd.Topic, fd.Indicator)
			}
			switch fd.Status {
			case StatusDetected, StatusNotDetected, StatusInsufficient:
			default:
				t.Fatalf("status %q", fd.Status)
			}
		}
	})
}
