package frames

import (
	"testing"
	"time"
)

var (
	benchT    = time.Date(2024, 3, 15, 5, 39, 11, 0, time.UTC)
	benchR    = [3]float64{-4529.816875100109, 2457.983834800882, 4425.221321381134}
	benchV    = [3]float64{-0.46140554126900435, -6.880300004779061, 3.337273775516108}
	sinkVec   [3]float64
	sinkLook  LookAngles
	sinkGeo   Geodetic
	sinkFloat float64
)

// TestHotPathsDoNotAllocate pins the per-object, per-frame calls at zero
// allocations.
func TestHotPathsDoNotAllocate(t *testing.T) {
	rot := NewEarthRotation(benchT, aiaaEOP)
	site := NewSite(valladoSite)
	sun := SunPositionTEMEKm(benchT)
	calls := map[string]func(){
		"EarthRotation.TEMEToECEF": func() { sinkVec, _ = rot.TEMEToECEF(benchR, benchV) },
		"TEMEToECEF":               func() { sinkVec, _ = TEMEToECEF(benchT, benchR, benchV, aiaaEOP) },
		"Site.LookAnglesECEF":      func() { sinkLook = site.LookAnglesECEF(benchR, benchV) },
		"Site.LookAnglesTEME":      func() { sinkLook = site.LookAnglesTEME(benchT, benchR, benchV, aiaaEOP) },
		"ECEFToGeodetic":           func() { sinkGeo = ECEFToGeodetic(benchR) },
		"SunPositionTEMEKm":        func() { sinkVec = SunPositionTEMEKm(benchT) },
		"EclipseConical":           func() { _, sinkFloat = EclipseConical(benchR, sun) },
	}
	for name, f := range calls {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %.0f times per call", name, n)
		}
	}
}

func BenchmarkEarthRotationTEMEToECEF(b *testing.B) {
	rot := NewEarthRotation(benchT, aiaaEOP)
	b.ReportAllocs()
	for b.Loop() {
		sinkVec, _ = rot.TEMEToECEF(benchR, benchV)
	}
}

func BenchmarkTEMEToECEF(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkVec, _ = TEMEToECEF(benchT, benchR, benchV, aiaaEOP)
	}
}

func BenchmarkLookAnglesECEF(b *testing.B) {
	site := NewSite(valladoSite)
	rot := NewEarthRotation(benchT, EOP{})
	r, v := rot.TEMEToECEF(benchR, benchV)
	b.ReportAllocs()
	for b.Loop() {
		sinkLook = site.LookAnglesECEF(r, v)
	}
}

func BenchmarkLookAnglesTEME(b *testing.B) {
	site := NewSite(valladoSite)
	b.ReportAllocs()
	for b.Loop() {
		sinkLook = site.LookAnglesTEME(benchT, benchR, benchV, EOP{})
	}
}

func BenchmarkECEFToGeodetic(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkGeo = ECEFToGeodetic(benchR)
	}
}

func BenchmarkSunPositionTEMEKm(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkVec = SunPositionTEMEKm(benchT)
	}
}

func BenchmarkEclipseConical(b *testing.B) {
	sun := SunPositionTEMEKm(benchT)
	b.ReportAllocs()
	for b.Loop() {
		_, sinkFloat = EclipseConical(benchR, sun)
	}
}

// BenchmarkFindPasses24h searches one day of an ISS-like two-body orbit.
func BenchmarkFindPasses24h(b *testing.B) {
	epoch := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	prop := keplerTEME(epoch, WGS84EquatorialRadiusKm+420, 0, 51.6*deg, 30*deg, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FindPasses(prop, valladoSite, epoch, epoch.Add(24*time.Hour), PassOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
