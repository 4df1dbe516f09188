package sync

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	gosync "sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/tle"
	"github.com/astroshield/astroshield/server/store"
)

// The bulk-sync benchmark (issues 5, 7): the full 24,132-object catalog of
// 2022-07-15 with 30 days of history, synced from a local server on
// loopback into an empty client cache, protobuf vs JSON, with and without
// gzip. There is no real 30-day history for every object, so the history is
// DERIVED, for transfer-size and speed purposes only: day d of an object is
// its real TLE with the epoch advanced d days and the mean anomaly advanced
// by d days of its mean motion (no perturbations, the other elements kept).
// ASTROSHIELD_BENCH_DAYS (default 30) shortens the history for a quick run.
//
//	go test ./sync -run '^$' -bench BenchmarkSyncCatalog -benchtime 1x -timeout 30m

var benchCatalog struct {
	once gosync.Once
	srv  *catalogServer
	sets int
	err  error
}

// benchServer builds the server database once per process (the setup is
// the slow part and no benchmark changes it).
func benchServer(b *testing.B) (*catalogServer, int) {
	dir := os.Getenv("ASTROSHIELD_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "testdata")
	}
	path := filepath.Join(dir, "catalog", "full_catalog_3le_2022-07-15.txt")
	if _, err := os.Stat(path); err != nil {
		b.Skipf("reference data not found (%v): set ASTROSHIELD_TESTDATA", err)
	}
	days := 30
	if v := os.Getenv("ASTROSHIELD_BENCH_DAYS"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < 1 {
			b.Fatalf("ASTROSHIELD_BENCH_DAYS=%q: want a positive integer", v)
		}
		days = d
	}
	benchCatalog.once.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			benchCatalog.err = err
			return
		}
		defer f.Close()
		cat, err := tle.ReadAll(f, tle.Options{})
		if err != nil {
			benchCatalog.err = err
			return
		}
		// The server outlives this benchmark's b: give it a cleanup-free home.
		srv := newCatalogServer(&benchTB{B: b, dir: filepath.Join(os.TempDir(), "astroshield-bench-"+strconv.Itoa(os.Getpid()))})
		ctx := context.Background()
		received := time.Date(2022, 8, 15, 0, 0, 0, 0, time.UTC)
		for d := range days {
			err := srv.db.Update(ctx, func(tx store.Tx) error {
				for _, e := range cat {
					e.Epoch = e.Epoch.Add(time.Duration(d) * 24 * time.Hour)
					_, frac := math.Modf(e.MeanMotionRevPerDay * float64(d))
					e.MeanAnomalyDeg = math.Mod(e.MeanAnomalyDeg+360*frac, 360)
					l1, l2, err := tle.Format(e)
					if err != nil {
						continue // not representable as a TLE; left out of the count
					}
					ok, err := tx.PutElementSet(ctx, e.Name, e.IntlDesignator, store.ElementSet{NORAD: e.CatalogNumber, Epoch: e.Epoch,
						Format: "tle", Body: l1 + "\n" + l2, Received: received})
					if err != nil {
						return err
					}
					if ok {
						benchCatalog.sets++
					}
				}
				return nil
			})
			if err != nil {
				benchCatalog.err = err
				return
			}
		}
		benchCatalog.srv = srv
	})
	if benchCatalog.err != nil {
		b.Fatal(benchCatalog.err)
	}
	return benchCatalog.srv, benchCatalog.sets
}

// benchTB keeps the shared server's files and server alive past the first
// benchmark (its cleanups never run; the process exit ends them).
type benchTB struct {
	*testing.B
	dir string
}

func (t *benchTB) TempDir() string { os.MkdirAll(t.dir, 0o755); return t.dir }
func (t *benchTB) Cleanup(func())  {}

func BenchmarkSyncCatalog(b *testing.B) {
	for _, c := range []struct {
		name string
		opt  CatalogSyncOptions
	}{
		{"protobuf", CatalogSyncOptions{Encoding: EncodingProtobuf, NoGzip: true}},
		{"protobuf+gzip", CatalogSyncOptions{Encoding: EncodingProtobuf}},
		{"json", CatalogSyncOptions{Encoding: EncodingJSON, NoGzip: true}},
		{"json+gzip", CatalogSyncOptions{Encoding: EncodingJSON}},
	} {
		b.Run(c.name, func(b *testing.B) {
			srv, total := benchServer(b)
			cl := srv.client(b, nil)
			b.ReportAllocs()
			b.ResetTimer()
			var res CatalogSyncResult
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st := openCache(b)
				b.StartTimer()
				var err error
				res, err = cl.SyncCatalog(context.Background(), st, c.opt)
				if err != nil {
					b.Fatal(err)
				}
				if res.ElementSets != total {
					b.Fatalf("synced %d sets, server has %d", res.ElementSets, total)
				}
			}
			b.ReportMetric(float64(res.Bytes), "wire-bytes/op")
			b.ReportMetric(float64(res.Bytes)/float64(total), "wire-bytes/set")
			b.ReportMetric(float64(res.Pages), "pages/op")
			b.ReportMetric(float64(total), "sets/op")
		})
	}
}
