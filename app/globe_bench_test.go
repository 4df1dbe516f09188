//go:build cgo && linux

package app

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/render"
)

// catalogOfN repeats the 24k snapshot with shifted mean anomalies until it
// holds n objects (real orbits, more of them).
func catalogOfN(b *testing.B, n int) *Catalog {
	base := fullCatalog(b)
	sets := make([]gp.ElementSet, 0, n)
	for k := 0; len(sets) < n; k++ {
		for i := range base.Objects {
			if len(sets) == n {
				break
			}
			e := base.Objects[i].Set
			e.MeanAnomalyDeg = float64(int(e.MeanAnomalyDeg+float64(k)*37) % 360)
			e.CatalogNumber += k * 1_000_000
			sets = append(sets, e)
		}
	}
	return NewCatalog(sets, "synthetic")
}

// benchmarkGlobeFrame measures one frame of the 3D view at 1280x720 on the
// real renderer (llvmpipe here): ns/op is the whole frame, cpu-ms/frame the
// composition outside the GL draw (selected object SGP4, camera, lines).
func benchmarkGlobeFrame(b *testing.B, n int) {
	c := catalogOfN(b, n)
	clock := NewClock(nil)
	clock.Set(time.Date(2022, 7, 15, 12, 0, 0, 0, time.UTC))
	clock.SetPaused(true)
	test.NewTempApp(b)
	g := newGLGlobe(b, clock)
	g.start()
	g.SetCatalog(c)
	waitKeyframes(b, g)
	g.Select(0)
	g.generate(1280, 720)
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		g.generate(1280, 720)
		c, _ := g.FrameStats()
		cpu += c
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/frame")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "fps")
	// Memory with the scene up: Go heap (catalog with SGP4 state, keyframes,
	// orbit path) and the process's resident set (adds the GL driver's
	// buffers: llvmpipe keeps them in RAM).
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	if rss := vmRSSKiB(); rss > 0 {
		b.ReportMetric(float64(rss)/1024, "rss-MB")
	}
}

// vmRSSKiB is this process's resident set size from /proc (0 if unknown).
func vmRSSKiB() int {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

func BenchmarkGlobeFrame24k(b *testing.B)  { benchmarkGlobeFrame(b, 24132) }
func BenchmarkGlobeFrame100k(b *testing.B) { benchmarkGlobeFrame(b, 100000) }

// BenchmarkKeyframes100k is the background cost of one keyframe pair for
// 100,000 objects (2 SGP4 calls each), amortised over the window.
func BenchmarkKeyframes100k(b *testing.B) {
	c := catalogOfN(b, 100000)
	at := time.Date(2022, 7, 15, 12, 0, 0, 0, time.UTC)
	var k render.Keyframes
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := PropagateKeyframes(b.Context(), c, at, at.Add(time.Minute), &k, 0); err != nil {
			b.Fatal(err)
		}
	}
}
