package conjunction

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/internal/refdata"
	"github.com/astroshield/astroshield/engine/tle"
)

// catalogStart is the window start used with the 2022 catalog snapshot.
var catalogStart = time.Date(2022, 7, 15, 0, 0, 0, 0, time.UTC)

var (
	catalogOnce sync.Once
	catalogSets []gp.ElementSet
	catalogErr  error
)

// loadCatalog reads the 24,132-object 2022-07-15 catalog (once per test
// binary), or skips.
func loadCatalog(tb testing.TB) []gp.ElementSet {
	tb.Helper()
	path := refdata.Path(tb, "catalog", "full_catalog_3le_2022-07-15.txt")
	catalogOnce.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			catalogErr = err
			return
		}
		defer f.Close()
		catalogSets, catalogErr = tle.ReadAll(f, tle.Options{})
	})
	if catalogErr != nil {
		tb.Fatalf("reading %s: %v", path, catalogErr)
	}
	return catalogSets
}
