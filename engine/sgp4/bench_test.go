package sgp4

import (
	"context"
	"runtime"
	"testing"

	"github.com/astroshield/astroshield/engine/tle"
)

var benchSink float64

// BenchmarkPropagate is one satellite over 0..1440 min in 10-min steps.
func BenchmarkPropagate(b *testing.B) {
	cases := []struct {
		name string
		tle  [2]string
	}{
		{"near-earth", [2]string{ // DELTA 1 DEB, 377 km perigee, full drag model
			"1 06251U 62025E   06176.82412014  .00008885  00000-0  12808-3 0  3985",
			"2 06251  58.0579  54.0425 0030035 139.1568 221.1854 15.56387291  6774"}},
		{"near-earth-e0.19", vanguard},
		{"deep-space", [2]string{ // 1.2 rev/day, no resonance
			"1 04632U 70093B   04031.91070959 -.00000084  00000-0  10000-3 0  9955",
			"2 04632  11.4628 273.1101 1450506 207.6000 143.9350  1.20231981 44145"}},
		{"deep-space-12h", molniya},
		{"deep-space-24h", geo},
	}
	times := make([]float64, 0, 145)
	for t := 0.0; t <= 1440; t += 10 {
		times = append(times, t)
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			s := mustNew(b, c.tle)
			b.ReportAllocs()
			var sum float64
			i := 0
			for b.Loop() {
				r, _, err := s.Propagate(times[i])
				if err != nil {
					b.Fatal(err)
				}
				sum += r[0]
				if i++; i == len(times) {
					i = 0
				}
			}
			benchSink = sum
		})
	}
}

func loadCatalog(b *testing.B) []*Satellite {
	b.Helper()
	sets := readTLEFile(b, tle.Options{}, "catalog", "full_catalog_3le_2022-07-15.txt")
	sats := make([]*Satellite, 0, len(sets))
	for _, e := range sets {
		if s, err := New(e); err == nil {
			sats = append(sats, s)
		}
	}
	return sats
}

// BenchmarkCatalog propagates the 2022-07-15 full catalog (24,132 objects)
// to tsince 0:1440:10 on one goroutine and reports ns per propagation.
func BenchmarkCatalog(b *testing.B) {
	sats := loadCatalog(b)
	times := make([]float64, 0, 145)
	for t := 0.0; t <= 1440; t += 10 {
		times = append(times, t)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var r, v [3]float64
	var sum float64
	for b.Loop() {
		for _, s := range sats {
			for _, t := range times {
				if code, _ := s.propagate(t, &r, &v); code == CodeOK {
					sum += r[0]
				}
			}
		}
	}
	benchSink = sum
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(sats)*len(times)), "ns/prop")
	b.ReportMetric(float64(len(sats)), "sats")
}

// BenchmarkCatalogBatch is BenchmarkCatalog through PropagateBatch on all cores.
func BenchmarkCatalogBatch(b *testing.B) {
	sats := loadCatalog(b)
	times := make([]float64, 0, 145)
	for t := 0.0; t <= 1440; t += 10 {
		times = append(times, t)
	}
	out := make([]State, len(sats)*len(times))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := PropagateBatch(context.Background(), sats, times, out, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(sats)*len(times)), "ns/prop")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "workers")
}

func BenchmarkNew(b *testing.B) {
	for _, c := range []struct {
		name string
		tle  [2]string
	}{{"near-earth", vanguard}, {"deep-space-12h", molniya}} {
		b.Run(c.name, func(b *testing.B) {
			e := mustElements(b, c.tle)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New(e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
