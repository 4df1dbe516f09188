package conjunction

import (
	"context"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
)

// BenchmarkScreenOneVsAll: the ISS against the full 2022 catalog (24,132
// element sets) for 7 days at 5 km, element-set preparation included.
func BenchmarkScreenOneVsAll(b *testing.B) {
	sets := loadCatalog(b)
	b.ReportAllocs()
	for b.Loop() {
		res, err := Screen(context.Background(), sets, Options{Start: catalogStart, Span: 7 * 24 * time.Hour,
			ThresholdKm: 5, Primaries: []int{25544}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Events)), "events")
	}
}

// BenchmarkScreenAllVsAll: every 8th element set of the 2022 catalog
// (3,017 objects) all vs all for 6 hours at 5 km. The full-catalog figure
// is measured with the CLI (bench/README.md).
func BenchmarkScreenAllVsAll(b *testing.B) {
	all := loadCatalog(b)
	var sets []gp.ElementSet
	for i := 0; i < len(all); i += 8 {
		sets = append(sets, all[i])
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Screen(context.Background(), sets, Options{Start: catalogStart, Span: 6 * time.Hour, ThresholdKm: 5})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Events)), "events")
	}
}
