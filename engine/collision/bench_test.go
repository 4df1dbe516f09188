package collision

import (
	"math"
	"testing"
)

// benchPlanes are encounter-plane geometries spanning the regimes the
// integrator meets: small HBR against large sigmas (most CDMs), HBR
// comparable to the minor sigma of a very elongated covariance, HBR much
// larger than the covariance, and a far tail (Pc ~ 1e-60).
var benchPlanes = []struct {
	name string
	e    Encounter2D
	hbrM float64
}{
	// CARA conjunction 20580/22015 (HST): HBR small against both sigmas.
	{"typical_cdm", Encounter2D{MissM: [2]float64{1274.55, 0}, CovM2: [2][2]float64{{6.75e5, 2.1e3}, {2.1e3, 25.7}}}, 10},
	// CARA unit-test HBR sweep at 3 km: HBR far above the minor sigma of a
	// 1:6600 covariance (erf shoulders inside the disk).
	{"elongated_large_hbr", Encounter2D{MissM: [2]float64{19168, 0}, CovM2: [2][2]float64{{1.518e10, 1.0e6}, {1.0e6, 420}}}, 3000},
	// Disk much larger than the covariance, containing it.
	{"hbr_covers_covariance", Encounter2D{MissM: [2]float64{20, 5}, CovM2: [2][2]float64{{4, 1}, {1, 2}}}, 100},
	// Far tail, Pc ~ 1e-68.
	{"far_tail", Encounter2D{MissM: [2]float64{5000, 300}, CovM2: [2][2]float64{{2.5e5, 0}, {0, 400}}}, 20},
}

func BenchmarkFoster1992(b *testing.B) {
	for _, bp := range benchPlanes {
		b.Run(bp.name, func(b *testing.B) {
			b.ReportAllocs()
			var sink float64
			for b.Loop() {
				pc, err := Foster1992(bp.e, bp.hbrM)
				if err != nil {
					b.Fatal(err)
				}
				sink += pc
			}
			if math.IsNaN(sink) {
				b.Fatal("NaN")
			}
		})
	}
}
