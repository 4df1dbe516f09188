package postgres_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/postgres"
	"github.com/astroshield/astroshield/server/store/postgres/pgtest"
	"github.com/astroshield/astroshield/server/store/sqlite"
)

// benchStores runs fn on a fresh SQLite file and a fresh PostgreSQL
// database, as sub-benchmarks named after the store.
func benchStores(b *testing.B, fn func(b *testing.B, st store.Store)) {
	cluster := pgtest.Start(b) // once: the sub-benchmarks run several times
	b.Run("sqlite", func(b *testing.B) {
		db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), sqlite.FileName))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		fn(b, db)
	})
	b.Run("postgres", func(b *testing.B) {
		db, err := postgres.Open(context.Background(), cluster.NewDatabase(b))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		fn(b, db)
	})
}

// BenchmarkImport100 stores 100 new element sets (100 objects) in one
// transaction, as one TLE upload does.
func BenchmarkImport100(b *testing.B) {
	benchStores(b, func(b *testing.B, st store.Store) {
		ctx := context.Background()
		epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			err := st.Update(ctx, func(tx store.Tx) error {
				for n := 1; n <= 100; n++ {
					e := store.ElementSet{NORAD: n, Epoch: epoch.Add(time.Duration(i) * time.Minute), Format: "tle", Body: "1 ...\n2 ...", Received: epoch}
					if _, err := tx.PutElementSet(ctx, fmt.Sprintf("OBJ %d", n), "26001A", e); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "sets/s")
	})
}

// BenchmarkAuditAppend commits one audit entry per transaction (a login's
// write), from one goroutine and from 8 at once.
func BenchmarkAuditAppend(b *testing.B) {
	for _, par := range []int{1, 8} {
		b.Run(fmt.Sprintf("writers=%d", par), func(b *testing.B) {
			benchStores(b, func(b *testing.B, st store.Store) {
				ctx := context.Background()
				b.ReportAllocs()
				b.ResetTimer()
				b.SetParallelism(par) // par × GOMAXPROCS goroutines
				if par == 1 {
					for i := 0; i < b.N; i++ {
						appendAudit(b, ctx, st)
					}
				} else {
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							appendAudit(b, ctx, st)
						}
					})
				}
				b.StopTimer()
				es, err := st.Audit(ctx, 0, 0)
				if err != nil || store.VerifyAudit(es) != nil {
					b.Fatalf("chain broken after the benchmark: %v", err)
				}
			})
		})
	}
}

func appendAudit(b *testing.B, ctx context.Context, st store.Store) {
	err := st.Update(ctx, func(tx store.Tx) error {
		_, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: "bench", Action: "login", Target: "user:bench"})
		return err
	})
	if err != nil {
		b.Error(err)
	}
}

// BenchmarkObjectRead reads one object by NORAD number outside a
// transaction (the catalog read path).
func BenchmarkObjectRead(b *testing.B) {
	benchStores(b, func(b *testing.B, st store.Store) {
		ctx := context.Background()
		epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := st.Update(ctx, func(tx store.Tx) error {
			for n := 1; n <= 1000; n++ {
				if _, err := tx.PutElementSet(ctx, fmt.Sprintf("OBJ %d", n), "26001A", store.ElementSet{NORAD: n, Epoch: epoch, Format: "tle", Body: "x", Received: epoch}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := st.Object(ctx, 1+i%1000); err != nil {
				b.Fatal(err)
			}
		}
	})
}
