package app

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/astroshield/astroshield/engine/tle"
	assync "github.com/astroshield/astroshield/sync"
)

// BenchmarkCachedCatalog24k: the desktop opening offline from its cache —
// read the newest cached element set of each of the 24,132 objects, parse
// them and initialise SGP4 (Remote.CachedCatalog).
func BenchmarkCachedCatalog24k(b *testing.B) {
	path := refPath(b, "catalog", "full_catalog_3le_2022-07-15.txt")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimRight(l, "\r "); l != "" {
			lines = append(lines, l)
		}
	}
	r, err := OpenRemote(RemoteConfig{URL: "http://127.0.0.1:1", CacheDir: b.TempDir(), Tokens: tokenFileIn(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	n := 0
	for i := 0; i+2 < len(lines); i += 3 {
		sets, _ := tle.ReadAll(strings.NewReader(strings.Join(lines[i:i+3], "\n")+"\n"), tle.Options{})
		if len(sets) != 1 {
			continue
		}
		body, _ := json.Marshal(cachedSet{Seq: int64(n + 1), NORAD: sets[0].CatalogNumber, Name: strings.TrimSpace(lines[i]),
			Epoch: sets[0].Epoch, Format: "tle", Body: lines[i+1] + "\n" + lines[i+2]})
		if err := r.Store().PutElementSet(ctx, sets[0].CatalogNumber, sets[0].Epoch, sets[0].Name, body); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportAllocs()
	b.ResetTimer()
	var c *Catalog
	for i := 0; i < b.N; i++ {
		if c, err = r.CachedCatalog(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if c.Len() < 24000 {
		b.Fatalf("%d objects from the cache (%d stored)", c.Len(), n)
	}
	b.ReportMetric(float64(c.Len()), "objects")
}

func tokenFileIn(b *testing.B) assync.TokenFile { return assync.TokenFile{Path: b.TempDir() + "/rt"} }
